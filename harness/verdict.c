/* verdict.c - hyperfine's "A is 1.09 ± 0.03 times faster than B", only when measurable. */
#include "verdict.h"

#include <math.h>
#include <stdlib.h>

#include "jefferson/error.h"
#include "stats.h"

/* Indices of the lowest and second-lowest mean among the runs with samples
 * (n when there is none). */
static void two_fastest(const bench_verdict_run_t *runs, size_t n, const bench_stats_t *st,
                        size_t *fast, size_t *slow)
{
    *fast = *slow = n;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].n == 0 || !(st[i].mean > 0))
            continue;
        if (*fast == n || st[i].mean < st[*fast].mean) {
            *slow = *fast;
            *fast = i;
        } else if (*slow == n || st[i].mean < st[*slow].mean) {
            *slow = i;
        }
    }
}

static void judge(const bench_stats_t *f, const bench_stats_t *s, jf_viz_verdict_t *out)
{
    double rf = f->stddev / f->mean, rs = s->stddev / s->mean;

    out->ratio = s->mean / f->mean;
    out->ratio_sd = out->ratio * sqrt(rf * rf + rs * rs);
    out->repeats = f->n < s->n ? f->n : s->n;
    if (!f->has_ci || !s->has_ci)
        out->kind = JF_VIZ_VERDICT_ONE_REPETITION;
    else if (f->ci95_high < s->ci95_low)
        out->kind = JF_VIZ_VERDICT_FASTER;
    else
        out->kind = JF_VIZ_VERDICT_NO_DIFFERENCE;
}

int bench_verdict_compute(const bench_verdict_run_t *runs, size_t n, jf_viz_verdict_t *out)
{
    bench_stats_t *st = n > 0 ? calloc(n, sizeof *st) : NULL;
    size_t fast, slow;
    int err = 0;

    *out = (jf_viz_verdict_t){.kind = JF_VIZ_VERDICT_NONE};
    if (n > 0 && st == NULL)
        return JF_ENOMEM;
    for (size_t i = 0; i < n && err == 0; i++)
        if (runs[i].n > 0 && runs[i].samples_ns != NULL)
            err = bench_stats_compute(runs[i].samples_ns, runs[i].n, &st[i]);
    if (err == 0) {
        two_fastest(runs, n, st, &fast, &slow);
        if (slow < n) {
            out->fast = runs[fast].strategy;
            out->slow = runs[slow].strategy;
            judge(&st[fast], &st[slow], out);
        }
    }
    free(st);
    return err;
}
