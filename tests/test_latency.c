/* test_latency.c - the latency histogram reports percentiles within 1/32. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/latency.h"

/* Runs of equal values recorded at once (as the sink records the items of
 * one claim) give the histogram that recording them one by one gives;
 * a run of 0 records nothing. */
static void test_latency_runs_equal_one_by_one(void **state)
{
    static const uint64_t values[] = {0, 5, 31, 32, 1000, 1000, 77777, 1u << 30};
    static const uint64_t counts[] = {3, 1, 16, 256, 0, 40, 7, 2};
    jf__latency_t *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
    jf_latency_t sa, sb;
    (void)state;

    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        jf__latency_record_n(a, values[i], counts[i]);
        for (uint64_t k = 0; k < counts[i]; k++)
            jf__latency_record(b, values[i]);
    }
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->max, b->max);
    assert_memory_equal(a->buckets, b->buckets, sizeof a->buckets);
    assert_float_equal(a->sum, b->sum, 1e-9 * b->sum);
    jf__latency_summary(a, &sa);
    jf__latency_summary(b, &sb);
    assert_int_equal(sa.p50_ns, sb.p50_ns);
    assert_int_equal(sa.p99_ns, sb.p99_ns);
    free(a);
    free(b);
}

static void test_latency_empty_is_zero(void **state)
{
    jf__latency_t *h = calloc(1, sizeof(*h));
    jf_latency_t s;
    (void)state;

    jf__latency_summary(h, &s);
    assert_int_equal(s.p50_ns, 0);
    assert_int_equal(s.max_ns, 0);
    free(h);
}

/* Values 1..100000: the true p50 is 50000, p95 95000, p99 99000. Each
 * reported percentile is the top of its bucket: at or above the truth and
 * within 1/32 of it. */
static void test_latency_percentiles_within_bucket_error(void **state)
{
    jf__latency_t *h = calloc(1, sizeof(*h));
    jf_latency_t s;
    (void)state;

    for (uint64_t v = 1; v <= 100000; v++)
        jf__latency_record(h, v);
    jf__latency_summary(h, &s);
    assert_in_range(s.p50_ns, 50000, 50000 + 50000 / 32);
    assert_in_range(s.p95_ns, 95000, 95000 + 95000 / 32);
    assert_in_range(s.p99_ns, 99000, 99000 + 99000 / 32);
    assert_int_equal(s.max_ns, 100000);
    assert_float_equal(s.mean_ns, 50000.5, 1e-6);
    free(h);
}

/* Small values are exact; a single huge one is the max, never exceeded. */
static void test_latency_small_exact_and_huge_capped(void **state)
{
    jf__latency_t *h = calloc(1, sizeof(*h));
    jf_latency_t s;
    (void)state;

    for (int i = 0; i < 99; i++)
        jf__latency_record(h, 7);
    jf__latency_record(h, UINT64_MAX / 3);
    jf__latency_summary(h, &s);
    assert_int_equal(s.p50_ns, 7);
    assert_int_equal(s.p95_ns, 7);
    assert_int_equal(s.p99_ns, 7);
    assert_int_equal(s.max_ns, UINT64_MAX / 3);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latency_empty_is_zero),
        cmocka_unit_test(test_latency_runs_equal_one_by_one),
        cmocka_unit_test(test_latency_percentiles_within_bucket_error),
        cmocka_unit_test(test_latency_small_exact_and_huge_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
