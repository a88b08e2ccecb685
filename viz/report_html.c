/* report_html.c - index.html of a run: the results table and every timeline on one scale. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libxml/HTMLtree.h>

#include "jefferson/error.h"
#include "html_build.h"
#include "jf_numfmt.h"
#include "report_parts.h"
#include "svg_internal.h"
#include "timeline.h"
#include "viz_internal.h"

#define TEXT_MAX 1024 /* bytes of any one string shown */
#define NUM_MAX (JF_NUMFMT_MAX + 8) /* a figure and its unit */

static const char style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "'DejaVu Sans',sans-serif;margin:16px 20px;color:#222;background:#fff}\n"
    "h1{font-size:22px;margin:0 0 4px}h1 .wl{font-weight:bold}h1 .sub{font-weight:normal;"
    "color:#555}\n"
    "p{margin:4px 0}.desc{color:#444}.verdict{font-size:16px;margin:10px 0 0}.ctx,.files,.how{color:#666;font-size:13px}\n"
    ".ctx code{font-size:12px}.warn{color:#b00020;font-weight:bold}.flag{color:#b00020}\n"
    "table{border-collapse:collapse;margin:8px 0 10px;font-size:14px}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid #e4e4e4;text-align:right;"
    "white-space:nowrap}\n"
    "th{background:#f4f4f4;font-weight:600;border-bottom:1px solid #ccc;white-space:normal;"
    "vertical-align:bottom}\n"
    "td.l,th.l{text-align:left}tr.best td{background:#eef6ee}tr.best td.l:first-child{"
    "font-weight:bold}\n"
    "td.bad{color:#b00020;font-weight:bold}\n"
    ".bar{display:inline-block;height:10px;background:#8fb3d9;vertical-align:middle;"
    "margin-right:8px}\n"
    "section{margin:22px 0 0}h2{font-size:17px;margin:0 0 4px}h2 .sub{font-weight:normal;"
    "color:#555;font-size:14px}h2 a{font-size:13px;font-weight:normal;margin-left:10px}\n"
    "object{display:block;width:100%;max-width:1600px;height:auto;border:1px solid #ddd}\n"
    "a{color:#1a5fb4}\n"
    ".why{margin:6px 0 0;font-size:13px}.why summary{cursor:pointer;font-weight:600}\n"
    ".why-n{color:#555;margin:2px 0 4px;max-width:1100px}\n"
    ".why-row{display:flex;flex-wrap:wrap;align-items:center;gap:2px 8px;margin:2px 0}\n"
    ".why-l{width:4.5em;text-align:right;color:#444}.why-c{flex:0 1 480px;min-width:200px}\n"
    ".why-bar{display:flex;height:12px;background:#fff;border:1px solid #ccc}\n"
    ".why-bar span{display:block;height:100%}\n"
    ".why-off{display:block;height:3px;margin-top:1px;background:#f4f4f4}\n"
    ".why-off span{display:block;height:100%;background:#1a1a1a;margin-left:auto}\n"
    ".why-t{flex:1 1 300px;color:#333}\n"
    "@media (max-width:1000px){body{margin:12px 10px}table{font-size:13px}"
    "th,td{padding:4px 5px}}\n";

/* The page being built. Calls after an allocation failure do nothing. */
typedef struct page {
    htmlDocPtr doc;
    int failed;
    const jf_viz_report_t *r;
    const double *heights;
    int why_shown;          /* the time breakdown's explanation is on the page */
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

/* Appends text to element n. */
static void text(page_t *p, xmlNodePtr n, const char *s)
{
    jf__html_text(n, s, &p->failed);
}

static void add_link(page_t *p, xmlNodePtr parent, const char *href, const char *label)
{
    attr(p, add(p, parent, "a", NULL, label), "href", href);
}

/* v * 10^exp10 with `decimals` decimals, rounded once as every other view
 * of the figure rounds it (jf_numfmt_fixed), or a dash when unknown (< 0
 * or not finite). */
static const char *num(char *buf, size_t size, double v, int exp10, unsigned decimals,
                       const char *unit)
{
    char digits[JF_NUMFMT_MAX];

    if (!(v >= 0) || jf_numfmt_fixed(digits, sizeof digits, v, exp10, decimals) == NULL)
        return "\xe2\x80\x93";
    snprintf(buf, size, "%s%s", digits, unit);
    return buf;
}

static const char *count(char *buf, size_t size, uint64_t v)
{
    if (v == UINT64_MAX)
        return "\xe2\x80\x93";
    snprintf(buf, size, "%llu", (unsigned long long)v);
    return buf;
}

static void head(page_t *p, xmlNodePtr html)
{
    jf__html_head(html, p->r->workload != NULL ? p->r->workload : "run", style, &p->failed);
}

/* Workload, cores, machine, command, and whether the run was cut short. */
static void header(page_t *p, xmlNodePtr body)
{
    const jf_viz_report_t *r = p->r;
    xmlNodePtr h1 = add(p, body, "h1", NULL, NULL);
    char buf[TEXT_MAX];

    add(p, h1, "span", "wl", r->workload != NULL ? r->workload : "run");
    snprintf(buf, sizeof buf, " on %u core%s", r->cores, r->cores == 1 ? "" : "s");
    add(p, h1, "span", "sub", buf);
    if (r->description != NULL && r->description[0] != '\0')
        add(p, body, "p", "desc", r->description);
    if (r->interrupted)
        add(p, body, "p", "warn", "The run was interrupted: the results are incomplete.");
    jf__html_context(body, r->date, r->host, r->cpu, r->commit, r->command, &p->failed);
}

static void table_head(page_t *p, xmlNodePtr table)
{
    static const char *const cols[] = {"strategy", "policy", "threads", "median wall", "cv",
                                       "items/s", "speedup", "efficiency", "items in",
                                       "items out", "order kept"};
    xmlNodePtr tr = add(p, add(p, table, "thead", NULL, NULL), "tr", NULL, NULL);

    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        add(p, tr, "th", i < 2 ? "l" : NULL, cols[i]);
}

/* The wall time cell: a bar as long as the time, for comparing at a glance. */
static void wall_cell(page_t *p, xmlNodePtr tr, const jf_viz_run_t *run, double longest)
{
    xmlNodePtr td = add(p, tr, "td", NULL, NULL);
    char buf[NUM_MAX + 16], w[NUM_MAX];

    if (run->wall_ns > 0 && longest > 0) {
        snprintf(buf, sizeof buf, "width:%spx", num(w, sizeof w, run->wall_ns / longest * 120,
                                                     0, 1, ""));
        attr(p, add(p, td, "span", "bar", ""), "style", buf);
    }
    text(p, td, num(buf, sizeof buf, run->wall_ns, -6, 2, " ms"));
}

static void table_row(page_t *p, xmlNodePtr body, const jf_viz_run_t *run, double longest,
                      int best)
{
    xmlNodePtr tr = add(p, body, "tr", best ? "best" : NULL, NULL);
    xmlNodePtr name = add(p, tr, "td", "l", NULL);
    char buf[NUM_MAX];

    if (run->svg != NULL && run->trace != NULL) {
        snprintf(buf, sizeof buf, "#%s", run->strategy != NULL ? run->strategy : "");
        add_link(p, name, buf, run->strategy);
    } else {
        text(p, name, run->strategy != NULL ? run->strategy : "?");
    }
    add(p, tr, "td", "l", run->policy != NULL ? run->policy : "\xe2\x80\x93");
    add(p, tr, "td", NULL, num(buf, sizeof buf, run->threads, 0, 0, ""));
    wall_cell(p, tr, run, longest);
    add(p, tr, "td", NULL, num(buf, sizeof buf, run->cv, 2, 1, " %"));
    add(p, tr, "td", NULL, num(buf, sizeof buf, run->throughput, 0, 0, ""));
    add(p, tr, "td", jf__viz_superlinear(p->r, run) ? "bad" : NULL,
        num(buf, sizeof buf, run->speedup, 0, 2, "\xc3\x97"));
    add(p, tr, "td", NULL, num(buf, sizeof buf, run->efficiency, 2, 1, " %"));
    add(p, tr, "td", NULL, count(buf, sizeof buf, run->items_in));
    add(p, tr, "td", run->items_out != run->items_in ? "bad" : NULL,
        count(buf, sizeof buf, run->items_out));
    add(p, tr, "td", run->order_ok == 0 ? "bad" : NULL,
        run->order_ok < 0 ? "\xe2\x80\x93" : run->order_ok ? "yes" : "NO");
}

/* "Fastest: scheduled, 106.83 ms (1.97× single)" */
static void verdict(page_t *p, xmlNodePtr body, const jf_viz_run_t *best)
{
    xmlNodePtr v = add(p, body, "p", "verdict", "Fastest: ");
    char buf[2 * NUM_MAX + 32], a[NUM_MAX], b[NUM_MAX];

    add(p, v, "b", NULL, best->strategy);
    snprintf(buf, sizeof buf, ", %s (%s single)", num(a, sizeof a, best->wall_ns, -6, 2, " ms"),
             num(b, sizeof b, best->speedup, 0, 2, "\xc3\x97"));
    text(p, v, buf);
}

static void results_table(page_t *p, xmlNodePtr body)
{
    const jf_viz_report_t *r = p->r;
    xmlNodePtr table, tbody;
    double longest = 0, fastest = INFINITY;
    size_t best = r->nruns;

    for (size_t i = 0; i < r->nruns; i++) {
        longest = fmax(longest, r->runs[i].wall_ns);
        if (r->runs[i].wall_ns > 0 && r->runs[i].wall_ns < fastest) {
            fastest = r->runs[i].wall_ns;
            best = i;
        }
    }
    if (r->verdict.kind == JF_VIZ_VERDICT_NONE && r->nruns > 1 && best < r->nruns)
        verdict(p, body, &r->runs[best]);
    jf__viz_html_verdict(body, r, &p->failed);
    jf__viz_html_chart(body, r, &p->failed);
    table = add(p, body, "table", "results", NULL);
    table_head(p, table);
    tbody = add(p, table, "tbody", NULL, NULL);
    for (size_t i = 0; i < r->nruns; i++)
        table_row(p, tbody, &r->runs[i], longest, r->nruns > 1 && i == best);
    jf__viz_html_notes(body, r, &p->failed);
}

/* Links to every file of the run, and how to read the timelines. */
static void files(page_t *p, xmlNodePtr body)
{
    const jf_viz_report_t *r = p->r;
    xmlNodePtr f = add(p, body, "p", "files", "Files: ");

    if (r->result_file != NULL)
        add_link(p, f, r->result_file, r->result_file);
    for (size_t i = 0; i < r->nruns; i++) {
        if (r->runs[i].svg != NULL && r->runs[i].trace != NULL) {
            text(p, f, " \xc2\xb7 ");
            add_link(p, f, r->runs[i].svg, r->runs[i].svg);
        }
    }
    text(p, f, " \xc2\xb7 traces for ui.perfetto.dev or chrome://tracing:");
    for (size_t i = 0; i < r->nruns; i++) {
        if (r->runs[i].trace_file != NULL) {
            text(p, f, " ");
            add_link(p, f, r->runs[i].trace_file, r->runs[i].trace_file);
        }
    }
    add(p, body, "p", "how",
        "Each timeline below fits its own run; tick \"common time axis\" to put them on one "
        "scale. Top: how many workers were busy on each stage. Then the scheduler's moves per "
        "unit of time, one lane per worker thread coloured by the stage it ran (a grey line is "
        "time parked with nothing to do), and the queue in front of each stage.");
}

/* One strategy: a heading with its figures and links, then its timeline. */
static void timeline(page_t *p, xmlNodePtr body, size_t i)
{
    const jf_viz_run_t *run = &p->r->runs[i];
    xmlNodePtr sec = add(p, body, "section", NULL, NULL), h2;
    char buf[3 * NUM_MAX + 160], a[NUM_MAX], b[NUM_MAX], c[NUM_MAX];

    attr(p, sec, "id", run->strategy != NULL ? run->strategy : "");
    h2 = add(p, sec, "h2", NULL, run->strategy);
    snprintf(buf, sizeof buf, "  %s%s%s thread%s \xc2\xb7 %s \xc2\xb7 %s vs single",
             run->policy ? run->policy : "", run->policy ? " \xc2\xb7 " : "",
             num(a, sizeof a, run->threads, 0, 0, ""), run->threads == 1 ? "" : "s",
             num(b, sizeof b, run->wall_ns, -6, 2, " ms"),
             num(c, sizeof c, run->speedup, 0, 2, "\xc3\x97"));
    add(p, h2, "span", "sub", buf);
    add_link(p, h2, run->svg, "open the SVG");
    if (run->trace_file != NULL)
        add_link(p, h2, run->trace_file, "Perfetto trace");
    if (!p->failed && jf__tl_embed(sec, run, i) != 0)
        p->failed = 1;
    jf__viz_html_why(sec, run->trace, !p->why_shown, &p->failed);
    p->why_shown |= run->trace != NULL;
}

static void build(page_t *p)
{
    xmlNodePtr html, body;
    size_t timelines = 0;

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
    results_table(p, body);
    files(p, body);
    for (size_t i = 0; i < p->r->nruns; i++) {
        if (p->heights[i] <= 0 || p->r->runs[i].svg == NULL)
            continue;
        if (timelines++ == 0 && !p->failed && jf__tl_controls(body) != 0)
            p->failed = 1;
        timeline(p, body, i);
    }
    if (!p->failed && timelines > 0 && jf__tl_script(body) != 0)
        p->failed = 1;
}

int jf__viz_write_index(const jf_viz_report_t *r, const double *heights, const char *path)
{
    page_t p = {.r = r, .heights = heights};
    jf__viz_locale_t loc;
    int err;

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
