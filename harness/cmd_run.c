/* cmd_run.c - the main command: validate everything, run, publish results. */
#include "commands.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "confirm.h"
#include "jefferson/error.h"
#include "diag.h"
#include "export.h"
#include "history.h"
#include "json.h"
#include "monitor.h"
#include "outdir.h"
#include "output.h"
#include "paths.h"
#include "report.h"
#include "results.h"
#include "run.h"
#include "run_session.h"
#include "jefferson/render.h"
#include "warn.h"
#include "workloads/workload.h"

#define RUN_OPTIONS (BENCH_OPT_WORKLOAD | BENCH_OPT_CORES | BENCH_OPT_STRATEGY | BENCH_OPT_POLICY | \
                     BENCH_OPT_BATCH | BENCH_OPT_ITEMS | BENCH_OPT_REPEAT | BENCH_OPT_WARMUP |        \
                     BENCH_OPT_SEED | BENCH_OPT_OUT | BENCH_OPT_FORCE | BENCH_OPT_FORMAT |            \
                     BENCH_OPT_NO_TRACE | BENCH_OPT_NO_BASELINE | BENCH_OPT_SIM | BENCH_OPT_COMPARE |  \
                     BENCH_OPT_CONFIRM | BENCH_OPT_THRESHOLD | BENCH_OPT_HISTORY | BENCH_OPT_NO_HISTORY)

/* A workload error is bad input (2) unless the machine ran out of memory. */
static int fail_workload(int rc, const char *err)
{
    return bench_diag_fail(rc == JF_ENOMEM ? BENCH_EXIT_FAILED : BENCH_EXIT_USAGE, "workload: %s",
                        err[0] ? err : jf_strerror(rc));
}

/* Options that only mean something together. */
static int check_combinations(const bench_args_t *a)
{
    if (!a->compare && (a->seen & (BENCH_OPT_CONFIRM | BENCH_OPT_THRESHOLD)))
        return bench_diag_fail(BENCH_EXIT_USAGE, "--%s: needs --compare BASE.json",
                            a->seen & BENCH_OPT_CONFIRM ? "confirm" : "threshold");
    if (a->history && a->no_history)
        return bench_diag_fail(BENCH_EXIT_USAGE, "--history and --no-history: choose one");
    /* A scaling run has a result per count, and prints their points. */
    if (a->ncores_list && a->compare)
        return bench_diag_fail(BENCH_EXIT_USAGE, "--compare: compares one result, not the counts of "
                            "a --cores list");
    if (a->ncores_list)
        return bench_cli_check_format(a, "--cores list", 1u << BENCH_CLI_FORMAT_TABLE |
                                   1u << BENCH_CLI_FORMAT_JSON | 1u << BENCH_CLI_FORMAT_MARKDOWN);
    return 0;
}

/* Options the chosen strategies make pointless are not dropped silently:
 * each gets a warning, kept in result.json. */
static void warn_ineffective(session_t *s)
{
    const bench_args_t *a = s->args;
    bool only_single = true, policy_used = false;

    for (int i = 0; i < BENCH_STRATEGY_COUNT; i++) {
        only_single &= i == BENCH_SINGLE || !a->strategies[i];
        policy_used |= a->strategies[i] && bench_strategy_uses_policy((bench_strategy_t)i);
    }
    if ((a->seen & BENCH_OPT_POLICY) && !policy_used)
        bench_warnings_add(&s->warnings, "--policy %s: no effect: only the scheduled strategy "
                        "has a policy, and it does not run", jf_policy_name(a->policy));
    if (a->no_baseline && a->strategies[BENCH_SINGLE])
        bench_warnings_add(&s->warnings, "--no-baseline: no effect: single runs anyway, as one "
                        "of the strategies asked for");
    if ((a->seen & BENCH_OPT_CORES) && only_single)
        bench_warnings_add(&s->warnings, "--cores %s: no effect: single runs one thread on one "
                        "core", a->cores_arg);
    /* A simulation has no caches to warm and no noise to confirm against. */
    if (a->sim && a->warmup > 0)
        bench_warnings_add(&s->warnings, "--warmup: no effect with --sim: every simulated "
                        "repetition is the same");
    if (a->sim && a->confirm > 0)
        bench_warnings_add(&s->warnings, "--confirm: no effect with --sim: a simulated rerun "
                        "repeats the run exactly");
}

/* Plugin stages without a stated "ns" were timed when bound: the
 * simulator uses that figure, which is this machine's and this moment's,
 * so a run that simulates says so. */
static void adopt_costs(session_t *s)
{
    const bench_args_t *a = s->args;
    workload_t *w = s->workload;
    bool simulates = a->sim || (a->ncores_list > 0 &&
                                a->cores_list[a->ncores_list - 1] > s->env->machine_cores);

    if (workload_adopt_costs(w, &s->binding) == 0 || !simulates)
        return;
    for (size_t i = 0; i < w->nstages; i++)
        if (w->stages[i].ns_measured)
            bench_warnings_add(&s->warnings, "stages[%zu] \"%s\": simulated at %.0f ns per item, "
                            "the plugin's cost measured at load (state \"ns\" to fix it)", i,
                            w->stages[i].name, w->stages[i].ns);
}

/* --compare: BASE must be readable and comparable before anything runs. */
static int load_base(session_t *s)
{
    char why[512];
    int rc = bench_cmp_doc_load(s->args->compare, &s->base, why, sizeof why);

    if (rc)
        return bench_diag_fail(rc == JF_ENOMEM ? BENCH_EXIT_FAILED : BENCH_EXIT_USAGE,
                            "--compare: %s: %s", s->args->compare, why);
    cJSON *w = workload_to_json(s->workload);
    rc = w ? bench_confirm_precheck(&s->base, s->args, w, s->cores)
           : bench_diag_fail(BENCH_EXIT_FAILED, "--compare: out of memory");
    cJSON_Delete(w);
    return rc;
}

/* --sim's overheads, and JF_TEST_SLOW_POLICY (read here, once). */
static void prepare_modes(session_t *s)
{
    jf_sim_options_default(&s->sim);
    s->slowed = bench_slow_requested();
    if (!s->slowed)
        return;
    bench_slow_init(&s->slow, s->binding.specs, s->binding.nstages, s->workload,
                 s->args->batch ? s->args->batch : JF_DEFAULT_BATCH);
    bench_warnings_add(&s->warnings, "JF_TEST_SLOW_POLICY is set: every decision of the "
                    "scheduled strategy costs %.0f us more (a test of make perf-check)",
                    BENCH_SLOW_DECISION_NS / 1e3);
}

/* Everything that can reject the command line, before anything is created. */
static int prepare(session_t *s)
{
    const bench_args_t *a = s->args;
    char dir[PATH_MAX], err[WORKLOAD_ERR_MAX] = "";
    time_t now = time(NULL);
    struct tm tm;

    int rc = bench_cli_check(a, NULL, RUN_OPTIONS, false);
    if (rc == 0)
        rc = check_combinations(a);
    if (rc)
        return rc;
    if (!a->workload)
        return bench_diag_fail(BENCH_EXIT_USAGE, "--workload: missing (see bench --help)");
    bench_paths_workloads_dir(dir, sizeof dir);
    rc = workload_find(a->workload, dir, &s->workload, err);
    if (rc)
        return fail_workload(rc, err);
    if (a->seen & BENCH_OPT_ITEMS)
        s->workload->items = a->items;
    if (a->seen & BENCH_OPT_SEED)
        s->workload->seed = a->seed;
    rc = workload_bind(s->workload, &s->binding, err);
    if (rc)
        return fail_workload(rc, err);
    gmtime_r(&now, &tm);
    strftime(s->stamp, sizeof s->stamp, "%Y%m%dT%H%M%SZ", &tm);
    strftime(s->date, sizeof s->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    s->cores = a->cores ? a->cores : s->env->machine_cores;
    s->simulated = a->sim;
    s->warn = &s->warnings;
    rc = bench_outdir_plan(&s->out, a->out, s->workload->name, s->stamp, a->force);
    if (rc == 0 && a->compare)
        rc = load_base(s);
    if (rc)
        return rc;
    if (a->ncores_list && (rc = bench_session_check_counts(s)) != 0)
        return rc;
    if (!a->sim && !a->ncores_list)
        bench_warnings_check_cores(&s->warnings, s->cores, s->env->machine_cores);
    warn_ineffective(s);
    adopt_costs(s);
    prepare_modes(s);
    return 0;
}

/* Repetitions of the run: a simulated count of a scaling run without
 * --sim repeats once and warms up none unless --repeat says otherwise, as
 * --sim does: a simulation repeats exactly. */
static unsigned repeats(const session_t *s)
{
    bool once = s->simulated && !s->args->sim && !(s->args->seen & BENCH_OPT_REPEAT);

    return once ? 1 : s->args->repeat;
}

static unsigned warmups(const session_t *s)
{
    return s->simulated && !s->args->sim ? 0 : s->args->warmup;
}

/* Where the run's files go: <base>, or <base>/<subdir> for a count of a
 * scaling run (base: the temporary directory, or the final one). */
int bench_session_count_dir(const session_t *s, const char *base, char *buf, size_t size)
{
    int n = s->subdir[0] ? snprintf(buf, size, "%s/%s", base, s->subdir)
                         : snprintf(buf, size, "%s", base);

    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int count_file(const session_t *s, const char *name, char *buf, size_t size)
{
    char dir[BENCH_OUTDIR_MAX + 64];

    if (bench_session_count_dir(s, s->out.tmp, dir, sizeof dir) != 0)
        return -1;
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int write_timelines(session_t *s, const bench_strategy_run_t *r)
{
    char name[64], path[BENCH_OUTDIR_MAX + 64];
    bool scheduled = bench_strategy_uses_policy(r->strategy);
    jf_viz_meta_t meta = {
        .workload = s->workload->name, .strategy = bench_strategy_name(r->strategy),
        .policy = scheduled ? jf_policy_name(s->args->policy) : NULL, .cores = s->cores,
        .wall_ns = r->median.wall_ns, .efficiency = r->efficiency,
    };
    int rc;

    bench_results_trace_name(r, name, sizeof name);
    if (count_file(s, name, path, sizeof path) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: path too long");
    /* The SVGs are drawn by write_report, all on one time scale. */
    rc = jf_viz_write_chrome_trace(r->median.trace, &meta, path);
    if (rc)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: cannot write \"%s\": %s", path,
                            jf_strerror(rc));
    return 0;
}

/* The timelines and index.html, from the document just written (report.h). */
static int write_report(session_t *s)
{
    const jf_trace_t *traces[BENCH_STRATEGY_COUNT];
    char why[BENCH_REPORT_WHY_MAX], dir[BENCH_OUTDIR_MAX + 64];

    for (size_t i = 0; i < s->set.n; i++)
        traces[i] = s->set.runs[i].median.trace;
    if (bench_session_count_dir(s, s->out.tmp, dir, sizeof dir) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: path too long");
    if (bench_report_write(s->doc, traces, s->set.n, dir, why, sizeof why) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: %s", why);
    return 0;
}

int bench_session_write_results(session_t *s)
{
    const bench_args_t *a = s->args;
    bench_results_meta_t meta = {
        .workload = s->workload, .topology = s->env->topology,
        .argc = s->env->argc, .argv = s->env->argv, .date = s->date,
        .policy = a->policy, .cores = s->cores, .batch = a->batch,
        .repeat = repeats(s), .warmup = warmups(s), .warnings = s->warn,
        .sim = s->simulated ? &s->sim : NULL,
    };
    char path[BENCH_OUTDIR_MAX + 64];

    for (size_t i = 0; i < s->set.n; i++) {
        int rc = s->set.runs[i].median.trace ? write_timelines(s, &s->set.runs[i]) : 0;
        if (rc)
            return rc;
    }
    /* A signal from here on no longer changes what the document says. */
    s->interrupted = s->set.interrupted || bench_monitor_interrupted(s->monitor);
    meta.interrupted = s->interrupted;
    s->doc = bench_results_build(&meta, &s->set);
    if (!s->doc)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: out of memory");
    if (count_file(s, "result.json", path, sizeof path) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: path too long");
    int err = bench_json_write_file(s->doc, path);
    if (err)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: cannot write \"%s\": %s", path,
                            strerror(-err));
    return write_report(s);
}

static int print_output(session_t *s)
{
    const bench_args_t *a = s->args;
    bench_output_info_t info = {
        .workload = s->workload->name, .policy = a->policy,
        .latency = s->workload->arrival_rate_per_s > 0, .interrupted = s->interrupted,
        .dir = s->out.path, .sim = s->simulated,
    };

    switch (a->format) {
    case BENCH_CLI_FORMAT_JSON:
        if (bench_output_json(stdout, s->doc) != 0)
            return bench_diag_fail(BENCH_EXIT_FAILED, "stdout: write failed");
        break;
    case BENCH_CLI_FORMAT_MARKDOWN:
        bench_output_markdown(stdout, &s->set, &info);
        break;
    case BENCH_CLI_FORMAT_CSV:
        bench_output_csv(stdout, &s->set, &info);
        break;
    case BENCH_CLI_FORMAT_GAB:
    case JF_CLI_FORMAT_BENCHER:
        if (bench_export_write(stdout, s->doc, a->format) != 0)
            return bench_diag_fail(BENCH_EXIT_FAILED, "stdout: write failed");
        break;
    default:
        bench_output_table(stdout, &s->set, &info);
        printf("report: %s/index.html\n", s->out.path);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return bench_diag_fail(BENCH_EXIT_FAILED, "stdout: write failed");
    return 0;
}

/* What a second signal does: no half-written directory is left behind. */
static void remove_partial(void *outdir)
{
    bench_outdir_abort(outdir);
}

/* Moves the directory into place; a second signal waits for that. */
int bench_session_publish(session_t *s)
{
    bench_monitor_lock(s->monitor);
    int rc = bench_outdir_commit(&s->out);
    bench_monitor_unlock(s->monitor);
    bench_monitor_protect(s->monitor, NULL, NULL);
    return rc;
}

/* One line in the history (history.h); a failure is a warning: the
 * results themselves are complete. Interrupted runs are left out. */
static void append_history(session_t *s)
{
    char path[BENCH_OUTDIR_MAX + 32], msg[BENCH_OUTDIR_MAX + 128];

    if (s->args->no_history)
        return;
    snprintf(path, sizeof path, "%s", s->args->history ? s->args->history : BENCH_HISTORY_DEFAULT);
    char *line = bench_history_line(s->doc, s->out.path);
    int err = line ? bench_history_append(path, line) : -ENOMEM;
    free(line);
    if (err) {
        snprintf(msg, sizeof msg, "history: cannot append to \"%s\": %s", path, strerror(-err));
        bench_diag_warn(msg);
    }
}

/* --compare: the comparison follows the run's own output on stdout, or
 * goes to stderr when stdout holds a document (json, csv, export formats). */
static int compare(session_t *s, const bench_run_plan_t *plan)
{
    const bench_args_t *a = s->args;
    char path[BENCH_OUTDIR_MAX + 32];
    bool text = a->format == BENCH_CLI_FORMAT_TABLE || a->format == BENCH_CLI_FORMAT_MARKDOWN;
    bench_confirm_t c = {
        .plan = plan, .base = &s->base, .doc = s->doc, .path = path, .confirm = a->confirm,
        .format = a->format == BENCH_CLI_FORMAT_MARKDOWN ? a->format : BENCH_CLI_FORMAT_TABLE,
        .out = text ? stdout : stderr,
    };

    snprintf(path, sizeof path, "%s/result.json", s->out.path);
    bench_cmp_options_default(&c.opt);
    c.opt.threshold = a->threshold_pct / 100.0;
    if (text)
        fputc('\n', stdout);
    return bench_confirm_run(&c);
}

void bench_session_plan(session_t *s, bench_run_plan_t *plan)
{
    const bench_args_t *a = s->args;

    *plan = (bench_run_plan_t){
        .workload = s->workload, .binding = &s->binding, .topology = s->env->topology,
        .baseline = !a->no_baseline, .policy = a->policy, .cores = s->cores,
        .batch = a->batch, .repeat = repeats(s), .warmup = warmups(s), .trace = !a->no_trace,
        .monitor = s->monitor, .sim = s->simulated ? &s->sim : NULL,
        .slow = s->slowed ? &s->slow : NULL,
    };
    memcpy(plan->requested, a->strategies, sizeof plan->requested);
    /* A scaling run's simulated counts: the peers have no model (a note says so). */
    for (int i = 0; i < BENCH_STRATEGY_COUNT; i++)
        plan->requested[i] &= !s->simulated || bench_strategy_simulatable((bench_strategy_t)i);
}

static int execute_one(session_t *s)
{
    const bench_args_t *a = s->args;
    bench_run_plan_t plan;
    int rc;

    bench_session_plan(s, &plan);
    if ((rc = bench_run_measure(&plan, &s->set)) != 0)
        return rc;
    bench_warnings_check_set(&s->warnings, &s->set);
    if ((rc = bench_session_write_results(s)) != 0 || (rc = bench_session_publish(s)) != 0 ||
        (rc = print_output(s)) != 0)
        return rc;
    if (s->interrupted)
        return bench_diag_fail(BENCH_EXIT_INTERRUPTED, "interrupted: what finished is in %s/",
                            s->out.path);
    append_history(s);
    return a->compare ? compare(s, &plan) : BENCH_EXIT_OK;
}

static int execute(session_t *s)
{
    int rc;

    if ((rc = bench_outdir_begin(&s->out)) != 0)
        return rc;
    bench_monitor_protect(s->monitor, remove_partial, &s->out);
    return s->args->ncores_list ? bench_session_run_scaling(s) : execute_one(s);
}

int bench_cmd_run(const bench_args_t *args, const bench_env_t *env)
{
    session_t s = {.args = args, .env = env};

    /* Before any other thread exists: every thread inherits the blocked
     * SIGINT and SIGTERM, which only the monitor thread takes. */
    int rc = bench_monitor_start(bench_diag_progress_init(), &s.monitor);
    if (rc)
        return bench_diag_fail(BENCH_EXIT_FAILED, "cannot start the monitor thread: %s",
                            jf_strerror(rc));
    rc = prepare(&s);
    if (rc == 0)
        rc = execute(&s);
    bench_monitor_stop(s.monitor);
    bench_diag_progress_clear();
    /* After a failure nothing may look like a complete result. */
    bench_outdir_abort(&s.out);
    cJSON_Delete(s.doc);
    bench_run_set_fini(&s.set);
    bench_warnings_fini(&s.warnings);
    bench_warnings_fini(&s.count_warnings);
    bench_scaling_fini(&s.scaling);
    for (size_t i = 0; i < s.nhistory; i++)
        free(s.history[i]);
    bench_cmp_doc_fini(&s.base);
    workload_unbind(&s.binding);
    workload_destroy(s.workload);
    return rc;
}
