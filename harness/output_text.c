/* output_text.c - results as a markdown table and as CSV. */
#include "output.h"

#include <math.h>
#include <string.h>

#define MD_COLUMNS 15
#define CELL 64

static const char *const md_head[MD_COLUMNS] = {
    "strategy", "policy", "threads", "repeats", "median ms", "min ms", "max ms", "CV",
    "95% CI of mean, ms", "items/s", "speedup", "efficiency", "user CPU ms", "sys CPU ms",
    "p99 latency ms",
};

/* A cell's text: '|' would end the cell, a line break the row. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
}

static void md_row(FILE *f, char cells[][CELL], const char *const *text, size_t n)
{
    fputc('|', f);
    for (size_t i = 0; i < n; i++) {
        fputc(' ', f);
        md_text(f, text ? text[i] : cells[i]);
        fputs(" |", f);
    }
    fputc('\n', f);
}

static void md_cells(const jf_strategy_run_t *r, const jf_output_info_t *info,
                     char c[MD_COLUMNS][CELL])
{
    const jf_stats_t *w = &r->wall;
    bool scheduled = r->strategy == JF_BENCH_SCHEDULED;

    snprintf(c[0], CELL, "%s", jf_bench_strategy_name(r->strategy));
    snprintf(c[1], CELL, "%s", scheduled ? jf_policy_name(info->policy) : "-");
    snprintf(c[2], CELL, "%u", r->median.threads);
    snprintf(c[3], CELL, "%u", r->repeats);
    snprintf(c[4], CELL, "%.3f", w->median / 1e6);
    snprintf(c[5], CELL, "%.3f", (double)w->min / 1e6);
    snprintf(c[6], CELL, "%.3f", (double)w->max / 1e6);
    snprintf(c[7], CELL, "%.1f%%", w->cv * 100.0);
    if (w->has_ci)
        snprintf(c[8], CELL, "%.3f to %.3f", w->ci95_low / 1e6, w->ci95_high / 1e6);
    else
        snprintf(c[8], CELL, "-");
    snprintf(c[9], CELL, "%.0f", r->throughput);
    if (isfinite(r->speedup))
        snprintf(c[10], CELL, "%.2fx", r->speedup);
    else
        snprintf(c[10], CELL, "-");
    snprintf(c[11], CELL, "%.1f%%", r->efficiency * 100.0);
    snprintf(c[12], CELL, "%.3f", r->user_median_ns / 1e6);
    snprintf(c[13], CELL, "%.3f", r->sys_median_ns / 1e6);
    snprintf(c[14], CELL, "%.3f", (double)r->median.latency.p99_ns / 1e6);
}

void jf_output_markdown(FILE *f, const jf_run_set_t *set, const jf_output_info_t *info)
{
    size_t n = info->latency ? MD_COLUMNS : MD_COLUMNS - 1;
    char cells[MD_COLUMNS][CELL];

    md_row(f, NULL, md_head, n);
    fputc('|', f);
    for (size_t i = 0; i < n; i++)
        fputs(i < 2 ? ":---|" : "---:|", f);
    fputc('\n', f);
    for (size_t i = 0; i < set->n; i++) {
        md_cells(&set->runs[i], info, cells);
        md_row(f, cells, NULL, n);
    }
    if (info->interrupted)
        fputs("\nInterrupted: only the repetitions that finished are shown.\n", f);
}

void jf_output_csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static const char csv_head[] =
    "workload,strategy,policy,threads,repeats,wall_median_ns,wall_min_ns,wall_max_ns,"
    "wall_mean_ns,wall_stddev_ns,wall_cv,wall_ci95_low_ns,wall_ci95_high_ns,wall_outliers,"
    "throughput_items_per_s,speedup_vs_single,lower_bound_ns,efficiency,cpu_user_ns,"
    "cpu_sys_ns,latency_p50_ns,latency_p95_ns,latency_p99_ns,latency_max_ns,latency_mean_ns,"
    "interrupted\r\n";

static void csv_row(FILE *f, const jf_strategy_run_t *r, const jf_output_info_t *info)
{
    const jf_stats_t *w = &r->wall;
    const jf_latency_t *l = &r->median.latency;

    jf_output_csv_field(f, info->workload);
    fprintf(f, ",%s,", jf_bench_strategy_name(r->strategy));
    if (r->strategy == JF_BENCH_SCHEDULED)
        jf_output_csv_field(f, jf_policy_name(info->policy));
    fprintf(f, ",%u,%u,%.0f,%llu,%llu,%.0f,%.0f,%.4f,", r->median.threads, r->repeats,
            w->median, (unsigned long long)w->min, (unsigned long long)w->max, w->mean,
            w->stddev, w->cv);
    if (w->has_ci)
        fprintf(f, "%.0f,%.0f", w->ci95_low, w->ci95_high);
    else
        fputc(',', f);
    fprintf(f, ",%zu,%.2f,", w->outliers_low + w->outliers_high, r->throughput);
    if (isfinite(r->speedup))
        fprintf(f, "%.4f", r->speedup);
    fprintf(f, ",%llu,%.4f,%.0f,%.0f,%llu,%llu,%llu,%llu,%.0f,%s\r\n",
            (unsigned long long)r->lower_bound_ns, r->efficiency, r->user_median_ns,
            r->sys_median_ns, (unsigned long long)l->p50_ns, (unsigned long long)l->p95_ns,
            (unsigned long long)l->p99_ns, (unsigned long long)l->max_ns, l->mean_ns,
            info->interrupted ? "true" : "false");
}

void jf_output_csv(FILE *f, const jf_run_set_t *set, const jf_output_info_t *info)
{
    fputs(csv_head, f);
    for (size_t i = 0; i < set->n; i++)
        csv_row(f, &set->runs[i], info);
}
