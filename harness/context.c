/* context.c - host, CPU, compiler and command line of a measurement. */
#include "context.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "json.h"
#include "workloads/workload.h"

#ifndef JF_COMMIT
#define JF_COMMIT "unknown"
#endif
#ifndef JF_CFLAGS
#define JF_CFLAGS ""
#endif

#if defined(__clang__)
#define COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define COMPILER "gcc " __VERSION__
#else
#define COMPILER "unknown"
#endif

/* The CPU model from /proc/cpuinfo ("model name" on x86, "Model" on some
 * ARM kernels) into buf; false when there is none. */
static bool cpu_model(char *buf, size_t size)
{
    static const char *const keys[] = {"model name", "Model", "cpu model"};
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    bool found = false;

    if (!f)
        return false;
    while (!found && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        /* "key<tabs or spaces>: value" */
        size_t klen = (size_t)(colon - line);
        while (klen > 0 && (line[klen - 1] == ' ' || line[klen - 1] == '\t'))
            klen--;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !found; i++) {
            if (strlen(keys[i]) != klen || strncmp(line, keys[i], klen) != 0)
                continue;
            snprintf(buf, size, "%s", colon + 1 + strspn(colon + 1, " \t"));
            buf[strcspn(buf, "\n")] = '\0';
            found = true;
        }
    }
    fclose(f);
    return found;
}

/* argv joined with spaces, quoted so a shell reproduces it. Caller frees. */
static char *command_line(int argc, char **argv)
{
    size_t size = 1;
    for (int i = 0; i < argc; i++)
        size += 4 * strlen(argv[i]) + 3;
    char *out = malloc(size), *p = out;
    if (!out)
        return NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool plain = a[0] && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789_./=:,@%+-") == strlen(a);
        if (i)
            *p++ = ' ';
        if (plain) {
            p += sprintf(p, "%s", a);
            continue;
        }
        *p++ = '\'';
        for (; *a; a++)
            p += *a == '\'' ? sprintf(p, "'\\''") : sprintf(p, "%c", *a);
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

static void add_topology(cJSON *ctx, const jf_topology_t *topo, bool *ok)
{
    jf_topology_info_t info = {0};
    cJSON *t = bench_json_add_object(ctx, "topology", ok);

    if (topo) {
        jf_topology_info(topo, &info);
    } else {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        info.cores = info.pus = n > 0 ? (unsigned)n : 1;
        info.packages = 1;
    }
    bench_json_add_number(t, "cores", info.cores, ok);
    bench_json_add_number(t, "pus", info.pus, ok);
    bench_json_add_number(t, "packages", info.packages, ok);
    bench_json_add_number(t, "l1d_bytes", (double)info.l1d_bytes, ok);
    bench_json_add_number(t, "l2_bytes", (double)info.l2_bytes, ok);
    bench_json_add_number(t, "l3_bytes", (double)info.l3_bytes, ok);
}

/* "kernel" as `uname -sr` prints it, "arch" as `uname -m`. */
static void add_kernel(cJSON *ctx, bool *ok)
{
    struct utsname u;
    char kernel[2 * sizeof u.sysname + 2];

    if (uname(&u) != 0) {
        bench_json_add_string(ctx, "kernel", NULL, ok);
        bench_json_add_string(ctx, "arch", NULL, ok);
        return;
    }
    snprintf(kernel, sizeof kernel, "%s %s", u.sysname, u.release);
    bench_json_add_string(ctx, "kernel", kernel, ok);
    bench_json_add_string(ctx, "arch", u.machine, ok);
}

cJSON *bench_context_build(const jf_topology_t *topo, int argc, char **argv, const char *date)
{
    cJSON *ctx = cJSON_CreateObject();
    char host[256] = "", cpu[256];
    char *command = command_line(argc, argv);
    bool ok = ctx && command;

    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    bench_json_add_string(ctx, "host", host, &ok);
    bench_json_add_string(ctx, "cpu", cpu_model(cpu, sizeof cpu) ? cpu : NULL, &ok);
    add_topology(ctx, topo, &ok);
    add_kernel(ctx, &ok);
    bench_json_add_string(ctx, "compiler", COMPILER, &ok);
    bench_json_add_string(ctx, "cflags", JF_CFLAGS, &ok);
    bench_json_add_string(ctx, "commit", JF_COMMIT, &ok);
    bench_json_add_string(ctx, "date", date, &ok);
    bench_json_add_string(ctx, "command", command, &ok);
    bench_json_add_number(ctx, "spin_iters_per_ns", workload_spin_calibrate(), &ok);
    free(command);
    if (!ok) {
        cJSON_Delete(ctx);
        return NULL;
    }
    return ctx;
}
