/* chrome_fields.c - typed, range-checked members of a trace file's JSON, with messages. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/jf_why.h"
#include "../core/jf_utf8.h"
#include "chrome_read.h"

int jf__rd_fail(jf__rd_t *r, int code, const char *where, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (r->why == NULL || r->why_size == 0)
        return code;
    n = where != NULL ? snprintf(r->why, r->why_size, "%s: ", where) : 0;
    if (n >= 0 && (size_t)n < r->why_size) {
        va_start(ap, fmt);
        vsnprintf(r->why + n, r->why_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    jf_one_line(r->why); /* text quoted from the file may hold newlines */
    return code;
}

int jf__rd_utf8(jf__rd_t *r, const char *where, const char *key, const cJSON *s)
{
    char path[96];
    size_t at;

    if (!cJSON_IsString(s) ||
        (at = jf_utf8_check(s->valuestring, strlen(s->valuestring))) == JF_UTF8_VALID)
        return 0;
    snprintf(path, sizeof path, "%s%s%s", where, key != NULL ? "." : "", key != NULL ? key : "");
    return jf__rd_fail(r, JF_EPARSE, path, "invalid UTF-8 at byte offset %zu", at);
}

static const cJSON *member(jf__rd_t *r, const char *where, const cJSON *o, const char *key,
                           int *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);

    *err = m == NULL ? jf__rd_fail(r, JF_EPARSE, where, "\"%s\" is missing", key) : 0;
    return m;
}

int jf__rd_int(jf__rd_t *r, const char *where, const cJSON *o, const char *key, int64_t lo,
               int64_t hi, int64_t *out)
{
    int err;
    const cJSON *m = member(r, where, o, key, &err);
    double v;

    if (m == NULL)
        return err;
    v = m->valuedouble;
    if (!cJSON_IsNumber(m) || !isfinite(v) || v != floor(v))
        return jf__rd_fail(r, JF_EPARSE, where, "\"%s\" is not an integer", key);
    if (v < (double)lo || v > (double)hi)
        return jf__rd_fail(r, JF_ERANGE, where, "\"%s\" is %.17g, not from %lld to %lld", key, v,
                           (long long)lo, (long long)hi);
    *out = (int64_t)v;
    return 0;
}

int jf__rd_stage(jf__rd_t *r, const char *where, const cJSON *o, const char *key, int none_ok,
                 uint16_t *out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
    size_t n = r->trace->nstages;
    int64_t v;
    int err;

    if (m != NULL && cJSON_IsNull(m) && none_ok) {
        *out = JF_TRACE_NONE;
        return 0;
    }
    if (n == 0 && m != NULL && cJSON_IsNumber(m))
        return jf__rd_fail(r, JF_ERANGE, where, "\"%s\" names a stage, but the trace has none",
                           key);
    err = jf__rd_int(r, where, o, key, 0, (int64_t)n - 1, &v);
    if (err == 0)
        *out = (uint16_t)v;
    return err;
}

int jf__rd_time(jf__rd_t *r, const char *where, const cJSON *o, const char *key, uint64_t *out)
{
    int err;
    const cJSON *m = member(r, where, o, key, &err);
    double v;

    if (m == NULL)
        return err;
    v = m->valuedouble;
    if (!cJSON_IsNumber(m) || !isfinite(v))
        return jf__rd_fail(r, JF_EPARSE, where, "\"%s\" is not a number", key);
    if (v < 0)
        return jf__rd_fail(r, JF_ERANGE, where, "\"%s\" is negative", key);
    if (v * 1000 >= (double)JF__RD_MAX_NS)
        return jf__rd_fail(r, JF_ERANGE, where, "\"%s\" is too large (over 2^50 ns)", key);
    *out = (uint64_t)llround(v * 1000);
    return 0;
}

int jf__rd_double(jf__rd_t *r, const char *where, const cJSON *o, const char *key, int required,
                  double *out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);

    if (m == NULL && !required) {
        *out = 0;
        return 0;
    }
    if (m == NULL)
        return jf__rd_fail(r, JF_EPARSE, where, "\"%s\" is missing", key);
    if (jf__rd_utf8(r, where, key, m) != 0)
        return JF_EPARSE;
    if (cJSON_IsNumber(m))
        *out = m->valuedouble;
    else if (cJSON_IsNull(m))
        *out = NAN;
    else if (cJSON_IsString(m) && strcmp(m->valuestring, "inf") == 0)
        *out = INFINITY;
    else if (cJSON_IsString(m) && strcmp(m->valuestring, "-inf") == 0)
        *out = -INFINITY;
    else
        return jf__rd_fail(r, JF_EPARSE, where, "\"%s\" is not a number", key);
    return 0;
}
