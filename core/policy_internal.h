/* policy_internal.h - what jf_policy.c shares with the apportionment (policy_apportion.c). */
#ifndef JF_POLICY_INTERNAL_H
#define JF_POLICY_INTERNAL_H

#include <math.h>
#include <stddef.h>

#include "jefferson/policy.h"

/* A stage's votes, queue * service_ns. A product that is not a number
 * (0 * inf from an overflowed mean, or a NaN in the view) counts as no work:
 * NaN compares false both ways, so one among the merits would keep every
 * seat whatever the other stages hold. */
static inline double jf__policy_votes(const jf_stage_view_t *stage)
{
    double v = stage->queue * stage->service_ns;

    return isnan(v) ? 0.0 : v;
}

/* The allocation of `workers` seats over the live stages of stages[n]
 * (n <= JF_POLICY_MAX_STAGES) that handing them out one at a time to the
 * largest merit, ties to the earlier stage, reaches; computed without a
 * loop over the seats. alloc[n] must be zeroed by the caller; done stages
 * keep 0. Returns the merit of the last seat given (0 when none). */
double jf__policy_apportion(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                            unsigned workers, unsigned *alloc);

#endif /* JF_POLICY_INTERNAL_H */
