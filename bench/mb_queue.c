/* mb_queue.c - jf_queue push+pop cost per item: 1 thread, 1P1C, 2P2C; batch 1, 8, 64. */
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench/mb_common.h"
#include "core/jf_arch.h"
#include "core/jf_queue.h"
#include "jefferson/topology.h"

#define CAPACITY 1024u
#define MAX_THREADS 4
/* Failed attempts before a thread yields its core: 2P2C runs four threads
 * on what may be two cores, and a spinning thread would hold one. */
#define SPINS_BEFORE_YIELD 64
/* Items per timed chunk: consumers stamp the clock each time the count of
 * items consumed crosses a multiple; the median chunk is one in which no
 * thread was preempted by another program. */
#define CHUNK 1024u

typedef struct shared {
    jf_queue_t *q;
    const jf_topology_t *topo;
    unsigned cores;
    size_t batch;
    uint64_t per_producer;
    uint64_t total;
    mb_barrier_t barrier;
    alignas(JF_CACHE_LINE) atomic_uint_least64_t consumed;
    alignas(JF_CACHE_LINE) atomic_uint_least64_t checksum;
    uint64_t *stamps; /* stamps[k]: when item k * CHUNK was consumed */
} shared_t;

typedef struct thread_arg {
    shared_t *sh;
    unsigned index;
    bool producer;
    uint64_t t0, t1;
} thread_arg_t;

static void backoff(unsigned *misses)
{
    if (++*misses % SPINS_BEFORE_YIELD == 0)
        sched_yield();
    else
        jf_cpu_relax();
}

static void produce(thread_arg_t *a)
{
    shared_t *sh = a->sh;
    jf_item_t items[64];
    uint64_t next = (uint64_t)a->index * sh->per_producer, end = next + sh->per_producer;
    unsigned misses = 0;

    while (next < end) {
        size_t n = end - next < sh->batch ? (size_t)(end - next) : sh->batch;
        for (size_t i = 0; i < n; i++)
            items[i] = (jf_item_t){.seq = next + i};
        size_t done = 0;
        while (done < n) {
            size_t k = jf_queue_push_batch(sh->q, items + done, n - done);
            done += k;
            if (k == 0)
                backoff(&misses);
        }
        next += n;
    }
}

static void consume(thread_arg_t *a)
{
    shared_t *sh = a->sh;
    jf_item_t items[64];
    uint64_t sum = 0;
    unsigned misses = 0;

    /* Relaxed: the counter only tells consumers when to stop. */
    while (atomic_load_explicit(&sh->consumed, memory_order_relaxed) < sh->total) {
        size_t n = jf_queue_pop_batch(sh->q, items, sh->batch);
        if (n == 0) {
            backoff(&misses);
            continue;
        }
        for (size_t i = 0; i < n; i++)
            sum += items[i].seq;
        uint64_t before = atomic_fetch_add_explicit(&sh->consumed, n, memory_order_relaxed);
        if (before / CHUNK != (before + n) / CHUNK)
            sh->stamps[(before + n) / CHUNK] = jf_clock_ns();
    }
    atomic_fetch_add_explicit(&sh->checksum, sum, memory_order_relaxed);
}

static void *thread_main(void *arg)
{
    thread_arg_t *a = arg;
    shared_t *sh = a->sh;

    if (sh->topo != NULL)
        (void)jf_topology_bind_thread(sh->topo, jf_topology_core_for(sh->topo, a->index * 2 +
                                                                     !a->producer, sh->cores));
    mb_barrier_wait(&sh->barrier);
    a->t0 = jf_clock_ns();
    if (a->producer)
        produce(a);
    else
        consume(a);
    a->t1 = jf_clock_ns();
    return NULL;
}

/* One run with `pairs` producers and as many consumers. Returns ns per
 * item of the median chunk, the whole run's average in *wall, or -1 when
 * items were lost (never expected). */
static double run_threads(const jf_topology_t *topo, unsigned cores, unsigned pairs,
                          size_t batch, uint64_t items, double *wall)
{
    static mb_chunks_t chunks;
    shared_t sh = {.topo = topo, .cores = cores, .batch = batch};
    thread_arg_t args[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    unsigned n = 2 * pairs;

    if (jf_queue_create(CAPACITY, &sh.q) != 0)
        return -1;
    sh.per_producer = items / pairs;
    sh.total = sh.per_producer * pairs;
    sh.barrier.n = n;
    sh.stamps = calloc(sh.total / CHUNK + 2, sizeof(uint64_t));
    if (sh.stamps == NULL)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        args[i] = (thread_arg_t){.sh = &sh, .index = i / 2, .producer = i % 2 == 0};
        pthread_create(&th[i], NULL, thread_main, &args[i]);
    }
    uint64_t t0 = UINT64_MAX, t1 = 0;
    for (unsigned i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        t0 = args[i].t0 < t0 ? args[i].t0 : t0;
        t1 = args[i].t1 > t1 ? args[i].t1 : t1;
    }
    jf_queue_destroy(sh.q);
    chunks.n = 0;
    /* Chunk k-1..k, from the first whole chunk on: k = 1 may include start-up. */
    for (uint64_t k = 2; k <= sh.total / CHUNK; k++)
        mb_chunk_add(&chunks, sh.stamps[k] - sh.stamps[k - 1], CHUNK);
    free(sh.stamps);
    uint64_t want = sh.total * (sh.total - 1) / 2;
    if (atomic_load(&sh.checksum) != want || atomic_load(&sh.consumed) != sh.total)
        return -1;
    *wall = (double)(t1 - t0) / (double)sh.total;
    return mb_median(chunks.per_op, chunks.n);
}

/* The uncontended floor: one thread pushes a batch and pops it back. */
static double run_alone(size_t batch, uint64_t items, double *wall)
{
    static mb_chunks_t chunks;
    jf_queue_t *q;
    jf_item_t in[64], out[64];
    uint64_t sum = 0;

    if (jf_queue_create(CAPACITY, &q) != 0)
        return -1;
    for (size_t i = 0; i < batch; i++)
        in[i] = (jf_item_t){.seq = i};
    chunks.n = 0;
    uint64_t t0 = jf_clock_ns(), prev = t0;
    for (uint64_t done = 0; done < items;) {
        jf_queue_push_batch(q, in, batch);
        size_t n = jf_queue_pop_batch(q, out, batch);
        sum += out[n - 1].seq;
        done += batch;
        if (done % (4 * CHUNK) < batch) {
            uint64_t now = jf_clock_ns();
            mb_chunk_add(&chunks, now - prev, 4 * CHUNK);
            prev = now;
        }
    }
    jf_queue_destroy(q);
    mb_keep(sum);
    *wall = (double)(prev - t0) / (double)items;
    return mb_median(chunks.per_op, chunks.n);
}

int main(void)
{
    static const size_t batches[] = {1, 8, 64};
    static const char *const names[] = {"1 thread", "1P1C", "2P2C"};
    jf_topology_t *topo = NULL;
    unsigned reps = mb_repeat(5);
    unsigned cores;
    int failed = 0;

    if (jf_topology_create(&topo) != 0)
        topo = NULL;
    cores = topo ? jf_topology_cores(topo) : 1;
    mb_header("queue: push + pop, ns per item",
              "jf_queue_push_batch/pop_batch, capacity 1024, 24-byte items; per item moved (one "
              "push and one pop)");
    printf("   threads pinned round-robin over %u cores (producer i on core 2i, consumer i on "
           "2i+1, mod cores); 2P2C with 2 cores is 2 threads per core\n", cores);
    printf("   ns/item: median over chunks of 1024 items (4096 alone) of each run, then median of "
           "%u runs;\n   wall: whole-run average, includes time other programs held the "
           "cores\n\n", reps);
    printf("   %-9s %6s %12s %10s %10s %10s %10s\n", "case", "batch", "items/run", "ns/item",
           "min", "max", "wall");
    for (unsigned c = 0; c < 3; c++) {
        for (size_t b = 0; b < sizeof batches / sizeof *batches; b++) {
            size_t batch = batches[b];
            uint64_t items = mb_scaled(c == 0 ? 8000000 : batch == 1 ? 1000000 : 4000000);
            double v[64], wall[64];
            for (unsigned r = 0; r < reps && r < 64; r++) {
                v[r] = c == 0 ? run_alone(batch, items, &wall[r])
                              : run_threads(topo, cores, c, batch, items, &wall[r]);
                if (v[r] < 0)
                    failed = 1;
            }
            double med = mb_median(v, reps);
            printf("   %-9s %6zu %12llu %10.1f %10.1f %10.1f %10.1f\n", names[c], batch,
                   (unsigned long long)items, med, mb_min(v, reps), mb_max(v, reps),
                   mb_median(wall, reps));
            fflush(stdout);
        }
    }
    if (failed)
        printf("   ERROR: a run lost or duplicated items\n");
    printf("\n");
    jf_topology_destroy(topo);
    return failed;
}
