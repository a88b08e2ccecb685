/* monitor.h - the thread that watches a run: progress line, SIGINT and SIGTERM. */
#ifndef BENCH_MONITOR_H
#define BENCH_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "jefferson/pipeline.h"

typedef struct bench_monitor bench_monitor_t;

/* Blocks SIGINT and SIGTERM in the calling thread, so in every thread it
 * creates afterwards (either is left alone when the process started with
 * it ignored, as a background job of a script does), and starts the
 * monitor thread, which takes them with sigtimedwait() and, when progress
 * is true, redraws the progress line (bench_diag_progress) five times a
 * second while a pipeline is attached.
 * Call before any other thread exists. The signals stay blocked after
 * bench_monitor_stop: the caller is about to exit.
 *
 * First signal: the monitor marks the run interrupted and stops the
 * attached pipeline (jf_pipeline_stop). Second signal: it runs the cleanup
 * set by bench_monitor_protect, unless the caller holds bench_monitor_lock (then
 * it waits), and exits the process at once with status 130.
 *
 * Returns 0 and *out, or JF_ETHREAD / JF_ENOMEM with the signal mask as
 * it was. */
int bench_monitor_start(bool progress, bench_monitor_t **out);

/* Wakes and joins the monitor thread and frees it. NULL does nothing. */
void bench_monitor_stop(bench_monitor_t *m);

/* Whether SIGINT or SIGTERM has arrived. NULL: false. Thread-safe. */
bool bench_monitor_interrupted(bench_monitor_t *m);

/* Makes p the pipeline that a signal stops and whose progress is shown as
 * "<what>: <done>/<total> items" (what is copied). Returns false, and
 * attaches nothing, when a signal has already arrived: do not run p then.
 * Detach before destroying p. NULL m: true, nothing attached. */
bool bench_monitor_attach(bench_monitor_t *m, jf_pipeline_t *p, const char *what, uint64_t total);
void bench_monitor_detach(bench_monitor_t *m);

/* For a run that is not a jf_pipeline_t (the oneTBB peer): attaches as
 * bench_monitor_attach does, with no pipeline to stop; the run reports its
 * progress through bench_monitor_poll and stops when that says so. Detach
 * with bench_monitor_detach. */
bool bench_monitor_attach_polled(bench_monitor_t *m, const char *what, uint64_t total);

/* Records `done` items as the progress of a polled run and returns
 * non-zero when a signal has arrived (the run should stop). Thread-safe;
 * takes the monitor's lock, so call it every so many items, not per item.
 * NULL m: 0. The signature is the peer's poll hook (void *ctx = m). */
int bench_monitor_poll(void *m, uint64_t done);

/* What a second signal does before exiting: fn(arg), called on the
 * monitor thread (not in a signal handler, so anything may be called) with
 * the monitor lock held. NULL fn: nothing. */
void bench_monitor_protect(bench_monitor_t *m, void (*fn)(void *), void *arg);

/* Holds off a second signal's cleanup and exit, around work that must not
 * be cut in two (publishing the results directory). NULL m: nothing. */
void bench_monitor_lock(bench_monitor_t *m);
void bench_monitor_unlock(bench_monitor_t *m);

#endif /* BENCH_MONITOR_H */
