/* trend.c - median wall time and efficiency over commits, one SVG, regressions marked. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "svg_internal.h"
#include "viz_internal.h"

#define PAGE_W 1400.0
#define MARGIN 24.0
#define HEAD_H 56.0     /* document title and the note under it */
#define PANEL_HEAD 30.0 /* panel title */
#define AXIS_L 70.0     /* y labels left of a plot */
#define PLOT_H 180.0
#define AXIS_B 40.0     /* x labels under a plot */
#define LEGEND_ROW 20.0
#define PANEL_GAP 28.0
#define RIGHT_PAD 48.0  /* room right of a plot for the last run's label */
#define LOG_SPREAD 20.0 /* wall times spanning more than this factor get a log scale */
#define REGRESSION "#d62728"

/* One plot: where it is and what it shows. */
typedef struct chart {
    double x, y, w, h;
    double ymin;    /* value at the bottom (0, or > 0 on a log scale) */
    double ymax;    /* value at the top */
    int efficiency; /* 1: efficiency in %, 0: wall time in ms */
    int log;        /* logarithmic value axis */
} chart_t;

/* The series' strategy colour, the same as in the scaling plot. */
static const char *series_colour(const jf_viz_trend_series_t *se)
{
    return jf_viz_strategy_colour(se->name);
}

/* A later series of a strategy already in the panel (another policy of
 * scheduled) shares its colour: a dashed line tells it apart. */
static int series_dashed(const jf_viz_trend_panel_t *p, size_t i)
{
    const char *name = p->series[i].name ? p->series[i].name : "";
    size_t len = strcspn(name, "/");

    for (size_t j = 0; j < i; j++) {
        const char *other = p->series[j].name ? p->series[j].name : "";
        if (strcspn(other, "/") == len && strncmp(other, name, len) == 0)
            return 1;
    }
    return 0;
}

static double value_of(const chart_t *c, const jf_viz_trend_point_t *p)
{
    return c->efficiency ? p->efficiency * 100.0 : p->wall_ns / 1e6;
}

static double px_x(const chart_t *c, const jf_viz_trend_panel_t *p, size_t run)
{
    return p->nruns < 2 ? c->x + c->w / 2 : c->x + c->w * (double)run / (double)(p->nruns - 1);
}

static double px_y(const chart_t *c, double v)
{
    double f;

    if (c->log)
        f = v > 0 ? log(v / c->ymin) / log(c->ymax / c->ymin) : 0;
    else
        f = c->ymax > c->ymin ? (v - c->ymin) / (c->ymax - c->ymin) : 0;
    return c->y + c->h - (f < 0 ? 0 : f > 1 ? 1 : f) * c->h;
}

/* 1, 2 or 5 times a power of ten, for about five ticks up to max. */
static double tick_step(double max)
{
    double raw = max / 5, mag = pow(10, floor(log10(raw > 0 ? raw : 1)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* The 1-2-5 value at or below (up = 0) or above (up = 1) v > 0. */
static double round125(double v, int up)
{
    double mag = pow(10, floor(log10(v))), best = up ? 10 * mag : mag;

    for (int i = 0; i < 3; i++) {
        double x = (double[]){1, 2, 5}[i] * mag;
        if (up ? x >= v && x < best : x <= v && x > best)
            best = x;
    }
    return best;
}

/* The value axis: linear from 0, or logarithmic when wall times of the
 * series differ by more than LOG_SPREAD (a 4 ms line next to a 300 ms one
 * would be flat at the bottom). */
static void scale(chart_t *c, const jf_viz_trend_panel_t *p)
{
    double max = c->efficiency ? 100.0 : 0.0, min = INFINITY;

    for (size_t i = 0; i < p->nseries; i++)
        for (size_t k = 0; k < p->series[i].n; k++) {
            double v = value_of(c, &p->series[i].points[k]);
            max = isfinite(v) && v > max ? v : max;
            min = isfinite(v) && v > 0 && v < min ? v : min;
        }
    c->log = !c->efficiency && isfinite(min) && max / min > LOG_SPREAD;
    if (c->log) {
        c->ymin = round125(min / 1.2, 0);
        c->ymax = round125(max * 1.2, 1);
        return;
    }
    double step = tick_step(max > 0 ? max * 1.08 : 1);
    c->ymin = 0;
    c->ymax = ceil((max > 0 ? max * 1.08 : 1) / step) * step;
}

static void write_tick(jf__svg_t *s, const chart_t *c, double v)
{
    char buf[32];

    jf__svg_start(s, "path");
    jf__svg_attr(s, "class", "grid");
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', c->x);
    jf__svg_path_cmd(s, ' ', px_y(c, v));
    jf__svg_path_cmd(s, 'H', c->x + c->w);
    jf__svg_path_end(s);
    jf__svg_end(s);
    snprintf(buf, sizeof buf, "%g", v);
    jf__svg_label(s, "tick", c->x - 6, px_y(c, v) + 4, "end", buf);
}

static void write_ticks(jf__svg_t *s, const chart_t *c)
{
    if (c->log) {
        for (double v = c->ymin; v <= c->ymax * 1.0001; v = round125(v * 1.0001, 1))
            write_tick(s, c, v);
        return;
    }
    double step = tick_step(c->ymax);
    for (double v = 0; v <= c->ymax + step / 2; v += step)
        write_tick(s, c, v);
}

static void write_axes(jf__svg_t *s, const chart_t *c, const jf_viz_trend_panel_t *p)
{
    size_t every = (size_t)ceil((double)p->nruns / fmax(1, floor(c->w / 90)));
    const char *shown = NULL;
    char buf[32];

    jf__svg_label(s, "axis", c->x, c->y - 8, NULL,
                  c->efficiency ? "efficiency, % (higher is better)"
                  : c->log      ? "median wall time, ms, log scale (lower is better)"
                                : "median wall time, ms (lower is better)");
    write_ticks(s, c);
    for (size_t r = 0; r < p->nruns; r += every ? every : 1) {
        const char *label = p->run_labels[r] ? p->run_labels[r] : "?";
        if (shown && strcmp(shown, label) == 0)
            continue; /* runs of one commit: label the first */
        shown = label;
        jf__svg_label(s, "tick", px_x(c, p, r), c->y + c->h + 16, "middle",
                      jf__viz_clean(buf, 16, label));
    }
    jf__svg_label(s, "tick", c->x + c->w / 2, c->y + c->h + 32, "middle",
                  "runs in the order they were made, labelled by commit");
}

static void write_point(jf__svg_t *s, const chart_t *c, const jf_viz_trend_panel_t *p,
                        const jf_viz_trend_series_t *se, const jf_viz_trend_point_t *pt)
{
    double v = value_of(c, pt), x = px_x(c, p, pt->run), y = px_y(c, v);
    const char *date = p->run_dates && p->run_dates[pt->run] ? p->run_dates[pt->run] : "";
    char title[512], clean[512];

    snprintf(title, sizeof title, "%s at %s %s: %.3f ms, efficiency %.1f%%%s%s", se->name,
             p->run_labels[pt->run] ? p->run_labels[pt->run] : "?", date, pt->wall_ns / 1e6,
             pt->efficiency * 100, pt->regression ? " \xc2\xb7 REGRESSION: " : "",
             pt->regression && pt->note ? pt->note : "");
    jf__svg_start(s, "circle");
    jf__svg_attr_px(s, "cx", x);
    jf__svg_attr_px(s, "cy", y);
    jf__svg_attr_px(s, "r", pt->regression ? 7 : 3);
    jf__svg_attr(s, "class", pt->regression ? "regression" : "point");
    if (!pt->regression)
        jf__svg_attr(s, "fill", series_colour(se));
    jf__svg_title(s, jf__viz_clean(clean, sizeof clean, title));
    jf__svg_end(s);
}

static void write_series(jf__svg_t *s, const chart_t *c, const jf_viz_trend_panel_t *p,
                         const jf_viz_trend_series_t *se)
{
    size_t drawn = 0;

    jf__svg_start(s, "path");
    jf__svg_attr(s, "class", "line");
    jf__svg_attr(s, "stroke", series_colour(se));
    if (series_dashed(p, (size_t)(se - p->series)))
        jf__svg_attr(s, "stroke-dasharray", "6 3");
    jf__svg_path_begin(s);
    for (size_t k = 0; k < se->n; k++) {
        double v = value_of(c, &se->points[k]);
        if (!isfinite(v) || v < 0)
            continue;
        jf__svg_path_cmd(s, drawn++ ? 'L' : 'M', px_x(c, p, se->points[k].run));
        jf__svg_path_cmd(s, ' ', px_y(c, v));
    }
    if (drawn == 0)
        jf__svg_path_raw(s, "M0 0");
    jf__svg_path_end(s);
    jf__svg_end(s);
    for (size_t k = 0; k < se->n; k++)
        if (isfinite(value_of(c, &se->points[k])) && value_of(c, &se->points[k]) >= 0)
            write_point(s, c, p, se, &se->points[k]);
}

static void write_legend(jf__svg_t *s, const jf_viz_trend_panel_t *p, double y)
{
    double x = MARGIN + AXIS_L;

    for (size_t i = 0; i <= p->nseries; i++) {
        const char *name = i < p->nseries ? p->series[i].name : "regression: compare flags it "
                                                                "against the run before";
        if (i < p->nseries) { /* the line as drawn, dashed or not, through the marker */
            jf__svg_start(s, "path");
            jf__svg_attr(s, "class", "line");
            jf__svg_attr(s, "stroke", series_colour(&p->series[i]));
            if (series_dashed(p, i))
                jf__svg_attr(s, "stroke-dasharray", "6 3");
            jf__svg_path_begin(s);
            jf__svg_path_cmd(s, 'M', x - 12);
            jf__svg_path_cmd(s, ' ', y - 4);
            jf__svg_path_cmd(s, 'h', 24);
            jf__svg_path_end(s);
            jf__svg_end(s);
        }
        jf__svg_start(s, "circle");
        jf__svg_attr_px(s, "cx", x);
        jf__svg_attr_px(s, "cy", y - 4);
        jf__svg_attr_px(s, "r", i < p->nseries ? 5 : 6);
        if (i < p->nseries)
            jf__svg_attr(s, "fill", series_colour(&p->series[i]));
        else
            jf__svg_attr(s, "class", "regression");
        jf__svg_end(s);
        jf__svg_label(s, "legend", x + 16, y, NULL, name);
        x += 44 + jf__svg_text_w(name);
    }
}

/* Returns the panel's height. */
static double write_panel(jf__svg_t *s, const jf_viz_trend_panel_t *p, double y)
{
    double w = (PAGE_W - 2 * MARGIN - 2 * AXIS_L - 2 * RIGHT_PAD) / 2;
    char buf[256];

    jf__svg_label(s, "panel", MARGIN, y + 18, NULL, jf__viz_clean(buf, sizeof buf, p->title));
    for (int e = 0; e < 2; e++) {
        chart_t c = {.x = MARGIN + AXIS_L + e * (w + RIGHT_PAD + AXIS_L),
                     .y = y + PANEL_HEAD + 16, .w = w, .h = PLOT_H, .efficiency = e};
        scale(&c, p);
        write_axes(s, &c, p);
        for (size_t i = 0; i < p->nseries; i++)
            write_series(s, &c, p, &p->series[i]);
    }
    write_legend(s, p, y + PANEL_HEAD + 16 + PLOT_H + AXIS_B + 10);
    return PANEL_HEAD + 16 + PLOT_H + AXIS_B + LEGEND_ROW + PANEL_GAP;
}

static void write_style(jf__svg_t *s)
{
    jf__svg_start(s, "style");
    jf__svg_cdata(s, "text{font-family:sans-serif;font-size:12px;fill:#222}"
                     ".title{font-size:18px;font-weight:bold}.panel{font-size:15px;"
                     "font-weight:bold}.axis{font-size:12px;fill:#444}.tick{font-size:11px;"
                     "fill:#555}.grid{stroke:#e3e3e3;stroke-width:1;fill:none}"
                     ".line{fill:none;stroke-width:2}.point{stroke:#fff;stroke-width:1}"
                     ".regression{fill:none;stroke:" REGRESSION ";stroke-width:2.5}");
    jf__svg_end(s);
}

static void write_document(jf__svg_t *s, const jf_viz_trend_t *t, double height)
{
    double y = HEAD_H;

    if (xmlTextWriterStartDocument(s->w, NULL, "UTF-8", NULL) < 0)
        s->err = JF_EIO;
    jf__svg_start(s, "svg");
    jf__svg_attr(s, "xmlns", "http://www.w3.org/2000/svg");
    jf__svg_attr_px(s, "width", PAGE_W);
    jf__svg_attr_px(s, "height", height);
    write_style(s);
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "width", "100%");
    jf__svg_attr(s, "height", "100%");
    jf__svg_attr(s, "fill", "#fff");
    jf__svg_end(s);
    jf__svg_label(s, "title", MARGIN, 28, NULL, t->title ? t->title : "jefferson trend");
    jf__svg_label(s, "axis", MARGIN, 46, NULL, "one point per run in the history; hover a point "
                  "for its figures; red rings: a regression against the run before");
    for (size_t i = 0; i < t->npanels; i++)
        y += write_panel(s, &t->panels[i], y);
    jf__svg_end(s);
    if (s->err == 0 && xmlTextWriterEndDocument(s->w) < 0)
        s->err = JF_EIO;
}

static int check(const jf_viz_trend_t *t)
{
    for (size_t i = 0; i < t->npanels; i++)
        for (size_t j = 0; j < t->panels[i].nseries; j++)
            for (size_t k = 0; k < t->panels[i].series[j].n; k++)
                if (t->panels[i].series[j].points[k].run >= t->panels[i].nruns)
                    return JF_EINVAL;
    return 0;
}

/* The trend's document: its height follows from the number of panels. */
static void draw(jf__svg_t *s, const void *arg)
{
    const jf_viz_trend_t *t = arg;
    double height = HEAD_H + MARGIN;

    for (size_t i = 0; i < t->npanels; i++)
        height += PANEL_HEAD + 16 + PLOT_H + AXIS_B + LEGEND_ROW + PANEL_GAP;
    write_document(s, t, height);
}

int jf_viz_write_trend(const jf_viz_trend_t *t, const char *path)
{
    jf__viz_locale_t loc;
    char *tmp;
    int err;

    if (t == NULL || path == NULL || check(t) != 0)
        return JF_EINVAL;
    if ((tmp = jf__viz_tmp_path(path)) == NULL)
        return JF_ENOMEM;
    err = jf__viz_locale_enter(&loc);
    if (err == 0) {
        errno = 0;
        int written = jf__svg_write_file(tmp, draw, t);
        int cause = errno; /* of a failed write: removing tmp must not lose it */
        err = jf__viz_commit(tmp, path, written);
        if (written == JF_EIO && cause != 0)
            errno = cause;
        jf__viz_locale_leave(&loc);
    }
    jf_free(tmp);
    return err;
}
