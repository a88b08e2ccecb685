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
#include "outdir.h"
#include "output.h"
#include "paths.h"
#include "results.h"
#include "run.h"
#include "viz/jf_viz.h"
#include "workloads/jf_workload.h"

#define RUN_OPTIONS (JF_OPT_WORKLOAD | JF_OPT_CORES | JF_OPT_STRATEGY | JF_OPT_POLICY | \
                     JF_OPT_BATCH | JF_OPT_ITEMS | JF_OPT_REPEAT | JF_OPT_WARMUP |        \
                     JF_OPT_SEED | JF_OPT_OUT | JF_OPT_FORCE | JF_OPT_FORMAT |            \
                     JF_OPT_NO_TRACE)

typedef struct session {
    const jf_bench_args_t *args;
    const jf_bench_env_t *env;
    unsigned cores;
    jf_workload_t *workload;
    jf_workload_binding_t binding;
    jf_outdir_t out;
    jf_run_set_t set;
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
    return jf_outdir_plan(&s->out, a->out, s->workload->name, s->stamp, a->force);
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
    rc = jf_viz_write_chrome_trace(r->median.trace, &meta, path);
    if (rc == 0) {
        jf_results_svg_name(r, name, sizeof name);
        if (jf_outdir_file(&s->out, name, path, sizeof path) != 0)
            return jf_diag_fail(JF_EXIT_FAILED, "results: path too long");
        rc = jf_viz_write_svg(r->median.trace, &meta, path);
    }
    if (rc)
        return jf_diag_fail(JF_EXIT_FAILED, "results: cannot write \"%s\": %s", path,
                            jf_strerror(rc));
    return 0;
}

static int write_results(session_t *s)
{
    const jf_bench_args_t *a = s->args;
    jf_results_meta_t meta = {
        .workload = s->workload, .topology = s->env->topology,
        .argc = s->env->argc, .argv = s->env->argv, .date = s->date,
        .policy = a->policy, .cores = s->cores, .batch = a->batch,
        .repeat = a->repeat, .warmup = a->warmup,
    };
    char path[JF_OUTDIR_MAX + 64];

    for (size_t i = 0; i < s->set.n; i++) {
        int rc = s->set.runs[i].median.trace ? write_timelines(s, &s->set.runs[i]) : 0;
        if (rc)
            return rc;
    }
    s->doc = jf_results_build(&meta, &s->set);
    if (!s->doc)
        return jf_diag_fail(JF_EXIT_FAILED, "results: out of memory");
    if (jf_outdir_file(&s->out, "result.json", path, sizeof path) != 0)
        return jf_diag_fail(JF_EXIT_FAILED, "results: path too long");
    int err = jf_json_write_file(s->doc, path);
    if (err)
        return jf_diag_fail(JF_EXIT_FAILED, "results: cannot write \"%s\": %s", path,
                            strerror(-err));
    return 0;
}

static int execute(session_t *s)
{
    const jf_bench_args_t *a = s->args;
    jf_run_plan_t plan = {
        .workload = s->workload, .binding = &s->binding, .topology = s->env->topology,
        .policy = a->policy, .cores = s->cores, .batch = a->batch,
        .repeat = a->repeat, .warmup = a->warmup, .trace = !a->no_trace,
    };
    int rc;

    memcpy(plan.requested, a->strategies, sizeof plan.requested);
    if ((rc = jf_outdir_begin(&s->out)) != 0 || (rc = jf_run_measure(&plan, &s->set)) != 0 ||
        (rc = write_results(s)) != 0 || (rc = jf_outdir_commit(&s->out)) != 0)
        return rc;
    if (a->format == JF_CLI_FORMAT_JSON) {
        if (jf_output_json(stdout, s->doc) != 0)
            return jf_diag_fail(JF_EXIT_FAILED, "stdout: write failed");
    } else {
        jf_output_table(stdout, &s->set, a->policy, s->out.path);
    }
    return JF_EXIT_OK;
}

int jf_cmd_run(const jf_bench_args_t *args, const jf_bench_env_t *env)
{
    session_t s = {.args = args, .env = env};

    jf_diag_progress_init();
    int rc = prepare(&s);
    if (rc == 0)
        rc = execute(&s);
    /* After a failure nothing may look like a complete result. */
    jf_outdir_abort(&s.out);
    cJSON_Delete(s.doc);
    jf_run_set_fini(&s.set);
    jf_workload_unbind(&s.binding);
    jf_workload_destroy(s.workload);
    return rc;
}
