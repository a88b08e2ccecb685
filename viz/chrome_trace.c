/* chrome_trace.c - export a trace as Chrome Trace Event JSON for Perfetto UI. */
#include "jf_viz.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "../core/jf_alloc.h"
#include "../core/jf_error.h"
#include "viz_internal.h"

/* Every event sits in one process; a worker's tid is its index + 1 because
 * some importers treat tid 0 as "no thread". */
#define PID 1

/* The JSON document being streamed out. */
typedef struct out {
    FILE *f;
    const jf_trace_t *trace;
    int first; /* no event written yet: no comma before the next one */
} out_t;

/* Writes the inside of a JSON string: quotes, backslashes and control
 * characters escaped, ill-formed UTF-8 replaced by U+FFFD so the file stays
 * valid whatever the stage names hold. */
static void put_escaped(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");

    while (*p != '\0') {
        size_t n = jf__viz_utf8_len(p);

        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else if (n == 0)
            fputs("\\ufffd", f);
        else
            fwrite(p, 1, n, f);
        p += n ? n : 1;
    }
}

static void put_str(FILE *f, const char *s)
{
    fputc('"', f);
    put_escaped(f, s);
    fputc('"', f);
}

/* Writes nanoseconds as microseconds with three decimals, exactly. */
static void put_us(FILE *f, uint64_t ns)
{
    fprintf(f, "%" PRIu64 ".%03u", ns / 1000, (unsigned)(ns % 1000));
}

static void put_stage(out_t *o, unsigned stage)
{
    char buf[32];

    put_str(o->f, jf__viz_stage_name(o->trace, stage, buf, sizeof buf));
}

/* Starts one element of traceEvents with its phase, pid and tid. */
static void begin_event(out_t *o, const char *ph, size_t lane)
{
    fputs(o->first ? "\n" : ",\n", o->f);
    o->first = 0;
    fprintf(o->f, "{\"ph\":\"%s\",\"pid\":%d,\"tid\":%zu,", ph, PID, lane + 1);
}

static void write_thread_meta(out_t *o, size_t i)
{
    const jf_trace_lane_t *lane = &o->trace->lanes[i];
    char name[160], stage[32];
    int n = snprintf(name, sizeof name, "worker %zu", i);

    if (lane->core >= 0 && lane->home_stage >= 0)
        snprintf(name + n, sizeof name - (size_t)n, " (core %d, %s)", lane->core,
                 jf__viz_stage_name(o->trace, (unsigned)lane->home_stage, stage, sizeof stage));
    else if (lane->core >= 0)
        snprintf(name + n, sizeof name - (size_t)n, " (core %d)", lane->core);
    else if (lane->home_stage >= 0)
        snprintf(name + n, sizeof name - (size_t)n, " (%s)",
                 jf__viz_stage_name(o->trace, (unsigned)lane->home_stage, stage, sizeof stage));
    begin_event(o, "M", i);
    fputs("\"name\":\"thread_name\",\"args\":{\"name\":", o->f);
    put_str(o->f, name);
    fputs("}}", o->f);
    begin_event(o, "M", i);
    fprintf(o->f, "\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%zu}}", i);
}

static void write_batches(out_t *o, size_t i)
{
    jf__viz_cursor_t c;
    jf__viz_span_t b;

    jf__viz_cursor_init(&c, &o->trace->lanes[i], o->trace->wall_ns);
    while (jf__viz_next_batch(&c, &b)) {
        begin_event(o, "X", i);
        fputs("\"cat\":\"batch\",\"name\":", o->f);
        put_stage(o, b.stage);
        fputs(",\"ts\":", o->f);
        put_us(o->f, b.t0);
        fputs(",\"dur\":", o->f);
        put_us(o->f, b.t1 - b.t0);
        fprintf(o->f, ",\"args\":{\"items\":%" PRIu32 "}}", b.items);
    }
}

/* A scheduler decision that moved the worker: an instant on its thread. */
static void write_decision(out_t *o, size_t i, const jf_event_t *ev)
{
    char fbuf[32], tbuf[32];
    unsigned from_stage = ev->count > 0xffffu ? JF_TRACE_NONE : ev->count;
    const char *from = jf__viz_stage_name(o->trace, from_stage, fbuf, sizeof fbuf);
    const char *to = jf__viz_stage_name(o->trace, ev->stage, tbuf, sizeof tbuf);

    begin_event(o, "i", i);
    fputs("\"cat\":\"decision\",\"s\":\"t\",\"name\":\"move to ", o->f);
    put_escaped(o->f, to);
    fputs("\",\"ts\":", o->f);
    put_us(o->f, ev->t_ns);
    fputs(",\"args\":{\"from\":", o->f);
    put_str(o->f, from);
    fputs(",\"to\":", o->f);
    put_str(o->f, to);
    /* JSON has no inf or nan; nine significant digits are plenty for a score. */
    if (isfinite(ev->value))
        fprintf(o->f, ",\"score\":%.9g}}", ev->value);
    else
        fputs(",\"score\":null}}", o->f);
}

static void write_points(out_t *o, size_t i)
{
    const jf_trace_lane_t *lane = &o->trace->lanes[i];

    for (size_t k = 0; k < lane->count; k++) {
        const jf_event_t *ev = &lane->events[k];

        if (ev->kind == JF_EV_DECIDE && ev->count != ev->stage) {
            write_decision(o, i, ev);
        } else if (ev->kind == JF_EV_QDEPTH) {
            char buf[32];

            begin_event(o, "C", i);
            fputs("\"cat\":\"queue\",\"name\":\"queue ", o->f);
            put_escaped(o->f, jf__viz_stage_name(o->trace, ev->stage, buf, sizeof buf));
            fputs("\",\"ts\":", o->f);
            put_us(o->f, ev->t_ns);
            fprintf(o->f, ",\"args\":{\"depth\":%" PRIu32 "}}", ev->count);
        }
    }
}

/* otherData: what the run was, so a trace file explains itself. */
static void write_other(out_t *o, const jf_viz_meta_t *meta)
{
    fprintf(o->f, "],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"wall_ns\":%" PRIu64
            ",\"dropped_events\":%" PRIu64, o->trace->wall_ns, jf_trace_dropped(o->trace));
    if (meta != NULL) {
        fputs(",\"workload\":", o->f);
        put_str(o->f, meta->workload);
        fputs(",\"strategy\":", o->f);
        put_str(o->f, meta->strategy);
        fputs(",\"policy\":", o->f);
        put_str(o->f, meta->policy);
        fprintf(o->f, ",\"cores\":%u", meta->cores);
        if (meta->efficiency >= 0 && isfinite(meta->efficiency))
            fprintf(o->f, ",\"efficiency\":%.6g", meta->efficiency);
    }
    fputs("}}\n", o->f);
}

static void write_document(out_t *o, const jf_viz_meta_t *meta)
{
    const jf_trace_t *trace = o->trace;

    fputs("{\"traceEvents\":[", o->f);
    begin_event(o, "M", 0);
    fputs("\"name\":\"process_name\",\"args\":{\"name\":\"jefferson", o->f);
    if (meta != NULL && meta->workload != NULL) {
        fputc(' ', o->f);
        put_escaped(o->f, meta->workload);
    }
    if (meta != NULL && meta->strategy != NULL) {
        fputc(' ', o->f);
        put_escaped(o->f, meta->strategy);
    }
    fputs("\"}}", o->f);
    for (size_t i = 0; i < trace->nlanes; i++)
        write_thread_meta(o, i);
    for (size_t i = 0; i < trace->nlanes; i++) {
        write_batches(o, i);
        write_points(o, i);
    }
    write_other(o, meta);
}

int jf_viz_write_chrome_trace(const jf_trace_t *trace, const jf_viz_meta_t *meta,
                              const char *path)
{
    jf__viz_locale_t loc;
    out_t o = {.trace = trace, .first = 1};
    char *tmp;
    int err;

    if (trace == NULL || path == NULL)
        return JF_EINVAL;
    tmp = jf__viz_tmp_path(path);
    if (tmp == NULL)
        return JF_ENOMEM;
    err = jf__viz_locale_enter(&loc);
    if (err == 0) {
        o.f = fopen(tmp, "w");
        if (o.f == NULL) {
            err = JF_EIO;
        } else {
            int bad;

            write_document(&o, meta);
            /* ferror reports any earlier failed write, fclose the last flush. */
            bad = ferror(o.f);
            if (fclose(o.f) != 0 || bad)
                err = JF_EIO;
        }
        jf__viz_locale_leave(&loc);
        err = jf__viz_commit(tmp, path, err);
    }
    jf_free(tmp);
    return err;
}
