/* diag.h - the bench command's error line and terminal progress line. */
#ifndef JF_DIAG_H
#define JF_DIAG_H

#include <stdarg.h>

/* Prints "bench: <formatted message>" as exactly one line on stderr
 * (newlines in the message become spaces; a progress line is cleared
 * first). Returns status, so callers can `return jf_diag_fail(2, ...)`. */
int jf_diag_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Enables the progress line when stderr is a terminal; otherwise
 * jf_diag_progress does nothing. Call once, before any progress. */
void jf_diag_progress_init(void);

/* Replaces the progress line with the formatted text (no newline). */
void jf_diag_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Erases the progress line, if one is shown. */
void jf_diag_progress_clear(void);

#endif /* JF_DIAG_H */
