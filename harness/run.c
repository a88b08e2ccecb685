/* run.c - repetitions of each strategy, the median kept, figures derived. */
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "jefferson/error.h"
#include "diag.h"

/* One repetition: what the engine measured and the CPU time it took. */
typedef struct rep {
    jf_run_result_t res;
    uint64_t user_ns, sys_ns;
    unsigned tokens; /* tbb: live tokens */
    char config[48]; /* a peer's configuration, and the sweep that chose it */
    bench_sweep_t sweep[BENCH_SWEEP_MAX];
    size_t nsweep;
} rep_t;

static int fail_kernel(const bench_run_plan_t *plan, const jf_run_result_t *res)
{
    const jf_run_failure_t *f = &res->failure;
    unsigned long long seq = (unsigned long long)f->seq;

    if (f->stage < 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "run: source failed on item %llu (code %d)", seq,
                            f->code);
    if ((size_t)f->stage >= plan->workload->nstages)
        return bench_diag_fail(BENCH_EXIT_FAILED, "run: sink failed on item %llu (code %d)", seq,
                            f->code);
    return bench_diag_fail(BENCH_EXIT_FAILED, "run: stage \"%s\" failed on item %llu (code %d)",
                        plan->workload->stages[f->stage].name, seq, f->code);
}

/* Every run must deliver every item, once, in order (DESIGN.md, "Ordering");
 * a run that does not measured something else than the workload. Returns
 * 0, BENCH_EXIT_INTERRUPTED (stopped by a signal: no error line) or
 * BENCH_EXIT_FAILED after the error line. */
static int verdict(const bench_run_plan_t *plan, bench_strategy_t s, int rc,
                   const jf_run_result_t *r)
{
    const char *name = bench_strategy_name(s);

    if (rc == JF_ESTOPPED)
        return BENCH_EXIT_INTERRUPTED;
    if (rc == JF_EKERNEL)
        return fail_kernel(plan, r);
    if (rc)
        return bench_diag_fail(BENCH_EXIT_FAILED, "run: %s: %s", name, jf_strerror(rc));
    if (r->items_in != plan->workload->items || r->items_out != r->items_in)
        return bench_diag_fail(BENCH_EXIT_FAILED, "run: %s: %llu items in, %llu out, %llu expected",
                            name, (unsigned long long)r->items_in,
                            (unsigned long long)r->items_out,
                            (unsigned long long)plan->workload->items);
    if (!r->order_preserved)
        return bench_diag_fail(BENCH_EXIT_FAILED, "run: %s: items reached the sink out of order",
                            name);
    return 0;
}

static uint64_t tv_ns(struct timeval tv)
{
    return (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000ull;
}

static double workload_cost(void *ctx, size_t stage, uint64_t seq)
{
    return workload_item_ns(ctx, stage, seq);
}

static int workload_fails(void *ctx, size_t stage, uint64_t seq)
{
    return workload_item_fails(ctx, stage, seq);
}

/* Runs opt with strategy s's run function (or the simulator, plan->sim)
 * into rep->res and measures the process's CPU time around it. Returns
 * BENCH_EXIT_INTERRUPTED when a signal came first, else what the run
 * returned. */
static int execute(const bench_run_plan_t *plan, bench_strategy_t s,
                   const jf_stage_spec_t *specs, const jf_run_options_t *opt, const char *what,
                   rep_t *rep)
{
    const workload_t *w = plan->workload;
    bool slow = plan->slow && bench_strategy_uses_policy(s);
    bench_rep_t run = {.monitor = plan->monitor, .specs = specs, .nstages = w->nstages,
                          .opt = opt, .what = what, .res = &rep->res};
    int rc;

    if (plan->sim) {
        jf_sim_options_t sim = *plan->sim;
        sim.cost = slow ? bench_slow_cost : workload_cost;
        sim.cost_ctx = slow ? (void *)plan->slow : (void *)w;
        /* A kernel that would fail fails the simulated run too, at the
         * same stage and item: a run that would fail never succeeds. */
        sim.fails = workload_fails;
        sim.fails_ctx = (void *)plan->binding;
        if (bench_monitor_interrupted(plan->monitor))
            return BENCH_EXIT_INTERRUPTED;
        bench_diag_progress("%s: simulating", what);
        getrusage(RUSAGE_SELF, &run.before);
        rc = jf_sim_run(specs, w->nstages, opt, &sim, &rep->res);
        getrusage(RUSAGE_SELF, &run.after);
        bench_monitor_detach(plan->monitor);
    } else {
        rc = bench_strategy_ops(s)->run(&run);
        if (rc == BENCH_EXIT_INTERRUPTED)
            return rc;
    }
    rep->tokens = run.tokens;
    memcpy(rep->config, run.config, sizeof rep->config);
    memcpy(rep->sweep, run.sweep, sizeof rep->sweep);
    rep->nsweep = run.nsweep;
    rep->user_ns = tv_ns(run.after.ru_utime) - tv_ns(run.before.ru_utime);
    rep->sys_ns = tv_ns(run.after.ru_stime) - tv_ns(run.before.ru_stime);
    return rc;
}

/* One repetition into *rep, shown as `what` in the progress line. Returns
 * as verdict(); on failure rep->res is released. */
static int repetition(const bench_run_plan_t *plan, bench_strategy_t s, const char *what,
                      bool trace, rep_t *rep)
{
    const workload_binding_t *b = plan->binding;
    const workload_t *w = plan->workload;
    jf_run_options_t opt = {
        .strategy = bench_strategy_ops(s)->engine,
        .policy = plan->policy, .cores = plan->cores, .batch = plan->batch,
        .items = w->items, .item_bytes = w->item_bytes, .trace = trace,
        .topology = plan->topology, .source = b->source, .source_ctx = b->source_ctx,
        .check = b->check, .check_ctx = b->check_ctx,
        .arrival_rate_per_s = w->arrival_rate_per_s, .arrival_burst = w->arrival_burst,
    };
    bool slow = plan->slow && bench_strategy_uses_policy(s);

    memset(rep, 0, sizeof *rep);
    int rc = execute(plan, s, slow ? plan->slow->specs : b->specs, &opt, what, rep);
    if (rc == BENCH_EXIT_INTERRUPTED)
        return rc;
    rc = verdict(plan, s, rc, &rep->res);
    if (rc)
        jf_run_result_fini(&rep->res);
    return rc;
}

static int warm_up(const bench_run_plan_t *plan, bench_strategy_t s)
{
    char what[96];
    int rc = 0;

    for (unsigned i = 0; i < plan->warmup && !rc; i++) {
        rep_t warm;
        snprintf(what, sizeof what, "%s: warmup %u/%u", bench_strategy_name(s), i + 1,
                 plan->warmup);
        rc = repetition(plan, s, what, false, &warm);
        if (!rc)
            jf_run_result_fini(&warm.res);
    }
    return rc;
}

/* Statistics of the `done` finished repetitions; the median one's result
 * moves into run->median. */
static int summarize(bench_strategy_run_t *run, rep_t *reps, unsigned done)
{
    bench_stats_t user, sys;

    run->repeats = done;
    if (bench_stats_compute(run->samples_ns, done, &run->wall) != 0 ||
        bench_stats_compute(run->user_ns, done, &user) != 0 ||
        bench_stats_compute(run->sys_ns, done, &sys) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "run: out of memory");
    run->user_median_ns = user.median;
    run->sys_median_ns = sys.median;
    size_t m = bench_stats_median_index(run->samples_ns, done);
    run->median = reps[m].res;
    run->tokens = reps[m].tokens;
    memcpy(run->config, reps[m].config, sizeof run->config);
    memcpy(run->sweep, reps[m].sweep, sizeof run->sweep);
    run->nsweep = reps[m].nsweep;
    memset(&reps[m].res, 0, sizeof reps[m].res);
    return 0;
}

/* Runs one strategy. Every measured repetition records a trace (when
 * asked) because which one is the median is known only at the end; the
 * others' traces are freed then. Returns 0, BENCH_EXIT_INTERRUPTED with what
 * finished summarized, or BENCH_EXIT_FAILED after the error line. */
static int measure_strategy(const bench_run_plan_t *plan, bench_strategy_run_t *run)
{
    const char *name = bench_strategy_name(run->strategy);
    rep_t *reps = calloc(plan->repeat, sizeof *reps);
    unsigned done = 0;
    char what[96];

    run->samples_ns = calloc(plan->repeat, sizeof *run->samples_ns);
    run->user_ns = calloc(plan->repeat, sizeof *run->user_ns);
    run->sys_ns = calloc(plan->repeat, sizeof *run->sys_ns);
    int rc = reps && run->samples_ns && run->user_ns && run->sys_ns
                 ? warm_up(plan, run->strategy)
                 : bench_diag_fail(BENCH_EXIT_FAILED, "run: out of memory");
    for (; !rc && done < plan->repeat; done++) {
        snprintf(what, sizeof what, "%s: repetition %u/%u", name, done + 1, plan->repeat);
        rc = repetition(plan, run->strategy, what, plan->trace, &reps[done]);
        if (rc)
            break;
        run->samples_ns[done] = reps[done].res.wall_ns;
        run->user_ns[done] = reps[done].user_ns;
        run->sys_ns[done] = reps[done].sys_ns;
    }
    if (done > 0 && (rc == 0 || rc == BENCH_EXIT_INTERRUPTED)) {
        int err = summarize(run, reps, done);
        rc = err ? err : rc;
    }
    for (unsigned i = 0; reps && i < done; i++)
        jf_run_result_fini(&reps[i].res);
    free(reps);
    return rc;
}

/* Kernel time is wall time measured around kernel calls: in an
 * oversubscribed run a preempted kernel's clock keeps running, which
 * inflates it, while the work the kernels do is the same under every
 * strategy. So the smallest measurement among the strategies of the set
 * (`single`'s, when it ran, is never inflated) is the best estimate of the
 * work, for CPU-bound kernels, yielding ones and the slowest item's path.
 * Zero is "not measured" (a peer may not time kernels). */
typedef struct work_estimate {
    uint64_t kernel_ns, yield_ns, path_ns;
} work_estimate_t;

static void keep_least(uint64_t *least, uint64_t v)
{
    if (v > 0 && (*least == 0 || v < *least))
        *least = v;
}

static work_estimate_t least_work(const bench_run_set_t *set)
{
    work_estimate_t e = {0, 0, 0};

    for (size_t i = 0; i < set->n; i++) {
        const jf_run_result_t *r = &set->runs[i].median;
        keep_least(&e.kernel_ns, r->kernel_cpu_ns);
        keep_least(&e.yield_ns, r->kernel_yield_ns);
        keep_least(&e.path_ns, r->path_ns);
    }
    return e;
}

uint64_t bench_run_lower_bound(const bench_strategy_run_t *run, const bench_run_set_t *set,
                               unsigned cores)
{
    const jf_run_result_t *r = &run->median;
    work_estimate_t work = least_work(set);
    double k = (double)work.kernel_ns, y = (double)work.yield_ns, path = (double)work.path_ns;
    unsigned threads = r->threads ? r->threads : 1;
    unsigned busy = threads < cores ? threads : cores;

    /* CPU-bound work spreads over at most `busy` cores; yielding work
     * overlaps with it but still needs a thread. */
    double lb = k / (busy ? busy : 1);
    if ((k + y) / threads > lb)
        lb = (k + y) / threads;
    if (path > lb)
        lb = path;
    return (uint64_t)(lb + 0.5);
}

/* Under an arrival rate no run can end before its last item arrives:
 * items come in bursts, one burst every burst / rate seconds. */
static uint64_t last_arrival_ns(const workload_t *w)
{
    uint64_t items = w->items; /* --items is already applied to the workload */

    if (w->arrival_rate_per_s <= 0 || items == 0)
        return 0;
    unsigned burst = w->arrival_burst ? w->arrival_burst : 1;
    return (uint64_t)((double)((items - 1) / burst) * burst * 1e9 / w->arrival_rate_per_s);
}

static void strategy_run_free(bench_strategy_run_t *r)
{
    free(r->samples_ns);
    free(r->user_ns);
    free(r->sys_ns);
    jf_run_result_fini(&r->median);
    memset(r, 0, sizeof *r);
}

/* Drops strategies with no finished repetition, then derives the figures. */
static void finish(const bench_run_plan_t *plan, bench_run_set_t *set)
{
    size_t kept = 0;

    for (size_t i = 0; i < set->n; i++) {
        if (set->runs[i].repeats == 0) {
            strategy_run_free(&set->runs[i]);
            continue;
        }
        if (kept != i) { /* move: the slot left behind owns nothing */
            set->runs[kept] = set->runs[i];
            memset(&set->runs[i], 0, sizeof set->runs[i]);
        }
        kept++;
    }
    set->n = kept;
    set->has_baseline = kept > 0 && set->runs[0].strategy == BENCH_SINGLE;
    const bench_strategy_run_t *single = set->has_baseline ? &set->runs[0] : NULL;
    for (size_t i = 0; i < set->n; i++) {
        bench_strategy_run_t *r = &set->runs[i];
        double wall = r->wall.median > 0 ? r->wall.median : 1.0;
        r->lower_bound_ns = bench_run_lower_bound(r, set, plan->cores);
        if (r->lower_bound_ns < last_arrival_ns(plan->workload))
            r->lower_bound_ns = last_arrival_ns(plan->workload);
        r->throughput = (double)plan->workload->items * 1e9 / wall;
        r->speedup = single ? single->wall.median / wall : NAN;
        r->efficiency = (double)r->lower_bound_ns / wall;
    }
}

int bench_run_measure(const bench_run_plan_t *plan, bench_run_set_t *set)
{
    int rc = 0;

    memset(set, 0, sizeof *set);
    if (plan->requested[BENCH_SINGLE] || plan->baseline) {
        set->runs[set->n].strategy = BENCH_SINGLE;
        set->runs[set->n++].baseline_only = !plan->requested[BENCH_SINGLE];
    }
    for (int s = 0; s < BENCH_STRATEGY_COUNT; s++) {
        if (s == BENCH_SINGLE || !plan->requested[s])
            continue;
        const bench_strategy_ops_t *ops = bench_strategy_ops((bench_strategy_t)s);
        set->runs[set->n].strategy = (bench_strategy_t)s;
        set->runs[set->n++].items_per_token =
            ops->items_per_token != NULL ? ops->items_per_token(plan->batch) : 0;
    }
    for (size_t i = 0; i < set->n && !rc; i++)
        rc = measure_strategy(plan, &set->runs[i]);
    for (int s = 0; s < BENCH_STRATEGY_COUNT; s++) {
        const bench_strategy_ops_t *ops = bench_strategy_ops((bench_strategy_t)s);
        if (plan->requested[s] && ops->finish != NULL)
            ops->finish();
    }
    if (rc == BENCH_EXIT_INTERRUPTED) {
        set->interrupted = true;
        rc = 0;
    }
    bench_diag_progress_clear();
    if (!rc)
        finish(plan, set);
    return rc;
}

void bench_run_set_fini(bench_run_set_t *set)
{
    for (size_t i = 0; i < set->n; i++)
        strategy_run_free(&set->runs[i]);
    set->n = 0;
}
