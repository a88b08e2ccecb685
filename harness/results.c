/* results.c - assemble the result document from measurements. */
#include "results.h"

#include <math.h>
#include <stdio.h>

#include "context.h"
#include "convergence.h"
#include "json.h"

double bench_results_cv(const bench_strategy_run_t *r)
{
    return r->wall.n > 1 ? r->wall.cv : NAN;
}

void bench_results_svg_name(const bench_strategy_run_t *r, char *buf, size_t size)
{
    snprintf(buf, size, "%s.svg", bench_strategy_name(r->strategy));
}

void bench_results_trace_name(const bench_strategy_run_t *r, char *buf, size_t size)
{
    snprintf(buf, size, "%s.trace.json", bench_strategy_name(r->strategy));
}

/* A number, or null when v is not finite (no baseline, no spread). Ratios
 * keep full precision: every view rounds them once (jf_numfmt_fixed), so a
 * report redrawn from the document shows what the run showed. */
static void add_finite(cJSON *o, const char *key, double v, bool *ok)
{
    if (isfinite(v))
        bench_json_add_number(o, key, v, ok);
    else
        bench_json_add(o, key, cJSON_CreateNull(), ok);
}

static void add_ci(cJSON *w, const bench_stats_t *st, bool *ok)
{
    if (!st->has_ci) {
        bench_json_add(w, "ci95", cJSON_CreateNull(), ok);
        return;
    }
    cJSON *ci = bench_json_add_object(w, "ci95", ok);
    bench_json_add_string(ci, "of", "mean", ok);
    bench_json_add_string(ci, "method", "student-t", ok);
    bench_json_add_number(ci, "low", round(st->ci95_low), ok);
    bench_json_add_number(ci, "high", round(st->ci95_high), ok);
}

/* A simulated run's times are virtual; the host's CPU time of the simulator
 * says nothing about the model and would make two identical runs differ,
 * so it is null there. */
static void add_wall(cJSON *o, const bench_strategy_run_t *r, bool sim, bool *ok)
{
    const bench_stats_t *st = &r->wall;
    cJSON *w = bench_json_add_object(o, "wall_ns", ok);
    cJSON *samples;

    bench_json_add_number(w, "median", round(st->median), ok);
    bench_json_add_number(w, "min", (double)st->min, ok);
    bench_json_add_number(w, "max", (double)st->max, ok);
    bench_json_add_number(w, "mean", round(st->mean), ok);
    bench_json_add_number(w, "stddev", round(st->stddev), ok);
    add_finite(w, "cv", bench_results_cv(r), ok);
    add_ci(w, st, ok);
    bench_json_add_number(w, "q1", round(st->q1), ok);
    bench_json_add_number(w, "q3", round(st->q3), ok);
    bench_json_add_number(w, "outliers", (double)(st->outliers_low + st->outliers_high), ok);
    samples = bench_json_add_array(o, "samples_ns", ok);
    for (unsigned i = 0; i < r->repeats; i++)
        bench_json_push_number(samples, (double)r->samples_ns[i], ok);
    if (sim) {
        bench_json_add(o, "cpu_ns", cJSON_CreateNull(), ok);
        return;
    }
    cJSON *cpu = bench_json_add_object(o, "cpu_ns", ok);
    bench_json_add_number(cpu, "user", round(r->user_median_ns), ok);
    bench_json_add_number(cpu, "sys", round(r->sys_median_ns), ok);
}

static void add_latency(cJSON *o, const jf_latency_t *l, bool *ok)
{
    cJSON *lat = bench_json_add_object(o, "latency_ns", ok);

    bench_json_add_number(lat, "p50", (double)l->p50_ns, ok);
    bench_json_add_number(lat, "p95", (double)l->p95_ns, ok);
    bench_json_add_number(lat, "p99", (double)l->p99_ns, ok);
    bench_json_add_number(lat, "max", (double)l->max_ns, ok);
    bench_json_add_number(lat, "mean", round(l->mean_ns), ok);
}

static void add_stages(cJSON *o, const workload_t *w, const jf_run_result_t *m, bool *ok)
{
    cJSON *stages = bench_json_add_array(o, "stages", ok);

    for (size_t i = 0; i < m->nstages && i < w->nstages; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s || !cJSON_AddItemToArray(stages, s)) {
            cJSON_Delete(s);
            *ok = false;
            return;
        }
        bench_json_add_string(s, "name", w->stages[i].name, ok);
        bench_json_add_number(s, "items", (double)m->stages[i].items, ok);
        bench_json_add_number(s, "batches", (double)m->stages[i].batches, ok);
        bench_json_add_number(s, "kernel_ns", (double)m->stages[i].kernel_ns, ok);
        bench_json_add_number(s, "max_item_ns", (double)m->stages[i].max_item_ns, ok);
        bench_json_add_number(s, "mean_service_ns", m->stages[i].mean_service_ns, ok);
    }
}

static void add_files(cJSON *o, const bench_strategy_run_t *r, bool *ok)
{
    char svg[64], trace[64];
    const jf_trace_t *t = r->median.trace;

    bench_results_svg_name(r, svg, sizeof svg);
    bench_results_trace_name(r, trace, sizeof trace);
    bench_json_add_string(o, "svg", t ? svg : NULL, ok);
    bench_json_add_string(o, "trace", t ? trace : NULL, ok);
    if (t)
        bench_json_add_number(o, "trace_dropped_events", (double)jf_trace_dropped(t), ok);
    else
        bench_json_add(o, "trace_dropped_events", cJSON_CreateNull(), ok);
}

/* "convergence": phase by phase, how soon the scheduler's allocation
 * settled near the optimum (convergence.h); only for a traced scheduled run. */
static void add_convergence(cJSON *o, const workload_t *w, const jf_run_result_t *m, bool *ok)
{
    bench_convergence_t c[BENCH_CONVERGENCE_MAX];
    size_t n = 0;
    cJSON *list;

    if (m->trace == NULL || w == NULL)
        return;
    if (bench_convergence_measure(m->trace, w, m->threads, c, &n) != 0) {
        *ok = false;
        return;
    }
    list = cJSON_CreateArray();
    *ok = *ok && list;
    for (size_t i = 0; i < n && *ok; i++) {
        cJSON *p = cJSON_CreateObject();
        *ok = *ok && p && cJSON_AddItemToArray(list, p);
        bench_json_add_number(p, "after_items", (double)c[i].after_items, ok);
        bench_json_add_number(p, "at_ns", (double)c[i].at_ns, ok);
        bench_json_add_number(p, "window_ns", (double)(c[i].end_ns - c[i].at_ns), ok);
        bench_json_add_bool(p, "converged", c[i].converged, ok);
        bench_json_add_number(p, "batches", (double)c[i].batches, ok);
        bench_json_add_number(p, "ns", (double)c[i].ns, ok);
        add_finite(p, "held", c[i].converged ? c[i].held : NAN, ok);
        bench_json_add_number(p, "moves_per_s", c[i].moves_per_s, ok);
        bench_json_add_number(p, "late_gap", c[i].late_gap, ok);
        cJSON *share = bench_json_add_object(p, "time_share", ok);
        bench_json_add_bool(share, "converged", c[i].share_converged, ok);
        bench_json_add_number(share, "batches", (double)c[i].share_batches, ok);
        bench_json_add_number(share, "ns", (double)c[i].share_ns, ok);
        bench_json_add_number(share, "span_ns", (double)c[i].share_span_ns, ok);
        bench_json_add_number(share, "moves_per_s", c[i].share_moves_per_s, ok);
        bench_json_add_number(share, "late_gap", c[i].share_late_gap, ok);
    }
    bench_json_add(o, "convergence", list, ok);
}

/* A peer's chosen configuration, and every one its sweep tried. */
static void add_config(cJSON *o, const bench_strategy_run_t *r, bool *ok)
{
    cJSON *list = cJSON_CreateArray();

    bench_json_add_string(o, "config", r->config, ok);
    *ok = *ok && list;
    for (size_t i = 0; i < r->nsweep && *ok; i++) {
        cJSON *c = cJSON_CreateObject();
        *ok = *ok && c && cJSON_AddItemToArray(list, c);
        bench_json_add_string(c, "config", r->sweep[i].config, ok);
        bench_json_add_number(c, "wall_ns", (double)r->sweep[i].wall_ns, ok);
        bench_json_add_number(c, "runs", r->sweep[i].runs, ok);
    }
    bench_json_add(o, "sweep", list, ok);
}

static cJSON *run_json(const bench_results_meta_t *meta, const bench_strategy_run_t *r, bool *ok)
{
    const jf_run_result_t *m = &r->median;
    bool scheduled = bench_strategy_uses_policy(r->strategy);
    cJSON *o = cJSON_CreateObject();

    *ok = *ok && o;
    bench_json_add_string(o, "strategy", bench_strategy_name(r->strategy), ok);
    bench_json_add_string(o, "policy", scheduled ? jf_policy_name(meta->policy) : NULL, ok);
    bench_json_add_bool(o, "baseline_only", r->baseline_only, ok);
    bench_json_add_number(o, "threads", m->threads, ok);
    if (r->config[0] != '\0')
        add_config(o, r, ok);
    if (bench_strategy_ops(r->strategy)->items_per_token != NULL) {
        bench_json_add_number(o, "items_per_token", r->items_per_token, ok);
        bench_json_add_number(o, "tokens", r->tokens, ok);
    }
    bench_json_add_number(o, "repeats", r->repeats, ok);
    add_wall(o, r, meta->sim != NULL, ok);
    bench_json_add_number(o, "items_in", (double)m->items_in, ok);
    bench_json_add_number(o, "items_out", (double)m->items_out, ok);
    bench_json_add_bool(o, "order_preserved", m->order_preserved, ok);
    bench_json_add_number(o, "throughput_items_per_s", r->throughput, ok);
    add_finite(o, "speedup_vs_single", r->speedup, ok);
    bench_json_add_number(o, "lower_bound_ns", (double)r->lower_bound_ns, ok);
    add_finite(o, "efficiency", r->efficiency, ok);
    bench_json_add_number(o, "reallocations", (double)m->reallocations, ok);
    bench_json_add_number(o, "decisions", (double)m->decisions, ok);
    bench_json_add_number(o, "parks", (double)m->parks, ok);
    bench_json_add_number(o, "carried", (double)m->carried, ok);
    bench_json_add_number(o, "kernel_cpu_ns", (double)m->kernel_cpu_ns, ok);
    bench_json_add_number(o, "kernel_yield_ns", (double)m->kernel_yield_ns, ok);
    bench_json_add_number(o, "path_ns", (double)m->path_ns, ok);
    add_latency(o, &m->latency, ok);
    add_stages(o, meta->workload, m, ok);
    if (scheduled)
        add_convergence(o, meta->workload, m, ok);
    add_files(o, r, ok);
    return o;
}

/* context.sim.plugin_costs: what the simulator charged each plugin stage
 * per item, and whether the workload stated it or bench measured it. */
static void add_plugin_costs(cJSON *o, const workload_t *w, bool *ok)
{
    cJSON *arr = bench_json_add_array(o, "plugin_costs", ok);

    for (size_t i = 0; arr != NULL && w != NULL && i < w->nstages; i++) {
        const workload_stage_t *st = &w->stages[i];
        cJSON *c;

        if (st->library == NULL)
            continue;
        if ((c = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(arr, c)) {
            cJSON_Delete(c);
            *ok = false;
            return;
        }
        bench_json_add_string(c, "stage", st->name, ok);
        bench_json_add_number(c, "ns", st->ns, ok);
        bench_json_add_string(c, "cost", st->ns_measured ? "measured" : "stated", ok);
    }
}

/* context.sim: the overheads a simulated run charged (null for a real run). */
static void add_sim(cJSON *ctx, const jf_sim_options_t *sim, const workload_t *w, bool *ok)
{
    if (!sim) {
        bench_json_add(ctx, "sim", cJSON_CreateNull(), ok);
        return;
    }
    /* The simulator does not spin: this machine's calibration (which
     * varies from run to run) has no part in a simulated result. */
    if (!cJSON_ReplaceItemInObjectCaseSensitive(ctx, "spin_iters_per_ns", cJSON_CreateNull()))
        *ok = false;
    cJSON *o = bench_json_add_object(ctx, "sim", ok);
    bench_json_add_number(o, "item_overhead_ns", sim->item_overhead_ns, ok);
    bench_json_add_number(o, "batch_overhead_ns", sim->batch_overhead_ns, ok);
    bench_json_add_number(o, "decision_ns", sim->decision_ns, ok);
    bench_json_add_number(o, "move_ns", sim->move_ns, ok);
    bench_json_add_number(o, "wake_ns", sim->wake_ns, ok);
    bench_json_add_number(o, "cross_core_ns", sim->cross_core_ns, ok);
    bench_json_add_number(o, "decision_stage_ns", sim->decision_stage_ns, ok);
    bench_json_add_number(o, "park_ns", sim->park_ns, ok);
    bench_json_add_number(o, "contention_ns", sim->contention_ns, ok);
    bench_json_add_number(o, "slice_ns", sim->slice_ns, ok);
    bench_json_add_number(o, "wake_preempt_ns", sim->wake_preempt_ns, ok);
    bench_json_add_number(o, "line_ns", sim->line_ns, ok);
    add_plugin_costs(o, w, ok);
}

void bench_results_add_batch(cJSON *doc, unsigned batch, bool *ok)
{
    bench_json_add_number(doc, "batch", batch ? batch : JF_DEFAULT_BATCH, ok);
    bench_json_add_number(doc, "batch_max", batch ? batch : JF_DEFAULT_BATCH_MAX, ok);
}

cJSON *bench_results_build(const bench_results_meta_t *meta, const bench_run_set_t *set)
{
    cJSON *doc = cJSON_CreateObject();
    bool ok = doc != NULL;

    bench_json_add_string(doc, "schema", "jefferson.result/1", &ok);
    bench_json_add_bool(doc, "interrupted", meta->interrupted, &ok);
    bench_json_add_bool(doc, "sim", meta->sim != NULL, &ok);
    cJSON *ctx = bench_context_build(meta->topology, meta->argc, meta->argv, meta->date);
    if (ctx)
        add_sim(ctx, meta->sim, meta->workload, &ok);
    bench_json_add(doc, "context", ctx, &ok);
    bench_json_add(doc, "workload", workload_to_json(meta->workload), &ok);
    bench_json_add_number(doc, "cores", meta->cores, &ok);
    bench_results_add_batch(doc, meta->batch, &ok);
    bench_json_add_number(doc, "repeat", meta->repeat, &ok);
    bench_json_add_number(doc, "warmup", meta->warmup, &ok);
    bench_json_add_bool(doc, "baseline", set->has_baseline, &ok);
    cJSON *warnings = bench_json_add_array(doc, "warnings", &ok);
    for (size_t i = 0; meta->warnings && i < meta->warnings->n; i++)
        bench_json_push_string(warnings, meta->warnings->msg[i], &ok);
    cJSON *results = bench_json_add_array(doc, "results", &ok);
    for (size_t i = 0; i < set->n && ok; i++) {
        cJSON *r = run_json(meta, &set->runs[i], &ok);
        if (r && !cJSON_AddItemToArray(results, r)) {
            cJSON_Delete(r);
            ok = false;
        }
    }
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
