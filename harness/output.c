/* output.c - print results for people (table) or programs (JSON). */
#include "output.h"

#include <stdlib.h>

void jf_output_table(FILE *f, const jf_run_set_t *set, jf_policy_t policy, const char *dir)
{
    fprintf(f, "%-12s %-13s %7s %12s %14s %8s %10s\n", "strategy", "policy", "threads",
            "wall ms", "items/s", "speedup", "efficiency");
    for (size_t i = 0; i < set->n; i++) {
        const jf_strategy_run_t *r = &set->runs[i];
        bool scheduled = r->strategy == JF_STRATEGY_SCHEDULED;
        fprintf(f, "%-12s %-13s %7u %12.2f %14.0f %7.2fx %9.1f%%\n",
                jf_strategy_name(r->strategy), scheduled ? jf_policy_name(policy) : "-",
                r->median.threads, r->wall.median / 1e6, r->throughput, r->speedup,
                r->efficiency * 100.0);
    }
    fprintf(f, "results: %s/\n", dir);
}

int jf_output_json(FILE *f, const cJSON *doc)
{
    char *text = cJSON_Print(doc);

    if (!text)
        return -1;
    int rc = fprintf(f, "%s\n", text) < 0 || fflush(f) != 0 ? -1 : 0;
    free(text);
    return rc;
}
