/* test_bench_sim.c - bench --sim, the history it appends, --format export and --compare on a
 * run, from outside. Needs JF_BENCH (path of build/bench). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bench_run.h"

static char tmp[256];
static const char *bench;

static char *path_in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

/* Runs bench with args (NULL-terminated) and env (NULL or NULL-terminated). */
static void run_env(bench_run_t *r, char *const *env, const char *const *args)
{
    assert_int_equal(bench_spawn_args(r, tmp, bench, env, args), 0);
}

#define BENCH(r, ...) run_env((r), NULL, (const char *const[]){__VA_ARGS__, NULL})
#define BENCH_SLOW(r, ...)                                                                   \
    run_env((r), (char *const[]){"JF_TEST_SLOW_POLICY=1", NULL},                             \
            (const char *const[]){__VA_ARGS__, NULL})

static cJSON *load_json(const char *path)
{
    char *text = bench_read_file(path);
    cJSON *doc;

    assert_non_null(text);
    doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}

static double figure(const cJSON *result, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(result, key);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static int setup(void **state)
{
    (void)state;
    return bench_test_setup(&bench, tmp, sizeof tmp, "jf_sim");
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

/* The lower bound of strategy S in result.json at dir. */
static double lower_bound_of(const char *dir, const char *strategy)
{
    char file[512];
    snprintf(file, sizeof file, "%s/result.json", dir);
    cJSON *doc = load_json(file);
    double lb = -1;
    const cJSON *res;
    cJSON_ArrayForEach(res, cJSON_GetObjectItem(doc, "results"))
        if (strcmp(cJSON_GetObjectItem(res, "strategy")->valuestring, strategy) == 0)
            lb = figure(res, "lower_bound_ns");
    cJSON_Delete(doc);
    assert_true(lb > 0);
    return lb;
}

/* n-per-stage on 64 simulated cores runs 192 threads: its kernels are
 * preempted, and their clocks run on. Without `single` in the set, its
 * lower bound still comes from the least kernel time measured (here
 * scheduled's), not its own inflated one: the same bound as with
 * `single`, and an efficiency below 1. */
static void test_bench_sim_lower_bound_without_single(void **state)
{
    bench_run_t r;
    (void)state;

    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "64", "--items", "20000",
          "--strategy", "single,n-per-stage,scheduled", "--no-trace", "--no-history", "--out",
          path_in_tmp("lb-with"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "64", "--items", "20000",
          "--strategy", "n-per-stage,scheduled", "--no-baseline", "--no-trace", "--no-history",
          "--out", path_in_tmp("lb-without"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    double with = lower_bound_of(path_in_tmp("lb-with"), "n-per-stage");
    double without = lower_bound_of(path_in_tmp("lb-without"), "n-per-stage");
    print_message("n-per-stage lower bound: %.0f ns with single, %.0f without\n", with, without);
    assert_true(without <= with * 1.001);
    assert_true(without >= with * 0.95); /* scheduled's kernel time: within its overheads */
}

/* 256 simulated cores on this machine, twice: the same figures to the ns. */
static void test_bench_sim_256_cores_repeat_exactly(void **state)
{
    bench_run_t r;
    cJSON *doc[2];
    (void)state;

    for (int i = 0; i < 2; i++) {
        const char *out = path_in_tmp(i ? "sim2" : "sim1");
        BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "256", "--items", "20000",
              "--out", out, "--no-history");
        if (r.status != 0)
            print_error("stderr: %s\n", r.err);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "simulated (--sim)"));
        bench_run_fini(&r);
        doc[i] = load_json(path_in_tmp(i ? "sim2/result.json" : "sim1/result.json"));
    }
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc[0], "sim")));
    const cJSON *sim = cJSON_GetObjectItem(cJSON_GetObjectItem(doc[0], "context"), "sim");
    assert_true(cJSON_IsObject(sim));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(sim, "decision_ns")));
    assert_int_equal(figure(doc[0], "cores"), 256);
    const cJSON *a = cJSON_GetObjectItem(doc[0], "results");
    const cJSON *b = cJSON_GetObjectItem(doc[1], "results");
    assert_int_equal(cJSON_GetArraySize(a), 4);
    for (int i = 0; i < 4; i++) {
        const cJSON *x = cJSON_GetArrayItem(a, i), *y = cJSON_GetArrayItem(b, i);
        assert_true(cJSON_Compare(cJSON_GetObjectItem(x, "wall_ns"),
                                  cJSON_GetObjectItem(y, "wall_ns"), true));
        assert_true(figure(x, "decisions") == figure(y, "decisions"));
        assert_true(figure(x, "reallocations") == figure(y, "reallocations"));
        assert_true(figure(cJSON_GetObjectItem(x, "wall_ns"), "median") > 0);
    }
    const cJSON *sched = cJSON_GetArrayItem(a, 3);
    assert_string_equal(cJSON_GetObjectItem(sched, "strategy")->valuestring, "scheduled");
    assert_int_equal(figure(sched, "threads"), 256);
    assert_true(figure(sched, "decisions") > 0);
    char *svg = bench_read_file(path_in_tmp("sim1/scheduled.svg"));
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<svg"));
    free(svg);
    assert_int_equal(access(path_in_tmp("sim1/index.html"), F_OK), 0);
    cJSON_Delete(doc[0]);
    cJSON_Delete(doc[1]);
}

/* result.json of <tmp>/<dir> without what may differ between two runs of
 * one command: the context's date, host and commit. */
static cJSON *load_inputs_only(const char *dir)
{
    char path[600];

    snprintf(path, sizeof path, "%s/result.json", path_in_tmp(dir));
    cJSON *doc = load_json(path), *ctx = cJSON_GetObjectItem(doc, "context");
    cJSON_DeleteItemFromObject(ctx, "date");
    cJSON_DeleteItemFromObject(ctx, "host");
    cJSON_DeleteItemFromObject(ctx, "commit");
    return doc;
}

/* The same --sim command twice prints the same bytes in every format, and
 * writes the same result.json but for the context's date, host and commit:
 * nothing measured on the host (CPU time, spin calibration) gets in. */
static void test_bench_sim_output_depends_on_inputs_only(void **state)
{
    static const char *const formats[] = {"json", "csv", "markdown", "table"};
    (void)state;

    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        char *out[2];
        cJSON *doc[2];

        for (int i = 0; i < 2; i++) {
            bench_run_t r;
            bench_remove_tree(path_in_tmp("same"));
            BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "4", "--items", "2000",
                  "--repeat", "2", "--out", path_in_tmp("same"), "--no-history", "--format",
                  formats[f]);
            assert_int_equal(r.status, 0);
            out[i] = r.out;
            free(r.err);
            doc[i] = load_inputs_only("same");
        }
        if (strcmp(out[0], out[1]) != 0)
            fail_msg("--format %s printed different bytes:\n%s\n---\n%s", formats[f], out[0],
                     out[1]);
        if (!cJSON_Compare(doc[0], doc[1], true))
            fail_msg("--format %s: result.json differs beyond date, host and commit", formats[f]);
        for (int i = 0; i < 2; i++) {
            free(out[i]);
            cJSON_Delete(doc[i]);
        }
    }
}

static void test_bench_sim_core_limits(void **state)
{
    bench_run_t r;
    (void)state;

    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "1025", "--out",
          path_in_tmp("x"));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--cores: expected an integer from 1 to 1024"));
    bench_run_fini(&r);
    if (sysconf(_SC_NPROCESSORS_ONLN) < 256) {
        BENCH(&r, "--cores", "1024", "--workload", "bottleneck", "--out", path_in_tmp("x"));
        assert_int_equal(r.status, 2);
        bench_run_fini(&r);
    }
    BENCH(&r, "--cores", "1024", "--workload", "bottleneck", "--items", "2000", "--sim",
          "--strategy", "scheduled", "--no-baseline", "--no-trace", "--no-history", "--out",
          path_in_tmp("max"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
}

/* Runs bench in the directory dir (bench resolves results/ from there). */
static void run_in(bench_run_t *r, const char *dir, const char *const *args)
{
    char cwd[4096];

    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    int rc = bench_spawn_args(r, tmp, bench, NULL, args);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
}

#define BENCH_IN(r, dir, ...) run_in((r), (dir), (const char *const[]){__VA_ARGS__, NULL})

/* Lines in the file at path; -1 when it cannot be read. */
static int count_lines(const char *path)
{
    char *text = bench_read_file(path);
    int n = 0;

    if (!text)
        return -1;
    for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
        n++;
    free(text);
    return n;
}

/* Every run appends one line to results/history.jsonl in the current
 * directory, wherever --out puts its results, and trend with no options
 * reads that file; --history names another, --no-history none. */
static void test_bench_sim_history(void **state)
{
    char home[512];
    bench_run_t r;
    (void)state;

    snprintf(home, sizeof home, "%s", path_in_tmp("home")); /* path_in_tmp's buffers rotate */

    assert_int_equal(mkdir(home, 0777), 0);
    assert_int_equal(mkdir(path_in_tmp("runs"), 0777), 0);
    BENCH_IN(&r, home, "trend"); /* no run yet: the missing history is what is wrong */
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "bench: trend: results/history.jsonl: No such file or directory\n");
    bench_run_fini(&r);
    BENCH_IN(&r, home, "--workload", "balanced", "--sim", "--cores", "4", "--items", "1000",
             "--no-trace", "--out", path_in_tmp("runs/a"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH_IN(&r, home, "trend");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "trend: results/trend.svg: 1 run in 1 configuration, "
                               "0 regressions marked\n");
    assert_int_equal(access(path_in_tmp("home/results/trend.svg"), F_OK), 0);
    assert_int_equal(access(path_in_tmp("runs/history.jsonl"), F_OK), -1);
    bench_run_fini(&r);
    BENCH_IN(&r, home, "--workload", "balanced", "--sim", "--cores", "4", "--items", "1000",
             "--no-trace", "--out", path_in_tmp("runs/b"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);

    char *text = bench_read_file(path_in_tmp("home/results/history.jsonl"));
    assert_non_null(text);
    *strchr(text, '\n') = '\0';
    cJSON *line = cJSON_Parse(text);
    assert_non_null(line);
    assert_string_equal(cJSON_GetObjectItem(line, "schema")->valuestring, "jefferson.history/1");
    assert_string_equal(cJSON_GetObjectItem(line, "workload")->valuestring, "balanced");
    assert_string_equal(cJSON_GetObjectItem(line, "dir")->valuestring, path_in_tmp("runs/a"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(line, "sim")));
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItem(line, "results"), 0);
    assert_true(figure(res, "median_ns") > 0);
    assert_true(figure(res, "efficiency") > 0);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(res, "samples_ns")));
    cJSON_Delete(line);
    free(text);
    assert_int_equal(count_lines(path_in_tmp("home/results/history.jsonl")), 2);

    BENCH_IN(&r, home, "--workload", "balanced", "--sim", "--items", "1000", "--no-trace",
             "--out", path_in_tmp("c"), "--history", path_in_tmp("h.jsonl"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    assert_int_equal(count_lines(path_in_tmp("h.jsonl")), 1);
    BENCH_IN(&r, home, "--workload", "balanced", "--sim", "--items", "1000", "--no-trace",
             "--out", path_in_tmp("runs/d"), "--no-history");
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    assert_int_equal(count_lines(path_in_tmp("home/results/history.jsonl")), 2);
    BENCH_IN(&r, home, "trend");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ": 2 runs in 1 configuration, "));
    bench_run_fini(&r);
}

static void test_bench_sim_export_on_a_run(void **state)
{
    bench_run_t r;
    (void)state;

    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "8", "--items", "2000",
          "--no-trace", "--no-history", "--out", path_in_tmp("ex"), "--format", "bencher");
    assert_int_equal(r.status, 0);
    cJSON *doc = cJSON_Parse(r.out);
    assert_non_null(doc);
    const cJSON *b = cJSON_GetObjectItem(doc, "bottleneck/scheduled/dhondt/sim");
    assert_non_null(cJSON_GetObjectItem(b, "latency"));
    cJSON_Delete(doc);
    bench_run_fini(&r);
    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "8", "--items", "2000",
          "--no-trace", "--no-history", "--out", path_in_tmp("ex2"), "--format",
          "github-action-benchmark");
    assert_int_equal(r.status, 0);
    doc = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(doc));
    assert_int_equal(cJSON_GetArraySize(doc), 4);
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

/* --compare after a run: the same run passes, the slowed scheduler fails;
 * BASE that cannot be compared is refused before anything runs. */
static void test_bench_sim_compare_on_a_run(void **state)
{
    const char *base = path_in_tmp("cb/result.json");
    bench_run_t r;
    (void)state;

    BENCH(&r, "--workload", "phase-shift", "--sim", "--cores", "16", "--no-trace",
          "--no-history", "--out", path_in_tmp("cb"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH(&r, "--workload", "phase-shift", "--sim", "--cores", "16", "--no-trace",
          "--no-history", "--out", path_in_tmp("cn"), "--compare", base, "--confirm", "3");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "compare: no regression in 4 strategies compared"));
    bench_run_fini(&r);
    BENCH_SLOW(&r, "--workload", "phase-shift", "--sim", "--cores", "16", "--no-trace",
               "--no-history", "--out", path_in_tmp("cs"), "--compare", base);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "scheduled/dhondt: the simulated run changed: makespan"));
    assert_non_null(strstr(r.err, "JF_TEST_SLOW_POLICY"));
    bench_run_fini(&r);
    BENCH(&r, "--workload", "phase-shift", "--sim", "--cores", "8", "--no-trace",
          "--no-history", "--out", path_in_tmp("cx"), "--compare", base);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--cores 16 --batch 16-256 (adaptive) in BASE, --cores 8"));
    assert_string_equal(r.out, "");
    bench_run_fini(&r);
    BENCH(&r, "--workload", "phase-shift", "--no-trace", "--out", path_in_tmp("cy"),
          "--confirm", "2");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--confirm: needs --compare"));
    bench_run_fini(&r);
}

/* A kernel that fails fails the simulated run as it fails the real one:
 * the same line, exit 1, no results directory, under every strategy. */
static void test_bench_sim_failing_kernel_fails_the_run(void **state)
{
    static const char *const strategies[] = {"all", "single", "per-stage", "n-per-stage",
                                             "scheduled"};
    const char *want = "bench: run: stage \"work\" failed on item 42 (code 1)\n";
    const char *workload = path_in_tmp("fails.json");
    const char *out = path_in_tmp("never");
    bench_run_t r;
    (void)state;

    assert_int_equal(bench_write_file(workload, "{\"name\": \"fails\", \"items\": 100, "
                                      "\"stages\": [{\"name\": \"read\", \"kernel\": "
                                      "\"spin\", \"ns\": 100}, {\"name\": \"work\", "
                                      "\"kernel\": \"fail\", \"ns\": 100, \"fail_at\": 42}]}"),
                     0);
    BENCH(&r, "--workload", workload, "--cores", "2", "--repeat", "1", "--out", out,
          "--no-history");
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, want);
    bench_run_fini(&r);
    for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++) {
        /* --cores with single alone warns that it has no effect: leave it out there */
        if (strcmp(strategies[i], "single") == 0)
            BENCH(&r, "--workload", workload, "--sim", "--strategy", strategies[i], "--out",
                  out, "--no-history");
        else
            BENCH(&r, "--workload", workload, "--cores", i % 2 ? "3" : "2", "--sim",
                  "--strategy", strategies[i], "--out", out, "--no-history");
        if (r.status != 1)
            print_error("--strategy %s: %d %s\n", strategies[i], r.status, r.err);
        assert_int_equal(r.status, 1);
        assert_string_equal(r.err, want);
        assert_int_equal(access(out, F_OK), -1);
        bench_run_fini(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_sim_lower_bound_without_single),
        cmocka_unit_test(test_bench_sim_256_cores_repeat_exactly),
        cmocka_unit_test(test_bench_sim_output_depends_on_inputs_only),
        cmocka_unit_test(test_bench_sim_core_limits),
        cmocka_unit_test(test_bench_sim_history),
        cmocka_unit_test(test_bench_sim_export_on_a_run),
        cmocka_unit_test(test_bench_sim_compare_on_a_run),
        cmocka_unit_test(test_bench_sim_failing_kernel_fails_the_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
