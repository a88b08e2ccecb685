/* cli.h - the bench command line, parsed into one transparent struct. */
#ifndef BENCH_CLI_H
#define BENCH_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "bench_strategy.h"
#include "jefferson/policy.h"

typedef enum bench_cli_format {
    BENCH_CLI_FORMAT_TABLE = 0,
    BENCH_CLI_FORMAT_JSON,
    BENCH_CLI_FORMAT_MARKDOWN,
    BENCH_CLI_FORMAT_CSV,
    BENCH_CLI_FORMAT_GAB,     /* github-action-benchmark's customSmallerIsBetter (export.h) */
    JF_CLI_FORMAT_BENCHER  /* Bencher Metric Format (export.h) */
} bench_cli_format_t;

/* Most core counts one --cores list may hold. */
#define BENCH_CLI_CORES_LIST_MAX 64

/* One bit per option, recorded in bench_args_t.seen. */
enum {
    BENCH_OPT_WORKLOAD = 1u << 0,
    BENCH_OPT_CORES = 1u << 1,
    BENCH_OPT_STRATEGY = 1u << 2,
    BENCH_OPT_POLICY = 1u << 3,
    BENCH_OPT_BATCH = 1u << 4,
    BENCH_OPT_ITEMS = 1u << 5,
    BENCH_OPT_REPEAT = 1u << 6,
    BENCH_OPT_WARMUP = 1u << 7,
    BENCH_OPT_SEED = 1u << 8,
    BENCH_OPT_OUT = 1u << 9,
    BENCH_OPT_FORCE = 1u << 10,
    BENCH_OPT_FORMAT = 1u << 11,
    BENCH_OPT_NO_TRACE = 1u << 12,
    BENCH_OPT_WORKERS = 1u << 13,
    BENCH_OPT_HELP = 1u << 14,
    BENCH_OPT_VERSION = 1u << 15,
    BENCH_OPT_NO_BASELINE = 1u << 16,
    BENCH_OPT_SIM = 1u << 17,
    BENCH_OPT_COMPARE = 1u << 18,
    BENCH_OPT_CONFIRM = 1u << 19,
    BENCH_OPT_THRESHOLD = 1u << 20,
    BENCH_OPT_HISTORY = 1u << 21,
    BENCH_OPT_NO_HISTORY = 1u << 22
};

/* Everything the command line said; strings point into argv. */
typedef struct bench_args {
    const char *command;     /* "list", "validate", ...; NULL: run a workload */
    const char *workload;    /* NULL when not given */
    unsigned cores;          /* 0 when not given: every core of the machine */
    const char *cores_arg;   /* --cores as given; checked once --sim is known */
    /* --cores 1,2,4: the counts of a scaling run, increasing (cores is then
     * 0); ncores_list is 0 for a single count, or none. */
    unsigned cores_list[BENCH_CLI_CORES_LIST_MAX];
    size_t ncores_list;
    bool strategies[BENCH_STRATEGY_COUNT]; /* requested strategies */
    bool strategy_all;       /* --strategy all (the default): tbb joins when it can */
    jf_policy_t policy;
    unsigned batch;
    uint64_t items;          /* 0 when not given: the workload's count */
    unsigned repeat;
    unsigned warmup;
    uint64_t seed;           /* meaningful when seen & BENCH_OPT_SEED */
    const char *out;         /* NULL when not given: results/<workload>-<UTC time> */
    bool force;
    bool no_trace;
    bool no_baseline;        /* do not add a single run as the baseline */
    bench_cli_format_t format;
    unsigned workers;        /* allocate: workers to apportion */
    bool sim;                /* simulate (core/jf_sim.h) instead of running */
    const char *compare;     /* run: the baseline result to compare with; NULL: none */
    unsigned confirm;        /* run --compare: reruns of a suspected regression */
    double threshold_pct;    /* compare: smallest change that counts (default 10) */
    const char *history;     /* NULL: the default history file (history.h) */
    bool no_history;         /* append nothing to the history */
    char **operands;         /* arguments that are not options, in order */
    int noperands;
    unsigned seen;           /* JF_OPT_* bits of the options given */
} bench_args_t;

/* Parses argv[1..argc-1] into *args, defaults first (DESIGN.md, "The bench
 * command"). A first argument that is not an option names the subcommand.
 * machine_cores bounds --cores to 4 * machine_cores, or to JF_SIM_MAX_CORES
 * with --sim (which also makes --repeat default to 1: a simulation repeats
 * exactly). --cores with a comma is a list: 2 to BENCH_CLI_CORES_LIST_MAX
 * strictly increasing counts from 1 to JF_SIM_MAX_CORES, with or without
 * --sim (counts above machine_cores are simulated: none runs
 * oversubscribed). `all` means every strategy this build can run, without tbb
 * under --sim; tbb named explicitly is an error when it was not built in
 * or with --sim. An option given twice is an error, as is --items above
 * WORKLOAD_MAX_ITEMS (the limit of a workload file). Returns 0, or
 * BENCH_EXIT_USAGE after printing the one error line. operands is malloc'd:
 * release with bench_cli_fini even after a failure. */
int bench_cli_parse(int argc, char **argv, unsigned machine_cores, bench_args_t *args);

/* Releases what bench_cli_parse allocated. Safe on a zeroed struct. */
void bench_cli_fini(bench_args_t *args);

/* Fails (BENCH_EXIT_USAGE, after the error line) when args carries an option
 * outside `allowed` (JF_OPT_* bits) or any operand when !operands_ok.
 * Returns 0 otherwise. `what` names the command in the message. */
int bench_cli_check(const bench_args_t *args, const char *what, unsigned allowed,
                 bool operands_ok);

/* Fails (BENCH_EXIT_USAGE, after the error line naming `what`) when --format
 * is not one of the formats whose bits ((1u << bench_cli_format_t) values) are
 * in `allowed`. Returns 0 otherwise. */
int bench_cli_check_format(const bench_args_t *args, const char *what, unsigned allowed);

/* The name of a format as --format takes it. */
const char *bench_cli_format_name(bench_cli_format_t format);

/* The usage text printed by --help. */
extern const char jf_cli_usage[];

#endif /* BENCH_CLI_H */
