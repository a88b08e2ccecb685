/* output.h - what a run prints on stdout: table, JSON, markdown or CSV. */
#ifndef BENCH_OUTPUT_H
#define BENCH_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "run.h"

/* What the printers need besides the measurements. */
typedef struct bench_output_info {
    const char *workload; /* its name (CSV has a column for it) */
    jf_policy_t policy;   /* shown for the scheduled strategy */
    bool latency;         /* the workload has an arrival rate: show latency */
    bool interrupted;     /* only what finished is shown */
    const char *dir;      /* the results directory (table only) */
    bool sim;             /* simulated: times are virtual, host CPU times not shown */
} bench_output_info_t;

/* Writes v * 10^exp10 rounded once to `decimals` (jf_numfmt_fixed) and
 * then unit into buf, or `missing` when v is not finite (a figure that
 * does not exist); returns buf. Every format, the export and the
 * warnings show figures through this, so a figure reads the same in each. */
const char *bench_output_figure(char *buf, size_t size, double v, int exp10, unsigned decimals,
                             const char *unit, const char *missing);

/* Prints an aligned table for people: strategy, policy, threads, median
 * wall, its coefficient of variation, throughput, speedup, efficiency and,
 * with info->latency, the p99 latency; then "results: <dir>/". */
void bench_output_table(FILE *f, const bench_run_set_t *set, const bench_output_info_t *info);

/* Prints doc, formatted, with a final newline; for a simulated run
 * ("sim": true) with context.date null, so that the same inputs print the
 * same bytes. Returns 0, or -1 when out of memory or the write failed. */
int bench_output_json(FILE *f, const cJSON *doc);

/* Prints a GitHub-flavoured markdown table (header row, alignment row,
 * one row per strategy; times in ms), to paste into an issue or README. */
void bench_output_markdown(FILE *f, const bench_run_set_t *set, const bench_output_info_t *info);

/* Prints RFC 4180 CSV: a header line, then one line per strategy, CRLF line
 * ends, fields with a comma, quote or line break quoted with quotes
 * doubled, raw units (ns, items/s, ratios), empty fields for null. */
void bench_output_csv(FILE *f, const bench_run_set_t *set, const bench_output_info_t *info);

/* Writes s as one CSV field (quoted when it must be). */
void bench_output_csv_field(FILE *f, const char *s);

#endif /* BENCH_OUTPUT_H */
