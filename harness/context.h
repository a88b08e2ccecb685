/* context.h - the "context" block of a result: where and how it was measured. */
#ifndef BENCH_CONTEXT_H
#define BENCH_CONTEXT_H

#include <cjson/cJSON.h>

#include "jefferson/topology.h"

/* Builds {"host", "cpu", "topology", "kernel", "arch", "compiler",
 * "cflags", "commit", "date", "command", "spin_iters_per_ns"}: topo may be NULL (then only
 * the online CPU count is known), date is the run's UTC ISO 8601 time and
 * argv[0..argc-1] the command line, shell-quoted into "command". Returns a
 * new object (caller frees with cJSON_Delete) or NULL when out of memory. */
cJSON *bench_context_build(const jf_topology_t *topo, int argc, char **argv, const char *date);

#endif /* BENCH_CONTEXT_H */
