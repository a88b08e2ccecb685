/* confirm.h - bench ... --compare BASE.json [--confirm N]: judge a run, rerun what looks slower. */
#ifndef BENCH_CONFIRM_H
#define BENCH_CONFIRM_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "compare.h"
#include "run.h"

/* What the comparison after a run needs. Borrowed pointers. */
typedef struct bench_confirm {
    const bench_run_plan_t *plan;   /* the run's plan: reruns repeat it, one strategy, no trace */
    const bench_cmp_doc_t *base;    /* BASE, loaded and checked before the run */
    const cJSON *doc;            /* the run's result document */
    const char *path;            /* where it was written, for messages */
    bench_cmp_options_t opt;
    unsigned confirm;            /* reruns allowed per suspected regression; 0: none */
    bench_cli_format_t format;      /* markdown or json print so, anything else a table */
    FILE *out;
} bench_confirm_t;

/* Compares the run with BASE (compare.h). A strategy whose wall time looks
 * like a regression is rerun up to c->confirm times, each rerun's fresh
 * repetitions judged against BASE alone, and stays a regression only when
 * every rerun shows it again: the first that does not clears it. Simulated
 * runs are deterministic and are never rerun. Prints the comparison to
 * c->out. Returns 0 (no regression), 1 (regressions, or a rerun failed,
 * after its error line) or 2 (the run cannot be compared with BASE). */
int bench_confirm_run(const bench_confirm_t *c);

/* Checks before anything runs that a run of workload w with these
 * arguments can be compared with BASE (same workload, cores, batch, sim).
 * Returns 0 or 2 after the error line naming BASE. */
int bench_confirm_precheck(const bench_cmp_doc_t *base, const bench_args_t *a,
                        const cJSON *workload, unsigned cores);

#endif /* BENCH_CONFIRM_H */
