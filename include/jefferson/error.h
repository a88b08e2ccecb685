/* jefferson/error.h - error codes shared by every jefferson module. */
#ifndef JF_ERROR_H
#define JF_ERROR_H

#include <stddef.h>

/* Every library call returns 0 or one of these negative codes. The X-macro
 * keeps code, name and message in one place. */
#define JF_ERRNO_MAP(XX)                                                   \
    XX(NOMEM, -1, "out of memory")                                         \
    XX(INVAL, -2, "invalid argument")                                      \
    XX(KERNEL, -3, "a stage kernel failed")                                \
    XX(STALL, -4, "pipeline stalled: items lost in flight")                \
    XX(ORDER, -5, "items reached the sink out of order or twice")          \
    XX(THREAD, -6, "cannot start a worker thread")                         \
    XX(STOPPED, -7, "run stopped before it finished")                      \
    XX(TOPOLOGY, -8, "cannot read the machine topology")                   \
    XX(IO, -9, "input/output error")                                       \
    XX(PARSE, -10, "malformed input")                                      \
    XX(RANGE, -11, "value out of range")

typedef enum jf_errno {
#define XX(name, code, msg) JF_E##name = (code),
    JF_ERRNO_MAP(XX)
#undef XX
} jf_errno_t;

/* Returns a static, human-readable message for a jefferson error code.
 * Unknown codes give "unknown error". Thread-safe. */
const char *jf_strerror(int err);

/* Returns the symbolic name ("JF_ENOMEM") of an error code. Thread-safe. */
const char *jf_err_name(int err);

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

#endif /* JF_ERROR_H */
