/* result_totals.h - the figures every runner derives from its per-stage sums (internal):
 * the engine, the simulator and the peers alike, so that a result means the same
 * whoever filled it. */
#ifndef JF_RESULT_TOTALS_H
#define JF_RESULT_TOTALS_H

#include <stdbool.h>
#include <stddef.h>

#include "jefferson/pipeline.h"

/* Stage s of r has its items, kernel_ns and max_item_ns summed: sets its
 * mean service time and adds it to the run's kernel time (CPU or yielding)
 * and to the slowest item's path. Call once per stage. */
static inline void jf__stage_totals(jf_run_result_t *r, size_t s, bool yields)
{
    jf_stage_stats_t *d = &r->stages[s];

    d->mean_service_ns = d->items ? (double)d->kernel_ns / (double)d->items : 0;
    if (yields)
        r->kernel_yield_ns += d->kernel_ns;
    else
        r->kernel_cpu_ns += d->kernel_ns;
    r->path_ns += d->max_item_ns;
}

#endif /* JF_RESULT_TOTALS_H */
