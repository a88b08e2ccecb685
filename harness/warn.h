/* warn.h - warnings about figures that may not be trustworthy. */
#ifndef JF_WARN_H
#define JF_WARN_H

#include <stddef.h>

#include "run.h"

#define JF_WARNINGS_MAX 32
#define JF_WARN_CV 0.05 /* coefficient of variation above which a time is noisy */

/* The warnings of one run, in the order they were given. */
typedef struct jf_warnings {
    size_t n;
    char *msg[JF_WARNINGS_MAX]; /* without the "bench: warning: " prefix */
} jf_warnings_t;

/* Prints "bench: warning: <message>" as one line on stderr and keeps a
 * copy for the result document (none when out of memory or past
 * JF_WARNINGS_MAX: the line is printed all the same). Not thread-safe. */
void jf_warnings_add(jf_warnings_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Warns when more cores are asked for than the machine has. */
void jf_warnings_check_cores(jf_warnings_t *w, unsigned cores, unsigned machine_cores);

/* Warns, per strategy, when the wall time's coefficient of variation
 * exceeds JF_WARN_CV, repetitions fall outside Tukey's fences, or the
 * efficiency, as shown, is over 100% (the lower bound was too high). */
void jf_warnings_check_set(jf_warnings_t *w, const jf_run_set_t *set);

/* Frees the kept messages. Safe on a zeroed struct. */
void jf_warnings_fini(jf_warnings_t *w);

#endif /* JF_WARN_H */
