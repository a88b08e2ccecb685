/* run_session.h - the state of one `bench --workload` command, shared by cmd_run*.c. */
#ifndef BENCH_RUN_SESSION_H
#define BENCH_RUN_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "commands.h"
#include "compare.h"
#include "core/jf_sim.h"
#include "monitor.h"
#include "outdir.h"
#include "run.h"
#include "scaling.h"
#include "slow.h"
#include "warn.h"
#include "workloads/workload.h"

typedef struct session {
    const bench_args_t *args;
    const bench_env_t *env;
    unsigned cores;        /* of the run, or of the count being run in a scaling run */
    bool simulated;        /* --sim, or a count of a scaling run above the machine's */
    char subdir[16];       /* a scaling run's count's directory, "cores-4"; "": none */
    bench_warnings_t *warn;   /* where the run's warnings go: warnings or count_warnings */
    bench_warnings_t count_warnings; /* warnings, then the count's own */
    bench_scaling_t scaling;  /* a scaling run's scaling.json */
    char *history[BENCH_CLI_CORES_LIST_MAX]; /* a scaling run's history lines, per count */
    size_t nhistory;
    workload_t *workload;
    workload_binding_t binding;
    bench_outdir_t out;
    bench_run_set_t set;
    bench_monitor_t *monitor;
    bench_warnings_t warnings;
    jf_sim_options_t sim;  /* the simulator's overheads, with --sim */
    bench_slow_t slow;        /* the test-only slow scheduler, when asked for */
    bool slowed;
    bench_cmp_doc_t base;     /* --compare BASE.json, loaded before the run */
    bool interrupted; /* as the document says */
    cJSON *doc;
    char stamp[32]; /* 20240501T120000Z, for the default directory name */
    char date[32];  /* 2024-05-01T12:00:00Z, for the context */
} session_t;

/* Where the run's files go: <base>, or <base>/<subdir> for a count of a
 * scaling run (base: the temporary directory, or the final one). Returns
 * 0, or -1 when the path does not fit in size. */
int bench_session_count_dir(const session_t *s, const char *base, char *buf, size_t size);

/* The plan of a run at s->cores, simulated when s->simulated. */
void bench_session_plan(session_t *s, bench_run_plan_t *plan);

/* Writes s->set into the count's directory: traces, result.json (kept in
 * s->doc; s->interrupted set as it says), SVG timelines and index.html.
 * Returns 0, or an exit status after the error line. */
int bench_session_write_results(session_t *s);

/* Moves the temporary directory into place. Returns 0 or BENCH_EXIT_FAILED. */
int bench_session_publish(session_t *s);

/* cmd_run_scaling.c: fails (BENCH_EXIT_USAGE, after the error line) when no
 * count of the --cores list runs any requested strategy (tbb alone, every
 * count simulated). Returns 0 otherwise. */
int bench_session_check_counts(const session_t *s);

/* cmd_run_scaling.c: runs every count of --cores 1,2,4,... (outdir begun)
 * and publishes the whole directory. Returns the command's exit status. */
int bench_session_run_scaling(session_t *s);

#endif /* BENCH_RUN_SESSION_H */
