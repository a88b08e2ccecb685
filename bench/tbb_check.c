/* tbb_check.c - the oneTBB peer keeps the engine's contract: items, order, failure, stop. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/mb_common.h"
#include "harness/peers/tbb/peer_tbb.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "jefferson/topology.h"
#include "workloads/workload.h"

static int failures;

static void check(int ok, const char *what)
{
    printf("   %-62s %s\n", what, ok ? "ok" : "FAILED");
    failures += !ok;
}

static int fail_at_777(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    return in->seq == 777 ? 42 : 0;
}

static int stop_after_2048(void *ctx, uint64_t emitted)
{
    return emitted >= 2048;
}

/* The bottleneck workload, unpinned and pinned: every item, in order,
 * figures filled, the caller's affinity left alone. */
static void check_runs(const workload_binding_t *b, const workload_t *w,
                       jf_run_options_t opt, const jf_topology_t *topo)
{
    jf_run_result_t r;
    cpu_set_t before, after;

    for (int pinned = 0; pinned < 2; pinned++) {
        opt.topology = pinned ? topo : NULL;
        pthread_getaffinity_np(pthread_self(), sizeof before, &before);
        int rc = peer_tbb_run(b->specs, b->nstages, &opt, &r);
        pthread_getaffinity_np(pthread_self(), sizeof after, &after);
        char what[96];
        snprintf(what, sizeof what, "bottleneck, %u cores%s: %s, %.1f ms", opt.cores,
                 pinned ? ", pinned" : "", jf_strerror(rc), r.wall_ns / 1e6);
        check(rc == 0, what);
        check(r.items_in == w->items && r.items_out == w->items, "  every item in and out");
        check(r.order_preserved, "  sink saw source order");
        check(r.threads == opt.cores && r.trace == NULL, "  threads = cores, no trace");
        check(r.kernel_cpu_ns > 0 && r.path_ns > 0 && r.stages[1].items == w->items,
              "  kernel time and per-stage stats filled");
        check(CPU_EQUAL(&before, &after), "  caller's CPU affinity unchanged");
        jf_run_result_fini(&r);
    }
}

/* Tokens of several items, including a partial last one. */
static void check_batched(const workload_binding_t *b, const workload_t *w,
                          const jf_run_options_t *opt)
{
    jf_run_result_t r;
    peer_tbb_options_t bt = {.batch = 16};
    int rc = peer_tbb_run_ex(b->specs, b->nstages, opt, &bt, &r);

    check(rc == 0 && r.items_out == w->items && r.order_preserved &&
              r.stages[1].batches == (w->items + 15) / 16,
          "tokens of 16 items: every item, in order, 1 batch per token");
    jf_run_result_fini(&r);
    peer_tbb_options_t odd = {.batch = 7, .tokens = 3};
    jf_run_options_t oopt = *opt;
    oopt.items = 1000; /* a partial last token */
    rc = peer_tbb_run_ex(b->specs, b->nstages, &oopt, &odd, &r);
    check(rc == 0 && r.items_out == 1000 && r.order_preserved,
          "tokens of 7 items, 3 tokens, 1000 items: in order");
    jf_run_result_fini(&r);
}

/* A failing kernel, a stop request and bad arguments. */
static void check_endings(const workload_binding_t *b, const workload_t *w,
                          const jf_run_options_t *opt)
{
    static const char *const names[3] = {"a", "b", "c"};
    jf_stage_spec_t failing[3];
    jf_run_result_t r;

    for (int i = 0; i < 3; i++)
        failing[i] = (jf_stage_spec_t){.name = names[i], .fn = b->specs[0].fn,
                                       .ctx = b->specs[0].ctx};
    failing[1].fn = fail_at_777;
    failing[1].ctx = NULL;
    jf_run_options_t fopt = {.cores = opt->cores, .items = 5000};
    int rc = peer_tbb_run(failing, 3, &fopt, &r);
    check(rc == JF_EKERNEL && r.failure.stage == 1 && r.failure.seq == 777 &&
              r.failure.code == 42,
          "failing kernel: JF_EKERNEL at stage 1, seq 777, code 42");
    check(r.items_out < 5000, "  run cancelled before the end");
    jf_run_result_fini(&r);

    peer_tbb_options_t t = {.poll = stop_after_2048};
    rc = peer_tbb_run_ex(b->specs, b->nstages, opt, &t, &r);
    check(rc == JF_ESTOPPED && r.items_out >= 2048 && r.items_out < w->items,
          "poll asks to stop: JF_ESTOPPED");
    jf_run_result_fini(&r);
    check(peer_tbb_run(b->specs, 0, opt, &r) == JF_EINVAL, "no stages: JF_EINVAL");
}

int main(void)
{
    const char *dir = getenv("JF_WORKLOADS");
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    workload_binding_t b;
    jf_topology_t *topo = NULL;

    if (workload_find("bottleneck", dir, &w, err) != 0 || workload_bind(w, &b, err) != 0) {
        fprintf(stderr, "tbb_check: %s\n", err);
        return 1;
    }
    if (jf_topology_create(&topo) != 0)
        topo = NULL;
    unsigned cores = topo ? jf_topology_cores(topo) : 2;
    mb_header("oneTBB peer: contract check", "peer_tbb_run on bottleneck (payloads verified by "
              "the workload's sink), a failing kernel, a stop request");
    printf("\n");

    jf_run_options_t opt = {.cores = cores, .items = w->items, .item_bytes = w->item_bytes,
                            .source = b.source, .source_ctx = b.source_ctx, .check = b.check,
                            .check_ctx = b.check_ctx};
    check_runs(&b, w, opt, topo);
    check_batched(&b, w, &opt);
    check_endings(&b, w, &opt);
    printf("   %s\n\n", failures ? "tbb_check: FAILED" : "tbb_check: all ok");
    workload_unbind(&b);
    workload_destroy(w);
    jf_topology_destroy(topo);
    return failures != 0;
}
