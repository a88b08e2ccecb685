/* omp_peer.c - the OpenMP peer: each thread carries a chunk of items through every stage,
 * then emits it in an ordered region.
 *
 * This is the loop a C programmer writes without a pipeline library, and
 * the question it answers is whether the scheduler is worth it over that:
 * the chunk stays in its thread's cache from source to sink and nothing
 * decides anything, but a thread that finishes early waits in the ordered
 * region for the chunks before its own, and a stage cannot get more or
 * fewer threads than the others (every thread runs every stage). */
#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu_time.h"
#include "core/jf_alloc.h"
#include "core/jf_clock.h"
#include "jefferson/error.h"
#include "core/latency.h"
#include "core/result_totals.h"
#include "core/trace_build.h"
#include "omp_peer.h"

#define POLL_EVERY 1024
#define CHUNK_MAX 65536
#define LANE_EVENTS_MAX (4u << 20)          /* the engine's bounds on a lane... */
#define TRACE_BYTES_MAX (256ull << 20)      /* ...and on all of them */

/* A stage's counters in one thread. */
typedef struct stage_acc {
    uint64_t items, batches, kernel_ns, max_item_ns;
    unsigned since; /* chunks since the last timed one */
} stage_acc_t;

/* One thread's state, on its own cache lines: nothing shared on the hot path. */
typedef struct thread_state {
    _Alignas(64) stage_acc_t st[JF_MAX_STAGES];
    jf_trace_lane_t lane;
    jf_item_t *items;       /* chunk items */
    uint64_t *born;
    unsigned char *slab;    /* chunk * item_bytes */
} thread_state_t;

typedef struct run_state {
    const jf_stage_spec_t *stages;
    size_t n;
    jf_run_options_t opt;
    peer_omp_options_t omp;
    unsigned chunk, time_every, threads;
    uint64_t nchunks;
    double ns_per_burst;
    uint64_t start_ns;
    thread_state_t *ts;

    /* The ordered region's: one thread at a time, in chunk order. */
    uint64_t next_emit;
    bool order_ok;
    bool stopped;
    jf__latency_t *latency;

    atomic_bool failed;
    atomic_uint_least64_t items_in;
    int error;              /* under `#pragma omp critical (jf_omp_fail)` */
    jf_run_failure_t failure;
} run_state_t;

static void fail(run_state_t *st, int err, int stage, uint64_t seq, int code)
{
#pragma omp critical(jf_omp_fail)
    {
        if (st->error == 0) {
            st->error = err;
            st->failure = (jf_run_failure_t){stage, seq, code};
        }
    }
    /* Relaxed: the flag only makes the other threads skip work; what they
     * report is read after the parallel region, which orders everything. */
    atomic_store_explicit(&st->failed, true, memory_order_relaxed);
}

static bool failed(run_state_t *st)
{
    return atomic_load_explicit(&st->failed, memory_order_relaxed);
}

static void trace_push(jf_trace_lane_t *l, uint8_t kind, uint64_t t, size_t stage, uint32_t n,
                       double value)
{
    if (l->events == NULL)
        return;
    if (l->count == l->capacity) {
        l->dropped++;
        return;
    }
    l->events[l->count++] = (jf_event_t){.t_ns = t, .value = value, .count = n,
                                         .stage = (uint16_t)stage, .kind = kind};
}

/* The source's part of chunk c: numbers the items, points them at the
 * thread's buffer and fills them. Returns how many items, 0 on failure. */
static uint32_t make_chunk(run_state_t *st, thread_state_t *t, uint64_t c)
{
    uint64_t first = c * st->chunk;
    uint32_t n = (uint32_t)(st->opt.items - first < st->chunk ? st->opt.items - first : st->chunk);
    uint64_t now = st->ns_per_burst > 0 ? 0 : jf_clock_ns(); /* once per chunk, as per batch */

    for (uint32_t i = 0; i < n; i++) {
        uint64_t seq = first + i;
        jf_item_t *it = &t->items[i];

        if (st->ns_per_burst > 0) {
            now = st->start_ns + (uint64_t)((double)(seq / st->opt.arrival_burst) *
                                            st->ns_per_burst);
            jf_clock_wait_until(now); /* latency counts from arrival */
        }
        t->born[i] = now;
        *it = (jf_item_t){seq, t->slab + (size_t)i * st->opt.item_bytes, st->opt.item_bytes, 0};
        if (st->opt.source != NULL) {
            int rc = st->opt.source(st->opt.source_ctx, it);
            if (rc != 0) {
                fail(st, JF_EKERNEL, -1, seq, rc);
                return 0;
            }
        } else if (it->bytes >= sizeof seq) {
            memcpy(it->payload, &seq, sizeof seq);
        }
    }
    /* Relaxed: a count read after the parallel region. */
    atomic_fetch_add_explicit(&st->items_in, n, memory_order_relaxed);
    return n;
}

/* Stage s over the chunk's n items. Returns false when a kernel failed. */
static bool run_stage(run_state_t *st, thread_state_t *t, size_t s, uint32_t n)
{
    stage_acc_t *a = &t->st[s];
    const jf_stage_spec_t *spec = &st->stages[s];
    bool timed = ++a->since >= st->time_every, traced = t->lane.events != NULL;
    uint64_t t0 = timed || traced ? jf_clock_ns() : 0;

    a->items += n;
    a->batches++;
    for (uint32_t i = 0; i < n; i++) {
        jf_item_t in = t->items[i];
        int rc = spec->fn(spec->ctx, &in, &t->items[i]);
        if (rc != 0) {
            fail(st, JF_EKERNEL, (int)s, in.seq, rc);
            return false;
        }
    }
    if (!timed && !traced)
        return true;
    uint64_t t1 = jf_clock_ns();
    if (timed) { /* the engine's figures: kernel time summed, slowest per-item mean */
        a->since = 0;
        a->kernel_ns += (t1 - t0) * st->time_every;
        if ((t1 - t0) / n > a->max_item_ns)
            a->max_item_ns = (t1 - t0) / n;
    }
    trace_push(&t->lane, JF_EV_BATCH_BEGIN, t0 - st->start_ns, s, n, 0);
    trace_push(&t->lane, JF_EV_BATCH_END, t1 - st->start_ns, s, n, (double)(t1 - t0));
    return true;
}

/* The check hook on the chunk's n finished items, on this thread before
 * the ordered region, as the engine runs it before its sink. Returns false
 * when it failed an item (the run is failed). */
static bool check_chunk(run_state_t *st, const thread_state_t *t, uint32_t n)
{
    for (uint32_t i = 0; i < n && st->opt.check != NULL; i++) {
        int rc = st->opt.check(st->opt.check_ctx, &t->items[i]);
        if (rc != 0) {
            fail(st, JF_EKERNEL, (int)st->n, t->items[i].seq, rc);
            return false;
        }
    }
    return true;
}

/* The ordered region's part: check the order, call the sink, record latency. */
static void emit_chunk(run_state_t *st, thread_state_t *t, uint32_t n)
{
    uint64_t now = jf_clock_ns();

    for (uint32_t i = 0; i < n && !failed(st); i++) {
        const jf_item_t *it = &t->items[i];

        if (it->seq != st->next_emit)
            st->order_ok = false;
        if (st->opt.sink != NULL) {
            int rc = st->opt.sink(st->opt.sink_ctx, it);
            if (rc != 0) {
                fail(st, JF_EKERNEL, (int)st->n, it->seq, rc);
                return;
            }
        }
        jf__latency_record(st->latency, now > t->born[i] ? now - t->born[i] : 0);
        st->next_emit++;
        if (st->omp.poll != NULL && st->next_emit % POLL_EVERY == 0 &&
            st->omp.poll(st->omp.poll_ctx, st->next_emit) != 0) {
            st->stopped = true;
            atomic_store_explicit(&st->failed, true, memory_order_relaxed);
        }
    }
}

/* The loop every thread of the parallel region runs. A chunk after a
 * failure is skipped; OpenMP still passes the ordered region on at the
 * iteration's end, so no thread waits for it. */
static void loop(run_state_t *st, thread_state_t *t)
{
    long long chunks = (long long)st->nchunks;

#pragma omp for ordered schedule(runtime)
    for (long long c = 0; c < chunks; c++) {
        uint32_t n = failed(st) ? 0 : make_chunk(st, t, (uint64_t)c);
        for (size_t s = 0; s < st->n && n > 0; s++)
            if (!run_stage(st, t, s, n))
                n = 0;
        if (n > 0 && !check_chunk(st, t, n))
            n = 0;
#pragma omp ordered
        {
            if (n > 0 && !failed(st))
                emit_chunk(st, t, n);
        }
    }
}

/* Events a thread's lane may hold: room for every chunk twice over its
 * share (dynamic schedules are uneven), within the engine's bounds. */
static size_t lane_capacity(const run_state_t *st)
{
    uint64_t want = 2 * st->n * (2 * st->nchunks / st->threads + 2);
    uint64_t cap = TRACE_BYTES_MAX / sizeof(jf_event_t) / st->threads;

    if (st->opt.trace_capacity)
        return st->opt.trace_capacity;
    if (cap > LANE_EVENTS_MAX)
        cap = LANE_EVENTS_MAX;
    return (size_t)(want < cap ? want : cap);
}

static int alloc_threads(run_state_t *st)
{
    size_t cap = st->opt.trace ? lane_capacity(st) : 0;

    st->ts = aligned_alloc(64, sizeof *st->ts * st->threads);
    if (st->ts == NULL)
        return JF_ENOMEM;
    memset(st->ts, 0, sizeof *st->ts * st->threads);
    for (unsigned i = 0; i < st->threads; i++) {
        thread_state_t *t = &st->ts[i];
        t->lane.core = st->opt.topology != NULL
                           ? (int)jf_topology_core_for(st->opt.topology, i, st->opt.cores)
                           : -1;
        t->lane.home_stage = -1;
        t->items = jf_calloc(st->chunk, sizeof *t->items);
        t->born = jf_calloc(st->chunk, sizeof *t->born);
        t->slab = jf_calloc(st->chunk, st->opt.item_bytes);
        if (cap > 0) {
            t->lane.events = jf_calloc(cap, sizeof *t->lane.events);
            t->lane.capacity = cap;
        }
        if (!t->items || !t->born || !t->slab || (cap > 0 && !t->lane.events))
            return JF_ENOMEM;
    }
    return 0;
}

static void free_threads(run_state_t *st)
{
    for (unsigned i = 0; st->ts != NULL && i < st->threads; i++) {
        jf_free(st->ts[i].items);
        jf_free(st->ts[i].born);
        jf_free(st->ts[i].slab);
        jf_free(st->ts[i].lane.events);
    }
    free(st->ts);
    jf_free(st->latency);
}

/* Options and their defaults. Returns 0 or JF_ERANGE. */
static int prepare(run_state_t *st, const jf_stage_spec_t *stages, size_t n,
                   const jf_run_options_t *opt, const peer_omp_options_t *omp)
{
    st->stages = stages;
    st->n = n;
    st->opt = *opt;
    st->omp = omp != NULL ? *omp : (peer_omp_options_t){0};
    st->order_ok = true;
    if (st->opt.item_bytes == 0)
        st->opt.item_bytes = 64;
    if (st->opt.batch == 0)
        st->opt.batch = JF_DEFAULT_BATCH;
    if (st->opt.arrival_burst == 0)
        st->opt.arrival_burst = 1;
    if (!(st->opt.arrival_rate_per_s >= 0) || st->opt.arrival_rate_per_s > 1e12)
        return JF_ERANGE;
    if (st->opt.arrival_rate_per_s > 0)
        st->ns_per_burst = 1e9 * st->opt.arrival_burst / st->opt.arrival_rate_per_s;
    st->chunk = st->omp.chunk ? st->omp.chunk : st->opt.batch;
    if (st->chunk > CHUNK_MAX || (unsigned)st->omp.schedule > PEER_OMP_GUIDED)
        return JF_ERANGE;
    /* One-item chunks: time 1 in `batch` (the engine's clock reads per
     * item); larger chunks: every one, as the engine times every batch. */
    st->time_every = st->chunk > 1 ? 1 : st->opt.batch;
    st->nchunks = (st->opt.items + st->chunk - 1) / st->chunk;
    st->threads = st->opt.cores;
    return 0;
}

static void set_schedule(peer_omp_schedule_t s)
{
    omp_set_schedule(s == PEER_OMP_STATIC ? omp_sched_static
                     : s == PEER_OMP_GUIDED ? omp_sched_guided
                                          : omp_sched_dynamic,
                     1);
}

/* The parallel region, timed; threads pinned as the engine pins its
 * workers, the calling thread's affinity restored afterwards. */
static uint64_t execute(run_state_t *st)
{
    cpu_set_t saved;
    bool restore = st->opt.topology != NULL &&
                   pthread_getaffinity_np(pthread_self(), sizeof saved, &saved) == 0;
    uint64_t t0, t1;

    set_schedule(st->omp.schedule);
    t0 = st->start_ns = jf_clock_ns();
#pragma omp parallel num_threads(st->threads)
    {
        unsigned id = (unsigned)omp_get_thread_num();
        thread_state_t *t = &st->ts[id < st->threads ? id : 0];

        /* OpenMP keeps its threads from one region to the next: CPU time
         * is what this run added. */
        uint64_t cpu0 = t->lane.events != NULL ? jf__thread_cpu_ns() : 0;

        if (st->opt.topology != NULL && t->lane.core >= 0)
            (void)jf_topology_bind_thread(st->opt.topology, (unsigned)t->lane.core);
        loop(st, t);
        if (t->lane.events != NULL) /* the timeline's "where the time went" */
            t->lane.cpu_ns = jf__thread_cpu_ns() - cpu0;
    }
    t1 = jf_clock_ns();
    if (restore)
        (void)pthread_setaffinity_np(pthread_self(), sizeof saved, &saved);
    return t1 - t0;
}

static void merge(run_state_t *st, jf_run_result_t *r)
{
    r->nstages = st->n;
    for (unsigned i = 0; i < st->threads; i++) {
        for (size_t s = 0; s < st->n; s++) {
            const stage_acc_t *a = &st->ts[i].st[s];
            jf_stage_stats_t *d = &r->stages[s];
            d->items += a->items;
            d->batches += a->batches;
            d->kernel_ns += a->kernel_ns;
            if (a->max_item_ns > d->max_item_ns)
                d->max_item_ns = a->max_item_ns;
        }
    }
    for (size_t s = 0; s < st->n; s++)
        jf__stage_totals(r, s, st->stages[s].yields);
    jf__latency_summary(st->latency, &r->latency);
}

static jf_trace_lane_t *lane_of(void *ctx, size_t i)
{
    return &((run_state_t *)ctx)->ts[i].lane;
}

static const char *name_of(void *ctx, size_t s)
{
    return ((run_state_t *)ctx)->stages[s].name;
}

static int run(run_state_t *st, jf_run_result_t *r)
{
    int rc = alloc_threads(st);

    st->latency = jf_calloc(1, sizeof *st->latency);
    if (rc != 0 || st->latency == NULL)
        return JF_ENOMEM;
    r->wall_ns = execute(st);
    r->threads = st->threads;
    r->items_in = atomic_load_explicit(&st->items_in, memory_order_relaxed);
    r->items_out = st->next_emit;
    r->order_preserved = st->order_ok;
    r->failure = st->failure;
    merge(st, r);
    if (st->opt.trace) {
        jf__trace_source_t src = {st->threads, lane_of, st->n, name_of, st};
        if ((r->trace = jf__trace_build(&src, r->wall_ns)) == NULL)
            return JF_ENOMEM;
    }
    if (st->error != 0)
        return st->error;
    if (st->stopped)
        return JF_ESTOPPED;
    if (!st->order_ok)
        return JF_EORDER;
    return r->items_out == st->opt.items && r->items_in == st->opt.items ? 0 : JF_ESTALL;
}

int peer_omp_run_ex(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
                  const peer_omp_options_t *omp, jf_run_result_t *result)
{
    run_state_t st;

    if (result == NULL)
        return JF_EINVAL;
    memset(result, 0, sizeof *result);
    if (stages == NULL || opt == NULL || n == 0 || n > JF_MAX_STAGES || opt->cores == 0 ||
        opt->items == 0)
        return JF_EINVAL;
    for (size_t s = 0; s < n; s++)
        if (stages[s].fn == NULL || stages[s].name == NULL)
            return JF_EINVAL;
    memset(&st, 0, sizeof st);
    int rc = prepare(&st, stages, n, opt, omp);
    if (rc == 0)
        rc = run(&st, result);
    free_threads(&st);
    return rc;
}

const char *peer_omp_schedule_name(peer_omp_schedule_t s)
{
    switch (s) {
    case PEER_OMP_STATIC:
        return "static";
    case PEER_OMP_GUIDED:
        return "guided";
    case PEER_OMP_DYNAMIC:
    default:
        return "dynamic";
    }
}
