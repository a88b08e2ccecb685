/* jf_viz.h - render traces: Chrome/Perfetto trace JSON and SVG timelines. */
#ifndef JF_VIZ_H
#define JF_VIZ_H

#include <stdint.h>

#include "../core/jf_trace.h"

/* What the title and legend of a timeline say about the run. */
typedef struct jf_viz_meta {
    const char *workload;
    const char *strategy;
    const char *policy;     /* NULL or "" when the strategy has none */
    unsigned cores;
    uint64_t wall_ns;
    double efficiency;      /* lower bound / wall; < 0 when unknown */
} jf_viz_meta_t;

/* Writes the trace in the Chrome Trace Event format (JSON object with
 * "traceEvents": complete "X" events per batch on the worker's tid, "C"
 * counter events of queue depth per stage, instant "i" events for scheduler
 * decisions with their scores in args, "M" thread_name metadata), so it
 * opens in Perfetto UI as it is. Writes path.tmp then renames it to path.
 * Returns 0 or JF_EIO / JF_ENOMEM (JF_EINVAL when trace or path is NULL;
 * meta may be NULL); on failure nothing new is left at path (a file already
 * there is kept as it was) nor at path.tmp. Numbers are written in the C
 * locale whatever LC_NUMERIC says. Thread-safe for distinct paths. */
int jf_viz_write_chrome_trace(const jf_trace_t *trace, const jf_viz_meta_t *meta,
                              const char *path);

/* Writes a self-contained SVG timeline of the trace (DESIGN.md, "SVG
 * timeline"), with libxml2's xmlTextWriter, numbers in the C locale.
 * Same atomic-write and return contract as jf_viz_write_chrome_trace;
 * thread-safe for distinct paths once libxml2 is initialised
 * (xmlInitParser). The file stays a few MB however long the trace. */
int jf_viz_write_svg(const jf_trace_t *trace, const jf_viz_meta_t *meta, const char *path);

#endif /* JF_VIZ_H */
