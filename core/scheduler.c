/* scheduler.c - a scheduled worker asks the policy where to go next. */
#include "decide.h"
#include "jf_clock.h"
#include "pipeline_internal.h"

static double service_ns(const jf__stage_t *st)
{
    double mean = jf__stage_service(st);

    return mean > 0 ? mean : -1; /* -1: not measured yet */
}

/* The engine's reading of the stages jf__decide asks for. */
static void read_stages(void *ctx, const unsigned char *which, jf_stage_view_t *views,
                        double *measured, unsigned *placed)
{
    struct jf_pipeline *p = ctx;

    for (size_t s = 0; s < p->nstages; s++) {
        if (!which[s])
            continue;
        /* Acquire: pairs with the seq_cst exchange that marks the stage
         * done (flow.c): the queue read after it holds the stage's last
         * pushes. */
        views[s].done = atomic_load_explicit(&p->stages[s].done, memory_order_acquire);
        views[s].queue = (double)jf__stage_queue(p, s);
        measured[s] = service_ns(&p->stages[s]);
        /* Relaxed: `assigned` is advice; a stale count only makes one
         * choice slightly worse, never wrong. */
        placed[s] = atomic_load_explicit(&p->stages[s].assigned, memory_order_relaxed);
    }
}

static const jf__decide_reader_t reader = {read_stages};

static void move_to(jf__worker_t *w, int to)
{
    struct jf_pipeline *p = w->p;

    if (to == w->at)
        return;
    /* Relaxed: `assigned` is advice for other workers' choices; a stale
     * read only makes one decision slightly worse, never wrong. */
    if (w->at >= 0)
        atomic_fetch_sub_explicit(&p->stages[w->at].assigned, 1, memory_order_relaxed);
    if (to >= 0)
        atomic_fetch_add_explicit(&p->stages[to].assigned, 1, memory_order_relaxed);
    w->at = to;
}

int jf__schedule(jf__worker_t *w, jf__decision_t *d)
{
    struct jf_pipeline *p = w->p;
    jf__decide_in_t in = {p->opt.policy, p->nstages,  p->nworkers,
                          w->at,         w->carry_stage, (unsigned)w->carry_n,
                          (unsigned)jf__stash(w), w->alloc};

    d->t_ns = w->lane.events != NULL ? jf_clock_ns() : 0; /* only the trace uses it */
    d->to = jf__decide(&in, &reader, p, w->snap, d->views, &d->score);
    if (d->to == JF__DECIDE_DONE)
        return d->to;
    w->decisions++;
    /* Running the batch in hand is no move: the worker stays placed where
     * it was and carries the batch along, as a TBB thread carries its
     * token; moving it would write two stages' shared counters per hop. */
    d->carry = w->carry_n > 0 && d->to == w->carry_stage;
    if (d->to >= 0 && !d->carry)
        move_to(w, d->to);
    return d->to;
}

void jf__unplace(jf__worker_t *w)
{
    move_to(w, JF_NO_STAGE);
}

void jf__place(jf__worker_t *w, int s)
{
    move_to(w, s);
}

void jf__trace_decision(jf__worker_t *w, const jf__decision_t *d)
{
    struct jf_pipeline *p = w->p;

    if (w->lane.events == NULL)
        return;
    /* "from" is where the worker last ran a batch, as the lane shows it. */
    int from = w->last_stage;

    jf__trace_flagged(w, JF_EV_DECIDE, d->to, from < 0 ? JF_TRACE_NONE : (uint32_t)from,
                      d->score, d->t_ns, d->carry ? JF_EV_CARRIED : 0);
    /* Only stages whose depth or service time changed since this worker's
     * last decision: the rest are as its lane last said. With many stages
     * most are idle, and this keeps a lane's size near its work. */
    for (size_t s = 0; s < p->nstages; s++) {
        uint32_t depth = (uint32_t)d->views[s].queue;
        if (depth == w->seen_depth[s] && d->views[s].service_ns == w->seen_service[s])
            continue;
        w->seen_depth[s] = depth;
        w->seen_service[s] = d->views[s].service_ns;
        jf__trace(w, JF_EV_QDEPTH, (int)s, depth, d->views[s].service_ns, d->t_ns);
    }
}
