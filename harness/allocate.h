/* allocate.h - the input of `bench allocate`, parsed apart from stdin (allocate.c). */
#ifndef BENCH_ALLOCATE_H
#define BENCH_ALLOCATE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "jefferson/pipeline.h"
#include "jefferson/policy.h"

/* The stages of one allocate input, ready for jf_policy_allocate. */
typedef struct bench_allocate_input {
    size_t n;
    const char *names[JF_MAX_STAGES];        /* borrowed from doc */
    jf_stage_view_t views[JF_MAX_STAGES];   /* unmeasured stages get the prior */
    double measured[JF_MAX_STAGES];         /* mean service time, < 0 when no samples */
    cJSON *doc;                             /* the parsed text; owns the names */
} bench_allocate_input_t;

/* Parses text[len] (need not be NUL-terminated), the document
 * `bench allocate` reads on stdin, into *in. Returns 0, or the exit status
 * after printing the one error line (bench: allocate: ...) with *in
 * holding nothing to free. Release a parsed input with
 * bench_allocate_input_fini. Not thread-safe (cJSON's error position). */
int bench_allocate_parse(const char *text, size_t len, bench_allocate_input_t *in);

/* Frees what bench_allocate_parse kept. Safe on a zeroed or failed input. */
void bench_allocate_input_fini(bench_allocate_input_t *in);

#endif /* BENCH_ALLOCATE_H */
