/* test_stats.c - harness statistics on samples with known answers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/jf_error.h"
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
    jf_stats_t st;

    assert_int_equal(jf_stats_compute(s, 5, &st), 0);
    assert_int_equal(st.n, 5);
    assert_int_equal(st.min, 10);
    assert_int_equal(st.max, 50);
    assert_near(st.median, 30.0, 1e-9);
    assert_near(st.mean, 30.0, 1e-9);
    /* deviations -20 -10 0 10 20: sum of squares 1000, / (n - 1) = 250 */
    assert_near(st.stddev, 15.811388300841896, 1e-9);
}

static void test_stats_even_median(void **state)
{
    const uint64_t s[] = {4, 1, 3, 2};
    jf_stats_t st;

    assert_int_equal(jf_stats_compute(s, 4, &st), 0);
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
    jf_stats_t st;

    assert_int_equal(jf_stats_compute(s, 1, &st), 0);
    assert_int_equal(st.min, 123456789);
    assert_int_equal(st.max, 123456789);
    assert_near(st.median, 123456789.0, 1e-6);
    assert_near(st.stddev, 0.0, 0.0);
}

static void test_stats_large_values_keep_precision(void **state)
{
    /* Nanosecond wall times of a minute: 6e10 plus small deviations. */
    const uint64_t base = 60000000000ull;
    const uint64_t s[] = {base + 1, base + 2, base + 3};
    jf_stats_t st;

    assert_int_equal(jf_stats_compute(s, 3, &st), 0);
    assert_near(st.mean, (double)(base + 2), 1e-3);
    assert_near(st.stddev, 1.0, 1e-6);
}

static void test_stats_empty_is_einval(void **state)
{
    jf_stats_t st;

    assert_int_equal(jf_stats_compute(NULL, 0, &st), JF_EINVAL);
    assert_int_equal(st.n, 0);
}

static void test_stats_median_index(void **state)
{
    const uint64_t odd[] = {30, 10, 20};
    const uint64_t even[] = {40, 10, 30, 20};
    const uint64_t ties[] = {5, 5, 5};

    assert_int_equal(jf_stats_median_index(odd, 3), 2);
    assert_int_equal(jf_stats_median_index(even, 4), 3); /* 20: the lower middle */
    assert_int_equal(jf_stats_median_index(ties, 3), 1);
    assert_int_equal(jf_stats_median_index(odd, 1), 0);
    assert_int_equal(jf_stats_median_index(NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_odd_median),
        cmocka_unit_test(test_stats_even_median),
        cmocka_unit_test(test_stats_single_sample),
        cmocka_unit_test(test_stats_large_values_keep_precision),
        cmocka_unit_test(test_stats_empty_is_einval),
        cmocka_unit_test(test_stats_median_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
