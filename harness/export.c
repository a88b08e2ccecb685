/* export.c - github-action-benchmark and Bencher Metric Format from a result document. */
#include "export.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "jefferson/error.h"
#include "json.h"
#include "output.h"
#include "warn.h"

/* "<workload>/<strategy>[/<policy>][/sim]". */
static void bench_name(const cJSON *doc, const cJSON *r, char *buf, size_t size)
{
    const char *w = bench_json_string(cJSON_GetObjectItemCaseSensitive(doc, "workload"), "name");
    const char *policy = bench_json_string(r, "policy"), *strategy = bench_json_string(r, "strategy");
    bool sim = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "sim"));

    snprintf(buf, size, "%s/%s%s%s%s", w ? w : "?", strategy ? strategy : "?",
             policy ? "/" : "", policy ? policy : "", sim ? "/sim" : "");
}

/* What the tooltip of github-action-benchmark shows besides value and range. */
static void gab_extra(const cJSON *doc, const cJSON *r, char *buf, size_t size)
{
    const cJSON *wall = cJSON_GetObjectItemCaseSensitive(r, "wall_ns");
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(doc, "context");
    const char *commit = bench_json_string(ctx, "commit");
    bool sim = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "sim"));
    char eff[80];

    bench_output_figure(eff, sizeof eff, bench_json_number(r, "efficiency"), 2, 1, "%", "-");
    snprintf(buf, size,
             "repeats: %.0f\nmin: %.0f ns\nmax: %.0f ns\nefficiency: %s\ncores: %.0f\n"
             "threads: %.0f\n%scommit: %s",
             bench_json_number(r, "repeats"), bench_json_number(wall, "min"),
             bench_json_number(wall, "max"), eff, bench_json_number(doc, "cores"),
             bench_json_number(r, "threads"), sim ? "simulated (--sim)\n" : "",
             commit ? commit : "?");
}

static void add_gab(cJSON *out, const cJSON *doc, const cJSON *r, bool *ok)
{
    const cJSON *wall = cJSON_GetObjectItemCaseSensitive(r, "wall_ns");
    char name[256], range[64], extra[512];
    cJSON *o = cJSON_CreateObject();

    bench_json_push(out, o, ok);
    if (!*ok)
        return;
    bench_name(doc, r, name, sizeof name);
    snprintf(range, sizeof range, "\xc2\xb1 %.0f", bench_json_number(wall, "stddev"));
    gab_extra(doc, r, extra, sizeof extra);
    bench_json_add_string(o, "name", name, ok);
    bench_json_add_string(o, "unit", "ns", ok);
    bench_json_add_number(o, "value", bench_json_number(wall, "median"), ok);
    bench_json_add_string(o, "range", range, ok);
    bench_json_add_string(o, "extra", extra, ok);
}

static void add_bencher(cJSON *out, const cJSON *doc, const cJSON *r, bool *ok)
{
    const cJSON *wall = cJSON_GetObjectItemCaseSensitive(r, "wall_ns");
    char name[256];

    bench_name(doc, r, name, sizeof name);
    cJSON *bench = bench_json_add_object(out, name, ok);
    cJSON *lat = bench_json_add_object(bench, "latency", ok);
    bench_json_add_number(lat, "value", bench_json_number(wall, "median"), ok);
    bench_json_add_number(lat, "lower_value", bench_json_number(wall, "min"), ok);
    bench_json_add_number(lat, "upper_value", bench_json_number(wall, "max"), ok);
}

int bench_export_check(const cJSON *doc, const char *path, char *why, size_t size)
{
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
    bool interrupted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "interrupted"));

    if (cJSON_GetArraySize(results) == 0) {
        snprintf(why, size, "%s", interrupted ? "interrupted before any repetition finished: "
                                                "nothing to export"
                                              : "no results: nothing to export");
        return JF_EPARSE;
    }
    if (interrupted) {
        bench_warnings_t w = {0};
        bench_warnings_add(&w, "%s was interrupted: it holds only the repetitions that finished",
                        path);
        bench_warnings_fini(&w);
    }
    return 0;
}

int bench_export_write(FILE *f, const cJSON *doc, bench_cli_format_t format)
{
    bool gab = format == BENCH_CLI_FORMAT_GAB, ok = gab || format == JF_CLI_FORMAT_BENCHER;
    cJSON *out = gab ? cJSON_CreateArray() : cJSON_CreateObject();
    const cJSON *r;

    ok = ok && out;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "results")) {
        if (!ok)
            break;
        if (gab)
            add_gab(out, doc, r, &ok);
        else
            add_bencher(out, doc, r, &ok);
    }
    char *text = ok ? bench_json_print(out, true) : NULL;
    cJSON_Delete(out);
    if (!text)
        return -1;
    int rc = fprintf(f, "%s\n", text) < 0 || fflush(f) != 0 ? -1 : 0;
    free(text);
    return rc;
}
