/* paths.c - locate the workloads directory. */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void bench_paths_workloads_dir(char *buf, size_t size)
{
    const char *env = getenv("JF_WORKLOADS");
    char exe[PATH_MAX];
    struct stat st;

    if (env && env[0]) {
        snprintf(buf, size, "%s", env);
        return;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            /* build/bench in the tree, then an installed jefferson-bench. */
            static const char *const rel[] = {"../workloads", "../share/jefferson/workloads"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
                if (snprintf(buf, size, "%s/%s", exe, rel[i]) < (int)size &&
                    stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                    return;
        }
    }
    snprintf(buf, size, "workloads");
}
