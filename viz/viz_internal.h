/* viz_internal.h - helpers shared by the viz writers; not part of the public API. */
#ifndef JF_VIZ_INTERNAL_H
#define JF_VIZ_INTERNAL_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>

#include "jefferson/trace.h"
#include "jf_viz_report.h"

/* One interval of a worker's lane: a batch, or a span the worker was parked. */
typedef struct jf__viz_span {
    uint64_t t0;
    uint64_t t1;     /* >= t0 */
    uint32_t items;  /* batch: items done; park: 0 */
    uint64_t cpu_ns; /* batch: sampled thread CPU time, 0 = not sampled; park: 0 */
    uint16_t stage;  /* batch: its stage; park: JF_TRACE_NONE */
    bool carried;    /* batch: ran from the worker's hand (JF_EV_CARRIED) */
} jf__viz_span_t;

/* Where one worker's time went over a run (report_why.c). */
typedef struct jf__viz_split {
    double *stage_ns;        /* nstages + 1 entries: time in batches per stage
                              * (the last: stages the trace does not name) */
    size_t nstages;
    double parked_ns;
    double deciding_ns;      /* from a decision to the batch it chose */
    double waiting_ns;       /* the rest: wall - batches - parked - deciding */
    double wall_ns;
    double off_cpu_ns;       /* awake (not parked) but not on a CPU; < 0 unknown */
    double sampled_wall_ns;  /* wall and CPU time of the batches whose CPU */
    double sampled_cpu_ns;   /*   time was sampled */
} jf__viz_split_t;

/* Walks the spans of one lane in time order; see jf__viz_cursor_init. */
typedef struct jf__viz_cursor {
    const jf_trace_lane_t *lane;
    size_t next;     /* index of the next event to read */
    uint64_t end_ns; /* where a span still open at the lane's end stops */
} jf__viz_cursor_t;

/* Points c at the first event of lane. A span still open when the lane ends
 * is closed at wall_ns when the lane is complete; when the lane dropped
 * events its true end is unknown and the span is left out. */
void jf__viz_cursor_init(jf__viz_cursor_t *c, const jf_trace_lane_t *lane, uint64_t wall_ns);

/* Reads the next batch (BATCH_BEGIN to its BATCH_END) into out. Returns 1,
 * or 0 at the end of the lane. An END without a BEGIN is skipped; a BEGIN
 * followed by another BEGIN ends where the second one starts. */
int jf__viz_next_batch(jf__viz_cursor_t *c, jf__viz_span_t *out);

/* Reads the next parked span (PARK to UNPARK) into out; 1, or 0 at the end. */
int jf__viz_next_park(jf__viz_cursor_t *c, jf__viz_span_t *out);

/* Splits lane i's time of trace t into *out (release with
 * jf__viz_time_split_fini). Returns 0 or JF_ENOMEM. */
int jf__viz_time_split(const jf_trace_t *t, size_t i, jf__viz_split_t *out);
void jf__viz_time_split_fini(jf__viz_split_t *s);

/* Copies text into buf (size >= 4) so that it is safe in XML 1.0 and in a
 * label: ill-formed UTF-8 becomes U+FFFD (jf_utf8_repair), control
 * characters and the non-characters U+FFFE and U+FFFF become '?', and the
 * copy is cut at a character boundary when it does not fit. Returns buf. */
char *jf__viz_clean(char *buf, size_t size, const char *text);

/* Returns the name of stage (the trace's, when it has one) or writes
 * "stage N" (or "none" for JF_TRACE_NONE) into buf and returns buf. The
 * result is not cleaned. */
const char *jf__viz_stage_name(const jf_trace_t *trace, unsigned stage, char *buf, size_t size);

/* Writes v / 10^decimals with `decimals` digits after the point (trailing
 * zeros and the point dropped when trim is set) into buf. Uses integer
 * arithmetic only, so the result does not depend on the locale. Returns buf. */
char *jf__viz_fixed(char *buf, size_t size, int64_t v, unsigned decimals, int trim);

/* Writes a duration in the largest unit (ns, µs, ms, s) that keeps it >= 1,
 * with up to three decimals: "532 ns", "12.345 ms". Returns buf. */
char *jf__viz_duration(char *buf, size_t size, uint64_t ns);

/* The C numeric locale switched on for the calling thread while a writer
 * runs, so that printf("%g") writes a dot whatever LC_NUMERIC says. */
typedef struct jf__viz_locale {
    locale_t c;
    locale_t old;
} jf__viz_locale_t;

/* Switches the calling thread to the C numeric locale (and initialises
 * libxml2 on the first call of the process). Returns 0 or JF_ENOMEM. */
int jf__viz_locale_enter(jf__viz_locale_t *l);

/* Restores the calling thread's previous locale and frees the C one. */
void jf__viz_locale_leave(jf__viz_locale_t *l);

/* Returns a newly allocated "path.tmp" (free with jf_free), or NULL when out
 * of memory. */
char *jf__viz_tmp_path(const char *path);

/* Finishes an atomic write: when err is 0 renames tmp to path, otherwise (or
 * when the rename fails) removes tmp. Returns err, or JF_EIO when the rename
 * failed. */
int jf__viz_commit(const char *tmp, const char *path, int err);

/* report.c: whether name is a plain file name: not empty, at most 255
 * bytes, no '/' or '\\', not starting with '.'. */
int jf__viz_plain_name(const char *name);

/* report_html.c: writes index.html of the report to path (atomically,
 * through path.tmp). heights[i] is the height in px of run i's timeline
 * (0: it has none). Returns 0 or JF_EIO / JF_ENOMEM. */
int jf__viz_write_index(const jf_viz_report_t *r, const double *heights, const char *path);

/* json_scan.c: members of a JSON object or elements of an array found
 * without building them, so that a large file is parsed (by cJSON) one
 * element at a time. Only the structure is checked here: brackets that
 * match, strings that end, commas and colons between members. */
/* Deepest nesting a scanned document may have, counting the top-level
 * value as level 1: far more than any element of a trace needs. */
#define JF__JSON_MAX_DEPTH 64

typedef struct jf__json_iter {
    const char *p;   /* where the next member starts */
    const char *end; /* end of the text */
    char close;      /* '}' or ']' */
    int started;     /* a member was read: a comma comes before the next */
    size_t level;    /* nesting level of the object or array iterated (top: 1) */
    int too_deep;    /* jf__json_next failed because a member nests deeper
                        than JF__JSON_MAX_DEPTH */
} jf__json_iter_t;

typedef struct jf__json_member {
    const char *key;       /* objects: the key as written, between its quotes */
    size_t key_len;
    const char *value;     /* [value, value_end): the member's value */
    const char *value_end;
} jf__json_member_t;

/* Returns p past any JSON whitespace (at most end). */
const char *jf__json_ws(const char *p, const char *end);

/* Returns the end of the value that starts at p, or NULL when the text
 * ends first, its brackets do not match or it nests more than `levels`
 * deep (then *too_deep is set; a scalar takes no level). */
const char *jf__json_skip(const char *p, const char *end, size_t levels, int *too_deep);

/* Starts iterating the object or array at p (leading whitespace skipped),
 * which sits at nesting `level` of its document (1: the top). Returns 0,
 * or -1 when p holds neither. */
int jf__json_iter_init(jf__json_iter_t *it, const char *p, const char *end, size_t level);

/* Reads the next member into *m. Returns 1, 0 after the closing bracket
 * (it->p is then just past it), or -1 when the text is malformed or a
 * member nests deeper than JF__JSON_MAX_DEPTH (it->too_deep set). */
int jf__json_next(jf__json_iter_t *it, jf__json_member_t *m);

#endif /* JF_VIZ_INTERNAL_H */
