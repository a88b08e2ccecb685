/* diag.h - the bench command's error, warning and terminal progress lines. */
#ifndef BENCH_DIAG_H
#define BENCH_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

/* Every function here is thread-safe: one lock orders the lines on stderr,
 * so a progress line redrawn by the monitor thread never splits another. */

/* Prints "bench: <formatted message>" as exactly one line on stderr
 * (newlines in the message become spaces; a progress line is cleared
 * first). Returns status, so callers can `return bench_diag_fail(2, ...)`. */
int bench_diag_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "bench: warning: <message>" as one line on stderr, as above. */
void bench_diag_warn(const char *msg);

/* Enables the progress line when stderr is a terminal; otherwise
 * bench_diag_progress does nothing. Returns whether it is enabled. Call once,
 * before any progress. */
bool bench_diag_progress_init(void);

/* Replaces the progress line with the formatted text (no newline). */
void bench_diag_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Erases the progress line, if one is shown. */
void bench_diag_progress_clear(void);

#endif /* BENCH_DIAG_H */
