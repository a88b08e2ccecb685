/* test_policy.c - the policies on worked examples and against brute force. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jefferson/error.h"
#include "jefferson/policy.h"

static void view(jf_stage_view_t *v, double queue, double service, bool done)
{
    v->queue = queue;
    v->service_ns = service;
    v->done = done;
}

/* The example: A has 1 queued item, B has 2, service 1 each, two
 * workers. Sum-score: A=1,B=1 -> 1/2 + 2/2 = 1.5; A=0,B=2 -> 1 + 2/3 =
 * 1.67; A=2,B=0 -> 1/3 + 2 = 2.33. exhaustive picks A=1, B=1. */
static void test_policy_exhaustive_worked_example(void **state)
{
    jf_stage_view_t v[2];
    unsigned alloc[2];
    unsigned b[2] = {0, 2};
    double score;
    (void)state;

    view(&v[0], 1, 1, false);
    view(&v[1], 2, 1, false);
    assert_int_equal(jf_policy_allocate(JF_POLICY_EXHAUSTIVE, v, 2, 2, alloc, &score), 0);
    assert_int_equal(alloc[0], 1);
    assert_int_equal(alloc[1], 1);
    assert_float_equal(score, 1.5, 1e-9);
    assert_float_equal(jf_policy_score(v, 2, b), 1.0 + 2.0 / 3.0, 1e-9);
}

/* D'Hondt on the same example: quotients A 1/1, B 2/1 -> B; then A 1/1,
 * B 2/2 -> tie, to the earlier stage A. So A=1, B=1, last quotient 1. */
static void test_policy_dhondt_worked_example(void **state)
{
    jf_stage_view_t v[2];
    unsigned alloc[2];
    double q;
    (void)state;

    view(&v[0], 1, 1, false);
    view(&v[1], 2, 1, false);
    assert_int_equal(jf_policy_allocate(JF_POLICY_DHONDT, v, 2, 2, alloc, &q), 0);
    assert_int_equal(alloc[0], 1);
    assert_int_equal(alloc[1], 1);
    assert_float_equal(q, 1.0, 1e-9);
}

/* Where D'Hondt and the sum-score part ways: votes 10 and 3, three
 * workers. D'Hondt: 10, 5, then 10/3 = 3.33 > 3 -> A=3, B=0. Sum-score:
 * A=3,B=0 -> 2.5 + 3 = 5.5; A=2,B=1 -> 3.33 + 1.5 = 4.83 -> A=2, B=1. */
static void test_policy_dhondt_differs_from_sum_score(void **state)
{
    jf_stage_view_t v[2];
    unsigned d[2], e[2];
    (void)state;

    view(&v[0], 10, 1, false);
    view(&v[1], 3, 1, false);
    jf_policy_allocate(JF_POLICY_DHONDT, v, 2, 3, d, NULL);
    jf_policy_allocate(JF_POLICY_EXHAUSTIVE, v, 2, 3, e, NULL);
    assert_int_equal(d[0], 3);
    assert_int_equal(d[1], 0);
    assert_int_equal(e[0], 2);
    assert_int_equal(e[1], 1);
}

/* Sainte-Lague's divisors 1, 3, 5 favour the smaller party: votes 10 and
 * 3, three seats: 10 -> A, then 3.33 vs 3 -> A, then 2 vs 3 -> B. */
static void test_policy_sainte_lague_worked_example(void **state)
{
    jf_stage_view_t v[2];
    unsigned a[2];
    (void)state;

    view(&v[0], 10, 1, false);
    view(&v[1], 3, 1, false);
    jf_policy_allocate(JF_POLICY_SAINTE_LAGUE, v, 2, 3, a, NULL);
    assert_int_equal(a[0], 2);
    assert_int_equal(a[1], 1);
}

static void test_policy_done_stages_get_nobody(void **state)
{
    jf_stage_view_t v[3];
    unsigned alloc[3];
    double score = -1;
    (void)state;

    for (int p = 0; p < JF_POLICY_COUNT; p++) {
        view(&v[0], 100, 5, true);
        view(&v[1], 0, 1, false);
        view(&v[2], 0, 1, true);
        assert_int_equal(jf_policy_allocate((jf_policy_t)p, v, 3, 4, alloc, NULL), 0);
        assert_int_equal(alloc[0], 0);
        assert_int_equal(alloc[1], 4);
        assert_int_equal(alloc[2], 0);
        v[1].done = true;
        assert_int_equal(jf_policy_allocate((jf_policy_t)p, v, 3, 4, alloc, &score), 0);
        assert_int_equal(alloc[0] + alloc[1] + alloc[2], 0);
        assert_float_equal(score, 0, 0);
    }
}

static void test_policy_rejects_bad_arguments(void **state)
{
    jf_stage_view_t v[1];
    unsigned alloc[1];
    (void)state;

    view(&v[0], 1, 1, false);
    assert_int_equal(jf_policy_allocate(JF_POLICY_COUNT, v, 1, 1, alloc, NULL), JF_EINVAL);
    assert_int_equal(jf_policy_allocate(JF_POLICY_DHONDT, v, 0, 1, alloc, NULL), JF_EINVAL);
    assert_int_equal(jf_policy_parse("dhondt"), JF_POLICY_DHONDT);
    assert_int_equal(jf_policy_parse("exhaustive"), JF_POLICY_EXHAUSTIVE);
    assert_int_equal(jf_policy_parse("sainte-lague"), JF_POLICY_SAINTE_LAGUE);
    assert_int_equal(jf_policy_parse("lottery"), -1);
}

/* Prior: mean of the measured stages; the default when none is. */
static void test_policy_prior_for_unmeasured_stages(void **state)
{
    double none[3] = {-1, -1, -1};
    double some[3] = {100, -1, 300};
    (void)state;

    assert_float_equal(jf_policy_prior(none, 3), JF_POLICY_DEFAULT_PRIOR_NS, 0);
    assert_float_equal(jf_policy_prior(some, 3), 200, 1e-9);
}

/* pick: stay while the current stage still wants a worker; else the
 * largest shortfall with input, ties to the earlier stage; else none. */
static void test_policy_pick_stays_then_fills_shortfall(void **state)
{
    jf_stage_view_t v[3];
    unsigned alloc[3] = {1, 2, 2};
    unsigned others[3] = {0, 1, 0};
    (void)state;

    view(&v[0], 5, 1, false);
    view(&v[1], 5, 1, false);
    view(&v[2], 5, 1, false);
    assert_int_equal(jf_policy_pick(v, 3, alloc, others, 1), 1);  /* 1 still short */
    assert_int_equal(jf_policy_pick(v, 3, alloc, others, -1), 2); /* gap 2 beats 1 */
    v[2].queue = 0;
    assert_int_equal(jf_policy_pick(v, 3, alloc, others, -1), 0); /* tie 0/1 -> 0 */
    others[0] = 1;
    others[1] = 2;
    assert_int_equal(jf_policy_pick(v, 3, alloc, others, 0), -1); /* nobody short */
}

/* Adams: three stages with work and three workers: one each, whatever
 * the votes (D'Hondt gives the big stage all three: 100, 50, 33 > 10).
 * With a fourth worker the longest drain time, 100/1, gets it. Among
 * stages with no worker yet, the larger votes come first. */
static void test_policy_adams_serves_every_stage_first(void **state)
{
    jf_stage_view_t v[3];
    unsigned a[3], d[3];
    (void)state;

    view(&v[0], 100, 1, false);
    view(&v[1], 10, 1, false);
    view(&v[2], 5, 1, false);
    jf_policy_allocate(JF_POLICY_ADAMS, v, 3, 3, a, NULL);
    jf_policy_allocate(JF_POLICY_DHONDT, v, 3, 3, d, NULL);
    assert_int_equal(a[0], 1);
    assert_int_equal(a[1], 1);
    assert_int_equal(a[2], 1);
    assert_int_equal(d[0], 3);
    jf_policy_allocate(JF_POLICY_ADAMS, v, 3, 4, a, NULL);
    assert_int_equal(a[0], 2);
    jf_policy_allocate(JF_POLICY_ADAMS, v, 3, 2, a, NULL);
    assert_int_equal(a[0], 1);
    assert_int_equal(a[1], 1);
    assert_int_equal(a[2], 0);
    assert_int_equal(jf_policy_parse("adams"), JF_POLICY_ADAMS);
}

/* Found by tests/fuzz/fuzz_allocate: a stage with nothing queued and an
 * infinite mean (finite samples whose sum overflowed) has votes 0 * inf =
 * NaN, which used to hold the top of the seat heap and take every worker.
 * NaN votes count as 0; the prior of huge finite means stays finite. */
static void test_policy_nan_votes_count_as_zero(void **state)
{
    jf_stage_view_t v[2];
    unsigned alloc[2];
    double measured[2] = {1.5e308, 1.7e308}, score;
    (void)state;

    view(&v[0], 0, INFINITY, false);
    view(&v[1], 5, 1, false);
    for (int p = 0; p < JF_POLICY_COUNT; p++) {
        assert_int_equal(jf_policy_allocate((jf_policy_t)p, v, 2, 3, alloc, &score), 0);
        assert_int_equal(alloc[0], 0);
        assert_int_equal(alloc[1], 3);
        assert_false(isnan(score));
    }
    assert_float_equal(jf_policy_score(v, 2, alloc), 5.0 / 4.0, 1e-12);
    assert_true(isfinite(jf_policy_prior(measured, 2)));
    assert_float_equal(jf_policy_prior(measured, 2) / 1.6e308, 1.0, 1e-12);
}

/* Brute force: every way to place `left` workers on stages s.. (done
 * stages take none); keeps the lowest sum-score. */
static void brute(const jf_stage_view_t *v, size_t n, size_t s, unsigned left, unsigned *cur,
                  double *best)
{
    if (s == n) {
        if (left == 0) {
            double score = jf_policy_score(v, n, cur);
            if (score < *best)
                *best = score;
        }
        return;
    }
    unsigned max = v[s].done ? 0 : left;
    for (unsigned w = 0; w <= max; w++) {
        cur[s] = w;
        brute(v, n, s + 1, left - w, cur, best);
    }
    cur[s] = 0;
}

/* exhaustive hands out workers by marginal gain; it must reach the same
 * minimum as enumerating every configuration, on thousands of cases. */
static void test_policy_exhaustive_matches_brute_force(void **state)
{
    unsigned seed = 12345;
    (void)state;

    for (int trial = 0; trial < 3000; trial++) {
        size_t n = 1 + (size_t)(rand_r(&seed) % 5);
        unsigned workers = 1 + (unsigned)(rand_r(&seed) % 7);
        jf_stage_view_t v[5];
        unsigned alloc[5], cur[5] = {0};
        bool any_live = false;
        for (size_t s = 0; s < n; s++) {
            view(&v[s], rand_r(&seed) % 50, 1 + rand_r(&seed) % 1000,
                 rand_r(&seed) % 5 == 0);
            any_live |= !v[s].done;
        }
        double best = INFINITY, score;
        jf_policy_allocate(JF_POLICY_EXHAUSTIVE, v, n, workers, alloc, &score);
        if (!any_live) {
            assert_float_equal(score, 0, 0);
            continue;
        }
        brute(v, n, 0, workers, cur, &best);
        unsigned placed = 0;
        for (size_t s = 0; s < n; s++)
            placed += alloc[s];
        assert_int_equal(placed, workers);
        if (fabs(score - best) > 1e-9 * (1 + best))
            fail_msg("trial %d: greedy %.9f, brute force %.9f", trial, score, best);
    }
}

/* The reference: the greedy as jf_policy_allocate computed it before it
 * searched for the threshold: one seat at a time to the live stage with
 * the largest merit (the same expressions as jf_policy.c, so the same
 * doubles), ties to the earlier stage, by a scan. Returns the last seat's
 * merit, or the sum-score for exhaustive, as *score. */
static double ref_merit(jf_policy_t p, double votes, unsigned seats)
{
    switch (p) {
    case JF_POLICY_EXHAUSTIVE:
        return votes / ((seats + 1.0) * (seats + 2.0));
    case JF_POLICY_SAINTE_LAGUE:
        return votes / (2.0 * seats + 1.0);
    case JF_POLICY_ADAMS:
        return votes / (seats + 1e-9);
    default:
        return votes / (seats + 1.0);
    }
}

static double ref_greedy(jf_policy_t p, const jf_stage_view_t *v, size_t n, unsigned workers,
                         unsigned *alloc)
{
    double votes[JF_POLICY_MAX_STAGES], head[JF_POLICY_MAX_STAGES], last = 0;

    for (size_t s = 0; s < n; s++) {
        double x = v[s].queue * v[s].service_ns;
        votes[s] = isnan(x) ? 0.0 : x;
        head[s] = ref_merit(p, votes[s], 0);
        alloc[s] = 0;
    }
    for (unsigned w = 0; w < workers; w++) {
        long best = -1;
        for (size_t s = 0; s < n; s++)
            if (!v[s].done && (best < 0 || head[s] > head[best]))
                best = (long)s;
        if (best < 0)
            break;
        last = head[best];
        head[best] = ref_merit(p, votes[best], ++alloc[best]);
    }
    return p == JF_POLICY_EXHAUSTIVE ? jf_policy_score(v, n, alloc) : last;
}

/* One random stage; `kind` picks the flavour of the whole case: plain
 * votes, many exact ties, extremes (zero, NaN, infinite, huge, tiny). */
static void random_stage(jf_stage_view_t *v, unsigned *seed, int kind)
{
    static const double odd[] = {0,      INFINITY, 1e308, 1.7e308, 1e-310, 5e-324,
                                 1e-300, 3,        2.5,   1e300,   0.1,    7e15};
    unsigned r = (unsigned)rand_r(seed);

    v->done = r % 11 == 0;
    if (kind == 0) { /* the engine's range: queues 0..1000, 100 ns .. 10 us */
        v->queue = r % 8 == 0 ? 0 : 1 + rand_r(seed) % 1000;
        v->service_ns = 100 + rand_r(seed) % 9900 + (rand_r(seed) % 1000) / 1000.0;
    } else if (kind == 1) { /* few distinct votes: ties everywhere */
        v->queue = rand_r(seed) % 4;
        v->service_ns = 1 + rand_r(seed) % 3;
    } else {
        v->queue = odd[(size_t)rand_r(seed) % (sizeof odd / sizeof *odd)];
        v->service_ns = odd[(size_t)rand_r(seed) % (sizeof odd / sizeof *odd)];
    }
}

/* Allocation and score, bit for bit, against the reference. */
static void expect_same_as_greedy(jf_policy_t p, const jf_stage_view_t *v, size_t n,
                                  unsigned workers, int trial)
{
    unsigned got[JF_POLICY_MAX_STAGES], want[JF_POLICY_MAX_STAGES];
    double score = -1, want_score = ref_greedy(p, v, n, workers, want);

    assert_int_equal(jf_policy_allocate(p, v, n, workers, got, &score), 0);
    for (size_t s = 0; s < n; s++)
        if (got[s] != want[s])
            fail_msg("trial %d %s S=%zu W=%u: stage %zu gets %u, the greedy %u", trial,
                     jf_policy_name(p), n, workers, s, got[s], want[s]);
    if (memcmp(&score, &want_score, sizeof score) != 0)
        fail_msg("trial %d %s S=%zu W=%u: score %a, the greedy %a", trial, jf_policy_name(p), n,
                 workers, score, want_score);
}

static unsigned random_workers(unsigned *seed, size_t n)
{
    switch (rand_r(seed) % 6) {
    case 0:
        return (unsigned)(rand_r(seed) % 3);      /* 0, 1, 2 */
    case 1:
        return (unsigned)(rand_r(seed) % (n + 1)); /* within the stage count */
    case 2:
        return (unsigned)(n + rand_r(seed) % 8);  /* just above it */
    case 3:
        return 1024;
    default:
        return (unsigned)(rand_r(seed) % 5000);
    }
}

/* The threshold search gives exactly the greedy's allocation and score:
 * every policy, 1..64 stages, 0..5000 workers, ties, zero, NaN,
 * infinite, overflowing and subnormal votes, done stages. */
static void test_policy_allocation_matches_seat_by_seat_greedy(void **state)
{
    unsigned seed = 20261207;
    jf_stage_view_t v[JF_POLICY_MAX_STAGES];
    (void)state;

    for (int trial = 0; trial < 6000; trial++) {
        size_t n = trial < 64 ? (size_t)trial + 1 : 1 + (size_t)(rand_r(&seed) % 64);
        int kind = trial % 3;
        for (size_t s = 0; s < n; s++)
            random_stage(&v[s], &seed, kind);
        unsigned workers = random_workers(&seed, n);
        for (int p = 0; p < JF_POLICY_COUNT; p++)
            expect_same_as_greedy((jf_policy_t)p, v, n, workers, trial);
    }
}

/* Long runs of equal merits with many workers: every stage without
 * votes (all seats tie at 0, so the first live stage takes them), one
 * infinite stage among finite ones, and equal votes everywhere. */
static void test_policy_allocation_matches_greedy_on_long_ties(void **state)
{
    jf_stage_view_t v[JF_POLICY_MAX_STAGES];
    static const unsigned workers[] = {1, 63, 64, 65, 1000, 100000};
    (void)state;

    for (size_t k = 0; k < sizeof workers / sizeof *workers; k++) {
        for (int p = 0; p < JF_POLICY_COUNT; p++) {
            for (size_t s = 0; s < 64; s++)
                view(&v[s], 0, 100, s == 0);
            expect_same_as_greedy((jf_policy_t)p, v, 64, workers[k], (int)k);
            view(&v[7], 3, INFINITY, false);
            view(&v[9], 5, 10, false);
            view(&v[20], 4, INFINITY, false);
            expect_same_as_greedy((jf_policy_t)p, v, 64, workers[k], (int)k);
            for (size_t s = 0; s < 64; s++)
                view(&v[s], 6, 1, false);
            expect_same_as_greedy((jf_policy_t)p, v, 64, workers[k], (int)k);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_exhaustive_worked_example),
        cmocka_unit_test(test_policy_dhondt_worked_example),
        cmocka_unit_test(test_policy_dhondt_differs_from_sum_score),
        cmocka_unit_test(test_policy_sainte_lague_worked_example),
        cmocka_unit_test(test_policy_done_stages_get_nobody),
        cmocka_unit_test(test_policy_rejects_bad_arguments),
        cmocka_unit_test(test_policy_prior_for_unmeasured_stages),
        cmocka_unit_test(test_policy_exhaustive_matches_brute_force),
        cmocka_unit_test(test_policy_nan_votes_count_as_zero),
        cmocka_unit_test(test_policy_pick_stays_then_fills_shortfall),
        cmocka_unit_test(test_policy_adams_serves_every_stage_first),
        cmocka_unit_test(test_policy_allocation_matches_seat_by_seat_greedy),
        cmocka_unit_test(test_policy_allocation_matches_greedy_on_long_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
