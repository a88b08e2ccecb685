/* sim_decide.c - a simulated scheduled worker asks the engine's decision (decide.c) where to go. */
#include "decide.h"
#include "sim_internal.h"

/* What jf__decide reads: the model's state, through w's eyes. */
typedef struct reading {
    jf__sim_t *s;
    jf__sim_worker_t *w;
} reading_t;

/* The stages jf__decide asks for, as the engine reads them: done, queue
 * now, the EWMA service time (-1 while unmeasured), placement. Reading
 * them costs w the lines of those stages that other cores wrote since it
 * last read them (sim_line.c). */
static void read_stages(void *ctx, const unsigned char *which, jf_stage_view_t *views,
                        double *measured, unsigned *placed)
{
    reading_t *rd = ctx;
    jf__sim_t *s = rd->s;

    jf__sim_line_read(s, rd->w, which);
    for (size_t st = 0; st < s->nstages; st++) {
        if (!which[st])
            continue;
        views[st].queue = (double)jf__sim_queue(s, st);
        views[st].done = s->stages[st].done;
        measured[st] = s->stages[st].service > 0 ? s->stages[st].service : -1;
        placed[st] = s->stages[st].assigned;
    }
}

static const jf__decide_reader_t reader = {read_stages};

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

int jf__sim_decide(jf__sim_t *s, jf__sim_worker_t *w, double *score, jf_stage_view_t *views)
{
    jf__decide_in_t in = {s->opt.policy, s->nstages, s->nworkers, w->at,
                          w->carry,      w->n,       jf__sim_stash(s, w), s->alloc};
    reading_t rd = {s, w};
    int to = jf__decide(&in, &reader, &rd, w->snap, views, score);

    if (to == JF__DECIDE_DONE)
        return to;
    s->r->decisions++;
    if (to >= 0 && to != w->carry) /* the batch in hand: no move (scheduler.c) */
        move_to(s, w, to);
    return to;
}

void jf__sim_unplace(jf__sim_t *s, jf__sim_worker_t *w)
{
    move_to(s, w, -1);
}
