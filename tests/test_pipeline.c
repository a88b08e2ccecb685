/* test_pipeline.c - every strategy moves every item through every stage, in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <unistd.h>

#include <cmocka.h>

#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "core/options.h"
#include "pipeline_kernels.h"
#include "trace_checks.h"

#define NSTAGES 4

typedef struct fixture {
    visit_ctx_t ctx[NSTAGES];
    jf_stage_spec_t specs[NSTAGES];
    visit_sink_t sink;
    jf_run_options_t opt;
} fixture_t;

static void fixture_init(fixture_t *f, size_t nstages, uint64_t items)
{
    static const char *names[NSTAGES] = {"a", "b", "c", "d"};

    memset(f, 0, sizeof(*f));
    for (size_t s = 0; s < nstages; s++) {
        f->ctx[s].stage = (unsigned)s;
        f->ctx[s].spin = s == 1 ? 200 : 20; /* stage b is the bottleneck */
        f->specs[s].name = names[s];
        f->specs[s].fn = visit_kernel;
        f->specs[s].ctx = &f->ctx[s];
    }
    f->sink.nstages = (unsigned)nstages;
    f->opt.items = items;
    f->opt.item_bytes = 16;
    f->opt.source = visit_source;
    f->opt.sink = visit_sink;
    f->opt.sink_ctx = &f->sink;
}

/* The payload check as the check hook, on the workers, and no sink hook:
 * the sink then keeps runs of items, not the items (sink.c). */
static void check_on_workers(fixture_t *f)
{
    f->opt.check = visit_sink;
    f->opt.check_ctx = &f->sink;
    f->opt.sink = NULL;
    f->opt.sink_ctx = NULL;
}

static int run(fixture_t *f, size_t nstages, jf_run_result_t *r)
{
    jf_pipeline_t *p = NULL;
    int rc = jf_pipeline_create(f->specs, nstages, &f->opt, &p);

    if (rc != 0)
        return rc;
    rc = jf_pipeline_run(p, r);
    jf_pipeline_destroy(p);
    return rc;
}

static void check_complete(fixture_t *f, const jf_run_result_t *r, uint64_t items)
{
    assert_int_equal(r->items_in, items);
    assert_int_equal(r->items_out, items);
    assert_true(r->order_preserved);
    assert_int_equal(f->sink.checked, items);
    assert_int_equal(f->sink.bad, 0);
    for (size_t s = 0; s < r->nstages; s++)
        assert_int_equal(r->stages[s].items, items);
}

/* Every strategy x cores 1..4 x batch 1, 7, 64, adaptive x policy. */
static void test_pipeline_every_strategy_keeps_items_and_order(void **state)
{
    static const unsigned batches[] = {1, 7, 64, 0}; /* 0: adaptive */
    const uint64_t items = 3001; /* not a multiple of any batch */
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        for (unsigned cores = 1; cores <= 4; cores++) {
            for (size_t b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
                int npol = st == JF_STRATEGY_SCHEDULED ? JF_POLICY_COUNT : 1;
                for (int pol = 0; pol < npol; pol++) {
                    fixture_t f;
                    jf_run_result_t r;
                    fixture_init(&f, NSTAGES, items);
                    f.opt.strategy = (jf_strategy_t)st;
                    f.opt.policy = (jf_policy_t)pol;
                    f.opt.cores = cores;
                    f.opt.batch = batches[b];
                    f.opt.trace = (cores + b) % 2 == 0;
                    if ((cores + b + (size_t)pol) % 2 == 1)
                        check_on_workers(&f);
                    int rc = run(&f, NSTAGES, &r);
                    if (rc != 0)
                        fail_msg("%s cores=%u batch=%u policy=%d: %s",
                                 jf_strategy_name((jf_strategy_t)st), cores, batches[b], pol,
                                 jf_strerror(rc));
                    check_complete(&f, &r, items);
                    assert_int_equal(r.threads, jf_strategy_threads((jf_strategy_t)st,
                                                                    NSTAGES, cores));
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

/* With 64 workers or more each claims several batches' positions at once
 * and hands several batches to the sink at a time (jf__end_batches):
 * every strategy still moves every item through every stage, in order,
 * with 64 and 130 workers, unpinned (this machine may have 2 cores). */
static void test_pipeline_many_workers_keep_ends(void **state)
{
    static const unsigned batches[] = {1, 7, 0}; /* 0: adaptive */
    const uint64_t items = 5001;
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        for (unsigned cores = 16; cores <= 130; cores += 114) {
            for (size_t b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
                fixture_t f;
                jf_run_result_t r;
                fixture_init(&f, NSTAGES, items);
                f.opt.strategy = (jf_strategy_t)st;
                f.opt.cores = cores;
                f.opt.batch = batches[b];
                f.opt.trace = b == 0;
                if (b == 1)
                    check_on_workers(&f);
                unsigned threads = jf_strategy_threads((jf_strategy_t)st, NSTAGES, cores);
                if (threads < 64)
                    continue; /* one batch per claim and per hand-over, as everywhere else */
                int rc = run(&f, NSTAGES, &r);
                if (rc != 0)
                    fail_msg("%s cores=%u batch=%u: %s", jf_strategy_name((jf_strategy_t)st),
                             cores, batches[b], jf_strerror(rc));
                check_complete(&f, &r, items);
                jf_run_result_fini(&r);
            }
        }
    }
}

/* With JF_END_GROUP_WORKERS workers or more, neighbours share the ends in
 * groups: they claim source positions together when each has a core, and
 * with no sink hook hand over through one member that emits what the
 * others handed it meanwhile (flow.c, sink.c). Every item still arrives
 * once, in order, with batches of one item (the most claims and
 * hand-overs) and adaptive: `scheduled` with 256 and 300 workers (both
 * ends grouped; 300, a last group of 12), `n-per-stage` with 256 workers
 * on 64 cores (more workers than cores: hand-overs grouped, claims not);
 * unpinned. */
static void test_pipeline_sink_groups_keep_every_item(void **state)
{
    static const unsigned batches[] = {1, 0};
    static const struct {
        jf_strategy_t strategy;
        unsigned cores;
    } cases[] = {{JF_STRATEGY_SCHEDULED, 256}, {JF_STRATEGY_SCHEDULED, 300},
                 {JF_STRATEGY_N_PER_STAGE, 64}};
    const uint64_t items = 6007;
    (void)state;

    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        unsigned threads = jf_strategy_threads(cases[c].strategy, NSTAGES, cases[c].cores);
        assert_true(jf__end_groups(threads) > 0);
        assert_int_equal(jf__group_claims(jf__end_groups(threads), threads, cases[c].cores),
                         cases[c].strategy == JF_STRATEGY_SCHEDULED);
        for (size_t b = 0; b < sizeof batches / sizeof *batches; b++) {
            fixture_t f;
            jf_run_result_t r;
            fixture_init(&f, NSTAGES, items);
            check_on_workers(&f);
            f.opt.strategy = cases[c].strategy;
            f.opt.cores = cases[c].cores;
            f.opt.batch = batches[b];
            int rc = run(&f, NSTAGES, &r);
            if (rc != 0)
                fail_msg("%s cores=%u batch=%u: %s", jf_strategy_name(cases[c].strategy),
                         cases[c].cores, batches[b], jf_strerror(rc));
            check_complete(&f, &r, items);
            jf_run_result_fini(&r);
        }
    }
}

/* A window smaller than the items forces slot reuse: the credit rule must
 * hold back the source so no payload is overwritten in flight. */
static void test_pipeline_small_window_reuses_slots(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 3, 20000);
    f.opt.strategy = JF_STRATEGY_SCHEDULED;
    f.opt.cores = 3;
    f.opt.batch = 4;
    f.opt.window = 16;
    assert_int_equal(run(&f, 3, &r), 0);
    check_complete(&f, &r, 20000);
    jf_run_result_fini(&r);
}

static void test_pipeline_one_stage_one_item(void **state)
{
    (void)state;
    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t r;
        fixture_init(&f, 1, 1);
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = 2;
        assert_int_equal(run(&f, 1, &r), 0);
        check_complete(&f, &r, 1);
        jf_run_result_fini(&r);
    }
}

/* A kernel that relabels one item: item `from` leaves as seq `to`. */
typedef struct relabel {
    uint64_t from, to;
} relabel_t;

static int relabel_kernel(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const relabel_t *r = ctx;

    *out = *in;
    if (in->seq == r->from)
        out->seq = r->to;
    return 0;
}

/* The sink checks every item's seq, in and out of order: a seq emitted
 * before, or one whose slot a relabelled item already took, fails the
 * run with JF_EORDER, whether its batch came in order or not, and whether
 * a worker handed it over itself or through its end group (260 workers,
 * no sink hook). */
static void test_pipeline_sink_catches_a_repeated_seq(void **state)
{
    static const relabel_t cases[] = {{100, 99}, {100, 101}, {100, 163}, {0, 1}};
    (void)state;

    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        static const unsigned cores_of[] = {1, 2, 260};
        for (size_t k = 0; k < sizeof cores_of / sizeof *cores_of; k++) {
            unsigned cores = cores_of[k];
            relabel_t r = cases[c];
            jf_stage_spec_t spec = {.name = "relabel", .fn = relabel_kernel, .ctx = &r};
            jf_run_options_t opt = {.strategy = JF_STRATEGY_SCHEDULED, .cores = cores,
                                    .items = 1000, .batch = 16};
            jf_pipeline_t *p = NULL;
            jf_run_result_t res;
            assert_int_equal(jf_pipeline_create(&spec, 1, &opt, &p), 0);
            assert_int_equal(jf_pipeline_run(p, &res), JF_EORDER);
            assert_false(res.order_preserved);
            assert_true(res.items_out < 1000);
            jf_run_result_fini(&res);
            jf_pipeline_destroy(p);
        }
    }
}

/* The scheduler sees the bottleneck: most scheduled work goes to stage b,
 * and the trace records decisions with one queue depth per stage. */
static void test_pipeline_scheduled_records_decisions(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, NSTAGES, 5000);
    f.opt.strategy = JF_STRATEGY_SCHEDULED;
    f.opt.cores = 2;
    f.opt.trace = true;
    assert_int_equal(run(&f, NSTAGES, &r), 0);
    check_complete(&f, &r, 5000);
    assert_true(r.decisions >= r.stages[0].batches);
    size_t decide = 0, depth = 0;
    for (size_t l = 0; l < r.trace->nlanes; l++) {
        for (size_t e = 0; e < r.trace->lanes[l].count; e++) {
            const jf_event_t *ev = &r.trace->lanes[l].events[e];
            assert_true(ev->t_ns <= r.trace->wall_ns);
            decide += ev->kind == JF_EV_DECIDE;
            depth += ev->kind == JF_EV_QDEPTH;
        }
    }
    uint64_t batches = 0;
    for (size_t s = 0; s < NSTAGES; s++)
        batches += r.stages[s].batches;
    /* Every batch follows the decision that sent its worker there. */
    assert_true(decide >= batches);
    assert_true(decide <= r.decisions);
    /* The first decision of each worker lists every stage, later ones
     * only the stages that changed. */
    assert_true(depth <= decide * NSTAGES);
    assert_true(depth >= r.trace->nlanes * NSTAGES);
    jf_run_result_fini(&r);
}

/* Carry: a scheduled worker keeps its finished batch for the next stage
 * and runs it there itself when its next decision sends it there. At 1
 * and 2 cores, fixed and adaptive batches: some batches run that way;
 * every item still passes every stage once and in stage order; every
 * batch still follows a decision; and the trace marks exactly the carried
 * batches, each the previous batch of its lane, one stage on, same items. */
static void test_pipeline_scheduled_carries_batches(void **state)
{
    static const unsigned batch[] = {0, 7};
    (void)state;

    for (unsigned cores = 1; cores <= 2; cores++) {
        for (size_t b = 0; b < 2; b++) {
            fixture_t f;
            jf_run_result_t r;
            uint64_t batches = 0, decide = 0, flagged = 0;

            fixture_init(&f, NSTAGES, 5000);
            for (size_t s = 0; s < NSTAGES; s++)
                f.ctx[s].ordered = 1;
            f.opt.strategy = JF_STRATEGY_SCHEDULED;
            f.opt.cores = cores;
            f.opt.batch = batch[b];
            f.opt.trace = true;
            assert_int_equal(run(&f, NSTAGES, &r), 0);
            check_complete(&f, &r, 5000);
            for (size_t s = 0; s < NSTAGES; s++)
                batches += r.stages[s].batches;
            for (size_t l = 0; l < r.trace->nlanes; l++)
                for (size_t e = 0; e < r.trace->lanes[l].count; e++)
                    decide += r.trace->lanes[l].events[e].kind == JF_EV_DECIDE;
            flagged = check_carried_batches(r.trace);
            assert_true(r.carried > 0);
            assert_int_equal(flagged, r.carried);
            assert_true(r.carried <= batches - r.stages[0].batches); /* never at stage 0 */
            assert_true(decide >= batches);
            jf_run_result_fini(&r);
        }
    }
}

/* Only scheduled workers carry: single and the fixed strategies push
 * every batch. */
static void test_pipeline_only_scheduled_carries(void **state)
{
    (void)state;
    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t r;

        fixture_init(&f, NSTAGES, 2000);
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = 2;
        assert_int_equal(run(&f, NSTAGES, &r), 0);
        check_complete(&f, &r, 2000);
        if (st == JF_STRATEGY_SCHEDULED)
            assert_true(r.carried > 0);
        else
            assert_int_equal(r.carried, 0);
        jf_run_result_fini(&r);
    }
}

/* A traced run knows each thread's CPU time and samples batches' CPU time:
 * a sampled batch used some CPU and no more than its wall time. */
static void test_pipeline_trace_samples_cpu_time(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    size_t sampled = 0;
    (void)state;

    fixture_init(&f, NSTAGES, 5000);
    f.opt.strategy = JF_STRATEGY_PER_STAGE;
    f.opt.cores = 2;
    f.opt.trace = true;
    assert_int_equal(run(&f, NSTAGES, &r), 0);
    check_complete(&f, &r, 5000);
    for (size_t l = 0; l < r.trace->nlanes; l++) {
        const jf_trace_lane_t *lane = &r.trace->lanes[l];
        assert_true(lane->cpu_ns > 0);
        for (size_t e = 0; e + 1 < lane->count; e++) {
            const jf_event_t *b = &lane->events[e], *end = &lane->events[e + 1];
            if (b->kind != JF_EV_BATCH_BEGIN || end->kind != JF_EV_BATCH_END || b->value == 0)
                continue;
            assert_true(b->value >= 1);
            assert_true(b->value <= (double)(end->t_ns - b->t_ns));
            sampled++;
        }
    }
    assert_true(sampled >= r.trace->nlanes); /* every worker's first batch at least */
    jf_run_result_fini(&r);
}

/* Under an arrival rate the source never hands out an item before it is
 * due, so the run cannot end before the last burst arrives; latency is
 * measured from arrival and its percentiles are ordered. */
static void test_pipeline_arrival_rate_paces_the_source(void **state)
{
    const uint64_t items = 2000;
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_run_result_t r;
        fixture_init(&f, NSTAGES, items);
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.cores = 2;
        f.opt.arrival_rate_per_s = 200000; /* a burst of 10 every 50 us */
        f.opt.arrival_burst = 10;
        assert_int_equal(run(&f, NSTAGES, &r), 0);
        check_complete(&f, &r, items);
        uint64_t last_due_ns = (items - 1) / 10 * 10 * 1000000000ull / 200000;
        assert_true(r.wall_ns >= last_due_ns);
        assert_true(r.latency.p50_ns > 0);
        assert_true(r.latency.p50_ns <= r.latency.p95_ns);
        assert_true(r.latency.p95_ns <= r.latency.p99_ns);
        assert_true(r.latency.p99_ns <= r.latency.max_ns);
        assert_true(r.latency.mean_ns <= (double)r.latency.max_ns);
        jf_run_result_fini(&r);
    }
}

static void test_pipeline_rejects_bad_options(void **state)
{
    fixture_t f;
    jf_pipeline_t *p = NULL;
    (void)state;

    fixture_init(&f, 2, 10);
    f.opt.cores = 0;
    assert_int_equal(jf_pipeline_create(f.specs, 2, &f.opt, &p), JF_EINVAL);
    f.opt.cores = 1;
    f.opt.items = 0;
    assert_int_equal(jf_pipeline_create(f.specs, 2, &f.opt, &p), JF_EINVAL);
    f.opt.items = 10;
    assert_int_equal(jf_pipeline_create(f.specs, 0, &f.opt, &p), JF_EINVAL);
    assert_int_equal(jf_pipeline_create(f.specs, JF_MAX_STAGES + 1, &f.opt, &p), JF_EINVAL);
    f.specs[1].fn = NULL;
    assert_int_equal(jf_pipeline_create(f.specs, 2, &f.opt, &p), JF_EINVAL);
    assert_null(p);
}

/* The most items any batch of stage s held, from the trace. */
static uint32_t largest_batch(const jf_trace_t *t, size_t s)
{
    uint32_t most = 0;

    for (size_t l = 0; l < t->nlanes; l++)
        for (size_t e = 0; e < t->lanes[l].count; e++) {
            const jf_event_t *ev = &t->lanes[l].events[e];
            if (ev->kind == JF_EV_BATCH_BEGIN && ev->stage == s && ev->count > most)
                most = ev->count;
        }
    return most;
}

/* Adaptive batches (batch 0) grow past the least batch at stages whose
 * items are short, up to batch_max; a given batch is never exceeded. */
static void test_pipeline_adaptive_batches(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    uint32_t most = 0;
    (void)state;

    fixture_init(&f, NSTAGES, 3001);
    f.opt.strategy = JF_STRATEGY_SINGLE;
    f.opt.cores = 1;
    f.opt.trace = true;
    f.opt.batch_max = 64;
    assert_int_equal(run(&f, NSTAGES, &r), 0);
    check_complete(&f, &r, 3001);
    for (size_t s = 0; s < NSTAGES; s++) {
        uint32_t m = largest_batch(r.trace, s);
        assert_true(m <= 64);
        most = m > most ? m : most;
    }
    assert_true(most > JF_DEFAULT_BATCH); /* items of well under 1 us */
    jf_run_result_fini(&r);

    fixture_init(&f, NSTAGES, 3001);
    f.opt.strategy = JF_STRATEGY_SINGLE;
    f.opt.cores = 1;
    f.opt.trace = true;
    f.opt.batch = 16;
    f.opt.batch_max = 64; /* ignored: the batch is fixed */
    assert_int_equal(run(&f, NSTAGES, &r), 0);
    check_complete(&f, &r, 3001);
    for (size_t s = 0; s < NSTAGES; s++)
        assert_true(largest_batch(r.trace, s) <= 16);
    jf_run_result_fini(&r);
}

static void test_pipeline_runs_once(void **state)
{
    fixture_t f;
    jf_pipeline_t *p = NULL;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 2, 100);
    f.opt.cores = 2;
    assert_int_equal(jf_pipeline_create(f.specs, 2, &f.opt, &p), 0);
    assert_int_equal(jf_pipeline_run(p, &r), 0);
    assert_int_equal(jf_pipeline_progress(p), 100);
    assert_int_equal(jf_pipeline_run(p, &r), JF_EINVAL);
    jf_pipeline_destroy(p);
    jf_pipeline_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline_every_strategy_keeps_items_and_order),
        cmocka_unit_test(test_pipeline_many_workers_keep_ends),
        cmocka_unit_test(test_pipeline_sink_groups_keep_every_item),
        cmocka_unit_test(test_pipeline_small_window_reuses_slots),
        cmocka_unit_test(test_pipeline_one_stage_one_item),
        cmocka_unit_test(test_pipeline_sink_catches_a_repeated_seq),
        cmocka_unit_test(test_pipeline_scheduled_records_decisions),
        cmocka_unit_test(test_pipeline_scheduled_carries_batches),
        cmocka_unit_test(test_pipeline_only_scheduled_carries),
        cmocka_unit_test(test_pipeline_trace_samples_cpu_time),
        cmocka_unit_test(test_pipeline_arrival_rate_paces_the_source),
        cmocka_unit_test(test_pipeline_rejects_bad_options),
        cmocka_unit_test(test_pipeline_adaptive_batches),
        cmocka_unit_test(test_pipeline_runs_once),
    };

    alarm(300); /* a hang is a failure, never a stuck CI job */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
