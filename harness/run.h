/* run.h - run one workload under several strategies, repeatedly, and measure. */
#ifndef BENCH_RUN_H
#define BENCH_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "bench_strategy.h"
#include "jefferson/pipeline.h"
#include "core/jf_sim.h"
#include "jefferson/topology.h"
#include "monitor.h"
#include "slow.h"
#include "stats.h"
#include "workloads/workload.h"

/* What to run. Borrowed pointers must outlive bench_run_measure. */
typedef struct bench_run_plan {
    const workload_t *workload;          /* items, item_bytes, arrival come from here */
    const workload_binding_t *binding;
    const jf_topology_t *topology;          /* NULL: workers are not pinned */
    bool requested[BENCH_STRATEGY_COUNT];
    bool baseline;                          /* run single even when not requested */
    jf_policy_t policy;
    unsigned cores, batch, repeat, warmup;
    bool trace;
    bench_monitor_t *monitor;                  /* progress and interruption; may be NULL */
    /* NULL: run the engine (tbb: the oneTBB peer, tokens of `batch` items).
     * Else simulate every repetition (jf_sim_run)
     * with these overheads; cost and cost_ctx are ignored: item costs are
     * workload_item_ns of the workload. */
    const jf_sim_options_t *sim;
    /* NULL: none. Else the scheduled strategy runs these kernels (real) or
     * this cost (simulated): the test-only slow scheduler of slow.h. */
    const bench_slow_t *slow;
} bench_run_plan_t;

/* The measurements of one strategy. */
typedef struct bench_strategy_run {
    bench_strategy_t strategy;
    bool baseline_only;       /* single, run as the baseline but not requested */
    unsigned items_per_token; /* tbb: items each token carries (--batch); else 0 */
    unsigned tokens;          /* tbb: live tokens of parallel_pipeline; else 0 */
    char config[48];          /* a peer's chosen configuration; "" when none */
    bench_sweep_t sweep[BENCH_SWEEP_MAX]; /* the configurations it tried */
    size_t nsweep;
    unsigned repeats;         /* measured repetitions that finished */
    uint64_t *samples_ns;     /* wall time of each of them, in order */
    uint64_t *user_ns;        /* user CPU time of each (getrusage delta, whole process) */
    uint64_t *sys_ns;         /* system CPU time of each, likewise */
    bench_stats_t wall;
    double user_median_ns, sys_median_ns;
    jf_run_result_t median;   /* the median repetition; owns its trace */
    uint64_t lower_bound_ns;  /* see bench_run_lower_bound */
    double throughput;        /* items per second at the median wall time */
    double speedup;           /* single's median wall / this median wall; NAN: no single */
    double efficiency;        /* lower_bound_ns / median wall */
} bench_strategy_run_t;

/* single first when it ran (the baseline every speedup refers to), then
 * the other requested strategies in bench_strategy_t order. Only strategies
 * with at least one finished repetition are in the set. */
typedef struct bench_run_set {
    size_t n;
    bool has_baseline;        /* runs[0] is single */
    bool interrupted;         /* a signal cut the measurements short */
    bench_strategy_run_t runs[BENCH_STRATEGY_COUNT];
} bench_run_set_t;

/* Runs plan->warmup unmeasured and plan->repeat measured repetitions of
 * every strategy (tbb through bench_run_tbb, whose threads end afterwards)
 * into *set (zeroed first), keeping the trace of the median repetition
 * only, and derives throughput, speedup, lower bound and efficiency.
 * Progress and interruption go through plan->monitor: after a
 * signal no repetition starts, the one running is dropped, and the set
 * holds what finished, with set->interrupted (still a success). Returns 0,
 * or BENCH_EXIT_FAILED after the error line when a run fails or loses or
 * reorders items. Release *set with bench_run_set_fini in either case. */
int bench_run_measure(const bench_run_plan_t *plan, bench_run_set_t *set);

/* The physical limit of run r (DESIGN.md, "Results JSON"), from the
 * smallest kernel time measured among the set's strategies. */
uint64_t bench_run_lower_bound(const bench_strategy_run_t *r, const bench_run_set_t *set,
                               unsigned cores);

/* Items per token of the tbb strategy for a --batch argument: B, or the
 * engine's least batch (JF_DEFAULT_BATCH) when batches adapt (0). */
static inline unsigned bench_tbb_items_per_token(unsigned batch)
{
    return batch ? batch : JF_DEFAULT_BATCH;
}

/* One repetition of the omp strategy (harness/run_omp.c): the first of a
 * set first sweeps the peer's configurations and keeps the fastest;
 * rep->config names it and rep->sweep lists what was tried.
 * bench_run_omp_finish forgets the choice. Returns as a run function, or
 * JF_EINVAL when bench was built without OpenMP. */
int bench_run_omp(bench_rep_t *rep);
void bench_run_omp_finish(void);

/* One repetition of the tbb strategy with opt (tokens of
 * bench_tbb_items_per_token(opt->batch) items), watched by monitor (progress, and a signal stops it: then
 * JF_ESTOPPED) as "what". Fills *res as peer_tbb_run_ex does, trace included
 * when opt->trace, and *tokens with the live tokens it used. Returns what
 * peer_tbb_run_ex returns, BENCH_EXIT_INTERRUPTED when a signal came before it
 * started, or JF_EINVAL when bench was built without oneTBB. */
int bench_run_tbb(bench_monitor_t *monitor, const jf_stage_spec_t *specs, size_t nstages,
                const jf_run_options_t *opt, const char *what, jf_run_result_t *res,
                unsigned *tokens);

/* Ends the threads the tbb strategy left for the next run (none: nothing). */
void bench_run_tbb_finish(void);

/* Frees what a set owns (samples, traces). Safe on a zeroed set. */
void bench_run_set_fini(bench_run_set_t *set);

#endif /* BENCH_RUN_H */
