/* commands.c - the informational subcommands: list, validate, topology. */
#include "commands.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_strategy.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "diag.h"
#include "paths.h"
#include "workloads/workload.h"

static const char *const policy_help[JF_POLICY_COUNT] = {
    [JF_POLICY_EXHAUSTIVE] = "least sum of queue*service/(workers+1) over every allocation",
    [JF_POLICY_DHONDT] = "greedy largest quotient queue*service/(workers+1) (default)",
    [JF_POLICY_SAINTE_LAGUE] = "greedy largest quotient queue*service/(2*workers+1)",
    [JF_POLICY_ADAMS] = "greedy largest drain time queue*service/workers, every stage first",
};

static int is_json(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

static void list_workloads(void)
{
    char dir[PATH_MAX], path[PATH_MAX * 2], err[WORKLOAD_ERR_MAX];
    struct dirent **names;

    bench_paths_workloads_dir(dir, sizeof dir);
    int n = scandir(dir, &names, is_json, alphasort);
    printf("workloads (%s):\n", dir);
    if (n < 0) {
        printf("  none: cannot read the directory\n");
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *file = names[i]->d_name;
        int stem = (int)(strlen(file) - 5);
        workload_t *w = NULL;

        snprintf(path, sizeof path, "%s/%s", dir, file);
        if (workload_load(path, &w, err) == 0)
            printf("  %-14.*s %s\n", stem, file, w->description);
        else
            printf("  %-14.*s (invalid: %s)\n", stem, file, err);
        workload_destroy(w);
        free(names[i]);
    }
    free(names);
}

int bench_cmd_list(const bench_args_t *args, const bench_env_t *env)
{
    int rc = bench_cli_check(args, "list", 0, false);
    if (rc)
        return rc;
    list_workloads();
    printf("strategies:\n");
    for (int s = 0; s < BENCH_STRATEGY_COUNT; s++) {
        const bench_strategy_ops_t *ops = bench_strategy_ops((bench_strategy_t)s);
        printf("  %-14s %s", ops->name, ops->help);
        if (ops->unavailable != NULL)
            printf(" (unavailable: %s)", ops->unavailable);
        printf("\n");
    }
    printf("policies:\n");
    for (int p = 0; p < JF_POLICY_COUNT; p++)
        printf("  %-14s %s\n", jf_policy_name((jf_policy_t)p),
               policy_help[p] ? policy_help[p] : "");
    return BENCH_EXIT_OK;
}

/* Loads and binds one workload, a name or a file as --workload takes it
 * (binding finds unknown kernels). Returns 0 or the exit status after the
 * error line, which names the file. */
static int validate_one(const char *operand)
{
    char dir[PATH_MAX], err[WORKLOAD_ERR_MAX] = "";
    workload_t *w = NULL;
    workload_binding_t b;

    memset(&b, 0, sizeof b);
    bench_paths_workloads_dir(dir, sizeof dir);
    int rc = workload_find(operand, dir, &w, err);
    if (rc == 0)
        rc = workload_bind(w, &b, err);
    workload_unbind(&b);
    workload_destroy(w);
    if (rc == 0)
        return 0;
    const char *base = strrchr(operand, '/') ? strrchr(operand, '/') + 1 : operand;
    int status = rc == JF_ENOMEM ? BENCH_EXIT_FAILED : BENCH_EXIT_USAGE;
    if (!err[0])
        return bench_diag_fail(status, "%s: %s", operand, jf_strerror(rc));
    if (!strstr(err, base))
        return bench_diag_fail(status, "%s: %s", operand, err);
    return bench_diag_fail(status, "%s", err);
}

int bench_cmd_validate(const bench_args_t *args, const bench_env_t *env)
{
    int worst = bench_cli_check(args, "validate", 0, true);

    if (worst)
        return worst;
    if (args->noperands == 0)
        return bench_diag_fail(BENCH_EXIT_USAGE, "validate: no files given (see bench --help)");
    for (int i = 0; i < args->noperands; i++) {
        int rc = validate_one(args->operands[i]);
        if (rc == 0)
            printf("ok %s\n", args->operands[i]);
        else if (worst == 0 || rc == BENCH_EXIT_FAILED)
            worst = rc;
    }
    return worst;
}

static void print_bytes(const char *sep, const char *label, unsigned long bytes)
{
    if (bytes == 0)
        printf("%s %s unknown", sep, label);
    else if (bytes >= 1024ul * 1024 && bytes % (1024ul * 1024) == 0)
        printf("%s %s %lu MiB", sep, label, bytes / (1024ul * 1024));
    else
        printf("%s %s %lu KiB", sep, label, bytes / 1024);
}

int bench_cmd_topology(const bench_args_t *args, const bench_env_t *env)
{
    jf_topology_info_t info;
    int rc = bench_cli_check(args, "topology", BENCH_OPT_CORES, false);
    unsigned cores = args->cores ? args->cores : env->machine_cores;

    if (rc == 0 && args->ncores_list)
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "topology: --cores: takes one count, not a list");
    if (rc)
        return rc;
    if (!env->topology)
        return bench_diag_fail(BENCH_EXIT_FAILED, "topology: %s", jf_strerror(JF_ETOPOLOGY));
    jf_topology_info(env->topology, &info);
    printf("packages %u, cores %u, PUs %u\ncaches:", info.packages, info.cores, info.pus);
    print_bytes("", "L1d", info.l1d_bytes);
    print_bytes(",", "L2", info.l2_bytes);
    print_bytes(",", "L3", info.l3_bytes);
    printf("\nworkers of a 3-stage pipeline with --cores %u (worker:core):\n", cores);
    for (int s = 0; s < BENCH_STRATEGY_COUNT; s++) {
        unsigned threads = bench_strategy_threads((bench_strategy_t)s, 3, cores);
        if (!bench_strategy_available((bench_strategy_t)s))
            continue;
        printf("  %-12s", bench_strategy_name((bench_strategy_t)s));
        for (unsigned t = 0; t < threads; t++)
            printf(" %u:%u", t, jf_topology_core_for(env->topology, t, cores));
        printf("\n");
    }
    return BENCH_EXIT_OK;
}
