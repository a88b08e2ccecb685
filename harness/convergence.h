/* convergence.h - how fast the scheduler follows a workload's phase changes, from a trace. */
#ifndef BENCH_CONVERGENCE_H
#define BENCH_CONVERGENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jefferson/trace.h"
#include "workloads/workload.h"

/* A phase: from the item after_items on, until the next phase (or the end
 * of stage 0's work). Its optimum gives stage s a share of the workers in
 * proportion to the stage's mean cost in the phase. */
typedef struct bench_convergence {
    uint64_t after_items;  /* the phase's first item; 0 for the run's start */
    uint64_t at_ns;        /* when stage 0 began that item */
    uint64_t end_ns;       /* where the phase's window ends */
    bool converged;        /* the allocation settled within one worker of the optimum */
    uint64_t batches;      /* batches begun from at_ns until it settled */
    uint64_t ns;           /* time from at_ns until it settled */
    double held;           /* share of the rest of the window it stayed within one worker */
    double moves_per_s;    /* workers moving between stages once settled */
    double late_gap;       /* in the window's second half, the time-weighted mean of
                            * the largest distance of a stage's workers from its share */
    /* The same by time shares: each stage's workers averaged over a span
     * of a few passes through the pipeline (convergence.c, measure_shares),
     * which a worker that carries its batch from stage to stage keeps
     * while its position at any instant does not. */
    bool share_converged;
    uint64_t share_batches;  /* batches begun from at_ns until it settled */
    uint64_t share_ns;       /* time from at_ns until it settled (the window when never) */
    uint64_t share_span_ns;  /* the span the averages are taken over */
    double share_moves_per_s; /* workers moving between stages once settled */
    double share_late_gap;   /* late_gap of the averages */
} bench_convergence_t;

#define BENCH_CONVERGENCE_MAX 64 /* phases measured at most */

/* Measures each phase of workload w in trace t of a run with `workers`
 * workers into out[0..*n): the first time t* after the phase began from
 * which every stage's worker count (each worker counted at the stage of
 * its last decision or batch, none while parked) stays within one worker
 * of the stage's share of the optimum for at least 95% of the rest of the
 * phase's window, with at least a quarter of the window left; the batches and nanoseconds until t*; the moves per
 * second after it. Returns 0, or JF_ENOMEM. */
int bench_convergence_measure(const jf_trace_t *t, const workload_t *w, unsigned workers,
                           bench_convergence_t *out, size_t *n);

#endif /* BENCH_CONVERGENCE_H */
