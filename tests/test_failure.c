/* test_failure.c - failing kernels, stops and allocation failures end runs cleanly. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "pipeline_kernels.h"

#define NSTAGES 3

typedef struct fixture {
    visit_ctx_t ctx[NSTAGES];
    jf_stage_spec_t specs[NSTAGES];
    visit_sink_t sink;
    jf_run_options_t opt;
} fixture_t;

static void fixture_init(fixture_t *f, uint64_t items)
{
    static const char *names[NSTAGES] = {"read", "work", "write"};

    memset(f, 0, sizeof(*f));
    for (size_t s = 0; s < NSTAGES; s++) {
        f->ctx[s].stage = (unsigned)s;
        f->ctx[s].spin = 50;
        f->specs[s].name = names[s];
        f->specs[s].fn = visit_kernel;
        f->specs[s].ctx = &f->ctx[s];
    }
    f->sink.nstages = NSTAGES;
    f->opt.items = items;
    f->opt.item_bytes = 16;
    f->opt.cores = 2;
    f->opt.source = visit_source;
    f->opt.sink = visit_sink;
    f->opt.sink_ctx = &f->sink;
}

/* A kernel failing at the first, a middle or the last item, at each stage,
 * under every strategy: the run returns JF_EKERNEL naming stage and item,
 * all threads are joined (the call returns), nothing leaks (ASan). */
static void test_failure_kernel_stops_every_strategy(void **state)
{
    static const uint64_t fail_at[] = {0, 777, 1999};
    (void)state;

    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        for (size_t stage = 0; stage < NSTAGES; stage++) {
            for (size_t k = 0; k < 3; k++) {
                fixture_t f;
                jf_pipeline_t *p;
                jf_run_result_t r;
                fixture_init(&f, 2000);
                f.opt.strategy = (jf_strategy_t)st;
                f.opt.cores = 1 + (unsigned)(k % 3);
                f.opt.trace = true;
                f.ctx[stage].fail_seq = fail_at[k];
                f.ctx[stage].fail_code = 7;
                assert_int_equal(jf_pipeline_create(f.specs, NSTAGES, &f.opt, &p), 0);
                assert_int_equal(jf_pipeline_run(p, &r), JF_EKERNEL);
                assert_int_equal(r.failure.stage, (int)stage);
                assert_int_equal(r.failure.seq, fail_at[k]);
                assert_int_equal(r.failure.code, 7);
                assert_true(r.items_out <= fail_at[k]);
                jf_run_result_fini(&r);
                jf_pipeline_destroy(p);
            }
        }
    }
}

static int failing_source(void *ctx, jf_item_t *item)
{
    visit_source(ctx, item);
    return item->seq == 500 ? 3 : 0;
}

static int failing_sink(void *ctx, const jf_item_t *item)
{
    return item->seq == 600 ? 4 : visit_sink(ctx, item);
}

static void test_failure_source_and_sink(void **state)
{
    (void)state;
    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        jf_pipeline_t *p;
        jf_run_result_t r;

        fixture_init(&f, 2000);
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.source = failing_source;
        assert_int_equal(jf_pipeline_create(f.specs, NSTAGES, &f.opt, &p), 0);
        assert_int_equal(jf_pipeline_run(p, &r), JF_EKERNEL);
        assert_int_equal(r.failure.stage, -1);
        assert_int_equal(r.failure.seq, 500);
        assert_int_equal(r.failure.code, 3);
        jf_pipeline_destroy(p);

        fixture_init(&f, 2000);
        f.opt.strategy = (jf_strategy_t)st;
        f.opt.sink = failing_sink;
        assert_int_equal(jf_pipeline_create(f.specs, NSTAGES, &f.opt, &p), 0);
        assert_int_equal(jf_pipeline_run(p, &r), JF_EKERNEL);
        assert_int_equal(r.failure.stage, NSTAGES);
        assert_int_equal(r.failure.seq, 600);
        assert_int_equal(r.items_out, 600);
        jf_pipeline_destroy(p);
    }
}

/* The check hook (jf_check_fn): every item once, before the sink sees it,
 * from the workers concurrently. seen[seq] is set by the check; the sink
 * (in order, one call at a time) finds it set for every item it emits. */
typedef struct checked_run {
    atomic_uchar *seen;
    uint64_t fail_seq; /* the check fails this item with code 5 */
    atomic_uint_least64_t checked, twice;
    uint64_t emitted, unchecked; /* the sink's: one call at a time */
    visit_sink_t *visits;
} checked_run_t;

static int check_once(void *ctx, const jf_item_t *item)
{
    checked_run_t *c = ctx;

    if (atomic_exchange(&c->seen[item->seq], 1) != 0)
        atomic_fetch_add(&c->twice, 1);
    atomic_fetch_add(&c->checked, 1);
    return item->seq == c->fail_seq ? 5 : 0;
}

static int sink_after_check(void *ctx, const jf_item_t *item)
{
    checked_run_t *c = ctx;

    c->emitted++;
    if (atomic_load(&c->seen[item->seq]) != 1)
        c->unchecked++;
    return visit_sink(c->visits, item);
}

/* Every strategy, at 2 workers and at 72 (scheduled and n-per-stage keep
 * batches for the sink there, checked before they are kept): a run with a
 * check checks every item once and before the sink; a check that fails an
 * item fails the run as the sink's failure, at that item, and nothing
 * after it is emitted. */
static void test_failure_check_before_sink(void **state)
{
    enum { ITEMS = 3000 };
    static const unsigned cores[] = {2, 72};
    (void)state;
    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        for (size_t c = 0; c < sizeof cores / sizeof *cores; c++) {
            for (int fail = 0; fail <= 1; fail++) {
                atomic_uchar *seen = calloc(ITEMS, sizeof *seen);
                checked_run_t chk = {.seen = seen, .fail_seq = fail ? 600 : UINT64_MAX};
                fixture_t f;
                jf_pipeline_t *p;
                jf_run_result_t r;

                assert_non_null(seen);
                fixture_init(&f, ITEMS);
                f.opt.strategy = (jf_strategy_t)st;
                f.opt.cores = cores[c];
                f.opt.check = check_once;
                f.opt.check_ctx = &chk;
                f.opt.sink = sink_after_check;
                f.opt.sink_ctx = &chk;
                chk.visits = &f.sink;
                assert_int_equal(jf_pipeline_create(f.specs, NSTAGES, &f.opt, &p), 0);
                assert_int_equal(jf_pipeline_run(p, &r), fail ? JF_EKERNEL : 0);
                assert_int_equal(atomic_load(&chk.twice), 0);
                assert_int_equal(chk.unchecked, 0);
                assert_int_equal(chk.emitted, r.items_out);
                assert_int_equal(f.sink.bad, 0);
                assert_true(r.order_preserved);
                if (fail) {
                    assert_int_equal(r.failure.stage, NSTAGES);
                    assert_int_equal(r.failure.seq, 600);
                    assert_int_equal(r.failure.code, 5);
                    assert_true(r.items_out <= 600);
                } else {
                    assert_int_equal(r.items_out, ITEMS);
                    assert_int_equal(atomic_load(&chk.checked), ITEMS);
                    assert_true(r.sink_ns > 0);
                }
                jf_run_result_fini(&r);
                jf_pipeline_destroy(p);
                free(seen);
            }
        }
    }
}

/* A slow pipeline stopped from another thread returns JF_ESTOPPED with
 * every thread joined and the items out still in order. */
typedef struct stopper {
    jf_pipeline_t *p;
} stopper_t;

static void *stop_soon(void *arg)
{
    stopper_t *s = arg;

    while (jf_pipeline_progress(s->p) < 100)
        usleep(100);
    jf_pipeline_stop(s->p);
    return NULL;
}

static void test_failure_stop_from_another_thread(void **state)
{
    (void)state;
    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        fixture_t f;
        stopper_t s;
        pthread_t t;
        jf_run_result_t r;

        fixture_init(&f, 1000000);
        f.opt.strategy = (jf_strategy_t)st;
        f.ctx[1].spin = 2000;
        assert_int_equal(jf_pipeline_create(f.specs, NSTAGES, &f.opt, &s.p), 0);
        assert_int_equal(pthread_create(&t, NULL, stop_soon, &s), 0);
        assert_int_equal(jf_pipeline_run(s.p, &r), JF_ESTOPPED);
        pthread_join(t, NULL);
        assert_true(r.items_out >= 100);
        assert_true(r.items_out < 1000000);
        assert_true(r.order_preserved);
        assert_int_equal(f.sink.checked, r.items_out);
        jf_pipeline_destroy(s.p);
    }
}

/* Scheduled workers carry finished batches to the next stage: a run
 * stopped, or failed at any stage, with batches in hand still ends, frees
 * everything, emits only checked items in order, and no stage ran an item
 * twice or out of turn. */
static void test_failure_scheduled_carry_stop_and_fail(void **state)
{
    /* 72 workers: each also keeps claimed positions and batches for the
     * sink (jf__end_batches) when the run stops or fails. */
    static const unsigned many[] = {1, 2, 72};
    (void)state;
    for (size_t c = 0; c < sizeof many / sizeof *many; c++) {
        unsigned cores = many[c];
        for (size_t stage = 0; stage <= NSTAGES; stage++) {
            fixture_t f;
            stopper_t s;
            pthread_t t;
            jf_run_result_t r;
            long live = jf_alloc_live();
            bool stop = stage == NSTAGES; /* else fail at this stage */

            fixture_init(&f, stop ? 1000000 : 3000);
            f.opt.strategy = JF_STRATEGY_SCHEDULED;
            f.opt.cores = cores;
            for (size_t k = 0; k < NSTAGES; k++)
                f.ctx[k].ordered = 1;
            if (!stop) {
                f.ctx[stage].fail_seq = 2222;
                f.ctx[stage].fail_code = 7;
            }
            assert_int_equal(jf_pipeline_create(f.specs, NSTAGES, &f.opt, &s.p), 0);
            if (stop)
                assert_int_equal(pthread_create(&t, NULL, stop_soon, &s), 0);
            assert_int_equal(jf_pipeline_run(s.p, &r), stop ? JF_ESTOPPED : JF_EKERNEL);
            if (stop)
                pthread_join(t, NULL);
            else
                assert_int_equal(r.failure.stage, (int)stage);
            assert_true(r.order_preserved);
            assert_int_equal(f.sink.checked, r.items_out);
            assert_int_equal(f.sink.bad, 0);
            for (size_t k = 0; k + 1 < NSTAGES; k++)
                assert_true(r.stages[k].items >= r.stages[k + 1].items);
            assert_true(r.carried > 0);
            jf_run_result_fini(&r);
            jf_pipeline_destroy(s.p);
            assert_int_equal(jf_alloc_live(), live);
        }
    }
}

/* Done detection: more workers than items, and more stages than items;
 * every worker must notice the end and exit (the run returns). */
static void test_failure_done_with_idle_workers(void **state)
{
    (void)state;
    for (int st = 0; st < JF_STRATEGY_COUNT; st++) {
        for (uint64_t items = 1; items <= 3; items++) {
            fixture_t f;
            jf_pipeline_t *p;
            jf_run_result_t r;
            fixture_init(&f, items);
            f.opt.strategy = (jf_strategy_t)st;
            f.opt.cores = 4;
            f.opt.batch = 64;
            assert_int_equal(jf_pipeline_create(f.specs, NSTAGES, &f.opt, &p), 0);
            assert_int_equal(jf_pipeline_run(p, &r), 0);
            assert_int_equal(r.items_out, items);
            assert_true(r.order_preserved);
            jf_pipeline_destroy(p);
        }
    }
}

/* Every allocation jf_pipeline_create makes may fail: each failure gives
 * JF_ENOMEM and leaves nothing allocated (ASan's leak check). */
static void test_failure_create_out_of_memory(void **state)
{
    fixture_t f;
    jf_pipeline_t *p;
    unsigned long n;
    (void)state;

    fixture_init(&f, 100);
    f.opt.strategy = JF_STRATEGY_SCHEDULED;
    f.opt.trace = true;
    for (n = 1; n < 200; n++) {
        p = NULL;
        jf_alloc_fail_after(n);
        int rc = jf_pipeline_create(f.specs, NSTAGES, &f.opt, &p);
        jf_alloc_fail_after(0);
        if (rc == 0) {
            jf_pipeline_destroy(p);
            break;
        }
        assert_int_equal(rc, JF_ENOMEM);
        assert_null(p);
    }
    assert_true(n > 5); /* it did allocate, and every step was tried */
    assert_true(n < 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failure_kernel_stops_every_strategy),
        cmocka_unit_test(test_failure_source_and_sink),
        cmocka_unit_test(test_failure_check_before_sink),
        cmocka_unit_test(test_failure_stop_from_another_thread),
        cmocka_unit_test(test_failure_done_with_idle_workers),
        cmocka_unit_test(test_failure_scheduled_carry_stop_and_fail),
        cmocka_unit_test(test_failure_create_out_of_memory),
    };

    alarm(300); /* a hang is a failure, never a stuck CI job */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
