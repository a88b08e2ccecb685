/* jefferson/error.h - error codes shared by every jefferson module. */
#ifndef JF_ERROR_H
#define JF_ERROR_H

#include <stddef.h>

#include "jefferson/api.h"

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
JF_API const char *jf_strerror(int err);

/* Returns the symbolic name ("JF_ENOMEM") of an error code: a static
 * string, "JF_OK" for 0, "JF_EUNKNOWN" for any other code. Thread-safe. */
JF_API const char *jf_err_name(int err);

#endif /* JF_ERROR_H */
