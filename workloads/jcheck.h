/* jcheck.h - typed checks of cJSON values whose errors name file and JSON path (internal). */
#ifndef WORKLOADS_JCHECK_H
#define WORKLOADS_JCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "workload.h"

#if defined(__GNUC__) || defined(__clang__)
#define WORKLOAD__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WORKLOAD__PRINTF(fmt, args)
#endif

/* Room for a JSON path such as "phases[255].set.<64-byte key>". */
#define WORKLOAD__PATH_MAX 160

/* Largest integer a JSON number (a double) holds exactly: 2^53 - 1. */
#define WORKLOAD__JINT_MAX 9007199254740991ULL

/* Where messages go: the file named in them and the caller's buffer. */
typedef struct jf__jctx {
    const char *file;
    char *err; /* WORKLOAD_ERR_MAX bytes */
} jf__jctx_t;

/* Writes "<file>: <path>: <what>" (no path part when path is NULL or "")
 * into c->err as one line of well-formed UTF-8: control characters and the
 * bytes of ill-formed sequences replaced by '?'. Returns
 * code, so callers can `return jf__jfail(...)`. */
int jf__jfail(const jf__jctx_t *c, int code, const char *path, const char *fmt, ...)
    WORKLOAD__PRINTF(4, 5);

/* Writes "parent.key" (just "key" at the top level) into buf, the key cut to
 * 64 bytes (at a character boundary) so a pathological key cannot crowd out
 * the message. Returns buf. */
const char *jf__jpath(char buf[WORKLOAD__PATH_MAX], const char *parent, const char *key);

/* Writes "parent[i]" into buf. Returns buf. */
const char *jf__jindex(char buf[WORKLOAD__PATH_MAX], const char *parent, size_t i);

/* Member `key` of object obj, matched case-sensitively, or NULL. */
const cJSON *jf__jmember(const cJSON *obj, const char *key);

/* Checks that obj (at path) is an object whose members are all named in
 * `allowed` (NULL-terminated, at most 32 names) and that none repeats
 * (cJSON keeps duplicates; a silent "last one wins" would hide mistakes).
 * `what` describes the object for the type error, e.g. "a stage object".
 * Returns 0 or JF_EINVAL with the message written. */
int jf__jfields(const jf__jctx_t *c, const cJSON *obj, const char *path, const char *what,
                const char *const *allowed);

/* JF_EINVAL "<path>: missing (expected <what>)". */
int jf__jmissing(const jf__jctx_t *c, const char *path, const char *what);

/* Reads v (at path) as an integer in [lo, hi]: JF_EINVAL when it is not a
 * number or not integral, JF_ERANGE when it is out of bounds or not finite.
 * hi must not exceed WORKLOAD__JINT_MAX. */
int jf__jint(const jf__jctx_t *c, const cJSON *v, const char *path, uint64_t lo, uint64_t hi,
             uint64_t *out);

/* Reads v (at path) as a finite number in [lo, hi]: JF_EINVAL when it is
 * not a number, JF_ERANGE when it is out of bounds or not finite. */
int jf__jnum(const jf__jctx_t *c, const cJSON *v, const char *path, double lo, double hi,
             double *out);

/* Reads v (at path) as a string of minlen..maxlen bytes: JF_EINVAL when it
 * is not a string or too short, JF_ERANGE when too long. *out points into
 * v. */
int jf__jstr(const jf__jctx_t *c, const cJSON *v, const char *path, size_t minlen,
             size_t maxlen, const char **out);

/* Member `key` of obj (obj at path parent) checked as jf__jint, jf__jnum or
 * jf__jstr. When it is absent: JF_EINVAL "missing" if required, else *out
 * = dflt and 0. */
int jf__jint_field(const jf__jctx_t *c, const cJSON *obj, const char *parent, const char *key,
                   bool required, uint64_t lo, uint64_t hi, uint64_t dflt, uint64_t *out);
int jf__jnum_field(const jf__jctx_t *c, const cJSON *obj, const char *parent, const char *key,
                   bool required, double lo, double hi, double dflt, double *out);
int jf__jstr_field(const jf__jctx_t *c, const cJSON *obj, const char *parent, const char *key,
                   bool required, size_t minlen, size_t maxlen, const char *dflt,
                   const char **out);

/* "a string", "an array", ...: what v is, for "got ..." in messages. */
const char *jf__jtype(const cJSON *v);

/* A copy of s from jf_calloc, or NULL when out of memory. */
char *jf__strdup(const char *s);

#endif /* WORKLOADS_JCHECK_H */
