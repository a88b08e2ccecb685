/* test_stats.c - harness statistics on samples with known answers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "jefferson/error.h"
#include "harness/stats.h"

/* cmocka 1.1 compares floating point only as float; wall times need double.
 * Prints both values on failure, like the typed cmocka assertions. */
#define assert_near(a, b, eps) near((a), (b), (eps), __FILE__, __LINE__)

static void near(double a, double b, double eps, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.17g != %.17g (tolerance %g)\n", a, b, eps);
        _fail(file, line);
    }
}

static void test_stats_odd_median(void **state)
{
    const uint64_t s[] = {50, 10, 40, 20, 30};
    bench_stats_t st;

    assert_int_equal(bench_stats_compute(s, 5, &st), 0);
    assert_int_equal(st.n, 5);
    assert_int_equal(st.min, 10);
    assert_int_equal(st.max, 50);
    assert_near(st.median, 30.0, 1e-9);
    assert_near(st.mean, 30.0, 1e-9);
    /* deviations -20 -10 0 10 20: sum of squares 1000, / (n - 1) = 250 */
    assert_near(st.stddev, 15.811388300841896, 1e-9);
    /* cv = sqrt(250) / 30 */
    assert_near(st.cv, 0.52704627669472989, 1e-12);
    /* s / sqrt(n) = sqrt(250 / 5) = sqrt(50); t(0.975, 4) = 2.776445105:
     * half width 2.776445105 * 7.0710678118654755 = 19.632431613 */
    assert_true(st.has_ci);
    assert_near(st.ci95_low, 30.0 - 19.632431613376959, 1e-6);
    assert_near(st.ci95_high, 30.0 + 19.632431613376959, 1e-6);
    /* sorted 10 20 30 40 50: ranks (5 - 1) / 4 = 1 and 3 exactly */
    assert_near(st.q1, 20.0, 1e-12);
    assert_near(st.q3, 40.0, 1e-12);
    /* fences 20 - 30 = -10 and 40 + 30 = 70: nothing outside */
    assert_int_equal(st.outliers_low, 0);
    assert_int_equal(st.outliers_high, 0);
}

static void test_stats_even_median(void **state)
{
    const uint64_t s[] = {4, 1, 3, 2};
    bench_stats_t st;

    assert_int_equal(bench_stats_compute(s, 4, &st), 0);
    assert_near(st.median, 2.5, 1e-12);
    assert_near(st.mean, 2.5, 1e-12);
    assert_near(st.stddev, 1.2909944487358056, 1e-12);
    /* The samples are left as they were. */
    assert_int_equal(s[0], 4);
    assert_int_equal(s[1], 1);
}

static void test_stats_single_sample(void **state)
{
    const uint64_t s[] = {123456789};
    bench_stats_t st;

    assert_int_equal(bench_stats_compute(s, 1, &st), 0);
    assert_int_equal(st.min, 123456789);
    assert_int_equal(st.max, 123456789);
    assert_near(st.median, 123456789.0, 1e-6);
    assert_near(st.stddev, 0.0, 0.0);
    assert_near(st.cv, 0.0, 0.0);
    assert_false(st.has_ci); /* no spread, no interval */
    assert_int_equal(st.outliers_low + st.outliers_high, 0);
}

static void test_stats_two_samples_ci(void **state)
{
    const uint64_t s[] = {20, 10};
    bench_stats_t st;

    assert_int_equal(bench_stats_compute(s, 2, &st), 0);
    /* mean 15, s = sqrt(50), s / sqrt(2) = 5, t(0.975, 1) = 12.706204736 */
    assert_near(st.stddev, 7.0710678118654755, 1e-12);
    assert_true(st.has_ci);
    assert_near(st.ci95_low, 15.0 - 5.0 * 12.706204736, 1e-9);
    assert_near(st.ci95_high, 15.0 + 5.0 * 12.706204736, 1e-9);
}

static void test_stats_quartiles_interpolate(void **state)
{
    const uint64_t s[] = {40, 10, 30, 20};
    bench_stats_t st;

    assert_int_equal(bench_stats_compute(s, 4, &st), 0);
    /* rank 3 * 0.25 = 0.75: 10 + 0.75 * 10; rank 3 * 0.75 = 2.25: 30 + 0.25 * 10 */
    assert_near(st.q1, 17.5, 1e-12);
    assert_near(st.q3, 32.5, 1e-12);
}

static void test_stats_tukey_outliers(void **state)
{
    const uint64_t high[] = {100, 200, 101, 102, 103};
    const uint64_t low[] = {103, 102, 1, 101, 100};
    const uint64_t three[] = {1, 2, 1000};
    bench_stats_t st;

    /* q1 101, q3 103, IQR 2: fences 98 and 106; 200 is above */
    assert_int_equal(bench_stats_compute(high, 5, &st), 0);
    assert_int_equal(st.outliers_low, 0);
    assert_int_equal(st.outliers_high, 1);
    /* mean 121.2, s = 44.064725121, cv = 0.363570339 */
    assert_near(st.cv, 0.363570339283181, 1e-9);
    /* q1 100, q3 102: fences 97 and 105; 1 is below */
    assert_int_equal(bench_stats_compute(low, 5, &st), 0);
    assert_int_equal(st.outliers_low, 1);
    assert_int_equal(st.outliers_high, 0);
    /* three samples: too few for quartiles to judge */
    assert_int_equal(bench_stats_compute(three, 3, &st), 0);
    assert_int_equal(st.outliers_low + st.outliers_high, 0);
}

static void test_stats_t_quantiles(void **state)
{
    /* Student t 0.975 quantiles (tables; df > 30 checked against numeric
     * integration of the density to 1e-9). */
    assert_near(bench_stats_t975(0), 0.0, 0.0);
    assert_near(bench_stats_t975(1), 12.706204736, 1e-9);
    assert_near(bench_stats_t975(4), 2.776445105, 1e-9);
    assert_near(bench_stats_t975(30), 2.042272456, 1e-9);
    assert_near(bench_stats_t975(31), 2.039513446, 1e-5);
    assert_near(bench_stats_t975(40), 2.021075390, 1e-5);
    assert_near(bench_stats_t975(120), 1.979930405, 1e-5);
    assert_near(bench_stats_t975(1000), 1.962339081, 1e-5);
    assert_near(bench_stats_t975(100000000), 1.959963985, 1e-6);
}

static void test_stats_large_values_keep_precision(void **state)
{
    /* Nanosecond wall times of a minute: 6e10 plus small deviations. */
    const uint64_t base = 60000000000ull;
    const uint64_t s[] = {base + 1, base + 2, base + 3};
    bench_stats_t st;

    assert_int_equal(bench_stats_compute(s, 3, &st), 0);
    assert_near(st.mean, (double)(base + 2), 1e-3);
    assert_near(st.stddev, 1.0, 1e-6);
}

static void test_stats_empty_is_einval(void **state)
{
    bench_stats_t st;

    assert_int_equal(bench_stats_compute(NULL, 0, &st), JF_EINVAL);
    assert_int_equal(st.n, 0);
}

static void test_stats_median_index(void **state)
{
    const uint64_t odd[] = {30, 10, 20};
    const uint64_t even[] = {40, 10, 30, 20};
    const uint64_t ties[] = {5, 5, 5};

    assert_int_equal(bench_stats_median_index(odd, 3), 2);
    assert_int_equal(bench_stats_median_index(even, 4), 3); /* 20: the lower middle */
    assert_int_equal(bench_stats_median_index(ties, 3), 1);
    assert_int_equal(bench_stats_median_index(odd, 1), 0);
    assert_int_equal(bench_stats_median_index(NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_odd_median),
        cmocka_unit_test(test_stats_even_median),
        cmocka_unit_test(test_stats_single_sample),
        cmocka_unit_test(test_stats_two_samples_ci),
        cmocka_unit_test(test_stats_quartiles_interpolate),
        cmocka_unit_test(test_stats_tukey_outliers),
        cmocka_unit_test(test_stats_t_quantiles),
        cmocka_unit_test(test_stats_large_values_keep_precision),
        cmocka_unit_test(test_stats_empty_is_einval),
        cmocka_unit_test(test_stats_median_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
