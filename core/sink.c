/* sink.c - the sink: items back in source order, one hand-over at a time.
 *
 * The sink is the run's serial part: whatever it does per item, no number
 * of workers overlaps. So a hand-over does its per-item work before it
 * takes the lock: it cuts its items into runs of consecutive seqs that
 * share an arrival time (a claim's items do), and under the lock each run
 * costs the same whether it holds one item or a thousand. A run next in
 * order is emitted at once; any other waits in the reorder window as one
 * entry, its length at its first slot, until the runs before it come. The
 * window's per-item flags (`arrived`) catch an item twice or from outside
 * the window, a byte an item, by memchr and memset. Only a sink hook, which
 * must see the items one at a time in order, is called per item inside.
 *
 * With many workers and no sink hook, even one lock transfer per
 * hand-over is too many: the workers hand over in groups of neighbours
 * (options.h, JF_END_GROUP), and one member at a time takes the sink's
 * lock for everything its group handed over meanwhile (group_hand_over). */
#include <stdlib.h>
#include <string.h>

#include "jf_clock.h"
#include "jefferson/error.h"
#include "options.h"
#include "pipeline_internal.h"

/* The flags of [first, first + n) in the window (which may wrap). */
static bool flags_any(const struct jf_pipeline *p, uint64_t first, uint64_t n)
{
    uint64_t at = first & (p->window - 1), head = p->window - at < n ? p->window - at : n;

    return memchr(p->arrived + at, 1, head) != NULL ||
           (n > head && memchr(p->arrived, 1, n - head) != NULL);
}

static void flags_set(struct jf_pipeline *p, uint64_t first, uint64_t n, unsigned char v)
{
    uint64_t at = first & (p->window - 1), head = p->window - at < n ? p->window - at : n;

    memset(p->arrived + at, v, head);
    if (n > head)
        memset(p->arrived, v, n - head);
}

/* Cuts items[0..n) into runs of consecutive seqs with one arrival time,
 * into w->sink_runs. Outside the lock: an item's arrival time stays in
 * `born` until the item is emitted. Returns the number of runs. */
static size_t cut_runs(jf__worker_t *w, const jf_item_t *items, size_t n)
{
    const struct jf_pipeline *p = w->p;
    uint64_t mask = p->window - 1;
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        jf__sink_run_t *r = &w->sink_runs[k > 0 ? k - 1 : 0];
        uint64_t born = atomic_load_explicit(&p->born[items[i].seq & mask], memory_order_relaxed);
        if (k > 0 && items[i].seq == r->first + r->n && born == r->born) {
            r->n++;
            continue;
        }
        w->sink_runs[k++] = (jf__sink_run_t){items[i].seq, 1, born, i};
    }
    return k;
}

/* Calls the sink hook on items[0..n), in order; *done: how many it
 * accepted. Returns 0, or JF_EKERNEL with the item and the code in *bad
 * and *code. */
static int call_hook(struct jf_pipeline *p, const jf_item_t *items, uint64_t n, uint64_t *done,
                     uint64_t *bad, int *code)
{
    for (*done = 0; *done < n; ++*done) {
        if ((*code = p->opt.sink(p->opt.sink_ctx, &items[*done])) != 0) {
            *bad = items[*done].seq;
            return JF_EKERNEL;
        }
    }
    return 0;
}

/* The same on the window's copies of [first, first + n), checking that
 * each slot holds the item it should (JF_EORDER if not). */
static int call_hook_window(struct jf_pipeline *p, uint64_t first, uint64_t n, uint64_t *done,
                            uint64_t *bad, int *code)
{
    for (*done = 0; *done < n; ++*done) {
        const jf_item_t *it = &p->reorder[(first + *done) & (p->window - 1)];
        uint64_t one;
        if (it->seq != first + *done)
            return JF_EORDER;
        if (call_hook(p, it, 1, &one, bad, code) != 0)
            return JF_EKERNEL;
    }
    return 0;
}

/* Emits [first, first + n), next in order, at now: into w's latency
 * histogram. */
static void emit(jf__worker_t *w, uint64_t first, uint64_t n, uint64_t born, uint64_t now)
{
    jf__latency_record_n(w->latency, now > born ? now - born : 0, n);
    w->p->next_emit = first + n;
}

/* Takes run r of items into the sink: emits it when it is next, else
 * keeps it in the window. Caller holds sink_lock. */
static int take_run(jf__worker_t *w, const jf__sink_run_t *r, const jf_item_t *items,
                    uint64_t now, uint64_t *bad, int *code)
{
    struct jf_pipeline *p = w->p;
    uint64_t mask = p->window - 1;

    /* Before what was emitted, beyond the window, or over items already
     * waiting: an item duplicated or from nowhere. */
    if (r->first < p->next_emit || r->first + r->n - p->next_emit > p->window ||
        flags_any(p, r->first, r->n))
        return JF_EORDER;
    if (r->first == p->next_emit) {
        uint64_t done = r->n;
        int rc = p->opt.sink != NULL ? call_hook(p, items + r->at, r->n, &done, bad, code) : 0;
        emit(w, r->first, done, r->born, now); /* what the hook accepted */
        return rc;
    }
    if (p->opt.sink != NULL)
        for (uint32_t i = 0; i < r->n; i++)
            p->reorder[(r->first + i) & mask] = items[r->at + i];
    flags_set(p, r->first, r->n, 1);
    p->waiting[r->first & mask] = r->n;
    return 0;
}

/* Emits the runs waiting in the window that are next in order. Caller
 * holds sink_lock. */
static int drain(jf__worker_t *w, uint64_t now, uint64_t *bad, int *code)
{
    struct jf_pipeline *p = w->p;
    uint64_t mask = p->window - 1;
    uint32_t n;

    while ((n = p->waiting[p->next_emit & mask]) != 0) {
        uint64_t first = p->next_emit, done = n;
        int rc = p->opt.sink != NULL ? call_hook_window(p, first, n, &done, bad, code) : 0;
        p->waiting[first & mask] = 0;
        flags_set(p, first, n, 0);
        uint64_t born = atomic_load_explicit(&p->born[first & mask], memory_order_relaxed);
        emit(w, first, done, born, now); /* what the hook accepted */
        if (rc != 0)
            return rc;
    }
    return 0;
}

int jf__sink_check(struct jf_pipeline *p, const jf_item_t *items, size_t n)
{
    if (p->opt.check == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int code = p->opt.check(p->opt.check_ctx, &items[i]);
        if (code != 0) {
            jf__fail(p, JF_EKERNEL, (int)p->nstages, items[i].seq, code);
            return code;
        }
    }
    return 0;
}

/* Takes m. Returns whether another worker held it: the end it guards is
 * contended (jf__hand_over_due keeps batches then). */
static bool lock_contended(pthread_mutex_t *m)
{
    if (pthread_mutex_trylock(m) == 0)
        return false;
    pthread_mutex_lock(m);
    return true;
}

/* Takes runs[0..k) of a hand-over into the sink under its lock; items
 * are the hand-over's, for a sink hook (NULL: none). */
static int take_runs(jf__worker_t *w, const jf__sink_run_t *runs, size_t k,
                     const jf_item_t *items)
{
    struct jf_pipeline *p = w->p;
    uint64_t bad = 0;
    int code = 0;
    int rc = 0;

    bool busy = lock_contended(&p->sink_lock);
    w->sink_busy = w->sink_busy || busy;
    uint64_t now = jf_clock_ns(); /* one clock read serves the hand-over */
    for (size_t i = 0; i < k && rc == 0; i++)
        rc = take_run(w, &runs[i], items, now, &bad, &code);
    if (rc == 0)
        rc = drain(w, now, &bad, &code);
    if (rc == JF_EORDER)
        p->order_ok = false;
    /* Release: the slots of emitted items are free; pairs with the
     * acquire in source_limit. */
    atomic_store_explicit(&p->emitted, p->next_emit, memory_order_release);
    bool all_out = rc == 0 && p->next_emit == p->opt.items;
    pthread_mutex_unlock(&p->sink_lock);
    w->sink_ns += jf_clock_ns() - now; /* read after the unlock: not in the serial part */
    if (rc == JF_EORDER)
        jf__fail(p, JF_EORDER, (int)p->nstages, 0, 0);
    else if (rc == JF_EKERNEL)
        jf__fail(p, JF_EKERNEL, (int)p->nstages, bad, code);
    /* Every item is out: nothing is left in any queue or any worker's
     * hands, so every stage is done without reading a line per worker
     * for each (the done check's scans, which at the end of a run of many
     * stages and many workers come one after another). */
    if (all_out)
        jf__run_complete(p);
    else
        jf__wake_for_stage(p, 0); /* credits freed: the source can go on */
    return rc;
}

static int run_order(const void *a, const void *b)
{
    const jf__sink_run_t *x = a, *y = b;

    return (x->first > y->first) - (x->first < y->first);
}

/* Sorts runs[0..k) and joins those that continue one another with one
 * arrival time: batches of one claim that members handed over apart.
 * Outside the sink's lock, as cut_runs. Returns the number left. */
static size_t merge_runs(jf__sink_run_t *runs, size_t k)
{
    size_t m = 0;

    qsort(runs, k, sizeof *runs, run_order);
    for (size_t i = 0; i < k; i++) {
        jf__sink_run_t *r = &runs[m > 0 ? m - 1 : 0];
        if (m > 0 && runs[i].first == r->first + r->n && runs[i].born == r->born &&
            r->n <= UINT32_MAX - runs[i].n) {
            r->n += runs[i].n;
            continue;
        }
        runs[m++] = runs[i];
    }
    return m;
}

/* Hands runs[0..k) over through w's group. With a member emitting (the
 * flusher), they join the group's list for its next round, if they fit,
 * and w goes back to work; else w takes the sink's lock for them itself.
 * With none, w becomes the flusher: it emits its own, then the list's,
 * round after round, until a round finds it empty. The flusher holds its
 * bit of the last stage throughout (the caller lets it go afterwards), so
 * the items in the list are in someone's hands for the done check. */
static int group_hand_over(jf__worker_t *w, size_t k)
{
    jf__end_group_t *g = w->group;

    w->sink_busy = lock_contended(&g->lock);
    if (g->flushing) {
        bool room = g->n + k <= JF_SINK_GROUP_RUNS;
        if (room) {
            memcpy(g->pending + g->n, w->sink_runs, k * sizeof *w->sink_runs);
            g->n += (uint32_t)k;
        }
        pthread_mutex_unlock(&g->lock);
        return room ? 0 : take_runs(w, w->sink_runs, k, NULL);
    }
    g->flushing = true;
    pthread_mutex_unlock(&g->lock);
    int rc = take_runs(w, w->sink_runs, k, NULL);
    for (;;) {
        pthread_mutex_lock(&g->lock);
        if (g->n == 0) {
            g->flushing = false;
            pthread_mutex_unlock(&g->lock);
            return rc;
        }
        jf__sink_run_t *round = g->pending;
        g->pending = g->spare;
        g->spare = round;
        k = g->n;
        g->n = 0;
        pthread_mutex_unlock(&g->lock);
        int more = take_runs(w, round, merge_runs(round, k), NULL);
        rc = rc != 0 ? rc : more;
    }
}

int jf__sink_accept(jf__worker_t *w, const jf_item_t *items, size_t n)
{
    size_t runs = cut_runs(w, items, n);

    if (w->group != NULL && w->p->opt.sink == NULL)
        return group_hand_over(w, runs);
    w->sink_busy = false;
    return take_runs(w, w->sink_runs, runs, items);
}
