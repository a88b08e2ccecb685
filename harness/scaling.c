/* scaling.c - every strategy at every core count: the document, the plot and the page. */
#include "scaling.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jefferson/error.h"
#include "json.h"
#include "viz/jf_viz_report.h"

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A figure of a result, or null in the document when it has none. */
static void add_figure(cJSON *o, const char *key, const cJSON *v, bool *ok)
{
    bool finite = cJSON_IsNumber(v) && isfinite(v->valuedouble);

    bench_json_add(o, key, finite ? cJSON_CreateNumber(v->valuedouble) : cJSON_CreateNull(), ok);
}

int bench_scaling_begin(bench_scaling_t *sc, unsigned machine_cores)
{
    bool ok;

    memset(sc, 0, sizeof *sc);
    sc->doc = cJSON_CreateObject();
    ok = sc->doc != NULL;
    bench_json_add_string(sc->doc, "schema", BENCH_SCALING_SCHEMA, &ok);
    bench_json_add_bool(sc->doc, "interrupted", false, &ok);
    bench_json_add_bool(sc->doc, "sim", false, &ok);
    bench_json_add_number(sc->doc, "machine_cores", machine_cores, &ok);
    bench_json_add_string(sc->doc, "speedup_vs", "single at the same core count", &ok);
    sc->counts = bench_json_add_array(sc->doc, "counts", &ok);
    sc->strategies = bench_json_add_array(sc->doc, "strategies", &ok);
    sc->notes = bench_json_add_array(sc->doc, "notes", &ok);
    return ok ? 0 : JF_ENOMEM;
}

/* The series of strategy (and policy), added at the end when new. */
static cJSON *series_of(bench_scaling_t *sc, const char *strategy, const char *policy, bool *ok)
{
    const cJSON *s;
    char label[128];

    cJSON_ArrayForEach(s, sc->strategies) {
        const char *p = bench_json_string(s, "policy");
        if (strcmp(bench_json_string(s, "strategy"), strategy) == 0 &&
            (p == policy || (p && policy && strcmp(p, policy) == 0)))
            return cJSON_GetObjectItemCaseSensitive(s, "points");
    }
    cJSON *o = cJSON_CreateObject();
    bench_json_push(sc->strategies, o, ok);
    snprintf(label, sizeof label, "%s%s%s", strategy, policy ? "/" : "", policy ? policy : "");
    bench_json_add_string(o, "strategy", strategy, ok);
    bench_json_add_string(o, "policy", policy, ok);
    bench_json_add_string(o, "label", label, ok);
    return bench_json_add_array(o, "points", ok);
}

static void add_point(bench_scaling_t *sc, const cJSON *r, unsigned cores, bool simulated,
                      const char *result, bool *ok)
{
    cJSON *points = series_of(sc, bench_json_string(r, "strategy"), bench_json_string(r, "policy"), ok);
    cJSON *p = cJSON_CreateObject();

    bench_json_push(points, p, ok);
    bench_json_add_number(p, "cores", cores, ok);
    bench_json_add_bool(p, "simulated", simulated, ok);
    add_figure(p, "threads", get(r, "threads"), ok);
    add_figure(p, "wall_ns", get(get(r, "wall_ns"), "median"), ok);
    add_figure(p, "speedup", get(r, "speedup_vs_single"), ok);
    add_figure(p, "efficiency", get(r, "efficiency"), ok);
    bench_json_add_string(p, "result", result, ok);
}

static void add_count(bench_scaling_t *sc, const cJSON *result, unsigned cores, const char *dir,
                      bool *ok)
{
    char path[256];
    cJSON *c = cJSON_CreateObject();

    bench_json_push(sc->counts, c, ok);
    bench_json_add_number(c, "cores", cores, ok);
    bench_json_add_bool(c, "simulated", cJSON_IsTrue(get(result, "sim")), ok);
    bench_json_add_bool(c, "interrupted", cJSON_IsTrue(get(result, "interrupted")), ok);
    snprintf(path, sizeof path, "%s/result.json", dir);
    bench_json_add_string(c, "result", path, ok);
    snprintf(path, sizeof path, "%s/index.html", dir);
    bench_json_add_string(c, "report", path, ok);
    /* The same for every count: taken from the first. */
    if (cJSON_GetArraySize(sc->counts) == 1) {
        bench_json_add(sc->doc, "context", cJSON_Duplicate(get(result, "context"), true), ok);
        bench_json_add(sc->doc, "workload", cJSON_Duplicate(get(result, "workload"), true), ok);
    }
}

int bench_scaling_add(bench_scaling_t *sc, const cJSON *result, unsigned cores, const char *dir)
{
    const cJSON *results = get(result, "results"), *r;
    bool ok = true, simulated = cJSON_IsTrue(get(result, "sim"));
    char path[256];

    if (!cJSON_IsArray(results) || !cJSON_IsObject(get(result, "context")) ||
        !cJSON_IsObject(get(result, "workload")))
        return JF_EPARSE;
    cJSON_ArrayForEach(r, results)
        if (!bench_json_string(r, "strategy"))
            return JF_EPARSE;
    add_count(sc, result, cores, dir, &ok);
    snprintf(path, sizeof path, "%s/result.json", dir);
    cJSON_ArrayForEach(r, results)
        if (!cJSON_IsTrue(get(r, "baseline_only")))
            add_point(sc, r, cores, simulated, path, &ok);
    return ok ? 0 : JF_ENOMEM;
}

int bench_scaling_note(bench_scaling_t *sc, const char *note)
{
    bool ok = true;

    bench_json_push_string(sc->notes, note, &ok);
    return ok ? 0 : JF_ENOMEM;
}

/* The plot's view of the document: arrays that borrow its strings. */
typedef struct view {
    jf_viz_scaling_t s;
    jf_viz_scaling_count_t *counts;
    jf_viz_scaling_series_t *series;
    jf_viz_scaling_point_t *points;
} view_t;

static double figure(const cJSON *o, const char *key)
{
    double v = bench_json_number(o, key);

    return isfinite(v) ? v : -1;
}

static void view_points(view_t *v, const cJSON *doc)
{
    const cJSON *st, *pt;
    size_t used = 0;

    cJSON_ArrayForEach(st, get(doc, "strategies")) {
        jf_viz_scaling_series_t *se = &v->series[v->s.nseries++];
        se->strategy = bench_json_string(st, "strategy");
        se->label = bench_json_string(st, "label");
        se->points = &v->points[used];
        cJSON_ArrayForEach(pt, get(st, "points")) {
            jf_viz_scaling_point_t *p = &v->points[used++];
            p->cores = (unsigned)figure(pt, "cores");
            p->simulated = cJSON_IsTrue(get(pt, "simulated"));
            p->wall_ns = figure(pt, "wall_ns");
            p->speedup = figure(pt, "speedup");
            p->efficiency = figure(pt, "efficiency");
            se->n++;
        }
    }
}

static int view_build(view_t *v, const cJSON *doc, char (*dirs)[64])
{
    const cJSON *c, *st, *ctx = get(doc, "context"), *w = get(doc, "workload");
    size_t ncounts = (size_t)cJSON_GetArraySize(get(doc, "counts")), npoints = 0, i = 0;

    cJSON_ArrayForEach(st, get(doc, "strategies"))
        npoints += (size_t)cJSON_GetArraySize(get(st, "points"));
    v->counts = calloc(ncounts + 1, sizeof *v->counts);
    v->series = calloc((size_t)cJSON_GetArraySize(get(doc, "strategies")) + 1, sizeof *v->series);
    v->points = calloc(npoints + 1, sizeof *v->points);
    if (!v->counts || !v->series || !v->points)
        return JF_ENOMEM;
    cJSON_ArrayForEach(c, get(doc, "counts")) {
        const char *result = bench_json_string(c, "result");
        snprintf(dirs[i], sizeof dirs[i], "%.*s", (int)strcspn(result, "/"), result);
        v->counts[i] = (jf_viz_scaling_count_t){
            .cores = (unsigned)figure(c, "cores"), .dir = dirs[i],
            .simulated = cJSON_IsTrue(get(c, "simulated")),
            .interrupted = cJSON_IsTrue(get(c, "interrupted")),
        };
        i++;
    }
    v->s = (jf_viz_scaling_t){
        .workload = bench_json_string(w, "name"), .description = bench_json_string(w, "description"),
        .host = bench_json_string(ctx, "host"), .cpu = bench_json_string(ctx, "cpu"),
        .commit = bench_json_string(ctx, "commit"), .date = bench_json_string(ctx, "date"),
        .command = bench_json_string(ctx, "command"),
        .machine_cores = (unsigned)figure(doc, "machine_cores"),
        .interrupted = cJSON_IsTrue(get(doc, "interrupted")),
        .ncounts = ncounts, .counts = v->counts, .series = v->series,
    };
    view_points(v, doc);
    return 0;
}

static void view_fini(view_t *v)
{
    free(v->counts);
    free(v->series);
    free(v->points);
}

static int fail(char *why, size_t size, int err, const char *dir, const char *file)
{
    snprintf(why, size, "cannot write \"%s/%s\": %s", dir, file, jf_strerror(err));
    return err;
}

int bench_scaling_write(bench_scaling_t *sc, const char *dir, bool interrupted, char *why,
                     size_t why_size)
{
    char path[4096 + 32], (*dirs)[64];
    view_t v = {0};
    int err;

    const cJSON *c;
    bool sim = true;

    cJSON_ArrayForEach(c, sc->counts)
        sim &= cJSON_IsTrue(get(c, "simulated"));
    /* "sim" as in result.json: every figure virtual, so --format json
     * prints the same bytes each time (bench_output_json). */
    if (!cJSON_ReplaceItemInObjectCaseSensitive(sc->doc, "interrupted",
                                                cJSON_CreateBool(interrupted)) ||
        !cJSON_ReplaceItemInObjectCaseSensitive(sc->doc, "sim", cJSON_CreateBool(sim))) {
        snprintf(why, why_size, "out of memory");
        return JF_ENOMEM;
    }
    snprintf(path, sizeof path, "%s/scaling.json", dir);
    if ((err = bench_json_write_file(sc->doc, path)) != 0) {
        snprintf(why, why_size, "cannot write \"%s\": %s", path, strerror(-err));
        return JF_EIO;
    }
    /* Interrupted before any count finished: nothing to draw. */
    if (cJSON_GetArraySize(sc->counts) == 0)
        return 0;
    dirs = calloc((size_t)cJSON_GetArraySize(sc->counts) + 1, sizeof *dirs);
    err = dirs ? view_build(&v, sc->doc, dirs) : JF_ENOMEM;
    snprintf(path, sizeof path, "%s/scaling.svg", dir);
    if (err == 0 && (err = jf_viz_write_scaling_svg(&v.s, path)) != 0)
        fail(why, why_size, err, dir, "scaling.svg");
    snprintf(path, sizeof path, "%s/index.html", dir);
    if (err == 0 && (err = jf_viz_write_scaling_index(&v.s, "scaling.svg", path)) != 0)
        fail(why, why_size, err, dir, "index.html");
    if (err == JF_ENOMEM)
        snprintf(why, why_size, "out of memory");
    view_fini(&v);
    free(dirs);
    return err;
}

void bench_scaling_fini(bench_scaling_t *sc)
{
    cJSON_Delete(sc->doc);
    memset(sc, 0, sizeof *sc);
}
