/* commands.h - the bench subcommands, one function each. */
#ifndef BENCH_COMMANDS_H
#define BENCH_COMMANDS_H

#include "cli.h"
#include "jefferson/topology.h"

/* What every command may need besides its arguments. */
typedef struct bench_env {
    const jf_topology_t *topology; /* NULL when hwloc could not load it */
    unsigned machine_cores;        /* >= 1 */
    int argc;
    char **argv;                   /* the whole command line, for results */
} bench_env_t;

/* Each command checks the options it was given, does its job, prints to
 * stdout, and returns the exit status (JF_EXIT_*) after printing at most
 * one error line. */
typedef int (*bench_cmd_fn)(const bench_args_t *args, const bench_env_t *env);

/* Runs a workload under the requested strategies and writes the results
 * directory (cmd_run.c). */
int bench_cmd_run(const bench_args_t *args, const bench_env_t *env);

/* Lists workloads in the workloads directory, strategies and policies. */
int bench_cmd_list(const bench_args_t *args, const bench_env_t *env);

/* Loads and binds each workload named by the operands (a name or a file,
 * as --workload takes it); "ok <operand>" for each good one. BENCH_EXIT_USAGE
 * when any is bad (each reported). */
int bench_cmd_validate(const bench_args_t *args, const bench_env_t *env);

/* Prints the topology and, for --cores, the core of every worker of each
 * strategy on a three-stage pipeline. */
int bench_cmd_topology(const bench_args_t *args, const bench_env_t *env);

/* Reads stage statistics as JSON from stdin and prints the allocation
 * --policy makes of --workers workers (allocate.c). */
int bench_cmd_allocate(const bench_args_t *args, const bench_env_t *env);

/* Redraws the timelines and index.html of the results directory named by
 * the one operand from its result.json and traces (cmd_report.c). */
int bench_cmd_report(const bench_args_t *args, const bench_env_t *env);

/* Compares two result documents (operands BASE.json NEW.json) and prints
 * the comparison; 1 on a regression, 2 on unusable input (cmd_compare.c). */
int bench_cmd_compare(const bench_args_t *args, const bench_env_t *env);

/* Prints the result document named by the one operand in a dashboard's
 * format, --format github-action-benchmark or bencher (cmd_compare.c). */
int bench_cmd_export(const bench_args_t *args, const bench_env_t *env);

/* Draws the history (--history FILE, default results/history.jsonl) as an
 * SVG of median wall time and efficiency over commits, regressions marked
 * (cmd_trend.c). */
int bench_cmd_trend(const bench_args_t *args, const bench_env_t *env);

#endif /* BENCH_COMMANDS_H */
