/* scaling_svg.c - speedup and efficiency against cores, one SVG, measured and simulated apart. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "scaling_internal.h"
#include "svg_internal.h"
#include "viz_internal.h"

#define PAGE_W JF__SCALING_W
#define MARGIN 24.0
#define HEAD_H 64.0    /* title and the note under it */
#define AXIS_L 64.0    /* y labels left of a plot */
#define AXIS_GAP 56.0  /* between the two plots */
#define PLOT_H 380.0
#define INSET 14.0     /* the first and last count sit this far inside the plot */
#define AXIS_B 46.0    /* x labels under a plot */
#define LEGEND_ROW 22.0
#define MARKER_R 4.5
#define IDEAL "#9a9a9a"

/* One plot: where it is and what it shows. */
typedef struct chart {
    double x, y, w, h;
    double lx0, lx1; /* log2 of the first and last count */
    double ymin;     /* speedup: > 0, log2 scale; efficiency: 0, linear in % */
    double ymax;
    int efficiency;  /* 1: efficiency in %, 0: speedup */
} chart_t;

static double value_of(const chart_t *c, const jf_viz_scaling_point_t *p)
{
    double v = c->efficiency ? p->efficiency * 100.0 : p->speedup;

    /* Unknown figures are negative; a speedup of 0 has no place on a log scale. */
    return isfinite(v) && (c->efficiency ? v >= 0 : v > 0) ? v : NAN;
}

static double px_x(const chart_t *c, unsigned cores)
{
    double span = c->lx1 - c->lx0, f = span > 0 ? (log2(cores) - c->lx0) / span : 0.5;

    return c->x + INSET + f * (c->w - 2 * INSET);
}

static double px_y(const chart_t *c, double v)
{
    double f;

    if (c->efficiency)
        f = (v - c->ymin) / (c->ymax - c->ymin);
    else
        f = (log2(v) - log2(c->ymin)) / (log2(c->ymax) - log2(c->ymin));
    return c->y + c->h - (f < 0 ? 0 : f > 1 ? 1 : f) * c->h;
}

/* Speedup: whole powers of two around the points and the ideal line.
 * Efficiency: 0 to 100%, or to the next 10% above the highest point. */
static void scale(chart_t *c, const jf_viz_scaling_t *s)
{
    double lo = s->counts[0].cores, hi = s->counts[s->ncounts - 1].cores;

    if (c->efficiency)
        lo = 0, hi = 100;
    for (size_t i = 0; i < s->nseries; i++)
        for (size_t k = 0; k < s->series[i].n; k++) {
            double v = value_of(c, &s->series[i].points[k]);
            lo = isfinite(v) && v < lo ? v : lo;
            hi = isfinite(v) && v > hi ? v : hi;
        }
    if (c->efficiency) {
        c->ymin = 0;
        c->ymax = ceil(hi / 10 - 1e-9) * 10;
        return;
    }
    c->ymin = exp2(floor(log2(lo)));
    c->ymax = exp2(ceil(log2(hi)));
    if (c->ymax <= c->ymin)
        c->ymax = 2 * c->ymin;
}

static void hline(jf__svg_t *s, const chart_t *c, double y, const char *cls)
{
    jf__svg_start(s, "path");
    jf__svg_attr(s, "class", cls);
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', c->x);
    jf__svg_path_cmd(s, ' ', y);
    jf__svg_path_cmd(s, 'H', c->x + c->w);
    jf__svg_path_end(s);
    jf__svg_end(s);
}

static void write_y_ticks(jf__svg_t *s, const chart_t *c)
{
    double step = c->ymax > 100 ? 20 : 10;
    char buf[32];

    if (c->efficiency) {
        for (double v = 0; v <= c->ymax + step / 2; v += step) {
            hline(s, c, px_y(c, v), "grid");
            snprintf(buf, sizeof buf, "%g%%", v);
            jf__svg_label(s, "tick", c->x - 6, px_y(c, v) + 4, "end", buf);
        }
        return;
    }
    /* One tick per power of two, or per second power when they crowd. */
    double powers = log2(c->ymax / c->ymin), every = powers > 12 ? 2 : 1;
    for (double e = 0; e <= powers + 0.5; e += every) {
        double v = c->ymin * exp2(e);
        hline(s, c, px_y(c, v), "grid");
        snprintf(buf, sizeof buf, v < 1 ? "1/%g" : "%g", v < 1 ? 1 / v : v);
        jf__svg_label(s, "tick", c->x - 6, px_y(c, v) + 4, "end", buf);
    }
}

/* A tick at every count of the run, labelled where the labels do not crowd. */
static void write_x_ticks(jf__svg_t *s, const chart_t *c, const jf_viz_scaling_t *sc)
{
    double last = -INFINITY;
    char buf[16];

    for (size_t i = 0; i < sc->ncounts; i++) {
        double x = px_x(c, sc->counts[i].cores);
        jf__svg_start(s, "path");
        jf__svg_attr(s, "class", "grid");
        jf__svg_path_begin(s);
        jf__svg_path_cmd(s, 'M', x);
        jf__svg_path_cmd(s, ' ', c->y);
        jf__svg_path_cmd(s, 'V', c->y + c->h + 4);
        jf__svg_path_end(s);
        jf__svg_end(s);
        snprintf(buf, sizeof buf, "%u", sc->counts[i].cores);
        if (x - last >= jf__svg_text_w(buf) + 8) {
            jf__svg_label(s, "tick", x, c->y + c->h + 17, "middle", buf);
            last = x;
        }
    }
    jf__svg_label(s, "axis", c->x + c->w / 2, c->y + c->h + 36, "middle",
                  "cores (log\xe2\x82\x82 scale)");
}

/* Where measuring ends and simulating begins, when a run does both. */
static void write_sim_boundary(jf__svg_t *s, const chart_t *c, const jf_viz_scaling_t *sc)
{
    for (size_t i = 1; i < sc->ncounts; i++) {
        if (sc->counts[i - 1].simulated || !sc->counts[i].simulated)
            continue;
        double x = (px_x(c, sc->counts[i - 1].cores) + px_x(c, sc->counts[i].cores)) / 2;
        jf__svg_start(s, "path");
        jf__svg_attr(s, "class", "boundary");
        jf__svg_path_begin(s);
        jf__svg_path_cmd(s, 'M', x);
        jf__svg_path_cmd(s, ' ', c->y);
        jf__svg_path_cmd(s, 'V', c->y + c->h);
        jf__svg_path_end(s);
        jf__svg_end(s);
        jf__svg_label(s, "note", x - 4, c->y + 14, "end", "measured");
        jf__svg_label(s, "note", x + 4, c->y + 14, NULL, "simulated");
    }
}

/* Speedup = cores (single, the reference, runs on one core), efficiency
 * 100%: dashed, under the curves. */
static void write_ideal(jf__svg_t *s, const chart_t *c, const jf_viz_scaling_t *sc)
{
    unsigned first = sc->counts[0].cores, last = sc->counts[sc->ncounts - 1].cores;

    jf__svg_start(s, "path");
    jf__svg_attr(s, "class", "ideal");
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', px_x(c, first));
    jf__svg_path_cmd(s, ' ', px_y(c, c->efficiency ? 100 : first));
    jf__svg_path_cmd(s, 'L', px_x(c, last));
    jf__svg_path_cmd(s, ' ', px_y(c, c->efficiency ? 100 : last));
    jf__svg_path_end(s);
    jf__svg_title(s, c->efficiency ? "ideal: efficiency 100%" : "ideal: speedup = cores");
    jf__svg_end(s);
}

static void write_point(jf__svg_t *s, const chart_t *c, const jf_viz_scaling_series_t *se,
                        const jf_viz_scaling_point_t *pt, const char *colour)
{
    char title[512], clean[512], wall[64], speedup[32], efficiency[32];

    snprintf(speedup, sizeof speedup, pt->speedup >= 0 ? "%.2f\xc3\x97" : "?", pt->speedup);
    snprintf(efficiency, sizeof efficiency, pt->efficiency >= 0 ? "%.1f%%" : "?",
             pt->efficiency * 100);
    snprintf(title, sizeof title, "%s at %u core%s, %s: speedup %s, efficiency %s, median "
             "wall %s", se->label ? se->label : se->strategy, pt->cores,
             pt->cores == 1 ? "" : "s", pt->simulated ? "simulated" : "measured", speedup,
             efficiency,
             pt->wall_ns >= 0 ? jf__viz_duration(wall, sizeof wall, (uint64_t)pt->wall_ns) : "?");
    jf__svg_start(s, "circle");
    jf__svg_attr(s, "class", pt->simulated ? "simulated" : "measured");
    jf__svg_attr(s, "data-strategy", se->strategy);
    jf__svg_attr_int(s, "data-cores", pt->cores);
    jf__svg_attr_px(s, "cx", px_x(c, pt->cores));
    jf__svg_attr_px(s, "cy", px_y(c, value_of(c, pt)));
    jf__svg_attr_px(s, "r", MARKER_R);
    jf__svg_attr(s, "stroke", colour);
    jf__svg_attr(s, "fill", pt->simulated ? "#fff" : colour);
    jf__svg_title(s, jf__viz_clean(clean, sizeof clean, title));
    jf__svg_end(s);
}

static void write_series(jf__svg_t *s, const chart_t *c, const jf_viz_scaling_series_t *se)
{
    const char *colour = jf_viz_strategy_colour(se->strategy);
    size_t drawn = 0;

    jf__svg_start(s, "path");
    jf__svg_attr(s, "class", "curve");
    jf__svg_attr(s, "data-strategy", se->strategy);
    jf__svg_attr(s, "stroke", colour);
    jf__svg_path_begin(s);
    for (size_t k = 0; k < se->n; k++) {
        double v = value_of(c, &se->points[k]);
        if (isnan(v))
            continue;
        jf__svg_path_cmd(s, drawn++ ? 'L' : 'M', px_x(c, se->points[k].cores));
        jf__svg_path_cmd(s, ' ', px_y(c, v));
    }
    if (drawn == 0)
        jf__svg_path_raw(s, "M0 0");
    jf__svg_path_end(s);
    jf__svg_end(s);
    for (size_t k = 0; k < se->n; k++)
        if (!isnan(value_of(c, &se->points[k])))
            write_point(s, c, se, &se->points[k], colour);
}

static void write_chart(jf__svg_t *s, chart_t *c, const jf_viz_scaling_t *sc)
{
    scale(c, sc);
    jf__svg_label(s, "axis", c->x, c->y - 10, NULL,
                  c->efficiency ? "efficiency: lower bound / median wall (higher is better)"
                                : "speedup vs single, log\xe2\x82\x82 scale (higher is better)");
    write_y_ticks(s, c);
    write_x_ticks(s, c, sc);
    write_sim_boundary(s, c, sc);
    write_ideal(s, c, sc);
    for (size_t i = 0; i < sc->nseries; i++)
        write_series(s, c, &sc->series[i]);
}

/* A legend entry's marker: filled (measured) or hollow (simulated). */
static void legend_marker(jf__svg_t *s, double x, double y, const char *colour, int hollow)
{
    jf__svg_start(s, "circle");
    jf__svg_attr_px(s, "cx", x);
    jf__svg_attr_px(s, "cy", y);
    jf__svg_attr_px(s, "r", MARKER_R);
    jf__svg_attr(s, "stroke", colour);
    jf__svg_attr(s, "stroke-width", "2");
    jf__svg_attr(s, "fill", hollow ? "#fff" : colour);
    jf__svg_end(s);
}

static double legend_line(jf__svg_t *s, double x, double y, const char *colour, const char *cls)
{
    jf__svg_start(s, "path");
    jf__svg_attr(s, "class", cls);
    if (colour != NULL)
        jf__svg_attr(s, "stroke", colour);
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', x);
    jf__svg_path_cmd(s, ' ', y);
    jf__svg_path_cmd(s, 'h', 26);
    jf__svg_path_end(s);
    jf__svg_end(s);
    return x + 32;
}

/* Strategies on one row; what the markers and the dashed line mean on the next. */
static void write_legend(jf__svg_t *s, const jf_viz_scaling_t *sc, double y)
{
    double x = MARGIN + AXIS_L;
    char clean[128];

    for (size_t i = 0; i < sc->nseries; i++) {
        const jf_viz_scaling_series_t *se = &sc->series[i];
        const char *name = jf__viz_clean(clean, 64, se->label ? se->label : se->strategy);
        legend_line(s, x, y - 4, jf_viz_strategy_colour(se->strategy), "curve");
        jf__svg_label(s, "legend", x + 32, y, NULL, name);
        x += 56 + jf__svg_text_w(name);
    }
    x = MARGIN + AXIS_L;
    y += LEGEND_ROW;
    legend_marker(s, x + 6, y - 4, "#444", 0);
    jf__svg_label(s, "legend", x + 16, y, NULL, "measured (filled)");
    x += 40 + jf__svg_text_w("measured (filled)");
    legend_marker(s, x + 6, y - 4, "#444", 1);
    jf__svg_label(s, "legend", x + 16, y, NULL, "simulated with --sim (hollow)");
    x += 40 + jf__svg_text_w("simulated with --sim (hollow)");
    x = legend_line(s, x, y - 4, NULL, "ideal");
    jf__svg_label(s, "legend", x, y, NULL, "ideal: speedup = cores, efficiency 100%");
}

static void write_style(jf__svg_t *s)
{
    jf__svg_start(s, "style");
    jf__svg_cdata(s, "text{font-family:sans-serif;font-size:12px;fill:#222}"
                     ".title{font-size:18px;font-weight:bold}.axis{font-size:12px;fill:#444}"
                     ".tick{font-size:11px;fill:#555}.note{font-size:11px;fill:#777}"
                     ".legend{font-size:12px}.grid{stroke:#e6e6e6;stroke-width:1;fill:none}"
                     ".boundary{stroke:#bbb;stroke-width:1;stroke-dasharray:2 3;fill:none}"
                     ".ideal{stroke:" IDEAL ";stroke-width:1.5;stroke-dasharray:6 4;fill:none}"
                     ".curve{fill:none;stroke-width:2}"
                     "circle{stroke-width:2}");
    jf__svg_end(s);
}

/* "measured up to 2 cores, simulated beyond", "all simulated", "all measured". */
char *jf__viz_scaling_span(const jf_viz_scaling_t *sc, char *buf, size_t size)
{
    unsigned first = sc->counts[0].cores, last = sc->counts[sc->ncounts - 1].cores;

    if (first == last)
        snprintf(buf, size, "at %u core%s", first, first == 1 ? "" : "s");
    else
        snprintf(buf, size, "from %u to %u cores", first, last);
    return buf;
}

static void write_head(jf__svg_t *s, const jf_viz_scaling_t *sc)
{
    char title[256], note[256], clean[256], span[64];
    size_t sim = 0, real = 0;

    for (size_t i = 0; i < sc->ncounts; i++)
        sc->counts[i].simulated ? sim++ : real++;
    snprintf(title, sizeof title, "%s: scaling %s%s", sc->workload ? sc->workload : "run",
             jf__viz_scaling_span(sc, span, sizeof span),
             sc->interrupted ? " (interrupted)" : "");
    if (sim == 0 || real == 0)
        snprintf(note, sizeof note, "every point %s; ", sim ? "simulated in virtual time"
                                                            : "measured on this machine");
    else
        snprintf(note, sizeof note, "measured up to the machine's %u cores, simulated beyond; ",
                 sc->machine_cores);
    snprintf(note + strlen(note), sizeof note - strlen(note),
             "speedup against single at the same count; hover a point for its figures");
    jf__svg_label(s, "title", MARGIN, 28, NULL, jf__viz_clean(clean, sizeof clean, title));
    jf__svg_label(s, "axis", MARGIN, 48, NULL, note);
}

static double page_height(void)
{
    return HEAD_H + 24 + PLOT_H + AXIS_B + 2 * LEGEND_ROW + MARGIN;
}

/* In whole px, cast one constant at a time: C11 allows a floating constant
 * in an integer constant expression only as the operand of a cast. */
_Static_assert((int)HEAD_H + 24 + (int)PLOT_H + (int)AXIS_B + 2 * (int)LEGEND_ROW + (int)MARGIN ==
                   (int)JF__SCALING_H,
               "JF__SCALING_H is the height page_height() draws");

static void write_document(jf__svg_t *s, const jf_viz_scaling_t *sc)
{
    double w = (PAGE_W - 2 * MARGIN - 2 * AXIS_L - AXIS_GAP) / 2, top = HEAD_H + 24;

    if (xmlTextWriterStartDocument(s->w, NULL, "UTF-8", NULL) < 0)
        s->err = JF_EIO;
    jf__svg_start(s, "svg");
    jf__svg_attr(s, "xmlns", "http://www.w3.org/2000/svg");
    jf__svg_attr_px(s, "width", PAGE_W);
    jf__svg_attr_px(s, "height", page_height());
    write_style(s);
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "width", "100%");
    jf__svg_attr(s, "height", "100%");
    jf__svg_attr(s, "fill", "#fff");
    jf__svg_end(s);
    write_head(s, sc);
    for (int e = 0; e < 2; e++) {
        chart_t c = {.x = MARGIN + AXIS_L + e * (w + AXIS_GAP + AXIS_L), .y = top, .w = w,
                     .h = PLOT_H, .efficiency = e,
                     .lx0 = log2(sc->counts[0].cores),
                     .lx1 = log2(sc->counts[sc->ncounts - 1].cores)};
        write_chart(s, &c, sc);
    }
    write_legend(s, sc, top + PLOT_H + AXIS_B + 8);
    jf__svg_end(s);
    if (s->err == 0 && xmlTextWriterEndDocument(s->w) < 0)
        s->err = JF_EIO;
}

int jf__viz_scaling_check(const jf_viz_scaling_t *sc)
{
    if (sc->ncounts == 0 || sc->counts == NULL || (sc->nseries > 0 && sc->series == NULL))
        return JF_EINVAL;
    for (size_t i = 0; i < sc->ncounts; i++)
        if (sc->counts[i].cores == 0 || (i > 0 && sc->counts[i].cores <= sc->counts[i - 1].cores))
            return JF_EINVAL;
    for (size_t i = 0; i < sc->nseries; i++) {
        const jf_viz_scaling_series_t *se = &sc->series[i];
        if (se->strategy == NULL || (se->n > 0 && se->points == NULL))
            return JF_EINVAL;
        for (size_t k = 0; k < se->n; k++)
            if (se->points[k].cores < sc->counts[0].cores ||
                se->points[k].cores > sc->counts[sc->ncounts - 1].cores ||
                (k > 0 && se->points[k].cores <= se->points[k - 1].cores))
                return JF_EINVAL;
    }
    return 0;
}

static void draw(jf__svg_t *s, const void *sc)
{
    write_document(s, sc);
}

int jf_viz_write_scaling_svg(const jf_viz_scaling_t *sc, const char *path)
{
    jf__viz_locale_t loc;
    char *tmp;
    int err;

    if (sc == NULL || path == NULL || jf__viz_scaling_check(sc) != 0)
        return JF_EINVAL;
    if ((tmp = jf__viz_tmp_path(path)) == NULL)
        return JF_ENOMEM;
    err = jf__viz_locale_enter(&loc);
    if (err == 0) {
        err = jf__viz_commit(tmp, path, jf__svg_write_file(tmp, draw, sc));
        jf__viz_locale_leave(&loc);
    }
    jf_free(tmp);
    return err;
}
