/* test_strategy.c - the strategy registry: every row complete, and every strategy runs on engine and simulator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>

#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "core/jf_sim.h"
#include "core/strategy.h"
#include "harness/bench_strategy.h"
#include "pipeline_kernels.h"

#define NSTAGES 3

/* The thread counts docs/engine.md and the README state for each strategy:
 * a new strategy adds its row here. */
static unsigned documented_threads(const char *name, size_t nstages, unsigned cores)
{
    if (strcmp(name, "single") == 0)
        return 1;
    if (strcmp(name, "per-stage") == 0)
        return (unsigned)nstages;
    if (strcmp(name, "n-per-stage") == 0)
        return (unsigned)nstages * cores;
    if (strcmp(name, "scheduled") == 0)
        return cores;
    fail_msg("strategy \"%s\" has no documented thread count in this test", name);
    return 0;
}

static const jf__strategy_ops_t *ops_of(int s)
{
    const jf__strategy_ops_t *ops = jf__strategy_ops((jf_strategy_t)s);

    assert_non_null(ops);
    return ops;
}

static void test_strategy_every_row_has_every_op(void **state)
{
    (void)state;
    for (int s = 0; s < JF_STRATEGY_COUNT; s++) {
        const jf__strategy_ops_t *ops = ops_of(s);
        assert_non_null(ops->name);
        assert_true(ops->name[0] != '\0');
        assert_true(ops->park == JF__PARK_LOT || ops->park == JF__PARK_HOME);
        assert_non_null(ops->threads);
        assert_non_null(ops->home);
        assert_non_null(ops->step);
        assert_non_null(ops->sim_step);
    }
    assert_null(jf__strategy_ops(JF_STRATEGY_COUNT));
    assert_null(jf__strategy_ops((jf_strategy_t)-1));
}

static void test_strategy_names_round_trip(void **state)
{
    (void)state;
    for (int s = 0; s < JF_STRATEGY_COUNT; s++) {
        const char *name = jf_strategy_name((jf_strategy_t)s);
        assert_string_equal(name, ops_of(s)->name);
        assert_int_equal(jf_strategy_parse(name), s);
        for (int t = 0; t < s; t++) /* unique */
            assert_string_not_equal(name, jf_strategy_name((jf_strategy_t)t));
    }
    assert_string_equal(jf_strategy_name(JF_STRATEGY_COUNT), "unknown");
    assert_int_equal(jf_strategy_parse("unknown"), -1);
    assert_int_equal(jf_strategy_parse(""), -1);
}

/* threads() as documented; home() places every worker at a stage or
 * nowhere, every stage has someone to serve it, and a strategy whose
 * workers park at home gives every worker a home. */
static void test_strategy_threads_and_placement(void **state)
{
    (void)state;
    for (int s = 0; s < JF_STRATEGY_COUNT; s++) {
        const jf__strategy_ops_t *ops = ops_of(s);
        for (size_t n = 1; n <= 5; n++) {
            for (unsigned cores = 1; cores <= 4; cores++) {
                unsigned threads = ops->threads(n, cores);
                bool served[8] = {false};
                bool roamer = false;
                assert_int_equal(threads, documented_threads(ops->name, n, cores));
                assert_int_equal(jf_strategy_threads((jf_strategy_t)s, n, cores), threads);
                for (unsigned i = 0; i < threads; i++) {
                    int home = ops->home(i, cores);
                    assert_in_range(home + 1, 0, n); /* -1 .. n-1 */
                    if (ops->park == JF__PARK_HOME)
                        assert_true(home >= 0);
                    if (home < 0)
                        roamer = true;
                    else
                        served[home] = true;
                }
                for (size_t st = 0; st < n; st++)
                    if (!roamer && !served[st])
                        fail_msg("%s: stage %zu of %zu has no worker (cores %u)", ops->name,
                                 st, n, cores);
            }
        }
    }
}

/* bench's table agrees with the engine's registry on its strategies. */
static void test_strategy_bench_table_matches_the_registry(void **state)
{
    (void)state;
    for (int b = 0; b < BENCH_STRATEGY_COUNT; b++) {
        const bench_strategy_ops_t *row = bench_strategy_ops((bench_strategy_t)b);
        assert_non_null(row);
        assert_non_null(row->name);
        assert_non_null(row->help);
        assert_non_null(row->threads);
        assert_non_null(row->run);
        assert_int_equal(bench_strategy_parse(row->name), b);
        assert_true(row->unavailable == NULL || row->remedy != NULL);
        if (!row->simulatable) /* a peer: not the engine's, so not modelled */
            continue;
        const jf__strategy_ops_t *ops = ops_of(row->engine);
        assert_string_equal(row->name, ops->name);
        assert_int_equal(row->uses_policy, ops->uses_policy);
        assert_null(row->unavailable);
        for (unsigned cores = 1; cores <= 4; cores++)
            assert_int_equal(row->threads(NSTAGES, cores), ops->threads(NSTAGES, cores));
    }
    assert_null(bench_strategy_ops(BENCH_STRATEGY_COUNT));
}

typedef struct fixture {
    visit_ctx_t ctx[NSTAGES];
    jf_stage_spec_t specs[NSTAGES];
    visit_sink_t sink;
    jf_run_options_t opt;
} fixture_t;

static void fixture_init(fixture_t *f, int strategy, int policy, unsigned cores, uint64_t items)
{
    static const char *names[NSTAGES] = {"a", "b", "c"};

    memset(f, 0, sizeof(*f));
    for (size_t s = 0; s < NSTAGES; s++) {
        f->ctx[s].stage = (unsigned)s;
        f->ctx[s].spin = s == 1 ? 100 : 10;
        f->specs[s] = (jf_stage_spec_t){.name = names[s], .fn = visit_kernel, .ctx = &f->ctx[s]};
    }
    f->sink.nstages = NSTAGES;
    f->opt = (jf_run_options_t){.strategy = (jf_strategy_t)strategy,
                                .policy = (jf_policy_t)policy, .cores = cores, .items = items,
                                .item_bytes = 16, .trace = cores % 2 == 1,
                                .source = visit_source, .sink = visit_sink,
                                .sink_ctx = &f->sink};
}

static void check_run(const char *what, int rc, const jf_run_result_t *r, unsigned threads,
                      uint64_t items)
{
    if (rc != 0)
        fail_msg("%s: %s", what, jf_strerror(rc));
    assert_int_equal(r->threads, threads);
    assert_int_equal(r->items_in, items);
    assert_int_equal(r->items_out, items);
    assert_true(r->order_preserved);
}

/* Every registered strategy (every policy, for one that uses it) on the
 * engine: every item out once, in order, through every stage. */
static void test_strategy_engine_runs_every_strategy(void **state)
{
    const uint64_t items = 1501;
    (void)state;

    for (int s = 0; s < JF_STRATEGY_COUNT; s++) {
        const jf__strategy_ops_t *ops = ops_of(s);
        int npol = ops->uses_policy ? JF_POLICY_COUNT : 1;
        for (unsigned cores = 1; cores <= 3; cores++) {
            for (int pol = 0; pol < npol; pol++) {
                fixture_t f;
                jf_pipeline_t *p = NULL;
                jf_run_result_t r;
                char what[64];
                fixture_init(&f, s, pol, cores, items);
                snprintf(what, sizeof what, "%s cores %u policy %d", ops->name, cores, pol);
                int rc = jf_pipeline_create(f.specs, NSTAGES, &f.opt, &p);
                if (rc == 0)
                    rc = jf_pipeline_run(p, &r);
                jf_pipeline_destroy(p);
                check_run(what, rc, &r, ops->threads(NSTAGES, cores), items);
                assert_int_equal(f.sink.checked, items);
                assert_int_equal(f.sink.bad, 0);
                if (!ops->uses_policy)
                    assert_int_equal(r.decisions, 0);
                jf_run_result_fini(&r);
            }
        }
    }
}

static double stage_cost(void *ctx, size_t stage, uint64_t seq)
{
    (void)ctx;
    return 500.0 * (double)(stage + 1) + (double)(seq % 7);
}

/* The same on the simulator, at core counts beyond the machine's too. */
static void test_strategy_simulator_runs_every_strategy(void **state)
{
    static const unsigned core_counts[] = {1, 2, 3, 64};
    const uint64_t items = 2001;
    (void)state;

    for (int s = 0; s < JF_STRATEGY_COUNT; s++) {
        const jf__strategy_ops_t *ops = ops_of(s);
        int npol = ops->uses_policy ? JF_POLICY_COUNT : 1;
        for (size_t c = 0; c < sizeof core_counts / sizeof core_counts[0]; c++) {
            for (int pol = 0; pol < npol; pol++) {
                unsigned cores = core_counts[c];
                fixture_t f;
                jf_sim_options_t sim;
                jf_run_result_t r;
                char what[64];
                fixture_init(&f, s, pol, cores, items);
                jf_sim_options_default(&sim);
                sim.cost = stage_cost;
                snprintf(what, sizeof what, "sim %s cores %u policy %d", ops->name, cores, pol);
                int rc = jf_sim_run(f.specs, NSTAGES, &f.opt, &sim, &r);
                check_run(what, rc, &r, ops->threads(NSTAGES, cores), items);
                if (ops->uses_policy)
                    assert_true(r.decisions > 0);
                else
                    assert_int_equal(r.decisions, 0);
                jf_run_result_fini(&r);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strategy_every_row_has_every_op),
        cmocka_unit_test(test_strategy_names_round_trip),
        cmocka_unit_test(test_strategy_threads_and_placement),
        cmocka_unit_test(test_strategy_bench_table_matches_the_registry),
        cmocka_unit_test(test_strategy_engine_runs_every_strategy),
        cmocka_unit_test(test_strategy_simulator_runs_every_strategy),
    };

    alarm(300); /* a hang is a failure, never a stuck CI job */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
