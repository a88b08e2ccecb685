/* jefferson/pipeline.h - run a source, N stages and a sink under one strategy. */
#ifndef JF_PIPELINE_H
#define JF_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jefferson/api.h"

#include "jefferson/item.h"
#include "jefferson/policy.h"
#include "jefferson/topology.h"
#include "jefferson/trace.h"

#define JF_MAX_STAGES JF_POLICY_MAX_STAGES

typedef enum jf_strategy {
    JF_STRATEGY_SINGLE = 0,   /* one thread runs every stage in turn */
    JF_STRATEGY_PER_STAGE,    /* thread i always runs stage i */
    JF_STRATEGY_N_PER_STAGE,  /* `cores` threads per stage, fixed */
    JF_STRATEGY_SCHEDULED,    /* `cores` threads, placed by the policy */
    JF_STRATEGY_COUNT
} jf_strategy_t;

/* One stage as the caller describes it. */
typedef struct jf_stage_spec {
    const char *name;
    jf_kernel_fn fn;
    void *ctx;
    bool yields; /* kernel gives up its core while working (sleep, I/O) */
} jf_stage_spec_t;

#define JF_DEFAULT_BATCH 16      /* least items of an adaptive batch */
#define JF_DEFAULT_BATCH_MAX 256 /* most items of an adaptive batch */

/* How to run. Zero-initialise, then set what matters; 0 means default. */
typedef struct jf_run_options {
    jf_strategy_t strategy;
    jf_policy_t policy;          /* for JF_STRATEGY_SCHEDULED */
    unsigned cores;              /* cores to use (>= 1) */
    unsigned batch;              /* items per batch; 0 (default): adaptive,
                                  * JF_DEFAULT_BATCH up to batch_max, sized so that a batch
                                  * holds ~16 us of kernel work
                                  * at the stage's measured service time;
                                  * B > 0: always B (batch_max is ignored) */
    unsigned batch_max;          /* ceiling of adaptive batches; default
                                  * JF_DEFAULT_BATCH_MAX (less when the
                                  * window's limits forbid) */
    uint64_t items;              /* items the source emits (>= 1) */
    uint32_t item_bytes;         /* payload bytes per item; default 64 */
    unsigned window;             /* max items in flight; default 64 * batch
                                    * (at least 1024), rounded to a power of 2 */
    bool trace;                  /* record per-worker events */
    size_t trace_capacity;       /* events per worker; default sized from the
                                    * run, at most 4 Mi */
    const jf_topology_t *topology; /* pin workers to cores; NULL: no pinning */
    jf_source_fn source;         /* fill payloads; NULL: seq stamped in */
    void *source_ctx;
    jf_sink_fn sink;             /* check payloads; NULL: none */
    void *sink_ctx;
    double arrival_rate_per_s;   /* items arrive at this rate; 0: all at once */
    unsigned arrival_burst;      /* ...in bursts of this many items; default 1 */
    jf_check_fn check;           /* check finished items before the sink,
                                  * concurrently; NULL: none */
    void *check_ctx;
} jf_run_options_t;

/* Source-to-sink latency of the items of a run, from each item's arrival
 * (its due time under an arrival rate, else when the source took it) to
 * the moment the sink emitted it. */
typedef struct jf_latency {
    uint64_t p50_ns, p95_ns, p99_ns, max_ns;
    double mean_ns;
} jf_latency_t;

/* What each stage did in a run. */
typedef struct jf_stage_stats {
    uint64_t items;
    uint64_t batches;
    uint64_t kernel_ns;      /* wall time inside the kernel, summed */
    uint64_t max_item_ns;    /* slowest per-item mean of any batch */
    double mean_service_ns;  /* kernel_ns / items */
} jf_stage_stats_t;

/* Which kernel failed, when the run returned JF_EKERNEL. */
typedef struct jf_run_failure {
    int stage;      /* stage index; -1 = source, nstages = sink */
    uint64_t seq;   /* the item being processed */
    int code;       /* what the kernel returned */
} jf_run_failure_t;

/* Everything a run measured. Caller-owned: release with jf_run_result_fini. */
typedef struct jf_run_result {
    uint64_t wall_ns;
    uint64_t items_in;        /* items the source emitted */
    uint64_t items_out;       /* items the sink emitted */
    bool order_preserved;     /* sink saw 0, 1, 2, ... with no gap or repeat */
    unsigned threads;
    uint64_t decisions;       /* scheduler decisions taken */
    uint64_t reallocations;   /* decisions that moved a worker to another stage
                               * (running a carried batch is not a move) */
    uint64_t parks;           /* times a worker went to sleep */
    uint64_t carried;         /* scheduled: batches a worker ran at the next
                               * stage from its hand, with no queue hop */
    uint64_t sink_ns;         /* time the sink's serial part took (its lock
                               * held), summed: the per-item cost no number
                               * of workers overlaps */
    uint64_t kernel_cpu_ns;   /* kernel time of non-yielding stages */
    uint64_t kernel_yield_ns; /* kernel time of yielding stages */
    uint64_t path_ns;         /* slowest item's path: sum of max_item_ns */
    jf_latency_t latency;     /* over the items emitted */
    size_t nstages;
    jf_stage_stats_t stages[JF_MAX_STAGES];
    jf_run_failure_t failure;
    jf_trace_t *trace;        /* NULL unless options.trace; owned */
} jf_run_result_t;

typedef struct jf_pipeline jf_pipeline_t;

/* Builds a pipeline of n stages (1..JF_MAX_STAGES) for one run with *opt.
 * Stage specs and names are copied. Returns 0 and *out, or JF_EINVAL for
 * bad options (no stages, cores 0, items 0, a NULL kernel) or JF_ENOMEM;
 * on failure nothing is allocated. The caller owns *out (jf_pipeline_destroy).
 * Pipelines are independent: several may be built and run at once. */
JF_API int jf_pipeline_create(const jf_stage_spec_t *stages, size_t n,
                       const jf_run_options_t *opt, jf_pipeline_t **out);

/* Runs the pipeline to completion on fresh worker threads and joins them.
 * Fills *result (always, also on failure; release with jf_run_result_fini).
 * Returns 0; JF_EKERNEL when a kernel, the source or the sink failed
 * (result->failure says where); JF_ESTOPPED after jf_pipeline_stop;
 * JF_ESTALL / JF_EORDER when the engine lost or reordered items (a bug);
 * JF_ETHREAD / JF_ENOMEM when it could not start. A pipeline runs once. */
JF_API int jf_pipeline_run(jf_pipeline_t *p, jf_run_result_t *result);

/* Asks a running pipeline to stop soon: workers finish their batch and
 * exit. Safe from any thread (not from a signal handler). */
JF_API void jf_pipeline_stop(jf_pipeline_t *p);

/* Items the sink has emitted so far; for progress reports. Thread-safe. */
JF_API uint64_t jf_pipeline_progress(const jf_pipeline_t *p);

/* Frees the pipeline. NULL does nothing. Must not be running. */
JF_API void jf_pipeline_destroy(jf_pipeline_t *p);

/* Releases what a result owns (the trace) and sets result->trace to NULL;
 * the figures stay readable. NULL does nothing. */
JF_API void jf_run_result_fini(jf_run_result_t *result);

/* Threads a strategy starts for n stages on `cores` cores: 1 for single,
 * n for per-stage, n * cores for n-per-stage, cores for scheduled.
 * Pure, thread-safe. */
JF_API unsigned jf_strategy_threads(jf_strategy_t s, size_t nstages, unsigned cores);

/* Name <-> enum ("single", "per-stage", "n-per-stage", "scheduled"), for
 * command lines: jf_strategy_name returns a static string ("unknown" for
 * a value out of range), jf_strategy_parse the enum value or -1 for an unknown
 * name. Pure, thread-safe. */
JF_API const char *jf_strategy_name(jf_strategy_t s);
JF_API int jf_strategy_parse(const char *name);

#endif /* JF_PIPELINE_H */
