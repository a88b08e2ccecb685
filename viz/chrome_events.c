/* chrome_events.c - one element of a trace file's traceEvents, checked, back into lane events. */
#include <stdio.h>
#include <string.h>

#include "jefferson/error.h"
#include "chrome_read.h"

#define WHERE_MAX 48

/* What an element says, before it becomes one or two events. */
typedef struct element {
    const char *where;  /* "traceEvents[12]" */
    const char *args_where;
    const cJSON *ev;
    const cJSON *args;
    size_t lane;
    uint64_t ts;
} element_t;

static int push(jf__rd_t *r, const element_t *e, jf_event_t ev)
{
    jf_trace_lane_t *lane = &r->trace->lanes[e->lane];

    if (lane->count == r->want[e->lane])
        return jf__rd_fail(r, JF_ERANGE, e->where,
                           "lane %zu holds more events than otherData.lanes[%zu].events (%zu)",
                           e->lane, e->lane, r->want[e->lane]);
    lane->events[lane->count++] = ev;
    return 0;
}

static int u32(jf__rd_t *r, const element_t *e, const char *key, uint32_t *out)
{
    int64_t v;
    int err = jf__rd_int(r, e->args_where, e->args, key, 0, UINT32_MAX, &v);

    *out = (uint32_t)v;
    return err;
}

/* args.carried, optional: JF_EV_CARRIED in *flags when true. */
static int read_carried(jf__rd_t *r, const element_t *e, uint8_t *flags)
{
    const cJSON *carried = cJSON_GetObjectItemCaseSensitive(e->args, "carried");

    if (carried != NULL && !cJSON_IsBool(carried))
        return jf__rd_fail(r, JF_EPARSE, e->args_where, "\"carried\" is not true or false");
    *flags = cJSON_IsTrue(carried) ? JF_EV_CARRIED : 0;
    return 0;
}

/* "X" of cat "batch": BATCH_BEGIN and BATCH_END. */
static int read_batch(jf__rd_t *r, const element_t *e)
{
    jf_event_t b = {.kind = JF_EV_BATCH_BEGIN, .t_ns = e->ts};
    jf_event_t end = {.kind = JF_EV_BATCH_END};
    uint64_t dur;
    int err;

    if ((err = jf__rd_time(r, e->where, e->ev, "dur", &dur)) != 0 ||
        (err = jf__rd_stage(r, e->args_where, e->args, "stage", 0, &b.stage)) != 0 ||
        (err = u32(r, e, "items", &b.count)) != 0 || (err = u32(r, e, "done", &end.count)) != 0 ||
        (err = jf__rd_double(r, e->args_where, e->args, "kernel_ns", 1, &end.value)) != 0 ||
        (err = jf__rd_double(r, e->args_where, e->args, "cpu_ns", 0, &b.value)) != 0)
        return err;
    if (!(b.value >= 0 && b.value < (double)JF__RD_MAX_NS)) /* not sampled, or nonsense */
        return jf__rd_fail(r, JF_ERANGE, e->args_where, "cpu_ns is not a duration");
    if ((err = read_carried(r, e, &b.flags)) != 0)
        return err;
    if (e->ts + dur >= JF__RD_MAX_NS)
        return jf__rd_fail(r, JF_ERANGE, e->where, "ends after 2^50 ns");
    end.t_ns = e->ts + dur;
    end.stage = b.stage;
    if ((err = push(r, e, b)) != 0)
        return err;
    return push(r, e, end);
}

/* "X" of cat "park": PARK and UNPARK. */
static int read_park(jf__rd_t *r, const element_t *e)
{
    jf_event_t p = {.kind = JF_EV_PARK, .t_ns = e->ts};
    jf_event_t u = {.kind = JF_EV_UNPARK, .stage = JF_TRACE_NONE};
    uint64_t dur;
    int err;

    if ((err = jf__rd_time(r, e->where, e->ev, "dur", &dur)) != 0 ||
        (err = jf__rd_stage(r, e->args_where, e->args, "stage", 1, &p.stage)) != 0)
        return err;
    if (e->ts + dur >= JF__RD_MAX_NS)
        return jf__rd_fail(r, JF_ERANGE, e->where, "ends after 2^50 ns");
    u.t_ns = e->ts + dur;
    if ((err = push(r, e, p)) != 0)
        return err;
    return push(r, e, u);
}

static int read_decision(jf__rd_t *r, const element_t *e)
{
    jf_event_t d = {.kind = JF_EV_DECIDE, .t_ns = e->ts};
    uint16_t from;
    int err;

    if ((err = jf__rd_stage(r, e->args_where, e->args, "to_stage", 1, &d.stage)) != 0 ||
        (err = jf__rd_stage(r, e->args_where, e->args, "from_stage", 1, &from)) != 0 ||
        (err = jf__rd_double(r, e->args_where, e->args, "score", 1, &d.value)) != 0 ||
        (err = read_carried(r, e, &d.flags)) != 0)
        return err;
    d.count = from;
    return push(r, e, d);
}

/* "C": the stage index is a member of the event, not of args. */
static int read_depth(jf__rd_t *r, const element_t *e)
{
    jf_event_t q = {.kind = JF_EV_QDEPTH, .t_ns = e->ts};
    int err;

    if ((err = jf__rd_stage(r, e->where, e->ev, "stage", 0, &q.stage)) != 0 ||
        (err = u32(r, e, "depth", &q.count)) != 0 ||
        (err = jf__rd_double(r, e->args_where, e->args, "service_ns", 0, &q.value)) != 0)
        return err;
    return push(r, e, q);
}

static int read_raw(jf__rd_t *r, const element_t *e)
{
    jf_event_t x = {.t_ns = e->ts};
    int64_t kind, stage = JF_TRACE_NONE;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(e->args, "stage");
    int err;

    if ((err = jf__rd_int(r, e->args_where, e->args, "kind", JF_EV_BATCH_BEGIN, JF_EV_QDEPTH,
                          &kind)) != 0 ||
        (!cJSON_IsNull(s) &&
         (err = jf__rd_int(r, e->args_where, e->args, "stage", 0, JF_TRACE_NONE - 1, &stage)) !=
             0) ||
        (err = u32(r, e, "count", &x.count)) != 0 ||
        (err = jf__rd_double(r, e->args_where, e->args, "value", 1, &x.value)) != 0)
        return err;
    x.kind = (uint8_t)kind;
    x.stage = (uint16_t)stage;
    if (cJSON_GetObjectItemCaseSensitive(e->args, "flags") != NULL) {
        int64_t flags;
        if ((err = jf__rd_int(r, e->args_where, e->args, "flags", 0, UINT8_MAX, &flags)) != 0)
            return err;
        x.flags = (uint8_t)flags;
    }
    return push(r, e, x);
}

static int is(const cJSON *item, const char *text)
{
    return cJSON_IsString(item) && strcmp(item->valuestring, text) == 0;
}

int jf__rd_event(jf__rd_t *r, size_t i, const cJSON *ev)
{
    char where[WHERE_MAX], args_where[WHERE_MAX + 8];
    element_t e = {.where = where, .args_where = args_where, .ev = ev};
    const cJSON *ph = cJSON_GetObjectItemCaseSensitive(ev, "ph");
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(ev, "cat");
    int64_t tid;
    int err;

    snprintf(where, sizeof where, "traceEvents[%zu]", i);
    snprintf(args_where, sizeof args_where, "%s.args", where);
    if (!cJSON_IsObject(ev))
        return jf__rd_fail(r, JF_EPARSE, where, "not an object");
    if (!cJSON_IsString(ph))
        return jf__rd_fail(r, JF_EPARSE, where, "\"ph\" is missing or not a string");
    if ((err = jf__rd_utf8(r, where, "ph", ph)) != 0 ||
        (err = jf__rd_utf8(r, where, "cat", cat)) != 0)
        return err;
    if (is(ph, "M"))
        return 0; /* names of the process and threads, for trace viewers */
    if (r->trace->nlanes == 0)
        return jf__rd_fail(r, JF_ERANGE, where, "an event, but otherData.lanes is empty");
    if ((err = jf__rd_int(r, where, ev, "tid", 1, (int64_t)r->trace->nlanes, &tid)) != 0 ||
        (err = jf__rd_time(r, where, ev, "ts", &e.ts)) != 0)
        return err;
    e.lane = (size_t)tid - 1;
    e.args = cJSON_GetObjectItemCaseSensitive(ev, "args");
    if (!cJSON_IsObject(e.args))
        return jf__rd_fail(r, JF_EPARSE, where, "\"args\" is missing or not an object");
    if (is(ph, "X") && is(cat, "batch"))
        return read_batch(r, &e);
    if (is(ph, "X") && is(cat, "park"))
        return read_park(r, &e);
    if (is(ph, "i") && is(cat, "decision"))
        return read_decision(r, &e);
    if (is(ph, "C") && is(cat, "queue"))
        return read_depth(r, &e);
    if (is(ph, "i") && is(cat, "raw"))
        return read_raw(r, &e);
    return jf__rd_fail(r, JF_EPARSE, where,
                       "not an event jefferson writes (ph \"%.8s\", cat \"%.24s\")",
                       ph->valuestring, cJSON_IsString(cat) ? cat->valuestring : "");
}
