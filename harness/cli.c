/* cli.c - parse the bench command line strictly: every bad value is an error. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "core/jf_sim.h"
#include "diag.h"
#include "workloads/workload.h"

const char jf_cli_usage[] =
    "Usage: bench --workload NAME|FILE [options]   run a workload under several strategies\n"
    "       bench list                             workloads, strategies, policies\n"
    "       bench validate NAME|FILE...            check workloads without running them\n"
    "       bench topology [--cores N]             what hwloc sees, how workers are pinned\n"
    "       bench allocate [--policy P] --workers W < stats.json\n"
    "       bench report DIR                       redraw DIR's timelines and index.html\n"
    "       bench compare BASE.json NEW.json [--threshold PCT] [--format table|markdown|json]\n"
    "       bench export --format github-action-benchmark|bencher RESULT.json\n"
    "       bench trend [--history FILE] [--out FILE.svg] [--threshold PCT]\n"
    "\n"
    "Run options:\n"
    "  --workload NAME|FILE   a name in the workloads directory, or a JSON file\n"
    "  --cores N              cores to use, 1 to 4x the machine's (default: all of them);\n"
    "                         up to 1024 with --sim\n"
    "  --cores N1,N2,...      a scaling run: every strategy at each count (increasing, 1 to\n"
    "                         1024, at most 64 counts), measured up to the machine's cores\n"
    "                         and simulated beyond (all with --sim); writes cores-N/ per\n"
    "                         count, scaling.json, scaling.svg and index.html with the plot\n"
    "  --strategy S[,S...]    single, per-stage, n-per-stage, scheduled, tbb (oneTBB's\n"
    "                         parallel_pipeline, tokens of --batch items; built with oneTBB\n"
    "                         only), omp (an OpenMP ordered loop, the fastest of a sweep of\n"
    "                         schedules and chunks; built with OpenMP only), or all (default:\n"
    "                         every one built in; the peers tbb and omp not with --sim)\n"
    "  --policy P             scheduler policy of `scheduled` (and of allocate): exhaustive,\n"
    "                         dhondt (default), sainte-lague, adams\n"
    "  --batch B              items per batch, 1 to 65536 (default: adaptive, 16 to 256\n"
    "                         items, ~16 us of kernel work per batch)\n"
    "  --items M              items to run, 1 to 10^9 (default: the workload's)\n"
    "  --repeat R             measured repetitions per strategy (default 3; 1 with --sim)\n"
    "  --warmup K             unmeasured repetitions before those (default 0)\n"
    "  --seed N               seed of everything random: item costs and payloads\n"
    "                         (default: the workload's)\n"
    "  --sim                  simulate in virtual time (deterministic) instead of running\n"
    "  --out DIR              results directory (default results/<workload>-<UTC time>/);\n"
    "                         its parent must exist; result.json is always written there\n"
    "  --force                replace DIR when it holds earlier results\n"
    "  --format F             what to print on stdout: table (default), json, markdown, csv,\n"
    "                         github-action-benchmark, bencher\n"
    "  --no-trace             record no trace, write no timelines\n"
    "  --no-baseline          do not run `single` unless asked: no speedup_vs_single\n"
    "  --history FILE         append a summary line to FILE (default: results/history.jsonl\n"
    "                         in the current directory, the file trend reads by default)\n"
    "  --no-history           append nothing\n"
    "  --compare BASE.json    compare the results with BASE.json afterwards; exit 1 on a\n"
    "                         regression (docs/regressions.md)\n"
    "  --confirm N            with --compare: rerun a suspected regression up to N times and\n"
    "                         report it only when every rerun shows it too\n"
    "  --threshold PCT        with --compare, and for compare and trend: smallest slowdown\n"
    "                         that counts (default 10)\n"
    "  --help (or bench help), --version\n"
    "\n"
    "allocate reads stage statistics on stdin and prints one allocation of the workers:\n"
    "  {\"stages\":[{\"name\":\"A\",\"queue\":3,\"service_ns\":[1,1],\"done\":false},...]}\n"
    "  -> {\"allocation\":{\"A\":2,...}}, or {\"allocation\":null} when every stage is done.\n"
    "  service_ns: a number, or samples whose mean is used ([] = not measured yet).\n"
    "\n"
    "compare exits 1 when NEW is slower than BASE: significantly (Mann-Whitney U, p < 0.05)\n"
    "and by more than the threshold, or, for --sim results, when the simulated makespan,\n"
    "decisions or reallocations differ by more than 0.5%. Exit 2: unusable input.\n"
    "\n"
    "Workloads directory: $JF_WORKLOADS, else <bench's directory>/../workloads, else ./workloads.\n"
    "Options also take the form --option=value; each may be given once.\n"
    "Ctrl-C (SIGINT) or SIGTERM stops the run and writes what finished; a second one quits.\n"
    "Exit status: 0 success, 1 a run failed or a regression was found, 2 bad usage or bad\n"
    "input, 130 interrupted.\n";

typedef enum { FLAG, TEXT, NUMBER, REAL } kind_t;

static const struct option_spec {
    const char *name;
    unsigned bit;
    kind_t kind;
    uint64_t lo, hi; /* NUMBER, REAL: accepted range; hi == 0: the bound of --cores */
} specs[] = {
    {"workload", BENCH_OPT_WORKLOAD, TEXT, 0, 0},
    {"cores", BENCH_OPT_CORES, NUMBER, 1, 0},
    {"strategy", BENCH_OPT_STRATEGY, TEXT, 0, 0},
    {"policy", BENCH_OPT_POLICY, TEXT, 0, 0},
    {"batch", BENCH_OPT_BATCH, NUMBER, 1, 65536},
    {"items", BENCH_OPT_ITEMS, NUMBER, 1, WORKLOAD_MAX_ITEMS},
    {"repeat", BENCH_OPT_REPEAT, NUMBER, 1, 10000},
    {"warmup", BENCH_OPT_WARMUP, NUMBER, 0, 10000},
    {"seed", BENCH_OPT_SEED, NUMBER, 0, UINT64_MAX},
    {"out", BENCH_OPT_OUT, TEXT, 0, 0},
    {"force", BENCH_OPT_FORCE, FLAG, 0, 0},
    {"format", BENCH_OPT_FORMAT, TEXT, 0, 0},
    {"no-trace", BENCH_OPT_NO_TRACE, FLAG, 0, 0},
    {"no-baseline", BENCH_OPT_NO_BASELINE, FLAG, 0, 0},
    {"workers", BENCH_OPT_WORKERS, NUMBER, 0, 1024},
    {"sim", BENCH_OPT_SIM, FLAG, 0, 0},
    {"compare", BENCH_OPT_COMPARE, TEXT, 0, 0},
    {"confirm", BENCH_OPT_CONFIRM, NUMBER, 1, 100},
    {"threshold", BENCH_OPT_THRESHOLD, REAL, 0, 1000},
    {"history", BENCH_OPT_HISTORY, TEXT, 0, 0},
    {"no-history", BENCH_OPT_NO_HISTORY, FLAG, 0, 0},
    {"help", BENCH_OPT_HELP, FLAG, 0, 0},
    {"version", BENCH_OPT_VERSION, FLAG, 0, 0},
};

#define NSPECS (sizeof specs / sizeof specs[0])

/* Accepts only plain decimal digits: strtoull alone would take " 7", "+7"
 * and "-7" (the last as a huge number). */
static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int store_number(const struct option_spec *o, const char *value,
                        unsigned machine_cores, bench_args_t *a)
{
    uint64_t v, hi = o->hi ? o->hi : a->sim ? JF_SIM_MAX_CORES : 4ull * machine_cores;

    if (parse_u64(value, o->lo, hi, &v) != 0)
        return bench_diag_fail(BENCH_EXIT_USAGE,
                            "--%s: expected an integer from %llu to %llu, got \"%s\"", o->name,
                            (unsigned long long)o->lo, (unsigned long long)hi, value);
    switch (o->bit) {
    case BENCH_OPT_CORES: a->cores = (unsigned)v; break;
    case BENCH_OPT_BATCH: a->batch = (unsigned)v; break;
    case BENCH_OPT_ITEMS: a->items = v; break;
    case BENCH_OPT_REPEAT: a->repeat = (unsigned)v; break;
    case BENCH_OPT_WARMUP: a->warmup = (unsigned)v; break;
    case BENCH_OPT_SEED: a->seed = v; break;
    case BENCH_OPT_WORKERS: a->workers = (unsigned)v; break;
    case BENCH_OPT_CONFIRM: a->confirm = (unsigned)v; break;
    }
    return 0;
}

/* --cores 1,2,4,...: a scaling run. Counts above the machine's cores are
 * simulated, so every count may go up to JF_SIM_MAX_CORES with or without
 * --sim; an order that is not strictly increasing is more likely a typo
 * than a wish to run a count twice. */
static int store_cores_list(const char *value, bench_args_t *a)
{
    size_t n = 0;

    for (const char *s = value;; s++) {
        size_t len = strcspn(s, ",");
        char count[16] = "";
        uint64_t v = 0;

        if (len == 0)
            return bench_diag_fail(BENCH_EXIT_USAGE, "--cores: empty count in \"%s\"", value);
        if (len < sizeof count)
            memcpy(count, s, len);
        if (len >= sizeof count || parse_u64(count, 1, JF_SIM_MAX_CORES, &v) != 0)
            return bench_diag_fail(BENCH_EXIT_USAGE, "--cores: expected counts from 1 to %d, got "
                                "\"%.*s\" in \"%s\"", JF_SIM_MAX_CORES, (int)len, s, value);
        if (n > 0 && v <= a->cores_list[n - 1])
            return bench_diag_fail(BENCH_EXIT_USAGE, "--cores: counts must increase, got %llu after "
                                "%u in \"%s\"", (unsigned long long)v, a->cores_list[n - 1],
                                value);
        if (n == BENCH_CLI_CORES_LIST_MAX)
            return bench_diag_fail(BENCH_EXIT_USAGE, "--cores: at most %d counts in a list",
                                BENCH_CLI_CORES_LIST_MAX);
        a->cores_list[n++] = (unsigned)v;
        s += len;
        if (*s == '\0')
            break;
    }
    a->ncores_list = n;
    return 0;
}

/* A plain decimal number such as 10 or 7.5 (no sign, exponent, inf or nan). */
static int store_real(const struct option_spec *o, const char *value, bench_args_t *a)
{
    char *end;
    double v = -1;

    if (value[0] >= '0' && value[0] <= '9' && value[strspn(value, "0123456789.")] == '\0') {
        v = strtod(value, &end);
        v = *end == '\0' ? v : -1;
    }
    if (v < (double)o->lo || v > (double)o->hi)
        return bench_diag_fail(BENCH_EXIT_USAGE, "--%s: expected a number from %llu to %llu, got "
                            "\"%s\"", o->name, (unsigned long long)o->lo,
                            (unsigned long long)o->hi, value);
    a->threshold_pct = v;
    return 0;
}

/* `all` before --sim is known: every strategy that runs everywhere (the
 * engine's); resolve_strategies adds the peers that can run. */
static void select_all(bench_args_t *a)
{
    for (int i = 0; i < BENCH_STRATEGY_COUNT; i++) {
        bench_strategy_t s = (bench_strategy_t)i;
        a->strategies[i] = bench_strategy_available(s) && bench_strategy_simulatable(s);
    }
    a->strategy_all = true;
}

/* "single,scheduled" or "all"; repeats are harmless. The peers are checked
 * once --sim is known (resolve_strategies). */
static int store_strategies(const char *value, bench_args_t *a)
{
    memset(a->strategies, 0, sizeof a->strategies);
    a->strategy_all = false;
    for (const char *s = value;; s++) {
        size_t len = strcspn(s, ",");
        char name[32] = "";
        int st = -1;

        if (len < sizeof name) {
            memcpy(name, s, len);
            name[len] = '\0';
            st = bench_strategy_parse(name);
        }
        if (strcmp(name, "all") == 0) {
            select_all(a);
        } else if (st < 0 || st >= BENCH_STRATEGY_COUNT) {
            char known[256];
            bench_strategy_list(known, sizeof known);
            return bench_diag_fail(BENCH_EXIT_USAGE, "--strategy: unknown strategy \"%.*s\" "
                                "(%s, all)", (int)len, s, known);
        } else {
            a->strategies[st] = true;
        }
        s += len;
        if (*s == '\0')
            return 0;
    }
}

/* A strategy named explicitly must be runnable; `all` takes the peers
 * that are. */
static int resolve_strategies(bench_args_t *a)
{
    for (int i = 0; i < BENCH_STRATEGY_COUNT; i++) {
        const bench_strategy_ops_t *ops = bench_strategy_ops((bench_strategy_t)i);
        if (a->strategies[i] && a->sim && !ops->simulatable)
            return bench_diag_fail(BENCH_EXIT_USAGE, "--strategy: %s: cannot be simulated (--sim "
                                "models the engine's strategies only)", ops->name);
        if (a->strategies[i] && ops->unavailable != NULL)
            return bench_diag_fail(BENCH_EXIT_USAGE, "--strategy: %s: %s (%s)", ops->name,
                                ops->unavailable, ops->remedy);
        if (a->strategy_all && ops->unavailable == NULL && (ops->simulatable || !a->sim))
            a->strategies[i] = true;
    }
    return 0;
}

static int store_policy(const char *value, bench_args_t *a)
{
    int p = jf_policy_parse(value);
    char names[256] = "";

    if (p >= 0 && p < JF_POLICY_COUNT) {
        a->policy = (jf_policy_t)p;
        return 0;
    }
    for (int i = 0; i < JF_POLICY_COUNT; i++) {
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                 jf_policy_name((jf_policy_t)i));
    }
    return bench_diag_fail(BENCH_EXIT_USAGE, "--policy: unknown policy \"%s\" (%s)", value, names);
}

/* Indexed by bench_cli_format_t. */
static const char *const formats[] = {"table",    "json", "markdown", "csv",
                                      "github-action-benchmark", "bencher"};

const char *bench_cli_format_name(bench_cli_format_t format)
{
    return (size_t)format < sizeof formats / sizeof formats[0] ? formats[format] : "?";
}

static int store_text(const struct option_spec *o, const char *value, bench_args_t *a)
{
    if (value[0] == '\0')
        return bench_diag_fail(BENCH_EXIT_USAGE, "--%s: empty value", o->name);
    switch (o->bit) {
    case BENCH_OPT_WORKLOAD: a->workload = value; return 0;
    case BENCH_OPT_OUT: a->out = value; return 0;
    case BENCH_OPT_COMPARE: a->compare = value; return 0;
    case BENCH_OPT_HISTORY: a->history = value; return 0;
    case BENCH_OPT_STRATEGY: return store_strategies(value, a);
    case BENCH_OPT_POLICY: return store_policy(value, a);
    }
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(value, formats[i]) == 0) {
            a->format = (bench_cli_format_t)i;
            return 0;
        }
    }
    return bench_diag_fail(BENCH_EXIT_USAGE, "--format: unknown format \"%s\" (table, json, "
                        "markdown, csv, github-action-benchmark, bencher)", value);
}

static const struct option_spec *find_spec(const char *name, size_t len)
{
    for (size_t i = 0; i < NSPECS; i++)
        if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0)
            return &specs[i];
    return NULL;
}

/* Handles argv[*i], an option; advances *i past a separate value. */
static int parse_option(int argc, char **argv, int *i, unsigned machine_cores,
                        bench_args_t *a)
{
    const char *arg = strcmp(argv[*i], "-h") == 0 ? "--help" : argv[*i];
    if (arg[1] != '-')
        return bench_diag_fail(BENCH_EXIT_USAGE, "unknown option %s", arg);
    const char *name = arg + 2, *value = strchr(name, '=');
    size_t len = value ? (size_t)(value - name) : strlen(name);
    const struct option_spec *o = find_spec(name, len);

    if (!o)
        return bench_diag_fail(BENCH_EXIT_USAGE, "unknown option --%.*s", (int)len, name);
    /* The last one winning would silently drop what the first one said. */
    if (a->seen & o->bit)
        return bench_diag_fail(BENCH_EXIT_USAGE, "--%s: given twice", o->name);
    if (value)
        value++;
    if (o->kind == FLAG && value)
        return bench_diag_fail(BENCH_EXIT_USAGE, "--%s: takes no value", o->name);
    /* A following option is not taken as the value: `--out --force` is a
     * forgotten DIR, not a directory called "--force". */
    if (o->kind != FLAG && !value) {
        if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0)
            return bench_diag_fail(BENCH_EXIT_USAGE, "--%s: missing value", o->name);
        value = argv[++*i];
    }
    a->seen |= o->bit;
    if (o->bit == BENCH_OPT_CORES) { /* its bound depends on --sim, perhaps still to come */
        a->cores_arg = value;
        return 0;
    }
    if (o->kind == NUMBER)
        return store_number(o, value, machine_cores, a);
    if (o->kind == REAL)
        return store_real(o, value, a);
    if (o->kind == TEXT)
        return store_text(o, value, a);
    a->force |= o->bit == BENCH_OPT_FORCE;
    a->no_trace |= o->bit == BENCH_OPT_NO_TRACE;
    a->no_baseline |= o->bit == BENCH_OPT_NO_BASELINE;
    a->sim |= o->bit == BENCH_OPT_SIM;
    a->no_history |= o->bit == BENCH_OPT_NO_HISTORY;
    return 0;
}

static void set_defaults(bench_args_t *a)
{
    memset(a, 0, sizeof *a);
    select_all(a);
    a->policy = JF_POLICY_DHONDT;
    a->batch = 0; /* adaptive */
    a->repeat = 3;
    a->format = BENCH_CLI_FORMAT_TABLE;
    a->threshold_pct = 10.0;
}

int bench_cli_parse(int argc, char **argv, unsigned machine_cores, bench_args_t *a)
{
    bool options_done = false;
    int i = 1;

    set_defaults(a);
    a->operands = calloc((size_t)argc + 1, sizeof *a->operands);
    if (!a->operands)
        return bench_diag_fail(BENCH_EXIT_FAILED, "out of memory");
    if (i < argc && argv[i][0] != '-')
        a->command = argv[i++];
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            a->operands[a->noperands++] = argv[i];
        } else if (strcmp(arg, "--") == 0) {
            options_done = true;
        } else {
            int rc = parse_option(argc, argv, &i, machine_cores, a);
            if (rc)
                return rc;
        }
    }
    if (a->sim && !(a->seen & BENCH_OPT_REPEAT))
        a->repeat = 1;
    int rc = resolve_strategies(a);
    if (rc)
        return rc;
    if (a->cores_arg && strchr(a->cores_arg, ','))
        return store_cores_list(a->cores_arg, a);
    return a->cores_arg ? store_number(find_spec("cores", 5), a->cores_arg, machine_cores, a)
                        : 0;
}

void bench_cli_fini(bench_args_t *a)
{
    free(a->operands);
    a->operands = NULL;
    a->noperands = 0;
}

int bench_cli_check_format(const bench_args_t *a, const char *what, unsigned allowed)
{
    char names[160] = "";

    if (allowed & (1u << a->format))
        return 0;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        size_t used = strlen(names);
        if (allowed & (1u << i))
            snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", formats[i]);
    }
    return bench_diag_fail(BENCH_EXIT_USAGE, "%s: --format %s does not apply (%s)", what,
                        formats[a->format], names);
}

int bench_cli_check(const bench_args_t *a, const char *what, unsigned allowed, bool operands_ok)
{
    const char *sep = what ? ": " : "";

    what = what ? what : "";
    for (size_t i = 0; i < NSPECS; i++)
        if (a->seen & ~allowed & specs[i].bit)
            return bench_diag_fail(BENCH_EXIT_USAGE, "%s%soption --%s does not apply", what, sep,
                                specs[i].name);
    if (!operands_ok && a->noperands > 0)
        return bench_diag_fail(BENCH_EXIT_USAGE, "%s%sunexpected argument \"%s\"", what, sep,
                            a->operands[0]);
    return 0;
}
