/* test_omp_peer.c - the OpenMP peer (harness/peers/omp) run directly: every item once, in
 * order, under every schedule and chunk; failures, stops and bad options. Skipped when the
 * build has no OpenMP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "pipeline_kernels.h"

#ifdef JF_HAVE_OMP
#include "harness/peers/omp/omp_peer.h"

#define NSTAGES 3

typedef struct fixture {
    visit_ctx_t ctx[NSTAGES];
    jf_stage_spec_t spec[NSTAGES];
    visit_sink_t sink;
    jf_run_options_t opt;
} fixture_t;

static void fixture_init(fixture_t *f, uint64_t items, unsigned cores)
{
    static const char *names[NSTAGES] = {"a", "b", "c"};

    memset(f, 0, sizeof *f);
    for (unsigned s = 0; s < NSTAGES; s++) {
        f->ctx[s] = (visit_ctx_t){.stage = s, .spin = 50 + 200 * (s == 1)};
        f->spec[s] = (jf_stage_spec_t){names[s], visit_kernel, &f->ctx[s], false};
    }
    f->sink.nstages = NSTAGES;
    f->opt = (jf_run_options_t){.cores = cores, .items = items, .source = visit_source,
                                .sink = visit_sink, .sink_ctx = &f->sink};
}

static void test_omp_peer_every_schedule_keeps_items_and_order(void **state)
{
    static const unsigned chunks[] = {1, 7, 16, 256};
    (void)state;

    for (int sched = PEER_OMP_DYNAMIC; sched <= PEER_OMP_GUIDED; sched++) {
        for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
            fixture_t f;
            jf_run_result_t r;
            peer_omp_options_t o = {.chunk = chunks[k], .schedule = (peer_omp_schedule_t)sched};

            fixture_init(&f, 3001, 2); /* not a multiple of any chunk but 1 */
            f.opt.trace = true;
            assert_int_equal(peer_omp_run_ex(f.spec, NSTAGES, &f.opt, &o, &r), 0);
            assert_int_equal(r.items_in, 3001);
            assert_int_equal(r.items_out, 3001);
            assert_true(r.order_preserved);
            assert_int_equal(f.sink.checked, 3001); /* every stage saw every item once */
            assert_int_equal(r.threads, 2);
            assert_int_equal(r.stages[1].items, 3001);
            assert_int_equal(r.stages[1].batches, (3001 + chunks[k] - 1) / chunks[k]);
            assert_non_null(r.trace);
            assert_int_equal(r.trace->nlanes, 2);
            size_t begins = 0;
            for (size_t l = 0; l < r.trace->nlanes; l++)
                for (size_t e = 0; e < r.trace->lanes[l].count; e++)
                    begins += r.trace->lanes[l].events[e].kind == JF_EV_BATCH_BEGIN;
            assert_int_equal(begins, NSTAGES * ((3001 + chunks[k] - 1) / chunks[k]));
            assert_true(r.latency.max_ns >= r.latency.p50_ns);
            jf_run_result_fini(&r);
        }
    }
}

/* A failing kernel stops the run: the error says which stage and item,
 * and nothing after the failure reaches the sink. */
static void test_omp_peer_kernel_failure_is_reported(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    (void)state;

    fixture_init(&f, 5000, 2);
    f.ctx[2].fail_seq = 1234;
    f.ctx[2].fail_code = 7;
    assert_int_equal(peer_omp_run_ex(f.spec, NSTAGES, &f.opt, NULL, &r), JF_EKERNEL);
    assert_int_equal(r.failure.stage, 2);
    assert_int_equal(r.failure.seq, 1234);
    assert_int_equal(r.failure.code, 7);
    assert_true(r.items_out <= 1234);
    jf_run_result_fini(&r);
}

static int stop_at_2048(void *ctx, uint64_t emitted)
{
    (void)ctx;
    return emitted >= 2048;
}

static void test_omp_peer_poll_stops_the_run(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    peer_omp_options_t o = {.poll = stop_at_2048};
    (void)state;

    fixture_init(&f, 100000, 2);
    assert_int_equal(peer_omp_run_ex(f.spec, NSTAGES, &f.opt, &o, &r), JF_ESTOPPED);
    assert_true(r.items_out >= 2048 && r.items_out < 100000);
    jf_run_result_fini(&r);
}

static void test_omp_peer_rejects_bad_options(void **state)
{
    fixture_t f;
    jf_run_result_t r;
    peer_omp_options_t big = {.chunk = 65537};
    (void)state;

    fixture_init(&f, 10, 0);
    assert_int_equal(peer_omp_run_ex(f.spec, NSTAGES, &f.opt, NULL, &r), JF_EINVAL);
    fixture_init(&f, 0, 2);
    assert_int_equal(peer_omp_run_ex(f.spec, NSTAGES, &f.opt, NULL, &r), JF_EINVAL);
    fixture_init(&f, 10, 2);
    assert_int_equal(peer_omp_run_ex(f.spec, 0, &f.opt, NULL, &r), JF_EINVAL);
    assert_int_equal(peer_omp_run_ex(f.spec, NSTAGES, &f.opt, &big, &r), JF_ERANGE);
    f.opt.arrival_rate_per_s = -1;
    assert_int_equal(peer_omp_run_ex(f.spec, NSTAGES, &f.opt, NULL, &r), JF_ERANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omp_peer_every_schedule_keeps_items_and_order),
        cmocka_unit_test(test_omp_peer_kernel_failure_is_reported),
        cmocka_unit_test(test_omp_peer_poll_stops_the_run),
        cmocka_unit_test(test_omp_peer_rejects_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

static void test_omp_peer_not_built(void **state)
{
    (void)state;
    skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_omp_peer_not_built)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
