/* output.c - print results for people (table) or programs (JSON). */
#include "output.h"

#include <math.h>
#include <stdlib.h>

#include "json.h"

void jf_output_table(FILE *f, const jf_run_set_t *set, const jf_output_info_t *info)
{
    fprintf(f, "%-12s %-13s %7s %11s %6s %13s %8s %10s", "strategy", "policy", "threads",
            "wall ms", "cv", "items/s", "speedup", "efficiency");
    fprintf(f, info->latency ? " %10s\n" : "\n", "p99 ms");
    for (size_t i = 0; i < set->n; i++) {
        const jf_strategy_run_t *r = &set->runs[i];
        bool scheduled = r->strategy == JF_BENCH_SCHEDULED;
        char speedup[32] = "-";

        if (isfinite(r->speedup))
            snprintf(speedup, sizeof speedup, "%.2fx", r->speedup);
        fprintf(f, "%-12s %-13s %7u %11.2f %5.1f%% %13.0f %8s %9.1f%%",
                jf_bench_strategy_name(r->strategy), scheduled ? jf_policy_name(info->policy) : "-",
                r->median.threads, r->wall.median / 1e6, r->wall.cv * 100.0, r->throughput,
                speedup, r->efficiency * 100.0);
        if (info->latency)
            fprintf(f, " %10.3f", (double)r->median.latency.p99_ns / 1e6);
        fputc('\n', f);
    }
    if (set->n == 0)
        fprintf(f, "(no repetition finished)\n");
    if (info->sim)
        fprintf(f, "simulated (--sim): times are virtual, the same for every run with this seed\n");
    fprintf(f, "results: %s/%s\n", info->dir, info->interrupted ? " (interrupted)" : "");
}

int jf_output_json(FILE *f, const cJSON *doc)
{
    char *text = jf_json_print(doc, true);

    if (!text)
        return -1;
    int rc = fprintf(f, "%s\n", text) < 0 || fflush(f) != 0 ? -1 : 0;
    free(text);
    return rc;
}
