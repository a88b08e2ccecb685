/* report_chart.c - index.html's compact chart: every strategy's repetitions on one scale. */
#include <math.h>
#include <stdio.h>

#include "report_parts.h"
#include "viz_internal.h"

#define CHART_W 640.0
#define PLOT_X0 118.0 /* strategy names left of it */
#define PLOT_X1 540.0 /* the median's value right of it */
#define ROW_H 22.0
#define TEXT_MAX 512

typedef struct chart {
    xmlNodePtr svg;
    double max_ns;    /* right end of the scale; the left is 0 */
    int *failed;
} chart_t;

static xmlNodePtr node(chart_t *c, xmlNodePtr parent, const char *name, const char *text)
{
    char clean[TEXT_MAX];
    xmlNodePtr n;

    if (*c->failed || parent == NULL)
        return NULL;
    n = xmlNewTextChild(parent, NULL, BAD_CAST name,
                        text != NULL ? BAD_CAST jf__viz_clean(clean, sizeof clean, text) : NULL);
    if (n == NULL)
        *c->failed = 1;
    return n;
}

static void set(chart_t *c, xmlNodePtr n, const char *name, const char *value)
{
    if (!*c->failed && n != NULL && xmlNewProp(n, BAD_CAST name, BAD_CAST value) == NULL)
        *c->failed = 1;
}

/* A number attribute with one decimal (the caller is in the C locale). */
static void setf(chart_t *c, xmlNodePtr n, const char *name, double v)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%.1f", v);
    set(c, n, name, buf);
}

static double x_of(const chart_t *c, double ns)
{
    return PLOT_X0 + (PLOT_X1 - PLOT_X0) * ns / c->max_ns;
}

static xmlNodePtr label(chart_t *c, xmlNodePtr g, double x, double y, const char *text)
{
    xmlNodePtr t = node(c, g, "text", text);

    setf(c, t, "x", x);
    setf(c, t, "y", y + 4);
    return t;
}

/* "single: 3 repetitions: 64.21, 66.29, 70.12 ms" as the row's tooltip. */
static void tooltip(chart_t *c, xmlNodePtr g, const jf_viz_run_t *run)
{
    char buf[TEXT_MAX];
    int len = snprintf(buf, sizeof buf, "%s: %zu repetition%s:", run->strategy, run->nsamples,
                       run->nsamples == 1 ? "" : "s");

    for (size_t i = 0; i < run->nsamples && len > 0 && (size_t)len < sizeof buf - 16; i++)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "%s %.2f", i ? "," : "",
                        (double)run->samples_ns[i] / 1e6);
    if (len > 0 && (size_t)len < sizeof buf - 4)
        snprintf(buf + len, sizeof buf - (size_t)len, " ms");
    node(c, g, "title", buf);
}

/* One strategy: its name, a line from its fastest to its slowest
 * repetition, a dot per repetition, a bar at the median and its value. */
static void row(chart_t *c, const jf_viz_run_t *run, double y)
{
    xmlNodePtr g = node(c, c->svg, "g", NULL), e;
    uint64_t lo = UINT64_MAX, hi = 0;
    char buf[48];

    tooltip(c, g, run);
    label(c, g, 0, y, run->strategy);
    for (size_t i = 0; i < run->nsamples; i++) {
        lo = run->samples_ns[i] < lo ? run->samples_ns[i] : lo;
        hi = run->samples_ns[i] > hi ? run->samples_ns[i] : hi;
    }
    e = node(c, g, "line", NULL);
    setf(c, e, "x1", x_of(c, (double)lo));
    setf(c, e, "x2", x_of(c, (double)hi));
    setf(c, e, "y1", y);
    setf(c, e, "y2", y);
    set(c, e, "stroke", "#999");
    for (size_t i = 0; i < run->nsamples; i++) {
        e = node(c, g, "circle", NULL);
        setf(c, e, "cx", x_of(c, (double)run->samples_ns[i]));
        setf(c, e, "cy", y);
        set(c, e, "r", "3.5");
        set(c, e, "fill", "#5b8fc9");
        set(c, e, "fill-opacity", "0.6");
    }
    if (run->wall_ns > 0) {
        e = node(c, g, "rect", NULL);
        setf(c, e, "x", x_of(c, run->wall_ns) - 1);
        setf(c, e, "y", y - 8);
        set(c, e, "width", "2");
        set(c, e, "height", "16");
        set(c, e, "fill", "#222");
        snprintf(buf, sizeof buf, "%.2f ms", run->wall_ns / 1e6);
        label(c, g, PLOT_X1 + 10, y, buf);
    }
}

/* Where the scale starts: ratios of lengths are ratios of times. */
static void zero_line(chart_t *c, double height)
{
    xmlNodePtr e = node(c, c->svg, "line", NULL);

    setf(c, e, "x1", PLOT_X0);
    setf(c, e, "x2", PLOT_X0);
    set(c, e, "y1", "0");
    setf(c, e, "y2", height);
    set(c, e, "stroke", "#ccc");
}

static int charted(const jf_viz_run_t *run)
{
    return run->nsamples > 0 && run->samples_ns != NULL && run->strategy != NULL;
}

void jf__viz_html_chart(xmlNodePtr body, const jf_viz_report_t *r, int *failed)
{
    chart_t c = {.failed = failed};
    size_t rows = 0;
    char box[64];

    for (size_t i = 0; i < r->nruns; i++) {
        for (size_t k = 0; charted(&r->runs[i]) && k < r->runs[i].nsamples; k++)
            c.max_ns = fmax(c.max_ns, (double)r->runs[i].samples_ns[k]);
        rows += charted(&r->runs[i]);
    }
    if (rows == 0 || !(c.max_ns > 0))
        return;
    set(&c, node(&c, body, "p", "Wall time of every repetition (dots) and the median (bar), "
                 "from 0 at the grey line:"), "class", "how");
    c.svg = node(&c, body, "svg", NULL);
    set(&c, c.svg, "class", "spread");
    snprintf(box, sizeof box, "0 0 %.0f %.0f", CHART_W, ROW_H * (double)rows + 4);
    set(&c, c.svg, "viewBox", box);
    setf(&c, c.svg, "width", CHART_W);
    setf(&c, c.svg, "height", ROW_H * (double)rows + 4);
    set(&c, c.svg, "font-size", "12");
    set(&c, c.svg, "style", "display:block;max-width:100%;height:auto");
    zero_line(&c, ROW_H * (double)rows + 4);
    for (size_t i = 0, k = 0; i < r->nruns; i++)
        if (charted(&r->runs[i]))
            row(&c, &r->runs[i], ROW_H * (double)k++ + ROW_H / 2 + 2);
}
