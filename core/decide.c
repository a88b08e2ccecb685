/* decide.c - where a scheduled worker goes next: the policy over a snapshot of the stages. */
#include "decide.h"

#include "jf_pipeline.h"

int jf__decide(const jf__decide_in_t *in, const jf__decide_reader_t *rd, void *ctx,
               jf_stage_view_t *views, double *score)
{
    double measured[JF_MAX_STAGES];
    unsigned others[JF_MAX_STAGES];
    bool all_done = true;

    *score = 0;
    rd->stages(ctx, views, measured);
    double prior = jf_policy_prior(measured, in->nstages);
    for (size_t s = 0; s < in->nstages; s++)
        views[s].service_ns = measured[s] >= 0 ? measured[s] : prior;
    jf_policy_allocate(in->policy, views, in->nstages, in->nworkers, in->alloc, score);
    for (size_t s = 0; s < in->nstages && all_done; s++)
        all_done = views[s].done;
    if (all_done)
        return JF__DECIDE_DONE;
    /* The pick weighs the other workers: this one's own place is free. */
    rd->placed(ctx, others);
    if (in->at >= 0 && others[in->at] > 0)
        others[in->at]--;
    return jf_policy_pick(views, in->nstages, in->alloc, others, in->at);
}
