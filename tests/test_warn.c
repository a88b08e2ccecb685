/* test_warn.c - the warnings a run gives about figures that may not be trustworthy. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/warn.h"

static const uint64_t samples[] = {10000000, 10000000, 10000000};

static void fill(bench_strategy_run_t *r, bench_strategy_t s, double efficiency)
{
    memset(r, 0, sizeof *r);
    r->strategy = s;
    r->repeats = 3;
    assert_int_equal(bench_stats_compute(samples, 3, &r->wall), 0);
    r->efficiency = efficiency;
}

/* How many of the warnings name `what`. */
static size_t count(const bench_warnings_t *w, const char *what)
{
    size_t n = 0;

    for (size_t i = 0; i < w->n; i++)
        n += strstr(w->msg[i], what) != NULL;
    return n;
}

/* Over 100% as shown (119.5%) warns with the likely reason; 100.0% as
 * shown (1.0004) and below do not. */
static void test_warn_efficiency_over_one(void **state)
{
    bench_warnings_t w = {0};
    bench_run_set_t set;
    (void)state;

    memset(&set, 0, sizeof set);
    set.n = 4;
    fill(&set.runs[0], BENCH_SINGLE, 0.97);
    fill(&set.runs[1], BENCH_PER_STAGE, 1.195);
    fill(&set.runs[2], BENCH_SCHEDULED, 1.0004);
    fill(&set.runs[3], BENCH_N_PER_STAGE, NAN);
    bench_warnings_check_set(&w, &set);
    assert_int_equal(w.n, 1);
    assert_non_null(strstr(w.msg[0], "per-stage: efficiency 119.5% is over 100%"));
    assert_non_null(strstr(w.msg[0], "private caches"));
    assert_int_equal(count(&w, "efficiency"), 1);
    bench_warnings_fini(&w);
}

/* Counts agree with their nouns: "1 of 5 repetitions is an outlier",
 * "the 1 core of this machine". */
static void test_warn_singular_counts(void **state)
{
    static const uint64_t odd[] = {10000000, 10000000, 10000000, 10000000, 30000000};
    bench_warnings_t w = {0};
    bench_run_set_t set;
    (void)state;

    memset(&set, 0, sizeof set);
    set.n = 1;
    fill(&set.runs[0], BENCH_SINGLE, 0.5);
    assert_int_equal(bench_stats_compute(odd, 5, &set.runs[0].wall), 0);
    bench_warnings_check_set(&w, &set);
    assert_int_equal(count(&w, "single: 1 of 5 repetitions is an outlier ("), 1);
    bench_warnings_check_cores(&w, 2, 1);
    assert_int_equal(count(&w, "--cores 2 exceeds the 1 core of this machine"), 1);
    bench_warnings_fini(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warn_efficiency_over_one),
        cmocka_unit_test(test_warn_singular_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
