/* diag.h - the bench command's error, warning and terminal progress lines. */
#ifndef JF_DIAG_H
#define JF_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

/* Every function here is thread-safe: one lock orders the lines on stderr,
 * so a progress line redrawn by the monitor thread never splits another. */

/* Prints "bench: <formatted message>" as exactly one line on stderr
 * (newlines in the message become spaces; a progress line is cleared
 * first). Returns status, so callers can `return jf_diag_fail(2, ...)`. */
int jf_diag_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "bench: warning: <message>" as one line on stderr, as above. */
void jf_diag_warn(const char *msg);

/* Enables the progress line when stderr is a terminal; otherwise
 * jf_diag_progress does nothing. Returns whether it is enabled. Call once,
 * before any progress. */
bool jf_diag_progress_init(void);

/* Replaces the progress line with the formatted text (no newline). */
void jf_diag_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Erases the progress line, if one is shown. */
void jf_diag_progress_clear(void);

#endif /* JF_DIAG_H */
