/* output.h - what a run prints on stdout: a table or the result document. */
#ifndef JF_OUTPUT_H
#define JF_OUTPUT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "run.h"

/* Prints an aligned table of the set (strategy, policy, threads, median
 * wall, throughput, speedup, efficiency), then "results: <dir>/". */
void jf_output_table(FILE *f, const jf_run_set_t *set, jf_policy_t policy, const char *dir);

/* Prints doc, formatted, with a final newline. Returns 0, or -1 when out
 * of memory or the write failed. */
int jf_output_json(FILE *f, const cJSON *doc);

#endif /* JF_OUTPUT_H */
