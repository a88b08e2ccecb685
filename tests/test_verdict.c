/* test_verdict.c - the report's verdict between the two fastest strategies, on known samples. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness/verdict.h"

#define assert_near(a, b, eps) near((a), (b), (eps), __FILE__, __LINE__)

static void near(double a, double b, double eps, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.17g != %.17g (tolerance %g)\n", a, b, eps);
        _fail(file, line);
    }
}

/* Means 100 and 200, standard deviations 10 and 20; the 95% intervals
 * 100 -+ 4.3027 * 10 / sqrt(3) = [75.2, 124.8] and [150.3, 249.7] are apart.
 * The slowest run and the order given must not matter. */
static void test_verdict_ratio_of_means_with_propagated_sd(void **state)
{
    const uint64_t slowest[] = {900, 1000, 1100}, slow[] = {200, 220, 180}, fast[] = {100, 110, 90};
    const bench_verdict_run_t runs[] = {
        {"single", slowest, 3}, {"per-stage", slow, 3}, {"scheduled", fast, 3}};
    jf_viz_verdict_t v;

    assert_int_equal(bench_verdict_compute(runs, 3, &v), 0);
    assert_int_equal(v.kind, JF_VIZ_VERDICT_FASTER);
    assert_string_equal(v.fast, "scheduled");
    assert_string_equal(v.slow, "per-stage");
    assert_near(v.ratio, 2.0, 1e-12);
    /* 2 * sqrt(0.1^2 + 0.1^2) */
    assert_near(v.ratio_sd, 0.28284271247461901, 1e-12);
    assert_int_equal(v.repeats, 3);
}

/* Means 100 and 110 with standard deviation 20 each: the intervals
 * [50.3, 149.7] and [60.3, 159.7] overlap, so no difference is claimed
 * although the ratio is 1.1. */
static void test_verdict_overlapping_intervals_are_no_difference(void **state)
{
    const uint64_t a[] = {110, 130, 90}, b[] = {100, 120, 80};
    const bench_verdict_run_t runs[] = {{"tbb", a, 3}, {"scheduled", b, 3}};
    jf_viz_verdict_t v;

    assert_int_equal(bench_verdict_compute(runs, 2, &v), 0);
    assert_int_equal(v.kind, JF_VIZ_VERDICT_NO_DIFFERENCE);
    assert_string_equal(v.fast, "scheduled");
    assert_string_equal(v.slow, "tbb");
    assert_near(v.ratio, 1.1, 1e-12);
    assert_near(v.ratio_sd, 1.1 * sqrt(0.2 * 0.2 + (20.0 / 110) * (20.0 / 110)), 1e-12);
}

/* Ranked by mean, not by median: b's median (100) is the lowest, its mean
 * (140) is not. */
static void test_verdict_ranks_by_mean(void **state)
{
    const uint64_t a[] = {120, 121, 122, 119, 118}, b[] = {100, 100, 100, 200, 200},
                   c[] = {300, 301, 299, 300, 300};
    const bench_verdict_run_t runs[] = {{"a", a, 5}, {"b", b, 5}, {"c", c, 5}};
    jf_viz_verdict_t v;

    assert_int_equal(bench_verdict_compute(runs, 3, &v), 0);
    assert_string_equal(v.fast, "a");
    assert_string_equal(v.slow, "b");
}

/* One repetition: a ratio, but no spread to judge it by. */
static void test_verdict_one_repetition_cannot_judge(void **state)
{
    const uint64_t a[] = {200}, b[] = {100, 101, 99};
    const bench_verdict_run_t runs[] = {{"single", a, 1}, {"scheduled", b, 3}};
    jf_viz_verdict_t v;

    assert_int_equal(bench_verdict_compute(runs, 2, &v), 0);
    assert_int_equal(v.kind, JF_VIZ_VERDICT_ONE_REPETITION);
    assert_string_equal(v.fast, "scheduled");
    assert_near(v.ratio, 2.0, 1e-12);
    assert_int_equal(v.repeats, 1);
}

/* Runs without samples are not ranked; fewer than two ranked: no verdict. */
static void test_verdict_needs_two_runs_with_samples(void **state)
{
    const uint64_t a[] = {100, 110};
    const bench_verdict_run_t runs[] = {{"single", a, 2}, {"scheduled", NULL, 0}};
    jf_viz_verdict_t v;

    assert_int_equal(bench_verdict_compute(runs, 2, &v), 0);
    assert_int_equal(v.kind, JF_VIZ_VERDICT_NONE);
    assert_null(v.fast);
    assert_int_equal(bench_verdict_compute(runs, 0, &v), 0);
    assert_int_equal(v.kind, JF_VIZ_VERDICT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_ratio_of_means_with_propagated_sd),
        cmocka_unit_test(test_verdict_overlapping_intervals_are_no_difference),
        cmocka_unit_test(test_verdict_ranks_by_mean),
        cmocka_unit_test(test_verdict_one_repetition_cannot_judge),
        cmocka_unit_test(test_verdict_needs_two_runs_with_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
