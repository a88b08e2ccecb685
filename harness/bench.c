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
static int cmd_help(const jf_bench_args_t *args, const jf_bench_env_t *env)
{
    int rc = jf_cli_check(args, "help", 0, false);

    if (rc == 0)
        fputs(jf_cli_usage, stdout);
    return rc;
}

static const struct command {
    const char *name;
    jf_cmd_fn fn;
} commands[] = {
    {"list", jf_cmd_list},
    {"validate", jf_cmd_validate},
    {"topology", jf_cmd_topology},
    {"allocate", jf_cmd_allocate},
    {"report", jf_cmd_report},
    {"compare", jf_cmd_compare},
    {"export", jf_cmd_export},
    {"trend", jf_cmd_trend},
    {"help", cmd_help},
};

static int dispatch(const jf_bench_args_t *args, const jf_bench_env_t *env)
{
    if (args->seen & JF_OPT_HELP) {
        fputs(jf_cli_usage, stdout);
        return JF_EXIT_OK;
    }
    if (args->seen & JF_OPT_VERSION) {
        printf("bench (jefferson) %s, commit %s\n", jf_version(), JF_COMMIT);
        return JF_EXIT_OK;
    }
    if (!args->command)
        return jf_cmd_run(args, env);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(args->command, commands[i].name) == 0)
            return commands[i].fn(args, env);
    return jf_diag_fail(JF_EXIT_USAGE, "unknown command \"%s\" (see bench --help)",
                        args->command);
}

int jf_bench_main(int argc, char **argv)
{
    jf_topology_t *topo = NULL;
    jf_bench_args_t args;
    jf_bench_env_t env = {.argc = argc, .argv = argv};

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
    int rc = jf_cli_parse(argc, argv, env.machine_cores, &args);
    if (rc == 0)
        rc = dispatch(&args, &env);
    jf_cli_fini(&args);
    jf_topology_destroy(topo);
    return rc;
}
