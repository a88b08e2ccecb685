/* test_harness_results.c - what a finished run writes: every field of result.json,
 * the output formats, the baseline, the seed and the warnings. Needs JF_BENCH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bench_run.h"
#include "test_env.h"

#include "harness/json.h"
#include "workloads/workload.h"


static char tmp[256];
static const char *bench;

static const char tiny[] =
    "{\"name\": \"tiny\", \"items\": 2000, \"stages\": ["
    "{\"name\": \"a\", \"kernel\": \"spin\", \"ns\": 200},"
    "{\"name\": \"b\", \"kernel\": \"spin\", \"ns\": 200, \"dist\": \"exponential\"},"
    "{\"name\": \"c\", \"kernel\": \"spin\", \"ns\": 200}]}\n";

/* A finished run and what it wrote. */
typedef struct result_run {
    int status;     /* as bench_run_t */
    char *out, *err;
    cJSON *doc;     /* <out dir>/result.json, NULL when absent */
} result_run_t;

static char *in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

/* Runs bench on tiny.json into <tmp>/<out> (removed first) with the extra
 * args (NULL-terminated) and loads what it wrote. */
static void run_argv(result_run_t *rr, const char *out, const char *const *extra)
{
    char *argv[32] = {(char *)bench, "--workload", in_tmp("tiny.json"), "--out", in_tmp(out),
                      "--no-history"};
    int argc = 6;

    bench_remove_tree(in_tmp(out));
    for (; *extra; extra++)
        argv[argc++] = (char *)*extra;
    bench_run_t br = {0};
    assert_int_equal(bench_spawn(&br, tmp, bench, argv, NULL), 0);
    rr->status = br.status;
    rr->out = br.out;
    rr->err = br.err;
    char path[600];
    snprintf(path, sizeof path, "%s/result.json", in_tmp(out));
    char *text = bench_read_file(path);
    rr->doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (rr->status != 0)
        print_error("bench exited %d: %s\n", rr->status, rr->err);
}

#define run(r, out, ...) run_argv((r), (out), (const char *const[]){__VA_ARGS__, NULL})

static void run_fini(result_run_t *rr)
{
    free(rr->out);
    free(rr->err);
    cJSON_Delete(rr->doc);
}

static const cJSON *at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        fail_msg("missing \"%s\"", key);
    return v;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = at(o, key);
    if (!cJSON_IsNumber(v))
        fail_msg("\"%s\" is not a number", key);
    return v->valuedouble;
}

static int setup(void **state)
{
    if (bench_test_setup(&bench, tmp, sizeof tmp, "jf_res") != 0)
        return -1;
    return bench_write_file(in_tmp("tiny.json"), tiny);
}

static int teardown(void **state)
{
    bench_remove_tree(tmp);
    return 0;
}

static void check_context(const cJSON *ctx)
{
    static const char *const strings[] = {"host", "kernel", "compiler", "cflags", "commit",
                                          "date", "command"};

    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        assert_true(cJSON_IsString(at(ctx, strings[i])));
    assert_memory_equal(at(ctx, "kernel")->valuestring, "Linux ", 6);
    assert_true(num(at(ctx, "topology"), "cores") >= 1);
    assert_true(num(at(ctx, "topology"), "pus") >= 1);
    assert_true(num(at(ctx, "topology"), "packages") >= 1);
    assert_non_null(strstr(at(ctx, "command")->valuestring, "--repeat 5"));
}

/* The statistics agree with the samples they summarise. */
static void check_result(const cJSON *r, int repeats)
{
    const cJSON *w = at(r, "wall_ns"), *samples = at(r, "samples_ns"), *s;
    double lo = 1e300, hi = 0;

    assert_int_equal(num(r, "repeats"), repeats);
    assert_int_equal(cJSON_GetArraySize(samples), repeats);
    cJSON_ArrayForEach(s, samples) {
        lo = s->valuedouble < lo ? s->valuedouble : lo;
        hi = s->valuedouble > hi ? s->valuedouble : hi;
    }
    assert_true(num(w, "min") == lo && num(w, "max") == hi);
    assert_true(lo <= num(w, "median") && num(w, "median") <= hi);
    assert_true(num(w, "mean") >= lo && num(w, "mean") <= hi);
    assert_true(num(w, "stddev") >= 0 && num(w, "cv") >= 0);
    assert_string_equal(at(at(w, "ci95"), "of")->valuestring, "mean");
    assert_true(num(at(w, "ci95"), "low") <= num(w, "mean"));
    assert_true(num(at(w, "ci95"), "high") >= num(w, "mean"));
    assert_true(num(w, "q1") <= num(w, "q3"));
    assert_true(num(w, "outliers") >= 0);
    assert_true(num(at(r, "cpu_ns"), "user") + num(at(r, "cpu_ns"), "sys") > 0);
    const cJSON *lat = at(r, "latency_ns");
    assert_true(num(lat, "p50") <= num(lat, "p95") && num(lat, "p95") <= num(lat, "p99"));
    assert_true(num(lat, "p99") <= num(lat, "max"));
    assert_true(num(r, "lower_bound_ns") > 0 && num(r, "efficiency") > 0);
    assert_true(num(r, "speedup_vs_single") > 0);
    assert_true(num(r, "throughput_items_per_s") > 0);
}

static void test_harness_results_every_field(void **state)
{
    result_run_t r;
    const cJSON *res;

    run(&r, "all", "--cores", "2", "--repeat", "5", "--no-trace");
    assert_int_equal(r.status, 0);
    assert_non_null(r.doc);
    assert_true(cJSON_IsFalse(at(r.doc, "interrupted")));
    assert_true(cJSON_IsTrue(at(r.doc, "baseline")));
    assert_true(cJSON_IsArray(at(r.doc, "warnings")));
    assert_int_equal(num(r.doc, "batch"), 16); /* adaptive: 16 to 256 */
    assert_int_equal(num(r.doc, "batch_max"), 256);
    check_context(at(r.doc, "context"));
    assert_int_equal(cJSON_GetArraySize(at(r.doc, "results")), TEST_ALL_STRATEGIES);
    cJSON_ArrayForEach(res, at(r.doc, "results")) check_result(res, 5);
    /* Each warning on stderr is in the document too. */
    const cJSON *wn;
    cJSON_ArrayForEach(wn, at(r.doc, "warnings")) {
        char line[600];
        snprintf(line, sizeof line, "bench: warning: %s\n", wn->valuestring);
        assert_non_null(strstr(r.err, line));
    }
    run_fini(&r);
}

/* --batch B fixes every batch at B, and the document says so. */
static void test_harness_results_fixed_batch(void **state)
{
    result_run_t r;

    run(&r, "fixed", "--cores", "1", "--repeat", "1", "--strategy", "single", "--batch", "7");
    assert_int_equal(r.status, 0);
    assert_int_equal(num(r.doc, "batch"), 7);
    assert_int_equal(num(r.doc, "batch_max"), 7);
    const cJSON *res = cJSON_GetArrayItem(at(r.doc, "results"), 0);
    const cJSON *st;
    cJSON_ArrayForEach(st, at(res, "stages")) /* 2000 items: 286 batches of 7 */
        assert_int_equal(num(st, "batches"), (2000 + 6) / 7);
    run_fini(&r);
}

static void test_harness_results_formats(void **state)
{
    result_run_t r;

    run(&r, "md", "--cores", "2", "--repeat", "2", "--strategy", "single,scheduled",
        "--format", "markdown", "--no-trace");
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "| strategy | policy |", 20);
    assert_memory_equal(strchr(r.out, '\n') + 1, "|:---|:---|---:|", 16);
    assert_non_null(strstr(r.out, "\n| scheduled | dhondt | 2 | 2 |"));
    assert_non_null(r.doc); /* result.json is written whatever the format */
    run_fini(&r);
    run(&r, "csv", "--cores", "2", "--repeat", "1", "--strategy", "scheduled", "--format",
        "csv", "--no-trace");
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "workload,strategy,policy,", 25);
    assert_non_null(strstr(r.out, "\r\ntiny,single,,1,1,"));
    assert_non_null(strstr(r.out, "\r\ntiny,scheduled,dhondt,2,1,"));
    assert_non_null(r.doc);
    run_fini(&r);
}

static void test_harness_results_no_baseline(void **state)
{
    result_run_t r;

    run(&r, "nob", "--cores", "2", "--repeat", "1", "--strategy", "scheduled", "--no-baseline",
        "--no-trace");
    assert_int_equal(r.status, 0);
    assert_true(cJSON_IsFalse(at(r.doc, "baseline")));
    assert_int_equal(cJSON_GetArraySize(at(r.doc, "results")), 1);
    const cJSON *res = cJSON_GetArrayItem(at(r.doc, "results"), 0);
    assert_true(cJSON_IsNull(at(res, "speedup_vs_single")));
    assert_true(num(res, "lower_bound_ns") > 0); /* from its own kernel time */
    run_fini(&r);
    /* Without --no-baseline, single runs although not asked for. */
    run(&r, "base", "--cores", "2", "--repeat", "1", "--strategy", "scheduled", "--no-trace");
    assert_int_equal(r.status, 0);
    const cJSON *single = cJSON_GetArrayItem(at(r.doc, "results"), 0);
    assert_string_equal(at(single, "strategy")->valuestring, "single");
    assert_true(cJSON_IsTrue(at(single, "baseline_only")));
    assert_true(num(single, "speedup_vs_single") == 1.0);
    run_fini(&r);
}

/* --seed replaces the workload's seed, and item costs follow the seed. */
static void test_harness_results_seed(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    result_run_t r;
    double a[64];

    run(&r, "seed", "--cores", "1", "--repeat", "1", "--strategy", "single", "--seed", "42",
        "--no-trace");
    assert_int_equal(r.status, 0);
    assert_int_equal(num(at(r.doc, "workload"), "seed"), 42);
    run_fini(&r);
    assert_int_equal(workload_parse(tiny, strlen(tiny), "tiny.json", &w, err), 0);
    w->seed = 42;
    for (int i = 0; i < 64; i++)
        a[i] = workload_item_ns(w, 1, (uint64_t)i);
    int same = 0;
    for (int i = 0; i < 64; i++)
        same += a[i] == workload_item_ns(w, 1, (uint64_t)i);
    assert_int_equal(same, 64);
    w->seed = 43;
    same = 0;
    for (int i = 0; i < 64; i++)
        same += a[i] == workload_item_ns(w, 1, (uint64_t)i);
    assert_true(same < 64);
    workload_destroy(w);
}

static void test_harness_results_cores_warning(void **state)
{
    result_run_t r;
    char cores[16];

    run(&r, "cores", "--repeat", "1", "--strategy", "single", "--no-baseline", "--no-trace");
    assert_int_equal(r.status, 0);
    snprintf(cores, sizeof cores, "%d", (int)num(r.doc, "cores") + 1); /* default: all */
    run_fini(&r);
    run(&r, "cores", "--repeat", "1", "--strategy", "single", "--no-trace", "--cores", cores);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "bench: warning: --cores "));
    const cJSON *first = cJSON_GetArrayItem(at(r.doc, "warnings"), 0);
    assert_non_null(first);
    assert_memory_equal(first->valuestring, "--cores ", 8);
    run_fini(&r);
}


/* Figures in result.json read back as the very doubles that were measured:
 * cJSON alone writes 2.3850000000000002 as 2.385, one unit in the last
 * place off, enough to turn a speedup of 2.39x into 2.38x on a redraw. */
static void test_harness_results_json_numbers_round_trip(void **state)
{
    const double figures[] = {2.3850000000000002, 0.1 + 0.2, 1.0 / 3, 0.9855, 98558.5807564371,
                              9007199254740993.0 - 1, 1234567890123457.0, 1e-7, -2.5e300};
    cJSON *doc = cJSON_CreateArray();
    char *path = in_tmp("numbers.json");

    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
        cJSON_AddItemToArray(doc, cJSON_CreateNumber(figures[i]));
    assert_int_equal(bench_json_write_file(doc, path), 0);
    cJSON_Delete(doc);
    char *text = bench_read_file(path);
    assert_non_null(text);
    doc = cJSON_Parse(text);
    free(text);
    assert_int_equal(cJSON_GetArraySize(doc), sizeof figures / sizeof figures[0]);
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        double back = cJSON_GetArrayItem(doc, (int)i)->valuedouble;
        if (memcmp(&back, &figures[i], sizeof back) != 0)
            fail_msg("%.17g read back as %.17g", figures[i], back);
    }
    cJSON_Delete(doc);
}

/* Whether <dir>/<name> holds exactly what `before` does. */
static void assert_same_file(const char *dir, const char *name, const char *before)
{
    char path[700];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *now = bench_read_file(path);
    assert_non_null(now);
    if (strcmp(now, before) != 0)
        fail_msg("%s changed on the redraw", path);
    free(now);
}

/* bench report DIR on a finished run rewrites index.html and every SVG
 * byte for byte: nothing the page shows is recomputed, rounded again or
 * taken from the clock or the host. */
static void test_harness_results_report_redraws_same_bytes(void **state)
{
    static const char *const files[] = {"index.html", "single.svg", "scheduled.svg"};
    char dir[sizeof tmp + 16];

    snprintf(dir, sizeof dir, "%s/redraw", tmp);
    for (int simulated = 0; simulated < 2; simulated++) {
        char *before[3];
        result_run_t r;

        const char *const args[] = {"--cores", "2", "--items", "2000", "--repeat", "2",
                                    "--strategy", "single,scheduled",
                                    simulated ? "--sim" : NULL, NULL};
        run_argv(&r, "redraw", args);
        assert_int_equal(r.status, 0);
        run_fini(&r);
        for (size_t i = 0; i < 3; i++)
            assert_non_null(before[i] = bench_read_file(bench_path(dir, files[i])));
        bench_run_t br = {0};
        assert_int_equal(bench_spawn_args(&br, tmp, bench, NULL,
                                          (const char *const[]){"report", dir, NULL}), 0);
        assert_int_equal(br.status, 0);
        bench_run_fini(&br);
        for (size_t i = 0; i < 3; i++) {
            assert_same_file(dir, files[i], before[i]);
            free(before[i]);
        }
    }
}

/* One repetition has no spread: index.html's cv column shows a dash, two
 * show a figure (0.0 % for a simulated run, whose repetitions agree). */
static void test_harness_results_report_cv_of_one_repetition(void **state)
{
    for (int repeat = 1; repeat <= 2; repeat++) {
        char n[4], dir[sizeof tmp + 16];
        result_run_t r;

        snprintf(n, sizeof n, "%d", repeat);
        snprintf(dir, sizeof dir, "%s/cv", tmp);
        run(&r, "cv", "--sim", "--cores", "2", "--items", "2000", "--repeat", n, "--strategy",
            "single");
        assert_int_equal(r.status, 0);
        const cJSON *wall = at(cJSON_GetArrayItem(at(r.doc, "results"), 0), "wall_ns");
        assert_true(repeat == 1 ? cJSON_IsNull(at(wall, "cv")) : cJSON_IsNumber(at(wall, "cv")));
        run_fini(&r);
        char *html = bench_read_file(bench_path(dir, "index.html"));
        assert_non_null(html);
        assert_non_null(strstr(html, "<th>cv</th>"));
        assert_non_null(strstr(html, repeat == 1 ? " ms</td>\n<td>&ndash;</td>"
                                                 : " ms</td>\n<td>0.0 %</td>"));
        free(html);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_harness_results_every_field),
        cmocka_unit_test(test_harness_results_fixed_batch),
        cmocka_unit_test(test_harness_results_formats),
        cmocka_unit_test(test_harness_results_no_baseline),
        cmocka_unit_test(test_harness_results_seed),
        cmocka_unit_test(test_harness_results_cores_warning),
        cmocka_unit_test(test_harness_results_json_numbers_round_trip),
        cmocka_unit_test(test_harness_results_report_redraws_same_bytes),
        cmocka_unit_test(test_harness_results_report_cv_of_one_repetition),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
