/* compare_doc.c - read result documents for compare, and check that two can be compared. */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/jf_why.h"
#include "json.h"
#include "workloads/json_input.h"

#define MAX_DOC_BYTES (64u << 20)

/* Equal, counting two missing (NaN) figures as equal. */
static bool same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static int why_fail(int rc, char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int why_fail(int rc, char *why, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    jf_one_line(why); /* names quoted from the file must not break the line */
    return rc;
}

static int read_samples(const cJSON *arr, bench_cmp_series_t *s, char *why, size_t size)
{
    int n = cJSON_GetArraySize(arr);
    const cJSON *v;

    if (!cJSON_IsArray(arr) || n < 1)
        return why_fail(JF_EPARSE, why, size, "%s: samples_ns: expected an array of numbers",
                        s->key);
    s->samples = malloc((size_t)n * sizeof *s->samples);
    if (!s->samples)
        return JF_ENOMEM;
    cJSON_ArrayForEach(v, arr) {
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || !isfinite(v->valuedouble))
            return why_fail(JF_EPARSE, why, size, "%s: samples_ns[%zu]: expected a number >= 0",
                            s->key, s->n);
        s->samples[s->n++] = v->valuedouble;
    }
    return 0;
}

int bench_cmp_series_read(const cJSON *o, bench_cmp_series_t *s, char *why, size_t size)
{
    const char *strategy = bench_json_string(o, "strategy"), *policy = bench_json_string(o, "policy");
    const cJSON *wall = cJSON_GetObjectItemCaseSensitive(o, "wall_ns");

    memset(s, 0, sizeof *s);
    if (!strategy || !strategy[0])
        return why_fail(JF_EPARSE, why, size, "a result without a \"strategy\"");
    if (policy)
        snprintf(s->key, sizeof s->key, "%.32s/%.32s", strategy, policy);
    else
        snprintf(s->key, sizeof s->key, "%.32s", strategy);
    int rc = read_samples(cJSON_GetObjectItemCaseSensitive(o, "samples_ns"), s, why, size);
    if (rc)
        return rc;
    s->median_ns = cJSON_IsObject(wall) ? bench_json_number(wall, "median")
                                        : bench_json_number(o, "median_ns");
    if (!isfinite(s->median_ns))
        s->median_ns = bench_cmp_median(s->samples, s->n);
    s->efficiency = bench_json_number(o, "efficiency");
    s->decisions = bench_json_number(o, "decisions");
    s->reallocations = bench_json_number(o, "reallocations");
    return isfinite(s->median_ns) ? 0 : JF_ENOMEM;
}

void bench_cmp_series_fini(bench_cmp_series_t *s)
{
    free(s->samples);
    memset(s, 0, sizeof *s);
}

static int take_results(bench_cmp_doc_t *d, const cJSON *results, char *why, size_t size)
{
    const cJSON *r;
    int n = cJSON_GetArraySize(results);

    if (!cJSON_IsArray(results))
        return why_fail(JF_EPARSE, why, size, "\"results\": expected an array");
    d->series = calloc((size_t)n + 1, sizeof *d->series);
    if (!d->series)
        return JF_ENOMEM;
    cJSON_ArrayForEach(r, results) {
        int rc = bench_cmp_series_read(r, &d->series[d->n], why, size);
        if (rc) {
            bench_cmp_series_fini(&d->series[d->n]);
            return rc;
        }
        d->n++;
    }
    return 0;
}

int bench_cmp_doc_take(cJSON *doc, const char *path, bench_cmp_doc_t *d, char *why, size_t size)
{
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(doc, "context");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "workload");
    const char *schema = bench_json_string(doc, "schema");

    memset(d, 0, sizeof *d);
    d->doc = doc;
    d->path = path;
    if (!schema || strcmp(schema, "jefferson.result/1") != 0) {
        /* The message first: schema points into the document. */
        why_fail(JF_EPARSE, why, size, "not a jefferson result (schema %s%.64s%s, expected "
                 "\"jefferson.result/1\")", schema ? "\"" : "", schema ? schema : "missing",
                 schema ? "\"" : "");
        bench_cmp_doc_fini(d);
        return JF_EPARSE;
    }
    d->workload = bench_json_string(w, "name");
    d->cores = bench_json_number(doc, "cores");
    d->batch = bench_json_number(doc, "batch");
    /* Files without batch_max ran fixed batches. */
    d->batch_max = cJSON_GetObjectItemCaseSensitive(doc, "batch_max") ? bench_json_number(doc, "batch_max")
                                                                       : d->batch;
    d->sim = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "sim"));
    d->interrupted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "interrupted"));
    d->commit = bench_json_string(ctx, "commit");
    d->date = bench_json_string(ctx, "date");
    d->host = bench_json_string(ctx, "host");
    d->cpu = bench_json_string(ctx, "cpu");
    int rc = d->workload ? take_results(d, cJSON_GetObjectItemCaseSensitive(doc, "results"),
                                        why, size)
                         : why_fail(JF_EPARSE, why, size, "\"workload.name\" is missing");
    if (rc)
        bench_cmp_doc_fini(d);
    return rc;
}

int bench_cmp_doc_load(const char *path, bench_cmp_doc_t *d, char *why, size_t size)
{
    FILE *f = fopen(path, "rb");
    struct stat st;

    memset(d, 0, sizeof *d);
    if (!f)
        return why_fail(JF_EIO, why, size, "%s", strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_DOC_BYTES) {
        fclose(f);
        return why_fail(JF_EIO, why, size, "not a regular file of at most 64 MiB");
    }
    char *text = malloc((size_t)st.st_size + 1);
    size_t got = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!text)
        return JF_ENOMEM;
    cJSON *doc = NULL;
    int rc = got == (size_t)st.st_size ? workload_json_input_parse(text, got, &doc, why, size)
                                       : why_fail(JF_EIO, why, size, "read error");
    free(text);
    if (rc != 0)
        return rc;
    return bench_cmp_doc_take(doc, path, d, why, size);
}

void bench_cmp_doc_fini(bench_cmp_doc_t *d)
{
    for (size_t i = 0; i < d->n; i++)
        bench_cmp_series_fini(&d->series[i]);
    free(d->series);
    cJSON_Delete(d->doc);
    memset(d, 0, sizeof *d);
}

/* Same JSON text. Not cJSON_Compare: it calls a value unequal to itself
 * when it holds an infinite number or a repeated key, and a document
 * must always match itself. */
static bool same_json(const cJSON *x, const cJSON *y)
{
    char *tx = cJSON_PrintUnformatted(x), *ty = cJSON_PrintUnformatted(y);
    bool eq = tx != NULL && ty != NULL && strcmp(tx, ty) == 0;

    free(tx);
    free(ty);
    return eq;
}

/* The first member of the workload (but "description") that differs. */
static const char *workload_diff(const cJSON *a, const cJSON *b)
{
    static const char *const keys[] = {"name", "items", "item_bytes", "seed",
                                       "stages", "phases", "arrival"};

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, keys[i]);
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, keys[i]);
        if ((x || y) && !(x && y && same_json(x, y)))
            return keys[i];
    }
    return NULL;
}

/* A member's value as compact JSON, cut to fit buf. */
static void value_text(const cJSON *o, const char *key, char *buf, size_t size)
{
    char *text = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(o, key));

    snprintf(buf, size, "%s", text ? text : "(none)");
    if (text && strlen(text) >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    free(text);
}

/* "16", or "16-256 (adaptive)" */
static void batch_text(const bench_cmp_doc_t *d, char *buf, size_t size)
{
    if (d->batch_max > d->batch)
        snprintf(buf, size, "%g-%g (adaptive)", d->batch, d->batch_max);
    else
        snprintf(buf, size, "%g", d->batch);
}

int bench_cmp_check(const bench_cmp_doc_t *base, const bench_cmp_doc_t *head, char *why, size_t size)
{
    const cJSON *wb = cJSON_GetObjectItemCaseSensitive(base->doc, "workload");
    const cJSON *wh = cJSON_GetObjectItemCaseSensitive(head->doc, "workload");
    const char *key = workload_diff(wb, wh);
    char vb[64], vh[64];

    if (strcmp(base->workload, head->workload) != 0)
        return why_fail(JF_EINVAL, why, size, "different workloads: \"%s\" and \"%s\"",
                        base->workload, head->workload);
    if (key) {
        value_text(wb, key, vb, sizeof vb);
        value_text(wh, key, vh, sizeof vh);
        return why_fail(JF_EINVAL, why, size, "different workloads: %s \"%s\" has %s %s in "
                        "BASE, %s in NEW", "workload", base->workload, key, vb, vh);
    }
    if (base->sim != head->sim)
        return why_fail(JF_EINVAL, why, size, "BASE is %s and NEW %s: times are not comparable",
                        base->sim ? "simulated" : "measured", head->sim ? "simulated" : "measured");
    if (!same(base->cores, head->cores) || !same(base->batch, head->batch) ||
        !same(base->batch_max, head->batch_max))
    {
        char bb[64], hb[64];
        batch_text(base, bb, sizeof bb);
        batch_text(head, hb, sizeof hb);
        return why_fail(JF_EINVAL, why, size, "different runs: --cores %g --batch %s in BASE, "
                        "--cores %g --batch %s in NEW", base->cores, bb, head->cores, hb);
    }
    return 0;
}
