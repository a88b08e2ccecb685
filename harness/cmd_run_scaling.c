/* cmd_run_scaling.c - --cores 1,2,4,...: every strategy at every count, then the scaling plot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "diag.h"
#include "history.h"
#include "output.h"
#include "run_session.h"

/* The run's warnings (about options) start every count's list, so each
 * count's result.json carries them; they were printed once already. */
static int copy_warnings(bench_warnings_t *to, const bench_warnings_t *from)
{
    bench_warnings_fini(to);
    for (size_t i = 0; i < from->n; i++) {
        if ((to->msg[i] = strdup(from->msg[i])) == NULL)
            return bench_diag_fail(BENCH_EXIT_FAILED, "out of memory");
        to->n++;
    }
    return 0;
}

/* Whether a requested strategy runs at `cores`: the peers only where measured. */
static bool runs_at(const session_t *s, unsigned cores)
{
    bool simulated = s->args->sim || cores > s->env->machine_cores;

    for (int i = 0; i < BENCH_STRATEGY_COUNT; i++)
        if (s->args->strategies[i] &&
            (!simulated || bench_strategy_simulatable((bench_strategy_t)i)))
            return true;
    return false;
}

int bench_session_check_counts(const session_t *s)
{
    const bench_args_t *a = s->args;
    const char *peer = "";

    for (size_t i = 0; i < a->ncores_list; i++)
        if (runs_at(s, a->cores_list[i]))
            return 0;
    /* Nothing runs: only peers were asked for, and every count is simulated. */
    for (int i = BENCH_STRATEGY_COUNT; i-- > 0;)
        if (a->strategies[i] && !bench_strategy_simulatable((bench_strategy_t)i))
            peer = bench_strategy_name((bench_strategy_t)i);
    return bench_diag_fail(BENCH_EXIT_USAGE, "--cores: %s cannot be simulated, and no count of "
                        "\"%s\" is within the machine's %u cores", peer, a->cores_arg,
                        s->env->machine_cores);
}

/* A peer (tbb) has no model in the simulator: its curve ends at the
 * machine's cores. */
static int note_peers(session_t *s)
{
    const bench_args_t *a = s->args;
    unsigned machine = s->env->machine_cores;
    char note[256];

    if (a->cores_list[a->ncores_list - 1] <= machine)
        return 0;
    for (int i = 0; i < BENCH_STRATEGY_COUNT; i++) {
        bench_strategy_t st = (bench_strategy_t)i;
        if (!a->strategies[i] || bench_strategy_simulatable(st))
            continue;
        snprintf(note, sizeof note, "%s: no points above %u core%s: it runs on real cores "
                 "only, and cannot be simulated", bench_strategy_name(st), machine,
                 machine == 1 ? "" : "s");
        bench_diag_warn(note);
        if (bench_scaling_note(&s->scaling, note) != 0)
            return bench_diag_fail(BENCH_EXIT_FAILED, "out of memory");
    }
    return 0;
}

/* The count's table (or markdown), under a line saying which count it is. */
static void print_count(session_t *s)
{
    const bench_args_t *a = s->args;
    char dir[BENCH_OUTDIR_MAX + 64];
    bench_output_info_t info = {
        .workload = s->workload->name, .policy = a->policy, .dir = dir,
        .latency = s->workload->arrival_rate_per_s > 0, .interrupted = s->interrupted,
        .sim = s->simulated,
    };

    if (bench_session_count_dir(s, s->out.path, dir, sizeof dir) != 0)
        return;
    if (a->format == BENCH_CLI_FORMAT_MARKDOWN) {
        printf("#### %u core%s (%s)\n\n", s->cores, s->cores == 1 ? "" : "s",
               s->simulated ? "simulated" : "measured");
        bench_output_markdown(stdout, &s->set, &info);
        putchar('\n');
    } else if (a->format == BENCH_CLI_FORMAT_TABLE) {
        printf("%u core%s, %s:\n", s->cores, s->cores == 1 ? "" : "s",
               s->simulated ? "simulated" : "measured");
        bench_output_table(stdout, &s->set, &info);
        putchar('\n');
    }
    fflush(stdout);
}

/* The count's history line, appended once the whole directory is in place. */
static int keep_history(session_t *s)
{
    char dir[BENCH_OUTDIR_MAX + 64];

    if (s->args->no_history || s->interrupted)
        return 0;
    if (bench_session_count_dir(s, s->out.path, dir, sizeof dir) != 0 ||
        (s->history[s->nhistory] = bench_history_line(s->doc, dir)) == NULL)
        return bench_diag_fail(BENCH_EXIT_FAILED, "history: out of memory");
    s->nhistory++;
    return 0;
}

/* Everything a run with --cores N writes, into cores-N/; then its points. */
static int run_count(session_t *s, unsigned cores)
{
    char dir[BENCH_OUTDIR_MAX + 64];
    bench_run_plan_t plan;
    int rc;

    s->cores = cores;
    s->simulated = s->args->sim || cores > s->env->machine_cores;
    snprintf(s->subdir, sizeof s->subdir, "cores-%u", cores);
    if (bench_session_count_dir(s, s->out.tmp, dir, sizeof dir) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: path too long");
    if (mkdir(dir, 0777) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: cannot create \"%s\": %s", dir,
                            strerror(errno));
    if ((rc = copy_warnings(&s->count_warnings, &s->warnings)) != 0)
        return rc;
    s->warn = &s->count_warnings;
    bench_session_plan(s, &plan);
    if ((rc = bench_run_measure(&plan, &s->set)) != 0)
        return rc;
    bench_warnings_check_set(s->warn, &s->set);
    if ((rc = bench_session_write_results(s)) != 0)
        return rc;
    if (bench_scaling_add(&s->scaling, s->doc, cores, s->subdir) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: out of memory");
    print_count(s);
    rc = keep_history(s);
    cJSON_Delete(s->doc);
    s->doc = NULL;
    bench_run_set_fini(&s->set);
    memset(&s->set, 0, sizeof s->set);
    return rc;
}

/* After the directory is in place: what to print last, and the history. */
static int finish(session_t *s, bool interrupted)
{
    const char *file = s->args->history ? s->args->history : BENCH_HISTORY_DEFAULT;
    char msg[BENCH_OUTDIR_MAX + 128];

    if (s->args->format == BENCH_CLI_FORMAT_JSON) {
        if (bench_output_json(stdout, s->scaling.doc) != 0)
            return bench_diag_fail(BENCH_EXIT_FAILED, "stdout: write failed");
    } else {
        printf("scaling: %s/scaling.json%s\n", s->out.path, interrupted ? " (interrupted)" : "");
        printf("report: %s/index.html\n", s->out.path);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return bench_diag_fail(BENCH_EXIT_FAILED, "stdout: write failed");
    if (interrupted)
        return bench_diag_fail(BENCH_EXIT_INTERRUPTED, "interrupted: what finished is in %s/",
                            s->out.path);
    for (size_t i = 0; i < s->nhistory; i++) {
        int err = bench_history_append(file, s->history[i]);
        if (err) {
            snprintf(msg, sizeof msg, "history: cannot append to \"%s\": %s", file,
                     strerror(-err));
            bench_diag_warn(msg);
            break;
        }
    }
    return BENCH_EXIT_OK;
}

int bench_session_run_scaling(session_t *s)
{
    const bench_args_t *a = s->args;
    char why[BENCH_SCALING_WHY_MAX];
    bool interrupted = false;
    int rc;

    if (bench_scaling_begin(&s->scaling, s->env->machine_cores) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "out of memory");
    if ((rc = note_peers(s)) != 0)
        return rc;
    for (size_t i = 0; i < a->ncores_list && !interrupted; i++) {
        /* After a signal no further count starts; what finished is kept. The
         * first always runs, as a run with one count does: a signal before it
         * measured anything leaves its results empty and flagged. */
        if (i > 0 && bench_monitor_interrupted(s->monitor))
            interrupted = true;
        else if (!runs_at(s, a->cores_list[i]))
            continue; /* peers alone, above the machine's cores: note_peers said so */
        else if ((rc = run_count(s, a->cores_list[i])) != 0)
            return rc;
        else
            interrupted = s->interrupted;
    }
    if (bench_scaling_write(&s->scaling, s->out.tmp, interrupted, why, sizeof why) != 0)
        return bench_diag_fail(BENCH_EXIT_FAILED, "results: %s", why);
    if ((rc = bench_session_publish(s)) != 0)
        return rc;
    return finish(s, interrupted);
}
