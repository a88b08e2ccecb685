/* scaling.h - a scaling run (--cores 1,2,4,...): scaling.json, scaling.svg, index.html. */
#ifndef BENCH_SCALING_H
#define BENCH_SCALING_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define BENCH_SCALING_SCHEMA "jefferson.scaling/1"
#define BENCH_SCALING_WHY_MAX 320

/* The document "jefferson.scaling/1" (docs/results.md), built one core
 * count at a time from the result documents of the counts. */
typedef struct bench_scaling {
    cJSON *doc;
    cJSON *counts;     /* doc's "counts", borrowed */
    cJSON *strategies; /* doc's "strategies", borrowed */
    cJSON *notes;      /* doc's "notes", borrowed */
} bench_scaling_t;

/* Starts an empty document for a run on a machine with machine_cores
 * (counts above it are simulated). Returns 0 or JF_ENOMEM. */
int bench_scaling_begin(bench_scaling_t *sc, unsigned machine_cores);

/* Adds one core count: its entry in "counts" and, per strategy of
 * result's "results" (single run only as the baseline left out), a point
 * with that result's own figures, so each point agrees with the
 * result.json it names (dir + "/result.json"). The first count also gives
 * the document its context and workload. Returns 0, JF_EPARSE when result
 * lacks what a point needs, or JF_ENOMEM. */
int bench_scaling_add(bench_scaling_t *sc, const cJSON *result, unsigned cores, const char *dir);

/* Adds a line to "notes": what the run left out, and why. Returns 0 or JF_ENOMEM. */
int bench_scaling_note(bench_scaling_t *sc, const char *note);

/* Writes scaling.json, scaling.svg and index.html into the existing
 * directory dir, with "interrupted" as given. Returns 0, or an error code
 * with one line in why. */
int bench_scaling_write(bench_scaling_t *sc, const char *dir, bool interrupted, char *why,
                     size_t why_size);

/* Frees the document. Safe on a zeroed struct. */
void bench_scaling_fini(bench_scaling_t *sc);

#endif /* BENCH_SCALING_H */
