/* compare.h - is NEW slower than BASE? Result documents read, matched and judged. */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "compare_stats.h"
#include "warn.h"

#define BENCH_CMP_ALPHA 0.05          /* significance level of the U test */
#define BENCH_CMP_CONF 0.95           /* level of the change's confidence interval */
#define BENCH_CMP_DET_TOLERANCE 0.005 /* deterministic metrics: 0.5% */
#define BENCH_CMP_KEY_MAX 80

/* How compare decides (docs/regressions.md). */
typedef struct bench_cmp_options {
    double threshold;     /* smallest slowdown that counts, as a fraction (0.10) */
    double alpha;         /* BENCH_CMP_ALPHA */
    double det_tolerance; /* BENCH_CMP_DET_TOLERANCE */
} bench_cmp_options_t;

/* One strategy's figures in one document: a result's results[i] or a
 * history line's results[i]. */
typedef struct bench_cmp_series {
    char key[BENCH_CMP_KEY_MAX]; /* "single", "scheduled/dhondt" */
    size_t n;
    double *samples;          /* n wall times in ns; owned */
    double median_ns;         /* median wall (the makespan when simulated) */
    double efficiency;        /* NAN: not in the document */
    double decisions;         /* NAN: not in the document */
    double reallocations;     /* NAN: not in the document */
} bench_cmp_series_t;

/* One result document, as compare reads it. Strings are borrowed from doc. */
typedef struct bench_cmp_doc {
    const char *path;         /* as given (borrowed) */
    cJSON *doc;               /* owned */
    const char *workload;
    const char *commit, *date, *host, *cpu; /* NULL: not recorded */
    bool sim, interrupted;
    double cores, batch, batch_max; /* batch_max == batch: fixed batches */
    size_t n;
    bench_cmp_series_t *series;  /* owned, in document order */
} bench_cmp_doc_t;

/* What the wall times say, for one strategy. */
typedef enum bench_cmp_wall {
    BENCH_CMP_WALL_NONE = 0,    /* not tested: simulated results (see det) */
    BENCH_CMP_WALL_UNDECIDABLE, /* too few repetitions for any p below alpha */
    BENCH_CMP_WALL_NOISE,       /* no significant difference */
    BENCH_CMP_WALL_SMALL,       /* significant, but within the threshold */
    BENCH_CMP_WALL_FASTER,      /* significant and faster by more than the threshold */
    JF_CMP_WALL_SLOWER       /* significant and slower by more than the threshold */
} bench_cmp_wall_t;

/* The verdict on one workload x strategy (x policy) present in both. */
typedef struct bench_cmp_row {
    const bench_cmp_series_t *base, *head; /* borrowed */
    double change;            /* head median / base median - 1 */
    bool has_ci;              /* ci_* are meaningful */
    double hl;                /* Hodges-Lehmann ratio - 1 */
    double ci_low, ci_high;   /* its interval, as ratio - 1 */
    double ci_level;          /* the interval's coverage (0.95, or less when n is small) */
    bench_mwu_t mwu;
    bench_cmp_wall_t wall;
    bool det;                 /* both simulated: deterministic metrics compared */
    double d_makespan, d_decisions, d_reallocations; /* relative changes; NAN: unknown */
    bool det_changed;         /* one of them beyond det_tolerance */
    bool regression;          /* wall == JF_CMP_WALL_SLOWER or det_changed */
    unsigned reruns;          /* --confirm: reruns done for it */
    unsigned confirmed;       /* ...of which showed the regression again */
} bench_cmp_row_t;

/* BASE against NEW ("head"). */
typedef struct bench_cmp_report {
    const bench_cmp_doc_t *base, *head; /* borrowed */
    bench_cmp_options_t opt;
    size_t n;
    bench_cmp_row_t *rows;       /* owned; strategies in both, in NEW's order */
    size_t regressions;       /* rows with regression set */
    bench_warnings_t warnings;   /* printed as they were found */
} bench_cmp_report_t;

/* Threshold 10%, alpha 0.05, deterministic tolerance 0.5%. */
void bench_cmp_options_default(bench_cmp_options_t *opt);

/* Reads one strategy (a results[] element) into *s: "strategy", optional
 * "policy", "samples_ns" (or, for a history line, the same), the median
 * from "wall_ns.median" or "median_ns" (else of the samples), optional
 * "efficiency", "decisions", "reallocations". Returns 0, JF_EPARSE with
 * why, or JF_ENOMEM. Release with bench_cmp_series_fini. */
int bench_cmp_series_read(const cJSON *o, bench_cmp_series_t *s, char *why, size_t why_size);
void bench_cmp_series_fini(bench_cmp_series_t *s);

/* Takes doc (a parsed "jefferson.result/1"; freed on failure too) into *d.
 * Returns 0, JF_EPARSE with why (another schema, a field missing or of
 * the wrong type) or JF_ENOMEM. Release with bench_cmp_doc_fini. */
int bench_cmp_doc_take(cJSON *doc, const char *path, bench_cmp_doc_t *d, char *why, size_t why_size);

/* Reads and takes the file at path. Returns as bench_cmp_doc_take, or JF_EIO
 * (cannot be read) / JF_EPARSE (not JSON) with why. */
int bench_cmp_doc_load(const char *path, bench_cmp_doc_t *d, char *why, size_t why_size);
void bench_cmp_doc_fini(bench_cmp_doc_t *d); /* safe on a zeroed struct */

/* Whether the two documents measured the same thing: the same workload
 * (normalised workload equal but for its description), both simulated or
 * both real, the same cores and batch. Returns 0, or JF_EINVAL with why
 * saying what differs. */
int bench_cmp_check(const bench_cmp_doc_t *base, const bench_cmp_doc_t *head, char *why,
                 size_t why_size);

/* Judges one strategy into *row (which then points at base and head): the
 * U test and interval on the samples (real results) or the deterministic
 * metrics (sim). Returns 0 or JF_ENOMEM. Pure but for allocation. */
int bench_cmp_judge(const bench_cmp_series_t *base, const bench_cmp_series_t *head, bool sim,
                 const bench_cmp_options_t *opt, bench_cmp_row_t *row);

/* Judges every strategy in both documents (checked with bench_cmp_check)
 * into *r; warns (bench: warning: lines) about too few repetitions,
 * interrupted runs, different machines and strategies in only one. Returns
 * 0 or JF_ENOMEM. Release with bench_cmp_report_fini. */
int bench_cmp_report_build(const bench_cmp_doc_t *base, const bench_cmp_doc_t *head,
                        const bench_cmp_options_t *opt, bench_cmp_report_t *r);
void bench_cmp_report_fini(bench_cmp_report_t *r);

/* Recounts r->regressions from the rows (after --confirm changed them). */
void bench_cmp_report_recount(bench_cmp_report_t *r);

/* compare_print.c. The report as an aligned table followed by one plain
 * sentence per strategy that changed and a verdict line; as GitHub
 * markdown (the same, for a pull-request comment); or as a JSON document
 * "jefferson.compare/1" (docs/regressions.md). Return 0, or -1 when a
 * write failed or memory ran out. */
int bench_cmp_print_table(FILE *f, const bench_cmp_report_t *r);
int bench_cmp_print_markdown(FILE *f, const bench_cmp_report_t *r);
int bench_cmp_print_json(FILE *f, const bench_cmp_report_t *r);

/* Writes the plain-words sentence about one row into buf ("scheduled/
 * dhondt: median wall time rose 85.1%, 12.310 ms -> 22.790 ms (95% CI
 * +80.2% to +90.0%, p = 0.008, 5 and 5 repetitions): REGRESSION"). r may
 * be NULL (a row judged outside a report, as trend does). */
void bench_cmp_sentence(const bench_cmp_report_t *r, const bench_cmp_row_t *row, char *buf,
                     size_t size);

#endif /* BENCH_COMPARE_H */
