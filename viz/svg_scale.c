/* svg_scale.c - where things go on the SVG timeline: geometry, time scale, ticks, colours. */
#include <stdio.h>
#include <string.h>

#include "svg_internal.h"
#include "viz_internal.h"

/* Okabe-Ito (black last, so the first stages get the clearest hues), then
 * Paul Tol's muted scheme, then hues neither covers from Tol's vibrant and
 * light schemes and Kelly's colours of maximum contrast: 24 colours apart
 * in hue or lightness, none of them the grey of parked time. Stage i has
 * colour i in every timeline, so a stage looks the same in every strategy.
 * Stages past the palette reuse its hues hatched (jf__svg_write_hatches). */
static const char *const palette[JF__SVG_PALETTE] = {
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
    "#AA4499", "#8DB600", "#882D17", "#FFAABB", "#EE3377", "#225555", "#654522", "#F99379",
};

const char *jf__svg_colour(unsigned stage)
{
    return palette[stage % JF__SVG_PALETTE];
}

char *jf__svg_stage_class(const jf__svg_t *s, unsigned stage, char *buf, size_t size)
{
    if (stage < s->nstages && stage < JF__SVG_PALETTE * (1 + JF__SVG_HATCHES))
        snprintf(buf, size, "s%u", stage);
    else
        snprintf(buf, size, "sx");
    return buf;
}

/* No font metrics without a renderer: 6.8 px per character is a safe
 * average for 12 px sans-serif text, wide letters included. */
double jf__svg_text_w(const char *text)
{
    size_t chars = 0;

    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        chars += (*p & 0xc0) != 0x80;
    return 6.8 * (double)chars;
}

char *jf__svg_lane_label(const jf__svg_t *s, size_t lane, char *buf, size_t size)
{
    const jf_trace_lane_t *l = &s->trace->lanes[lane];
    int n = l->core >= 0 ? snprintf(buf, size, "w%zu core %d", lane, l->core)
                         : snprintf(buf, size, "w%zu", lane);

    if (l->home_stage >= 0 && (size_t)l->home_stage < s->nstages && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " \xc2\xb7 %s", s->names[l->home_stage]);
    return buf;
}

/* The plot starts right of the widest label of the left column, and leaves
 * room there for the value labels of the charts. */
double jf__svg_label_w(const jf__svg_t *s)
{
    double widest = jf__svg_text_w("workers busy");
    char buf[128];

    for (size_t i = 0; i < s->trace->nlanes; i++) {
        double w = jf__svg_text_w(jf__svg_lane_label(s, i, buf, sizeof buf));
        widest = w > widest ? w : widest;
    }
    for (size_t i = 0; i < s->nqueues; i++) {
        double w = jf__svg_text_w(s->names[i]) + jf__svg_text_w("queue ");
        widest = w > widest ? w : widest;
    }
    widest += 12 + 48;
    return widest < 150 ? 150 : widest > 380 ? 380 : widest;
}

/* Whether any lane recorded a queue depth. */
static int has_depths(const jf_trace_t *t)
{
    for (size_t i = 0; i < t->nlanes; i++)
        for (size_t k = 0; k < t->lanes[i].count; k++)
            if (t->lanes[i].events[k].kind == JF_EV_QDEPTH)
                return 1;
    return 0;
}

void jf__svg_layout(jf__svg_t *s)
{
    size_t nlanes = s->trace->nlanes;
    double want = s->meta != NULL ? s->meta->label_px : 0;

    s->nqueues = has_depths(s->trace) ? s->nstages : 0;
    size_t nq = s->nqueues;
    s->left = jf__svg_label_w(s);
    /* A common label column for timelines that share one scale; the clamp
     * keeps the plot wide whatever label_px says. */
    if (want > s->left && want <= 380)
        s->left = want;
    s->plot_w = JF__SVG_WIDTH - s->left - JF__SVG_RIGHT;
    s->px_per_ns = s->plot_w / (double)s->wall;
    s->legend_y = 40;
    s->legend_h = jf__svg_legend(s, 0);
    s->alloc_y = s->legend_y + s->legend_h + 16;
    s->lanes_y = s->alloc_y + JF__SVG_ALLOC_H + 20;
    s->lane_h = nlanes <= 4 ? 40 : nlanes <= 8 ? 30 : nlanes <= 16 ? 20 : 12;
    s->queue_y = s->lanes_y + (double)nlanes * (s->lane_h + JF__SVG_LANE_GAP) + 14;
    s->axis_y = s->queue_y + 6;
    if (nq > 0)
        s->axis_y += (double)(nq - 1) * JF__SVG_QUEUE_PITCH + JF__SVG_QUEUE_H;
    s->height = s->axis_y + 56;
}

double jf__svg_x(const jf__svg_t *s, uint64_t t_ns)
{
    double x = (double)t_ns * s->px_per_ns;

    return x < 0 ? 0 : x > s->plot_w ? s->plot_w : x;
}

/* A tick every 1, 2 or 5 times a power of ten nanoseconds, about every 110
 * px; the script in svg_script.c picks ticks the same way when zoomed. */
uint64_t jf__svg_tick_step(uint64_t span_ns, double plot_w)
{
    double raw = (double)span_ns / (plot_w / 110.0);
    uint64_t pow10 = 1;

    while ((double)pow10 * 10 <= raw && pow10 < UINT64_MAX / 100)
        pow10 *= 10;
    if ((double)pow10 >= raw)
        return pow10;
    if ((double)pow10 * 2 >= raw)
        return pow10 * 2;
    if ((double)pow10 * 5 >= raw)
        return pow10 * 5;
    return pow10 * 10;
}

/* Labels a tick in the largest unit that the end of the view reaches, with
 * the decimals the step needs and no trailing zeros: "0 ms", "2.5 ms". */
char *jf__svg_tick_label(char *buf, size_t size, uint64_t t_ns, uint64_t step, uint64_t end_ns)
{
    static const char *const units[] = {"ns", "\xc2\xb5s", "ms", "s"};
    unsigned unit = 0, digits = 0, drop;
    uint64_t cut = 1;
    size_t len;

    for (uint64_t p = 10; p <= step && digits < 19; p *= 10)
        digits++; /* step = 1, 2 or 5 x 10^digits */
    for (uint64_t u = 1000; unit < 3 && u <= end_ns; u *= 1000)
        unit++;
    /* Digits below the step are zero in every tick: drop them exactly. */
    drop = digits < 3 * unit ? digits : 3 * unit;
    for (unsigned i = 0; i < drop; i++)
        cut *= 10;
    jf__viz_fixed(buf, size, (int64_t)(t_ns / cut), 3 * unit - drop, 1);
    len = strlen(buf);
    snprintf(buf + len, size > len ? size - len : 0, " %s", units[unit]);
    return buf;
}
