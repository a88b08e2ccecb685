/* output.c - print results for people (table) or programs (JSON). */
#include "output.h"

#include <math.h>
#include <stdlib.h>

#include "json.h"
#include "results.h"
#include "viz/jf_numfmt.h"

#define FIG (JF_NUMFMT_MAX + 16)

const char *bench_output_figure(char *buf, size_t size, double v, int exp10, unsigned decimals,
                             const char *unit, const char *missing)
{
    char num[JF_NUMFMT_MAX];

    if (jf_numfmt_fixed(num, sizeof num, v, exp10, decimals) == NULL)
        snprintf(buf, size, "%s", missing);
    else
        snprintf(buf, size, "%s%s", num, unit);
    return buf;
}

void bench_output_table(FILE *f, const bench_run_set_t *set, const bench_output_info_t *info)
{
    fprintf(f, "%-12s %-13s %7s %11s %6s %13s %8s %10s", "strategy", "policy", "threads",
            "wall ms", "cv", "items/s", "speedup", "efficiency");
    fprintf(f, info->latency ? " %10s\n" : "\n", "p99 ms");
    for (size_t i = 0; i < set->n; i++) {
        const bench_strategy_run_t *r = &set->runs[i];
        bool scheduled = bench_strategy_uses_policy(r->strategy);
        char wall[FIG], cv[FIG], tput[FIG], speedup[FIG], eff[FIG], p99[FIG];

        fprintf(f, "%-12s %-13s %7u %11s %6s %13s %8s %10s",
                bench_strategy_name(r->strategy),
                scheduled ? jf_policy_name(info->policy) : r->config[0] ? r->config : "-",
                r->median.threads,
                bench_output_figure(wall, FIG, round(r->wall.median), -6, 2, "", "-"),
                bench_output_figure(cv, FIG, bench_results_cv(r), 2, 1, "%", "-"),
                bench_output_figure(tput, FIG, r->throughput, 0, 0, "", "-"),
                bench_output_figure(speedup, FIG, r->speedup, 0, 2, "x", "-"),
                bench_output_figure(eff, FIG, r->efficiency, 2, 1, "%", "-"));
        if (info->latency)
            fprintf(f, " %10s",
                    bench_output_figure(p99, FIG, (double)r->median.latency.p99_ns, -6, 3, "", "-"));
        fputc('\n', f);
    }
    if (set->n == 0)
        fprintf(f, "(no repetition finished)\n");
    if (info->sim)
        fprintf(f, "simulated (--sim): times are virtual, the same for every run with this seed\n");
    fprintf(f, "results: %s/%s\n", info->dir, info->interrupted ? " (interrupted)" : "");
}

/* A simulated run prints the same bytes every time it is run with the
 * same inputs: its document without the one figure a clock gives, the
 * date (result.json keeps it, for history and compare). */
static cJSON *timeless_copy(const cJSON *doc)
{
    cJSON *copy = cJSON_Duplicate(doc, true);
    cJSON *ctx = cJSON_GetObjectItemCaseSensitive(copy, "context");

    if (copy != NULL && cJSON_GetObjectItemCaseSensitive(ctx, "date") != NULL &&
        !cJSON_ReplaceItemInObjectCaseSensitive(ctx, "date", cJSON_CreateNull())) {
        cJSON_Delete(copy);
        return NULL;
    }
    return copy;
}

int bench_output_json(FILE *f, const cJSON *doc)
{
    cJSON *copy = NULL;
    char *text;

    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "sim"))) {
        if ((copy = timeless_copy(doc)) == NULL)
            return -1;
        doc = copy;
    }
    text = bench_json_print(doc, true);
    cJSON_Delete(copy);

    if (!text)
        return -1;
    int rc = fprintf(f, "%s\n", text) < 0 || fflush(f) != 0 ? -1 : 0;
    free(text);
    return rc;
}
