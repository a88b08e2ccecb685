/* mb_sink.c - the sink's serial part per hand-over and per run: hand-overs
 * of k runs, all but one of which wait in the reorder window, from one or
 * two threads, timed by the engine's own count of the time its lock is
 * held (jf_run_result_t.sink_ns; here the workers' sink_ns directly).
 *
 * Calls the sink (core/sink.c) on a pipeline that is built but not run:
 * no source, stages or scheduler, only hand-overs. Each group of k runs of
 * r items is handed over in reverse order in one hand-over, so that runs
 * k-1 .. 1 wait in the window and run 0 lets the drain emit them all; with
 * two threads, groups alternate between them and the lock moves between
 * cores. The simulator's sink_run_ns is the cost of a further run
 * (docs/simulator.md). */
#include <pthread.h>
#include <stdio.h>

#include "bench/mb_common.h"
#include "core/pipeline_internal.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"

#define WINDOW (1u << 16)
#define MAX_ITEMS 256u /* per hand-over: the pipeline's batch_max */

static int empty_kernel(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    return 0;
}

typedef struct hander {
    jf__worker_t *w;
    unsigned k, r, threads, id;
    uint64_t groups;
    int rc;
} hander_t;

/* Hands over groups id, id + threads, ... of k runs of r items, each
 * group's runs in reverse order, keeping within half the window of what
 * has been emitted. */
static void *hand(void *arg)
{
    hander_t *h = arg;
    struct jf_pipeline *p = h->w->p;
    jf_item_t items[MAX_ITEMS];
    uint64_t size = (uint64_t)h->k * h->r;

    for (uint64_t g = h->id; g < h->groups && h->rc == 0; g += h->threads) {
        uint64_t first = g * size;
        while (first + size - atomic_load(&p->emitted) > WINDOW / 2)
            jf_cpu_relax();
        for (unsigned run = 0; run < h->k; run++) {
            uint64_t start = first + (uint64_t)(h->k - 1 - run) * h->r;
            for (unsigned i = 0; i < h->r; i++) {
                /* One arrival time per run: its own claim. */
                atomic_store_explicit(&p->born[(start + i) & (WINDOW - 1)], start,
                                      memory_order_relaxed);
                items[run * h->r + i] = (jf_item_t){.seq = start + i};
            }
        }
        h->rc = jf__sink_accept(h->w, items, size);
    }
    return NULL;
}

/* ns per hand-over of k runs of r items from `threads` threads. */
static int measure(unsigned threads, unsigned k, unsigned r, uint64_t groups, double *ns)
{
    jf_stage_spec_t spec = {.name = "s", .fn = empty_kernel};
    jf_run_options_t opt = {.strategy = JF_STRATEGY_SCHEDULED, .cores = 2, .items = groups * k * r,
                            .batch = MAX_ITEMS, .window = WINDOW};
    jf_pipeline_t *p;
    hander_t h[2];
    pthread_t t[2];
    uint64_t held = 0;
    int rc = jf_pipeline_create(&spec, 1, &opt, &p);

    if (rc != 0)
        return rc;
    for (unsigned i = 0; i < threads; i++) {
        h[i] = (hander_t){&p->workers[i], k, r, threads, i, groups, 0};
        if (pthread_create(&t[i], NULL, hand, &h[i]) != 0)
            return JF_ETHREAD;
    }
    for (unsigned i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        rc = rc != 0 ? rc : h[i].rc;
        held += p->workers[i].sink_ns;
    }
    if (rc == 0 && p->next_emit != groups * k * r)
        rc = JF_EORDER;
    *ns = (double)held / (double)groups;
    jf_pipeline_destroy(p);
    return rc;
}

int main(void)
{
    static const unsigned runs[] = {1, 2, 4, 8};
    static const unsigned sizes[] = {16, 32};
    unsigned reps = mb_repeat(5);
    int failed = 0;

    mb_header("sink: serial time per hand-over of k runs",
              "hand-overs of k runs of r items, k - 1 of them waiting in the reorder window; "
              "ns = the sink's lock held per hand-over (its sink_ns)");
    printf("   median of %u runs; further run = (ns(k) - ns(1)) / (k - 1)\n\n", reps);
    printf("   %7s %4s %4s %12s %10s %10s %12s\n", "threads", "r", "k", "ns/hand-over", "min",
           "max", "further run");
    for (unsigned threads = 1; threads <= 2; threads++) {
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            double one = 0;
            for (size_t j = 0; j < sizeof runs / sizeof *runs; j++) {
                unsigned k = runs[j], r = sizes[s];
                uint64_t groups = mb_scaled(200000 / k);
                double v[64];
                for (unsigned i = 0; i < reps && i < 64; i++) {
                    int rc = measure(threads, k, r, groups, &v[i]);
                    if (rc != 0) {
                        fprintf(stderr, "mb_sink: %s\n", jf_strerror(rc));
                        failed = 1;
                    }
                }
                double med = mb_median(v, reps);
                if (k == 1)
                    one = med;
                printf("   %7u %4u %4u %12.1f %10.1f %10.1f", threads, r, k, med, mb_min(v, reps),
                       mb_max(v, reps));
                if (k > 1)
                    printf(" %12.1f", (med - one) / (k - 1));
                printf("\n");
                fflush(stdout);
            }
        }
    }
    printf("\n");
    return failed;
}
