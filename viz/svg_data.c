/* svg_data.c - the level of detail and the binned chart data of an SVG timeline. */
#include <math.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "svg_internal.h"
#include "viz_internal.h"

/* Batches drawn one by one up to this many; beyond it, spans merge at
 * pixel resolution so a trace of any length gives a file of a few MB. */
#define RECT_BUDGET 16384
#define MAX_DETAIL 16.0 /* finest merging: 1/16 px, for zooming in on small traces */
#define FULL_LANES 16.0 /* lanes merged at 1 px; with more, the grain grows with them */
#define MAX_CELLS (1u << 21) /* stages x columns of chart data */

static uint64_t count_batches(const jf_trace_t *trace)
{
    uint64_t n = 0;

    for (size_t i = 0; i < trace->nlanes; i++)
        for (size_t k = 0; k < trace->lanes[i].count; k++)
            n += trace->lanes[i].events[k].kind == JF_EV_BATCH_BEGIN;
    return n;
}

/* Adds the part of a batch that falls in each column, in columns, so a
 * column's sum is the mean number of workers on that stage over it. */
static void add_busy(jf__svg_t *s, const jf__viz_span_t *b)
{
    double *row = s->busy + (size_t)b->stage * s->ncols;
    double per_col = (double)s->wall / (double)s->ncols;
    double n = (double)s->ncols;
    double f0 = (double)b->t0 / per_col, f1 = (double)b->t1 / per_col;
    size_t c0, c1;

    f0 = f0 > n ? n : f0;
    f1 = f1 > n ? n : f1;
    c0 = (size_t)f0 < s->ncols ? (size_t)f0 : s->ncols - 1;
    c1 = (size_t)f1 < s->ncols ? (size_t)f1 : s->ncols - 1;
    if (c0 == c1) {
        row[c0] += f1 - f0;
        return;
    }
    row[c0] += (double)(c0 + 1) - f0;
    for (size_t c = c0 + 1; c < c1; c++)
        row[c] += 1.0;
    row[c1] += f1 - (double)c1;
}

/* Keeps, per column, the first, last, lowest and highest depth sampled:
 * enough to draw every change that is wider than a column. Lanes sample the
 * same queues at their own decisions, so samples arrive out of time order. */
static void add_depth(jf__svg_t *s, const jf_event_t *ev)
{
    size_t c = (size_t)((double)ev->t_ns / (double)s->wall * (double)s->ncols);
    jf__svg_qcol_t *q = &s->queue[(size_t)ev->stage * s->ncols + (c < s->ncols ? c : s->ncols - 1)];
    uint32_t d = ev->count;

    if (q->t_first == UINT64_MAX) {
        *q = (jf__svg_qcol_t){ev->t_ns, ev->t_ns, d, d, d, d};
    } else {
        q->min = d < q->min ? d : q->min;
        q->max = d > q->max ? d : q->max;
        if (ev->t_ns < q->t_first) {
            q->t_first = ev->t_ns;
            q->first = d;
        }
        if (ev->t_ns >= q->t_last) {
            q->t_last = ev->t_ns;
            q->last = d;
        }
    }
    s->qmax[ev->stage] = d > s->qmax[ev->stage] ? d : s->qmax[ev->stage];
}

static void fill(jf__svg_t *s)
{
    const jf_trace_t *trace = s->trace;

    for (size_t i = 0; i < s->nstages * s->ncols; i++)
        s->queue[i].t_first = UINT64_MAX;
    for (size_t i = 0; i < trace->nlanes; i++) {
        const jf_trace_lane_t *lane = &trace->lanes[i];
        jf__viz_cursor_t c;
        jf__viz_span_t b;

        jf__viz_cursor_init(&c, lane, s->end);
        while (jf__viz_next_batch(&c, &b))
            if (b.stage < s->nstages)
                add_busy(s, &b);
        for (size_t k = 0; k < lane->count; k++)
            if (lane->events[k].kind == JF_EV_QDEPTH && lane->events[k].stage < s->nstages)
                add_depth(s, &lane->events[k]);
    }
}

/* Spans per pixel that the lanes may show. A small trace is drawn batch by
 * batch (the budget bounds the file); a long one at one pixel, and with
 * many workers at a few pixels, so the file stays within a few MB. */
static double choose_detail(const jf__svg_t *s)
{
    double by_budget = s->batches ? (double)RECT_BUDGET / (double)s->batches : MAX_DETAIL;
    double by_lanes = FULL_LANES / (double)(s->trace->nlanes ? s->trace->nlanes : 1);
    double detail = by_budget > 1 ? by_budget : fmax(by_budget, fmin(1.0, by_lanes));

    return detail > MAX_DETAIL ? MAX_DETAIL : detail;
}

int jf__svg_prepare(jf__svg_t *s)
{
    double detail;
    size_t cells;

    s->batches = count_batches(s->trace);
    detail = choose_detail(s);
    s->grain_ns = (double)s->wall / (s->plot_w * detail);
    /* Half-pixel columns when there is detail to zoom into. */
    s->ncols = (size_t)s->plot_w * (detail > 1 ? 2 : 1);
    if (s->nstages > 0 && s->nstages * s->ncols > MAX_CELLS)
        s->ncols = MAX_CELLS / s->nstages > 16 ? MAX_CELLS / s->nstages : 16;
    /* Charts stop where the run did: after it there is nothing to draw. */
    s->ncols_run = (size_t)ceil((double)s->end / (double)s->wall * (double)s->ncols);
    s->ncols_run = s->ncols_run < 1 ? 1 : s->ncols_run > s->ncols ? s->ncols : s->ncols_run;
    cells = s->nstages * s->ncols;
    s->busy = jf_calloc(cells ? cells : 1, sizeof *s->busy);
    s->queue = jf_calloc(cells ? cells : 1, sizeof *s->queue);
    s->cum = jf_calloc(s->ncols, sizeof *s->cum);
    s->share = jf_calloc(s->nstages + 1, sizeof *s->share);
    s->qmax = jf_calloc(s->nstages + 1, sizeof *s->qmax);
    if (s->busy == NULL || s->queue == NULL || s->cum == NULL || s->share == NULL ||
        s->qmax == NULL)
        return JF_ENOMEM;
    fill(s);
    return 0;
}

void jf__svg_release(jf__svg_t *s)
{
    jf_free(s->busy);
    jf_free(s->queue);
    jf_free(s->cum);
    jf_free(s->share);
    jf_free(s->qmax);
    s->busy = s->cum = s->share = NULL;
    s->queue = NULL;
    s->qmax = NULL;
}
