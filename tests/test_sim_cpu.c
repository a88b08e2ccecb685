/* test_sim_cpu.c - the simulator's cores: time slicing (driven directly) and sharing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jefferson/error.h"
#include "core/jf_sim.h"
#include "core/sim_internal.h"

#define MS 1e6
#define NWORKERS 3

/* One core and NWORKERS workers that leave the core after each job
 * (state EXITED: jf__sim_on_cpu_done does nothing for them). */
typedef struct bench_core {
    jf__sim_t s;
    jf__sim_worker_t workers[NWORKERS];
    jf__sim_core_t core;
    double done[NWORKERS]; /* when each worker's job was done, or -1 */
} bench_core_t;

static void bench_init(bench_core_t *b, double slice_ns, double wake_preempt_ns)
{
    memset(b, 0, sizeof(*b));
    b->s.workers = b->workers;
    b->s.nworkers = NWORKERS;
    b->s.cores = &b->core;
    b->s.ncores = 1;
    b->s.cm.slice_ns = slice_ns;
    b->s.cm.wake_preempt_ns = wake_preempt_ns;
    b->core.run = JF__SIM_NIL;
    b->core.queue = (jf__sim_list_t){JF__SIM_NIL, JF__SIM_NIL};
    for (uint32_t i = 0; i < NWORKERS; i++) {
        b->workers[i].id = i;
        b->workers[i].state = JF__SIM_EXITED;
        b->done[i] = -1;
    }
}

/* Runs the core's events up to time `until`, noting when jobs are done. */
static void bench_run(bench_core_t *b, double until)
{
    jf__sim_event_t ev;

    while (jf__sim_heap_top(&b->s.events) != NULL && jf__sim_heap_top(&b->s.events)->t <= until) {
        assert_true(jf__sim_heap_pop(&b->s.events, &ev));
        if (ev.ver != b->core.ver)
            continue; /* rescheduled since */
        b->s.now = ev.t;
        if (!b->core.preempt)
            b->done[b->core.run] = ev.t;
        jf__sim_cpu_event(&b->s, 0);
    }
    b->s.now = until;
}

static void bench_fini(bench_core_t *b)
{
    jf__sim_heap_fini(&b->s.events);
}

/* Two CPU-bound jobs of 10 ms on one core with 1 ms slices: they take
 * turns, the first is done a slice before the second, and the core never
 * idles (20 ms in all). Processor sharing would finish both at 20 ms. */
static void test_sim_cpu_jobs_take_turns(void **state)
{
    bench_core_t b;
    (void)state;

    bench_init(&b, 1 * MS, 0.3 * MS);
    jf__sim_cpu_add(&b.s, &b.workers[0], 10 * MS);
    jf__sim_cpu_add(&b.s, &b.workers[1], 10 * MS);
    assert_int_equal(b.core.run, 0);
    bench_run(&b, 100 * MS);
    assert_true(b.done[0] == 19 * MS);
    assert_true(b.done[1] == 20 * MS);
    assert_int_equal(b.core.run, JF__SIM_NIL);
    bench_fini(&b);
}

/* Slices longer than the jobs: first come, first served, no interleaving. */
static void test_sim_cpu_long_slices_run_to_completion(void **state)
{
    bench_core_t b;
    (void)state;

    bench_init(&b, 50 * MS, 50 * MS);
    jf__sim_cpu_add(&b.s, &b.workers[0], 10 * MS);
    jf__sim_cpu_add(&b.s, &b.workers[1], 10 * MS);
    jf__sim_cpu_add(&b.s, &b.workers[2], 5 * MS);
    bench_run(&b, 100 * MS);
    assert_true(b.done[0] == 10 * MS);
    assert_true(b.done[1] == 20 * MS);
    assert_true(b.done[2] == 25 * MS);
    bench_fini(&b);
}

/* A worker that finishes a job and starts its next at once keeps the core
 * and its slice: the waiting worker gets the core when the slice ends, not
 * when the first job ended. Worker 0 pays a batch's overheads (PRE), then
 * starts its kernels as the engine's worker does. */
static void test_sim_cpu_next_job_keeps_the_slice(void **state)
{
    jf__sim_stage_t stage = {0};
    bench_core_t b;
    (void)state;

    bench_init(&b, 1 * MS, 1 * MS);
    b.s.stages = &stage;
    b.s.nstages = 1;
    b.workers[0].state = JF__SIM_PRE;
    b.workers[0].kernel_cost = 5 * MS;
    jf__sim_cpu_add(&b.s, &b.workers[0], 0.4 * MS);
    jf__sim_cpu_add(&b.s, &b.workers[1], 0.1 * MS);
    bench_run(&b, 0.4 * MS);
    assert_true(b.done[0] == 0.4 * MS);
    assert_int_equal(b.workers[0].state, JF__SIM_KERNEL);
    assert_int_equal(b.core.run, 0); /* it went on with its kernels */
    b.workers[0].state = JF__SIM_EXITED; /* and leaves when they are done */
    bench_run(&b, 100 * MS);
    assert_true(b.done[1] == 1.1 * MS); /* the slice ended at 1 ms */
    assert_true(b.done[0] == 5.5 * MS);
    bench_fini(&b);
}

/* A worker woken from sleep waits until the running one has had the core
 * for wake_preempt_ns, then takes it; with a free core it goes on at once. */
static void test_sim_cpu_woken_worker_preempts(void **state)
{
    bench_core_t b;
    (void)state;

    bench_init(&b, 3 * MS, 0.3 * MS);
    assert_true(jf__sim_cpu_get(&b.s, &b.workers[0])); /* a free core */
    jf__sim_cpu_add(&b.s, &b.workers[0], 10 * MS);
    bench_run(&b, 0.1 * MS);
    assert_false(jf__sim_cpu_get(&b.s, &b.workers[1]));
    bench_run(&b, 0.29 * MS);
    assert_int_equal(b.core.run, 0);
    bench_run(&b, 0.3 * MS); /* worker 1 got the core, did nothing, left */
    assert_true(b.done[1] == 0.3 * MS);
    assert_int_equal(b.core.run, 0);
    /* Past wake_preempt_ns of its turn, a woken worker takes over at once. */
    bench_run(&b, 1 * MS);
    assert_false(jf__sim_cpu_get(&b.s, &b.workers[2]));
    bench_run(&b, 1 * MS);
    assert_true(b.done[2] == 1 * MS);
    bench_run(&b, 100 * MS);
    assert_true(b.done[0] == 10 * MS); /* the turns cost it nothing */
    bench_fini(&b);
}

static double cost_of(void *ctx, size_t stage, uint64_t seq)
{
    const double *ns = ctx;
    uint64_t h = (seq + 1) * 0x9e3779b97f4a7c15ull ^ (stage + 1) * 0xbf58476d1ce4e5b9ull;

    h ^= h >> 31;
    return ns[stage] * (0.5 + (double)(h % 1024) / 1024.0);
}

static int run_with(jf_strategy_t strategy, unsigned cores, const jf_sim_options_t *sim,
                    jf_run_result_t *r)
{
    static const double ns[] = {1000, 3000, 500, 2000};
    static const jf_stage_spec_t specs[] = {{.name = "a"}, {.name = "b"}, {.name = "c"},
                                            {.name = "d"}};
    jf_run_options_t opt = {.strategy = strategy, .cores = cores, .items = 20000};
    jf_sim_options_t o = *sim;

    o.cost = cost_of;
    o.cost_ctx = (void *)ns;
    return jf_sim_run(specs, 4, &opt, &o, r);
}

/* With one thread per core nobody waits for a core: slices and wake-up
 * preemption change nothing, to the nanosecond. */
static void test_sim_cpu_one_thread_per_core_never_slices(void **state)
{
    static const struct {
        jf_strategy_t strategy;
        unsigned cores;
    } runs[] = {{JF_STRATEGY_SINGLE, 1}, {JF_STRATEGY_SCHEDULED, 3}, {JF_STRATEGY_PER_STAGE, 4}};
    (void)state;

    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        jf_sim_options_t sim;
        jf_run_result_t a, b;
        jf_sim_options_default(&sim);
        assert_int_equal(run_with(runs[i].strategy, runs[i].cores, &sim, &a), 0);
        sim.slice_ns = 1000;
        sim.wake_preempt_ns = 0;
        assert_int_equal(run_with(runs[i].strategy, runs[i].cores, &sim, &b), 0);
        assert_int_equal(a.wall_ns, b.wall_ns);
        assert_int_equal(a.parks, b.parks);
        assert_memory_equal(a.stages, b.stages, sizeof(a.stages));
        jf_run_result_fini(&a);
        jf_run_result_fini(&b);
    }
}

/* Oversubscribed cores: shorter slices and earlier wake-up preemption
 * interleave the threads more, so consumers run dry and park more often;
 * every variant is repeatable to the nanosecond. */
static void test_sim_cpu_slices_set_the_interleaving(void **state)
{
    static const double slices[] = {3e6, 300e3, 30e3};
    uint64_t parks_before = 0;
    (void)state;

    for (size_t i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
        jf_sim_options_t sim;
        jf_run_result_t a, b;
        jf_sim_options_default(&sim);
        sim.slice_ns = slices[i];
        sim.wake_preempt_ns = slices[i];
        assert_int_equal(run_with(JF_STRATEGY_N_PER_STAGE, 2, &sim, &a), 0);
        assert_int_equal(run_with(JF_STRATEGY_N_PER_STAGE, 2, &sim, &b), 0);
        assert_int_equal(a.items_out, 20000);
        assert_int_equal(a.wall_ns, b.wall_ns);
        assert_int_equal(a.parks, b.parks);
        assert_memory_equal(a.stages, b.stages, sizeof(a.stages));
        assert_true(a.parks > parks_before);
        parks_before = a.parks;
        jf_run_result_fini(&a);
        jf_run_result_fini(&b);
    }
}

/* contention_ns is paid only for items taken while a worker on another
 * core holds a batch of the same stage: n-per-stage at 2 cores pays it,
 * one thread per stage (per-stage) and one core never do. */
static void test_sim_cpu_contention_needs_two_cores(void **state)
{
    static const struct {
        jf_strategy_t strategy;
        unsigned cores;
        bool pays;
    } runs[] = {{JF_STRATEGY_N_PER_STAGE, 2, true},
                {JF_STRATEGY_PER_STAGE, 2, false},
                {JF_STRATEGY_N_PER_STAGE, 1, false},
                {JF_STRATEGY_SCHEDULED, 1, false}};
    (void)state;

    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        jf_sim_options_t sim;
        jf_run_result_t a, b;
        jf_sim_options_default(&sim);
        sim.contention_ns = 0;
        assert_int_equal(run_with(runs[i].strategy, runs[i].cores, &sim, &a), 0);
        sim.contention_ns = 1000;
        assert_int_equal(run_with(runs[i].strategy, runs[i].cores, &sim, &b), 0);
        if (runs[i].pays)
            assert_true(b.wall_ns > a.wall_ns + 20000ull * 1000 / 10);
        else
            assert_int_equal(a.wall_ns, b.wall_ns);
        jf_run_result_fini(&a);
        jf_run_result_fini(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_cpu_jobs_take_turns),
        cmocka_unit_test(test_sim_cpu_long_slices_run_to_completion),
        cmocka_unit_test(test_sim_cpu_next_job_keeps_the_slice),
        cmocka_unit_test(test_sim_cpu_woken_worker_preempts),
        cmocka_unit_test(test_sim_cpu_one_thread_per_core_never_slices),
        cmocka_unit_test(test_sim_cpu_slices_set_the_interleaving),
        cmocka_unit_test(test_sim_cpu_contention_needs_two_cores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
