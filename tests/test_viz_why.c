/* test_viz_why.c - where each worker's time went (viz/report_why.c), from traces built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/jf_alloc.h"
#include "jefferson/trace.h"
#include "viz/viz_internal.h"

#define CAP 32

static void add(jf_trace_lane_t *lane, uint8_t kind, uint64_t t, unsigned stage, double value)
{
    assert_true(lane->count < lane->capacity);
    lane->events[lane->count++] =
        (jf_event_t){.t_ns = t, .value = value, .count = 16, .stage = (uint16_t)stage, .kind = kind};
}

static jf_trace_t *one_lane(uint64_t wall_ns)
{
    jf_trace_t *t = jf_calloc(1, sizeof *t);

    assert_non_null(t);
    t->nlanes = 1;
    t->lanes = jf_calloc(1, sizeof *t->lanes);
    assert_non_null(t->lanes);
    t->lanes[0].events = jf_calloc(CAP, sizeof(jf_event_t));
    assert_non_null(t->lanes[0].events);
    t->lanes[0].capacity = CAP;
    t->lanes[0].core = -1;
    t->lanes[0].home_stage = -1;
    t->nstages = 2;
    t->stage_names = jf_calloc(t->nstages + 1, sizeof(char *)); /* unnamed stages */
    assert_non_null(t->stage_names);
    t->wall_ns = wall_ns;
    return t;
}

/* Decide at 100, batch at stage 0 from 150 to 250 (40 ns of CPU sampled),
 * parked 300-400, batch at stage 1 400-500 (not sampled); 1000 ns of wall,
 * 300 ns of thread CPU over the run. */
static void test_viz_why_splits_a_lane_exactly(void **state)
{
    jf_trace_t *t = one_lane(1000);
    jf_trace_lane_t *l = &t->lanes[0];
    jf__viz_split_t s;

    (void)state;
    add(l, JF_EV_DECIDE, 100, 0, 0);
    add(l, JF_EV_QDEPTH, 100, 0, 0);
    add(l, JF_EV_BATCH_BEGIN, 150, 0, 40);
    add(l, JF_EV_BATCH_END, 250, 0, 100);
    add(l, JF_EV_PARK, 300, 0, 0);
    add(l, JF_EV_UNPARK, 400, JF_TRACE_NONE, 0);
    add(l, JF_EV_BATCH_BEGIN, 400, 1, 0);
    add(l, JF_EV_BATCH_END, 500, 1, 100);
    l->cpu_ns = 300;
    assert_int_equal(jf__viz_time_split(t, 0, &s), 0);
    assert_true(s.stage_ns[0] == 100 && s.stage_ns[1] == 100 && s.stage_ns[2] == 0);
    assert_true(s.parked_ns == 100);
    assert_true(s.deciding_ns == 50);   /* decision to its batch */
    assert_true(s.waiting_ns == 650);   /* the rest of the wall */
    assert_true(s.off_cpu_ns == 600);   /* 900 ns awake, 300 on a CPU */
    assert_true(s.sampled_wall_ns == 100 && s.sampled_cpu_ns == 40);
    jf__viz_time_split_fini(&s);
    jf_trace_destroy(t);
}

/* A park between a decision and a batch ends the decision: the batch after
 * the park was not chosen by it. Unknown CPU time stays unknown. */
static void test_viz_why_park_ends_a_decision(void **state)
{
    jf_trace_t *t = one_lane(500);
    jf_trace_lane_t *l = &t->lanes[0];
    jf__viz_split_t s;

    (void)state;
    add(l, JF_EV_DECIDE, 10, 1, 0);
    add(l, JF_EV_PARK, 20, 1, 0);
    add(l, JF_EV_UNPARK, 220, JF_TRACE_NONE, 0);
    add(l, JF_EV_BATCH_BEGIN, 300, 1, 0);
    add(l, JF_EV_BATCH_END, 400, 1, 100);
    assert_int_equal(jf__viz_time_split(t, 0, &s), 0);
    assert_true(s.deciding_ns == 0);
    assert_true(s.parked_ns == 200 && s.stage_ns[1] == 100);
    assert_true(s.waiting_ns == 200);
    assert_true(s.off_cpu_ns < 0);
    assert_true(s.sampled_wall_ns == 0);
    jf__viz_time_split_fini(&s);
    jf_trace_destroy(t);
}

/* Parts that overlap (a batch begun before the previous ended, from a lost
 * END) never make waiting negative. */
static void test_viz_why_waiting_is_never_negative(void **state)
{
    jf_trace_t *t = one_lane(100);
    jf_trace_lane_t *l = &t->lanes[0];
    jf__viz_split_t s;

    (void)state;
    add(l, JF_EV_BATCH_BEGIN, 0, 0, 0);
    add(l, JF_EV_BATCH_END, 100, 0, 100);
    add(l, JF_EV_PARK, 50, 0, 0);
    add(l, JF_EV_UNPARK, 100, JF_TRACE_NONE, 0);
    l->cpu_ns = 500; /* more than the wall: off-CPU time is 0, not negative */
    assert_int_equal(jf__viz_time_split(t, 0, &s), 0);
    assert_true(s.waiting_ns == 0);
    assert_true(s.off_cpu_ns == 0);
    jf__viz_time_split_fini(&s);
    jf_trace_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_why_splits_a_lane_exactly),
        cmocka_unit_test(test_viz_why_park_ends_a_decision),
        cmocka_unit_test(test_viz_why_waiting_is_never_negative),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
