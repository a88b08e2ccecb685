/* bench.c - the bench command: load the machine, parse, dispatch. */
#include "bench.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "jefferson/version.h"

#ifndef JF_COMMIT
#define JF_COMMIT "unknown"
#endif

/* `bench help`: what --help prints. */
static int cmd_help(const bench_args_t *args, const bench_env_t *env)
{
    int rc = bench_cli_check(args, "help", 0, false);

    if (rc == 0)
        fputs(jf_cli_usage, stdout);
    return rc;
}

static const struct command {
    const char *name;
    bench_cmd_fn fn;
} commands[] = {
    {"list", bench_cmd_list},
    {"validate", bench_cmd_validate},
    {"topology", bench_cmd_topology},
    {"allocate", bench_cmd_allocate},
    {"report", bench_cmd_report},
    {"compare", bench_cmd_compare},
    {"export", bench_cmd_export},
    {"trend", bench_cmd_trend},
    {"help", cmd_help},
};

static int dispatch(const bench_args_t *args, const bench_env_t *env)
{
    if (args->seen & BENCH_OPT_HELP) {
        fputs(jf_cli_usage, stdout);
        return BENCH_EXIT_OK;
    }
    if (args->seen & BENCH_OPT_VERSION) {
        printf("bench (jefferson) %s, commit %s\n", jf_version(), JF_COMMIT);
        return BENCH_EXIT_OK;
    }
    if (!args->command)
        return bench_cmd_run(args, env);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(args->command, commands[i].name) == 0)
            return commands[i].fn(args, env);
    return bench_diag_fail(BENCH_EXIT_USAGE, "unknown command \"%s\" (see bench --help)",
                        args->command);
}

int bench_main(int argc, char **argv)
{
    jf_topology_t *topo = NULL;
    bench_args_t args;
    bench_env_t env = {.argc = argc, .argv = argv};

    /* Without hwloc the run still works, unpinned, on the online CPUs. */
    if (jf_topology_create(&topo) != 0)
        topo = NULL;
    if (topo) {
        env.machine_cores = jf_topology_cores(topo);
    } else {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        env.machine_cores = n > 0 ? (unsigned)n : 1;
    }
    env.topology = topo;
    int rc = bench_cli_parse(argc, argv, env.machine_cores, &args);
    if (rc == 0)
        rc = dispatch(&args, &env);
    bench_cli_fini(&args);
    jf_topology_destroy(topo);
    return rc;
}
