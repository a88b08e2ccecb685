/* report_index.c - the result document, checked, as the report's table and timelines. */
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jf_why.h"
#include "verdict.h"
#include "viz/jf_viz_report.h"

#define SCHEMA "jefferson.result/1"
#define MAX_RESULTS 64

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A figure, or -1 when missing or not a finite number. */
static double fig(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);

    return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : -1;
}

static uint64_t items(const cJSON *o, const char *key)
{
    double v = fig(o, key);

    return v >= 0 && v < 1.8e19 ? (uint64_t)v : UINT64_MAX;
}

/* A file name the result names: absent or null, or a plain name with the
 * suffix, so that no name in a hand-edited result reaches outside the
 * directory or overwrites another file of the run. */
static int file_name(const cJSON *r, const char *key, const char *suffix, size_t i,
                     const char **out, char *why, size_t size)
{
    const cJSON *v = get(r, key);
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    size_t n = s != NULL ? strlen(s) : 0, k = strlen(suffix);

    *out = NULL;
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    /* 247: the file is written as <name>.new first, within NAME_MAX. */
    if (s == NULL || n <= k || n > 247 || strcmp(s + n - k, suffix) != 0 || s[0] == '.' ||
        strchr(s, '/') != NULL || strchr(s, '\\') != NULL)
        return jf_why(why, size, JF_EPARSE, "results[%zu].%s: expected a plain file name ending in %s",
                    i, key, suffix);
    *out = s;
    return 0;
}

static const cJSON *results_of(const cJSON *doc, char *why, size_t size, int *err)
{
    const char *schema = str(doc, "schema");
    const cJSON *results = get(doc, "results");

    *err = 0;
    if (!cJSON_IsObject(doc))
        *err = jf_why(why, size, JF_EPARSE, "not a JSON object");
    else if (schema == NULL || strcmp(schema, SCHEMA) != 0)
        *err = jf_why(why, size, JF_EPARSE, "schema is \"%.40s\", this bench reads \"%s\"",
                    schema != NULL ? schema : "(missing)", SCHEMA);
    else if (!cJSON_IsArray(results))
        *err = jf_why(why, size, JF_EPARSE, "\"results\" is missing or not an array");
    else if (cJSON_GetArraySize(results) > MAX_RESULTS)
        *err = jf_why(why, size, JF_ERANGE, "more than %d results", MAX_RESULTS);
    return *err == 0 ? results : NULL;
}

int bench_report_trace_names(const cJSON *doc, const char ***names, size_t *n, char *why,
                          size_t why_size)
{
    const cJSON *results, *r;
    size_t i = 0;
    int err;

    *names = NULL;
    *n = 0;
    if ((results = results_of(doc, why, why_size, &err)) == NULL)
        return err;
    *names = calloc((size_t)cJSON_GetArraySize(results) + 1, sizeof **names);
    if (*names == NULL)
        return jf_why(why, why_size, JF_ENOMEM, "out of memory");
    cJSON_ArrayForEach(r, results) {
        if (!cJSON_IsObject(r))
            return jf_why(why, why_size, JF_EPARSE, "results[%zu]: not an object", i);
        if ((err = file_name(r, "trace", ".trace.json", i, &(*names)[i], why, why_size)) != 0)
            return err;
        i++;
    }
    *n = i;
    return 0;
}

/* Two runs naming the same SVG would write one file twice: refuse it as
 * bad input before anything is written. */
static int check_unique_svgs(const jf_viz_run_t *runs, size_t n, char *why, size_t size)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i && runs[i].svg != NULL; j++)
            if (runs[j].svg != NULL && strcmp(runs[i].svg, runs[j].svg) == 0)
                return jf_why(why, size, JF_EPARSE, "results[%zu].svg: \"%s\" is also results[%zu]'s",
                            i, runs[i].svg, j);
    return 0;
}

/* Row i of the table from results[i]. */
static int read_run(const cJSON *r, size_t i, jf_viz_run_t *run, char *why, size_t size)
{
    const cJSON *order = get(r, "order_preserved");
    int err;

    if (!cJSON_IsObject(r))
        return jf_why(why, size, JF_EPARSE, "results[%zu]: not an object", i);
    run->strategy = str(r, "strategy");
    if (run->strategy == NULL || run->strategy[0] == '\0')
        return jf_why(why, size, JF_EPARSE, "results[%zu].strategy: missing", i);
    run->policy = str(r, "policy");
    run->threads = fig(r, "threads");
    run->wall_ns = fig(get(r, "wall_ns"), "median");
    run->cv = fig(get(r, "wall_ns"), "cv");
    run->throughput = fig(r, "throughput_items_per_s");
    run->speedup = fig(r, "speedup_vs_single");
    run->efficiency = fig(r, "efficiency");
    run->items_in = items(r, "items_in");
    run->items_out = items(r, "items_out");
    run->order_ok = cJSON_IsBool(order) ? cJSON_IsTrue(order) : -1;
    if ((err = file_name(r, "svg", ".svg", i, &run->svg, why, size)) != 0)
        return err;
    return file_name(r, "trace", ".trace.json", i, &run->trace_file, why, size);
}

static void read_head(const cJSON *doc, jf_viz_report_t *rep)
{
    const cJSON *w = get(doc, "workload"), *ctx = get(doc, "context");
    double cores = fig(doc, "cores");

    rep->workload = str(w, "name");
    rep->description = str(w, "description");
    rep->host = str(ctx, "host");
    rep->cpu = str(ctx, "cpu");
    rep->commit = str(ctx, "commit");
    rep->date = str(ctx, "date");
    rep->command = str(ctx, "command");
    rep->cores = cores >= 0 && cores < 1e6 ? (unsigned)cores : 0;
    rep->interrupted = cJSON_IsTrue(get(doc, "interrupted"));
    rep->result_file = "result.json";
}

/* r's samples_ns as integers into run (the caller frees run->samples_ns);
 * entries that are not non-negative finite numbers are skipped. */
static int read_samples(const cJSON *r, jf_viz_run_t *run)
{
    const cJSON *arr = get(r, "samples_ns"), *x;
    int n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
    uint64_t *s;

    if (n <= 0)
        return 0;
    if ((s = calloc((size_t)n, sizeof *s)) == NULL)
        return JF_ENOMEM;
    cJSON_ArrayForEach(x, arr)
        if (cJSON_IsNumber(x) && x->valuedouble >= 0 && x->valuedouble < 1.8e19)
            s[run->nsamples++] = (uint64_t)x->valuedouble;
    run->samples_ns = s;
    return 0;
}

/* The verdict of the page from the samples of every run. */
static int read_verdict(const jf_viz_run_t *runs, size_t n, jf_viz_verdict_t *out, char *why,
                        size_t size)
{
    bench_verdict_run_t *v = calloc(n + 1, sizeof *v);
    int err;

    if (v == NULL)
        return jf_why(why, size, JF_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        v[i] = (bench_verdict_run_t){runs[i].strategy, runs[i].samples_ns, runs[i].nsamples};
    err = bench_verdict_compute(v, n, out);
    free(v);
    return err != 0 ? jf_why(why, size, err, "out of memory") : 0;
}

/* The strings of the document's "warnings" (others are skipped). */
static int read_warnings(const cJSON *doc, jf_viz_report_t *rep, char *why, size_t size)
{
    const cJSON *arr = get(doc, "warnings"), *w;
    const char **list;

    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return 0;
    list = calloc((size_t)cJSON_GetArraySize(arr), sizeof *list);
    if (list == NULL)
        return jf_why(why, size, JF_ENOMEM, "out of memory");
    cJSON_ArrayForEach(w, arr)
        if (cJSON_IsString(w))
            list[rep->nwarnings++] = w->valuestring;
    rep->warnings = list;
    return 0;
}

int bench_report_write(const cJSON *doc, const jf_trace_t *const *traces, size_t ntraces,
                    const char *dir, char *why, size_t why_size)
{
    jf_viz_report_t rep = {0};
    jf_viz_run_t *runs;
    const cJSON *results, *r;
    size_t i = 0;
    int err;

    if ((results = results_of(doc, why, why_size, &err)) == NULL)
        return err;
    runs = calloc((size_t)cJSON_GetArraySize(results) + 1, sizeof *runs);
    if (runs == NULL)
        return jf_why(why, why_size, JF_ENOMEM, "out of memory");
    cJSON_ArrayForEach(r, results) {
        if ((err = read_run(r, i, &runs[i], why, why_size)) != 0)
            break;
        if ((err = read_samples(r, &runs[i])) != 0) {
            jf_why(why, why_size, err, "out of memory");
            break;
        }
        runs[i].trace = i < ntraces && traces != NULL ? traces[i] : NULL;
        i++;
    }
    if (err == 0)
        err = check_unique_svgs(runs, i, why, why_size);
    if (err == 0) {
        read_head(doc, &rep);
        rep.runs = runs;
        rep.nruns = i;
        err = read_verdict(runs, i, &rep.verdict, why, why_size);
    }
    if (err == 0)
        err = read_warnings(doc, &rep, why, why_size);
    if (err == 0 && (err = jf_viz_write_report(&rep, dir)) != 0)
        jf_why(why, why_size, err, "cannot write the timelines and index.html: %s",
             jf_strerror(err));
    free((void *)rep.warnings);
    for (int k = 0; k < cJSON_GetArraySize(results); k++)
        free((void *)runs[k].samples_ns);
    free(runs);
    return err;
}
