/* trace_build.h - turning workers' lanes into a finished trace (internal),
 * for the engine and the simulator alike. */
#ifndef JF_TRACE_BUILD_H
#define JF_TRACE_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "jefferson/trace.h"

/* Where the lanes and stage names of a finished run are. */
typedef struct jf__trace_source {
    size_t nlanes;
    jf_trace_lane_t *(*lane)(void *ctx, size_t i);
    size_t nstages;
    const char *(*name)(void *ctx, size_t stage);
    void *ctx;
} jf__trace_source_t;

/* Builds a trace: stage names are copied, lanes are moved (each source
 * lane's events become the trace's and the source's pointer is set to
 * NULL). wall_ns is raised to the last event recorded, since workers log
 * their exit after the run ends. Returns NULL when out of memory, with
 * every source lane left as it was. */
jf_trace_t *jf__trace_build(const jf__trace_source_t *src, uint64_t wall_ns);

#endif /* JF_TRACE_BUILD_H */
