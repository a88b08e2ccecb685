/* run_session.h - the state of one `bench --workload` command, shared by cmd_run*.c. */
#ifndef JF_RUN_SESSION_H
#define JF_RUN_SESSION_H

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
#include "workloads/jf_workload.h"

typedef struct session {
    const jf_bench_args_t *args;
    const jf_bench_env_t *env;
    unsigned cores;        /* of the run, or of the count being run in a scaling run */
    bool simulated;        /* --sim, or a count of a scaling run above the machine's */
    char subdir[16];       /* a scaling run's count's directory, "cores-4"; "": none */
    jf_warnings_t *warn;   /* where the run's warnings go: warnings or count_warnings */
    jf_warnings_t count_warnings; /* warnings, then the count's own */
    jf_scaling_t scaling;  /* a scaling run's scaling.json */
    char *history[JF_CLI_CORES_LIST_MAX]; /* a scaling run's history lines, per count */
    size_t nhistory;
    jf_workload_t *workload;
    jf_workload_binding_t binding;
    jf_outdir_t out;
    jf_run_set_t set;
    jf_monitor_t *monitor;
    jf_warnings_t warnings;
    jf_sim_options_t sim;  /* the simulator's overheads, with --sim */
    jf_slow_t slow;        /* the test-only slow scheduler, when asked for */
    bool slowed;
    jf_cmp_doc_t base;     /* --compare BASE.json, loaded before the run */
    bool interrupted; /* as the document says */
    cJSON *doc;
    char stamp[32]; /* 20240501T120000Z, for the default directory name */
    char date[32];  /* 2024-05-01T12:00:00Z, for the context */
} session_t;

/* Where the run's files go: <base>, or <base>/<subdir> for a count of a
 * scaling run (base: the temporary directory, or the final one). Returns
 * 0, or -1 when the path does not fit in size. */
int jf__session_count_dir(const session_t *s, const char *base, char *buf, size_t size);

/* The plan of a run at s->cores, simulated when s->simulated. */
void jf__session_plan(session_t *s, jf_run_plan_t *plan);

/* Writes s->set into the count's directory: traces, result.json (kept in
 * s->doc; s->interrupted set as it says), SVG timelines and index.html.
 * Returns 0, or an exit status after the error line. */
int jf__session_write_results(session_t *s);

/* Moves the temporary directory into place. Returns 0 or JF_EXIT_FAILED. */
int jf__session_publish(session_t *s);

/* cmd_run_scaling.c: fails (JF_EXIT_USAGE, after the error line) when no
 * count of the --cores list runs any requested strategy (tbb alone, every
 * count simulated). Returns 0 otherwise. */
int jf__session_check_counts(const session_t *s);

/* cmd_run_scaling.c: runs every count of --cores 1,2,4,... (outdir begun)
 * and publishes the whole directory. Returns the command's exit status. */
int jf__session_run_scaling(session_t *s);

#endif /* JF_RUN_SESSION_H */
