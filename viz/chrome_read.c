/* chrome_read.c - read a trace file written by jf_viz_write_chrome_trace back into a jf_trace_t. */
#include "jefferson/render.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "chrome_read.h"
#include "viz_internal.h"

#define MAX_FILE (2ull << 30)
#define MAX_LANES 4096
#define MAX_STAGES 4096        /* stage indexes stay below JF_TRACE_NONE */
#define MAX_NAME 4096          /* bytes of a stage name */
#define MIN_EVENT_BYTES 16     /* every event takes more room than this in the file */
#define MAX_CORE (1 << 24)

/* The two members of the document that matter, found without parsing it. */
typedef struct parts {
    const char *events, *events_end;
    const char *other, *other_end;
} parts_t;

/* Reads the whole file into a new NUL-terminated buffer. */
static int read_file(jf__rd_t *r, const char *path, char **text)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char eb[128];
    int err = 0;

    if (f == NULL)
        return jf__rd_fail(r, JF_EIO, NULL, "%s", strerror_r(errno, eb, sizeof eb));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        err = jf__rd_fail(r, JF_EIO, NULL, "not a regular file");
    else if (st.st_size == 0)
        err = jf__rd_fail(r, JF_EPARSE, NULL, "empty file");
    else if ((unsigned long long)st.st_size > MAX_FILE)
        err = jf__rd_fail(r, JF_ERANGE, NULL, "larger than 2 GiB");
    else if ((*text = jf_calloc((size_t)st.st_size + 1, 1)) == NULL)
        err = jf__rd_fail(r, JF_ENOMEM, NULL, "out of memory");
    else if (fread(*text, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        err = jf__rd_fail(r, JF_EIO, NULL, "read failed");
    r->bytes = err == 0 ? (size_t)st.st_size : 0;
    fclose(f);
    return err;
}

static int key_is(const jf__json_member_t *m, const char *key)
{
    return m->key_len == strlen(key) && memcmp(m->key, key, m->key_len) == 0;
}

/* Finds traceEvents and otherData in the top-level object, checking the
 * structure of the whole text on the way (a truncated file fails here). */
static int find_parts(jf__rd_t *r, const char *text, parts_t *p)
{
    const char *end = text + r->bytes;
    jf__json_iter_t it;
    jf__json_member_t m;
    int rc;

    if (jf__json_iter_init(&it, text, end, 1) != 0 || it.close != '}')
        return jf__rd_fail(r, JF_EPARSE, NULL, "not a JSON object");
    while ((rc = jf__json_next(&it, &m)) == 1) {
        if (key_is(&m, "traceEvents") && p->events == NULL) {
            p->events = m.value;
            p->events_end = m.value_end;
        } else if (key_is(&m, "otherData") && p->other == NULL) {
            p->other = m.value;
            p->other_end = m.value_end;
        }
    }
    if (rc < 0 && it.too_deep)
        return jf__rd_fail(r, JF_ERANGE, NULL, "nested deeper than %d levels",
                           JF__JSON_MAX_DEPTH);
    if (rc < 0)
        return jf__rd_fail(r, JF_EPARSE, NULL, "truncated or malformed JSON after byte %zu",
                           (size_t)(it.p - text));
    if (jf__json_ws(it.p, end) != end)
        return jf__rd_fail(r, JF_EPARSE, NULL, "text after the JSON document at byte %zu",
                           (size_t)(it.p - text));
    if (p->other == NULL)
        return jf__rd_fail(r, JF_EPARSE, NULL, "not a jefferson trace (no otherData)");
    if (p->events == NULL)
        return jf__rd_fail(r, JF_EPARSE, NULL, "no traceEvents");
    return 0;
}

static int check_version(jf__rd_t *r, const cJSON *other)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(other, "jefferson_trace");

    if (v == NULL)
        return jf__rd_fail(r, JF_EPARSE, "otherData",
                           "not a jefferson trace (no \"jefferson_trace\" version)");
    if (!cJSON_IsNumber(v))
        return jf__rd_fail(r, JF_EPARSE, "otherData", "\"jefferson_trace\" is not a number");
    if (v->valuedouble != JF_VIZ_TRACE_VERSION)
        return jf__rd_fail(r, JF_EPARSE, "otherData",
                           "trace format version %.6g; this bench reads version %d",
                           v->valuedouble, JF_VIZ_TRACE_VERSION);
    return 0;
}

static int read_stages(jf__rd_t *r, const cJSON *stages)
{
    jf_trace_t *t = r->trace;
    const cJSON *s;
    size_t i = 0;

    if (!cJSON_IsArray(stages))
        return jf__rd_fail(r, JF_EPARSE, "otherData", "\"stages\" is missing or not an array");
    if (cJSON_GetArraySize(stages) > MAX_STAGES)
        return jf__rd_fail(r, JF_ERANGE, "otherData", "more than %d stages", MAX_STAGES);
    t->stage_names = jf_calloc((size_t)cJSON_GetArraySize(stages) + 1, sizeof(char *));
    if (t->stage_names == NULL)
        return jf__rd_fail(r, JF_ENOMEM, "otherData", "out of memory");
    t->nstages = (size_t)cJSON_GetArraySize(stages);
    cJSON_ArrayForEach(s, stages) {
        size_t len = cJSON_IsString(s) ? strlen(s->valuestring) : 0;
        char where[48];
        int err;

        snprintf(where, sizeof where, "otherData.stages[%zu]", i);
        if (!cJSON_IsString(s) && !cJSON_IsNull(s))
            return jf__rd_fail(r, JF_EPARSE, "otherData.stages", "[%zu] is not a string", i);
        if ((err = jf__rd_utf8(r, where, NULL, s)) != 0)
            return err;
        if (len > MAX_NAME)
            return jf__rd_fail(r, JF_ERANGE, "otherData.stages", "[%zu] is over %d bytes", i,
                               MAX_NAME);
        if (cJSON_IsString(s) && (t->stage_names[i] = jf_calloc(len + 1, 1)) == NULL)
            return jf__rd_fail(r, JF_ENOMEM, "otherData", "out of memory");
        if (cJSON_IsString(s))
            memcpy(t->stage_names[i], s->valuestring, len);
        i++;
    }
    return 0;
}

/* One lane's description; *budget counts down the events the file can hold. */
static int read_lane(jf__rd_t *r, size_t i, const cJSON *o, int64_t *budget)
{
    jf_trace_lane_t *lane = &r->trace->lanes[i];
    int64_t core, home, events, dropped, cpu;
    char where[48];
    int err;

    snprintf(where, sizeof where, "otherData.lanes[%zu]", i);
    if (!cJSON_IsObject(o))
        return jf__rd_fail(r, JF_EPARSE, where, "not an object");
    if ((err = jf__rd_int(r, where, o, "core", -1, MAX_CORE, &core)) != 0 ||
        (err = jf__rd_int(r, where, o, "home_stage", -1, (int64_t)r->trace->nstages - 1,
                          &home)) != 0 ||
        (err = jf__rd_int(r, where, o, "events", 0, *budget, &events)) != 0 ||
        (err = jf__rd_int(r, where, o, "dropped", 0, INT64_C(1) << 53, &dropped)) != 0)
        return err;
    /* CPU time over the run: traces written before it was recorded lack it. */
    if (cJSON_GetObjectItemCaseSensitive(o, "cpu_ns") != NULL) {
        if ((err = jf__rd_int(r, where, o, "cpu_ns", 0, INT64_C(1) << 53, &cpu)) != 0)
            return err;
        lane->cpu_ns = (uint64_t)cpu;
    }
    *budget -= events;
    lane->core = (int)core;
    lane->home_stage = (int)home;
    lane->dropped = (uint64_t)dropped;
    lane->capacity = (size_t)events;
    r->want[i] = (size_t)events;
    if (events > 0 && (lane->events = jf_calloc((size_t)events, sizeof *lane->events)) == NULL)
        return jf__rd_fail(r, JF_ENOMEM, where, "out of memory");
    return 0;
}

static int read_lanes(jf__rd_t *r, const cJSON *lanes)
{
    jf_trace_t *t = r->trace;
    int64_t budget = (int64_t)(r->bytes / MIN_EVENT_BYTES);
    const cJSON *o;
    size_t i = 0;
    int err;

    if (!cJSON_IsArray(lanes))
        return jf__rd_fail(r, JF_EPARSE, "otherData", "\"lanes\" is missing or not an array");
    if (cJSON_GetArraySize(lanes) > MAX_LANES)
        return jf__rd_fail(r, JF_ERANGE, "otherData", "more than %d lanes", MAX_LANES);
    t->lanes = jf_calloc((size_t)cJSON_GetArraySize(lanes) + 1, sizeof *t->lanes);
    r->want = jf_calloc((size_t)cJSON_GetArraySize(lanes) + 1, sizeof *r->want);
    if (t->lanes == NULL || r->want == NULL)
        return jf__rd_fail(r, JF_ENOMEM, "otherData", "out of memory");
    t->nlanes = (size_t)cJSON_GetArraySize(lanes);
    cJSON_ArrayForEach(o, lanes) {
        if ((err = read_lane(r, i++, o, &budget)) != 0)
            return err;
    }
    return 0;
}

/* The trace without its events: version, wall time, stages, lanes. */
static int read_other(jf__rd_t *r, const parts_t *p)
{
    cJSON *other = cJSON_ParseWithLength(p->other, (size_t)(p->other_end - p->other));
    int64_t wall;
    int err;

    if (other == NULL || !cJSON_IsObject(other))
        err = jf__rd_fail(r, JF_EPARSE, "otherData", "not a JSON object");
    else if ((err = check_version(r, other)) == 0 &&
             (err = jf__rd_int(r, "otherData", other, "wall_ns", 0,
                               (int64_t)JF__RD_MAX_NS - 1, &wall)) == 0 &&
             (err = read_stages(r, cJSON_GetObjectItemCaseSensitive(other, "stages"))) == 0)
        err = read_lanes(r, cJSON_GetObjectItemCaseSensitive(other, "lanes"));
    if (err == 0)
        r->trace->wall_ns = (uint64_t)wall;
    cJSON_Delete(other);
    return err;
}

/* Every element of traceEvents, one cJSON parse each, then the counts. */
static int read_events(jf__rd_t *r, const parts_t *p)
{
    jf__json_iter_t it;
    jf__json_member_t m;
    size_t i = 0;
    int rc, err = 0;

    if (jf__json_iter_init(&it, p->events, p->events_end, 2) != 0 || it.close != ']')
        return jf__rd_fail(r, JF_EPARSE, "traceEvents", "not an array");
    while (err == 0 && (rc = jf__json_next(&it, &m)) == 1) {
        cJSON *ev = cJSON_ParseWithLength(m.value, (size_t)(m.value_end - m.value));

        err = ev == NULL ? jf__rd_fail(r, JF_EPARSE, "traceEvents", "[%zu] is not valid JSON", i)
                         : jf__rd_event(r, i, ev);
        cJSON_Delete(ev);
        i++;
    }
    if (err != 0)
        return err;
    if (rc < 0)
        return jf__rd_fail(r, JF_EPARSE, "traceEvents", "malformed after element %zu", i);
    for (size_t k = 0; k < r->trace->nlanes; k++)
        if (r->trace->lanes[k].count != r->want[k])
            return jf__rd_fail(r, JF_ERANGE, "traceEvents",
                               "lane %zu has %zu events, otherData.lanes[%zu].events says %zu", k,
                               r->trace->lanes[k].count, k, r->want[k]);
    return 0;
}

int jf_viz_read_chrome_trace(const char *path, jf_trace_t **out, char *why, size_t why_size)
{
    jf__rd_t r = {.why = why, .why_size = why_size};
    parts_t p = {0};
    char *text = NULL;
    int err;

    if (why != NULL && why_size > 0)
        why[0] = '\0';
    if (out == NULL || path == NULL)
        return JF_EINVAL;
    *out = NULL;
    err = read_file(&r, path, &text);
    if (err == 0)
        err = find_parts(&r, text, &p);
    if (err == 0 && (r.trace = jf_calloc(1, sizeof *r.trace)) == NULL)
        err = jf__rd_fail(&r, JF_ENOMEM, NULL, "out of memory");
    if (err == 0)
        err = read_other(&r, &p);
    if (err == 0)
        err = read_events(&r, &p);
    jf_free(text);
    jf_free(r.want);
    if (err != 0) {
        jf_trace_destroy(r.trace);
        return err;
    }
    *out = r.trace;
    return 0;
}
