/* jf_why.h - one-line error messages: for readers that explain a failure
 * through a caller's buffer. Internal to jefferson (not exported). */
#ifndef JF_WHY_H
#define JF_WHY_H

#include <stddef.h>

#include "jefferson/error.h"

/* Makes msg one line in place: every control character (newlines, tabs,
 * escapes quoted from input files) becomes '?'. Error messages promise
 * one line; text quoted from a file must not break that. NULL is fine. */
void jf_one_line(char *msg);

/* Writes the message fmt, ... into why[0, size) as one line (jf_one_line)
 * when why is not NULL and size > 0, and returns code: for readers that
 * explain a failure through a caller's buffer, `return jf_why(why, size,
 * JF_EPARSE, "...", ...)`. */
int jf_why(char *why, size_t size, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif /* JF_WHY_H */
