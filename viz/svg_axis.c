/* svg_axis.c - the frames, grid, time axis and legend of the SVG timeline. */
#include <math.h>
#include <stdio.h>

#include "svg_internal.h"
#include "viz_internal.h"

#define ROW_H 20.0 /* legend row */

static void rect(jf__svg_t *s, const char *cls, double x, double y, double w, double h)
{
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "class", cls);
    jf__svg_attr_px(s, "x", x);
    jf__svg_attr_px(s, "y", y);
    jf__svg_attr_px(s, "width", w);
    jf__svg_attr_px(s, "height", h);
    jf__svg_end(s);
}

static void hline(jf__svg_t *s, const char *cls, double x0, double x1, double y)
{
    jf__svg_start(s, "path");
    jf__svg_attr(s, "class", cls);
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', x0);
    jf__svg_path_cmd(s, ' ', y);
    jf__svg_path_cmd(s, 'H', x1);
    jf__svg_path_end(s);
    jf__svg_end(s);
}

/* Backgrounds of the chart areas and lanes. They do not move when zoomed,
 * so they stay out of the zoomed group, as do the whole-worker grid lines. */
void jf__svg_write_frames(jf__svg_t *s)
{
    size_t nlanes = s->trace->nlanes;

    jf__svg_start(s, "g");
    jf__svg_attr(s, "class", "frames");
    rect(s, "frame", 0, s->alloc_y, s->plot_w, JF__SVG_ALLOC_H);
    for (size_t k = 1; k < nlanes && nlanes <= 16; k++)
        hline(s, "hgrid", 0, s->plot_w,
              s->alloc_y + JF__SVG_ALLOC_H - (double)k * JF__SVG_ALLOC_H / (double)nlanes);
    for (size_t i = 0; i < nlanes; i++)
        rect(s, "lane-bg", 0, s->lanes_y + (double)i * (s->lane_h + JF__SVG_LANE_GAP), s->plot_w,
             s->lane_h);
    for (size_t i = 0; i < s->nqueues; i++)
        rect(s, "frame", 0, s->queue_y + (double)i * JF__SVG_QUEUE_PITCH, s->plot_w,
             JF__SVG_QUEUE_H);
    jf__svg_end(s);
}

/* When the axis runs past the end of the run (timelines on a common
 * scale), the time after it is shaded, with a line where the run ended.
 * Written inside the zoomed group, so it moves with the data. */
void jf__svg_write_after_end(jf__svg_t *s)
{
    char title[96], at[32];
    double x = jf__svg_x(s, s->end);

    if (s->end >= s->wall || s->plot_w - x < 0.5)
        return;
    snprintf(title, sizeof title, "the run ended at %s",
             jf__viz_duration(at, sizeof at, s->end));
    jf__svg_start(s, "g");
    jf__svg_attr(s, "class", "after");
    jf__svg_start(s, "rect");
    jf__svg_attr_px(s, "x", x);
    jf__svg_attr_px(s, "y", s->alloc_y);
    jf__svg_attr_px(s, "width", s->plot_w - x);
    jf__svg_attr_px(s, "height", s->axis_y - s->alloc_y);
    jf__svg_title(s, title);
    jf__svg_end(s);
    jf__svg_start(s, "path");
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', x);
    jf__svg_path_cmd(s, ' ', s->alloc_y);
    jf__svg_path_cmd(s, 'V', s->axis_y);
    jf__svg_path_end(s);
    jf__svg_end(s);
    jf__svg_end(s);
}

/* Vertical lines at the ticks, from the top chart down to the axis. The
 * script redraws them for a zoomed view. */
void jf__svg_write_grid(jf__svg_t *s)
{
    uint64_t step = jf__svg_tick_step(s->wall, s->plot_w);

    jf__svg_start(s, "g");
    jf__svg_attr(s, "id", "grid");
    for (uint64_t t = 0; t <= s->wall && s->err == 0; t += step) {
        jf__svg_start(s, "path");
        jf__svg_path_begin(s);
        jf__svg_path_cmd(s, 'M', jf__svg_x(s, t));
        jf__svg_path_cmd(s, ' ', s->alloc_y);
        jf__svg_path_cmd(s, 'V', s->axis_y);
        jf__svg_path_end(s);
        jf__svg_end(s);
        if (t > UINT64_MAX - step)
            break;
    }
    jf__svg_end(s);
}

static void write_tick(jf__svg_t *s, uint64_t t, uint64_t step)
{
    char buf[48], label[48];

    snprintf(buf, sizeof buf, "translate(%s,0)",
             jf__viz_fixed(label, sizeof label, llround(jf__svg_x(s, t) * 100), 2, 1));
    jf__svg_start(s, "g");
    jf__svg_attr(s, "class", "tick");
    jf__svg_attr_int(s, "data-t", (int64_t)t);
    jf__svg_attr(s, "transform", buf);
    jf__svg_start(s, "path");
    jf__svg_attr(s, "d", "M0 0v5");
    jf__svg_end(s);
    jf__svg_label(s, NULL, 0, 18, "middle", jf__svg_tick_label(label, sizeof label, t, step,
                                                               s->wall));
    jf__svg_end(s);
}

/* The time axis under the charts, [0, wall] across the plot width. Clicks
 * on it zoom into one tick interval (svg_script.c). */
void jf__svg_write_axis(jf__svg_t *s)
{
    uint64_t step = jf__svg_tick_step(s->wall, s->plot_w);
    char buf[48], y[32];

    snprintf(buf, sizeof buf, "translate(0,%s)",
             jf__viz_fixed(y, sizeof y, llround(s->axis_y * 100), 2, 1));
    jf__svg_start(s, "g");
    jf__svg_attr(s, "id", "axis");
    jf__svg_attr(s, "transform", buf);
    jf__svg_attr_int(s, "data-t0", 0);
    jf__svg_attr_int(s, "data-t1", (int64_t)s->wall);
    rect(s, "axis-hit", 0, 0, s->plot_w, 26);
    hline(s, "axis-line", 0, s->plot_w, 0);
    jf__svg_start(s, "g");
    jf__svg_attr(s, "id", "ticks");
    for (uint64_t t = 0; t <= s->wall && s->err == 0; t += step) {
        write_tick(s, t, step);
        if (t > UINT64_MAX - step)
            break;
    }
    jf__svg_end(s);
    jf__svg_end(s);
}

/* One legend entry: a sample of how it is drawn, then its name. Returns
 * the width it takes. */
static double legend_item(jf__svg_t *s, int write, double x, double y, const char *cls,
                          const char *text)
{
    if (write) {
        jf__svg_start(s, "g");
        jf__svg_attr(s, "class", "item");
        if (cls[0] == 's')
            rect(s, cls, x, y - 10, 12, 12);
        else if (cls[0] == 'o') /* preempted: stripes over a batch */
            rect(s, "off", x, y - 10, 12, 12);
        else if (cls[0] == 'c') { /* carried: a line through a batch */
            rect(s, "s0", x, y - 10, 12, 12);
            rect(s, "carry", x, y - 5, 12, 2);
        } else if (cls[0] == 'p')
            hline(s, "pk", x, x + 12, y - 4);
        else
            rect(s, "mv-sample", x + 5, y - 11, 1.2, 8);
        jf__svg_label(s, NULL, x + 17, y, NULL, text);
        jf__svg_end(s);
    }
    return 17 + jf__svg_text_w(text) + 22;
}

/* Whether any batch of the trace was carried (the legend names it then). */
static int any_carried(const jf_trace_t *t)
{
    for (size_t i = 0; i < t->nlanes; i++)
        for (size_t k = 0; k < t->lanes[i].count; k++)
            if (t->lanes[i].events[k].kind == JF_EV_BATCH_BEGIN &&
                (t->lanes[i].events[k].flags & JF_EV_CARRIED))
                return 1;
    return 0;
}

/* The legend wraps within the narrowest box index.html fits a timeline
 * to without shrinking its text (a 900 px window), so no entry is cut off. */
double jf__svg_legend(jf__svg_t *s, int write)
{
    double right = fmin(JF__SVG_WIDTH - JF__SVG_RIGHT, JF__SVG_LEGEND_RIGHT);
    double x = s->left, y = s->legend_y + 14;
    char cls[16];

    if (write) {
        jf__svg_start(s, "g");
        jf__svg_attr(s, "class", "legend");
    }
    static const char *const extra[] = {"parked", "moved", "preempted", "carried"};
    static const char extra_cls[] = "pmoc";
    size_t nextra = sizeof extra / sizeof extra[0] - !any_carried(s->trace);

    for (size_t i = 0; i < s->nstages + nextra; i++) {
        const char *text = i < s->nstages ? s->names[i] : extra[i - s->nstages];
        double w = 17 + jf__svg_text_w(text) + 22;

        if (i < s->nstages)
            jf__svg_stage_class(s, (unsigned)i, cls, sizeof cls);
        if (x + w > right && x > s->left) {
            x = s->left;
            y += ROW_H;
        }
        char other[2] = {i < s->nstages ? 0 : extra_cls[i - s->nstages], 0};
        x += legend_item(s, write, x, y, i < s->nstages ? cls : other, text);
    }
    if (write)
        jf__svg_end(s);
    return y - s->legend_y + 8;
}
