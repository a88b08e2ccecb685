/* sim_group.c - end groups: their set-up, and hand-overs to the sink
 * through them, as sink.c's (claims through them: sim_flow.c).
 *
 * A hand-over takes its group's lock (a line its members write). With no
 * member emitting, the worker becomes the group's flusher: it takes the
 * sink's lock for its own runs and then, round after round, for every run
 * its members handed the group meanwhile, until a round finds none; it is
 * in the FLUSH state, on its core, until then. With a flusher at work, a
 * hand-over only leaves its items in the group's pending list (up to
 * JF_SINK_GROUP_RUNS runs; beyond, it takes the sink's lock itself). A
 * round's items are sorted, so that runs of one claim that different
 * members handed over become one run again, as the engine merges them.
 * The flusher counts among the last stage's holders while it flushes: the
 * items in the pending list are in its hands (flow.c's done check). */
#include <stdlib.h>
#include <string.h>

#include "jefferson/error.h"
#include "jf_alloc.h"
#include "options.h"
#include "sim_internal.h"

int jf__sim_groups_init(jf__sim_t *s)
{
    s->ngroups = jf__end_groups(s->nworkers);
    s->group_claims = jf__group_claims(s->ngroups, s->nworkers, s->ncores);
    for (unsigned i = 0; i < s->nworkers; i++)
        s->workers[i].group = s->ngroups > 0 ? i / JF_END_GROUP : JF__SIM_NIL;
    if (s->ngroups == 0)
        return 0;
    s->groups = jf_calloc(s->ngroups, sizeof(*s->groups));
    if (s->groups == NULL)
        return JF_ENOMEM;
    for (unsigned g = 0; g < s->ngroups; g++) {
        jf__sim_line_init(&s->groups[g].line);
        jf__sim_line_init(&s->groups[g].claim_line);
        s->groups[g].flusher = JF__SIM_NIL;
    }
    return 0;
}

void jf__sim_groups_fini(jf__sim_t *s)
{
    for (unsigned g = 0; s->groups != NULL && g < s->ngroups; g++)
        jf_free(s->groups[g].pending);
    jf_free(s->groups);
}

/* w takes and lets go of its group's lock, over a short copy: the same
 * serial part as a hand-over that found the sink's lines warm or not.
 * Returns whether w found the lock's line busy. */
static bool group_lock(jf__sim_t *s, jf__sim_worker_t *w, jf__sim_group_t *g)
{
    return jf__sim_line_hold(s, w, &g->line, s->cm.sink_batch_ns, s->cm.sink_moved_ns);
}

static bool append(jf__sim_t *s, jf__sim_group_t *g, const uint64_t *seqs, uint32_t n)
{
    if (g->n + n > g->cap) {
        uint32_t cap = g->cap > 0 ? g->cap : 1024;
        while (cap < g->n + n)
            cap *= 2;
        uint64_t *grown = jf_calloc(cap, sizeof(*grown));
        if (grown == NULL) {
            jf__sim_fail(s, JF_ENOMEM);
            return false;
        }
        if (g->n > 0)
            memcpy(grown, g->pending, g->n * sizeof(*grown));
        jf_free(g->pending);
        g->pending = grown;
        g->cap = cap;
    }
    memcpy(g->pending + g->n, seqs, n * sizeof(*seqs));
    g->n += n;
    return true;
}

/* w emits seqs[0..n) under the sink's lock. A worker that hands its own
 * items over has their sink work in its overheads already (jf_sim.h);
 * a flusher works for its group round after round, and a round begins
 * when the last one's serial part is over: it owes that part too. */
static bool emit(jf__sim_t *s, jf__sim_worker_t *w, const uint64_t *seqs, uint32_t n)
{
    double held = 0;

    jf__sim_sink_accept(s, w, seqs, n);
    bool busy = jf__sim_sink_write(s, w, &held);
    if (w->flushing)
        w->owed += held;
    if (s->emitted == s->opt.items) /* sink.c: every item is out, the run is over */
        jf__sim_run_complete(s, w);
    return busy;
}

void jf__sim_sink_deliver(jf__sim_t *s, jf__sim_worker_t *w, const uint64_t *seqs, uint32_t n)
{
    if (w->group == JF__SIM_NIL) {
        w->sink_busy = emit(s, w, seqs, n);
        return;
    }
    jf__sim_group_t *g = &s->groups[w->group];
    bool busy = group_lock(s, w, g);
    uint32_t runs = jf__sim_count_runs(s, seqs, n);

    if (g->flusher == JF__SIM_NIL) {
        g->flusher = w->id;
        w->flushing = true;
        s->stages[s->nstages - 1].kept++;
        w->sink_busy = emit(s, w, seqs, n) || busy;
        return;
    }
    if (g->runs + runs > JF_SINK_GROUP_RUNS) { /* the list is full: by itself */
        w->sink_busy = emit(s, w, seqs, n) || busy;
        return;
    }
    if (append(s, g, seqs, n))
        g->runs += runs;
    w->sink_busy = busy;
}

static int seq_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

void jf__sim_group_flush(jf__sim_t *s, jf__sim_worker_t *w)
{
    jf__sim_group_t *g = &s->groups[w->group];

    (void)group_lock(s, w, g); /* to take the list, or to say it is done */
    if (g->n > 0) {
        qsort(g->pending, g->n, sizeof(*g->pending), seq_order);
        uint32_t n = g->n;
        g->n = 0;
        g->runs = 0;
        (void)emit(s, w, g->pending, n);
    } else {
        g->flusher = JF__SIM_NIL;
        w->flushing = false;
        s->stages[s->nstages - 1].kept--;
        w->state = JF__SIM_FREE;
        jf__sim_check_done(s, w, s->nstages - 1);
    }
    jf__sim_next_step(s, w); /* the next round while it flushes */
}
