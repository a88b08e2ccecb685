/* test_sim_costs.c - the simulator's shared costs: the service mean's
 * publication, batch sizes, lines that many cores write, the end groups
 * and the sink's serial part. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/options.h"
#include "core/sim_internal.h"
#include "jefferson/error.h"
#include "sim_fixture.h"

/* A worker publishes its own mean of a stage's service time only when it
 * has drifted from the published one by more than the run's drift, or
 * when none is published yet. The drift is JF_SERVICE_DRIFT up to 64
 * workers and grows with them to JF_SERVICE_DRIFT_MAX at 256. */
static void test_service_drift_rule(void **state)
{
    (void)state;
    for (unsigned workers = 1; workers <= 1024; workers *= 2) {
        double d = jf__service_drift(workers);
        assert_true(d >= JF_SERVICE_DRIFT && d <= JF_SERVICE_DRIFT_MAX);
        assert_true(jf__service_drifted(0, 100, d));
        assert_false(jf__service_drifted(1000, 1000, d));
        assert_false(jf__service_drifted(1000, 1000 * (1 + d * 0.9), d));
        assert_false(jf__service_drifted(1000, 1000 * (1 - d * 0.9), d));
        assert_true(jf__service_drifted(1000, 1000 * (1 + d * 1.1), d));
        assert_true(jf__service_drifted(1000, 1000 * (1 - d * 1.1), d));
    }
    assert_true(jf__service_drift(2) == JF_SERVICE_DRIFT);
    assert_true(jf__service_drift(64) == JF_SERVICE_DRIFT);
    assert_true(jf__service_drift(128) > JF_SERVICE_DRIFT);
    assert_true(jf__service_drift(256) == JF_SERVICE_DRIFT_MAX);
    assert_true(jf__service_drift(1024) == JF_SERVICE_DRIFT_MAX);
}

/* What decisions see of a stage's service time (traced with each QDEPTH)
 * is published by the workers that ran it: at the end of a run on stages
 * of constant cost, with a core per worker, it is within the drift of the
 * cost. (Before a stage is measured, decisions see a stand-in.) */
static void test_sim_service_mean_is_published(void **state)
{
    static const double ns[] = {1000, 3000, 500};
    fixture_t f;
    jf_run_result_t r;
    const jf_event_t *last[3] = {NULL, NULL, NULL};
    (void)state;

    fixture_init(&f, 3, ns, 20000);
    with_default_overheads(&f);
    run_traced(&f, &r, JF_STRATEGY_SCHEDULED, 8);
    for (size_t l = 0; l < r.trace->nlanes; l++)
        for (size_t e = 0; e < r.trace->lanes[l].count; e++) {
            const jf_event_t *ev = &r.trace->lanes[l].events[e];
            if (ev->kind != JF_EV_QDEPTH)
                continue;
            assert_true(ev->stage < 3);
            if (last[ev->stage] == NULL || ev->t_ns >= last[ev->stage]->t_ns)
                last[ev->stage] = ev;
        }
    for (size_t st = 0; st < 3; st++) {
        assert_non_null(last[st]);
        assert_true(fabs(last[st]->value - ns[st]) <= ns[st] * JF_SERVICE_DRIFT);
    }
    jf_run_result_fini(&r);
}

/* The engine's batch rule (jf__batch_for): a stage of 100 ns items takes
 * batches of up to batch_max, one of 4 us items stays at the least batch. */
static void test_sim_adaptive_batches(void **state)
{
    const double ns[] = {100, 4000};
    fixture_t f;
    jf_run_result_t r;
    uint32_t most[2] = {0, 0};
    (void)state;

    fixture_init(&f, 2, ns, 5000);
    with_default_overheads(&f);
    f.opt.strategy = JF_STRATEGY_PER_STAGE;
    f.opt.cores = 2;
    f.opt.trace = true;
    f.opt.batch_max = 64;
    assert_int_equal(run(&f, &r), 0);
    check_complete(&r, 5000);
    for (size_t l = 0; l < r.trace->nlanes; l++)
        for (size_t e = 0; e < r.trace->lanes[l].count; e++) {
            const jf_event_t *ev = &r.trace->lanes[l].events[e];
            if (ev->kind == JF_EV_BATCH_BEGIN && ev->count > most[ev->stage])
                most[ev->stage] = ev->count;
        }
    assert_int_equal(most[0], 64);
    assert_int_equal(most[1], JF_DEFAULT_BATCH);
    jf_run_result_fini(&r);
}

/* What the one-stage runs below set of the model: the lines and the
 * sink's serial part; every other overhead is 0. */
typedef struct shared_costs {
    double line_ns, sink_batch_ns, sink_item_ns;
} shared_costs_t;

/* n-per-stage, `cores` workers on one 100 ns stage, batches of `batch`
 * items: the run's wall, and its summed sink time in *sink_ns. */
static uint64_t one_stage(unsigned cores, unsigned batch, uint64_t items, shared_costs_t c,
                          uint64_t *sink_ns)
{
    static const double tiny[] = {100};
    fixture_t f;
    jf_run_result_t r;

    fixture_init(&f, 1, tiny, items);
    f.opt.strategy = JF_STRATEGY_N_PER_STAGE;
    f.opt.cores = cores;
    f.opt.batch = batch;
    f.opt.batch_max = batch;
    f.sim.line_ns = c.line_ns;
    f.sim.sink_batch_ns = c.sink_batch_ns;
    f.sim.sink_item_ns = c.sink_item_ns;
    assert_int_equal(run(&f, &r), 0);
    check_complete(&r, items);
    uint64_t wall = r.wall_ns;
    *sink_ns = r.sink_ns;
    jf_run_result_fini(&r);
    return wall;
}

/* The same, batches of one item, with lines of line_ns and a free sink. */
static uint64_t wall_of_one_stage(unsigned cores, double line_ns, uint64_t items)
{
    uint64_t sink_ns;

    return one_stage(cores, 1, items, (shared_costs_t){line_ns, 0, 0}, &sink_ns);
}

/* A line that every worker writes serves one transfer at a time: 63
 * workers on one stage run 63 kernels of 100 ns per 100 ns without it,
 * but the source's claim counter and the sink are written once per batch
 * of one item by every worker (below 64 workers: jf__end_batches is 1, no
 * end groups), so with line_ns the run lasts at least line_ns per item,
 * and longer lines make it longer. line_ns 0 is the model without lines,
 * and one core owns every line: nothing travels. */
static void test_sim_shared_lines_serialise_many_workers(void **state)
{
    const uint64_t items = 50000;
    (void)state;

    assert_int_equal(jf__end_batches(63), 1);
    assert_int_equal(jf__end_groups(63), 0);
    uint64_t free_lines = wall_of_one_stage(63, 0, items);
    assert_true(rel_err((double)free_lines, (double)items * 100 / 63) < 0.02);
    uint64_t short_lines = wall_of_one_stage(63, 20, items);
    uint64_t long_lines = wall_of_one_stage(63, 40, items);
    assert_true(short_lines >= items * 20);
    assert_true(long_lines >= items * 40);
    assert_true(long_lines > short_lines + items * 15);
    assert_int_equal(wall_of_one_stage(1, 40, items / 10), wall_of_one_stage(1, 0, items / 10));
}

/* From JF_END_GROUP_WORKERS workers the ends are shared in end groups of
 * JF_END_GROUP: a member takes its batch from its group's positions and
 * hands it over through its group, one line per group, so the groups'
 * lines serve one transfer at a time each but the groups go in parallel,
 * and the claim counter and the sink are written once per group's turn.
 * Each group's lines still bound it (a transfer per item of its share for
 * one of them at least, as the same member may take twice in a row: half
 * of that is asserted), and the run is far shorter than that of one
 * worker fewer, without groups, whose workers all write the two ends. */
static void test_sim_end_groups_share_the_lines(void **state)
{
    const uint64_t items = 50000;
    const unsigned n = JF_END_GROUP_WORKERS;
    (void)state;

    assert_int_equal(jf__end_groups(n - 1), 0);
    assert_int_equal(jf__end_groups(n), (n + JF_END_GROUP - 1) / JF_END_GROUP);
    assert_true(jf__group_claims(jf__end_groups(n), n, n));
    assert_false(jf__group_claims(jf__end_groups(n), n, n - 1)); /* more workers than cores */
    uint64_t alone = wall_of_one_stage(n - 1, 40, items);
    uint64_t grouped = wall_of_one_stage(n, 40, items);
    print_message("%u workers, lines of 40 ns: %.3f ms; %u in groups: %.3f ms\n", n - 1,
                  alone / 1e6, n, grouped / 1e6);
    assert_true(grouped >= items * 40 / (2 * jf__end_groups(n)));
    assert_true(grouped < alone / 2);
}

/* 64 workers, batches of 4, lines free, and a sink whose serial part
 * takes batch_ns per hand-over plus item_ns per item. */
static uint64_t wall_with_sink(double batch_ns, double item_ns, uint64_t items,
                               uint64_t *sink_ns)
{
    return one_stage(64, 4, items, (shared_costs_t){0, batch_ns, item_ns}, sink_ns);
}

/* The sink's serial part is one worker's at a time: however many workers
 * run the stage, the run lasts at least the sum of the hand-overs' serial
 * parts, and the result reports that sum. Free (0), the run is the
 * kernels' on 64 cores. */
static void test_sim_sink_serialises_hand_overs(void **state)
{
    const uint64_t items = 40000;
    uint64_t none, per_item, per_batch;
    (void)state;

    uint64_t free_wall = wall_with_sink(0, 0, items, &none);
    assert_int_equal(none, 0);
    assert_true(rel_err((double)free_wall, (double)items * 100 / 64) < 0.05);
    uint64_t item_wall = wall_with_sink(0, 10, items, &per_item);
    assert_true(rel_err((double)per_item, (double)items * 10) < 0.01);
    assert_true(item_wall >= items * 10);
    assert_true(item_wall > 6 * free_wall);
    /* Batches of 4, up to jf__end_batches(64) = 2 of them a hand-over
     * (64 workers: no end groups). */
    assert_int_equal(jf__end_groups(64), 0);
    uint64_t batch_wall = wall_with_sink(80, 0, items, &per_batch);
    assert_true(per_batch >= items / 8 * 80 && per_batch <= items / 4 * 80);
    assert_true(batch_wall >= per_batch);
}

/* How many batches a claim and a hand-over to the sink take: one up to 63
 * workers, one more per 64, at most JF_END_BATCHES_MAX. */
static void test_end_batches_rule(void **state)
{
    (void)state;
    assert_int_equal(jf__end_batches(1), 1);
    assert_int_equal(jf__end_batches(63), 1);
    assert_int_equal(jf__end_batches(64), 2);
    assert_int_equal(jf__end_batches(255), 4);
    assert_int_equal(jf__end_batches(1024), JF_END_BATCHES_MAX);
}

/* An end group claims one batch, or one for each member after a
 * contended claim (at most the members' share of the window), with no
 * limit on a member's take. Near the end, at most half a group's share of
 * what is left, in whole batches: the claims shrink as the run drains,
 * never more as fewer positions are left, and the groups together never
 * ask for more than half of what is left beyond a batch each. Once an
 * equal share among the members is less than a batch, what is left is
 * dealt out: each member takes that share (at least one item), the group
 * claims one per member, and the shares only shrink from there. */
static void test_group_claim_size_rule(void **state)
{
    const uint64_t want = 50, end_items = 1000, far = 100000000;
    const unsigned groups = 64;
    const uint64_t members = (uint64_t)groups * JF_END_GROUP;
    uint64_t take;
    (void)state;

    assert_int_equal(jf__group_claim_size(want, false, end_items, far, groups, &take), want);
    assert_int_equal(take, UINT64_MAX);
    assert_int_equal(jf__group_claim_size(want, true, end_items, far, groups, &take),
                     want * JF_END_GROUP);
    assert_int_equal(jf__group_claim_size(want, true, 1, far, groups, &take), want); /* window */
    uint64_t last = want * JF_END_GROUP, last_take = UINT64_MAX;
    for (uint64_t left = 4 * members * want; left > 0; left = left * 7 / 8) {
        uint64_t ask = jf__group_claim_size(want, true, end_items, left, groups, &take);
        assert_true(take <= last_take);
        if (take == last_take) /* within a regime, never more */
            assert_true(ask <= last || take != UINT64_MAX);
        if (left >= members * want) { /* whole batches, no limit on a take */
            assert_int_equal(take, UINT64_MAX);
            assert_true(ask >= want && ask <= want * JF_END_GROUP);
            assert_int_equal(ask % want, 0);
            assert_true((ask - want) * groups <= left / 2);
        } else { /* a member's equal share */
            assert_int_equal(take, left / members > 0 ? left / members : 1);
            assert_int_equal(ask, take * JF_END_GROUP);
            assert_true(ask * groups <= left + members); /* what is left, dealt out */
        }
        last = ask;
        last_take = take;
    }
}

/* Scheduled workers start placed at stage 0 (pipeline.c): 1 024 of them,
 * lines of 200 ns, begin their first batches long before 1 024 transfers
 * of one line would let the last one go (~205 us). */
static void test_sim_workers_start_placed(void **state)
{
    static const double ns[] = {2000, 1000};
    const unsigned n = 1024;
    fixture_t f;
    jf_run_result_t r;
    uint64_t latest = 0;
    (void)state;

    fixture_init(&f, 2, ns, 40000);
    with_default_overheads(&f);
    f.sim.line_ns = 200;
    run_traced(&f, &r, JF_STRATEGY_SCHEDULED, n);
    assert_int_equal(r.trace->nlanes, n);
    for (size_t l = 0; l < n; l++) {
        const jf_trace_lane_t *lane = &r.trace->lanes[l];
        size_t e = 0;
        while (e < lane->count && lane->events[e].kind != JF_EV_BATCH_BEGIN)
            e++;
        assert_true(e < lane->count);
        if (lane->events[e].t_ns > latest)
            latest = lane->events[e].t_ns;
    }
    print_message("%u workers: the last first batch began at %.1f us\n", n, latest / 1e3);
    assert_true(latest < n * 200 / 4); /* 208 us when each first decision placed its worker */
    jf_run_result_fini(&r);
}

/* A line's transfers are served in order of the time they are asked
 * for, not of the model's events: a worker that owes 1 us books the line
 * for then, and one that asks now is served now, not after that booking;
 * one that asks while the booking is under way waits for it. The line is
 * left with the latest booker. */
static void test_sim_line_serves_in_order_of_time(void **state)
{
    jf__sim_t s;
    jf__sim_worker_t a, later, now, during;
    jf__sim_line_t l;
    (void)state;

    memset(&s, 0, sizeof s);
    memset(&a, 0, sizeof a);
    s.cm.line_ns = 100;
    jf__sim_line_init(&l);
    later = now = during = a;
    a.core = 0;
    later.core = 1;
    now.core = 2;
    during.core = 3;
    assert_false(jf__sim_line_write(&s, &a, &l)); /* never written: it is a's */
    assert_true(a.owed == 0);
    later.owed = 1000;
    assert_false(jf__sim_line_write(&s, &later, &l)); /* travels 1000..1100 */
    assert_true(later.owed == 1100);
    assert_false(jf__sim_line_write(&s, &now, &l)); /* 0..100, before the booking */
    assert_true(now.owed == 100);
    during.owed = 1050;
    assert_true(jf__sim_line_write(&s, &during, &l)); /* waits for 1100, then 1100..1200 */
    assert_true(during.owed == 1200);
    assert_int_equal(l.writer, 3);
    s.now = 5000; /* every booking is over: the owner writes for nothing */
    during.owed = 0;
    assert_false(jf__sim_line_write(&s, &during, &l));
    assert_true(during.owed == 0);
}

/* The run is over when the last item is out (sink.c, jf__run_complete),
 * and a worker that carries its batch on leaves the done check of the
 * stage behind it to later (options.h, jf__check_deferred): 512 workers on 8
 * stages, lines of 200 ns. A done check reads the other 511 workers'
 * lines, ~6.6 us; the last items, claimed in the last batch of stage 0,
 * are out 46 us later, where with a check at each of the 7 stages on
 * their way it took 84 us. */
static void test_sim_run_ends_with_the_last_item(void **state)
{
    static const double ns[] = {300, 300, 300, 300, 300, 300, 300, 300};
    fixture_t f;
    jf_run_result_t r;
    uint64_t last_end = 0; /* the last batch of stage 0 began */
    (void)state;

    fixture_init(&f, 8, ns, 100000);
    with_default_overheads(&f);
    f.sim.line_ns = 200;
    run_traced(&f, &r, JF_STRATEGY_SCHEDULED, 512);
    for (size_t l = 0; l < r.trace->nlanes; l++)
        for (size_t e = 0; e < r.trace->lanes[l].count; e++) {
            const jf_event_t *ev = &r.trace->lanes[l].events[e];
            if (ev->kind == JF_EV_BATCH_BEGIN && ev->stage == 0 && ev->t_ns > last_end)
                last_end = ev->t_ns;
        }
    print_message("last batch of stage 0 began at %.1f us, the run ended at %.1f us\n",
                  last_end / 1e3, r.wall_ns / 1e3);
    assert_true(r.wall_ns >= last_end);
    assert_true(r.wall_ns - last_end < 60000);
    jf_run_result_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_drift_rule),
        cmocka_unit_test(test_sim_service_mean_is_published),
        cmocka_unit_test(test_sim_adaptive_batches),
        cmocka_unit_test(test_sim_shared_lines_serialise_many_workers),
        cmocka_unit_test(test_sim_end_groups_share_the_lines),
        cmocka_unit_test(test_sim_sink_serialises_hand_overs),
        cmocka_unit_test(test_end_batches_rule),
        cmocka_unit_test(test_group_claim_size_rule),
        cmocka_unit_test(test_sim_workers_start_placed),
        cmocka_unit_test(test_sim_line_serves_in_order_of_time),
        cmocka_unit_test(test_sim_run_ends_with_the_last_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
