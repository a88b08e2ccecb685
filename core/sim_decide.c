/* sim_decide.c - a simulated scheduled worker asks the engine's policy code where to go. */
#include "sim_internal.h"

/* The policy's snapshot of every stage, as scheduler.c's take_views takes
 * it: queue now, done, the EWMA service time or, for a stage not measured
 * yet, the prior of jf_policy_prior. */
static void take_views(const jf__sim_t *s, jf_stage_view_t *views)
{
    double measured[JF_MAX_STAGES];

    for (size_t st = 0; st < s->nstages; st++) {
        views[st].queue = (double)jf__sim_queue(s, st);
        views[st].done = s->stages[st].done;
        measured[st] = s->stages[st].service > 0 ? s->stages[st].service : -1;
    }
    double prior = jf_policy_prior(measured, s->nstages);
    for (size_t st = 0; st < s->nstages; st++)
        views[st].service_ns = measured[st] >= 0 ? measured[st] : prior;
}

/* scheduler.c's move_to: keeps the per-stage placement counts. */
static void move_to(jf__sim_t *s, jf__sim_worker_t *w, int to)
{
    if (to == w->at)
        return;
    if (w->at >= 0) {
        s->stages[w->at].assigned--;
        jf__sim_line_write(s, w, &s->stages[w->at].meta_line);
    }
    if (to >= 0) {
        s->stages[to].assigned++;
        jf__sim_line_write(s, w, &s->stages[to].meta_line);
    }
    w->at = to;
}

/* One decision, as jf__schedule: allocate over every worker, then pick
 * this worker's stage given where the others are. Fills views[] and
 * *score (for the trace). Returns the stage, -1 when no stage with input
 * wants the worker, or JF__SIM_ALL_DONE. */
int jf__sim_decide(jf__sim_t *s, jf__sim_worker_t *w, double *score, jf_stage_view_t *views)
{
    unsigned others[JF_MAX_STAGES];
    bool all_done = true;

    *score = 0;
    jf__sim_line_read_all(s, w);
    take_views(s, views);
    jf_policy_allocate(s->opt.policy, views, s->nstages, s->nworkers, s->alloc, score);
    for (size_t st = 0; st < s->nstages && all_done; st++)
        all_done = views[st].done;
    if (all_done)
        return JF__SIM_ALL_DONE;
    for (size_t st = 0; st < s->nstages; st++) {
        others[st] = s->stages[st].assigned;
        if ((int)st == w->at && others[st] > 0)
            others[st]--;
    }
    int to = jf_policy_pick(views, s->nstages, s->alloc, others, w->at);
    s->r->decisions++;
    if (to >= 0)
        move_to(s, w, to);
    return to;
}
