/* run.c - repetitions of each strategy, the median kept, figures derived. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "core/jf_error.h"
#include "diag.h"

static int fail_kernel(const jf_run_plan_t *plan, const jf_run_result_t *res)
{
    const jf_run_failure_t *f = &res->failure;
    unsigned long long seq = (unsigned long long)f->seq;

    if (f->stage < 0)
        return jf_diag_fail(JF_EXIT_FAILED, "run: source failed on item %llu (code %d)", seq,
                            f->code);
    if ((size_t)f->stage >= plan->workload->nstages)
        return jf_diag_fail(JF_EXIT_FAILED, "run: sink failed on item %llu (code %d)", seq,
                            f->code);
    return jf_diag_fail(JF_EXIT_FAILED, "run: stage \"%s\" failed on item %llu (code %d)",
                        plan->workload->stages[f->stage].name, seq, f->code);
}

/* Every run must deliver every item, once, in order (DESIGN.md, "Ordering");
 * a run that does not measured something else than the workload. */
static int check_delivery(const jf_run_plan_t *plan, jf_strategy_t s, const jf_run_result_t *r)
{
    const char *name = jf_strategy_name(s);

    if (r->items_in != plan->workload->items || r->items_out != r->items_in)
        return jf_diag_fail(JF_EXIT_FAILED, "run: %s: %llu items in, %llu out, %llu expected",
                            name, (unsigned long long)r->items_in,
                            (unsigned long long)r->items_out,
                            (unsigned long long)plan->workload->items);
    if (!r->order_preserved)
        return jf_diag_fail(JF_EXIT_FAILED, "run: %s: items reached the sink out of order",
                            name);
    return 0;
}

/* One repetition into *res. On failure *res is released. */
static int repetition(const jf_run_plan_t *plan, jf_strategy_t s, bool trace,
                      jf_run_result_t *res)
{
    const jf_workload_binding_t *b = plan->binding;
    jf_run_options_t opt = {
        .strategy = s, .policy = plan->policy, .cores = plan->cores, .batch = plan->batch,
        .items = plan->workload->items, .item_bytes = plan->workload->item_bytes,
        .trace = trace, .topology = plan->topology,
        .source = b->source, .source_ctx = b->source_ctx,
        .sink = b->sink, .sink_ctx = b->sink_ctx,
    };
    jf_pipeline_t *p = NULL;

    memset(res, 0, sizeof *res);
    int rc = jf_pipeline_create(b->specs, b->nstages, &opt, &p);
    if (rc)
        return jf_diag_fail(JF_EXIT_FAILED, "run: %s: %s", jf_strategy_name(s), jf_strerror(rc));
    rc = jf_pipeline_run(p, res);
    jf_pipeline_destroy(p);
    if (rc == JF_EKERNEL)
        rc = fail_kernel(plan, res);
    else if (rc)
        rc = jf_diag_fail(JF_EXIT_FAILED, "run: %s: %s", jf_strategy_name(s), jf_strerror(rc));
    else
        rc = check_delivery(plan, s, res);
    if (rc)
        jf_run_result_fini(res);
    return rc;
}

/* Runs one strategy. Every measured repetition records a trace (when
 * asked) because which one is the median is known only at the end; the
 * others' traces are freed then. */
static int measure_strategy(const jf_run_plan_t *plan, jf_strategy_run_t *run)
{
    const char *name = jf_strategy_name(run->strategy);
    jf_run_result_t *reps = calloc(plan->repeat, sizeof *reps);
    unsigned done = 0;
    int rc = 0;

    run->repeats = plan->repeat;
    run->samples_ns = calloc(plan->repeat, sizeof *run->samples_ns);
    if (!reps || !run->samples_ns) {
        rc = jf_diag_fail(JF_EXIT_FAILED, "run: out of memory");
        goto out;
    }
    for (unsigned w = 0; w < plan->warmup && !rc; w++) {
        jf_run_result_t warm;
        jf_diag_progress("%s: warmup %u/%u", name, w + 1, plan->warmup);
        rc = repetition(plan, run->strategy, false, &warm);
        if (!rc)
            jf_run_result_fini(&warm);
    }
    for (; done < plan->repeat && !rc; done++) {
        jf_diag_progress("%s: repetition %u/%u", name, done + 1, plan->repeat);
        rc = repetition(plan, run->strategy, plan->trace, &reps[done]);
        if (rc)
            break;
        run->samples_ns[done] = reps[done].wall_ns;
    }
    if (!rc && jf_stats_compute(run->samples_ns, plan->repeat, &run->wall) != 0)
        rc = jf_diag_fail(JF_EXIT_FAILED, "run: out of memory");
    if (!rc) {
        size_t m = jf_stats_median_index(run->samples_ns, plan->repeat);
        run->median = reps[m];
        memset(&reps[m], 0, sizeof reps[m]);
    }
out:
    for (unsigned i = 0; reps && i < done; i++)
        jf_run_result_fini(&reps[i]);
    free(reps);
    return rc;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* The physical limit of a run (DESIGN.md, "Results JSON"). Kernel time is
 * wall time measured around kernel calls: in an oversubscribed run a
 * preempted kernel's clock keeps running, which inflates it, while the
 * work the kernels do is the same under every strategy. So the smaller of
 * this run's and single's measurement is the better estimate of the work,
 * for CPU-bound kernels (K), yielding ones (Y) and the slowest item's path. */
static uint64_t lower_bound(const jf_strategy_run_t *run, const jf_strategy_run_t *single,
                            unsigned cores)
{
    const jf_run_result_t *r = &run->median, *s = &single->median;
    double k = (double)min_u64(r->kernel_cpu_ns, s->kernel_cpu_ns);
    double y = (double)min_u64(r->kernel_yield_ns, s->kernel_yield_ns);
    double path = (double)min_u64(r->path_ns, s->path_ns);
    unsigned threads = r->threads ? r->threads : 1;
    unsigned busy = threads < cores ? threads : cores;

    /* CPU-bound work spreads over at most `busy` cores; yielding work
     * overlaps with it but still needs a thread. */
    double lb = k / busy;
    if ((k + y) / threads > lb)
        lb = (k + y) / threads;
    if (path > lb)
        lb = path;
    return (uint64_t)(lb + 0.5);
}

static void derive(const jf_run_plan_t *plan, jf_run_set_t *set)
{
    const jf_strategy_run_t *single = &set->runs[0];

    for (size_t i = 0; i < set->n; i++) {
        jf_strategy_run_t *r = &set->runs[i];
        double wall = r->wall.median > 0 ? r->wall.median : 1.0;
        r->lower_bound_ns = lower_bound(r, single, plan->cores);
        r->throughput = (double)plan->workload->items * 1e9 / wall;
        r->speedup = single->wall.median / wall;
        r->efficiency = (double)r->lower_bound_ns / wall;
    }
}

int jf_run_measure(const jf_run_plan_t *plan, jf_run_set_t *set)
{
    int rc = 0;

    memset(set, 0, sizeof *set);
    set->runs[set->n].strategy = JF_STRATEGY_SINGLE;
    set->runs[set->n++].baseline_only = !plan->requested[JF_STRATEGY_SINGLE];
    for (int s = 0; s < JF_STRATEGY_COUNT; s++)
        if (s != JF_STRATEGY_SINGLE && plan->requested[s])
            set->runs[set->n++].strategy = (jf_strategy_t)s;
    for (size_t i = 0; i < set->n && !rc; i++)
        rc = measure_strategy(plan, &set->runs[i]);
    jf_diag_progress_clear();
    if (!rc)
        derive(plan, set);
    return rc;
}

void jf_run_set_fini(jf_run_set_t *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->runs[i].samples_ns);
        set->runs[i].samples_ns = NULL;
        jf_run_result_fini(&set->runs[i].median);
    }
    set->n = 0;
}
