/* decide.h - a scheduled worker's decision, the one function the engine and the simulator share. */
#ifndef JF_DECIDE_H
#define JF_DECIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "jefferson/pipeline.h"
#include "jefferson/policy.h"

/* jf__decide's answer when every stage is done. */
#define JF__DECIDE_DONE (-2)

/* How the caller reads the state of the run: the engine from its atomics,
 * the simulator from its model (which charges the cache lines read). */
typedef struct jf__decide_reader {
    /* Fills, for every stage s, views[s].queue and views[s].done, and
     * measured[s]: the mean ns per item, or -1 while unmeasured. */
    void (*stages)(void *ctx, jf_stage_view_t *views, double *measured);
    /* Fills placed[s]: the workers placed at stage s now, this one included. */
    void (*placed)(void *ctx, unsigned *placed);
} jf__decide_reader_t;

/* The question: policy, shape of the run, where the worker is placed now
 * (at, or -1), the batch it keeps in hand for a stage (hold, or -1), and
 * scratch of nstages entries for the allocation. */
typedef struct jf__decide_in {
    jf_policy_t policy;
    size_t nstages;
    unsigned nworkers;
    int at;
    int hold;         /* stage of the batch the worker keeps in hand, or -1 */
    unsigned held;    /* its items */
    unsigned *alloc;
} jf__decide_in_t;

/* Reads the stages through rd (unmeasured ones get jf_policy_prior),
 * allocates every worker with the policy, and picks this worker's stage
 * given where the others are. Fills views[] and *score (for the trace).
 * Returns the stage, -1 when no stage with input wants the worker, or
 * JF__DECIDE_DONE (placed is then not read). Moves nothing: the caller
 * places the worker.
 * Inline, and rd a static const table in the caller: the compiler then
 * calls (or inlines) the caller's readers directly, so the engine's
 * decision, once per batch, pays no indirect calls for being shared. */
static inline int jf__decide(const jf__decide_in_t *in, const jf__decide_reader_t *rd,
                             void *ctx, jf_stage_view_t *views, double *score)
{
    double measured[JF_MAX_STAGES];
    unsigned others[JF_MAX_STAGES];
    bool all_done = true;

    *score = 0;
    rd->stages(ctx, views, measured);
    double prior = jf_policy_prior(measured, in->nstages);
    for (size_t s = 0; s < in->nstages; s++)
        views[s].service_ns = measured[s] >= 0 ? measured[s] : prior;
    if (in->hold >= 0) /* the batch in hand waits for its stage as queued items do */
        views[in->hold].queue += in->held;
    jf_policy_allocate(in->policy, views, in->nstages, in->nworkers, in->alloc, score);
    for (size_t s = 0; s < in->nstages && all_done; s++)
        all_done = views[s].done;
    if (all_done)
        return JF__DECIDE_DONE;
    /* The pick weighs the other workers: this one's own place is free. A
     * worker with a batch in hand is where that batch is: its items are in
     * this core's cache, so staying with them is the cheap move. */
    rd->placed(ctx, others);
    if (in->at >= 0 && others[in->at] > 0)
        others[in->at]--;
    return jf_policy_pick(views, in->nstages, in->alloc, others, in->hold >= 0 ? in->hold : in->at);
}

#endif /* JF_DECIDE_H */
