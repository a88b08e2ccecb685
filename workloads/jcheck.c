/* jcheck.c - typed checks of cJSON values whose errors name file and JSON path. */
#include "jcheck.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "../core/jf_utf8.h"

#define KEY_SHOWN 64 /* bytes of a user-supplied key shown in a path */

int jf__jfail(const jf__jctx_t *c, int code, const char *path, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (path != NULL && path[0] != '\0')
        n = snprintf(c->err, WORKLOAD_ERR_MAX, "%s: %s: ", c->file, path);
    else
        n = snprintf(c->err, WORKLOAD_ERR_MAX, "%s: ", c->file);
    if (n >= 0 && n < WORKLOAD_ERR_MAX) {
        va_start(ap, fmt);
        vsnprintf(c->err + n, (size_t)(WORKLOAD_ERR_MAX - n), fmt, ap);
        va_end(ap);
    }
    /* Keys, names and file names come from the user; a newline in one must
     * not break the one-line message contract. A value quoted cut to 64
     * bytes, or a file name, may hold half a character: '?' too. */
    for (size_t i = 0, len = strlen(c->err); i < len;) {
        unsigned char *p = (unsigned char *)c->err + i;
        size_t bad = jf_utf8_bad_len(p, len - i);

        if (bad > 0)
            memset(p, '?', bad);
        else if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        i += bad > 0 ? bad : jf_utf8_seq_len(p, len - i);
    }
    return code;
}

const char *jf__jpath(char buf[WORKLOAD__PATH_MAX], const char *parent, const char *key)
{
    size_t len = strlen(key), shown = len > KEY_SHOWN ? KEY_SHOWN : len;
    const char *dots = shown < len ? "..." : "";

    while (shown < len && shown > 0 && ((unsigned char)key[shown] & 0xc0) == 0x80)
        shown--; /* never half a character */
    if (parent == NULL || parent[0] == '\0')
        snprintf(buf, WORKLOAD__PATH_MAX, "%.*s%s", (int)shown, key, dots);
    else
        snprintf(buf, WORKLOAD__PATH_MAX, "%s.%.*s%s", parent, (int)shown, key, dots);
    return buf;
}

const char *jf__jindex(char buf[WORKLOAD__PATH_MAX], const char *parent, size_t i)
{
    snprintf(buf, WORKLOAD__PATH_MAX, "%s[%zu]", parent, i);
    return buf;
}

const cJSON *jf__jmember(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const char *jf__jtype(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? "true" : "false";
    return "null";
}

/* "name, kernel, ns" from a NULL-terminated list, for "expected one of". */
static void join(char *buf, size_t cap, const char *const *names)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; names[i] != NULL && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int jf__jfields(const jf__jctx_t *c, const cJSON *obj, const char *path, const char *what,
                const char *const *allowed)
{
    char sub[WORKLOAD__PATH_MAX], list[256];
    uint32_t seen = 0;

    if (!cJSON_IsObject(obj))
        return jf__jfail(c, JF_EINVAL, path, "expected %s, got %s", what, jf__jtype(obj));
    for (const cJSON *m = obj->child; m != NULL; m = m->next) {
        size_t i = 0;

        while (allowed[i] != NULL && strcmp(allowed[i], m->string) != 0)
            i++;
        jf__jpath(sub, path, m->string);
        if (allowed[i] == NULL) {
            join(list, sizeof list, allowed);
            return jf__jfail(c, JF_EINVAL, sub, "unknown field (expected one of: %s)", list);
        }
        if (seen & (UINT32_C(1) << i))
            return jf__jfail(c, JF_EINVAL, sub, "duplicate field");
        seen |= UINT32_C(1) << i;
    }
    return 0;
}

int jf__jmissing(const jf__jctx_t *c, const char *path, const char *what)
{
    return jf__jfail(c, JF_EINVAL, path, "missing (expected %s)", what);
}

int jf__jint(const jf__jctx_t *c, const cJSON *v, const char *path, uint64_t lo, uint64_t hi,
             uint64_t *out)
{
    char range[64];
    double d;

    if (hi >= WORKLOAD__JINT_MAX)
        snprintf(range, sizeof range, ">= %llu", (unsigned long long)lo);
    else
        snprintf(range, sizeof range, "%llu..%llu", (unsigned long long)lo,
                 (unsigned long long)hi);
    if (!cJSON_IsNumber(v))
        return jf__jfail(c, JF_EINVAL, path, "expected an integer %s, got %s", range,
                         jf__jtype(v));
    d = v->valuedouble;
    if (!isfinite(d))
        return jf__jfail(c, JF_ERANGE, path, "expected an integer %s, got a number too large",
                         range);
    if (d != floor(d))
        return jf__jfail(c, JF_EINVAL, path, "expected an integer %s, got %.15g", range, d);
    /* Integral from here: print every digit up to 1e20, then exponents. */
    if (d < (double)lo)
        return jf__jfail(c, JF_ERANGE, path, "expected an integer >= %llu, got %.*g",
                         (unsigned long long)lo, fabs(d) < 1e20 ? 21 : 15, d);
    if (d > (double)hi)
        return jf__jfail(c, JF_ERANGE, path, "expected an integer <= %llu, got %.*g",
                         (unsigned long long)hi, d < 1e20 ? 21 : 15, d);
    *out = (uint64_t)d;
    return 0;
}

int jf__jnum(const jf__jctx_t *c, const cJSON *v, const char *path, double lo, double hi,
             double *out)
{
    double d;

    if (!cJSON_IsNumber(v))
        return jf__jfail(c, JF_EINVAL, path, "expected a number %.15g..%.15g, got %s", lo, hi,
                         jf__jtype(v));
    d = v->valuedouble;
    if (!isfinite(d))
        return jf__jfail(c, JF_ERANGE, path, "expected a number <= %.15g, got a number too large",
                         hi);
    if (d < lo)
        return jf__jfail(c, JF_ERANGE, path, "expected a number >= %.15g, got %.15g", lo, d);
    if (d > hi)
        return jf__jfail(c, JF_ERANGE, path, "expected a number <= %.15g, got %.15g", hi, d);
    *out = d;
    return 0;
}

int jf__jstr(const jf__jctx_t *c, const cJSON *v, const char *path, size_t minlen,
             size_t maxlen, const char **out)
{
    size_t len;

    if (!cJSON_IsString(v) || v->valuestring == NULL)
        return jf__jfail(c, JF_EINVAL, path, "expected a string, got %s", jf__jtype(v));
    len = strlen(v->valuestring);
    if (len < minlen)
        return jf__jfail(c, JF_EINVAL, path, "expected a non-empty string");
    if (len > maxlen)
        return jf__jfail(c, JF_ERANGE, path, "expected a string of at most %zu bytes, got %zu",
                         maxlen, len);
    *out = v->valuestring;
    return 0;
}

int jf__jint_field(const jf__jctx_t *c, const cJSON *obj, const char *parent, const char *key,
                   bool required, uint64_t lo, uint64_t hi, uint64_t dflt, uint64_t *out)
{
    const cJSON *v = jf__jmember(obj, key);
    char path[WORKLOAD__PATH_MAX];

    jf__jpath(path, parent, key);
    if (v != NULL)
        return jf__jint(c, v, path, lo, hi, out);
    if (!required) {
        *out = dflt;
        return 0;
    }
    if (hi >= WORKLOAD__JINT_MAX)
        return jf__jfail(c, JF_EINVAL, path, "missing (expected an integer >= %llu)",
                         (unsigned long long)lo);
    return jf__jfail(c, JF_EINVAL, path, "missing (expected an integer %llu..%llu)",
                     (unsigned long long)lo, (unsigned long long)hi);
}

int jf__jnum_field(const jf__jctx_t *c, const cJSON *obj, const char *parent, const char *key,
                   bool required, double lo, double hi, double dflt, double *out)
{
    const cJSON *v = jf__jmember(obj, key);
    char path[WORKLOAD__PATH_MAX];

    jf__jpath(path, parent, key);
    if (v != NULL)
        return jf__jnum(c, v, path, lo, hi, out);
    if (!required) {
        *out = dflt;
        return 0;
    }
    return jf__jfail(c, JF_EINVAL, path, "missing (expected a number %.15g..%.15g)", lo, hi);
}

int jf__jstr_field(const jf__jctx_t *c, const cJSON *obj, const char *parent, const char *key,
                   bool required, size_t minlen, size_t maxlen, const char *dflt,
                   const char **out)
{
    const cJSON *v = jf__jmember(obj, key);
    char path[WORKLOAD__PATH_MAX];

    jf__jpath(path, parent, key);
    if (v != NULL)
        return jf__jstr(c, v, path, minlen, maxlen, out);
    if (!required) {
        *out = dflt;
        return 0;
    }
    return jf__jmissing(c, path, "a string");
}

char *jf__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = jf_calloc(n, 1);

    if (d != NULL)
        memcpy(d, s, n);
    return d;
}
