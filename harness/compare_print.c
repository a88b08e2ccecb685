/* compare_print.c - a comparison for people (table, markdown) and programs (JSON). */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* "+12.3%", "-0.4%", "n/a". */
static char *pct(char *buf, size_t size, double frac)
{
    if (isinf(frac))
        snprintf(buf, size, "%s", frac > 0 ? "+inf%" : "-inf%");
    else if (!isfinite(frac))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%+.1f%%", frac * 100.0);
    return buf;
}

static const char *wall_word(const bench_cmp_row_t *row)
{
    switch (row->wall) {
    case BENCH_CMP_WALL_UNDECIDABLE: return "too few repetitions";
    case BENCH_CMP_WALL_NOISE: return "no significant change";
    case BENCH_CMP_WALL_SMALL: return "significant, within threshold";
    case BENCH_CMP_WALL_FASTER: return "faster";
    case JF_CMP_WALL_SLOWER: return "slower";
    default: return "not tested";
    }
}

/* The row's one-word verdict, as the table shows it. */
static const char *verdict(const bench_cmp_row_t *row)
{
    if (row->regression)
        return "REGRESSION";
    if (row->reruns > 0)
        return "not confirmed";
    if (row->det)
        return row->det_changed ? "CHANGED" : "identical";
    return wall_word(row);
}

/* The interval's level as a whole percentage: the nominal BENCH_CMP_CONF when
 * the exact coverage reaches it, else the coverage it has (90 for 3 and 3). */
static double ci_percent(const bench_cmp_row_t *row)
{
    return row->ci_level >= BENCH_CMP_CONF - 1e-9 ? BENCH_CMP_CONF * 100 : floor(row->ci_level * 100);
}

/* The level every interval of the table has, so that the column's header
 * names it: the nominal one when no row has an interval, -1 when rows
 * differ (each cell then names its own). */
static double table_ci_percent(const bench_cmp_report_t *r)
{
    double level = -1;

    for (size_t i = 0; i < r->n; i++) {
        const bench_cmp_row_t *row = &r->rows[i];
        if (row->det || !row->has_ci)
            continue;
        if (level >= 0 && ci_percent(row) != level)
            return -1;
        level = ci_percent(row);
    }
    return level >= 0 ? level : BENCH_CMP_CONF * 100;
}

/* "90% CI of change", or "CI of change" when the rows' levels differ. */
static const char *ci_header(const bench_cmp_report_t *r, char *buf, size_t size)
{
    double level = table_ci_percent(r);

    if (level < 0)
        snprintf(buf, size, "CI of change");
    else
        snprintf(buf, size, "%.0f%% CI of change", level);
    return buf;
}

static void p_text(char *buf, size_t size, double p)
{
    if (p < 0.001)
        snprintf(buf, size, "<0.001");
    else
        snprintf(buf, size, "%.3f", p);
}

static void confirm_words(const bench_cmp_row_t *row, char *buf, size_t size)
{
    if (row->reruns == 0)
        buf[0] = '\0';
    else if (row->regression)
        snprintf(buf, size, "; confirmed by %u of %u rerun%s", row->confirmed, row->reruns,
                 row->reruns == 1 ? "" : "s");
    else
        snprintf(buf, size, "; not confirmed: rerun %u did not show it", row->reruns);
}

static void det_sentence(const bench_cmp_row_t *row, char *buf, size_t size)
{
    char a[16], b[16], c[16];

    if (!row->det_changed) {
        snprintf(buf, size, "%s: simulated makespan, decisions and reallocations unchanged "
                 "(%.3f ms, %.0f, %.0f)", row->head->key, row->head->median_ns / 1e6,
                 row->head->decisions, row->head->reallocations);
        return;
    }
    snprintf(buf, size, "%s: the simulated run changed: makespan %.3f ms -> %.3f ms (%s, %s), "
             "decisions %.0f -> %.0f (%s), reallocations %.0f -> %.0f (%s): the scheduling "
             "behaves differently",
             row->head->key, row->base->median_ns / 1e6, row->head->median_ns / 1e6,
             pct(a, sizeof a, row->d_makespan), row->d_makespan > 0 ? "slower" : "faster",
             row->base->decisions, row->head->decisions, pct(b, sizeof b, row->d_decisions),
             row->base->reallocations, row->head->reallocations,
             pct(c, sizeof c, row->d_reallocations));
}

void bench_cmp_sentence(const bench_cmp_report_t *r, const bench_cmp_row_t *row, char *buf, size_t size)
{
    char ch[16], lo[16], hi[16], ci[64] = "", conf[80];
    double c = row->change;

    confirm_words(row, conf, sizeof conf);
    if (row->det) {
        det_sentence(row, buf, size);
        return;
    }
    if (row->has_ci)
        snprintf(ci, sizeof ci, "%.0f%% CI %s to %s, ", ci_percent(row),
                 pct(lo, sizeof lo, row->ci_low), pct(hi, sizeof hi, row->ci_high));
    snprintf(buf, size, "%s: median wall time %s %s, %.3f ms -> %.3f ms (%sp = %.3g, %zu and "
             "%zu repetitions): %s%s%s", row->head->key, c >= 0 ? "rose" : "fell",
             pct(ch, sizeof ch, fabs(c)) + 1, row->base->median_ns / 1e6,
             row->head->median_ns / 1e6, ci, row->mwu.p, row->base->n, row->head->n,
             row->regression ? "REGRESSION" : wall_word(row),
             row->wall == JF_CMP_WALL_SLOWER && !row->regression ? " (suspected)" : "", conf);
    (void)r;
}

static void header(FILE *f, const bench_cmp_report_t *r, const char *bullet)
{
    const bench_cmp_doc_t *b = r->base, *h = r->head;

    fprintf(f, "%sBASE %s (%s, %s)\n", bullet, b->path, b->commit ? b->commit : "?",
            b->date ? b->date : "?");
    fprintf(f, "%sNEW  %s (%s, %s)\n", bullet, h->path, h->commit ? h->commit : "?",
            h->date ? h->date : "?");
    if (h->sim)
        fprintf(f, "%sdeterministic metrics (simulated, --sim): a change of the makespan, "
                "decisions or reallocations beyond %.1f%% is a regression\n", bullet,
                r->opt.det_tolerance * 100);
    else
        fprintf(f, "%swall times (measured, noisy): a regression is slower by more than %.4g%% "
                "and significant (Mann-Whitney U, p < %.2f)\n", bullet, r->opt.threshold * 100,
                r->opt.alpha);
}

/* One row; the interval's cell names its level when the header does not. */
static void table_row(FILE *f, const bench_cmp_report_t *r, const bench_cmp_row_t *row, bool md)
{
    char ch[16], lo[16], hi[16], ci[48] = "-", level[8] = "", p[16] = "-", reps[24];
    const char *fmt = md ? "| %s | %.3f | %.3f | %s | %s | %s | %s | %s |\n"
                         : "%-24s %10.3f %10.3f %8s  %-20s %6s %7s  %s\n";

    if (row->det) {
        char d1[16], d2[16];
        fprintf(f, md ? "| %s | %.3f | %.3f | %s | %.0f -> %.0f (%s) | %.0f -> %.0f (%s) | %s |\n"
                      : "%-24s %10.3f %10.3f %8s  %9.0f -> %-9.0f %8s  %7.0f -> %-7.0f %8s  %s\n",
                row->head->key, row->base->median_ns / 1e6, row->head->median_ns / 1e6,
                pct(ch, sizeof ch, row->d_makespan), row->base->decisions, row->head->decisions,
                pct(d1, sizeof d1, row->d_decisions), row->base->reallocations,
                row->head->reallocations, pct(d2, sizeof d2, row->d_reallocations),
                verdict(row));
        return;
    }
    if (row->has_ci && table_ci_percent(r) < 0)
        snprintf(level, sizeof level, "%.0f%%: ", ci_percent(row));
    if (row->has_ci)
        snprintf(ci, sizeof ci, "%s%s to %s", level, pct(lo, sizeof lo, row->ci_low),
                 pct(hi, sizeof hi, row->ci_high));
    p_text(p, sizeof p, row->mwu.p);
    snprintf(reps, sizeof reps, "%zu/%zu", row->base->n, row->head->n);
    fprintf(f, fmt, row->head->key, row->base->median_ns / 1e6, row->head->median_ns / 1e6,
            pct(ch, sizeof ch, row->change), ci, p, reps, verdict(row));
}

static void verdict_line(FILE *f, const bench_cmp_report_t *r, const char *pre, const char *post)
{
    bool det = false;

    for (size_t i = 0; i < r->n; i++)
        det |= r->rows[i].det_changed;
    if (det)
        fputs("A simulated run is deterministic: any change in it is a change in the code's "
              "behaviour. If it is intended, refresh the baseline (make perf-baseline).\n", f);
    if (r->regressions == 0) {
        fprintf(f, "%scompare: no regression in %zu strateg%s compared%s\n", pre, r->n,
                r->n == 1 ? "y" : "ies", post);
        return;
    }
    fprintf(f, "%scompare: %zu regression%s:", pre, r->regressions,
            r->regressions == 1 ? "" : "s");
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].regression)
            fprintf(f, " %s", r->rows[i].head->key);
    fprintf(f, "%s\n", post);
}

static void sentences(FILE *f, const bench_cmp_report_t *r, const char *bullet)
{
    char line[1024];

    for (size_t i = 0; i < r->n; i++) {
        if (r->rows[i].det && !r->rows[i].det_changed)
            continue; /* "identical" says it all */
        bench_cmp_sentence(r, &r->rows[i], line, sizeof line);
        fprintf(f, "%s%s\n", bullet, line);
    }
}

int bench_cmp_print_table(FILE *f, const bench_cmp_report_t *r)
{
    char ci[32];

    fprintf(f, "compare %s%s\n", r->head->workload, r->head->sim ? " (simulated)" : "");
    header(f, r, "  ");
    if (r->head->sim)
        fprintf(f, "%-24s %10s %10s %8s  %-31s  %-27s  %s\n", "strategy", "base ms", "new ms",
                "change", "decisions (base -> new)", "reallocations", "verdict");
    else
        fprintf(f, "%-24s %10s %10s %8s  %-20s %6s %7s  %s\n", "strategy", "base ms", "new ms",
                "change", ci_header(r, ci, sizeof ci), "p", "reps", "verdict");
    for (size_t i = 0; i < r->n; i++)
        table_row(f, r, &r->rows[i], false);
    sentences(f, r, "  ");
    verdict_line(f, r, "", "");
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

int bench_cmp_print_markdown(FILE *f, const bench_cmp_report_t *r)
{
    char ci[32];

    fprintf(f, "### jefferson compare: %s%s\n\n", r->head->workload,
            r->head->sim ? " (simulated)" : "");
    header(f, r, "- ");
    if (r->head->sim)
        fputs("\n| strategy | base ms | new ms | makespan change | decisions | reallocations "
              "| verdict |\n|:---|---:|---:|---:|---:|---:|:---|\n", f);
    else
        fprintf(f, "\n| strategy | base ms | new ms | change | %s | p | reps | verdict |\n"
                "|:---|---:|---:|---:|---:|---:|---:|:---|\n", ci_header(r, ci, sizeof ci));
    for (size_t i = 0; i < r->n; i++)
        table_row(f, r, &r->rows[i], true);
    fputc('\n', f);
    sentences(f, r, "- ");
    fputc('\n', f);
    verdict_line(f, r, "**", "**");
    for (size_t i = 0; i < r->warnings.n; i++)
        fprintf(f, "%s> warning: %s\n", i ? "" : "\n", r->warnings.msg[i]);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}
