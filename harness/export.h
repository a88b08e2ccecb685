/* export.h - results in the formats of CI dashboards: github-action-benchmark, Bencher. */
#ifndef BENCH_EXPORT_H
#define BENCH_EXPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* Writes the results of the result document doc ("jefferson.result/1")
 * to f, one benchmark per strategy, named "<workload>/<strategy>" plus
 * "/<policy>" for the scheduled strategy and "/sim" for a simulated run:
 *
 *   BENCH_CLI_FORMAT_GAB: github-action-benchmark's customSmallerIsBetter
 *     list, [{"name", "unit": "ns", "value": median wall, "range":
 *     "± <stddev>", "extra": "<repeats, min, max, efficiency, ...>"}];
 *   JF_CLI_FORMAT_BENCHER: Bencher Metric Format, {"<name>": {"latency":
 *     {"value": median, "lower_value": min, "upper_value": max}}}.
 *
 * Returns 0, or -1 when out of memory, a write failed or format is
 * neither of these. A document missing fields gives entries without them. */
int bench_export_write(FILE *f, const cJSON *doc, bench_cli_format_t format);

/* Whether the result document doc, read from path, has something to
 * export. Returns 0, after a warning on stderr when the run was
 * interrupted (as compare gives), or JF_EPARSE with one line in why when
 * no strategy finished a repetition (no results). */
int bench_export_check(const cJSON *doc, const char *path, char *why, size_t size);

#endif /* BENCH_EXPORT_H */
