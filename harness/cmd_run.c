/* cmd_run.c - the main command: validate everything, run, publish results. */
#include "commands.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "core/jf_error.h"
#include "diag.h"
#include "json.h"
#include "monitor.h"
#include "outdir.h"
#include "output.h"
#include "paths.h"
#include "report.h"
#include "results.h"
#include "run.h"
#include "viz/jf_viz.h"
#include "warn.h"
#include "workloads/jf_workload.h"

#define RUN_OPTIONS (JF_OPT_WORKLOAD | JF_OPT_CORES | JF_OPT_STRATEGY | JF_OPT_POLICY | \
                     JF_OPT_BATCH | JF_OPT_ITEMS | JF_OPT_REPEAT | JF_OPT_WARMUP |        \
                     JF_OPT_SEED | JF_OPT_OUT | JF_OPT_FORCE | JF_OPT_FORMAT |            \
                     JF_OPT_NO_TRACE | JF_OPT_NO_BASELINE)

typedef struct session {
    const jf_bench_args_t *args;
    const jf_bench_env_t *env;
    unsigned cores;
    jf_workload_t *workload;
    jf_workload_binding_t binding;
    jf_outdir_t out;
    jf_run_set_t set;
    jf_monitor_t *monitor;
    jf_warnings_t warnings;
    bool interrupted; /* as the document says */
    cJSON *doc;
    char stamp[32]; /* 20240501T120000Z, for the default directory name */
    char date[32];  /* 2024-05-01T12:00:00Z, for the context */
} session_t;

/* A workload error is bad input (2) unless the machine ran out of memory. */
static int fail_workload(int rc, const char *err)
{
    return jf_diag_fail(rc == JF_ENOMEM ? JF_EXIT_FAILED : JF_EXIT_USAGE, "workload: %s",
                        err[0] ? err : jf_strerror(rc));
}

/* Everything that can reject the command line, before anything is created. */
static int prepare(session_t *s)
{
    const jf_bench_args_t *a = s->args;
    char dir[PATH_MAX], err[JF_WORKLOAD_ERR_MAX] = "";
    time_t now = time(NULL);
    struct tm tm;

    int rc = jf_cli_check(a, NULL, RUN_OPTIONS, false);
    if (rc)
        return rc;
    if (!a->workload)
        return jf_diag_fail(JF_EXIT_USAGE, "--workload: missing (see bench --help)");
    jf_paths_workloads_dir(dir, sizeof dir);
    rc = jf_workload_find(a->workload, dir, &s->workload, err);
    if (rc)
        return fail_workload(rc, err);
    if (a->seen & JF_OPT_ITEMS)
        s->workload->items = a->items;
    if (a->seen & JF_OPT_SEED)
        s->workload->seed = a->seed;
    rc = jf_workload_bind(s->workload, &s->binding, err);
    if (rc)
        return fail_workload(rc, err);
    gmtime_r(&now, &tm);
    strftime(s->stamp, sizeof s->stamp, "%Y%m%dT%H%M%SZ", &tm);
    strftime(s->date, sizeof s->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    s->cores = a->cores ? a->cores : s->env->machine_cores;
    rc = jf_outdir_plan(&s->out, a->out, s->workload->name, s->stamp, a->force);
    if (rc == 0)
        jf_warnings_check_cores(&s->warnings, s->cores, s->env->machine_cores);
    return rc;
}

static int write_timelines(session_t *s, const jf_strategy_run_t *r)
{
    char name[64], path[JF_OUTDIR_MAX + 64];
    bool scheduled = r->strategy == JF_STRATEGY_SCHEDULED;
    jf_viz_meta_t meta = {
        .workload = s->workload->name, .strategy = jf_strategy_name(r->strategy),
        .policy = scheduled ? jf_policy_name(s->args->policy) : NULL, .cores = s->cores,
        .wall_ns = r->median.wall_ns, .efficiency = r->efficiency,
    };
    int rc;

    jf_results_trace_name(r, name, sizeof name);
    if (jf_outdir_file(&s->out, name, path, sizeof path) != 0)
        return jf_diag_fail(JF_EXIT_FAILED, "results: path too long");
    /* The SVGs are drawn by write_report, all on one time scale. */
    rc = jf_viz_write_chrome_trace(r->median.trace, &meta, path);
    if (rc)
        return jf_diag_fail(JF_EXIT_FAILED, "results: cannot write \"%s\": %s", path,
                            jf_strerror(rc));
    return 0;
}

/* The timelines and index.html, from the document just written (report.h). */
static int write_report(session_t *s)
{
    const jf_trace_t *traces[JF_STRATEGY_COUNT];
    char why[JF_REPORT_WHY_MAX];

    for (size_t i = 0; i < s->set.n; i++)
        traces[i] = s->set.runs[i].median.trace;
    if (jf_report_write(s->doc, traces, s->set.n, s->out.tmp, why, sizeof why) != 0)
        return jf_diag_fail(JF_EXIT_FAILED, "results: %s", why);
    return 0;
}

static int write_results(session_t *s)
{
    const jf_bench_args_t *a = s->args;
    jf_results_meta_t meta = {
        .workload = s->workload, .topology = s->env->topology,
        .argc = s->env->argc, .argv = s->env->argv, .date = s->date,
        .policy = a->policy, .cores = s->cores, .batch = a->batch,
        .repeat = a->repeat, .warmup = a->warmup, .warnings = &s->warnings,
    };
    char path[JF_OUTDIR_MAX + 64];

    for (size_t i = 0; i < s->set.n; i++) {
        int rc = s->set.runs[i].median.trace ? write_timelines(s, &s->set.runs[i]) : 0;
        if (rc)
            return rc;
    }
    /* A signal from here on no longer changes what the document says. */
    s->interrupted = s->set.interrupted || jf_monitor_interrupted(s->monitor);
    meta.interrupted = s->interrupted;
    s->doc = jf_results_build(&meta, &s->set);
    if (!s->doc)
        return jf_diag_fail(JF_EXIT_FAILED, "results: out of memory");
    if (jf_outdir_file(&s->out, "result.json", path, sizeof path) != 0)
        return jf_diag_fail(JF_EXIT_FAILED, "results: path too long");
    int err = jf_json_write_file(s->doc, path);
    if (err)
        return jf_diag_fail(JF_EXIT_FAILED, "results: cannot write \"%s\": %s", path,
                            strerror(-err));
    return write_report(s);
}

static int print_output(session_t *s)
{
    const jf_bench_args_t *a = s->args;
    jf_output_info_t info = {
        .workload = s->workload->name, .policy = a->policy,
        .latency = s->workload->arrival_rate_per_s > 0, .interrupted = s->interrupted,
        .dir = s->out.path,
    };

    switch (a->format) {
    case JF_CLI_FORMAT_JSON:
        if (jf_output_json(stdout, s->doc) != 0)
            return jf_diag_fail(JF_EXIT_FAILED, "stdout: write failed");
        break;
    case JF_CLI_FORMAT_MARKDOWN:
        jf_output_markdown(stdout, &s->set, &info);
        break;
    case JF_CLI_FORMAT_CSV:
        jf_output_csv(stdout, &s->set, &info);
        break;
    default:
        jf_output_table(stdout, &s->set, &info);
        printf("report: %s/index.html\n", s->out.path);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return jf_diag_fail(JF_EXIT_FAILED, "stdout: write failed");
    return 0;
}

/* What a second signal does: no half-written directory is left behind. */
static void remove_partial(void *outdir)
{
    jf_outdir_abort(outdir);
}

/* Moves the directory into place; a second signal waits for that. */
static int publish(session_t *s)
{
    jf_monitor_lock(s->monitor);
    int rc = jf_outdir_commit(&s->out);
    jf_monitor_unlock(s->monitor);
    jf_monitor_protect(s->monitor, NULL, NULL);
    return rc;
}

static int execute(session_t *s)
{
    const jf_bench_args_t *a = s->args;
    jf_run_plan_t plan = {
        .workload = s->workload, .binding = &s->binding, .topology = s->env->topology,
        .baseline = !a->no_baseline, .policy = a->policy, .cores = s->cores,
        .batch = a->batch, .repeat = a->repeat, .warmup = a->warmup, .trace = !a->no_trace,
        .monitor = s->monitor,
    };
    int rc;

    memcpy(plan.requested, a->strategies, sizeof plan.requested);
    if ((rc = jf_outdir_begin(&s->out)) != 0)
        return rc;
    jf_monitor_protect(s->monitor, remove_partial, &s->out);
    if ((rc = jf_run_measure(&plan, &s->set)) != 0)
        return rc;
    jf_warnings_check_set(&s->warnings, &s->set);
    if ((rc = write_results(s)) != 0 || (rc = publish(s)) != 0 || (rc = print_output(s)) != 0)
        return rc;
    if (s->interrupted)
        return jf_diag_fail(JF_EXIT_INTERRUPTED, "interrupted: what finished is in %s/",
                            s->out.path);
    return JF_EXIT_OK;
}

int jf_cmd_run(const jf_bench_args_t *args, const jf_bench_env_t *env)
{
    session_t s = {.args = args, .env = env};

    /* Before any other thread exists: every thread inherits the blocked
     * SIGINT and SIGTERM, which only the monitor thread takes. */
    int rc = jf_monitor_start(jf_diag_progress_init(), &s.monitor);
    if (rc)
        return jf_diag_fail(JF_EXIT_FAILED, "cannot start the monitor thread: %s",
                            jf_strerror(rc));
    rc = prepare(&s);
    if (rc == 0)
        rc = execute(&s);
    jf_monitor_stop(s.monitor);
    jf_diag_progress_clear();
    /* After a failure nothing may look like a complete result. */
    jf_outdir_abort(&s.out);
    cJSON_Delete(s.doc);
    jf_run_set_fini(&s.set);
    jf_warnings_fini(&s.warnings);
    jf_workload_unbind(&s.binding);
    jf_workload_destroy(s.workload);
    return rc;
}
