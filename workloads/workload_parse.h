/* workload_parse.h - pieces of the workload loader shared between its files (internal). */
#ifndef WORKLOADS_WORKLOAD_PARSE_H
#define WORKLOADS_WORKLOAD_PARSE_H

#include <stdbool.h>

#include "jcheck.h"

/* Bound of a stage's ns: 10 s per item is already absurd for a benchmark.
 * (The default depends on the kernel: jf__kernel_default_ns.) */
#define WORKLOAD__MAX_NS 1e10

/* Checks v (at path) as a workload or stage name: 1..WORKLOAD_NAME_MAX
 * bytes, no control characters (names end up in one-line messages, CSV and
 * SVG), and for a workload (`file_safe`) no '/' (it names the results
 * folder). *out points into v. Returns 0, JF_EINVAL or JF_ERANGE. */
int jf__parse_name(const jf__jctx_t *c, const cJSON *v, const char *path, bool file_safe,
                   const char **out);

/* Parses the "stages" array v into w->stages (w->items and w->item_bytes
 * must be set). Returns 0 or an error with the message written; what was
 * allocated stays in w for workload_destroy. */
int jf__parse_stages(const jf__jctx_t *c, const cJSON *v, workload_t *w);

/* Most bytes the memory stages' working sets may take together: half the
 * physical memory (sysconf), at most WORKLOAD_MAX_WORKING_SET. */
uint64_t jf__working_set_limit(void);

/* Parses the "phases" array v into w->sets (stages must be parsed). As
 * jf__parse_stages on failure. */
int jf__parse_phases(const jf__jctx_t *c, const cJSON *v, workload_t *w);

#endif /* WORKLOADS_WORKLOAD_PARSE_H */
