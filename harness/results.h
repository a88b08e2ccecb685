/* results.h - the result document of DESIGN.md ("Results JSON") for one run. */
#ifndef BENCH_RESULTS_H
#define BENCH_RESULTS_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "jefferson/topology.h"
#include "run.h"
#include "warn.h"
#include "workloads/workload.h"

/* What the document says besides the measurements. */
typedef struct bench_results_meta {
    const workload_t *workload;
    const jf_topology_t *topology; /* may be NULL */
    int argc;
    char **argv;                   /* the command line, for the context */
    const char *date;              /* UTC ISO 8601 time the run started */
    jf_policy_t policy;            /* reported for the scheduled strategy */
    unsigned cores, batch, repeat, warmup;
    bool interrupted;              /* a signal cut the run short */
    const bench_warnings_t *warnings; /* may be NULL: none */
    const jf_sim_options_t *sim;   /* NULL: a real run; else the simulator's overheads */
} bench_results_meta_t;

/* The coefficient of variation of r's wall times, or NaN (shown as "-",
 * null in the document) with one repetition: there is no spread to measure. */
double bench_results_cv(const bench_strategy_run_t *r);

/* File names of a strategy's timeline and trace inside the results
 * directory, e.g. "scheduled.svg". Written, and named in the document,
 * only when the kept repetition has a trace (r->median.trace). */
void bench_results_svg_name(const bench_strategy_run_t *r, char *buf, size_t size);
void bench_results_trace_name(const bench_strategy_run_t *r, char *buf, size_t size);

/* Builds the document "jefferson.result/1" for the measured set, as
 * docs/results.md describes it. Returns a new cJSON object (caller frees
 * with cJSON_Delete) or NULL when out of memory. Integer figures are whole
 * numbers in the document; figures that do not exist are null. */
/* Adds "batch" and "batch_max" for a --batch argument (0: adaptive,
 * JF_DEFAULT_BATCH to JF_DEFAULT_BATCH_MAX items; B: both B). */
void bench_results_add_batch(cJSON *doc, unsigned batch, bool *ok);

cJSON *bench_results_build(const bench_results_meta_t *meta, const bench_run_set_t *set);

#endif /* BENCH_RESULTS_H */
