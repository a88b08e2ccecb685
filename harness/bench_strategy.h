/* bench_strategy.h - what --strategy selects: one row per strategy, the engine's and the peers'. */
#ifndef BENCH_STRATEGY_H
#define BENCH_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

#include "jefferson/pipeline.h"
#include "monitor.h"

/* The core's strategies keep their jf_strategy_t values; the peers bench
 * can run besides the engine follow. core/ knows nothing of them. */
typedef enum bench_strategy {
    BENCH_SINGLE = JF_STRATEGY_SINGLE,
    BENCH_PER_STAGE = JF_STRATEGY_PER_STAGE,
    BENCH_N_PER_STAGE = JF_STRATEGY_N_PER_STAGE,
    BENCH_SCHEDULED = JF_STRATEGY_SCHEDULED,
    BENCH_TBB = JF_STRATEGY_COUNT, /* tbb::parallel_pipeline (harness/peers/tbb/peer_tbb.h) */
    BENCH_OMP,                     /* an OpenMP ordered loop (harness/peers/omp/omp_peer.h) */
    BENCH_STRATEGY_COUNT
} bench_strategy_t;

/* One configuration a peer tried before choosing, and how long it took. */
#define BENCH_SWEEP_MAX 8
typedef struct bench_sweep {
    char config[48];
    uint64_t wall_ns;   /* the least of its runs */
    unsigned runs;
} bench_sweep_t;

/* One repetition as a strategy's run function sees it. */
typedef struct bench_rep {
    bench_monitor_t *monitor;          /* progress, and a signal stops the run */
    const jf_stage_spec_t *specs;
    size_t nstages;
    const jf_run_options_t *opt;    /* opt->strategy: the row's engine strategy */
    const char *what;               /* the progress line's name for it */
    jf_run_result_t *res;           /* out: filled as jf_pipeline_run does */
    unsigned tokens;                /* out: live tokens, for a peer that has them */
    char config[48];                /* out: a peer's configuration ("" when none) */
    bench_sweep_t sweep[BENCH_SWEEP_MAX]; /* out: what it tried to choose it */
    size_t nsweep;
    struct rusage before, after;    /* out: the process's usage around the run itself */
} bench_rep_t;

typedef struct bench_strategy_ops {
    const char *name;        /* "single", ..., "tbb" */
    const char *help;        /* its line in `bench list` */
    /* Why this build cannot run it ("built without oneTBB"), and what to
     * do about it; NULL when it can. */
    const char *unavailable;
    const char *remedy;
    bool uses_policy;        /* asks the scheduler policy: --policy matters */
    bool simulatable;        /* runs on the engine, so --sim can model it */
    jf_strategy_t engine;    /* the engine strategy it is (peers: ignored) */
    /* Threads it starts for nstages stages on `cores` cores. */
    unsigned (*threads)(size_t nstages, unsigned cores);
    /* Runs one repetition: fills rep's outputs (rep->before and ->after
     * around the run itself, setup excluded). Returns 0, an engine error
     * code, or BENCH_EXIT_INTERRUPTED when a signal came before it started. */
    int (*run)(bench_rep_t *rep);
    /* Items a token carries for --batch; NULL for a strategy without tokens. */
    unsigned (*items_per_token)(unsigned batch);
    /* Ends what its runs left for the next one (threads); NULL: nothing. */
    void (*finish)(void);
} bench_strategy_ops_t;

/* The row of s, or NULL when s is not a strategy. */
const bench_strategy_ops_t *bench_strategy_ops(bench_strategy_t s);

/* "single", ..., "scheduled", "tbb"; "unknown" for anything else. */
const char *bench_strategy_name(bench_strategy_t s);

/* The strategy called name, or -1. Knows tbb also when it is not built in. */
int bench_strategy_parse(const char *name);

/* Whether this build can run s: tbb only when built with oneTBB
 * (JF_HAVE_TBB); the core's strategies always. */
bool bench_strategy_available(bench_strategy_t s);

/* Whether s asks the scheduler policy (so --policy applies to it). */
bool bench_strategy_uses_policy(bench_strategy_t s);

/* Whether --sim can model s (it runs on the engine). */
bool bench_strategy_simulatable(bench_strategy_t s);

/* Threads s starts for n stages on `cores` cores: tbb's arena has `cores`. */
unsigned bench_strategy_threads(bench_strategy_t s, size_t nstages, unsigned cores);

/* "single, per-stage, ..., tbb" into buf (size bytes, truncated to fit). */
void bench_strategy_list(char *buf, size_t size);

#endif /* BENCH_STRATEGY_H */
