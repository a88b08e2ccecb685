/* slow.h - JF_TEST_SLOW_POLICY: a deliberately slow scheduler, for tests of perf-check only. */
#ifndef BENCH_SLOW_H
#define BENCH_SLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "jefferson/pipeline.h"
#include "workloads/workload.h"

/* CPU time a slowed decision costs: charged once per `batch` items at
 * every stage of the scheduled strategy (about once per batch, so once per
 * decision), on top of the item's own work. Large enough to slow the
 * built-in workloads by well over the 50% perf-check's wall-time threshold. */
#define BENCH_SLOW_DECISION_NS 100000.0

/* The stage kernels of one workload with the slow decision added. */
typedef struct bench_slow_stage {
    jf_kernel_fn fn;   /* the workload's kernel */
    void *ctx;
    uint64_t iterations; /* spin iterations worth BENCH_SLOW_DECISION_NS */
    unsigned batch;
} bench_slow_stage_t;

typedef struct bench_slow {
    size_t nstages;
    jf_stage_spec_t specs[JF_MAX_STAGES]; /* the workload's, each kernel wrapped */
    bench_slow_stage_t stages[JF_MAX_STAGES];
    const workload_t *workload;        /* for the simulator's cost */
    unsigned batch;
} bench_slow_t;

/* Whether the environment asks for the slow scheduler: JF_TEST_SLOW_POLICY
 * set to anything but "" or "0". Read by the run command once, before
 * anything runs; nothing in core/ looks at it. */
bool bench_slow_requested(void);

/* Fills *slow with wrapped copies of specs[0..n-1] (w, specs and their
 * contexts must outlive it): each wrapper calls the stage's kernel, then
 * spins BENCH_SLOW_DECISION_NS of CPU for every item whose seq is a multiple
 * of batch. Calibrates the spin kernel (workload_spin_calibrate) on first use. */
void bench_slow_init(bench_slow_t *slow, const jf_stage_spec_t *specs, size_t n,
                  const workload_t *w, unsigned batch);

/* The simulator's cost with the same slow decision (a jf_cost_fn; ctx is
 * a bench_slow_t): workload_item_ns plus BENCH_SLOW_DECISION_NS when seq is a
 * multiple of the batch. */
double bench_slow_cost(void *ctx, size_t stage, uint64_t seq);

#endif /* BENCH_SLOW_H */
