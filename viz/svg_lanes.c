/* svg_lanes.c - one lane per worker: batches, parked spans and moves, merged to pixel detail. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "svg_internal.h"
#include "viz_internal.h"

#define MIN_W 1.0 /* px: a lone short batch still shows, up to where the next one starts */
#define ISOLATED 3.0 /* px to the nearest neighbour that make a batch lone */
#define OTHER 0xffffffffu /* the stages a trace has no name for, lumped together */

/* A run of batches drawn as one rectangle. */
typedef struct block {
    uint64_t t0;
    uint64_t t1;
    uint64_t busy_ns; /* inside batches; the rest are gaps too small to draw */
    uint64_t items;
    uint64_t batches;
    unsigned stage;   /* its stage; when mixed, the stage with the most time */
    int mixed;        /* holds batches of several stages, each too short to draw */
    int used;
    unsigned top[3];  /* mixed: the stages with the largest shares of busy_ns */
    unsigned pct[3];  /* and those shares, in percent */
    int ntop;
    uint64_t carried; /* batches run from the worker's hand (no queue hop) */
    uint64_t cpu_ns;  /* the sampled batches' CPU time */
    uint64_t cpu_wall_ns; /* and their wall time (0: none was sampled) */
} block_t;

/* Merging state of one lane: the block growing and the one before it,
 * which is written once the next block's start bounds its minimum width. */
typedef struct lod {
    jf__svg_t *s;
    block_t cur;
    block_t held;
    double last_x1;   /* where the last block written ends, px */
} lod_t;

static const char *name_of(const jf__svg_t *s, unsigned stage, char *buf, size_t size)
{
    if (stage < s->nstages)
        return s->names[stage];
    if (stage == OTHER)
        return "other stages";
    return jf__viz_stage_name(s->trace, stage, buf, size);
}

static size_t slot(const jf__svg_t *s, unsigned stage)
{
    return stage < s->nstages ? stage : s->nstages;
}

/* Batches merge when the gap between them is below the grain and they are
 * of one stage, or when both are too narrow to be drawn on their own. */
static int can_absorb(const lod_t *l, const jf__viz_span_t *b)
{
    const block_t *k = &l->cur;
    double g = l->s->grain_ns;

    if ((double)(b->t0 > k->t1 ? b->t0 - k->t1 : 0) >= g)
        return 0;
    if (!k->mixed && k->stage == b->stage)
        return 1;
    return (double)(k->t1 - k->t0) < g && (double)(b->t1 - b->t0) < g;
}

static void absorb(lod_t *l, const jf__viz_span_t *b)
{
    block_t *k = &l->cur;
    uint64_t dur = b->t1 - b->t0;

    if (!k->mixed && b->stage != k->stage) {
        k->mixed = 1;
        l->s->share[slot(l->s, k->stage)] = (double)k->busy_ns;
    }
    if (k->mixed)
        l->s->share[slot(l->s, b->stage)] += (double)dur;
    k->t1 = b->t1 > k->t1 ? b->t1 : k->t1;
    k->busy_ns += dur;
    if (b->cpu_ns > 0) {
        k->cpu_ns += b->cpu_ns;
        k->cpu_wall_ns += dur;
    }
    k->items += b->items;
    k->carried += b->carried;
    k->batches++;
}

/* Sums up a mixed block: its three largest shares, the largest its colour. */
static void rank_shares(jf__svg_t *s, block_t *k)
{
    double total = k->busy_ns ? (double)k->busy_ns : 1;

    for (k->ntop = 0; k->ntop < 3; k->ntop++) {
        size_t best = 0;

        for (size_t i = 1; i <= s->nstages; i++)
            best = s->share[i] > s->share[best] ? i : best;
        if (s->share[best] <= 0)
            break;
        k->top[k->ntop] = best < s->nstages ? (unsigned)best : OTHER;
        k->pct[k->ntop] = (unsigned)lround(s->share[best] * 100 / total);
        s->share[best] = -1;
    }
    k->stage = k->ntop ? k->top[0] : k->stage;
    memset(s->share, 0, (s->nstages + 1) * sizeof *s->share);
}

/* A block whose sampled batches were on a CPU for under JF__SVG_ON_CPU of
 * their wall time: striped, as index.html's timeline stripes such a batch. */
static int preempted(const block_t *k)
{
    return k->cpu_wall_ns > 0 && (double)k->cpu_ns < JF__SVG_ON_CPU * (double)k->cpu_wall_ns;
}

static void block_title(const jf__svg_t *s, const block_t *k, char *buf, size_t size)
{
    char nb[32], start[32], dur[32];
    int n = 0;

    if (!k->mixed)
        n = snprintf(buf, size, "%s", name_of(s, k->stage, nb, sizeof nb));
    for (int i = 0; k->mixed && i < k->ntop && n >= 0 && (size_t)n < size; i++)
        n += snprintf(buf + n, size - (size_t)n, "%s%s %u%%", i ? ", " : "mixed: ",
                      name_of(s, k->top[i], nb, sizeof nb), k->pct[i]);
    if (n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n,
                      "\n%" PRIu64 " batch%s, %" PRIu64 " items\nstart %s, lasted %s", k->batches,
                      k->batches == 1 ? "" : "es", k->items,
                      jf__viz_duration(start, sizeof start, k->t0),
                      jf__viz_duration(dur, sizeof dur, k->t1 - k->t0));
    if (k->batches > 1 && k->t1 > k->t0 && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ", busy %u %%",
                 (unsigned)llround((double)k->busy_ns * 100 / (double)(k->t1 - k->t0)));
    if (k->carried > 0 && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n,
                      k->batches == 1 ? "\ncarried from its previous batch (no queue hop)"
                                      : "\n%" PRIu64 " carried from the previous batch (no queue hop)",
                      k->carried);
    if (k->cpu_wall_ns > 0 && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, "\non a CPU %u %% of %s%s",
                 (unsigned)llround(fmin(1, (double)k->cpu_ns / (double)k->cpu_wall_ns) * 100),
                 k->batches == 1 ? "it" : "the sampled batches' time",
                 preempted(k) ? ": preempted" : "");
}

/* The white line through a block whose batches were mostly carried, as
 * index.html draws a carried batch: a line, which scales with the zoom. */
static void carry_line(jf__svg_t *s, int64_t c0, int64_t c1, const char *title)
{
    double t = fmax(1, s->lane_h / 7);

    jf__svg_start(s, "rect");
    jf__svg_attr(s, "class", "carry");
    jf__svg_attr_centi(s, "x", c0);
    jf__svg_attr_px(s, "y", (s->lane_h - t) / 2);
    jf__svg_attr_centi(s, "width", c1 - c0);
    jf__svg_attr_px(s, "height", t);
    jf__svg_title(s, title);
    jf__svg_end(s);
}

/* Writes a block; `bound` is where the next one starts. A lone batch
 * narrower than MIN_W is widened to it, up to `bound`, so that it shows;
 * batches with neighbours closer than ISOLATED px keep their true width,
 * so a worker busy 10 % of the time looks 10 % covered, not full. A block
 * of merged batches is as opaque as it was busy. Nothing overlaps its
 * neighbour (nor does a trace whose batches overlap). */
static void emit(lod_t *l, const block_t *k, uint64_t bound)
{
    jf__svg_t *s = l->s;
    double x0 = jf__svg_x(s, k->t0), x1 = jf__svg_x(s, k->t1), xb = jf__svg_x(s, bound);
    double busy = k->t1 > k->t0 ? (double)k->busy_ns / (double)(k->t1 - k->t0) : 1;
    int64_t c0, c1;
    char cls[16], title[320];

    if (x1 - x0 < MIN_W && x0 - l->last_x1 >= ISOLATED && xb - x0 >= ISOLATED)
        x1 = fmax(x1, fmin(x0 + MIN_W, xb));
    x1 = fmin(x1, xb);
    c0 = llround(x0 * 100);
    c1 = llround(x1 * 100);
    l->last_x1 = x1;
    block_title(s, k, title, sizeof title);
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "class", jf__svg_stage_class(s, k->stage, cls, sizeof cls));
    jf__svg_attr_centi(s, "x", c0);
    jf__svg_attr_centi(s, "width", c1 > c0 ? c1 - c0 : 0);
    jf__svg_attr_px(s, "height", s->lane_h);
    if (k->batches > 1 && busy < 0.9)
        jf__svg_attr_centi(s, "fill-opacity", busy < 0.15 ? 15 : llround(busy * 100));
    jf__svg_title(s, title);
    jf__svg_end(s);
    if (preempted(k) && c1 > c0) {
        jf__svg_start(s, "rect");
        jf__svg_attr(s, "class", "off");
        jf__svg_attr_centi(s, "x", c0);
        jf__svg_attr_centi(s, "width", c1 - c0);
        jf__svg_attr_px(s, "height", s->lane_h);
        jf__svg_title(s, title);
        jf__svg_end(s);
    }
    if (2 * k->carried >= k->batches && k->carried > 0 && c1 > c0) /* as index.html: a line through */
        carry_line(s, c0, c1, title);
}

static void flush(lod_t *l)
{
    if (l->cur.mixed)
        rank_shares(l->s, &l->cur);
    if (l->held.used)
        emit(l, &l->held, l->cur.t0);
    l->held = l->cur;
    l->cur.used = 0;
}

static void write_batches(jf__svg_t *s, size_t lane)
{
    lod_t l = {.s = s, .last_x1 = -ISOLATED};
    jf__viz_cursor_t c;
    jf__viz_span_t b;

    jf__svg_start(s, "g");
    jf__svg_attr(s, "class", "batches");
    jf__viz_cursor_init(&c, &s->trace->lanes[lane], s->end);
    while (jf__viz_next_batch(&c, &b) && s->err == 0) {
        if (l.cur.used && can_absorb(&l, &b)) {
            absorb(&l, &b);
            continue;
        }
        if (l.cur.used)
            flush(&l);
        l.cur = (block_t){.t0 = b.t0, .t1 = b.t1, .busy_ns = b.t1 - b.t0, .items = b.items,
                          .batches = 1, .stage = b.stage, .used = 1, .cpu_ns = b.cpu_ns,
                          .cpu_wall_ns = b.cpu_ns > 0 ? b.t1 - b.t0 : 0};
    }
    if (l.cur.used)
        flush(&l);
    if (l.held.used)
        emit(&l, &l.held, s->end);
    jf__svg_end(s);
}

static void emit_park(jf__svg_t *s, const jf__viz_span_t *p, unsigned times, uint64_t parked)
{
    char title[160], a[32], b[32], c[32];

    if ((double)(p->t1 - p->t0) < s->grain_ns)
        return; /* the gap in the batches says enough at this width */
    if (times == 1)
        snprintf(title, sizeof title, "parked %s\nfrom %s", jf__viz_duration(a, sizeof a, parked),
                 jf__viz_duration(b, sizeof b, p->t0));
    else
        snprintf(title, sizeof title, "parked %u times, %s in all\nfrom %s to %s", times,
                 jf__viz_duration(a, sizeof a, parked), jf__viz_duration(b, sizeof b, p->t0),
                 jf__viz_duration(c, sizeof c, p->t1));
    jf__svg_start(s, "path");
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', jf__svg_x(s, p->t0));
    jf__svg_path_cmd(s, ' ', s->lane_h / 2);
    jf__svg_path_cmd(s, 'H', jf__svg_x(s, p->t1));
    jf__svg_path_end(s);
    jf__svg_title(s, title);
    jf__svg_end(s);
}

/* Parked spans as a thin line through the lane; spans closer than the
 * grain merge. */
static void write_parks(jf__svg_t *s, size_t lane)
{
    jf__viz_cursor_t c;
    jf__viz_span_t p, m = {0};
    uint64_t parked = 0;
    unsigned times = 0;

    jf__svg_start(s, "g");
    jf__svg_attr(s, "class", "parks");
    jf__viz_cursor_init(&c, &s->trace->lanes[lane], s->end);
    while (jf__viz_next_park(&c, &p) && s->err == 0) {
        if (times > 0 && (double)(p.t0 > m.t1 ? p.t0 - m.t1 : 0) < s->grain_ns) {
            m.t1 = p.t1 > m.t1 ? p.t1 : m.t1;
        } else {
            if (times > 0)
                emit_park(s, &m, times, parked);
            m = p;
            times = 0;
            parked = 0;
        }
        times++;
        parked += p.t1 - p.t0;
    }
    if (times > 0)
        emit_park(s, &m, times, parked);
    jf__svg_end(s);
}

static void emit_move(jf__svg_t *s, const jf_event_t *ev, unsigned moves)
{
    char title[256], fb[32], tb[32], at[32];
    unsigned from = ev->count >= JF_TRACE_NONE ? JF_TRACE_NONE : ev->count;
    const char *fs = from == JF_TRACE_NONE ? "(parked or new)" : name_of(s, from, fb, sizeof fb);
    const char *ts = ev->stage == JF_TRACE_NONE ? "(park)" : name_of(s, ev->stage, tb, sizeof tb);
    int n = moves > 1 ? snprintf(title, sizeof title, "%u moves here, the last: ", moves) : 0;

    snprintf(title + n, sizeof title - (size_t)n, "moved stage %s -> %s, score %.4g\nat %s", fs,
             ts, ev->value, jf__viz_duration(at, sizeof at, ev->t_ns));
    jf__svg_start(s, "path");
    jf__svg_path_begin(s);
    jf__svg_path_cmd(s, 'M', jf__svg_x(s, ev->t_ns));
    jf__svg_path_cmd(s, ' ', -JF__SVG_LANE_GAP + 1);
    jf__svg_path_cmd(s, 'v', JF__SVG_LANE_GAP - 2);
    jf__svg_path_end(s);
    jf__svg_title(s, title);
    jf__svg_end(s);
}

/* Scheduler decisions that moved the worker, as ticks in the gap above the
 * lane, off the batches; several within one grain become one tick that
 * counts them. */
static void write_moves(jf__svg_t *s, size_t lane)
{
    const jf_trace_lane_t *l = &s->trace->lanes[lane];
    const jf_event_t *last = NULL;
    uint64_t col = 0;
    unsigned moves = 0;

    jf__svg_start(s, "g");
    jf__svg_attr(s, "class", "moves");
    for (size_t k = 0; k < l->count && s->err == 0; k++) {
        const jf_event_t *ev = &l->events[k];
        uint64_t c;

        if (!jf_event_is_move(ev))
            continue;
        c = (uint64_t)((double)ev->t_ns / s->grain_ns);
        if (moves > 0 && c != col) {
            emit_move(s, last, moves);
            moves = 0;
        }
        col = c;
        last = ev;
        moves++;
    }
    if (moves > 0)
        emit_move(s, last, moves);
    jf__svg_end(s);
}

void jf__svg_write_lanes(jf__svg_t *s)
{
    char buf[64], y[32];

    for (size_t i = 0; i < s->trace->nlanes && s->err == 0; i++) {
        const jf_trace_lane_t *l = &s->trace->lanes[i];
        double top = s->lanes_y + (double)i * (s->lane_h + JF__SVG_LANE_GAP);

        snprintf(buf, sizeof buf, "translate(0,%s)",
                 jf__viz_fixed(y, sizeof y, llround(top * 100), 2, 1));
        jf__svg_start(s, "g");
        jf__svg_attr(s, "class", "lane");
        jf__svg_attr_int(s, "data-worker", (int64_t)i);
        jf__svg_attr_int(s, "data-core", l->core);
        if (l->home_stage >= 0)
            jf__svg_attr_int(s, "data-stage", l->home_stage);
        jf__svg_attr(s, "transform", buf);
        write_parks(s, i);
        write_batches(s, i);
        write_moves(s, i);
        jf__svg_end(s);
    }
}

void jf__svg_write_lane_labels(jf__svg_t *s)
{
    char buf[128];

    for (size_t i = 0; i < s->trace->nlanes; i++)
        jf__svg_label(s, "lane-label", 12,
                      s->lanes_y + (double)i * (s->lane_h + JF__SVG_LANE_GAP) + s->lane_h / 2 + 4,
                      NULL, jf__svg_lane_label(s, i, buf, sizeof buf));
}
