/* chrome_read.h - state and checked field access of the trace reader (chrome_*.c). */
#ifndef JF_CHROME_READ_H
#define JF_CHROME_READ_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "jefferson/trace.h"

#define JF__RD_MAX_NS (1ull << 50) /* 13 days: ts * 1000 still rounds exactly */

/* One trace file being read. */
typedef struct jf__rd {
    char *why;          /* the caller's message buffer, or NULL */
    size_t why_size;
    size_t bytes;       /* size of the file */
    jf_trace_t *trace;  /* built from otherData, then filled with events */
    size_t *want;       /* per lane: the events otherData declares */
} jf__rd_t;

/* Writes "<where>: <formatted>" (where NULL: the message alone) into
 * r->why and returns code. */
int jf__rd_fail(jf__rd_t *r, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Typed members of object o, for reading a trace. Each returns 0, or the
 * error code after writing the reason (naming where.key) into r->why. */
/* An integer from lo to hi (exact in a double). */
int jf__rd_int(jf__rd_t *r, const char *where, const cJSON *o, const char *key, int64_t lo,
               int64_t hi, int64_t *out);
/* A stage index below the trace's stage count; null is JF_TRACE_NONE when
 * none_ok, an error otherwise. */
int jf__rd_stage(jf__rd_t *r, const char *where, const cJSON *o, const char *key, int none_ok,
                 uint16_t *out);
/* Microseconds with up to three decimals, as nanoseconds below 2^50. */
int jf__rd_time(jf__rd_t *r, const char *where, const cJSON *o, const char *key,
                uint64_t *out);
/* A number; null is NaN, the strings "inf" and "-inf" the infinities. A
 * missing member is an error when required, else 0. */
int jf__rd_double(jf__rd_t *r, const char *where, const cJSON *o, const char *key, int required,
                  double *out);

/* Checks string s (member key of the value at where; key NULL: where
 * names s itself) as UTF-8 before it is kept or quoted in a message.
 * Returns 0, or JF_EPARSE "<where>.<key>: invalid UTF-8 at byte offset K"
 * (K counted from 0 in the decoded string). */
int jf__rd_utf8(jf__rd_t *r, const char *where, const char *key, const cJSON *s);

/* chrome_events.c: checks one element of traceEvents (index i) and appends
 * the events it stands for to its lane. Returns 0 or an error code. */
int jf__rd_event(jf__rd_t *r, size_t i, const cJSON *ev);

#endif /* JF_CHROME_READ_H */
