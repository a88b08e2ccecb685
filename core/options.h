/* options.h - run defaults and the service-time estimate, shared by the
 * engine and the simulator so that a simulated run is the engine's run. */
#ifndef JF_OPTIONS_H
#define JF_OPTIONS_H

#include <stddef.h>

#include "jf_pipeline.h"

#define JF_DEFAULT_BATCH 16
#define JF_DEFAULT_ITEM_BYTES 64

/* Fills the defaults of DESIGN.md into *o for a run of nstages stages
 * (batch, item bytes, burst, the in-flight window rounded to a power of
 * two) and checks the rest. Does not bound cores from above: the engine
 * and the simulator have their own limits. Returns 0, JF_EINVAL (cores 0,
 * items 0, unknown strategy or policy) or JF_ERANGE (batch, window, slab
 * or arrival rate beyond what the engine accepts). */
int jf__settle_options(jf_run_options_t *o, size_t nstages);

/* The running mean service time per item after one more batch's sample:
 * an exponentially weighted mean, weight 1/4 per batch, so a phase change
 * shows within a few batches. mean <= 0 means "not measured yet". The
 * result stays above 0, so "measured" remains distinct from unmeasured. */
static inline double jf__service_update(double mean, double sample_ns)
{
    double next = mean <= 0 ? sample_ns : mean + (sample_ns - mean) / 4.0;

    return next <= 0 ? 1e-3 : next;
}

#endif /* JF_OPTIONS_H */
