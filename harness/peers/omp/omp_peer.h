/* omp_peer.h - the OpenMP peer: the pipeline a C programmer writes with an ordered loop. */
#ifndef PEER_OMP_PEER_H
#define PEER_OMP_PEER_H

#include <stdint.h>

#include "jefferson/pipeline.h"

/* How the loop hands out its iterations (OpenMP's schedule kinds). */
typedef enum peer_omp_schedule {
    PEER_OMP_DYNAMIC = 0, /* schedule(dynamic, 1): a free thread takes the next chunk */
    PEER_OMP_STATIC,      /* schedule(static, 1): chunk i to thread i mod threads */
    PEER_OMP_GUIDED,      /* schedule(guided): big chunks first, shrinking; the
                         * runtime's own adaptive choice */
} peer_omp_schedule_t;

/* What only the peer has. Zero-initialise; 0 means default. */
typedef struct peer_omp_options {
    /* Items per loop iteration, carried by one thread through every stage
     * and then emitted in order; default opt->batch (16). */
    unsigned chunk;
    peer_omp_schedule_t schedule;
    /* Called in the ordered region every 1024 items with the count emitted
     * so far; non-zero stops the run (JF_ESTOPPED). For progress and Ctrl-C. */
    int (*poll)(void *ctx, uint64_t emitted);
    void *poll_ctx;
} peer_omp_options_t;

/* Runs stages[0..n) over opt->items items as
 *
 *     #pragma omp parallel for ordered schedule(...) num_threads(opt->cores)
 *     for (chunk c = 0; c < chunks; c++) {
 *         source(c); stage 0(c); ...; stage n-1(c);   // in parallel
 *         check(c);                                    // opt->check, in parallel
 *         #pragma omp ordered
 *         sink(c);                                     // in source order
 *     }
 *
 * with the contract of jf_pipeline_create + jf_pipeline_run: the source
 * (opt->source, or the seq stamped into the payload) and every kernel run
 * on the thread that took the chunk, out starting as a copy of in, on a
 * payload buffer of that thread; arrival_rate_per_s is honoured by waiting
 * before the source; opt->sink and the order check run in the ordered
 * region; opt->topology pins thread i to jf_topology_core_for(i).
 * Fills *result as the engine does: wall_ns, items_in/out,
 * order_preserved, threads, kernel_cpu_ns/kernel_yield_ns, path_ns,
 * latency (from the source to the ordered region) and per-stage stats
 * (batches = chunks); decisions, reallocations and parks are 0. With
 * opt->trace, result->trace has a lane per thread (home_stage -1) with a
 * BATCH_BEGIN/END pair per stage of each chunk and each thread's CPU time.
 * Returns 0; JF_EINVAL for bad arguments (as jf_pipeline_create);
 * JF_EKERNEL when a kernel, the source or the sink failed (result->failure
 * says where; the remaining chunks are skipped); JF_ESTOPPED when poll
 * asked to stop; JF_ERANGE for a chunk above 65536 or a bad arrival rate;
 * JF_ENOMEM. omp may be NULL. */
int peer_omp_run_ex(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
                  const peer_omp_options_t *omp, jf_run_result_t *result);

/* "dynamic", "static", "guided". */
const char *peer_omp_schedule_name(peer_omp_schedule_t s);

#endif /* PEER_OMP_PEER_H */
