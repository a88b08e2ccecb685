/* convergence.c - phase by phase, how soon the workers per stage settle near the optimum.
 *
 * DS2 (OSDI'18) reports how many decision rounds its controller needs after
 * a change of input rates (at most 3). The scheduler here decides at every
 * batch boundary of every worker, so the figures are the batches and the
 * time from the moment the new phase's first item enters stage 0 until
 * the allocation settles within one worker of the new optimum, and the
 * rate of moves once it has (an allocation that keeps moving oscillates). */
#include <stdlib.h>
#include <string.h>

#include "convergence.h"
#include "core/jf_alloc.h"
#include "jefferson/error.h"

#define SETTLED_SHARE 0.95 /* of the rest of the window within one worker */
#define SETTLED_MIN 0.25   /* of the window at least left once settled: settling at
                            * its very end says nothing */
#define SHARE_BINS 256     /* time shares: the window's resolution */
#define SHARE_PASSES 2     /* time shares: the span, in passes of a batch through
                            * every stage by one worker */

/* A worker's placement changes: at t, lane moves to stage (JF_TRACE_NONE: parked). */
typedef struct step {
    uint64_t t;
    uint32_t lane;
    uint32_t items; /* a batch begins here with this many items (0: not a batch) */
    uint16_t stage;
    uint8_t move;   /* a decision that moved it */
} step_t;

static int by_time(const void *a, const void *b)
{
    const step_t *x = a, *y = b;

    return (x->t > y->t) - (x->t < y->t);
}

/* Every lane's placement changes, in time order. */
static step_t *gather(const jf_trace_t *t, size_t *n)
{
    size_t total = 0, k = 0;

    for (size_t i = 0; i < t->nlanes; i++)
        total += t->lanes[i].count;
    step_t *s = jf_calloc(total ? total : 1, sizeof *s);
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < t->nlanes; i++) {
        for (size_t e = 0; e < t->lanes[i].count; e++) {
            const jf_event_t *ev = &t->lanes[i].events[e];
            if (ev->kind == JF_EV_DECIDE)
                s[k++] = (step_t){ev->t_ns, (uint32_t)i, 0, ev->stage, jf_event_is_move(ev)};
            else if (ev->kind == JF_EV_BATCH_BEGIN)
                s[k++] = (step_t){ev->t_ns, (uint32_t)i, ev->count ? ev->count : 1, ev->stage, 0};
            else if (ev->kind == JF_EV_PARK)
                s[k++] = (step_t){ev->t_ns, (uint32_t)i, 0, JF_TRACE_NONE, 0};
        }
    }
    qsort(s, k, sizeof *s, by_time);
    *n = k;
    return s;
}

/* When stage 0 began item `item`: stage 0's batches in time order, their
 * items counted until they pass it (the source hands items out in order). */
static uint64_t entry_time(const step_t *s, size_t n, uint64_t item)
{
    uint64_t seen = 0;

    for (size_t k = 0; k < n && item > 0; k++) {
        if (s[k].items == 0 || s[k].stage != 0)
            continue;
        seen += s[k].items;
        if (seen > item)
            return s[k].t;
    }
    return item == 0 ? 0 : UINT64_MAX;
}

/* When stage 0 began its last batch: the pipeline drains after it, and the
 * allocation then follows the drain, not a phase. */
static uint64_t last_entry(const step_t *s, size_t n)
{
    for (size_t k = n; k-- > 0;)
        if (s[k].items > 0 && s[k].stage == 0)
            return s[k].t;
    return 0;
}

/* Phase starts: 0, then every distinct after_items inside the run, ascending. */
static size_t phase_starts(const workload_t *w, uint64_t *starts)
{
    size_t n = 1;

    starts[0] = 0;
    for (size_t i = 0; i < w->nsets; i++) {
        uint64_t a = w->sets[i].after_items;
        size_t k = 0;
        while (k < n && starts[k] != a)
            k++;
        if (k == n && a > 0 && a < w->items && n < BENCH_CONVERGENCE_MAX)
            starts[n++] = a;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of phases */
        for (size_t k = i; k > 0 && starts[k] < starts[k - 1]; k--) {
            uint64_t x = starts[k];
            starts[k] = starts[k - 1];
            starts[k - 1] = x;
        }
    return n;
}

/* The optimum's share of `workers` for each stage in the phase from item
 * `from`: in proportion to the stage's mean cost then. */
static void shares(const workload_t *w, uint64_t from, unsigned workers, double *share)
{
    double total = 0;

    for (size_t s = 0; s < w->nstages; s++)
        share[s] = w->stages[s].ns;
    for (size_t i = 0; i < w->nsets; i++) /* file order: a later change wins */
        if (w->sets[i].after_items <= from && w->sets[i].stage < w->nstages)
            share[w->sets[i].stage] = w->sets[i].ns;
    for (size_t s = 0; s < w->nstages; s++)
        total += share[s] > 0 ? share[s] : 0;
    for (size_t s = 0; s < w->nstages; s++)
        share[s] = total > 0 && share[s] > 0 ? workers * share[s] / total : 0;
}

/* The largest distance of a stage's workers from its share. */
static double gap(const unsigned *count, const double *share, size_t nstages)
{
    double g = 0;

    for (size_t s = 0; s < nstages; s++) {
        double d = (double)count[s] - share[s];
        g = d > g ? d : -d > g ? -d : g;
    }
    return g;
}

/* The sweep's state: each lane's stage and each stage's workers. */
typedef struct sweep {
    uint16_t *at;       /* per lane */
    unsigned *count;    /* per stage */
    size_t next;        /* next step to apply */
} sweep_t;

static void apply_until(sweep_t *w, const step_t *s, size_t n, uint64_t t, size_t nstages)
{
    for (; w->next < n && s[w->next].t <= t; w->next++) {
        const step_t *x = &s[w->next];
        if (w->at[x->lane] < nstages)
            w->count[w->at[x->lane]]--;
        w->at[x->lane] = x->stage;
        if (x->stage < nstages)
            w->count[x->stage]++;
    }
}

/* Moves the sweep to a window that starts at at_ns: the steps before it
 * applied, then those at at_ns. Returns the index of the window's first
 * step: a batch begun at at_ns counts. */
static size_t enter_window(sweep_t *w, const step_t *s, size_t n, uint64_t at_ns, size_t nstages)
{
    if (at_ns > 0)
        apply_until(w, s, n, at_ns - 1, nstages);
    size_t first = w->next;
    apply_until(w, s, n, at_ns, nstages);
    return first;
}

/* The earliest of nseg segments [t[i], t[i + 1]), of distance gap[i] from
 * the optimum, from which the distance stays within one worker for
 * SETTLED_SHARE of the rest up to end, with SETTLED_MIN of [start, end)
 * left at least; nseg when there is none. *held: the share of the rest
 * within one worker from there. */
static size_t settle_index(const uint64_t *t, const double *gap, size_t nseg, uint64_t start,
                           uint64_t end, double *held)
{
    size_t settled = nseg;
    double after = 0;

    for (size_t i = nseg; i-- > 0;) { /* the earliest such start wins: keep going back */
        bool near = gap[i] <= 1;
        after += near ? (double)(t[i + 1] - t[i]) : 0;
        if (near && end - t[i] >= SETTLED_MIN * (end - start) &&
            after >= SETTLED_SHARE * (double)(end - t[i])) {
            settled = i;
            *held = end > t[i] ? after / (double)(end - t[i]) : 1;
        }
    }
    return settled;
}

/* Of the window's steps s[first..last): the batches begun before
 * `settled`, and the moves per second after it until end (not the moves
 * that settled it; 0 when it never settled). */
static void around_settling(const step_t *s, size_t first, size_t last, uint64_t settled,
                            uint64_t end, bool converged, uint64_t *batches, double *moves_per_s)
{
    uint64_t moves = 0;

    *batches = 0;
    for (size_t k = first; k < last; k++) {
        *batches += s[k].items > 0 && s[k].t < settled;
        moves += s[k].move && s[k].t > settled;
    }
    *moves_per_s = converged && end > settled ? (double)moves * 1e9 / (double)(end - settled) : 0;
}

/* One phase's window [c->at_ns, c->end_ns): the segments between steps,
 * whether each is near the optimum, then the first from which it stays
 * near for SETTLED_SHARE of the rest. seg holds room for every step. */
static void measure_phase(sweep_t *w, const step_t *s, size_t n, size_t nstages,
                          const double *share, uint64_t *seg_t, double *seg_gap,
                          bench_convergence_t *c)
{
    size_t nseg = 0, first = enter_window(w, s, n, c->at_ns, nstages);
    double late = 0, half = (double)(c->at_ns + c->end_ns) / 2;

    seg_t[nseg] = c->at_ns;
    seg_gap[nseg++] = gap(w->count, share, nstages);
    while (w->next < n && s[w->next].t < c->end_ns) {
        uint64_t t = s[w->next].t;
        apply_until(w, s, n, t, nstages);
        seg_t[nseg] = t;
        seg_gap[nseg++] = gap(w->count, share, nstages);
    }
    seg_t[nseg] = c->end_ns;
    for (size_t i = 0; i < nseg; i++) { /* the second half's typical distance */
        double a = (double)seg_t[i] > half ? (double)seg_t[i] : half;
        if ((double)seg_t[i + 1] > a)
            late += seg_gap[i] * ((double)seg_t[i + 1] - a);
    }
    c->late_gap = late / ((double)c->end_ns - half);
    size_t i = settle_index(seg_t, seg_gap, nseg, c->at_ns, c->end_ns, &c->held);
    c->converged = i < nseg;
    c->ns = (c->converged ? seg_t[i] : c->end_ns) - c->at_ns;
    around_settling(s, first, w->next, c->at_ns + c->ns, c->end_ns, c->converged, &c->batches,
                    &c->moves_per_s);
}

/* Adds each stage's workers x the time they spent there in [t0, t1) to
 * the bins of width `bin` from `at` that the interval covers. */
static void add_span(double *acc, const unsigned *count, size_t nstages, double t0, double t1,
                     double at, double bin)
{
    size_t b = (size_t)((t0 - at) / bin);

    for (; b < SHARE_BINS && at + (double)b * bin < t1; b++) {
        double lo = at + (double)b * bin, hi = lo + bin;
        double len = (t1 < hi ? t1 : hi) - (t0 > lo ? t0 : lo);
        for (size_t s = 0; len > 0 && s < nstages; s++)
            acc[b * nstages + s] += count[s] * len;
    }
}

/* The largest distance, bin by bin, of a stage's workers averaged over
 * the trailing `span` bins (fewer at the window's start) from its share,
 * into gaps[]; returns the mean over the window's second half. */
static double share_gaps(const double *acc, size_t nstages, const double *share, double bin,
                         size_t span, double *gaps)
{
    double late = 0;

    for (size_t b = 0; b < SHARE_BINS; b++) {
        size_t from = b + 1 >= span ? b + 1 - span : 0;
        double g = 0;
        for (size_t st = 0; st < nstages; st++) {
            double sum = 0;
            for (size_t k = from; k <= b; k++)
                sum += acc[k * nstages + st];
            double d = sum / (bin * (double)(b + 1 - from)) - share[st];
            g = d > g ? d : -d > g ? -d : g;
        }
        gaps[b] = g;
        late += b >= SHARE_BINS / 2 ? g : 0;
    }
    return late / (SHARE_BINS / 2);
}

/* The phase's window by time shares: the workers of each stage, as the
 * sweep counts them, averaged over a trailing span of SHARE_PASSES passes
 * through the pipeline (a pass: nstages batches of one worker, at the
 * window's mean batch period per worker), then settled as measure_phase
 * settles the counts, bin by bin. w is anywhere before the window. */
static void measure_shares(sweep_t *w, const step_t *s, size_t n, size_t nstages,
                           unsigned workers, const double *share, double *acc,
                           bench_convergence_t *c)
{
    double at = (double)c->at_ns, len = (double)(c->end_ns - c->at_ns);
    double bin = len / SHARE_BINS, t = at, gaps[SHARE_BINS], held;
    uint64_t edges[SHARE_BINS + 1];
    size_t first = enter_window(w, s, n, c->at_ns, nstages), batches = 0;

    memset(acc, 0, SHARE_BINS * nstages * sizeof *acc);
    for (;;) {
        double next = w->next < n && s[w->next].t < c->end_ns ? (double)s[w->next].t : len + at;
        add_span(acc, w->count, nstages, t, next, at, bin);
        if (next >= at + len)
            break;
        apply_until(w, s, n, s[w->next].t, nstages);
        t = next;
    }
    for (size_t k = first; k < w->next; k++)
        batches += s[k].items > 0;
    double pass = batches > 0 ? len * workers / (double)batches * (double)nstages : len;
    size_t span = (size_t)(SHARE_PASSES * pass / bin + 0.5);
    span = span < 1 ? 1 : span > SHARE_BINS / 4 ? SHARE_BINS / 4 : span;
    c->share_span_ns = (uint64_t)((double)span * bin);
    c->share_late_gap = share_gaps(acc, nstages, share, bin, span, gaps);
    for (size_t b = 0; b <= SHARE_BINS; b++)
        edges[b] = b;
    size_t settled = settle_index(edges, gaps, SHARE_BINS, 0, SHARE_BINS, &held);
    c->share_converged = settled < SHARE_BINS;
    /* A bin's average covers time up to its end: settled by then. */
    c->share_ns = c->share_converged ? (uint64_t)((double)(settled + 1) * bin) : c->end_ns - c->at_ns;
    if (c->share_ns > c->end_ns - c->at_ns)
        c->share_ns = c->end_ns - c->at_ns;
    around_settling(s, first, w->next, c->at_ns + c->share_ns, c->end_ns, c->share_converged,
                    &c->share_batches, &c->share_moves_per_s);
}

int bench_convergence_measure(const jf_trace_t *t, const workload_t *w, unsigned workers,
                           bench_convergence_t *out, size_t *n)
{
    uint64_t starts[BENCH_CONVERGENCE_MAX];
    double share[JF_MAX_STAGES];
    size_t nsteps = 0, nphases = phase_starts(w, starts);
    step_t *s = gather(t, &nsteps);
    sweep_t sw = {jf_calloc(t->nlanes + 1, sizeof *sw.at), jf_calloc(w->nstages + 1,
                                                                       sizeof *sw.count), 0};
    sweep_t sh = {jf_calloc(t->nlanes + 1, sizeof *sh.at), jf_calloc(w->nstages + 1,
                                                                       sizeof *sh.count), 0};
    uint64_t *seg_t = jf_calloc(nsteps + 2, sizeof *seg_t);
    double *seg_gap = jf_calloc(nsteps + 2, sizeof *seg_gap);
    double *acc = jf_calloc(SHARE_BINS * (w->nstages + 1), sizeof *acc);
    int err = s && sw.at && sw.count && sh.at && sh.count && seg_t && seg_gap && acc ? 0
                                                                                    : JF_ENOMEM;

    *n = 0;
    for (size_t i = 0; i <= t->nlanes && sw.at != NULL && sh.at != NULL; i++)
        sw.at[i] = sh.at[i] = JF_TRACE_NONE;
    uint64_t drain = err == 0 ? last_entry(s, nsteps) : 0;
    for (size_t k = 0; k < nphases && err == 0 && w->nstages <= JF_MAX_STAGES; k++) {
        bench_convergence_t *c = &out[*n];
        uint64_t next = k + 1 < nphases ? entry_time(s, nsteps, starts[k + 1]) : UINT64_MAX;

        memset(c, 0, sizeof *c);
        c->after_items = starts[k];
        c->at_ns = entry_time(s, nsteps, starts[k]);
        c->end_ns = next < drain ? next : drain;
        if (c->at_ns == UINT64_MAX || c->end_ns <= c->at_ns)
            continue; /* the phase never started, or nothing of it before the drain */
        shares(w, starts[k], workers, share);
        measure_phase(&sw, s, nsteps, w->nstages, share, seg_t, seg_gap, c);
        measure_shares(&sh, s, nsteps, w->nstages, workers, share, acc, c);
        (*n)++;
    }
    jf_free(s);
    jf_free(sw.at);
    jf_free(sw.count);
    jf_free(sh.at);
    jf_free(sh.count);
    jf_free(seg_t);
    jf_free(seg_gap);
    jf_free(acc);
    return err;
}
