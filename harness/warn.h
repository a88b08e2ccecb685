/* warn.h - warnings about figures that may not be trustworthy. */
#ifndef BENCH_WARN_H
#define BENCH_WARN_H

#include <stddef.h>

#include "run.h"

#define BENCH_WARNINGS_MAX 32
#define BENCH_WARN_CV 0.05 /* coefficient of variation above which a time is noisy */

/* The warnings of one run, in the order they were given. */
typedef struct bench_warnings {
    size_t n;
    char *msg[BENCH_WARNINGS_MAX]; /* without the "bench: warning: " prefix */
} bench_warnings_t;

/* Prints "bench: warning: <message>" as one line on stderr and keeps a
 * copy for the result document (none when out of memory or past
 * BENCH_WARNINGS_MAX: the line is printed all the same). Not thread-safe. */
void bench_warnings_add(bench_warnings_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Warns when more cores are asked for than the machine has. */
void bench_warnings_check_cores(bench_warnings_t *w, unsigned cores, unsigned machine_cores);

/* Warns, per strategy, when the wall time's coefficient of variation
 * exceeds BENCH_WARN_CV, repetitions fall outside Tukey's fences, or the
 * efficiency, as shown, is over 100% (the lower bound was too high). */
void bench_warnings_check_set(bench_warnings_t *w, const bench_run_set_t *set);

/* Frees the kept messages. Safe on a zeroed struct. */
void bench_warnings_fini(bench_warnings_t *w);

#endif /* BENCH_WARN_H */
