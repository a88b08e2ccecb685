/* flow.c - where items enter and the stages end: source credits, claims, done. */
#include <string.h>

#include "jf_clock.h"
#include "jefferson/error.h"
#include "options.h"
#include "pipeline_internal.h"

/* When item seq arrives, relative to the run's start: items come in
 * bursts of arrival_burst, one burst every ns_per_burst. */
static uint64_t due_ns(const struct jf_pipeline *p, uint64_t seq)
{
    return (uint64_t)((double)(seq / p->opt.arrival_burst) * p->ns_per_burst);
}

/* How many items have arrived by now (all of them without a rate). */
static uint64_t arrived_by_now(const struct jf_pipeline *p)
{
    if (p->ns_per_burst <= 0)
        return p->opt.items;
    uint64_t since = jf_clock_ns() - p->start_ns;
    uint64_t bursts = (uint64_t)((double)since / p->ns_per_burst) + 1;
    uint64_t n = bursts * p->opt.arrival_burst;
    return n < p->opt.items ? n : p->opt.items;
}

/* Items the source may hand out now: what is left of the run, limited by
 * the in-flight window. Item seq uses payload slot seq % window, and the
 * sink frees slots in seq order, so seq may start only once seq - window
 * has been emitted; this credit rule is the pipeline's back-pressure and
 * keeps every queue (capacity = window) from ever filling. */
static uint64_t source_limit(struct jf_pipeline *p)
{
    /* Acquire: pairs with the sink's release of emitted, so the slots of
     * emitted items are no longer read when a new item reuses them. */
    uint64_t emitted = atomic_load_explicit(&p->emitted, memory_order_acquire);
    uint64_t limit = emitted + p->window;
    uint64_t arrived = arrived_by_now(p);

    return limit < arrived ? limit : arrived;
}

uint64_t jf__source_next_due(struct jf_pipeline *p)
{
    /* Relaxed: it only sets when a parked worker's timed wait ends; a
     * stale (lower) count wakes it early, and it looks again. */
    uint64_t claimed = atomic_load_explicit(&p->claimed, memory_order_relaxed);

    if (p->ns_per_burst <= 0 || claimed >= p->opt.items)
        return 0;
    return p->start_ns + due_ns(p, claimed);
}

uint64_t jf__source_available(struct jf_pipeline *p)
{
    /* seq_cst, as every other access to claimed. This figure feeds the
     * policy's votes and a parked worker's re-check, where a stale (lower)
     * count only overstates the work and the take that follows finds
     * less; what needs the total order is the done check below. A seq_cst
     * load costs what an acquire load does on x86-64 and AArch64. */
    uint64_t claimed = atomic_load_explicit(&p->claimed, memory_order_seq_cst);
    uint64_t limit = source_limit(p);

    return limit > claimed ? limit - claimed : 0;
}

/* One CAS on `claimed` for a worker's claim (jf__claim_size) or, with
 * `group`, an end group's (jf__group_claim_size); *busy as for
 * jf__source_claim. */
static uint64_t claim(struct jf_pipeline *p, size_t want, jf__end_group_t *group, size_t *got,
                      bool *busy)
{
    /* The CAS's first guess (it re-reads claimed when it fails), seq_cst
     * as the CAS itself. */
    uint64_t first = atomic_load_explicit(&p->claimed, memory_order_seq_cst);
    bool was_busy = *busy;

    *busy = false;
    for (;;) {
        uint64_t limit = source_limit(p);
        if (first >= limit) {
            *got = 0;
            return first;
        }
        uint64_t left = p->opt.items - first;
        uint64_t n = group ? jf__group_claim_size(want, was_busy, p->end_items, left, p->ngroups,
                                                  &group->take)
                           : jf__claim_size(want, was_busy, p->end_batches, p->end_items, left,
                                            p->nworkers);
        *got = limit - first < n ? (size_t)(limit - first) : (size_t)n;
        /* seq_cst: the done check reads claimed before the workers'
         * `holding`; see jf__stage_check_done. */
        if (atomic_compare_exchange_weak_explicit(&p->claimed, &first, first + *got,
                                                  memory_order_seq_cst, memory_order_seq_cst))
            return first;
        *busy = true; /* another worker claimed in between */
    }
}

uint64_t jf__source_claim(struct jf_pipeline *p, size_t want, size_t *got, bool *busy)
{
    return claim(p, want, NULL, got, busy);
}

size_t jf__source_claim_group(jf__worker_t *w, size_t want, uint64_t *first, uint64_t *born)
{
    jf__end_group_t *g = w->group;
    size_t n = 0;

    pthread_mutex_lock(&g->claim_lock);
    /* Relaxed: only this lock's holder stores it. */
    uint64_t left = atomic_load_explicit(&g->left, memory_order_relaxed);
    if (left == 0) {
        /* seq_cst, before the CAS: a done check that reads the CAS's
         * `claimed` reads this, or what follows, of `left` after it: the
         * claimed positions are in hand before they leave the counter. */
        atomic_store_explicit(&g->left, JF_GROUP_CLAIMING, memory_order_seq_cst);
        size_t got;
        g->next = claim(w->p, want, g, &got, &g->claim_busy);
        g->born = jf_clock_ns();
        left = got;
    }
    if (left > 0) {
        n = want < left ? want : (size_t)left;
        if (n > g->take) /* near the end: a member's share */
            n = (size_t)g->take;
        *first = g->next;
        *born = g->born;
        g->next += n;
        left -= n;
    }
    /* seq_cst: the done check reads the groups' `left` before the
     * workers' `holding`, and w set its bit of stage 0 before this. */
    atomic_store_explicit(&g->left, left, memory_order_seq_cst);
    pthread_mutex_unlock(&g->claim_lock);
    return n;
}

uint64_t jf__stash(const jf__worker_t *w)
{
    uint64_t n = w->stash_n;

    if (w->p->group_claims) {
        /* Relaxed: a count for decisions and a parked worker's re-check,
         * like jf__source_available's; the done check reads it again. */
        uint64_t left = atomic_load_explicit(&w->group->left, memory_order_relaxed);
        n += left != JF_GROUP_CLAIMING ? left : 0;
    }
    return n;
}

int jf__source_fill(struct jf_pipeline *p, jf_item_t *items, uint64_t first, size_t n,
                    uint64_t claimed_ns)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t seq = first + i;
        jf_item_t *it = &items[i];
        /* Latency counts from arrival (the claim, or the item's due time
         * under a rate): a late source does not hide queueing. The items
         * of one claim share it, so the sink takes them as one run. */
        atomic_store_explicit(&p->born[seq & (p->window - 1)],
                              p->ns_per_burst > 0 ? p->start_ns + due_ns(p, seq) : claimed_ns,
                              memory_order_relaxed);
        it->seq = seq;
        it->payload = p->slab + (seq & (p->window - 1)) * p->opt.item_bytes;
        it->bytes = p->opt.item_bytes;
        it->used = 0;
        if (p->opt.source != NULL) {
            int rc = p->opt.source(p->opt.source_ctx, it);
            if (rc != 0) {
                jf__fail(p, JF_EKERNEL, -1, seq, rc);
                return rc;
            }
        } else if (it->bytes >= sizeof(seq)) {
            memcpy(it->payload, &seq, sizeof(seq));
        }
    }
    return 0;
}

uint64_t jf__stage_queue(struct jf_pipeline *p, size_t s)
{
    return s == 0 ? jf__source_available(p) : jf_queue_size(p->stages[s].in);
}

bool jf__stage_has_input(struct jf_pipeline *p, size_t s)
{
    return jf__stage_queue(p, s) > 0;
}

/* True when no more input can reach stage s: its upstream is done and its
 * input is empty. For stage 0, when the source has handed out every item. */
static bool input_exhausted(struct jf_pipeline *p, size_t s)
{
    /* seq_cst: pairs with the seq_cst CAS in jf__source_claim and the
     * exchange that marks a stage done; part of the done check's single
     * order (jf__stage_check_done). */
    if (s == 0)
        return atomic_load_explicit(&p->claimed, memory_order_seq_cst) >= p->opt.items;
    return atomic_load_explicit(&p->stages[s - 1].done, memory_order_seq_cst) &&
           jf_queue_size(p->stages[s].in) == 0;
}

/* Whether some worker holds a batch of stage s (its bit of `holding`),
 * or, for stage 0, an end group holds positions for its members. Reads a
 * line per worker, so it runs only once the stage's input is exhausted:
 * at the end of a stage, not at every batch. */
static bool stage_held(struct jf_pipeline *p, size_t s)
{
    uint64_t bit = UINT64_C(1) << s;

    /* The groups first, seq_cst: a member sets its bit of stage 0 before
     * it takes from its group's positions, so positions that left `left`
     * before this read are in the hands of a worker whose bit is set. */
    for (unsigned g = 0; s == 0 && p->group_claims && g < p->ngroups; g++)
        if (atomic_load_explicit(&p->groups[g].left, memory_order_seq_cst) != 0)
            return true;
    for (unsigned i = 0; i < p->nworkers; i++)
        if (atomic_load_explicit(&p->workers[i].holding, memory_order_seq_cst) & bit)
            return true;
    return false;
}

void jf__run_complete(struct jf_pipeline *p)
{
    for (size_t s = 0; s < p->nstages; s++) {
        /* seq_cst as in jf__stage_check_done: the exchange picks one
         * marker of each stage. */
        if (atomic_exchange_explicit(&p->stages[s].done, true, memory_order_seq_cst) ||
            s + 1 < p->nstages)
            continue;
        /* Relaxed: read by the runner after it joined every worker
         * (pipeline_run.c), and the join orders it. */
        atomic_store_explicit(&p->end_ns, jf_clock_ns(), memory_order_relaxed);
        /* seq_cst (release would do), before the wake-up: pairs with the
         * acquire in jf__should_exit, so a woken worker sees it and
         * leaves; what the run reports is read after the joins. */
        atomic_store_explicit(&p->finished, true, memory_order_seq_cst);
        jf__wake_everyone(p);
    }
}

/* Marks stage s done when it is (DESIGN.md: upstream done, input empty, no
 * worker holds a batch) and carries the news downstream. A worker sets its
 * bit of `holding` before it takes input and clears it after it has pushed
 * its output (or set the next stage's bit for a batch it keeps), all
 * seq_cst; so reading "input empty" and then every worker's bit clear
 * cannot miss a batch in a worker's hands: the worker that clears the
 * last bit runs this check itself afterwards. */
void jf__stage_check_done(struct jf_pipeline *p, size_t s)
{
    for (; s < p->nstages; s++) {
        jf__stage_t *st = &p->stages[s];
        /* seq_cst, every access here: "input empty" is read before the
         * workers' bits, against their seq_cst stores of `holding` before
         * a take and after a push (worker.c). */
        if (atomic_load_explicit(&st->done, memory_order_seq_cst))
            continue;
        if (!input_exhausted(p, s) || stage_held(p, s))
            return;
        if (s + 1 == p->nstages) {
            jf__run_complete(p); /* the last stage: the run is over */
            return;
        }
        /* The exchange picks one marker among the workers that got here;
         * readers of done acquire the stage's last pushes from it. */
        if (atomic_exchange_explicit(&st->done, true, memory_order_seq_cst))
            continue; /* another worker got here first and does the waking */
        /* Rare (once per stage): every sleeper re-checks, so all workers
         * of the next stage see it is done once it drains. */
        jf__wake_everyone(p);
    }
}

void jf__fail(struct jf_pipeline *p, int error, int stage, uint64_t seq, int code)
{
    pthread_mutex_lock(&p->fail_lock);
    if (p->error == 0) {
        p->error = error;
        p->failure.stage = stage;
        p->failure.seq = seq;
        p->failure.code = code;
    }
    pthread_mutex_unlock(&p->fail_lock);
    /* seq_cst (release would do), before the wake-up: pairs with the
     * acquire in jf__should_exit, as jf_pipeline_stop's store; the failure
     * itself travels under fail_lock. */
    atomic_store_explicit(&p->stop, true, memory_order_seq_cst);
    jf__wake_everyone(p);
}

bool jf__should_exit(struct jf_pipeline *p)
{
    /* Acquire: pairs with the stores of stop (jf__fail, jf_pipeline_stop)
     * and finished (jf__stage_check_done). The flags carry no data a
     * worker reads afterwards; a worker that misses one this time sees it
     * at its next check, or is woken to. */
    return atomic_load_explicit(&p->stop, memory_order_acquire) ||
           atomic_load_explicit(&p->finished, memory_order_acquire);
}

/* Called by a parked worker that saw no progress for a whole check period.
 * Counts every item that should be somewhere: handed out by the source but
 * not emitted. Scanning stages front to back, reading each queue before
 * the workers' bits for the stage, finds every such item even while it
 * moves: items only move forward, a worker's bit is set before its take
 * and cleared after its push, and a kept batch's bit replaces its stage's.
 * If none is anywhere and nobody holds a batch, the items were lost. */
bool jf__items_lost(struct jf_pipeline *p)
{
    /* seq_cst, claimed first and then each stage's queue and bits in
     * order, against the workers' seq_cst CAS on claimed and their stores
     * of `holding` before a take: an item claimed before this read is
     * found somewhere by the reads that follow. */
    uint64_t claimed = atomic_load_explicit(&p->claimed, memory_order_seq_cst);
    uint64_t seen = 0;
    uint64_t in_sink = 0;

    for (size_t s = 0; s < p->nstages; s++) {
        if (s > 0)
            seen += jf_queue_size(p->stages[s].in);
        if (stage_held(p, s))
            return false; /* someone is working: not stalled */
    }
    pthread_mutex_lock(&p->sink_lock);
    for (uint64_t i = 0; i < p->window; i++)
        in_sink += p->arrived[i];
    seen += in_sink + p->next_emit;
    pthread_mutex_unlock(&p->sink_lock);
    return seen < claimed;
}
