/* timeline_data.c - a strategy's exact batches, parks, moves and queue depths, compactly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "../core/jf_utf8.h"
#include "svg_internal.h"
#include "timeline.h"
#include "viz_internal.h"

/* One queue-depth sample, with its place in the trace to keep the sort stable. */
typedef struct sample {
    uint64_t t;
    uint64_t seq;
    uint32_t depth;
} sample_t;

static void grow(jf__tl_text_t *o, size_t more)
{
    size_t cap = o->cap ? o->cap : 4096;
    char *p;

    while (cap - o->len <= more)
        cap *= 2;
    if (cap == o->cap)
        return;
    p = jf_calloc(cap, 1);
    if (p == NULL) {
        o->err = JF_ENOMEM;
        return;
    }
    if (o->text != NULL)
        memcpy(p, o->text, o->len);
    jf_free(o->text);
    o->text = p;
    o->cap = cap;
}

static void put(jf__tl_text_t *o, const char *s, size_t n)
{
    if (o->err != 0)
        return;
    grow(o, n);
    if (o->err != 0)
        return;
    memcpy(o->text + o->len, s, n);
    o->len += n;
    o->text[o->len] = '\0';
}

static void put_str(jf__tl_text_t *o, const char *s)
{
    put(o, s, strlen(s));
}

/* The code point of the well-formed UTF-8 sequence of n bytes at p. */
static uint32_t code_point(const unsigned char *p, size_t n)
{
    uint32_t c = n == 1 ? p[0] : p[0] & (0xffu >> (n + 1));

    for (size_t i = 1; i < n; i++)
        c = c << 6 | (p[i] & 0x3fu);
    return c;
}

/* A JSON string of cleaned text, in ASCII: the page is written in ASCII
 * (other characters as entities, which a <script> would not decode), and
 * '<', '>' and '&' are escaped so that no text can end the <script>. */
static void put_string(jf__tl_text_t *o, const char *s)
{
    char clean[256], esc[16];
    const unsigned char *p = (const unsigned char *)jf__viz_clean(clean, sizeof clean, s);
    const unsigned char *end = p + strlen((const char *)p);

    put(o, "\"", 1);
    while (*p != '\0') {
        size_t n = *p < 0x80 ? 1 : jf_utf8_seq_len(p, (size_t)(end - p));
        uint32_t c = code_point(p, n ? n : 1);

        if (c >= 0x10000)
            snprintf(esc, sizeof esc, "\\u%04x\\u%04x", (unsigned)(0xd800 + ((c - 0x10000) >> 10)),
                     (unsigned)(0xdc00 + ((c - 0x10000) & 0x3ff)));
        else if (c >= 0x7f || c < 0x20 || strchr("\"\\<>&", (int)c) != NULL)
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
        else
            snprintf(esc, sizeof esc, "%c", (int)c);
        put_str(o, esc);
        p += n ? n : 1;
    }
    put(o, "\"", 1);
}

/* An integer in base 36, after a comma unless it is the first of its list. */
static void put_int(jf__tl_text_t *o, int64_t v, int *first)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char buf[24];
    size_t i = sizeof buf;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        buf[--i] = digits[u % 36];
        u /= 36;
    } while (u != 0);
    if (v < 0)
        buf[--i] = '-';
    if (!*first)
        put(o, ",", 1);
    *first = 0;
    put(o, buf + i, sizeof buf - i);
}

static int64_t delta(uint64_t t, uint64_t prev)
{
    return t >= prev ? (int64_t)(t - prev) : -(int64_t)(prev - t);
}

/* What put_lane_marks lists: the sampled batches with their thread CPU
 * time ("c"), or the batches run from the worker's hand ("k"). */
enum mark { MARK_CPU, MARK_CARRIED };

/* The lane's marked batches as member `key`: for each, the number of
 * batches since the previous marked one, in the order of "b", and for
 * MARK_CPU its CPU ns. */
static void put_lane_marks(jf__tl_text_t *o, const char *key, enum mark mark,
                           const jf_trace_lane_t *lane, uint64_t wall_ns)
{
    jf__viz_cursor_t c;
    jf__viz_span_t s;
    int64_t index = 0, last = 0;
    int first = 1;

    put_str(o, ",\"");
    put_str(o, key);
    put_str(o, "\":\"");
    jf__viz_cursor_init(&c, lane, wall_ns);
    for (; jf__viz_next_batch(&c, &s); index++) {
        if (mark == MARK_CPU ? s.cpu_ns == 0 : !s.carried)
            continue;
        put_int(o, index - last, &first);
        if (mark == MARK_CPU)
            put_int(o, (int64_t)s.cpu_ns, &first);
        last = index;
    }
    put_str(o, "\"");
}

/* "b": every batch of the lane; "c": CPU time of the sampled ones; "k":
 * the carried ones; "p": every parked span. */
static void put_lane(jf__tl_text_t *o, const jf_trace_t *trace, size_t i)
{
    const jf_trace_lane_t *lane = &trace->lanes[i];
    jf__viz_cursor_t c;
    jf__viz_span_t s;
    uint64_t prev = 0;
    int first = 1;
    char label[160], name[64];
    int n = lane->core >= 0 ? snprintf(label, sizeof label, "w%zu core %d", i, lane->core)
                            : snprintf(label, sizeof label, "w%zu", i);

    if (lane->home_stage >= 0 && (size_t)lane->home_stage < trace->nstages && n > 0)
        snprintf(label + n, sizeof label - (size_t)n, " \xc2\xb7 %s",
                 jf__viz_stage_name(trace, (unsigned)lane->home_stage, name, sizeof name));
    put_str(o, "{\"label\":");
    put_string(o, label);
    put_str(o, ",\"b\":\"");
    jf__viz_cursor_init(&c, lane, trace->wall_ns);
    while (jf__viz_next_batch(&c, &s)) {
        put_int(o, delta(s.t0, prev), &first);
        put_int(o, (int64_t)(s.t1 - s.t0), &first);
        put_int(o, s.stage, &first);
        put_int(o, s.items, &first);
        prev = s.t1;
    }
    put_str(o, "\"");
    put_lane_marks(o, "c", MARK_CPU, lane, trace->wall_ns);
    put_lane_marks(o, "k", MARK_CARRIED, lane, trace->wall_ns);
    put_str(o, ",\"p\":\"");
    jf__viz_cursor_init(&c, lane, trace->wall_ns);
    for (prev = 0, first = 1; jf__viz_next_park(&c, &s); prev = s.t1) {
        put_int(o, delta(s.t0, prev), &first);
        put_int(o, (int64_t)(s.t1 - s.t0), &first);
    }
    put_str(o, "\"}");
}

static int by_time(const void *a, const void *b)
{
    const sample_t *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* From every lane, in time order (ties in the order recorded): the depth
 * samples of stage, or the moves when stage is JF_TRACE_NONE, into *out
 * (free with jf_free). Returns how many, or SIZE_MAX when out of memory. */
static size_t gather(const jf_trace_t *trace, unsigned stage, sample_t **out)
{
    size_t n = 0, total = 0;
    uint64_t seq = 0;

    for (size_t i = 0; i < trace->nlanes; i++)
        total += trace->lanes[i].count;
    *out = jf_calloc(total ? total : 1, sizeof **out);
    if (*out == NULL)
        return SIZE_MAX;
    for (size_t i = 0; i < trace->nlanes; i++) {
        for (size_t k = 0; k < trace->lanes[i].count; k++, seq++) {
            const jf_event_t *ev = &trace->lanes[i].events[k];
            int move = jf_event_is_move(ev);
            int depth = ev->kind == JF_EV_QDEPTH && ev->stage == stage;

            if (stage == JF_TRACE_NONE ? move : depth)
                (*out)[n++] = (sample_t){ev->t_ns, seq, ev->count};
        }
    }
    qsort(*out, n, sizeof **out, by_time);
    return n;
}

/* A list of samples: time deltas, each followed by its depth unless the
 * samples are moves (stage JF_TRACE_NONE). */
static void put_samples(jf__tl_text_t *o, const jf_trace_t *trace, unsigned stage)
{
    sample_t *s;
    size_t n = gather(trace, stage, &s);
    uint64_t prev = 0;
    int first = 1;

    if (n == SIZE_MAX) {
        o->err = JF_ENOMEM;
        return;
    }
    put(o, "\"", 1);
    for (size_t i = 0; i < n; prev = s[i].t, i++) {
        put_int(o, delta(s[i].t, prev), &first);
        if (stage != JF_TRACE_NONE)
            put_int(o, s[i].depth, &first);
    }
    put(o, "\"", 1);
    jf_free(s);
}

static void put_stages(jf__tl_text_t *o, const jf_trace_t *trace)
{
    char name[64];

    put_str(o, ",\"stages\":[");
    for (size_t i = 0; i < trace->nstages; i++) {
        put_str(o, i ? "," : "");
        put_string(o, jf__viz_stage_name(trace, (unsigned)i, name, sizeof name));
    }
    put_str(o, "],\"colours\":[");
    for (size_t i = 0; i < trace->nstages; i++) {
        put_str(o, i ? ",\"" : "\"");
        put_str(o, jf__svg_colour((unsigned)i));
        put_str(o, "\"");
    }
    put_str(o, "]");
}

int jf__tl_encode(const jf_trace_t *trace, const char *strategy, jf__tl_text_t *out)
{
    char wall[24];

    put_str(out, "{\"strategy\":");
    put_string(out, strategy != NULL ? strategy : "");
    snprintf(wall, sizeof wall, ",\"wall\":%llu", (unsigned long long)trace->wall_ns);
    put_str(out, wall);
    put_stages(out, trace);
    put_str(out, ",\"lanes\":[");
    for (size_t i = 0; i < trace->nlanes; i++) {
        put_str(out, i ? "," : "");
        put_lane(out, trace, i);
    }
    put_str(out, "],\"moves\":");
    put_samples(out, trace, JF_TRACE_NONE);
    put_str(out, ",\"queues\":[");
    for (size_t i = 0; i < trace->nstages && i < JF_TRACE_NONE; i++) {
        put_str(out, i ? "," : "");
        put_samples(out, trace, (unsigned)i);
    }
    put_str(out, "]}");
    return out->err;
}
