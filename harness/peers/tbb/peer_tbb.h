/* peer_tbb.h - the oneTBB peer: a pipeline run through tbb::parallel_pipeline. */
#ifndef PEER_TBB_H
#define PEER_TBB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "jefferson/pipeline.h"

/* What only the peer has. Zero-initialise; 0 means default. */
typedef struct peer_tbb_options {
    /* Items per token: 1 (default) is parallel_pipeline as its manual shows
     * it, one item per filter call; B > 1 passes batches of B consecutive
     * items, as the engine does (TBB then pays its per-token cost once per
     * B items). */
    unsigned batch;
    /* Live tokens of parallel_pipeline; default opt->window / batch when
     * opt->window is set, else PEER_TBB_DEFAULT_TOKENS_PER_CORE * cores. */
    unsigned tokens;
    /* Time one token in this many per stage and thread and scale the sum
     * up (a clock read costs ~30 ns). Default: opt->batch (16) for
     * one-item tokens, the same clock reads per item as the engine, which
     * times per batch; 1 for batched tokens. */
    unsigned time_every;
    /* Called by the sink every 1024 items with the count emitted so far;
     * non-zero stops the run (JF_ESTOPPED). For progress and Ctrl-C. */
    int (*poll)(void *ctx, uint64_t emitted);
    void *poll_ctx;
} peer_tbb_options_t;

#define PEER_TBB_DEFAULT_TOKENS_PER_CORE 16

/* Runs stages[0..n) over opt->items items with tbb::parallel_pipeline, the
 * same contract as jf_pipeline_create + jf_pipeline_run:
 *   - a serial_in_order source filter numbers items, points each at payload
 *     slot seq % (tokens * batch) of a slab of that many item_bytes and
 *     calls opt->source (or stamps the seq into the first 8 bytes);
 *     honours arrival_rate_per_s by waiting in the source;
 *   - one parallel filter per stage calls its kernel (out starts as a copy
 *     of in); yielding stages count in kernel_yield_ns; the last one then
 *     calls opt->check on each item, as the engine does before its sink;
 *   - a serial_in_order sink filter calls opt->sink and checks the order;
 *   - opt->cores threads: a task_arena of that concurrency (the calling
 *     thread joins it) under a global_control limit; with opt->topology,
 *     the thread in arena slot i is pinned to core jf_topology_core_for(i)
 *     (TBB's worker threads stay pinned afterwards; the calling thread's
 *     affinity is restored before the call returns).
 * Fills *result: wall_ns (around parallel_pipeline), items_in/out,
 * order_preserved, threads, kernel_cpu_ns/kernel_yield_ns, path_ns, latency
 * and per-stage stats (items, batches = tokens, kernel_ns, max_item_ns of
 * the timed tokens); decisions, reallocations and parks are 0.
 * With opt->trace, result->trace holds one lane per arena slot (core: the
 * slot's pinned core or -1, home_stage -1) with a JF_EV_BATCH_BEGIN/END
 * pair per stage filter call (count = items in the token, value = kernel
 * ns), preallocated (opt->trace_capacity events per lane, default: room
 * for every call, bounded as the engine's; what does not fit is counted as
 * dropped); no queue depths or decisions: TBB has neither. Every filter
 * call is then timed. opt->strategy, policy and batch are ignored except
 * batch as the default of time_every.
 * Returns 0; JF_EINVAL for bad arguments (as jf_pipeline_create);
 * JF_EKERNEL when a kernel, the source or the sink failed (result->failure
 * says where; the pipeline is cancelled, in-flight items are dropped);
 * JF_ESTOPPED when poll asked to stop; JF_EORDER when the sink saw items
 * out of order (a bug); JF_ENOMEM. Not reentrant with itself on other
 * threads (global_control is process-wide). tbb may be NULL. */
int peer_tbb_run_ex(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
                  const peer_tbb_options_t *tbb, jf_run_result_t *result);

/* The live tokens peer_tbb_run_ex(…, opt, tbb, …) runs with (tbb may be
 * NULL); 0 for arguments it would reject. */
unsigned peer_tbb_tokens(const jf_run_options_t *opt, const peer_tbb_options_t *tbb);

/* Ends oneTBB's worker threads, which outlive peer_tbb_run_ex to serve the
 * next run, and waits for them: call when no run follows (bench does after
 * each set of measurements), so that no thread is left running at exit
 * (valgrind would count its stack as lost). Returns 0, or JF_EINVAL when
 * TBB is still in use elsewhere. Not concurrent with peer_tbb_run_ex. */
int peer_tbb_finalize(void);

/* peer_tbb_run_ex with default peer_tbb_options_t. */
int peer_tbb_run(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
               jf_run_result_t *result);

#ifdef __cplusplus
}
#endif

#endif /* PEER_TBB_H */
