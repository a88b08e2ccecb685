/* report.h - the HTML report of a results directory, from its result document and traces. */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "jefferson/trace.h"

#define BENCH_REPORT_WHY_MAX 320

/* Checks the result document doc ("jefferson.result/1") and writes, into
 * the existing directory dir, the SVG timeline of every result that names
 * one and has a trace (traces[i] belongs to results[i]; i >= ntraces or
 * NULL: none), all on one time scale, and index.html (jf_viz_write_report).
 * File names in doc must be plain names in dir. Returns 0, or JF_EPARSE /
 * JF_ERANGE (doc is not a result this bench reads), JF_EIO or JF_ENOMEM
 * with one line in why saying what and where; on failure the files in dir
 * are as they were. */
int bench_report_write(const cJSON *doc, const jf_trace_t *const *traces, size_t ntraces,
                    const char *dir, char *why, size_t why_size);

/* Reads and checks the names of the trace files of doc's results:
 * names[i] is results[i]'s "trace" (borrowed from doc) or NULL. *n
 * receives the number of results. Returns 0 or JF_EPARSE / JF_ERANGE /
 * JF_ENOMEM with why; free *names with free() in every case. */
int bench_report_trace_names(const cJSON *doc, const char ***names, size_t *n, char *why,
                          size_t why_size);

#endif /* BENCH_REPORT_H */
