/* pipeline_run.c - start the workers, wait for them, merge what they measured. */
#include <string.h>

#include "jf_alloc.h"
#include "cpu_time.h"
#include "jf_clock.h"
#include "jefferson/error.h"
#include "pipeline_internal.h"
#include "result_totals.h"
#include "trace_build.h"

static void open_gate(jf_pipeline_t *p)
{
    pthread_mutex_lock(&p->gate_lock);
    p->gate_open = true;
    pthread_cond_broadcast(&p->gate_cond);
    pthread_mutex_unlock(&p->gate_lock);
}

/* Starts every worker; they wait at the gate so the clock starts when all
 * exist. Returns how many threads were started; on a failure the others
 * are told to stop, and the caller still opens the gate and joins them. */
static unsigned start_workers(jf_pipeline_t *p)
{
    for (unsigned i = 0; i < p->nworkers; i++) {
        if (pthread_create(&p->workers[i].thread, NULL, jf__worker_main, &p->workers[i]) != 0) {
            jf__fail(p, JF_ETHREAD, JF_NO_STAGE, 0, 0);
            return i;
        }
    }
    return p->nworkers;
}

/* Sums the workers' private counters (wrk's way: nothing shared on the hot
 * path, everything merged after join). */
static void merge_stats(jf_pipeline_t *p, jf_run_result_t *r)
{
    r->nstages = p->nstages;
    for (unsigned i = 0; i < p->nworkers; i++) {
        const jf__worker_t *w = &p->workers[i];
        r->decisions += w->decisions;
        r->reallocations += w->reallocations;
        r->parks += w->parks;
        r->carried += w->carried;
        r->sink_ns += w->sink_ns;
        if (w->latency != NULL)
            jf__latency_merge(p->latency, w->latency);
        for (size_t s = 0; s < p->nstages; s++) {
            jf_stage_stats_t *d = &r->stages[s];
            d->items += w->stats[s].items;
            d->batches += w->stats[s].batches;
            d->kernel_ns += w->stats[s].kernel_ns;
            if (w->stats[s].max_item_ns > d->max_item_ns)
                d->max_item_ns = w->stats[s].max_item_ns;
        }
    }
    for (size_t s = 0; s < p->nstages; s++)
        jf__stage_totals(r, s, p->stages[s].yields);
}

static jf_trace_lane_t *worker_lane(void *ctx, size_t i)
{
    return &((jf_pipeline_t *)ctx)->workers[i].lane;
}

static const char *stage_name(void *ctx, size_t s)
{
    return ((jf_pipeline_t *)ctx)->stages[s].name;
}

/* Moves the workers' event lanes into a trace the result owns. */
static int build_trace(jf_pipeline_t *p, jf_run_result_t *r)
{
    jf__trace_source_t src = {p->nworkers, worker_lane, p->nstages, stage_name, p};

    r->trace = jf__trace_build(&src, r->wall_ns);
    return r->trace != NULL ? 0 : JF_ENOMEM;
}

/* The run's verdict: the first failure recorded, else a stop request,
 * else an accounting check that every item left the sink in order. */
static int verdict(jf_pipeline_t *p, jf_run_result_t *r)
{
    /* After the joins, which order every worker's stores before this
     * read: the seq_cst default needs no partner. */
    bool finished = atomic_load(&p->finished);

    if (p->error != 0)
        return p->error;
    if (!finished)
        return JF_ESTOPPED;
    if (r->items_out != p->opt.items || r->items_in != p->opt.items)
        return JF_ESTALL;
    return r->order_preserved ? 0 : JF_EORDER;
}

int jf_pipeline_run(jf_pipeline_t *p, jf_run_result_t *r)
{
    memset(r, 0, sizeof(*r));
    if (p->ran)
        return JF_EINVAL;
    p->ran = true;
    r->threads = p->nworkers;

    if (p->opt.trace) { /* batches' CPU time is sampled within a budget (cpu_time.h) */
        p->cpu_read_ns = jf__cpu_read_cost_ns();
        for (unsigned i = 0; i < p->nworkers; i++)
            p->workers[i].cpu_budget_ns = 2.0 * (double)p->cpu_read_ns; /* the first batch */
    }
    unsigned started = start_workers(p);
    p->start_ns = jf_clock_ns();
    open_gate(p);
    for (unsigned i = 0; i < started; i++)
        pthread_join(p->workers[i].thread, NULL);
    /* The joins order every worker's stores of finished, end_ns and
     * claimed before these loads: the seq_cst default needs no partner. */
    uint64_t end = atomic_load(&p->finished) ? atomic_load(&p->end_ns) : jf_clock_ns();

    r->wall_ns = end - p->start_ns;
    r->items_in = atomic_load(&p->claimed);
    r->items_out = p->next_emit;
    r->order_preserved = p->order_ok;
    r->failure = p->failure;
    merge_stats(p, r); /* the workers' latencies too */
    jf__latency_summary(p->latency, &r->latency);
    if (p->opt.trace && build_trace(p, r) != 0 && p->error == 0)
        p->error = JF_ENOMEM;
    return verdict(p, r);
}

void jf_run_result_fini(jf_run_result_t *result)
{
    if (result == NULL)
        return;
    jf_trace_destroy(result->trace);
    result->trace = NULL;
}
