/* jefferson/render.h - draw a run's trace: SVG timeline, HTML page, Chrome/Perfetto trace. */
#ifndef JF_RENDER_H
#define JF_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "jefferson/api.h"

#include "jefferson/pipeline.h"
#include "jefferson/trace.h"

/* Version of the trace files jf_viz_write_chrome_trace writes and
 * jf_viz_read_chrome_trace reads ("jefferson_trace" in otherData). */
#define JF_VIZ_TRACE_VERSION 1

/* Longest message jf_viz_read_chrome_trace writes into `why`. */
#define JF_VIZ_WHY_MAX 256

/* What the title and legend of a timeline say about the run, and the
 * scale it is drawn at. */
typedef struct jf_viz_meta {
    const char *workload;
    const char *strategy;
    const char *policy;     /* NULL or "" when the strategy has none */
    unsigned cores;
    uint64_t wall_ns;
    double efficiency;      /* lower bound / wall; < 0 when unknown */
    /* Timelines drawn with equal axis_ns and label_px share one time scale:
     * 100 ms is equally wide in each (a report of several strategies sets both). */
    uint64_t axis_ns;       /* length of the time axis; 0 (or less than the
                               trace's wall time): the trace's wall time */
    double label_px;        /* width of the label column left of the plot at
                               least; 0: what the labels need */
} jf_viz_meta_t;

/* Writes the trace in the Chrome Trace Event format, so it opens in
 * Perfetto UI as it is, and so that jf_viz_read_chrome_trace gets the
 * same trace back: per worker thread, in the order recorded, complete "X"
 * events for batches (cat "batch") and parked spans (cat "park"), instant
 * "i" events for scheduler decisions (from, to, score in args), "C"
 * counters of queue depth per stage, and "i" events of cat "raw" for what
 * fits none of these (a batch cut short by a full buffer); "M" metadata
 * names the threads. otherData holds the format version, wall time, stage
 * names in order and each lane's core, home stage and event counts. Times
 * are microseconds with three decimals (exact nanoseconds). Writes
 * path.tmp then renames it to path. Returns 0 or JF_EIO / JF_ENOMEM
 * (JF_EINVAL when trace or path is NULL; meta may be NULL); on failure
 * nothing new is left at path (a file already there is kept as it was)
 * nor at path.tmp. Numbers are written in the C locale whatever
 * LC_NUMERIC says. Thread-safe for distinct paths. */
JF_API int jf_viz_write_chrome_trace(const jf_trace_t *trace, const jf_viz_meta_t *meta,
                                     const char *path);

/* Reads a file written by jf_viz_write_chrome_trace into a new trace
 * (*out, free with jf_trace_destroy) with the events, lanes, stage names
 * and wall time that were written. Everything is checked: the format
 * version, every index against the lanes and stages declared, times
 * finite, non-negative and below 2^50 ns, counts and sizes bounded (files
 * up to 2 GiB). Returns 0, or JF_EIO (cannot read the file), JF_EPARSE
 * (not JSON, not a jefferson trace, another version, a field missing or
 * of the wrong type), JF_ERANGE (a value out of range) or JF_ENOMEM, with
 * *out NULL and, when why is not NULL, one line without a newline saying
 * what is wrong and where ("event 12: ts is negative") in why
 * (why_size >= 1). Thread-safe. */
JF_API int jf_viz_read_chrome_trace(const char *path, jf_trace_t **out, char *why,
                                    size_t why_size);

/* Writes a self-contained SVG timeline of the trace (DESIGN.md, "SVG
 * timeline"), with libxml2's xmlTextWriter, numbers in the C locale.
 * Same atomic-write and return contract as jf_viz_write_chrome_trace;
 * thread-safe for distinct paths (the library initialises libxml2 once,
 * on its first write). The file stays a few MB however long the trace. */
JF_API int jf_viz_write_svg(const jf_trace_t *trace, const jf_viz_meta_t *meta,
                            const char *path);

/* Returns the width in px of the label column the trace's timeline needs
 * (lane and stage labels), for a common label_px over several traces. */
JF_API double jf_viz_svg_label_px(const jf_trace_t *trace);

/* Writes one run's page into the existing directory dir, with the renderer
 * bench uses for its reports: timeline.svg (as jf_viz_write_svg draws it)
 * and index.html, which shows the run's figures (threads, wall time,
 * throughput, items in and out, order check) above the timeline, zoomable
 * from the lossless data embedded in the page. result->trace must be set
 * (the run had options.trace); meta names the workload, strategy, policy
 * and cores for the title (meta->wall_ns and the axis are taken from the
 * result; meta may be NULL). Both files are written under temporary names
 * and renamed into place only when both are complete: on failure the
 * files already in dir stay as they were. Returns 0, JF_EINVAL (result,
 * its trace or dir NULL), JF_EIO or JF_ENOMEM. Thread-safe for distinct
 * directories. */
JF_API int jf_viz_write_html(const jf_run_result_t *result, const jf_viz_meta_t *meta,
                             const char *dir);

#endif /* JF_RENDER_H */
