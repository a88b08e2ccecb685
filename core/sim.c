/* sim.c - jf_sim_run: set up the model, run its events in virtual time, report. */
#include "jf_sim.h"

#include <math.h>
#include <string.h>

#include "jf_alloc.h"
#include "jefferson/error.h"
#include "options.h"
#include "result_totals.h"
#include "sim_internal.h"

/* The engine's trace bounds (pipeline.c), so that a simulated lane holds
 * what a real one would. */
#define MAX_TRACE_BYTES (256ull << 20)
#define MAX_LANE_EVENTS (4u << 20)

void jf_sim_options_default(jf_sim_options_t *sim)
{
    /* Fitted to real runs on the 2-core EPYC VM; docs/simulator.md has
     * the measurements. move_ns: no cost was measurable with spin kernels.
     * slice_ns: the kernel's base slice there (0.75 ms x (1 + log2 CPUs));
     * wake_preempt_ns: what makes the parks of oversubscribed runs agree.
     * line_ns: mb_pingpong's median one-way transfer there, whose two vCPUs
     * the hypervisor puts near each other (16-38 ns) or apart (200-290);
     * contention_ns: what the lines leave of the 2-core fit.
     * sink_*: mb_hop's sink/item (medians of 5 runs) at batches of 1 to
     * 256, one run a hand-over: 42 ns a hand-over at 1 core, 98 at 2 (its
     * lines moved), 0.04-0.05 ns an item. sink_run_ns: mb_sink's further
     * run, one that waits in the window, 30-40 ns at 1 and 2 threads. */
    *sim = (jf_sim_options_t){
        .item_overhead_ns = 30,
        .cross_core_ns = 30,
        .contention_ns = 35,
        .batch_overhead_ns = 300,
        .line_ns = 200,
        .decision_ns = 250,
        .decision_stage_ns = 10,
        .move_ns = 0,
        .park_ns = 20000,
        .wake_ns = 5000,
        .slice_ns = 1500000,
        .wake_preempt_ns = 300000,
        .sink_batch_ns = 42,
        .sink_moved_ns = 56,
        .sink_run_ns = 35,
        .sink_item_ns = 0.05,
    };
}

uint64_t jf__sim_ns(double t)
{
    if (!(t > 0))
        return 0;
    return t >= 1.8e19 ? UINT64_MAX : (uint64_t)(t + 0.5);
}

void jf__sim_fail(jf__sim_t *s, int error)
{
    if (s->error == 0)
        s->error = error;
}

void jf__sim_push_event(jf__sim_t *s, double t, uint64_t order, uint64_t ver)
{
    jf__sim_event_t e = {t, order, ver};

    if (jf__sim_heap_push(&s->events, e) != 0)
        jf__sim_fail(s, JF_ENOMEM);
}

void jf__sim_timer(jf__sim_t *s, jf__sim_worker_t *w, double at)
{
    w->ver++; /* any earlier timer of w is stale */
    jf__sim_push_event(s, at, (uint64_t)JF__SIM_EV_TIMER << 32 | w->id, w->ver);
}


/* The engine's defaults (batch, window, burst) under the simulator's core
 * limit, so the model's run is the engine's run. */
static int settle(jf_run_options_t *o, size_t nstages)
{
    if (o->cores > JF_SIM_MAX_CORES)
        return JF_EINVAL;
    return jf__settle_options(o, nstages);
}

static bool valid_overhead(double ns)
{
    return ns >= 0 && isfinite(ns);
}

static int check_args(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
                      const jf_sim_options_t *sim)
{
    if (stages == NULL || opt == NULL || sim == NULL || n == 0 || n > JF_MAX_STAGES ||
        sim->cost == NULL)
        return JF_EINVAL;
    for (size_t st = 0; st < n; st++)
        if (stages[st].name == NULL)
            return JF_EINVAL;
    const double costs[] = {sim->item_overhead_ns,  sim->cross_core_ns,   sim->contention_ns,
                            sim->batch_overhead_ns, sim->decision_ns,     sim->decision_stage_ns,
                            sim->move_ns,           sim->park_ns,         sim->wake_ns,
                            sim->slice_ns,          sim->wake_preempt_ns, sim->line_ns,
                            sim->sink_batch_ns,     sim->sink_moved_ns,   sim->sink_run_ns,
                            sim->sink_item_ns};
    for (size_t i = 0; i < sizeof(costs) / sizeof(costs[0]); i++)
        if (!valid_overhead(costs[i]))
            return JF_EINVAL;
    return 0;
}

/* Events a lane may hold: the engine's bounds (256 MiB over all lanes, at
 * most 4 Mi per lane), or the caller's trace_capacity. */
static size_t lane_cap(const jf__sim_t *s)
{
    uint64_t cap = MAX_TRACE_BYTES / sizeof(jf_event_t) / s->nworkers;

    if (s->opt.trace_capacity && s->opt.trace_capacity < cap)
        cap = s->opt.trace_capacity;
    return cap > MAX_LANE_EVENTS ? MAX_LANE_EVENTS : (size_t)cap;
}

/* Scheduled traced workers remember what their decisions last traced. */
static int init_seen(jf__sim_worker_t *w, size_t nstages)
{
    w->seen_depth = jf_calloc(nstages, sizeof(*w->seen_depth));
    w->seen_service = jf_calloc(nstages, sizeof(*w->seen_service));
    if (w->seen_depth == NULL || w->seen_service == NULL)
        return JF_ENOMEM;
    for (size_t st = 0; st < nstages; st++)
        w->seen_depth[st] = UINT32_MAX; /* nothing traced yet */
    return 0;
}

/* Scheduled workers read the stages into their own snapshot, and the
 * first decision reads every line another core wrote. */
static int init_snapshot(jf__sim_worker_t *w, size_t nstages)
{
    w->snap = jf_calloc(1, sizeof *w->snap);
    w->read_at = jf_calloc(nstages, sizeof *w->read_at);
    if (w->snap == NULL || w->read_at == NULL)
        return JF_ENOMEM;
    w->snap->whole = true;
    for (size_t st = 0; st < nstages; st++)
        w->read_at[st] = -1;
    return 0;
}

static int init_workers(jf__sim_t *s)
{
    const jf_run_options_t *o = &s->opt;
    bool seen = o->trace && s->ops->uses_policy;

    for (unsigned i = 0; i < s->nworkers; i++) {
        jf__sim_worker_t *w = &s->workers[i];
        w->id = i;
        w->core = i % o->cores; /* the engine pins worker i round-robin */
        w->home = s->ops->home(i, o->cores);
        w->at = s->ops->uses_policy ? 0 : -1; /* placed at stage 0: pipeline.c */
        w->last_stage = -1;
        w->carry = -1;
        w->next = JF__SIM_NIL;
        w->lane.core = (int)w->core;
        w->lane.home_stage = w->home;
        w->service = jf_calloc(s->nstages, sizeof(*w->service));
        if (w->service == NULL)
            return JF_ENOMEM;
        /* As pipeline.c: workers that can run the last stage keep
         * batches for the sink when there are many workers. */
        uint64_t keep = jf__sink_keep_cap(s->end_batches, s->end_items, w->home, s->nstages,
                                          o->batch_max);
        if (keep > 0 && (w->sink_seqs = jf_calloc(keep, sizeof(*w->sink_seqs))) == NULL)
            return JF_ENOMEM;
        if (seen && init_seen(w, s->nstages) != 0)
            return JF_ENOMEM;
        if (s->ops->uses_policy && init_snapshot(w, s->nstages) != 0)
            return JF_ENOMEM;
    }
    return 0;
}

/* Allocates the model's state. Returns 0 or JF_ENOMEM (the caller frees
 * whatever was built with sim_fini). */
static int sim_init(jf__sim_t *s, const jf_stage_spec_t *specs)
{
    s->ops = jf__strategy_ops(s->opt.strategy); /* settled: a valid strategy */
    s->nworkers = s->ops->threads(s->nstages, s->opt.cores);
    s->ncores = s->opt.cores;
    s->window = s->opt.window;
    s->end_batches = jf__end_batches(s->nworkers);
    s->service_drift = jf__service_drift(s->nworkers);
    s->end_items = jf__end_items(s->window, s->nworkers);
    s->stages = jf_calloc(s->nstages, sizeof(*s->stages));
    s->workers = jf_calloc(s->nworkers, sizeof(*s->workers));
    s->cores = jf_calloc(s->ncores, sizeof(*s->cores));
    s->arrived = jf_calloc(s->window, 1);
    s->born = jf_calloc(s->window, sizeof(*s->born));
    s->latency = jf_calloc(1, sizeof(*s->latency));
    s->alloc = jf_calloc(s->nstages, sizeof(*s->alloc));
    if (!s->stages || !s->workers || !s->cores || !s->arrived || !s->born || !s->latency ||
        !s->alloc)
        return JF_ENOMEM;
    for (size_t st = 0; st < s->nstages; st++) {
        s->stages[st].yields = specs[st].yields;
        s->stages[st].parked = (jf__sim_list_t){JF__SIM_NIL, JF__SIM_NIL};
        jf__sim_line_init(&s->stages[st].take_line);
        jf__sim_line_init(&s->stages[st].push_line);
        jf__sim_line_init(&s->stages[st].meta_line);
    }
    s->lot = (jf__sim_list_t){JF__SIM_NIL, JF__SIM_NIL};
    jf__sim_line_init(&s->sink);
    for (unsigned c = 0; c < s->ncores; c++) {
        s->cores[c].run = JF__SIM_NIL;
        s->cores[c].queue = (jf__sim_list_t){JF__SIM_NIL, JF__SIM_NIL};
    }
    if (s->opt.arrival_rate_per_s > 0)
        s->ns_per_burst = 1e9 * s->opt.arrival_burst / s->opt.arrival_rate_per_s;
    s->arrival_armed = -1;
    s->order_ok = true;
    s->lane_cap = lane_cap(s);
    s->decision_cost = s->cm.decision_ns + s->cm.decision_stage_ns * (double)s->nstages;
    int rc = init_workers(s);
    if (s->ops->uses_policy) /* as pipeline.c: the workers start placed at stage 0 */
        s->stages[0].assigned = s->nworkers;
    return rc != 0 ? rc : jf__sim_groups_init(s);
}

static void sim_fini(jf__sim_t *s)
{
    for (size_t st = 0; s->stages != NULL && st < s->nstages; st++) {
        jf_free(s->stages[st].ring);
        jf_free(s->stages[st].from);
    }
    for (unsigned i = 0; s->workers != NULL && i < s->nworkers; i++) {
        jf_free(s->workers[i].seqs);
        jf_free(s->workers[i].seen_depth);
        jf_free(s->workers[i].seen_service);
        jf_free(s->workers[i].snap);
        jf_free(s->workers[i].read_at);
        jf_free(s->workers[i].service);
        jf_free(s->workers[i].sink_seqs);
        jf_free(s->workers[i].lane.events);
    }
    jf__sim_heap_fini(&s->events);
    jf__sim_groups_fini(s);
    jf_free(s->stages);
    jf_free(s->workers);
    jf_free(s->cores);
    jf_free(s->arrived);
    jf_free(s->born);
    jf_free(s->latency);
    jf_free(s->alloc);
}

/* The event loop: every worker starts at time 0 in index order; then the
 * earliest event, ties by class and index, until the last stage is done. */
static void run_events(jf__sim_t *s)
{
    jf__sim_event_t ev;

    for (unsigned i = 0; i < s->nworkers; i++)
        jf__sim_timer(s, &s->workers[i], 0);
    while (!s->finished && s->error == 0 && jf__sim_heap_pop(&s->events, &ev)) {
        uint32_t id = (uint32_t)ev.order;
        switch (ev.order >> 32) {
        case JF__SIM_EV_CORE:
            if (ev.ver != s->cores[id].ver)
                break; /* rescheduled since */
            s->now = ev.t;
            jf__sim_cpu_event(s, id);
            break;
        case JF__SIM_EV_TIMER:
            if (ev.ver != s->workers[id].ver)
                break;
            s->now = ev.t;
            jf__sim_on_timer(s, &s->workers[id]);
            break;
        default:
            s->now = ev.t;
            jf__sim_arrival(s);
            break;
        }
    }
    /* The engine wakes everyone when the run ends; parked workers get up
     * and leave. */
    for (unsigned i = 0; s->finished && i < s->nworkers; i++) {
        jf__sim_worker_t *w = &s->workers[i];
        if (w->state == JF__SIM_PARKED || w->state == JF__SIM_WAKING)
            jf__sim_trace(s, w, JF_EV_UNPARK, -1, 0, 0);
        w->state = JF__SIM_EXITED;
    }
}

/* Totals and means, as pipeline_run.c's merge_stats computes them. */
static void fill_result(jf__sim_t *s, const jf_stage_spec_t *specs, jf_run_result_t *r)
{
    r->wall_ns = jf__sim_ns(s->finished ? s->end : s->now);
    r->items_in = s->claimed;
    r->items_out = s->emitted;
    r->order_preserved = s->order_ok;
    r->threads = s->nworkers;
    r->nstages = s->nstages;
    jf__latency_summary(s->latency, &r->latency);
    for (size_t st = 0; st < s->nstages; st++)
        jf__stage_totals(r, st, specs[st].yields);
}

static int verdict(const jf__sim_t *s, const jf_run_result_t *r)
{
    if (s->error != 0)
        return s->error;
    if (!s->finished || r->items_in != s->opt.items || r->items_out != s->opt.items)
        return JF_ESTALL; /* the model lost items: a bug */
    return r->order_preserved ? 0 : JF_EORDER;
}

int jf_sim_run(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
               const jf_sim_options_t *sim, jf_run_result_t *result)
{
    jf__sim_t s;
    int rc;

    if (result == NULL)
        return JF_EINVAL;
    memset(result, 0, sizeof(*result));
    rc = check_args(stages, n, opt, sim);
    if (rc != 0)
        return rc;
    memset(&s, 0, sizeof(s));
    s.opt = *opt;
    s.cm = *sim;
    s.nstages = n;
    s.r = result;
    rc = settle(&s.opt, n);
    if (rc == 0)
        rc = sim_init(&s, stages);
    if (rc != 0) {
        sim_fini(&s);
        memset(result, 0, sizeof(*result));
        return rc;
    }
    run_events(&s);
    fill_result(&s, stages, result);
    rc = verdict(&s, result);
    if (rc != JF_ENOMEM && s.opt.trace && jf__sim_build_trace(&s, stages, result) != 0)
        rc = JF_ENOMEM;
    sim_fini(&s);
    return rc;
}
