/* sim_flow.c - the simulator's source, queues and sink: credits, arrivals, done, signals. */
#include <math.h>
#include <string.h>

#include "jf_alloc.h"
#include "jefferson/error.h"
#include "options.h"
#include "sim_internal.h"

/* When item seq arrives: items come in bursts of arrival_burst, one burst
 * every ns_per_burst (flow.c's due_ns, in virtual time). */
static double due(const jf__sim_t *s, uint64_t seq)
{
    return (double)(seq / s->opt.arrival_burst) * s->ns_per_burst;
}

/* Items that have arrived by now: every burst b with b * ns_per_burst <= now.
 * The floor is corrected with the same product due() computes, so an item
 * always counts as arrived at its own due time whatever the rounding of the
 * division; otherwise an arrival event could find nothing and re-arm forever. */
static uint64_t arrived_by_now(const jf__sim_t *s)
{
    if (s->ns_per_burst <= 0)
        return s->opt.items;
    double b = floor(s->now / s->ns_per_burst);
    if (b < 0)
        b = 0;
    while ((b + 1) * s->ns_per_burst <= s->now)
        b++;
    while (b > 0 && b * s->ns_per_burst > s->now)
        b--;
    double n = (b + 1) * (double)s->opt.arrival_burst;
    return n < (double)s->opt.items ? (uint64_t)n : s->opt.items;
}

/* Items waiting at stage st: for stage 0 what the source may hand out now
 * (the engine's credit rule: seq may start once seq - window has left the
 * sink, and only once it has arrived). */
uint64_t jf__sim_queue(const jf__sim_t *s, size_t st)
{
    if (st > 0)
        return s->stages[st].count;
    uint64_t limit = s->emitted + s->window;
    uint64_t arrived = arrived_by_now(s);
    if (arrived < limit)
        limit = arrived;
    return limit > s->claimed ? limit - s->claimed : 0;
}

uint64_t jf__sim_queue_for(const jf__sim_t *s, const jf__sim_worker_t *w, size_t st)
{
    return jf__sim_queue(s, st) + (st == 0 ? jf__sim_stash(s, w) : 0);
}

uint32_t jf__sim_stash(const jf__sim_t *s, const jf__sim_worker_t *w)
{
    return w->stash_n + (s->group_claims ? s->groups[w->group].left : 0);
}

/* Keeps stage 0's `kept` counting g while it has positions left. */
static void sync_group_held(jf__sim_t *s, jf__sim_group_t *g)
{
    bool held = g->left > 0;

    if (held != g->held) {
        s->stages[0].kept = held ? s->stages[0].kept + 1 : s->stages[0].kept - 1;
        g->held = held;
    }
}

/* Claims up to `ask` source positions, as many as the credits and
 * arrivals allow: the first in *first. Returns how many. */
static uint32_t claim(jf__sim_t *s, uint64_t ask, uint64_t *first)
{
    uint64_t avail = jf__sim_queue(s, 0);

    ask = ask < avail ? ask : avail;
    *first = s->claimed;
    s->claimed += ask;
    return (uint32_t)ask;
}

/* flow.c's group claim: w takes up to max of its group's positions under
 * the group's lock; when there are none left, it claims the group's next
 * ones first (jf__group_claim_size, one write of the claim counter). */
static void group_claim(jf__sim_t *s, jf__sim_worker_t *w, uint32_t max)
{
    jf__sim_group_t *g = &s->groups[w->group];

    (void)jf__sim_line_hold(s, w, &g->claim_line, s->cm.sink_batch_ns, s->cm.sink_moved_ns);
    if (g->left == 0) {
        uint64_t ask = jf__group_claim_size(max, g->claim_busy, s->end_items,
                                            s->opt.items - s->claimed, s->ngroups, &g->take);
        uint32_t got = claim(s, ask, &g->next);
        if (got == 0)
            return;
        g->claim_busy = jf__sim_line_write(s, w, &s->stages[0].take_line);
        g->left = got;
        g->born = s->now;
    }
    uint32_t n = max < g->left ? max : g->left;
    if (n > g->take) /* near the end: a member's share */
        n = (uint32_t)g->take;
    w->stash_first = g->next;
    w->stash_n = n;
    w->stash_born = g->born;
    g->next += n;
    g->left -= n;
    sync_group_held(s, g);
}

void jf__sim_sync_held(jf__sim_t *s, jf__sim_worker_t *w)
{
    bool stash = w->stash_n > 0, sink = w->sink_n > 0;

    if (stash != w->stash_held) {
        s->stages[0].kept = stash ? s->stages[0].kept + 1 : s->stages[0].kept - 1;
        w->stash_held = stash;
    }
    if (sink != w->sink_held) {
        jf__sim_stage_t *last = &s->stages[s->nstages - 1];
        last->kept = sink ? last->kept + 1 : last->kept - 1;
        w->sink_held = sink;
    }
}

/* worker.c's take_source: up to max items from w's positions claimed
 * ahead, else from a claim (jf__claim_size) whose rest w keeps. */
static uint32_t take_source(jf__sim_t *s, jf__sim_worker_t *w, uint32_t max)
{
    if (w->stash_n == 0 && s->group_claims) {
        group_claim(s, w, max);
    } else if (w->stash_n == 0) {
        uint64_t ask = jf__claim_size(max, w->claim_busy, s->end_batches, s->end_items,
                                      s->opt.items - s->claimed, s->nworkers);
        w->stash_n = claim(s, ask, &w->stash_first);
        w->stash_born = s->now;
    }
    uint32_t n = max < w->stash_n ? max : w->stash_n;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t seq = w->stash_first + i;
        w->seqs[i] = seq;
        /* Latency counts from arrival (the claim, or the item's due time):
         * a late source does not hide queueing. */
        s->born[seq & (s->window - 1)] = s->ns_per_burst > 0 ? due(s, seq) : w->stash_born;
    }
    w->stash_first += n;
    w->stash_n -= n;
    jf__sim_sync_held(s, w);
    return n;
}

/* Takes up to max items at stage st into w's batch; *foreign counts those
 * another core pushed. The source's items are new: never foreign. */
uint32_t jf__sim_take(jf__sim_t *s, size_t st, jf__sim_worker_t *w, uint32_t max,
                      uint32_t *foreign)
{
    *foreign = 0;
    if (st == 0)
        return take_source(s, w, max);
    jf__sim_stage_t *q = &s->stages[st];
    uint32_t n = q->count < max ? (uint32_t)q->count : max;
    uint64_t *seqs = w->seqs;

    for (uint32_t i = 0; i < n; i++) {
        uint64_t at = (q->head + i) & (q->cap - 1);
        seqs[i] = q->ring[at];
        *foreign += q->from[at] != w->core;
    }
    q->head = (q->head + n) & (q->cap - 1);
    q->count -= n;
    return n;
}

/* Doubles a stage's ring. Items in flight never exceed the window, so a
 * ring grows at most to the window, and only as far as queues really get. */
static int grow_ring(jf__sim_stage_t *q)
{
    uint64_t cap = q->cap ? 2 * q->cap : 64;
    uint64_t *ring = jf_calloc(cap, sizeof(*ring));
    uint16_t *from = jf_calloc(cap, sizeof(*from));

    if (ring == NULL || from == NULL) {
        jf_free(ring);
        jf_free(from);
        return JF_ENOMEM;
    }
    for (uint64_t i = 0; i < q->count; i++) {
        ring[i] = q->ring[(q->head + i) & (q->cap - 1)];
        from[i] = q->from[(q->head + i) & (q->cap - 1)];
    }
    jf_free(q->ring);
    jf_free(q->from);
    q->ring = ring;
    q->from = from;
    q->cap = cap;
    q->head = 0;
    return 0;
}

/* The engine's jf__wake_for_stage: one fixed worker of stage st, one of the lot. */
static void wake_for_stage(jf__sim_t *s, size_t st)
{
    if (st < s->nstages)
        jf__sim_wake_one(s, &s->stages[st].parked);
    jf__sim_wake_one(s, &s->lot);
}

uint32_t jf__sim_count_runs(const jf__sim_t *s, const uint64_t *seqs, uint32_t n)
{
    uint64_t mask = s->window - 1;
    uint32_t runs = n > 0;

    for (uint32_t i = 1; i < n; i++)
        runs += seqs[i] != seqs[i - 1] + 1 || s->born[seqs[i] & mask] != s->born[seqs[i - 1] & mask];
    return runs;
}

void jf__sim_sink_accept(jf__sim_t *s, jf__sim_worker_t *w, const uint64_t *seqs, uint32_t n)
{
    w->handed = n;
    w->handed_runs = jf__sim_count_runs(s, seqs, n);
    uint64_t mask = s->window - 1;
    uint64_t before = s->emitted;

    for (uint32_t i = 0; i < n; i++) {
        uint64_t seq = seqs[i];
        if (seq < s->emitted || seq - s->emitted >= s->window || s->arrived[seq & mask]) {
            s->order_ok = false; /* a model bug: an item twice or from nowhere */
            jf__sim_fail(s, JF_EORDER);
            return;
        }
        s->arrived[seq & mask] = 1;
    }
    uint64_t now = jf__sim_ns(s->now);
    while (s->arrived[s->emitted & mask]) {
        uint64_t born = jf__sim_ns(s->born[s->emitted & mask]);
        s->arrived[s->emitted & mask] = 0;
        jf__latency_record(s->latency, now > born ? now - born : 0);
        s->emitted++;
    }
    if (s->emitted != before)
        wake_for_stage(s, 0); /* credits freed: the source can go on */
}

/* Hands the batches w keeps for the sink over. */
static void hand_over(jf__sim_t *s, jf__sim_worker_t *w)
{
    jf__sim_sink_deliver(s, w, w->sink_seqs, w->sink_n);
    w->sink_n = 0;
    w->sink_batches = 0;
}

/* Hands w's finished batch of stage st to the next stage or the sink; to
 * the sink, with many workers, several batches at a time (worker.c). */
bool jf__sim_pass_on(jf__sim_t *s, size_t st, jf__sim_worker_t *w)
{
    const uint64_t *seqs = w->seqs;
    uint32_t n = w->n;

    if (st + 1 == s->nstages) {
        if (w->sink_seqs == NULL) {
            jf__sim_sink_deliver(s, w, seqs, n);
            return true;
        }
        memcpy(w->sink_seqs + w->sink_n, seqs, n * sizeof *seqs);
        w->sink_n += n;
        w->sink_batches++;
        bool hand = jf__hand_over_due(w->sink_busy, w->sink_batches, s->end_batches, w->sink_n,
                                      s->end_items);
        if (hand)
            hand_over(s, w);
        jf__sim_sync_held(s, w);
        return hand;
    }
    jf__sim_stage_t *q = &s->stages[st + 1];
    while (q->count + n > q->cap) {
        if (grow_ring(q) != 0) {
            jf__sim_fail(s, JF_ENOMEM);
            return false;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t at = (q->head + q->count + i) & (q->cap - 1);
        q->ring[at] = seqs[i];
        q->from[at] = (uint16_t)w->core; /* cores <= 1024 */
    }
    q->count += n;
    wake_for_stage(s, st + 1);
    return true;
}

bool jf__sim_flush_sink(jf__sim_t *s, jf__sim_worker_t *w)
{
    if (w->sink_n == 0)
        return false;
    hand_over(s, w);
    jf__sim_sync_held(s, w);
    jf__sim_check_done(s, w, s->nstages - 1);
    return true;
}

/* Workers on core c: worker i is pinned to core i % cores. */
static unsigned workers_on(const jf__sim_t *s, uint32_t c)
{
    return s->nworkers / s->ncores + (c < s->nworkers % s->ncores);
}

/* The `holding` lines on other cores that flow.c's stage_held reads: it
 * stops at the first worker that holds a batch of the stage, on average
 * after (n + 1) / (h + 1) of the n workers when h of them hold one; all of
 * them when none does. */
static unsigned holding_lines_read(const jf__sim_t *s, const jf__sim_worker_t *w,
                                   unsigned holders)
{
    unsigned others = s->nworkers - workers_on(s, w->core);
    unsigned upto = holders == 0 ? others : (s->nworkers + holders) / (holders + 1);

    return upto < others ? upto : others;
}

void jf__sim_run_complete(jf__sim_t *s, jf__sim_worker_t *w)
{
    for (size_t st = 0; st < s->nstages; st++)
        s->stages[st].done = true;
    if (!s->finished) {
        s->finished = true;
        s->end = s->now + (w != NULL ? w->owed : 0);
    }
}

/* flow.c's jf__stage_check_done: a stage is done when its upstream is done,
 * its input is empty and nobody holds a batch of it; the news runs down.
 * Past "exhausted" the engine reads the workers' `holding` up to the first
 * that holds a batch of the stage. */
void jf__sim_check_done(jf__sim_t *s, jf__sim_worker_t *w, size_t st)
{
    for (; st < s->nstages; st++) {
        jf__sim_stage_t *q = &s->stages[st];
        if (q->done)
            continue;
        bool exhausted = st == 0 ? s->claimed >= s->opt.items
                                 : s->stages[st - 1].done && q->count == 0;
        if (!exhausted)
            return;
        unsigned holders = q->active + q->kept;
        if (w != NULL) /* the lines of workers on other cores travel */
            jf__sim_line_scan(s, w, holding_lines_read(s, w, holders));
        if (holders > 0)
            return;
        if (st + 1 == s->nstages) {
            jf__sim_run_complete(s, w); /* when the checker has read the lines */
            return;
        }
        q->done = true;
        /* As the engine: every sleeper re-checks, so all workers of the
         * next stage see it is done once it drains. */
        for (size_t i = 0; i < s->nstages; i++)
            jf__sim_wake_all(s, &s->stages[i].parked);
        jf__sim_wake_all(s, &s->lot);
    }
}

bool jf__sim_any_ready(const jf__sim_t *s)
{
    for (size_t st = 0; st < s->nstages; st++)
        if (!s->stages[st].done && jf__sim_queue(s, st) > 0)
            return true;
    return false;
}

/* Parks w at the tail of l. A worker that can take from the source also
 * needs the next arrival to wake it: nobody pushes arrivals. */
void jf__sim_park_list_add(jf__sim_t *s, jf__sim_list_t *l, jf__sim_worker_t *w)
{
    w->state = JF__SIM_PARKED;
    w->next = JF__SIM_NIL;
    if (l->head == JF__SIM_NIL)
        l->head = w->id;
    else
        s->workers[l->tail].next = w->id;
    l->tail = w->id;
    if (w->home <= 0)
        jf__sim_arm_arrival(s);
}

/* Signals the longest-parked worker of l: it looks for work after wake_ns. */
void jf__sim_wake_one(jf__sim_t *s, jf__sim_list_t *l)
{
    if (l->head == JF__SIM_NIL)
        return;
    jf__sim_worker_t *w = &s->workers[l->head];
    l->head = w->next;
    if (l->head == JF__SIM_NIL)
        l->tail = JF__SIM_NIL;
    w->next = JF__SIM_NIL;
    w->state = JF__SIM_WAKING;
    jf__sim_timer(s, w, s->now + s->cm.wake_ns);
}

void jf__sim_wake_all(jf__sim_t *s, jf__sim_list_t *l)
{
    while (l->head != JF__SIM_NIL)
        jf__sim_wake_one(s, l);
}

/* Schedules an arrival event for the next burst not yet arrived, once. */
void jf__sim_arm_arrival(jf__sim_t *s)
{
    if (s->ns_per_burst <= 0 || s->claimed >= s->opt.items)
        return;
    double t = due(s, s->claimed);
    if (t <= s->now || t == s->arrival_armed)
        return;
    s->arrival_armed = t;
    jf__sim_push_event(s, t, (uint64_t)JF__SIM_EV_ARRIVAL << 32, 0);
}

/* A burst arrived: every parked worker that can take from the source looks
 * (in the engine they all time their sleep to the due time). */
void jf__sim_arrival(jf__sim_t *s)
{
    if (s->now != s->arrival_armed)
        return; /* superseded by a later arming */
    s->arrival_armed = -1;
    jf__sim_wake_all(s, &s->stages[0].parked);
    jf__sim_wake_all(s, &s->lot);
}
