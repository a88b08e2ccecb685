/* report_why.c - where each worker's time went, under each timeline of index.html.
 *
 * The timeline shows when; this shows how much: per worker, the share of
 * the run spent on each stage's batches, deciding where to go next,
 * parked with nothing to do, and waiting (a choice whose queue was empty
 * by the time the worker got there, the sink's lock, a full queue), and
 * below it the share of its unparked time that the thread was not on a
 * CPU. Side by side across strategies this is why one of them won: the
 * winner's bars are nearly all stage colours. */
#include <stdio.h>
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "html_build.h"
#include "jf_numfmt.h"
#include "report_parts.h"
#include "svg_internal.h"
#include "viz_internal.h"

#define WHY_LANES_MAX 256 /* rows of workers listed; the rest are in "all workers" */

/* Colours of the parts that are not a stage (the timeline's own greys). */
#define DECIDING_COLOUR "#555555"
#define PARKED_COLOUR "#9a9a9a"
#define WAITING_COLOUR "#e4e4e4"

/* Decision times: from a decision to the batch it chose, in lane order. */
static double deciding_ns(const jf_trace_lane_t *lane)
{
    double sum = 0;
    int open = 0;
    uint64_t at = 0;

    for (size_t k = 0; k < lane->count; k++) {
        const jf_event_t *ev = &lane->events[k];

        if (ev->kind == JF_EV_DECIDE) {
            open = 1;
            at = ev->t_ns;
        } else if (ev->kind == JF_EV_BATCH_BEGIN && open) {
            sum += ev->t_ns >= at ? (double)(ev->t_ns - at) : 0;
            open = 0;
        } else if (ev->kind == JF_EV_PARK) {
            open = 0;
        }
    }
    return sum;
}

int jf__viz_time_split(const jf_trace_t *t, size_t i, jf__viz_split_t *out)
{
    const jf_trace_lane_t *lane = &t->lanes[i];
    jf__viz_cursor_t c;
    jf__viz_span_t s;
    double busy = 0;

    memset(out, 0, sizeof *out);
    out->stage_ns = jf_calloc(t->nstages + 1, sizeof *out->stage_ns);
    if (out->stage_ns == NULL)
        return JF_ENOMEM;
    out->nstages = t->nstages;
    out->wall_ns = (double)t->wall_ns;
    jf__viz_cursor_init(&c, lane, t->wall_ns);
    while (jf__viz_next_batch(&c, &s)) {
        double d = (double)(s.t1 - s.t0);
        out->stage_ns[s.stage < t->nstages ? s.stage : t->nstages] += d;
        busy += d;
        if (s.cpu_ns > 0) {
            out->sampled_wall_ns += d;
            out->sampled_cpu_ns += (double)s.cpu_ns;
        }
    }
    jf__viz_cursor_init(&c, lane, t->wall_ns);
    while (jf__viz_next_park(&c, &s))
        out->parked_ns += (double)(s.t1 - s.t0);
    out->deciding_ns = deciding_ns(lane);
    out->waiting_ns = out->wall_ns - busy - out->parked_ns - out->deciding_ns;
    if (out->waiting_ns < 0)
        out->waiting_ns = 0;
    out->off_cpu_ns = -1;
    if (lane->cpu_ns > 0) {
        double awake = out->wall_ns - out->parked_ns;
        out->off_cpu_ns = awake > (double)lane->cpu_ns ? awake - (double)lane->cpu_ns : 0;
    }
    return 0;
}

void jf__viz_time_split_fini(jf__viz_split_t *s)
{
    jf_free(s->stage_ns);
    s->stage_ns = NULL;
}

/* Adds b into a (a's stage_ns has the same length). */
static void add_split(jf__viz_split_t *a, const jf__viz_split_t *b)
{
    for (size_t s = 0; s <= a->nstages; s++)
        a->stage_ns[s] += b->stage_ns[s];
    a->parked_ns += b->parked_ns;
    a->deciding_ns += b->deciding_ns;
    a->waiting_ns += b->waiting_ns;
    a->wall_ns += b->wall_ns;
    a->sampled_wall_ns += b->sampled_wall_ns;
    a->sampled_cpu_ns += b->sampled_cpu_ns;
    if (a->off_cpu_ns >= 0 && b->off_cpu_ns >= 0)
        a->off_cpu_ns += b->off_cpu_ns;
    else
        a->off_cpu_ns = -1;
}

/* One part of a bar: what, how long, in which colour. */
typedef struct part {
    const char *name;
    double ns;
    const char *colour;
} part_t;

/* The parts of split s in bar order: stages, deciding, waiting, parked.
 * Returns how many (at most t->nstages + 4). */
static size_t parts_of(const jf_trace_t *t, const jf__viz_split_t *s, part_t *p,
                       char (*names)[64])
{
    size_t n = 0;

    for (size_t i = 0; i <= t->nstages; i++) {
        if (s->stage_ns[i] <= 0)
            continue;
        p[n++] = (part_t){i < t->nstages ? jf__viz_stage_name(t, (unsigned)i, names[i], 64)
                                         : "unknown stage",
                          s->stage_ns[i], i < t->nstages ? jf__svg_colour((unsigned)i) : "#bbbbbb"};
    }
    p[n++] = (part_t){"deciding", s->deciding_ns, DECIDING_COLOUR};
    p[n++] = (part_t){"waiting", s->waiting_ns, WAITING_COLOUR};
    p[n++] = (part_t){"parked", s->parked_ns, PARKED_COLOUR};
    return n;
}

static const char *percent(char *buf, size_t size, double part, double whole)
{
    char digits[JF_NUMFMT_MAX];

    snprintf(buf, size, "%s%%",
             jf_numfmt_fixed(digits, sizeof digits, whole > 0 ? 100.0 * part / whole : 0, 0, 1));
    return buf;
}

/* The bar: a span per part, its width the part's share of the wall. */
static void bar(xmlNodePtr row, const part_t *p, size_t n, double wall, int *failed)
{
    xmlNodePtr b = jf__html_add(row, "span", "why-bar", NULL, failed);
    char style[96], title[160], pct[32], dur[32];

    for (size_t i = 0; i < n; i++) {
        if (p[i].ns <= 0 || wall <= 0)
            continue;
        xmlNodePtr seg = jf__html_add(b, "span", NULL, NULL, failed);
        snprintf(style, sizeof style, "width:%.3f%%;background:%s", 100.0 * p[i].ns / wall,
                 p[i].colour);
        snprintf(title, sizeof title, "%s: %s (%s)", p[i].name, percent(pct, sizeof pct, p[i].ns, wall),
                 jf__viz_duration(dur, sizeof dur, (uint64_t)p[i].ns));
        jf__html_attr(seg, "style", style, failed);
        jf__html_attr(seg, "title", title, failed);
    }
}

/* The text beside the bar: the parts from the largest, those of at least
 * 1%, then the off-CPU share. */
static void words(xmlNodePtr row, part_t *p, size_t n, const jf__viz_split_t *s, int *failed)
{
    char text[512] = "", pct[32];
    size_t len = 0;

    for (size_t i = 1; i < n; i++) /* insertion sort, largest first: n is small */
        for (size_t k = i; k > 0 && p[k].ns > p[k - 1].ns; k--) {
            part_t tmp = p[k];
            p[k] = p[k - 1];
            p[k - 1] = tmp;
        }
    for (size_t i = 0; i < n && len + 80 < sizeof text; i++) {
        if (s->wall_ns <= 0 || p[i].ns < 0.01 * s->wall_ns)
            continue;
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s %s", len ? " \xc2\xb7 " : "",
                                p[i].name, percent(pct, sizeof pct, p[i].ns, s->wall_ns));
    }
    if (s->off_cpu_ns >= 0 && len + 80 < sizeof text)
        snprintf(text + len, sizeof text - len, "; off a CPU %s of its unparked time",
                 percent(pct, sizeof pct, s->off_cpu_ns, s->wall_ns - s->parked_ns));
    jf__html_add(row, "span", "why-t", text, failed);
}

/* The strip under a bar: the share of the wall the thread was awake but
 * not on a CPU, drawn from the right end of the unparked time. */
static void off_cpu_strip(xmlNodePtr row, const jf__viz_split_t *s, int *failed)
{
    char style[64];

    if (s->off_cpu_ns < 0 || s->wall_ns <= 0)
        return;
    xmlNodePtr strip = jf__html_add(row, "span", "why-off", NULL, failed);
    xmlNodePtr fill = jf__html_add(strip, "span", NULL, NULL, failed);
    snprintf(style, sizeof style, "width:%.3f%%", 100.0 * s->off_cpu_ns / s->wall_ns);
    jf__html_attr(fill, "style", style, failed);
}

static void row(xmlNodePtr parent, const jf_trace_t *t, const char *label,
                const jf__viz_split_t *s, int *failed)
{
    part_t *p = jf_calloc(t->nstages + 4, sizeof *p);
    char(*names)[64] = jf_calloc(t->nstages + 1, sizeof *names);
    xmlNodePtr r = jf__html_add(parent, "div", "why-row", NULL, failed);

    if (p == NULL || names == NULL) {
        *failed = 1;
    } else {
        size_t n = parts_of(t, s, p, names);
        jf__html_add(r, "span", "why-l", label, failed);
        xmlNodePtr cell = jf__html_add(r, "span", "why-c", NULL, failed);
        bar(cell, p, n, s->wall_ns, failed);
        off_cpu_strip(cell, s, failed);
        words(r, p, n, s, failed);
    }
    jf_free(p);
    jf_free(names);
}

/* What the sampled batches say: how much of their wall their threads had a CPU. */
static void sampled_note(xmlNodePtr parent, const jf__viz_split_t *all, int *failed)
{
    char text[256], a[32], b[32];
    double busy = 0;

    for (size_t s = 0; s <= all->nstages; s++)
        busy += all->stage_ns[s];
    if (all->sampled_wall_ns <= 0) {
        jf__html_add(parent, "p", "why-n",
                     "No batch's CPU time was sampled (no trace of it, or every kernel yields).",
                     failed);
        return;
    }
    snprintf(text, sizeof text,
             "Batches whose CPU time was sampled (%s of the time in batches): their threads were "
             "on a CPU for %s of it; the timeline stripes a sampled batch that was off a CPU for "
             "more than a fifth of it.",
             percent(a, sizeof a, all->sampled_wall_ns, busy),
             percent(b, sizeof b, all->sampled_cpu_ns, all->sampled_wall_ns));
    jf__html_add(parent, "p", "why-n", text, failed);
}

static const char explain[] =
    "Each bar is one worker's run from start to end: its batches at each stage (the stage's "
    "colour), deciding where to go next (dark grey), waiting (light grey: a queue found empty, "
    "the sink's lock, a full queue) and parked with nothing to do (grey). The black strip under "
    "a bar is the time the thread was awake but not on a CPU: preempted by other threads or "
    "programs.";

void jf__viz_html_why(xmlNodePtr parent, const jf_trace_t *t, int explained, int *failed)
{
    jf__viz_split_t all, one;
    char label[48];

    if (*failed || t == NULL || t->nlanes == 0)
        return;
    if (jf__viz_time_split(t, 0, &all) != 0) {
        *failed = 1;
        return;
    }
    for (size_t i = 1; i < t->nlanes && !*failed; i++) {
        if (jf__viz_time_split(t, i, &one) != 0)
            *failed = 1;
        else
            add_split(&all, &one);
        jf__viz_time_split_fini(&one);
    }
    xmlNodePtr box = jf__html_add(parent, "details", "why", NULL, failed);
    jf__html_attr(box, "open", "open", failed);
    jf__html_add(box, "summary", NULL, "Where the workers' time went", failed);
    if (explained)
        jf__html_add(box, "p", "why-n", explain, failed);
    snprintf(label, sizeof label, "all %zu", t->nlanes);
    row(box, t, t->nlanes == 1 ? "w0" : label, &all, failed);
    sampled_note(box, &all, failed);
    jf__viz_time_split_fini(&all);
    if (t->nlanes == 1)
        return;
    xmlNodePtr lanes = jf__html_add(box, "details", "why-lanes", NULL, failed);
    if (t->nlanes <= 32)
        jf__html_attr(lanes, "open", "open", failed);
    snprintf(label, sizeof label, "each worker (%zu)", t->nlanes);
    jf__html_add(lanes, "summary", NULL, label, failed);
    for (size_t i = 0; i < t->nlanes && i < WHY_LANES_MAX && !*failed; i++) {
        if (jf__viz_time_split(t, i, &one) != 0) {
            *failed = 1;
            break;
        }
        snprintf(label, sizeof label, "w%zu", i);
        row(lanes, t, label, &one, failed);
        jf__viz_time_split_fini(&one);
    }
    if (t->nlanes > WHY_LANES_MAX) {
        snprintf(label, sizeof label, "and %zu more", t->nlanes - WHY_LANES_MAX);
        jf__html_add(lanes, "p", "why-n", label, failed);
    }
}
