/* test_convergence.c - phase by phase convergence (harness/convergence.c) on traces built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/jf_alloc.h"
#include "harness/convergence.h"

#define LANES 4
#define CAP 128

static void add(jf_trace_lane_t *l, uint8_t kind, uint64_t t, unsigned stage, uint32_t count)
{
    assert_true(l->count < l->capacity);
    l->events[l->count++] =
        (jf_event_t){.t_ns = t, .count = count, .stage = (uint16_t)stage, .kind = kind};
}

static jf_trace_t *make_trace(void)
{
    jf_trace_t *t = jf_calloc(1, sizeof *t);

    assert_non_null(t);
    t->nlanes = LANES;
    t->lanes = jf_calloc(LANES, sizeof *t->lanes);
    t->nstages = 2;
    t->stage_names = jf_calloc(3, sizeof(char *));
    assert_non_null(t->lanes);
    for (size_t i = 0; i < LANES; i++) {
        t->lanes[i].events = jf_calloc(CAP, sizeof(jf_event_t));
        t->lanes[i].capacity = CAP;
    }
    t->wall_ns = 2500;
    return t;
}

/* Lane 0 runs stage 0's batches of 10 items, one every 100 ns, 20 of them. */
static void add_stage0_batches(jf_trace_t *t)
{
    for (uint64_t b = 0; b < 20; b++) {
        add(&t->lanes[0], JF_EV_BATCH_BEGIN, 100 * b, 0, 10);
        add(&t->lanes[0], JF_EV_BATCH_END, 100 * b + 90, 0, 10);
    }
}

/* Measures t against two stages of equal cost (shares 2 and 2), one
 * phase: the workload of the tests below. */
static void measure_equal_stages(const jf_trace_t *t, bench_convergence_t *c)
{
    workload_stage_t stages[2] = {{.name = "a", .ns = 1000}, {.name = "b", .ns = 1000}};
    workload_t w = {.name = "w", .items = 200, .nstages = 2, .stages = stages};
    size_t n = 0;

    assert_int_equal(bench_convergence_measure(t, &w, LANES, c, &n), 0);
    assert_int_equal(n, 1);
}

/* Four workers, two stages: a costs 3x b for items 0-99 (shares 3 and 1),
 * then b costs 3x a (shares 1 and 3). Lane 0 runs stage a's batches of 10
 * items every 100 ns (so item 100 enters at 1000 ns, the last batch at
 * 1900 ns); lanes 1 and 2 sit at a until they move to b at 1300 ns; lane 3
 * sits at b throughout. */
static void test_convergence_counts_batches_and_time_to_settle(void **state)
{
    workload_stage_t stages[2] = {{.name = "a", .ns = 3000}, {.name = "b", .ns = 1000}};
    workload_phase_set_t sets[2] = {{100, 0, 1000, 0}, {100, 1, 3000, 0}};
    workload_t w = {.name = "w", .items = 200, .nstages = 2, .stages = stages,
                       .nsets = 2, .sets = sets};
    jf_trace_t *t = make_trace();
    bench_convergence_t c[BENCH_CONVERGENCE_MAX];
    size_t n = 0;
    (void)state;

    add_stage0_batches(t);
    for (size_t i = 1; i <= 2; i++) {
        add(&t->lanes[i], JF_EV_DECIDE, 0, 0, JF_TRACE_NONE);
        add(&t->lanes[i], JF_EV_DECIDE, 1300, 1, 0); /* a move: from a to b */
    }
    add(&t->lanes[3], JF_EV_DECIDE, 0, 1, JF_TRACE_NONE);
    assert_int_equal(bench_convergence_measure(t, &w, LANES, c, &n), 0);
    assert_int_equal(n, 2);

    assert_int_equal(c[0].after_items, 0);
    assert_true(c[0].converged);
    assert_int_equal(c[0].ns, 0);
    assert_int_equal(c[0].batches, 0);
    assert_int_equal(c[0].end_ns, 1000);

    assert_int_equal(c[1].after_items, 100);
    assert_int_equal(c[1].at_ns, 1000);
    assert_int_equal(c[1].end_ns, 1900);
    assert_true(c[1].converged);
    assert_int_equal(c[1].ns, 300);
    assert_int_equal(c[1].batches, 3);   /* at 1000, 1100 and 1200 */
    assert_true(c[1].moves_per_s == 0);  /* the moves that settled it are not counted */
    assert_true(c[1].held == 1);
    /* By time shares: lane 0's 9 batches in the 900 ns window make a pass
     * of 2 x 400 ns, so the averages span 2 passes, capped at a quarter of
     * the window (225 ns); they are within one worker of 1 and 3 once
     * half of the span lies after the move at 1300. */
    assert_true(c[1].share_converged);
    assert_int_equal(c[1].share_span_ns, 225);
    assert_true(c[1].share_ns > 300 + 225 / 2 - 4 && c[1].share_ns < 300 + 225 / 2 + 8);
    assert_int_equal(c[1].share_batches, 5); /* at 1000 to 1400 */
    assert_true(c[1].share_moves_per_s == 0);
    jf_trace_destroy(t);
}

/* Workers that keep swinging between the stages never settle. */
static void test_convergence_oscillation_never_settles(void **state)
{
    jf_trace_t *t = make_trace();
    bench_convergence_t c[BENCH_CONVERGENCE_MAX];
    (void)state;

    add_stage0_batches(t);
    for (uint64_t b = 0; b < 20; b++) {
        for (size_t i = 1; i < LANES; i++) /* all three to a, then all three to b */
            add(&t->lanes[i], JF_EV_DECIDE, 100 * b + 10, b % 2 ? 1 : 0, b % 2 ? 0 : 1);
    }
    measure_equal_stages(t, c);
    assert_false(c[0].converged);
    assert_int_equal(c[0].ns, c[0].end_ns - c[0].at_ns);
    assert_true(c[0].late_gap >= 1.5); /* shares 2 and 2; counts 4/0 or 1/3 */
    /* Averaged over a span, a holds 2.5 workers and b 1.5: within one of
     * their shares, which is the capacity each stage had. */
    assert_true(c[0].share_converged);
    assert_true(c[0].share_late_gap > 0.4 && c[0].share_late_gap < 0.6);
    assert_true(c[0].share_moves_per_s > 2e7); /* three moves every 100 ns: 3e7 */
    jf_trace_destroy(t);
}

/* Workers that stay at the wrong stage settle by neither measure. */
static void test_convergence_stuck_allocation_never_settles(void **state)
{
    jf_trace_t *t = make_trace();
    bench_convergence_t c[BENCH_CONVERGENCE_MAX];
    (void)state;

    add_stage0_batches(t);
    for (size_t i = 1; i < LANES; i++)
        add(&t->lanes[i], JF_EV_DECIDE, 0, 0, JF_TRACE_NONE);
    measure_equal_stages(t, c);
    assert_false(c[0].converged);
    assert_false(c[0].share_converged);
    assert_int_equal(c[0].share_ns, c[0].end_ns - c[0].at_ns);
    assert_true(c[0].share_late_gap > 1.99 && c[0].share_late_gap < 2.01); /* 4/0 against 2/2 */
    jf_trace_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_convergence_counts_batches_and_time_to_settle),
        cmocka_unit_test(test_convergence_oscillation_never_settles),
        cmocka_unit_test(test_convergence_stuck_allocation_never_settles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
