/* scaling_html.c - index.html of a scaling run: the plot on top, then every count's report. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libxml/HTMLtree.h>

#include "jefferson/error.h"
#include "html_build.h"
#include "scaling_internal.h"
#include "viz_internal.h"

#define TEXT_MAX 1024

static const char style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "'DejaVu Sans',sans-serif;margin:16px 20px;color:#222;background:#fff}\n"
    "h1{font-size:22px;margin:0 0 4px}h1 .sub{font-weight:normal;color:#555}\n"
    "h2{font-size:17px;margin:18px 0 4px}\n"
    "p{margin:4px 0}.desc{color:#444}.ctx,.files,.how{color:#666;font-size:13px}\n"
    ".ctx code{font-size:12px}.warn{color:#b00020;font-weight:bold}\n"
    "object{display:block;width:100%;max-width:1240px;height:auto;margin:8px 0;"
    "border:1px solid #ddd}\n"
    "table{border-collapse:collapse;margin:8px 0 10px;font-size:14px}\n"
    "th,td{padding:5px 10px;border-bottom:1px solid #e4e4e4;text-align:right;"
    "white-space:nowrap}\n"
    "th{background:#f4f4f4;font-weight:600;border-bottom:1px solid #ccc}\n"
    "td.l,th.l{text-align:left}.key{display:inline-block;width:10px;height:10px;"
    "border-radius:5px;margin-right:6px;vertical-align:middle}\n"
    "a{color:#1a5fb4}\n";

/* The page being built. Calls after an allocation failure do nothing. */
typedef struct page {
    htmlDocPtr doc;
    int failed;
    const jf_viz_scaling_t *s;
    const char *svg;
} page_t;

static xmlNodePtr add(page_t *p, xmlNodePtr parent, const char *name, const char *cls,
                      const char *text)
{
    return jf__html_add(parent, name, cls, text, &p->failed);
}

static void attr(page_t *p, xmlNodePtr n, const char *name, const char *value)
{
    jf__html_attr(n, name, value, &p->failed);
}

static void add_link(page_t *p, xmlNodePtr parent, const char *href, const char *label)
{
    attr(p, add(p, parent, "a", NULL, label), "href", href);
}

static void head(page_t *p, xmlNodePtr html)
{
    char title[TEXT_MAX];

    snprintf(title, sizeof title, "%s scaling", p->s->workload != NULL ? p->s->workload : "run");
    jf__html_head(html, title, style, &p->failed);
}

static void header(page_t *p, xmlNodePtr body)
{
    const jf_viz_scaling_t *s = p->s;
    xmlNodePtr h1 = add(p, body, "h1", NULL, s->workload != NULL ? s->workload : "run");
    char buf[TEXT_MAX], span[64];

    snprintf(buf, sizeof buf, " scaling %s", jf__viz_scaling_span(s, span, sizeof span));
    add(p, h1, "span", "sub", buf);
    if (s->description != NULL && s->description[0] != '\0')
        add(p, body, "p", "desc", s->description);
    if (s->interrupted)
        add(p, body, "p", "warn", "The run was interrupted: the counts missing below never ran, "
                                  "and the last one shown may be incomplete.");
    jf__html_context(body, s->date, s->host, s->cpu, s->commit, s->command, &p->failed);
}

static void plot(page_t *p, xmlNodePtr body)
{
    xmlNodePtr obj = add(p, body, "object", NULL, NULL);
    char buf[64];

    attr(p, obj, "data", p->svg);
    attr(p, obj, "type", "image/svg+xml");
    snprintf(buf, sizeof buf, "%d", (int)JF__SCALING_W);
    attr(p, obj, "width", buf);
    snprintf(buf, sizeof buf, "%d", (int)JF__SCALING_H);
    attr(p, obj, "height", buf);
    snprintf(buf, sizeof buf, "aspect-ratio:%d/%d", (int)JF__SCALING_W, (int)JF__SCALING_H);
    attr(p, obj, "style", buf);
    add_link(p, obj, p->svg, "the scaling plot"); /* where <object> is not supported */
    add(p, body, "p", "how",
        "Speedup is single's median wall time over the strategy's, both at the same count "
        "(both measured, or both simulated); efficiency is the run's lower bound over its "
        "median wall time, as in every report. Filled points were measured on this machine, "
        "hollow ones simulated in virtual time; the dashed lines are the ideal. Each count "
        "below links to its own report, with the timelines.");
}

/* The point of series se at cores, or NULL. */
static const jf_viz_scaling_point_t *point_at(const jf_viz_scaling_series_t *se, unsigned cores)
{
    for (size_t k = 0; k < se->n; k++)
        if (se->points[k].cores == cores)
            return &se->points[k];
    return NULL;
}

static void table_head(page_t *p, xmlNodePtr table)
{
    xmlNodePtr tr = add(p, add(p, table, "thead", NULL, NULL), "tr", NULL, NULL), th;
    char style_buf[64];

    add(p, tr, "th", NULL, "cores");
    add(p, tr, "th", "l", "points");
    for (size_t i = 0; i < p->s->nseries; i++) {
        const jf_viz_scaling_series_t *se = &p->s->series[i];
        th = add(p, tr, "th", NULL, NULL);
        snprintf(style_buf, sizeof style_buf, "background:%s",
                 jf_viz_strategy_colour(se->strategy));
        attr(p, add(p, th, "span", "key", ""), "style", style_buf);
        add(p, th, "span", NULL, se->label ? se->label : se->strategy);
    }
    add(p, tr, "th", "l", "report");
}

static void table_row(page_t *p, xmlNodePtr tbody, const jf_viz_scaling_count_t *c)
{
    xmlNodePtr tr = add(p, tbody, "tr", NULL, NULL), links;
    char buf[TEXT_MAX];

    snprintf(buf, sizeof buf, "%u", c->cores);
    add(p, tr, "td", NULL, buf);
    add(p, tr, "td", "l", c->interrupted ? (c->simulated ? "simulated, interrupted"
                                                         : "measured, interrupted")
                          : c->simulated ? "simulated" : "measured");
    for (size_t i = 0; i < p->s->nseries; i++) {
        const jf_viz_scaling_point_t *pt = point_at(&p->s->series[i], c->cores);
        if (pt != NULL && pt->speedup >= 0 && pt->efficiency >= 0)
            snprintf(buf, sizeof buf, "%.2f\xc3\x97 \xc2\xb7 %.1f %%", pt->speedup,
                     pt->efficiency * 100);
        else
            snprintf(buf, sizeof buf, "\xe2\x80\x93");
        add(p, tr, "td", NULL, buf);
    }
    links = add(p, tr, "td", "l", NULL);
    snprintf(buf, sizeof buf, "%s/index.html", c->dir);
    add_link(p, links, buf, c->dir);
    add(p, links, "span", NULL, " \xc2\xb7 ");
    snprintf(buf, sizeof buf, "%s/result.json", c->dir);
    add_link(p, links, buf, "result.json");
}

static void counts_table(page_t *p, xmlNodePtr body)
{
    xmlNodePtr table, tbody;

    add(p, body, "h2", NULL, "Every count: speedup \xc2\xb7 efficiency");
    table = add(p, body, "table", "scaling", NULL);
    table_head(p, table);
    tbody = add(p, table, "tbody", NULL, NULL);
    for (size_t i = 0; i < p->s->ncounts; i++)
        table_row(p, tbody, &p->s->counts[i]);
    xmlNodePtr f = add(p, body, "p", "files", "Files: ");
    add_link(p, f, "scaling.json", "scaling.json");
    add(p, f, "span", NULL, " \xc2\xb7 ");
    add_link(p, f, p->svg, p->svg);
}

static void build(page_t *p)
{
    xmlNodePtr html, body;

    if (xmlCreateIntSubset(p->doc, BAD_CAST "html", NULL, NULL) == NULL ||
        (html = xmlNewDocNode(p->doc, NULL, BAD_CAST "html", NULL)) == NULL) {
        p->failed = 1;
        return;
    }
    xmlDocSetRootElement(p->doc, html);
    attr(p, html, "lang", "en");
    head(p, html);
    body = add(p, html, "body", NULL, NULL);
    header(p, body);
    plot(p, body);
    counts_table(p, body);
}

int jf_viz_write_scaling_index(const jf_viz_scaling_t *s, const char *svg, const char *path)
{
    page_t p = {.s = s, .svg = svg};
    jf__viz_locale_t loc;
    int err;

    if (s == NULL || path == NULL || svg == NULL || !jf__viz_plain_name(svg) ||
        jf__viz_scaling_check(s) != 0)
        return JF_EINVAL;
    for (size_t i = 0; i < s->ncounts; i++)
        if (s->counts[i].dir == NULL || !jf__viz_plain_name(s->counts[i].dir))
            return JF_EINVAL;
    if ((err = jf__viz_locale_enter(&loc)) != 0)
        return err;
    p.doc = htmlNewDocNoDtD(NULL, NULL);
    p.failed = p.doc == NULL;
    build(&p);
    err = jf__html_save(p.doc, p.failed, path);
    xmlFreeDoc(p.doc);
    jf__viz_locale_leave(&loc);
    return err;
}
