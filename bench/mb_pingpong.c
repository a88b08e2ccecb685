/* mb_pingpong.c - the floor of any cross-core hand-off: a cache line, an RMW, a wake-up. */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>

#include "bench/mb_common.h"
#include "core/jf_arch.h"
#include "jefferson/topology.h"

typedef enum kind { PINGPONG, RMW, CONDVAR } kind_t;

typedef struct shared {
    const jf_topology_t *topo;
    kind_t mode;
    uint64_t rounds;
    mb_barrier_t barrier;
    alignas(JF_CACHE_LINE) atomic_uint_least64_t flag; /* the line that travels */
    alignas(JF_CACHE_LINE) pthread_mutex_t lock;
    pthread_cond_t cond;
    uint64_t turn; /* under lock */
    mb_chunks_t chunks; /* side 0's */
} shared_t;

/* Side 0 times every CHUNK rounds: the median chunk is one in which
 * neither thread was preempted by another program. */
#define CHUNK 256u

static uint64_t chunk_done(shared_t *sh, uint64_t prev, uint64_t rounds)
{
    uint64_t now = jf_clock_ns();

    mb_chunk_add(&sh->chunks, now - prev, rounds);
    return now;
}

typedef struct arg {
    shared_t *sh;
    unsigned core;
    unsigned side; /* 0 or 1 */
    uint64_t t0, t1;
} arg_t;

/* Side 0 moves the flag from even to odd, side 1 from odd to even: each
 * round trip moves the line to the other core and back. Acquire/release:
 * only the flag itself is published. */
static void pingpong(shared_t *sh, unsigned side)
{
    uint64_t prev = jf_clock_ns();

    for (uint64_t i = 0; i < sh->rounds; i++) {
        uint64_t want = 2 * i + side;
        while (atomic_load_explicit(&sh->flag, memory_order_acquire) != want)
            jf_cpu_relax();
        atomic_store_explicit(&sh->flag, want + 1, memory_order_release);
        if (side == 0 && (i + 1) % CHUNK == 0)
            prev = chunk_done(sh, prev, CHUNK);
    }
}

/* Both sides hammer one counter with fetch_add: the cost of an RMW on a
 * line the other core keeps taking away (queue indices, `active`). */
static void rmw(shared_t *sh, unsigned side)
{
    uint64_t prev = jf_clock_ns();

    for (uint64_t i = 0; i < sh->rounds; i++) {
        atomic_fetch_add_explicit(&sh->flag, 1, memory_order_relaxed);
        if (side == 0 && (i + 1) % CHUNK == 0)
            prev = chunk_done(sh, prev, CHUNK);
    }
}

/* Sleeping ping-pong through a mutex and condition variable, as a parked
 * worker is woken: each hand-off is a futex wake and a context switch. */
static void condvar(shared_t *sh, unsigned side)
{
    uint64_t prev = jf_clock_ns();

    pthread_mutex_lock(&sh->lock);
    for (uint64_t i = 0; i < sh->rounds; i++) {
        uint64_t want = 2 * i + side;
        while (sh->turn != want)
            pthread_cond_wait(&sh->cond, &sh->lock);
        sh->turn = want + 1;
        pthread_cond_signal(&sh->cond);
        if (side == 0 && (i + 1) % (CHUNK / 16) == 0)
            prev = chunk_done(sh, prev, CHUNK / 16);
    }
    pthread_mutex_unlock(&sh->lock);
}

static void *thread_main(void *p)
{
    arg_t *a = p;
    shared_t *sh = a->sh;

    if (sh->topo != NULL)
        (void)jf_topology_bind_thread(sh->topo, a->core);
    mb_barrier_wait(&sh->barrier);
    a->t0 = jf_clock_ns();
    if (sh->mode == PINGPONG)
        pingpong(sh, a->side);
    else if (sh->mode == RMW)
        rmw(sh, a->side);
    else
        condvar(sh, a->side);
    a->t1 = jf_clock_ns();
    return NULL;
}

/* ns per round (PINGPONG, CONDVAR: a round trip) or per operation (RMW):
 * the median chunk returned, the whole run's average into *wall. */
static double run(const jf_topology_t *topo, kind_t mode, unsigned c0, unsigned c1,
                  uint64_t rounds, double *wall)
{
    static shared_t sh; /* static: aligned, and large enough to keep off the stack */
    arg_t a[2] = {{.sh = &sh, .core = c0, .side = 0}, {.sh = &sh, .core = c1, .side = 1}};
    pthread_t th[2];

    memset(&sh, 0, sizeof sh);
    sh.topo = topo;
    sh.mode = mode;
    sh.rounds = rounds;
    sh.barrier.n = 2;
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.cond, NULL);
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, thread_main, &a[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    pthread_cond_destroy(&sh.cond);
    pthread_mutex_destroy(&sh.lock);
    uint64_t t0 = a[0].t0 < a[1].t0 ? a[0].t0 : a[1].t0;
    uint64_t t1 = a[0].t1 > a[1].t1 ? a[0].t1 : a[1].t1;
    *wall = (double)(t1 - t0) / (double)(mode == RMW ? 2 * rounds : rounds);
    return mb_median(sh.chunks.per_op, sh.chunks.n);
}

int main(void)
{
    jf_topology_t *topo = NULL;
    unsigned reps = mb_repeat(5);
    static const struct {
        kind_t mode;
        const char *name;
        const char *unit;
        uint64_t rounds;
    } cases[] = {
        {PINGPONG, "cache-line ping-pong", "round trip", 500000},
        {RMW, "contended fetch_add", "operation", 2000000},
        {CONDVAR, "mutex+condvar ping-pong", "round trip", 10000},
    };

    if (jf_topology_create(&topo) != 0) {
        printf("mb_pingpong: hwloc cannot read the topology: skipped\n\n");
        return 0;
    }
    unsigned cores = jf_topology_cores(topo);
    mb_header("cross-core hand-off: the physical floor",
              "two threads pinned with hwloc (jf_topology_bind_thread); one 64-byte line");
    if (cores < 2) {
        printf("   one core only: cross-core figures skipped\n\n");
        jf_topology_destroy(topo);
        return 0;
    }
    printf("   ns = median over chunks of 256 rounds (16 for the condvar), then median of %u "
           "runs;\n   wall = whole-run average (includes preemption by other programs); "
           "one-way = round trip / 2\n\n", reps);
    printf("   %-26s %-9s %-11s %10s %10s %10s %10s %10s\n", "case", "cores", "per", "ns",
           "min", "max", "one-way", "wall");
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        for (int same = 0; same < 2; same++) {
            /* same core: both threads on core 0, the time-sliced reference */
            if (same && cases[c].mode == PINGPONG)
                continue; /* spinning on one core measures the scheduler tick */
            double v[64], wall[64];
            uint64_t rounds = mb_scaled(cases[c].rounds);
            for (unsigned r = 0; r < reps && r < 64; r++)
                v[r] = run(topo, cases[c].mode, 0, same ? 0 : 1, rounds, &wall[r]);
            double med = mb_median(v, reps);
            char one_way[32] = "-";
            if (cases[c].mode != RMW)
                snprintf(one_way, sizeof one_way, "%.1f", med / 2);
            printf("   %-26s %-9s %-11s %10.1f %10.1f %10.1f %10s %10.1f\n", cases[c].name,
                   same ? "0 and 0" : "0 and 1", cases[c].unit, med, mb_min(v, reps),
                   mb_max(v, reps), one_way, mb_median(wall, reps));
            fflush(stdout);
        }
    }
    printf("\n");
    jf_topology_destroy(topo);
    return 0;
}
