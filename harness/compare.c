/* compare.c - judge each strategy: U test and interval on wall times, exact sim metrics. */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jefferson/error.h"

void bench_cmp_options_default(bench_cmp_options_t *opt)
{
    opt->threshold = 0.10;
    opt->alpha = BENCH_CMP_ALPHA;
    opt->det_tolerance = BENCH_CMP_DET_TOLERANCE;
}

/* Relative change of a deterministic figure; NAN when either is unknown. */
static double rel(double base, double head)
{
    if (!isfinite(base) || !isfinite(head))
        return NAN;
    if (base == 0)
        return head == 0 ? 0 : INFINITY;
    return head / base - 1;
}

static bool beyond(double d, double tol)
{
    return isfinite(d) ? fabs(d) > tol : isinf(d);
}

/* Simulated results repeat exactly: their wall times need no test, but
 * any change of the simulated makespan, decisions or reallocations is a
 * change of the code's behaviour. */
static void judge_det(const bench_cmp_series_t *b, const bench_cmp_series_t *h,
                      const bench_cmp_options_t *opt, bench_cmp_row_t *row)
{
    row->det = true;
    row->d_makespan = rel(b->median_ns, h->median_ns);
    row->d_decisions = rel(b->decisions, h->decisions);
    row->d_reallocations = rel(b->reallocations, h->reallocations);
    row->det_changed = beyond(row->d_makespan, opt->det_tolerance) ||
                       beyond(row->d_decisions, opt->det_tolerance) ||
                       beyond(row->d_reallocations, opt->det_tolerance);
}

static int judge_wall(const bench_cmp_series_t *b, const bench_cmp_series_t *h,
                      const bench_cmp_options_t *opt, bench_cmp_row_t *row)
{
    double est, lo, hi;
    int rc = bench_mwu_test(b->samples, b->n, h->samples, h->n, &row->mwu);

    if (rc)
        return rc;
    rc = bench_hl_ratio(b->samples, b->n, h->samples, h->n, BENCH_CMP_CONF, &est, &lo, &hi,
                     &row->ci_level);
    if (rc == JF_ENOMEM)
        return rc;
    row->has_ci = rc == 0;
    if (row->has_ci) {
        row->hl = est - 1;
        row->ci_low = lo - 1;
        row->ci_high = hi - 1;
    }
    if (row->mwu.min_p >= opt->alpha)
        row->wall = BENCH_CMP_WALL_UNDECIDABLE;
    else if (row->mwu.p >= opt->alpha)
        row->wall = BENCH_CMP_WALL_NOISE;
    else if (row->change > opt->threshold)
        row->wall = JF_CMP_WALL_SLOWER;
    else if (row->change < -opt->threshold)
        row->wall = BENCH_CMP_WALL_FASTER;
    else
        row->wall = BENCH_CMP_WALL_SMALL;
    return 0;
}

int bench_cmp_judge(const bench_cmp_series_t *b, const bench_cmp_series_t *h, bool sim,
                 const bench_cmp_options_t *opt, bench_cmp_row_t *row)
{
    memset(row, 0, sizeof *row);
    row->base = b;
    row->head = h;
    row->change = b->median_ns > 0 ? h->median_ns / b->median_ns - 1 : 0;
    row->d_makespan = row->d_decisions = row->d_reallocations = NAN;
    if (sim)
        judge_det(b, h, opt, row);
    else if (judge_wall(b, h, opt, row) != 0)
        return JF_ENOMEM;
    row->regression = row->wall == JF_CMP_WALL_SLOWER || row->det_changed;
    return 0;
}

static const bench_cmp_series_t *find(const bench_cmp_doc_t *d, const char *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->series[i].key, key) == 0)
            return &d->series[i];
    return NULL;
}

static void warn_docs(bench_cmp_report_t *r)
{
    const bench_cmp_doc_t *b = r->base, *h = r->head;

    for (int i = 0; i < 2; i++)
        if ((i ? h : b)->interrupted)
            bench_warnings_add(&r->warnings, "%s (%s) was interrupted: it holds only the "
                            "repetitions that finished", i ? "NEW" : "BASE", (i ? h : b)->path);
    if (!b->sim && b->host && h->host &&
        (strcmp(b->host, h->host) != 0 || (b->cpu && h->cpu && strcmp(b->cpu, h->cpu) != 0)))
        bench_warnings_add(&r->warnings, "BASE was measured on %s (%s), NEW on %s (%s): wall times "
                        "of different machines differ for more reasons than the code", b->host,
                        b->cpu ? b->cpu : "?", h->host, h->cpu ? h->cpu : "?");
    for (size_t i = 0; i < b->n; i++)
        if (!find(h, b->series[i].key))
            bench_warnings_add(&r->warnings, "%s: only in BASE, not compared", b->series[i].key);
    for (size_t i = 0; i < h->n; i++)
        if (!find(b, h->series[i].key))
            bench_warnings_add(&r->warnings, "%s: only in NEW, not compared", h->series[i].key);
}

static void warn_row(bench_cmp_report_t *r, const bench_cmp_row_t *row)
{
    if (row->wall == BENCH_CMP_WALL_UNDECIDABLE)
        bench_warnings_add(&r->warnings, "%s: %zu and %zu repetitions cannot show a significant "
                        "change (the smallest possible p is %.2f); use --repeat 4 or more on "
                        "both sides", row->head->key, row->base->n, row->head->n,
                        row->mwu.min_p);
}

int bench_cmp_report_build(const bench_cmp_doc_t *base, const bench_cmp_doc_t *head,
                        const bench_cmp_options_t *opt, bench_cmp_report_t *r)
{
    memset(r, 0, sizeof *r);
    r->base = base;
    r->head = head;
    r->opt = *opt;
    r->rows = calloc(head->n + 1, sizeof *r->rows);
    if (!r->rows)
        return JF_ENOMEM;
    warn_docs(r);
    for (size_t i = 0; i < head->n; i++) {
        const bench_cmp_series_t *b = find(base, head->series[i].key);
        if (!b)
            continue;
        if (bench_cmp_judge(b, &head->series[i], head->sim, opt, &r->rows[r->n]) != 0)
            return JF_ENOMEM;
        warn_row(r, &r->rows[r->n++]);
    }
    bench_cmp_report_recount(r);
    return 0;
}

void bench_cmp_report_recount(bench_cmp_report_t *r)
{
    r->regressions = 0;
    for (size_t i = 0; i < r->n; i++)
        r->regressions += r->rows[i].regression;
}

void bench_cmp_report_fini(bench_cmp_report_t *r)
{
    free(r->rows);
    bench_warnings_fini(&r->warnings);
    memset(r, 0, sizeof *r);
}
