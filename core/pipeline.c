/* pipeline.c - build a pipeline, run its workers, collect what they measured. */
#include "jefferson/pipeline.h"

#include <string.h>

#include "jf_alloc.h"
#include "jf_clock.h"
#include "jefferson/error.h"
#include "options.h"
#include "pipeline_internal.h"

#define MAX_TRACE_BYTES (256ull << 20)
#define MAX_LANE_EVENTS (4u << 20)

/* Events one worker may record: enough for every batch it could run plus
 * the scheduler's decisions, bounded so a huge run cannot take the
 * machine's memory; overflow is counted as dropped, never silent. */
static size_t lane_capacity(const jf_pipeline_t *p)
{
    const jf_run_options_t *o = &p->opt;
    /* A worker without a home may run every stage. */
    bool roams = p->ops->home(0, o->cores) == JF_NO_STAGE;
    uint64_t stages_per_worker = roams ? p->nstages : 1;
    /* A batch may hold a single item when queues run short. */
    uint64_t batches = o->items * stages_per_worker + 1024;
    /* Per batch: begin, end, a queue depth or a decision with one depth per
     * stage, and room for a park/unpark pair or two (a worker parks at
     * most once per wake-up, and wake-ups follow pushes). */
    uint64_t per_batch = 2 + 4 + (p->ops->uses_policy ? 1 + p->nstages : 1);
    uint64_t cap = batches * per_batch;
    uint64_t budget = MAX_TRACE_BYTES / sizeof(jf_event_t) / p->nworkers;

    if (o->trace_capacity)
        cap = o->trace_capacity;
    if (cap > budget)
        cap = budget;
    return cap > MAX_LANE_EVENTS ? MAX_LANE_EVENTS : (size_t)cap;
}

static int init_stages(jf_pipeline_t *p, const jf_stage_spec_t *specs)
{
    for (size_t s = 0; s < p->nstages; s++) {
        jf__stage_t *st = &p->stages[s];
        size_t len = strlen(specs[s].name);
        st->name = jf_calloc(1, len + 1);
        if (st->name == NULL)
            return JF_ENOMEM;
        memcpy(st->name, specs[s].name, len);
        st->fn = specs[s].fn;
        st->ctx = specs[s].ctx;
        st->yields = specs[s].yields;
        if (jf__channel_init(&st->channel) != 0)
            return JF_ENOMEM;
        if (s > 0 && jf_queue_create(p->window, &st->in) != 0)
            return JF_ENOMEM;
    }
    return 0;
}

static int init_workers(jf_pipeline_t *p)
{
    const jf_run_options_t *o = &p->opt;
    size_t cap = o->trace ? lane_capacity(p) : 0;

    for (unsigned i = 0; i < p->nworkers; i++) {
        jf__worker_t *w = &p->workers[i];
        w->p = p;
        w->id = i;
        w->at = p->ops->uses_policy ? 0 : JF_NO_STAGE; /* below */
        w->last_stage = JF_NO_STAGE;
        w->carry_stage = JF_NO_STAGE;
        w->core = o->topology ? (int)jf_topology_core_for(o->topology, i, o->cores) : -1;
        w->group = p->ngroups > 0 ? &p->groups[i / JF_END_GROUP] : NULL;
        w->home = p->ops->home(i, o->cores);
        w->batch = jf_calloc(o->batch_max, sizeof(jf_item_t));
        w->stats = jf_calloc(p->nstages, sizeof(jf_stage_stats_t));
        w->alloc = jf_calloc(p->nstages, sizeof(unsigned));
        w->snap = jf_calloc(1, sizeof *w->snap);
        w->seen_depth = jf_calloc(p->nstages, sizeof(uint32_t));
        w->seen_service = jf_calloc(p->nstages, sizeof(double));
        w->service = jf_calloc(p->nstages, sizeof(double));
        if (!w->batch || !w->stats || !w->alloc || !w->snap || !w->seen_depth ||
            !w->seen_service || !w->service)
            return JF_ENOMEM;
        /* Workers that can run the last stage keep batches for the sink
         * when there are many workers (worker.c, pass_on). */
        uint64_t keep = jf__sink_keep_cap(p->end_batches, p->end_items, w->home, p->nstages,
                                          o->batch_max);
        if (keep > 0 && (w->sink_buf = jf_calloc(keep, sizeof(jf_item_t))) == NULL)
            return JF_ENOMEM;
        /* Those that can run the last stage hand over to the sink: at most
         * what they keep, or one batch. */
        if (w->home < 0 || (size_t)w->home + 1 == p->nstages) {
            w->latency = jf_calloc(1, sizeof *w->latency);
            w->sink_runs = jf_calloc(keep > o->batch_max ? keep : o->batch_max,
                                     sizeof *w->sink_runs);
            if (w->latency == NULL || w->sink_runs == NULL)
                return JF_ENOMEM;
        }
        w->snap->whole = true; /* its first decision reads every stage */
        for (size_t s = 0; s < p->nstages; s++)
            w->seen_depth[s] = UINT32_MAX; /* nothing traced yet */
        w->lane.core = w->core;
        w->lane.home_stage = w->home;
        if (cap) {
            w->lane.events = jf_calloc(cap, sizeof(jf_event_t));
            if (w->lane.events == NULL)
                return JF_ENOMEM;
            w->lane.capacity = cap;
        }
    }
    /* Scheduled workers start placed at stage 0: only the source has
     * work, so every first decision sends them there. Counted here, before
     * the gate opens, rather than by the first decisions, which would
     * write stage 0's line one after another: at 1 024 workers that is
     * 1 024 transfers of one line before the last worker starts
     * (docs/scheduling-study.md, "Start placed"). */
    if (p->ops->uses_policy)
        atomic_store_explicit(&p->stages[0].assigned, p->nworkers, memory_order_relaxed);
    return 0;
}

/* The sink's lock is held for a hand-over, well under a microsecond: a
 * worker that finds it taken spins a while before it sleeps (glibc's
 * adaptive mutex), so that a hand-over does not wait for a futex wake-up
 * of several microseconds after the one before it. Elsewhere, a default
 * mutex. */
static int init_sink_lock(pthread_mutex_t *lock)
{
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);

#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
    if (rc == 0)
        rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
    if (rc == 0)
        rc = pthread_mutex_init(lock, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc;
}

/* The end groups (options.h): workers i / JF_END_GROUP share one. */
static int init_groups(jf_pipeline_t *p)
{
    p->ngroups = jf__end_groups(p->nworkers);
    p->group_claims = jf__group_claims(p->ngroups, p->nworkers, p->opt.cores);
    if (p->ngroups == 0)
        return 0;
    p->groups = jf_aligned_calloc(JF_CACHE_LINE, p->ngroups * sizeof(*p->groups));
    if (p->groups == NULL)
        return JF_ENOMEM;
    for (unsigned g = 0; g < p->ngroups; g++) {
        jf__end_group_t *grp = &p->groups[g];
        grp->pending = jf_calloc(JF_SINK_GROUP_RUNS, sizeof(*grp->pending));
        grp->spare = jf_calloc(JF_SINK_GROUP_RUNS, sizeof(*grp->spare));
        if (grp->pending == NULL || grp->spare == NULL || init_sink_lock(&grp->lock) != 0 ||
            init_sink_lock(&grp->claim_lock) != 0)
            return JF_ENOMEM;
    }
    return 0;
}

static void fini_groups(jf_pipeline_t *p)
{
    for (unsigned g = 0; p->groups != NULL && g < p->ngroups; g++) {
        pthread_mutex_destroy(&p->groups[g].lock); /* zeroed when never set up: harmless */
        pthread_mutex_destroy(&p->groups[g].claim_lock);
        jf_free(p->groups[g].pending);
        jf_free(p->groups[g].spare);
    }
    jf_free(p->groups);
}

static int init_sync(jf_pipeline_t *p)
{
    if (init_sink_lock(&p->sink_lock) != 0)
        return JF_ENOMEM;
    if (pthread_mutex_init(&p->fail_lock, NULL) != 0)
        return JF_ENOMEM;
    if (pthread_mutex_init(&p->gate_lock, NULL) != 0)
        return JF_ENOMEM;
    if (pthread_cond_init(&p->gate_cond, NULL) != 0)
        return JF_ENOMEM;
    return jf__channel_init(&p->lot);
}

int jf_pipeline_create(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
                       jf_pipeline_t **out)
{
    jf_pipeline_t *p;
    int rc;

    if (stages == NULL || opt == NULL || out == NULL || n == 0 || n > JF_MAX_STAGES)
        return JF_EINVAL;
    for (size_t s = 0; s < n; s++)
        if (stages[s].fn == NULL || stages[s].name == NULL)
            return JF_EINVAL;
    p = jf_aligned_calloc(JF_CACHE_LINE, sizeof(*p));
    if (p == NULL)
        return JF_ENOMEM;
    p->opt = *opt;
    p->nstages = n;
    rc = jf__settle_options(&p->opt, n);
    if (rc != 0) {
        jf_free(p);
        return rc;
    }
    p->window = p->opt.window;
    if (p->opt.arrival_rate_per_s > 0)
        p->ns_per_burst = 1e9 * p->opt.arrival_burst / p->opt.arrival_rate_per_s;
    p->order_ok = true;
    p->ops = jf__strategy_ops(p->opt.strategy); /* settled: a valid strategy */
    p->nworkers = p->ops->threads(n, p->opt.cores);
    p->end_batches = jf__end_batches(p->nworkers);
    p->service_drift = jf__service_drift(p->nworkers);
    p->end_items = jf__end_items(p->window, p->nworkers);
    rc = JF_ENOMEM;
    if (init_sync(p) != 0)
        goto err;
    p->stages = jf_aligned_calloc(JF_CACHE_LINE, n * sizeof(jf__stage_t));
    p->workers = jf_aligned_calloc(JF_CACHE_LINE, p->nworkers * sizeof(jf__worker_t));
    p->slab = jf_calloc(p->window, p->opt.item_bytes);
    p->reorder = p->opt.sink != NULL ? jf_calloc(p->window, sizeof(jf_item_t)) : NULL;
    p->arrived = jf_calloc(p->window, 1);
    p->waiting = jf_calloc(p->window, sizeof(uint32_t));
    p->born = jf_calloc(p->window, sizeof *p->born);
    p->latency = jf_calloc(1, sizeof(jf__latency_t));
    if (!p->stages || !p->workers || !p->slab || (p->opt.sink != NULL && !p->reorder) ||
        !p->arrived || !p->waiting || !p->born || !p->latency)
        goto err;
    if (init_stages(p, stages) != 0 || init_groups(p) != 0 || init_workers(p) != 0)
        goto err;
    *out = p;
    return 0;

err:
    jf_pipeline_destroy(p);
    return rc;
}

void jf_pipeline_destroy(jf_pipeline_t *p)
{
    if (p == NULL)
        return;
    for (size_t s = 0; p->stages != NULL && s < p->nstages; s++) {
        jf__stage_t *st = &p->stages[s];
        if (st->name != NULL) /* set first: its presence means the channel exists */
            jf__channel_fini(&st->channel);
        jf_free(st->name);
        jf_queue_destroy(st->in);
    }
    for (unsigned i = 0; p->workers != NULL && i < p->nworkers; i++) {
        jf__worker_t *w = &p->workers[i];
        jf_free(w->batch);
        jf_free(w->stats);
        jf_free(w->alloc);
        jf_free(w->snap);
        jf_free(w->seen_depth);
        jf_free(w->seen_service);
        jf_free(w->service);
        jf_free(w->sink_buf);
        jf_free(w->latency);
        jf_free(w->sink_runs);
        jf_free(w->lane.events);
    }
    /* Sync objects are zero-initialised when never set up; destroying a
     * zeroed default mutex or cond is harmless on glibc and musl. */
    fini_groups(p);
    jf__channel_fini(&p->lot);
    pthread_cond_destroy(&p->gate_cond);
    pthread_mutex_destroy(&p->gate_lock);
    pthread_mutex_destroy(&p->fail_lock);
    pthread_mutex_destroy(&p->sink_lock);
    jf_free(p->stages);
    jf_free(p->workers);
    jf_free(p->slab);
    jf_free(p->reorder);
    jf_free(p->arrived);
    jf_free(p->waiting);
    jf_free(p->born);
    jf_free(p->latency);
    jf_free(p);
}

void jf_pipeline_stop(jf_pipeline_t *p)
{
    /* seq_cst, before the wake-up: a woken worker's jf__should_exit
     * (flow.c, an acquire load) then sees stop, as after a kernel failure. */
    atomic_store_explicit(&p->stop, true, memory_order_seq_cst);
    jf__wake_everyone(p);
}

uint64_t jf_pipeline_progress(const jf_pipeline_t *p)
{
    /* Relaxed: a progress figure for another thread to print; it guards no
     * data, and a value one batch old is as good. */
    return atomic_load_explicit(&p->emitted, memory_order_relaxed);
}
