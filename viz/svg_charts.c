/* svg_charts.c - workers-per-stage and queue-depth charts of the SVG timeline. */
#include <math.h>
#include <stdio.h>

#include "svg_internal.h"
#include "viz_internal.h"

/* Levels are written at 0.1 px; a change below that is no step. */
static long tenth(double v)
{
    return lround(v * 10.0);
}

/* The stacked bands step only by half pixels: finer jitter, from the gaps
 * between batches, would cost bytes and show nothing. */
static long half(double v)
{
    return lround(v * 2.0);
}

/* The upper edge of a band from left to right, then its lower edge back:
 * a step outline, one column wide steps, no point where the level holds. */
static void band_path(jf__svg_t *s, const double *lower, const double *row, double base,
                      double unit_h)
{
    double colw = s->plot_w / (double)s->ncols;
    size_t n = s->ncols_run;
    double y = base - (lower[0] + row[0]) * unit_h;

    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', 0);
    jf__svg_path_cmd(s, ' ', y);
    for (size_t c = 1; c < n; c++) {
        double ny = base - (lower[c] + row[c]) * unit_h;

        if (half(ny) != half(y)) {
            jf__svg_path_cmd(s, 'H', (double)c * colw);
            jf__svg_path_cmd(s, 'V', ny);
            y = ny;
        }
    }
    jf__svg_path_cmd(s, 'H', (double)n * colw);
    y = base - lower[n - 1] * unit_h;
    jf__svg_path_cmd(s, 'V', y);
    for (size_t c = n - 1; c > 0; c--) {
        double ny = base - lower[c - 1] * unit_h;

        if (half(ny) != half(y)) {
            jf__svg_path_cmd(s, 'H', (double)c * colw);
            jf__svg_path_cmd(s, 'V', ny);
            y = ny;
        }
    }
    jf__svg_path_cmd(s, 'H', 0);
    jf__svg_path_raw(s, "Z");
    jf__svg_path_end(s);
}

void jf__svg_write_alloc(jf__svg_t *s)
{
    size_t nlanes = s->trace->nlanes ? s->trace->nlanes : 1;
    double base = s->alloc_y + JF__SVG_ALLOC_H;
    double unit_h = JF__SVG_ALLOC_H / (double)nlanes;
    char cls[16], title[160], avg[32];

    jf__svg_start(s, "g");
    jf__svg_attr(s, "class", "alloc");
    for (size_t st = 0; st < s->nstages; st++) {
        const double *row = s->busy + st * s->ncols;
        double sum = 0;

        for (size_t c = 0; c < s->ncols; c++)
            sum += row[c];
        if (sum <= 0)
            continue;
        jf__svg_start(s, "path");
        jf__svg_attr(s, "class", jf__svg_stage_class(s, (unsigned)st, cls, sizeof cls));
        band_path(s, s->cum, row, base, unit_h);
        snprintf(title, sizeof title, "%s: %s workers busy on average", s->names[st],
                 jf__viz_fixed(avg, sizeof avg, llround(sum / (double)s->ncols * 100 *
                                                        (double)s->wall / (double)s->end), 2, 1));
        jf__svg_title(s, title);
        jf__svg_end(s);
        for (size_t c = 0; c < s->ncols; c++)
            s->cum[c] += row[c];
    }
    jf__svg_end(s);
}

/* Moves the pen vertically to level y unless it is there already. */
static void step_to(jf__svg_t *s, double *pen, double y)
{
    if (tenth(y) != tenth(*pen)) {
        jf__svg_path_cmd(s, 'V', y);
        *pen = y;
    }
}

/* A step line through the per-column samples; within a column it runs
 * first -> min -> max -> last. With `area` set it is closed down to the
 * baseline, to be filled. */
static void depth_path(jf__svg_t *s, const jf__svg_qcol_t *q, double base, double scale,
                       int area)
{
    double colw = s->plot_w / (double)s->ncols;
    double pen = base, x_start = -1, x_end = 0;

    jf__svg_path_begin(s);
    for (size_t c = 0; c < s->ncols; c++) {
        if (q[c].t_first == UINT64_MAX)
            continue;
        if (x_start < 0) {
            x_start = (double)c * colw;
            pen = base - q[c].first * scale;
            jf__svg_path_cmd(s, 'M', x_start);
            jf__svg_path_cmd(s, ' ', pen);
        } else {
            jf__svg_path_cmd(s, 'H', (double)c * colw);
            step_to(s, &pen, base - q[c].first * scale);
        }
        step_to(s, &pen, base - q[c].min * scale);
        step_to(s, &pen, base - q[c].max * scale);
        step_to(s, &pen, base - q[c].last * scale);
        x_end = (double)(c + 1) * colw;
    }
    if (x_start >= 0)
        jf__svg_path_cmd(s, 'H', x_end);
    if (x_start >= 0 && area) {
        jf__svg_path_cmd(s, 'V', base);
        jf__svg_path_cmd(s, 'H', x_start);
        jf__svg_path_raw(s, "Z");
    }
    jf__svg_path_end(s);
}

/* One small multiple per stage, each scaled to its own deepest queue (the
 * label says how deep) so a short queue still shows its shape. */
void jf__svg_write_queues(jf__svg_t *s)
{
    char cls[16], both[24], title[160];

    for (size_t st = 0; st < s->nqueues; st++) {
        const jf__svg_qcol_t *q = s->queue + st * s->ncols;
        double base = s->queue_y + (double)st * JF__SVG_QUEUE_PITCH + JF__SVG_QUEUE_H;
        double scale = JF__SVG_QUEUE_H / (double)(s->qmax[st] ? s->qmax[st] : 1);
        int any = 0;

        for (size_t c = 0; c < s->ncols && !any; c++)
            any = q[c].t_first != UINT64_MAX;
        jf__svg_start(s, "g");
        jf__svg_attr(s, "class", "queue");
        jf__svg_attr_int(s, "data-stage", (int64_t)st);
        jf__svg_stage_class(s, (unsigned)st, cls, sizeof cls);
        snprintf(title, sizeof title, "queue of %s: up to %u items", s->names[st],
                 (unsigned)s->qmax[st]);
        for (int area = 1; any && area >= 0; area--) {
            snprintf(both, sizeof both, "%s %s", cls, area ? "area" : "line");
            jf__svg_start(s, "path");
            jf__svg_attr(s, "class", both);
            depth_path(s, q, base, scale, area);
            jf__svg_title(s, title);
            jf__svg_end(s);
        }
        jf__svg_end(s);
    }
}

/* Section names and value scales in the left column, outside the zoom. */
void jf__svg_write_chart_labels(jf__svg_t *s)
{
    double vx = s->left - 8;
    char buf[96];

    jf__svg_label(s, "section", 12, s->alloc_y + 12, NULL, "workers busy");
    jf__svg_label(s, "value", vx, s->alloc_y + 9, "end",
                  jf__viz_fixed(buf, sizeof buf, (int64_t)s->trace->nlanes, 0, 1));
    jf__svg_label(s, "value", vx, s->alloc_y + JF__SVG_ALLOC_H, "end", "0");
    for (size_t st = 0; st < s->nqueues; st++) {
        double top = s->queue_y + (double)st * JF__SVG_QUEUE_PITCH;

        snprintf(buf, sizeof buf, "queue %s", s->names[st]);
        jf__svg_label(s, "section", 12, top + 12, NULL, buf);
        snprintf(buf, sizeof buf, "%u", (unsigned)s->qmax[st]);
        jf__svg_label(s, "value", vx, top + 9, "end", buf);
        jf__svg_label(s, "value", vx, top + JF__SVG_QUEUE_H, "end", "0");
    }
}
