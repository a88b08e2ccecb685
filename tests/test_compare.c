/* test_compare.c - bench compare: the statistics, the verdicts on synthetic results, exit
 * codes, the export formats and trend. Needs JF_BENCH (path of build/bench). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <libxml/parser.h>

#include "bench_run.h"
#include "jefferson/error.h"
#include "harness/compare.h"
#include "harness/compare_stats.h"

/* |a - b| <= eps, printing both values when not (cmocka has no double assert here). */
#define assert_near(a, b, eps)                                                               \
    do {                                                                                     \
        double a_ = (a), b_ = (b);                                                           \
        if (!(fabs(a_ - b_) <= (eps))) {                                                     \
            print_error("%s = %.17g, expected %.17g\n", #a, a_, b_);                         \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

static char tmp[256];
static const char *bench;

/* One strategy of a synthetic result. */
typedef struct res {
    const char *strategy, *policy;
    size_t n;
    const double *samples;
    double decisions, reallocations;
} res_t;

/* n samples around `center` spread uniformly by +-spread (a fraction),
 * from a fixed xorshift sequence: noisy, and the same on every run. */
static void noisy(double *out, size_t n, double center, double spread, uint64_t seed)
{
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out[i] = round(center * (1 + spread * (2.0 * (double)(x % 10001) / 10000.0 - 1)));
    }
}

static char *path_in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

static cJSON *result_json(const res_t *r)
{
    cJSON *o = cJSON_CreateObject(), *wall = cJSON_AddObjectToObject(o, "wall_ns");

    cJSON_AddStringToObject(o, "strategy", r->strategy);
    if (r->policy)
        cJSON_AddStringToObject(o, "policy", r->policy);
    else
        cJSON_AddNullToObject(o, "policy");
    cJSON_AddNumberToObject(o, "repeats", (double)r->n);
    cJSON_AddNumberToObject(o, "threads", 2);
    cJSON_AddNumberToObject(wall, "median", bench_cmp_median(r->samples, r->n));
    cJSON_AddNumberToObject(wall, "min", r->samples[0]);
    cJSON_AddNumberToObject(wall, "max", r->samples[r->n - 1]);
    cJSON_AddNumberToObject(wall, "stddev", 1000);
    cJSON_AddItemToObject(o, "samples_ns", cJSON_CreateDoubleArray(r->samples, (int)r->n));
    cJSON_AddNumberToObject(o, "efficiency", 0.9);
    cJSON_AddNumberToObject(o, "decisions", r->decisions);
    cJSON_AddNumberToObject(o, "reallocations", r->reallocations);
    return o;
}

/* Writes a result document to <tmp>/<name> and returns its path. */
static const char *write_result(const char *name, const char *schema, const char *workload,
                                bool sim, size_t n, const res_t *res)
{
    cJSON *doc = cJSON_CreateObject(), *ctx, *w, *arr;

    cJSON_AddStringToObject(doc, "schema", schema);
    cJSON_AddBoolToObject(doc, "interrupted", 0);
    cJSON_AddBoolToObject(doc, "sim", sim);
    ctx = cJSON_AddObjectToObject(doc, "context");
    cJSON_AddStringToObject(ctx, "host", "test");
    cJSON_AddStringToObject(ctx, "commit", "abc1234");
    cJSON_AddStringToObject(ctx, "date", "2026-01-01T00:00:00Z");
    w = cJSON_AddObjectToObject(doc, "workload");
    cJSON_AddStringToObject(w, "name", workload);
    cJSON_AddNumberToObject(w, "items", 1000);
    cJSON_AddNumberToObject(doc, "cores", 2);
    cJSON_AddNumberToObject(doc, "batch", 16);
    arr = cJSON_AddArrayToObject(doc, "results");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, result_json(&res[i]));
    char *text = cJSON_Print(doc);
    const char *path = path_in_tmp(name);
    assert_int_equal(bench_write_file(path, text), 0);
    free(text);
    cJSON_Delete(doc);
    return path;
}

static void run_bench(bench_run_t *r, const char *const *args)
{
    assert_int_equal(bench_spawn_args(r, tmp, bench, NULL, args), 0);
}

#define BENCH(r, ...) run_bench((r), (const char *const[]){__VA_ARGS__, NULL})

/* Exactly one line on stderr, "bench: ...". */
static void assert_one_error_line(const bench_run_t *r)
{
    if (!bench_one_error_line(r->err))
        fail_msg("stderr is not one \"bench: \" line: \"%s\"", r->err);
}

/* Exactly one line on stderr, "bench: warning: ..." containing what. */
static void assert_one_warning_line(const bench_run_t *r, const char *what)
{
    if (strncmp(r->err, "bench: warning: ", 16) != 0 || strchr(r->err, '\n') == NULL ||
        strchr(r->err, '\n')[1] != '\0' || strstr(r->err, what) == NULL)
        fail_msg("stderr is not one warning line with \"%s\": \"%s\"", what, r->err);
}

static int setup(void **state)
{
    (void)state;
    return bench_test_setup(&bench, tmp, sizeof tmp, "jf_compare");
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

/* --- the statistics ------------------------------------------------------- */

static void test_compare_mwu_exact_values(void **state)
{
    const double a[] = {1, 2, 3, 4, 5}, b[] = {6, 7, 8, 9, 10};
    const double c[] = {1, 2, 3, 3}, d[] = {3, 4, 5, 6};
    const double e[] = {100, 103, 98, 101, 99}, f[] = {102, 104, 97, 100, 105};
    bench_mwu_t t;
    (void)state;

    assert_int_equal(bench_mwu_test(a, 5, b, 5, &t), 0);
    assert_true(t.exact);
    assert_near(t.u, 25, 1e-12);
    assert_near(t.p, 2.0 / 252, 1e-12); /* the most extreme of C(10,5) splits */
    assert_near(t.min_p, 2.0 / 252, 1e-12);
    /* With ties: the permutation distribution given them (brute force: 18/210). */
    assert_int_equal(bench_mwu_test(c, 4, d, 4, &t), 0);
    assert_near(t.u, 15, 1e-12);
    assert_near(t.p, 0.0857142857142857, 1e-12);
    assert_int_equal(bench_mwu_test(e, 5, f, 5, &t), 0);
    assert_near(t.u, 16.5, 1e-12);
    assert_near(t.p, 0.4603174603174603, 1e-12);
    /* Identical samples: nothing to see. */
    assert_int_equal(bench_mwu_test(a, 5, a, 5, &t), 0);
    assert_near(t.p, 1.0, 1e-12);
    assert_int_equal(bench_mwu_test(a, 0, b, 5, &t), JF_EINVAL);
}

static void test_compare_mwu_normal_approximation(void **state)
{
    double a[25], b[25];
    bench_mwu_t t;
    (void)state;

    for (int i = 0; i < 25; i++) {
        a[i] = i;
        b[i] = 100 + i;
    }
    assert_int_equal(bench_mwu_test(a, 25, b, 25, &t), 0);
    assert_false(t.exact);
    /* z = (312.5 - 0.5) / sqrt(25 * 25 * 51 / 12) = 6.0537 */
    assert_near(t.p, erfc(312.0 / sqrt(2656.25) / sqrt(2.0)), 1e-15);
    assert_true(t.min_p < 1e-12);
}

static void test_compare_hodges_lehmann_interval(void **state)
{
    const double e[] = {100, 103, 98, 101, 99}, f[] = {102, 104, 97, 100, 105};
    const double a[] = {10, 11, 12}, b[] = {20, 21, 22};
    double est, lo, hi, level;
    (void)state;

    /* k = 3 for 5 and 5 at 95%: the 3rd smallest and largest of 25 ratios. */
    assert_int_equal(bench_hl_ratio(e, 5, f, 5, 0.95, &est, &lo, &hi, &level), 0);
    assert_near(est, 1.0194174757281549, 1e-12);
    assert_near(lo, 0.97, 1e-12);
    assert_near(hi, 1.0606060606060603, 1e-12);
    assert_true(level >= 0.95 && level < 0.97);
    /* 3 and 3 cannot reach 95%: [min, max] with its coverage 1 - 2/20. */
    assert_int_equal(bench_hl_ratio(a, 3, b, 3, 0.95, &est, &lo, &hi, &level), 0);
    assert_near(lo, 20.0 / 12, 1e-12);
    assert_near(hi, 22.0 / 10, 1e-12);
    assert_near(level, 0.9, 1e-12);
}

/* --- verdicts on synthetic samples --------------------------------------- */

static bench_cmp_series_t series(double *s, size_t n, double decisions, double reallocations)
{
    bench_cmp_series_t x = {.key = "scheduled/dhondt", .n = n, .samples = s,
                         .median_ns = bench_cmp_median(s, n), .efficiency = 0.9,
                         .decisions = decisions, .reallocations = reallocations};
    return x;
}

static void test_compare_identical_never_flags(void **state)
{
    bench_cmp_options_t opt;
    (void)state;

    bench_cmp_options_default(&opt);
    for (size_t n = 1; n <= 30; n++) {
        double a[30];
        noisy(a, n, 1e8, 0.3, n);
        bench_cmp_series_t b = series(a, n, 100, 10), h = series(a, n, 100, 10);
        bench_cmp_row_t row;
        assert_int_equal(bench_cmp_judge(&b, &h, false, &opt, &row), 0);
        assert_false(row.regression);
        assert_int_equal(bench_cmp_judge(&b, &h, true, &opt, &row), 0);
        assert_false(row.regression);
        assert_false(row.det_changed);
    }
}

static void test_compare_doubling_with_nine_repetitions_flags(void **state)
{
    double a[9], b[9];
    bench_cmp_options_t opt;
    bench_cmp_row_t row;
    (void)state;

    bench_cmp_options_default(&opt);
    noisy(a, 9, 1e8, 0.05, 1);
    noisy(b, 9, 2e8, 0.05, 2);
    bench_cmp_series_t sa = series(a, 9, 0, 0), sb = series(b, 9, 0, 0);
    assert_int_equal(bench_cmp_judge(&sa, &sb, false, &opt, &row), 0);
    assert_true(row.regression);
    assert_int_equal(row.wall, JF_CMP_WALL_SLOWER);
    assert_true(row.mwu.p < 1e-4);
    assert_true(row.change > 0.8 && row.change < 1.2);
    assert_true(row.has_ci && row.ci_low > 0.7 && row.ci_high < 1.3);
}

static void test_compare_small_change_in_noise_does_not_flag(void **state)
{
    double a[9], b[9];
    bench_cmp_options_t opt;
    bench_cmp_row_t row;
    (void)state;

    bench_cmp_options_default(&opt);
    for (uint64_t seed = 1; seed < 50; seed++) {
        noisy(a, 9, 1e8, 0.05, seed);
        noisy(b, 9, 1.03e8, 0.05, seed + 1000);
        bench_cmp_series_t sa = series(a, 9, 0, 0), sb = series(b, 9, 0, 0);
        assert_int_equal(bench_cmp_judge(&sa, &sb, false, &opt, &row), 0);
        assert_false(row.regression); /* significant or not, 3% is within 10% */
    }
}

static void test_compare_too_few_repetitions_are_undecidable(void **state)
{
    double a[3] = {1e8, 1.01e8, 0.99e8}, b[3] = {2e8, 2.01e8, 1.99e8};
    bench_cmp_options_t opt;
    bench_cmp_row_t row;
    (void)state;

    bench_cmp_options_default(&opt);
    bench_cmp_series_t sa = series(a, 3, 0, 0), sb = series(b, 3, 0, 0);
    assert_int_equal(bench_cmp_judge(&sa, &sb, false, &opt, &row), 0);
    assert_int_equal(row.wall, BENCH_CMP_WALL_UNDECIDABLE);
    assert_near(row.mwu.min_p, 0.1, 1e-12);
    assert_false(row.regression);
}

static void test_compare_sim_metrics_are_exact(void **state)
{
    double a[1] = {1e6}, b[1] = {1.003e6}, c[1] = {1.01e6};
    bench_cmp_options_t opt;
    bench_cmp_row_t row;
    (void)state;

    bench_cmp_options_default(&opt);
    bench_cmp_series_t sa = series(a, 1, 1000, 100), sb = series(b, 1, 1000, 100);
    assert_int_equal(bench_cmp_judge(&sa, &sb, true, &opt, &row), 0);
    assert_false(row.regression); /* 0.3% is inside the 0.5% bound */
    bench_cmp_series_t sc = series(c, 1, 1000, 100);
    assert_int_equal(bench_cmp_judge(&sa, &sc, true, &opt, &row), 0);
    assert_true(row.regression && row.det_changed);
    bench_cmp_series_t sd = series(a, 1, 1000, 102); /* same makespan, 2% more moves */
    assert_int_equal(bench_cmp_judge(&sa, &sd, true, &opt, &row), 0);
    assert_true(row.regression);
    assert_near(row.d_reallocations, 0.02, 1e-12);
}

/* --- the command -------------------------------------------------------- */

static void test_compare_command_exit_codes(void **state)
{
    double a[9], b[9], s[9];
    bench_run_t r;
    (void)state;

    noisy(a, 9, 1e8, 0.05, 1);
    noisy(b, 9, 2e8, 0.05, 2);
    noisy(s, 9, 5e7, 0.05, 3);
    res_t base[] = {{"single", NULL, 9, s, 0, 0}, {"scheduled", "dhondt", 9, a, 500, 50}};
    res_t slow[] = {{"single", NULL, 9, s, 0, 0}, {"scheduled", "dhondt", 9, b, 500, 50}};
    const char *pb = write_result("base.json", "jefferson.result/1", "w", false, 2, base);
    const char *pn = write_result("new.json", "jefferson.result/1", "w", false, 2, slow);
    const char *px = write_result("other.json", "jefferson.result/2", "w", false, 2, slow);
    const char *pw = write_result("otherw.json", "jefferson.result/1", "v", false, 2, slow);

    BENCH(&r, "compare", pb, pb);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "compare: no regression in 2 strategies compared"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pn);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "scheduled/dhondt: median wall time rose"));
    assert_non_null(strstr(r.out, "REGRESSION"));
    assert_non_null(strstr(r.out, "compare: 1 regression: scheduled/dhondt"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pn, "--threshold", "150"); /* +100% is within 150% */
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, px);
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_non_null(strstr(r.err, "not a jefferson result"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pw);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "different workloads"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, path_in_tmp("missing.json"));
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
    BENCH(&r, "compare", pb);
    assert_int_equal(r.status, 2);
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pn, "--confirm", "2");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--confirm"));
    bench_run_fini(&r);
}

/* A copy of the result at path with "batch_max" set, as <tmp>/<name>. */
static const char *with_batch_max(const char *path, const char *name, double batch_max)
{
    char *text = bench_read_file(path);
    assert_non_null(text);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    cJSON_AddNumberToObject(doc, "batch_max", batch_max);
    text = cJSON_Print(doc);
    const char *out = path_in_tmp(name);
    assert_int_equal(bench_write_file(out, text), 0);
    free(text);
    cJSON_Delete(doc);
    return out;
}

/* Fixed and adaptive batches are different runs; a file without
 * batch_max (older results) ran fixed batches. */
static void test_compare_batches_must_match(void **state)
{
    double a[5];
    bench_run_t r;
    (void)state;

    noisy(a, 5, 1e8, 0.05, 4);
    res_t res[] = {{"scheduled", "dhondt", 5, a, 500, 50}};
    const char *old = write_result("fixed-old.json", "jefferson.result/1", "w", false, 1, res);
    const char *fixed = with_batch_max(old, "fixed.json", 16);
    const char *adaptive = with_batch_max(old, "adaptive.json", 256);

    BENCH(&r, "compare", old, fixed);
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH(&r, "compare", fixed, adaptive);
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_non_null(strstr(r.err, "--batch 16 in BASE, --cores 2 --batch 16-256 (adaptive) in NEW"));
    bench_run_fini(&r);
    BENCH(&r, "compare", adaptive, old);
    assert_int_equal(r.status, 2);
    bench_run_fini(&r);
}

static void test_compare_command_formats(void **state)
{
    double a[5] = {10e6, 10.1e6, 9.9e6, 10.2e6, 9.8e6};
    double b[5] = {20e6, 20.1e6, 19.9e6, 20.2e6, 19.8e6};
    res_t base[] = {{"scheduled", "dhondt", 5, a, 0, 0}};
    res_t slow[] = {{"scheduled", "dhondt", 5, b, 0, 0}};
    const char *pb = write_result("fb.json", "jefferson.result/1", "w", false, 1, base);
    const char *pn = write_result("fn.json", "jefferson.result/1", "w", false, 1, slow);
    bench_run_t r;
    (void)state;

    BENCH(&r, "compare", pb, pn, "--format", "json");
    assert_int_equal(r.status, 1);
    cJSON *doc = cJSON_Parse(r.out);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "schema")->valuestring, "jefferson.compare/1");
    assert_int_equal(cJSON_GetObjectItem(doc, "regressions")->valueint, 1);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "results"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "regression")));
    assert_near(cJSON_GetObjectItem(row, "change")->valuedouble, 1.0, 1e-9);
    cJSON_Delete(doc);
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pn, "--format", "markdown");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "| strategy | base ms |"));
    assert_non_null(strstr(r.out, "**compare: 1 regression"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pn, "--format", "csv");
    assert_int_equal(r.status, 2);
    bench_run_fini(&r);
}

/* The interval's column names the level it has: 3 and 3 repetitions reach
 * 90%, not 95%, and rows of different levels each name their own. */
static void test_compare_names_the_interval_level(void **state)
{
    double a[5] = {10e6, 10.1e6, 9.9e6, 10.2e6, 9.8e6};
    double b[5] = {11e6, 11.1e6, 10.9e6, 11.2e6, 10.8e6};
    res_t base3[] = {{"scheduled", "dhondt", 3, a, 0, 0}, {"single", NULL, 5, a, 0, 0}};
    res_t new3[] = {{"scheduled", "dhondt", 3, b, 0, 0}, {"single", NULL, 5, b, 0, 0}};
    const char *pb = write_result("lb.json", "jefferson.result/1", "w", false, 1, base3);
    const char *pn = write_result("ln.json", "jefferson.result/1", "w", false, 1, new3);
    bench_run_t r;
    (void)state;

    BENCH(&r, "compare", pb, pn);
    assert_non_null(strstr(r.out, " 90% CI of change "));
    assert_null(strstr(r.out, "95%"));
    assert_non_null(strstr(r.out, "(90% CI +"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pn, "--format", "markdown");
    assert_non_null(strstr(r.out, "| change | 90% CI of change | p |"));
    bench_run_fini(&r);
    pb = write_result("lb.json", "jefferson.result/1", "w", false, 2, base3);
    pn = write_result("ln.json", "jefferson.result/1", "w", false, 2, new3);
    BENCH(&r, "compare", pb, pn);
    assert_non_null(strstr(r.out, " CI of change "));
    assert_null(strstr(r.out, "% CI of change"));
    assert_non_null(strstr(r.out, " 90%: +"));
    assert_non_null(strstr(r.out, " 95%: +"));
    bench_run_fini(&r);
}

static void test_compare_sim_results(void **state)
{
    double m[1] = {3.34e6}, m2[1] = {3.4e6};
    res_t base[] = {{"scheduled", "dhondt", 1, m, 3813, 447}};
    res_t same[] = {{"scheduled", "dhondt", 1, m, 3813, 447}};
    res_t moved[] = {{"scheduled", "dhondt", 1, m, 3813, 460}};
    res_t slower[] = {{"scheduled", "dhondt", 1, m2, 3813, 447}};
    const char *pb = write_result("sb.json", "jefferson.result/1", "w", true, 1, base);
    const char *ps = write_result("ss.json", "jefferson.result/1", "w", true, 1, same);
    const char *pm = write_result("sm.json", "jefferson.result/1", "w", true, 1, moved);
    const char *pl = write_result("sl.json", "jefferson.result/1", "w", true, 1, slower);
    const char *pr = write_result("sr.json", "jefferson.result/1", "w", false, 1, same);
    bench_run_t r;
    (void)state;

    BENCH(&r, "compare", pb, ps);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "identical"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pm);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "reallocations 447 -> 460 (+2.9%)"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pl);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "makespan 3.340 ms -> 3.400 ms (+1.8%, slower)"));
    bench_run_fini(&r);
    BENCH(&r, "compare", pb, pr); /* simulated against measured */
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
}

static void test_compare_export_formats(void **state)
{
    double a[3] = {10e6, 11e6, 12e6};
    res_t res[] = {{"single", NULL, 3, a, 0, 0}, {"scheduled", "dhondt", 3, a, 0, 0}};
    const char *p = write_result("ex.json", "jefferson.result/1", "wl", false, 2, res);
    bench_run_t r;
    (void)state;

    BENCH(&r, "export", "--format", "github-action-benchmark", p);
    assert_int_equal(r.status, 0);
    cJSON *doc = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(doc));
    assert_int_equal(cJSON_GetArraySize(doc), 2);
    cJSON *e = cJSON_GetArrayItem(doc, 1);
    assert_string_equal(cJSON_GetObjectItem(e, "name")->valuestring, "wl/scheduled/dhondt");
    assert_string_equal(cJSON_GetObjectItem(e, "unit")->valuestring, "ns");
    assert_near(cJSON_GetObjectItem(e, "value")->valuedouble, 11e6, 1e-6);
    assert_string_equal(cJSON_GetObjectItem(e, "range")->valuestring, "\xc2\xb1 1000");
    assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "extra")));
    cJSON_Delete(doc);
    bench_run_fini(&r);
    BENCH(&r, "export", "--format", "bencher", p);
    assert_int_equal(r.status, 0);
    doc = cJSON_Parse(r.out);
    cJSON *lat = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "wl/single"), "latency");
    assert_non_null(lat);
    assert_near(cJSON_GetObjectItem(lat, "value")->valuedouble, 11e6, 1e-6);
    assert_near(cJSON_GetObjectItem(lat, "lower_value")->valuedouble, 10e6, 1e-6);
    assert_near(cJSON_GetObjectItem(lat, "upper_value")->valuedouble, 12e6, 1e-6);
    cJSON_Delete(doc);
    bench_run_fini(&r);
    BENCH(&r, "export", p);
    assert_int_equal(r.status, 2);
    bench_run_fini(&r);
    BENCH(&r, "export", "--format", "table", p);
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
}

/* Sets every result's efficiency in the document at path. */
static void set_efficiency(const char *path, const char *efficiency)
{
    char *text = bench_read_file(path), *out;
    cJSON *doc = cJSON_Parse(text), *r;

    free(text);
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "results"))
        cJSON_ReplaceItemInObject(r, "efficiency", cJSON_CreateRaw(efficiency));
    out = cJSON_Print(doc);
    assert_int_equal(bench_write_file(path, out), 0);
    free(out);
    cJSON_Delete(doc);
}

/* A stored efficiency on a rounding edge reads the same in the export and
 * in the report: 0.9005 is 90.1 % (0.9005 * 100 is 90.04999... in binary). */
static void test_compare_export_rounds_like_the_report(void **state)
{
    double a[3] = {10e6, 11e6, 12e6};
    res_t res[] = {{"scheduled", "dhondt", 3, a, 0, 0}};
    assert_int_equal(mkdir(path_in_tmp("edge"), 0755), 0);
    const char *p = write_result("edge/result.json", "jefferson.result/1", "wl", false, 1, res);
    bench_run_t r;
    (void)state;

    set_efficiency(p, "0.9005");
    BENCH(&r, "export", "--format", "github-action-benchmark", p);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "efficiency: 90.1%"));
    bench_run_fini(&r);
    BENCH(&r, "report", path_in_tmp("edge"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    char *html = bench_read_file(path_in_tmp("edge/index.html"));
    assert_non_null(html);
    assert_non_null(strstr(html, "90.1 %"));
    assert_null(strstr(html, "90.0 %"));
    free(html);
}

/* Marks the document at path interrupted. */
static void set_interrupted(const char *path)
{
    char *text = bench_read_file(path), *out;
    cJSON *doc = cJSON_Parse(text);

    free(text);
    cJSON_ReplaceItemInObject(doc, "interrupted", cJSON_CreateTrue());
    out = cJSON_Print(doc);
    assert_int_equal(bench_write_file(path, out), 0);
    free(out);
    cJSON_Delete(doc);
}

/* An interrupted result exports what finished, with the warning compare
 * gives; one where nothing finished is refused, as is one without results. */
static void test_compare_export_interrupted(void **state)
{
    double a[3] = {10e6, 11e6, 12e6};
    res_t res[] = {{"single", NULL, 3, a, 0, 0}};
    const char *some = write_result("int.json", "jefferson.result/1", "wl", false, 1, res);
    const char *none = write_result("int0.json", "jefferson.result/1", "wl", false, 0, res);
    bench_run_t r;
    (void)state;

    set_interrupted(some);
    BENCH(&r, "export", "--format", "bencher", some);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"wl/single\""));
    assert_one_warning_line(&r, "was interrupted: it holds only the repetitions that finished");
    bench_run_fini(&r);
    BENCH(&r, "export", "--format", "github-action-benchmark", none);
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_non_null(strstr(r.err, "no results: nothing to export"));
    assert_string_equal(r.out, "");
    bench_run_fini(&r);
    set_interrupted(none);
    BENCH(&r, "export", "--format", "bencher", none);
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_non_null(strstr(r.err, "interrupted before any repetition finished"));
    assert_string_equal(r.out, "");
    bench_run_fini(&r);
}

/* A history line as a run writes it, with these samples for scheduled. */
static void history_line(FILE *f, const char *commit, const double *s, size_t n)
{
    fprintf(f, "{\"schema\":\"jefferson.history/1\",\"commit\":\"%s\",\"date\":\"d\",\"workload\":"
            "\"w\",\"sim\":false,\"cores\":2,\"batch\":16,\"items\":1000,\"results\":[{\"strategy\":"
            "\"scheduled\",\"policy\":\"dhondt\",\"efficiency\":0.5,\"samples_ns\":[", commit);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%.0f", i ? "," : "", s[i]);
    fprintf(f, "]}]}\n");
}

static void test_compare_trend_marks_regressions(void **state)
{
    double a[9], b[9];
    FILE *f = fopen(path_in_tmp("history.jsonl"), "w");
    bench_run_t r;
    (void)state;

    noisy(a, 9, 1e8, 0.05, 1);
    noisy(b, 9, 2e8, 0.05, 2);
    assert_non_null(f);
    history_line(f, "c1", a, 9);
    history_line(f, "c2", a, 9);
    fputs("{\"partial line\n", f);
    history_line(f, "c3", b, 9);
    history_line(f, "c4", b, 9);
    fclose(f);
    BENCH(&r, "trend", "--history", path_in_tmp("history.jsonl"), "--out",
          path_in_tmp("t.svg"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "4 runs in 1 configuration, 1 regression marked"));
    assert_memory_equal(r.err, "bench: warning: trend: ", 23);
    assert_non_null(strstr(r.err, "skipped 1 line that is not a history record (at line 3)"));
    assert_non_null(strstr(r.out, "regression at c3"));
    xmlDocPtr doc = xmlReadFile(path_in_tmp("t.svg"), NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlFreeDoc(doc);
    char *svg = bench_read_file(path_in_tmp("t.svg"));
    assert_non_null(strstr(svg, "class=\"regression\""));
    free(svg);
    bench_run_fini(&r);
    BENCH(&r, "trend", "--history", path_in_tmp("none.jsonl"));
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
}

/* Counts in trend's lines are in the singular for one; every line that
 * is not a record is counted in one warning that names the first. */
static void test_compare_trend_counts_runs_and_skipped_lines(void **state)
{
    const double a[3] = {1e8, 1e8, 1e8};
    FILE *f = fopen(path_in_tmp("one.jsonl"), "w");
    bench_run_t r;
    (void)state;

    assert_non_null(f);
    fputs("\n", f);
    history_line(f, "c1", a, 3);
    fputs("not json\n{\"schema\":\"other\"}\n{\"partial\n", f);
    fclose(f);
    BENCH(&r, "trend", "--history", path_in_tmp("one.jsonl"), "--out", path_in_tmp("one.svg"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ": 1 run in 1 configuration, 0 regressions marked\n"));
    char want[512];
    snprintf(want, sizeof want, "bench: warning: trend: %s: skipped 3 lines that are not "
             "history records (the first at line 3)\n", path_in_tmp("one.jsonl"));
    assert_string_equal(r.err, want);
    bench_run_fini(&r);
}

/* A panel's title says "1 core", "1 item": no plural for one. */
static void test_compare_trend_titles_count_in_the_singular(void **state)
{
    bench_run_t r;
    (void)state;

    assert_int_equal(bench_write_file(path_in_tmp("single.jsonl"),
                                      "{\"schema\":\"jefferson.history/1\",\"commit\":\"c1\","
                                      "\"workload\":\"w\",\"sim\":true,\"cores\":1,\"batch\":16,"
                                      "\"items\":1,\"results\":[{\"strategy\":\"single\","
                                      "\"policy\":null,\"efficiency\":1,\"samples_ns\":[5]}]}\n"),
                     0);
    BENCH(&r, "trend", "--history", path_in_tmp("single.jsonl"), "--out",
          path_in_tmp("single.svg"));
    assert_int_equal(r.status, 0);
    char *svg = bench_read_file(path_in_tmp("single.svg"));
    assert_non_null(svg);
    assert_non_null(strstr(svg, ">w: 1 core, 1 item, batch 16, simulated (--sim)<"));
    free(svg);
    bench_run_fini(&r);
}

/* trend --out in a place that cannot take the file: the cause, exit 2,
 * one line, and nothing written. */
static void test_compare_trend_out_names_the_cause(void **state)
{
    const double a[3] = {1e8, 1e8, 1e8};
    const char *h = path_in_tmp("h.jsonl");
    FILE *f = fopen(h, "w");
    char want[512];
    bench_run_t r;
    (void)state;

    assert_non_null(f);
    history_line(f, "c1", a, 3);
    fclose(f);
    BENCH(&r, "trend", "--history", h, "--out", path_in_tmp("no/such/t.svg"));
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "bench: trend: --out: parent directory \"%s\" does not exist\n",
             path_in_tmp("no/such"));
    assert_string_equal(r.err, want);
    bench_run_fini(&r);
    assert_int_equal(bench_write_file(path_in_tmp("afile"), "x"), 0);
    BENCH(&r, "trend", "--history", h, "--out", path_in_tmp("afile/t.svg"));
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "bench: trend: --out: parent directory \"%s\" is not a "
             "directory\n", path_in_tmp("afile"));
    assert_string_equal(r.err, want);
    bench_run_fini(&r);
    BENCH(&r, "trend", "--history", h, "--out", tmp);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "bench: trend: --out: \"%s\" is a directory (expected a file "
             "name)\n", tmp);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    bench_run_fini(&r);
}

/* A directory that takes no new files: one read-only for users; root
 * writes there anyway, so /sys (which refuses new files even to root)
 * stands in for it. Both give the same line. */
static void test_compare_trend_out_unwritable(void **state)
{
    const double a[3] = {1e8, 1e8, 1e8};
    const char *h = path_in_tmp("hw.jsonl");
    const char *dir = geteuid() == 0 ? "/sys" : path_in_tmp("ro");
    FILE *f = fopen(h, "w");
    char out[512], want[512];
    bench_run_t r;
    (void)state;

    if (geteuid() == 0 && access("/sys/kernel", F_OK) != 0) {
        print_message("skipped: running as root and no /sys to stand in for a read-only "
                      "directory\n");
        skip();
    }
    if (geteuid() != 0)
        assert_int_equal(mkdir(dir, 0555), 0);
    assert_non_null(f);
    history_line(f, "c1", a, 3);
    fclose(f);
    snprintf(out, sizeof out, "%s/jf_trend_test.svg", dir);
    BENCH(&r, "trend", "--history", h, "--out", out);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "bench: trend: --out: cannot write in \"%s\": Permission "
             "denied\n", dir);
    assert_string_equal(r.err, want);
    assert_int_equal(access(out, F_OK), -1);
    bench_run_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_mwu_exact_values),
        cmocka_unit_test(test_compare_mwu_normal_approximation),
        cmocka_unit_test(test_compare_hodges_lehmann_interval),
        cmocka_unit_test(test_compare_identical_never_flags),
        cmocka_unit_test(test_compare_doubling_with_nine_repetitions_flags),
        cmocka_unit_test(test_compare_small_change_in_noise_does_not_flag),
        cmocka_unit_test(test_compare_too_few_repetitions_are_undecidable),
        cmocka_unit_test(test_compare_sim_metrics_are_exact),
        cmocka_unit_test(test_compare_command_exit_codes),
        cmocka_unit_test(test_compare_batches_must_match),
        cmocka_unit_test(test_compare_command_formats),
        cmocka_unit_test(test_compare_sim_results),
        cmocka_unit_test(test_compare_names_the_interval_level),
        cmocka_unit_test(test_compare_export_formats),
        cmocka_unit_test(test_compare_export_interrupted),
        cmocka_unit_test(test_compare_export_rounds_like_the_report),
        cmocka_unit_test(test_compare_trend_marks_regressions),
        cmocka_unit_test(test_compare_trend_counts_runs_and_skipped_lines),
        cmocka_unit_test(test_compare_trend_titles_count_in_the_singular),
        cmocka_unit_test(test_compare_trend_out_names_the_cause),
        cmocka_unit_test(test_compare_trend_out_unwritable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
