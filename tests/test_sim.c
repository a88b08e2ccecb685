/* test_sim.c - the simulator: every item in order, determinism, analytic cases, limits. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "core/jf_sim.h"
#include "core/options.h"
#include "trace_checks.h"

#include "sim_fixture.h"

/* Every strategy x cores 1..4 x batch 1, 7, 64, adaptive x policy, with the default
 * overheads, uneven costs and a stage that yields. */
static void test_sim_every_strategy_keeps_items_and_order(void **state)
{
    static const unsigned batches[] = {1, 7, 64, 0}; /* 0: adaptive */
    static const double ns[] = {500, 4000, 1500, 800};
    const uint64_t items = 3001; /* not a multiple of any batch */
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        for (unsigned cores = 1; cores <= 4; cores++) {
            for (size_t b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
                int npol = st == JF_STRATEGY_SCHEDULED ? JF_POLICY_COUNT : 1;
                for (int pol = 0; pol < npol; pol++) {
                    fixture_t f;
                    jf_run_result_t r;
                    fixture_init(&f, 4, ns, items);
                    with_default_overheads(&f);
                    f.costs.jitter = true;
                    f.specs[2].yields = true;
                    f.opt.strategy = (jf_strategy_t)st;
                    f.opt.policy = (jf_policy_t)pol;
                    f.opt.cores = cores;
                    f.opt.batch = batches[b];
                    f.opt.trace = (cores + b) % 2 == 0;
                    int rc = run(&f, &r);
                    if (rc != 0)
                        fail_msg("%s cores=%u batch=%u policy=%d: %s",
                                 jf_strategy_name((jf_strategy_t)st), cores, batches[b], pol,
                                 jf_strerror(rc));
                    check_complete(&r, items);
                    assert_int_equal(r.threads,
                                     jf_strategy_threads((jf_strategy_t)st, 4, cores));
                    if (f.opt.trace) {
                        assert_non_null(r.trace);
                        assert_int_equal(r.trace->nlanes, r.threads);
                        assert_int_equal(jf_trace_dropped(r.trace), 0);
                    }
                    jf_run_result_fini(&r);
                }
            }
        }
    }
}

/* The same inputs give bit-for-bit the same result and trace. */
static void test_sim_is_deterministic(void **state)
{
    static const double ns[] = {700, 3000, 1200, 2500, 400};
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t a, b;
        fixture_init(&f, 5, ns, 5000);
        with_default_overheads(&f);
        f.costs.jitter = true;
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = 3;
        f.opt.trace = true;
        f.opt.arrival_rate_per_s = 400000;
        f.opt.arrival_burst = 7;
        assert_int_equal(run(&f, &a), 0);
        assert_int_equal(run(&f, &b), 0);
        assert_int_equal(a.wall_ns, b.wall_ns);
        assert_int_equal(a.decisions, b.decisions);
        assert_int_equal(a.reallocations, b.reallocations);
        assert_int_equal(a.parks, b.parks);
        assert_memory_equal(&a.latency, &b.latency, sizeof(a.latency));
        assert_memory_equal(a.stages, b.stages, sizeof(a.stages));
        assert_same_trace(a.trace, b.trace);
        jf_run_result_fini(&a);
        jf_run_result_fini(&b);
    }
}

static double seconds_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A machine this one cannot be: 256 cores, 1M items x 8 stages. */
static void test_sim_256_cores_finishes_and_repeats(void **state)
{
    static const double ns[] = {1000, 3000, 8000, 2000, 500, 6000, 1500, 4000};
    fixture_t f;
    jf_run_result_t a, b;
    (void)state;

    fixture_init(&f, 8, ns, 1000000);
    with_default_overheads(&f);
    f.costs.jitter = true;
    f.opt.strategy = JF_STRATEGY_SCHEDULED;
    f.opt.cores = 256;
    double t0 = seconds_now();
    assert_int_equal(run(&f, &a), 0);
    double t1 = seconds_now();
    print_message("256 cores, 1M items x 8 stages: %.2f s of real time, %.1f ms simulated, "
                  "%llu decisions\n", t1 - t0, (double)a.wall_ns / 1e6,
                  (unsigned long long)a.decisions);
    check_complete(&a, 1000000);
    assert_int_equal(run(&f, &b), 0);
    assert_int_equal(a.wall_ns, b.wall_ns);
    assert_int_equal(a.decisions, b.decisions);
    assert_int_equal(a.reallocations, b.reallocations);
    assert_memory_equal(a.stages, b.stages, sizeof(a.stages));
    jf_run_result_fini(&a);
    jf_run_result_fini(&b);
}

static const double bottleneck[] = {1000, 8000, 1000};

/* One worker, no overheads: the run is exactly the sum of every cost. */
static void test_sim_single_is_the_sum_of_costs(void **state)
{
    const uint64_t items = 20000;
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 3, bottleneck, items);
    f.opt.strategy = JF_STRATEGY_SINGLE;
    f.opt.cores = 2;
    assert_int_equal(run(&f, &r), 0);
    check_complete(&r, items);
    assert_int_equal(r.wall_ns, items * 10000);
    assert_int_equal(r.kernel_cpu_ns, items * 10000);
    assert_int_equal(r.stages[1].kernel_ns, items * 8000);
    assert_int_equal(r.stages[1].max_item_ns, 8000);
    assert_int_equal(r.path_ns, 10000);
    assert_int_equal(r.decisions, 0);
    jf_run_result_fini(&r);
}

/* per-stage on 2 cores: the 8 us stage owns core 1, the two 1 us stages
 * share core 0, so the bottleneck sets the pace (plus filling the pipe). */
static void test_sim_per_stage_runs_at_the_bottleneck(void **state)
{
    const uint64_t items = 20000;
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 3, bottleneck, items);
    f.opt.strategy = JF_STRATEGY_PER_STAGE;
    f.opt.cores = 2;
    assert_int_equal(run(&f, &r), 0);
    check_complete(&r, items);
    double err = rel_err((double)r.wall_ns, (double)items * 8000);
    assert_true(err >= 0);
    assert_true(err < 0.01);
    jf_run_result_fini(&r);
}

/* scheduled on 2 cores, every policy: both cores busy almost throughout. */
static void test_sim_scheduled_uses_both_cores(void **state)
{
    const uint64_t items = 20000;
    (void)state;

    for (int pol = 0; pol < JF_POLICY_COUNT; pol++) {
        fixture_t f;
        jf_run_result_t r;
        fixture_init(&f, 3, bottleneck, items);
        f.opt.strategy = JF_STRATEGY_SCHEDULED;
        f.opt.policy = (jf_policy_t)pol;
        f.opt.cores = 2;
        assert_int_equal(run(&f, &r), 0);
        check_complete(&r, items);
        double err = rel_err((double)r.wall_ns, (double)items * 10000 / 2);
        if (err < 0 || err > 0.03)
            fail_msg("%s: wall %llu, %.2f%% off items * 10000 / 2", jf_policy_name(pol),
                     (unsigned long long)r.wall_ns, 100 * err);
        assert_true(r.decisions > 0);
        jf_run_result_fini(&r);
    }
}

/* n-per-stage: threads that share a core take turns, and no core idles
 * while one of its threads has work: the run takes the CPU work divided by
 * the cores, and batches that a turn interrupts take longer than their
 * CPU work (as the engine's clock readings include time slicing). */
static void test_sim_n_per_stage_shares_cores(void **state)
{
    static const double two[] = {2000, 2000};
    const uint64_t items = 20000;
    (void)state;

    for (unsigned cores = 1; cores <= 2; cores++) {
        fixture_t f;
        jf_run_result_t r;
        fixture_init(&f, 2, two, items);
        f.opt.strategy = JF_STRATEGY_N_PER_STAGE;
        f.opt.cores = cores;
        assert_int_equal(run(&f, &r), 0);
        check_complete(&r, items);
        assert_int_equal(r.threads, 2 * cores);
        double err = rel_err((double)r.wall_ns, (double)items * 4000 / cores);
        assert_true(err >= 0);
        assert_true(err < 0.01);
        assert_true(r.stages[0].mean_service_ns > 1.5 * 2000);
        assert_true(r.kernel_cpu_ns > items * 4000);
        jf_run_result_fini(&r);
    }

    fixture_t f;
    jf_run_result_t r;
    fixture_init(&f, 3, bottleneck, items);
    f.opt.strategy = JF_STRATEGY_N_PER_STAGE;
    f.opt.cores = 2;
    assert_int_equal(run(&f, &r), 0);
    check_complete(&r, items);
    double err = rel_err((double)r.wall_ns, (double)items * 10000 / 2);
    assert_true(err >= 0);
    assert_true(err < 0.02);
    jf_run_result_fini(&r);
}

/* The simulated trace carries each batch's modelled CPU time: all of its
 * kernels' cost, so time-sliced batches show as preempted (CPU time under
 * their wall) and the threads' CPU time adds up to at least the kernels'. */
static void test_sim_trace_carries_cpu_time(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    size_t batches = 0, preempted = 0;
    uint64_t cpu = 0;
    (void)state;

    fixture_init(&f, 3, bottleneck, 4000);
    run_traced(&f, &r, JF_STRATEGY_N_PER_STAGE, 2);
    for (size_t l = 0; l < r.trace->nlanes; l++) {
        const jf_trace_lane_t *lane = &r.trace->lanes[l];
        cpu += lane->cpu_ns;
        for (size_t e = 0; e + 1 < lane->count; e++) {
            const jf_event_t *b = &lane->events[e], *end = &lane->events[e + 1];
            if (b->kind != JF_EV_BATCH_BEGIN || end->kind != JF_EV_BATCH_END)
                continue;
            assert_true(b->value >= 1);
            assert_true(b->value <= (double)(end->t_ns - b->t_ns) + 1);
            preempted += b->value < 0.8 * (double)(end->t_ns - b->t_ns);
            batches++;
        }
    }
    assert_true(batches > 0 && preempted > 0);
    assert_true(cpu >= r.kernel_cpu_ns / 2); /* kernel_cpu_ns counts wall, slices included */
    jf_run_result_fini(&r);
}

/* A stage that yields waits without its core: per-stage on one core runs
 * at the pace of the sleeping stage, not of the sum. */
static void test_sim_yielding_stage_leaves_the_core(void **state)
{
    const uint64_t items = 10000;
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 3, bottleneck, items);
    f.specs[1].yields = true;
    f.opt.strategy = JF_STRATEGY_PER_STAGE;
    assert_int_equal(run(&f, &r), 0);
    check_complete(&r, items);
    assert_int_equal(r.kernel_yield_ns, items * 8000);
    double err = rel_err((double)r.wall_ns, (double)items * 8000);
    assert_true(err >= 0);
    assert_true(err < 0.01);
    jf_run_result_fini(&r);

    f.opt.strategy = JF_STRATEGY_SINGLE; /* one thread still waits in turn */
    assert_int_equal(run(&f, &r), 0);
    assert_int_equal(r.wall_ns, items * 10000);
    jf_run_result_fini(&r);
}

/* Items due in bursts: nothing runs before it arrives, so the run ends
 * just after the last burst; latency counts from arrival. */
static void test_sim_arrival_rate_paces_the_source(void **state)
{
    const uint64_t items = 2000;
    const uint64_t last_due_ns = (items - 1) / 10 * 100000; /* 10 items per 100 us */
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t r;
        fixture_init(&f, 3, (const double[]){1000, 2000, 1000}, items);
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = 2;
        f.opt.arrival_rate_per_s = 100000;
        f.opt.arrival_burst = 10;
        assert_int_equal(run(&f, &r), 0);
        check_complete(&r, items);
        assert_true(r.wall_ns >= last_due_ns);
        assert_true(r.wall_ns < last_due_ns + 100000);
        assert_true(r.latency.p50_ns >= 4000);    /* at least one item's path */
        assert_true(r.latency.max_ns < 100000);   /* never a burst behind */
        assert_true(r.parks > 0);
        jf_run_result_fini(&r);
    }
}

/* Scheduled lanes: each batch follows its decision and the queue depths
 * that changed since the worker's previous decision (all of them at its
 * first), in stage order; workers sit on cores round-robin. */
static void test_sim_scheduled_traces_decisions(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 3, bottleneck, 5000);
    with_default_overheads(&f);
    run_traced(&f, &r, JF_STRATEGY_SCHEDULED, 3);
    assert_true(r.reallocations > 0);
    uint64_t decide = 0, begin = 0;
    for (size_t l = 0; l < r.trace->nlanes; l++) {
        const jf_trace_lane_t *lane = &r.trace->lanes[l];
        bool first = true;
        assert_int_equal(lane->core, (int)l);
        assert_int_equal(lane->home_stage, -1);
        for (size_t e = 0; e < lane->count; e++) {
            const jf_event_t *ev = &lane->events[e];
            assert_true(ev->t_ns <= r.trace->wall_ns);
            assert_true(e == 0 || ev->t_ns >= lane->events[e - 1].t_ns);
            begin += ev->kind == JF_EV_BATCH_BEGIN;
            if (ev->kind != JF_EV_DECIDE)
                continue;
            decide++;
            size_t d = e + 1;
            for (int last = -1; d < lane->count && lane->events[d].kind == JF_EV_QDEPTH; d++) {
                assert_true((int)lane->events[d].stage > last);
                last = lane->events[d].stage;
            }
            if (first)
                assert_int_equal(d - e - 1, 3);
            first = false;
            assert_true(d < lane->count);
            assert_int_equal(lane->events[d].kind, JF_EV_BATCH_BEGIN);
            assert_int_equal(lane->events[d].stage, ev->stage);
        }
    }
    assert_int_equal(decide, begin);
    assert_true(r.decisions >= decide);
    jf_run_result_fini(&r);
}

/* The model carries as the engine does: scheduled workers run some batches
 * from their hand; the trace marks exactly those, each one stage after its
 * lane's previous batch with the same items; and the run stays
 * deterministic. */
static void test_sim_scheduled_carries_batches(void **state)
{
    static const double five[] = {300, 300, 300, 300, 300};
    (void)state;

    for (unsigned cores = 1; cores <= 4; cores *= 2) {
        fixture_t f;
        jf_run_result_t r, again;
        uint64_t flagged = 0, batches = 0;

        fixture_init(&f, 5, five, 20000);
        with_default_overheads(&f);
        f.costs.jitter = true;
        run_traced(&f, &r, JF_STRATEGY_SCHEDULED, cores);
        flagged = check_carried_batches(r.trace);
        for (size_t s = 0; s < 5; s++)
            batches += r.stages[s].batches;
        assert_true(r.carried > 0);
        assert_int_equal(flagged, r.carried);
        assert_true(r.carried <= batches - r.stages[0].batches);
        assert_int_equal(run(&f, &again), 0);
        assert_int_equal(again.wall_ns, r.wall_ns);
        assert_int_equal(again.carried, r.carried);
        jf_run_result_fini(&again);
        jf_run_result_fini(&r);
    }
}

/* A lane that fills up counts what it drops, never silently. */
static void test_sim_trace_capacity_counts_drops(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 3, bottleneck, 2000);
    f.opt.trace_capacity = 10;
    run_traced(&f, &r, JF_STRATEGY_PER_STAGE, 2);
    assert_true(jf_trace_dropped(r.trace) > 0);
    for (size_t l = 0; l < r.trace->nlanes; l++)
        assert_true(r.trace->lanes[l].count <= 10);
    jf_run_result_fini(&r);
}

/* The credit rule: item seq starts only once seq - window has gone
 * through; checked from the cost function, which sees every take. */
typedef struct window_check {
    costs_t costs;
    uint64_t window;
    uint64_t at_last;  /* items taken by the last stage so far */
    uint64_t violations;
} window_check_t;

static double window_cost(void *ctx, size_t stage, uint64_t seq)
{
    window_check_t *w = ctx;

    if (stage == 2)
        w->at_last++;
    else if (stage == 0 && seq >= w->at_last + w->window)
        w->violations++;
    return w->costs.ns[stage];
}

static void test_sim_window_bounds_items_in_flight(void **state)
{
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t r;
        window_check_t w = {.window = 16};
        fixture_init(&f, 3, bottleneck, 3000);
        memcpy(w.costs.ns, bottleneck, sizeof(bottleneck));
        f.sim.cost = window_cost;
        f.sim.cost_ctx = &w;
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = 3;
        f.opt.batch = 4;
        f.opt.window = 16;
        assert_int_equal(run(&f, &r), 0);
        check_complete(&r, 3000);
        assert_int_equal(w.violations, 0);
        jf_run_result_fini(&r);
    }
}

static void test_sim_accepts_1024_cores(void **state)
{
    static const double ns[] = {1000, 4000, 2000, 500};
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t r;
        fixture_init(&f, 4, ns, 50000);
        with_default_overheads(&f);
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = JF_SIM_MAX_CORES;
        f.opt.trace = st == JF_STRATEGY_SCHEDULED;
        assert_int_equal(run(&f, &r), 0);
        check_complete(&r, 50000);
        assert_int_equal(r.threads, jf_strategy_threads((jf_strategy_t)st, 4, 1024));
        jf_run_result_fini(&r);
    }
}

static void test_sim_rejects_bad_options(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 3, bottleneck, 10);
    f.opt.cores = 0;
    assert_int_equal(run(&f, &r), JF_EINVAL);
    assert_null(r.trace);
    f.opt.cores = JF_SIM_MAX_CORES + 1;
    assert_int_equal(run(&f, &r), JF_EINVAL);
    f.opt.cores = 2;
    f.opt.items = 0;
    assert_int_equal(run(&f, &r), JF_EINVAL);
    f.opt.items = 10;
    f.opt.strategy = JF_STRATEGY_COUNT;
    assert_int_equal(run(&f, &r), JF_EINVAL);
    f.opt.strategy = JF_STRATEGY_SCHEDULED;
    f.opt.batch = 1u << 20;
    assert_int_equal(run(&f, &r), JF_ERANGE);
    f.opt.batch = 0;
    /* A cost that is negative, infinite or not a number, one at a time. */
    const struct {
        double *cost, bad;
    } costs[] = {
        {&f.sim.decision_ns, -1},      {&f.sim.slice_ns, -1},
        {&f.sim.wake_preempt_ns, INFINITY}, {&f.sim.line_ns, NAN},
        {&f.sim.sink_item_ns, -2},     {&f.sim.sink_moved_ns, INFINITY},
        {&f.sim.sink_run_ns, NAN},
    };
    for (size_t i = 0; i < sizeof costs / sizeof *costs; i++) {
        double good = *costs[i].cost;
        *costs[i].cost = costs[i].bad;
        assert_int_equal(run(&f, &r), JF_EINVAL);
        *costs[i].cost = good;
    }
    f.sim.cost = NULL;
    assert_int_equal(run(&f, &r), JF_EINVAL);
    f.sim.cost = cost_of;
    assert_int_equal(jf_sim_run(f.specs, 0, &f.opt, &f.sim, &r), JF_EINVAL);
    f.specs[1].name = NULL;
    assert_int_equal(run(&f, &r), JF_EINVAL);
    f.specs[1].name = "b";
    assert_int_equal(run(&f, &r), 0);
    jf_run_result_fini(&r);
}

/* Every allocation may fail: the run reports JF_ENOMEM and frees all
 * (the ASan build checks for leaks). */
static void test_sim_reports_out_of_memory(void **state)
{
    static const double ns[] = {1000, 3000, 2000};
    int rc = JF_ENOMEM;
    (void)state;

    for (unsigned long k = 1; k < 100000 && rc != 0; k++) {
        fixture_t f;
        jf_run_result_t r;
        fixture_init(&f, 3, ns, 3000);
        f.opt.strategy = JF_STRATEGY_SCHEDULED;
        f.opt.cores = 3;
        f.opt.trace = true;
        jf_alloc_fail_after(k);
        rc = run(&f, &r);
        jf_alloc_fail_after(0);
        if (rc != 0) {
            assert_int_equal(rc, JF_ENOMEM);
            assert_null(r.trace);
        }
        jf_run_result_fini(&r);
    }
    assert_int_equal(rc, 0);
}

/* Where a kernel fails: stage `stage` on item `seq`, returning `code`. */
typedef struct failure_at {
    size_t stage;
    uint64_t seq;
    int code;
} failure_at_t;

static int fails_at(void *ctx, size_t stage, uint64_t seq)
{
    const failure_at_t *f = ctx;

    return stage == f->stage && seq == f->seq ? f->code : 0;
}

/* A failing kernel stops every strategy at that stage and item, with its
 * code, as the engine does; and the same again on a second run. */
static void test_sim_kernel_failure_stops_the_run(void **state)
{
    static const double ns[] = {300, 900, 500};
    failure_at_t at = {1, 42, 7};
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        for (unsigned cores = 1; cores <= 3; cores++) {
            fixture_t f;
            jf_run_result_t a, b;

            fixture_init(&f, 3, ns, 1000);
            with_default_overheads(&f);
            f.costs.jitter = true;
            f.sim.fails = fails_at;
            f.sim.fails_ctx = &at;
            f.opt.strategy = (jf_strategy_t)st;
            f.opt.cores = cores;
            f.opt.batch = cores == 2 ? 7 : 0;
            f.opt.trace = cores == 3;
            assert_int_equal(run(&f, &a), JF_EKERNEL);
            assert_int_equal(a.failure.stage, 1);
            assert_int_equal(a.failure.seq, 42);
            assert_int_equal(a.failure.code, 7);
            assert_true(a.items_out <= 42); /* 42 never reached the sink */
            assert_int_equal(run(&f, &b), JF_EKERNEL);
            assert_int_equal(a.wall_ns, b.wall_ns);
            assert_memory_equal(a.stages, b.stages, sizeof(a.stages));
            assert_memory_equal(&a.failure, &b.failure, sizeof(a.failure));
            jf_run_result_fini(&a);
            jf_run_result_fini(&b);
        }
    }
}

/* A fail function that never fires changes nothing: the result and trace
 * are those of a run without one, bit for bit. */
static void test_sim_no_failure_changes_nothing(void **state)
{
    static const double ns[] = {700, 3000, 1200};
    failure_at_t never = {1, UINT64_MAX, 7};
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t a, b;

        fixture_init(&f, 3, ns, 4000);
        with_default_overheads(&f);
        f.costs.jitter = true;
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = 2;
        f.opt.trace = true;
        assert_int_equal(run(&f, &a), 0);
        f.sim.fails = fails_at;
        f.sim.fails_ctx = &never;
        assert_int_equal(run(&f, &b), 0);
        check_complete(&b, 4000);
        assert_int_equal(a.wall_ns, b.wall_ns);
        assert_int_equal(a.decisions, b.decisions);
        assert_memory_equal(a.stages, b.stages, sizeof(a.stages));
        assert_memory_equal(&a.latency, &b.latency, sizeof(a.latency));
        assert_same_trace(a.trace, b.trace);
        jf_run_result_fini(&a);
        jf_run_result_fini(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_every_strategy_keeps_items_and_order),
        cmocka_unit_test(test_sim_is_deterministic),
        cmocka_unit_test(test_sim_256_cores_finishes_and_repeats),
        cmocka_unit_test(test_sim_single_is_the_sum_of_costs),
        cmocka_unit_test(test_sim_per_stage_runs_at_the_bottleneck),
        cmocka_unit_test(test_sim_scheduled_uses_both_cores),
        cmocka_unit_test(test_sim_n_per_stage_shares_cores),
        cmocka_unit_test(test_sim_trace_carries_cpu_time),
        cmocka_unit_test(test_sim_yielding_stage_leaves_the_core),
        cmocka_unit_test(test_sim_arrival_rate_paces_the_source),
        cmocka_unit_test(test_sim_scheduled_traces_decisions),
        cmocka_unit_test(test_sim_scheduled_carries_batches),
        cmocka_unit_test(test_sim_trace_capacity_counts_drops),
        cmocka_unit_test(test_sim_window_bounds_items_in_flight),
        cmocka_unit_test(test_sim_accepts_1024_cores),
        cmocka_unit_test(test_sim_rejects_bad_options),
        cmocka_unit_test(test_sim_reports_out_of_memory),
        cmocka_unit_test(test_sim_kernel_failure_stops_the_run),
        cmocka_unit_test(test_sim_no_failure_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
