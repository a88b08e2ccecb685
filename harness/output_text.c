/* output_text.c - results as a markdown table and as CSV. */
#include "output.h"

#include <math.h>
#include <string.h>

#include "results.h"
#include "viz/jf_numfmt.h"

#define MD_COLUMNS 15
#define CELL 160
#define STR_(x) #x
#define STR(x) STR_(x)

static const char *const md_head[MD_COLUMNS] = {
    "strategy", "policy", "threads", "repeats", "median ms", "min ms", "max ms", "CV",
    STR(BENCH_STATS_CI_PERCENT) "% CI of mean, ms", "items/s", "speedup", "efficiency",
    "user CPU ms", "sys CPU ms", "p99 latency ms",
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

/* ns as ms with 3 decimals, as stored (nearest ns). */
static void md_ms(char *cell, size_t size, double ns)
{
    bench_output_figure(cell, size, round(ns), -6, 3, "", "-");
}

static void md_cells(const bench_strategy_run_t *r, const bench_output_info_t *info,
                     char c[MD_COLUMNS][CELL])
{
    const bench_stats_t *w = &r->wall;
    bool scheduled = bench_strategy_uses_policy(r->strategy);
    char low[CELL / 2 - 8], high[CELL / 2 - 8]; /* "<low> to <high>" fits a cell */

    snprintf(c[0], CELL, "%s", bench_strategy_name(r->strategy));
    snprintf(c[1], CELL, "%s",
             scheduled ? jf_policy_name(info->policy) : r->config[0] ? r->config : "-");
    snprintf(c[2], CELL, "%u", r->median.threads);
    snprintf(c[3], CELL, "%u", r->repeats);
    md_ms(c[4], CELL, w->median);
    md_ms(c[5], CELL, (double)w->min);
    md_ms(c[6], CELL, (double)w->max);
    bench_output_figure(c[7], CELL, bench_results_cv(r), 2, 1, "%", "-");
    snprintf(c[8], CELL, "-");
    if (w->has_ci) {
        md_ms(low, sizeof low, w->ci95_low);
        md_ms(high, sizeof high, w->ci95_high);
        snprintf(c[8], CELL, "%s to %s", low, high);
    }
    bench_output_figure(c[9], CELL, r->throughput, 0, 0, "", "-");
    bench_output_figure(c[10], CELL, r->speedup, 0, 2, "x", "-");
    bench_output_figure(c[11], CELL, r->efficiency, 2, 1, "%", "-");
    md_ms(c[12], CELL, info->sim ? NAN : r->user_median_ns); /* virtual time: no host CPU */
    md_ms(c[13], CELL, info->sim ? NAN : r->sys_median_ns);
    md_ms(c[14], CELL, (double)r->median.latency.p99_ns);
}

void bench_output_markdown(FILE *f, const bench_run_set_t *set, const bench_output_info_t *info)
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

void bench_output_csv_field(FILE *f, const char *s)
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

/* A CSV number: the stored value exactly (ns to the nearest ns), or an
 * empty field when it does not exist; then the separator. */
static void csv_num(FILE *f, double v)
{
    char buf[JF_NUMFMT_MAX];

    fprintf(f, ",%s", isfinite(v) ? jf_numfmt_shortest(buf, sizeof buf, v) : "");
}

static void csv_row(FILE *f, const bench_strategy_run_t *r, const bench_output_info_t *info)
{
    const bench_stats_t *w = &r->wall;
    const jf_latency_t *l = &r->median.latency;
    double user = info->sim ? NAN : round(r->user_median_ns); /* virtual time: no host CPU */
    double sys = info->sim ? NAN : round(r->sys_median_ns);
    const double figures[] = {
        r->median.threads, r->repeats, round(w->median), (double)w->min, (double)w->max,
        round(w->mean), round(w->stddev), bench_results_cv(r), w->has_ci ? round(w->ci95_low) : NAN,
        w->has_ci ? round(w->ci95_high) : NAN, (double)(w->outliers_low + w->outliers_high),
        r->throughput, r->speedup, (double)r->lower_bound_ns, r->efficiency,
        user, sys, (double)l->p50_ns, (double)l->p95_ns, (double)l->p99_ns, (double)l->max_ns,
        round(l->mean_ns),
    };

    bench_output_csv_field(f, info->workload);
    fprintf(f, ",%s,", bench_strategy_name(r->strategy));
    if (bench_strategy_uses_policy(r->strategy))
        bench_output_csv_field(f, jf_policy_name(info->policy));
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
        csv_num(f, figures[i]);
    fprintf(f, ",%s\r\n", info->interrupted ? "true" : "false");
}

void bench_output_csv(FILE *f, const bench_run_set_t *set, const bench_output_info_t *info)
{
    fputs(csv_head, f);
    for (size_t i = 0; i < set->n; i++)
        csv_row(f, &set->runs[i], info);
}
