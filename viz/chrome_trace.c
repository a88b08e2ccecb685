/* chrome_trace.c - export a trace as Chrome Trace Event JSON for Perfetto UI, losslessly. */
#include "jefferson/render.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "../core/jf_utf8.h"
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
 * characters escaped, each ill-formed UTF-8 subpart replaced by U+FFFD
 * (jf_utf8_bad_len) so the file stays valid whatever the stage names hold. */
static void put_escaped(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t len = strlen((const char *)p);

    for (size_t i = 0; i < len;) {
        size_t n = jf_utf8_seq_len(p + i, len - i);

        if (n == 0) {
            fputs("\\ufffd", f);
            i += jf_utf8_bad_len(p + i, len - i);
            continue;
        }
        if (p[i] == '"' || p[i] == '\\')
            fprintf(f, "\\%c", p[i]);
        else if (p[i] < 0x20 || p[i] == 0x7f)
            fprintf(f, "\\u%04x", p[i]);
        else
            fwrite(p + i, 1, n, f);
        i += n;
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

/* Writes a double that reads back to the same bits: the shortest of 15 or
 * 17 significant digits that does. JSON has no inf or nan: nan is null,
 * the infinities are the strings "inf" and "-inf". */
static void put_double(FILE *f, double v)
{
    char buf[40];

    if (isnan(v)) {
        fputs("null", f);
    } else if (isinf(v)) {
        fputs(v > 0 ? "\"inf\"" : "\"-inf\"", f);
    } else {
        snprintf(buf, sizeof buf, "%.15g", v);
        if (strtod(buf, NULL) != v)
            snprintf(buf, sizeof buf, "%.17g", v);
        fputs(buf, f);
    }
}

/* A stage index, or null for JF_TRACE_NONE. */
static void put_stage_id(FILE *f, unsigned stage)
{
    if (stage == JF_TRACE_NONE)
        fputs("null", f);
    else
        fprintf(f, "%u", stage);
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

/* A complete event from a to b, which are adjacent in the lane. */
static void write_span(out_t *o, size_t i, const jf_event_t *a, const jf_event_t *b)
{
    begin_event(o, "X", i);
    if (a->kind == JF_EV_BATCH_BEGIN) {
        fputs("\"cat\":\"batch\",\"name\":", o->f);
        put_stage(o, a->stage);
    } else {
        fputs("\"cat\":\"park\",\"name\":\"parked\"", o->f);
    }
    fputs(",\"ts\":", o->f);
    put_us(o->f, a->t_ns);
    fputs(",\"dur\":", o->f);
    put_us(o->f, b->t_ns - a->t_ns);
    fputs(",\"args\":{\"stage\":", o->f);
    put_stage_id(o->f, a->stage);
    if (a->kind == JF_EV_BATCH_BEGIN) {
        fprintf(o->f, ",\"items\":%" PRIu32 ",\"done\":%" PRIu32 ",\"kernel_ns\":", a->count,
                b->count);
        put_double(o->f, b->value);
        if (a->value > 0) /* sampled thread CPU time (jf_trace.h) */
            fprintf(o->f, ",\"cpu_ns\":%.0f", a->value);
        if (a->flags & JF_EV_CARRIED) /* ran from the worker's hand, no queue hop */
            fputs(",\"carried\":true", o->f);
    }
    fputs("}}", o->f);
}

/* A scheduler decision: an instant on its thread. */
static void write_decision(out_t *o, size_t i, const jf_event_t *ev)
{
    unsigned from = ev->count;
    char buf[32];

    begin_event(o, "i", i);
    fprintf(o->f, "\"cat\":\"decision\",\"s\":\"t\",\"name\":\"%s ",
            ev->flags & JF_EV_CARRIED ? "carry to" : from == ev->stage ? "stay at" : "move to");
    put_escaped(o->f, jf__viz_stage_name(o->trace, ev->stage, buf, sizeof buf));
    fputs("\",\"ts\":", o->f);
    put_us(o->f, ev->t_ns);
    fputs(",\"args\":{\"from\":", o->f);
    put_stage(o, from);
    fputs(",\"to\":", o->f);
    put_stage(o, ev->stage);
    fputs(",\"score\":", o->f);
    put_double(o->f, ev->value);
    fputs(",\"from_stage\":", o->f);
    put_stage_id(o->f, from);
    fputs(",\"to_stage\":", o->f);
    put_stage_id(o->f, ev->stage);
    if (ev->flags & JF_EV_CARRIED)
        fputs(",\"carried\":true", o->f);
    fputs("}}", o->f);
}

/* Queue depth: a counter per stage. The stage index rides outside args,
 * where every member would become a counter series. */
static void write_depth(out_t *o, size_t i, const jf_event_t *ev)
{
    char buf[32];

    begin_event(o, "C", i);
    fputs("\"cat\":\"queue\",\"name\":\"queue ", o->f);
    put_escaped(o->f, jf__viz_stage_name(o->trace, ev->stage, buf, sizeof buf));
    fprintf(o->f, "\",\"stage\":%u,\"ts\":", ev->stage);
    put_us(o->f, ev->t_ns);
    fprintf(o->f, ",\"args\":{\"depth\":%" PRIu32, ev->count);
    if (ev->value != 0) {
        fputs(",\"service_ns\":", o->f);
        put_double(o->f, ev->value);
    }
    fputs("}}", o->f);
}

/* An event that fits no other form, field by field. */
static void write_raw(out_t *o, size_t i, const jf_event_t *ev)
{
    begin_event(o, "i", i);
    fputs("\"cat\":\"raw\",\"s\":\"t\",\"name\":\"raw event\",\"ts\":", o->f);
    put_us(o->f, ev->t_ns);
    fprintf(o->f, ",\"args\":{\"kind\":%u,\"stage\":", (unsigned)ev->kind);
    put_stage_id(o->f, ev->stage);
    fprintf(o->f, ",\"count\":%" PRIu32 ",\"value\":", ev->count);
    put_double(o->f, ev->value);
    if (ev->flags != 0)
        fprintf(o->f, ",\"flags\":%u", (unsigned)ev->flags);
    fputs("}}", o->f);
}

static int known(const jf_trace_t *trace, unsigned stage, int none_ok)
{
    return stage < trace->nstages || (none_ok && stage == JF_TRACE_NONE);
}

/* Whether "cpu_ns" holds v exactly: 0 (not sampled, left out) or whole
 * nanoseconds below 2^50. */
static int cpu_exact(double v)
{
    return v == 0 || (v >= 1 && v < 1125899906842624.0 && v == (double)(uint64_t)v);
}

/* Whether ev's flags are ones its own kind of record writes ("carried" of
 * a batch or a decision); any other flag travels in a raw event. */
static int flags_fit(const jf_event_t *ev)
{
    bool carries = ev->kind == JF_EV_BATCH_BEGIN || ev->kind == JF_EV_DECIDE;

    return (ev->flags & ~(carries ? JF_EV_CARRIED : 0u)) == 0;
}

/* Whether a and b (adjacent) form a span that an "X" event holds exactly. */
static int is_span(const jf_trace_t *trace, const jf_event_t *a, const jf_event_t *b)
{
    if (b == NULL || b->t_ns < a->t_ns || b->flags != 0 || !flags_fit(a))
        return 0;
    if (a->kind == JF_EV_BATCH_BEGIN) /* its value, a sampled CPU time, is "cpu_ns" */
        return b->kind == JF_EV_BATCH_END && b->stage == a->stage && known(trace, a->stage, 0) &&
               cpu_exact(a->value);
    return a->value == 0 && a->kind == JF_EV_PARK && b->kind == JF_EV_UNPARK && known(trace, a->stage, 1) &&
           b->stage == JF_TRACE_NONE && a->count == 0 && b->count == 0 && b->value == 0;
}

/* The lane's events in the order recorded, so reading them back in file
 * order gives the same sequence. */
static void write_lane(out_t *o, size_t i)
{
    const jf_trace_lane_t *lane = &o->trace->lanes[i];
    const jf_trace_t *t = o->trace;

    for (size_t k = 0; k < lane->count; k++) {
        const jf_event_t *ev = &lane->events[k];
        const jf_event_t *next = k + 1 < lane->count ? ev + 1 : NULL;

        if (is_span(t, ev, next)) {
            write_span(o, i, ev, next);
            k++;
        } else if (!flags_fit(ev)) {
            write_raw(o, i, ev);
        } else if (ev->kind == JF_EV_DECIDE && known(t, ev->stage, 1) &&
                   (ev->count == JF_TRACE_NONE || ev->count < t->nstages)) {
            write_decision(o, i, ev);
        } else if (ev->kind == JF_EV_QDEPTH && known(t, ev->stage, 0)) {
            write_depth(o, i, ev);
        } else {
            write_raw(o, i, ev);
        }
    }
}

/* otherData: the format version and what the reader needs besides the
 * events, then what the run was, so a trace file explains itself. */
static void write_other(out_t *o, const jf_viz_meta_t *meta)
{
    const jf_trace_t *t = o->trace;

    fprintf(o->f, "],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"jefferson_trace\":%d,"
            "\"wall_ns\":%" PRIu64 ",\"dropped_events\":%" PRIu64 ",\n\"stages\":[",
            JF_VIZ_TRACE_VERSION, t->wall_ns, jf_trace_dropped(t));
    for (size_t s = 0; s < t->nstages; s++) {
        const char *name = t->stage_names != NULL ? t->stage_names[s] : NULL;

        fputs(s ? "," : "", o->f);
        if (name != NULL)
            put_str(o->f, name);
        else
            fputs("null", o->f);
    }
    fputs("],\n\"lanes\":[", o->f);
    for (size_t i = 0; i < t->nlanes; i++)
        fprintf(o->f,
                "%s{\"core\":%d,\"home_stage\":%d,\"events\":%zu,\"dropped\":%" PRIu64
                ",\"cpu_ns\":%" PRIu64 "}",
                i ? ",\n" : "\n", t->lanes[i].core, t->lanes[i].home_stage, t->lanes[i].count,
                t->lanes[i].dropped, t->lanes[i].cpu_ns);
    fputs("]", o->f);
    if (meta != NULL) {
        fputs(",\n\"workload\":", o->f);
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
    for (size_t i = 0; i < trace->nlanes; i++)
        write_lane(o, i);
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
