/* paths.h - where the bench command finds workloads. */
#ifndef BENCH_PATHS_H
#define BENCH_PATHS_H

#include <stddef.h>

/* Writes the workloads directory into buf: $JF_WORKLOADS when set and not
 * empty, else <directory of this executable>/../workloads (build/bench in
 * the tree) or <that directory>/../share/jefferson/workloads (installed)
 * when it is a directory, else "workloads". Truncates to size; never fails. */
void bench_paths_workloads_dir(char *buf, size_t size);

#endif /* BENCH_PATHS_H */
