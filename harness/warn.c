/* warn.c - spread, outlier and oversubscription warnings. */
#include "warn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "output.h"

void bench_warnings_add(bench_warnings_t *w, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bench_diag_warn(msg);
    if (w->n < BENCH_WARNINGS_MAX && (w->msg[w->n] = strdup(msg)) != NULL)
        w->n++;
}

void bench_warnings_check_cores(bench_warnings_t *w, unsigned cores, unsigned machine_cores)
{
    if (cores > machine_cores)
        bench_warnings_add(w, "--cores %u exceeds the %u core%s of this machine: threads share "
                        "cores, so the figures are not those of %u cores", cores,
                        machine_cores, machine_cores == 1 ? "" : "s", cores);
}

/* Efficiency above 100% means the lower bound was too high, not that the
 * run beat physics: the bound's kernel time is the smaller of the
 * strategy's own and single's, and both can run slower than the kernels do
 * with cores to themselves (single runs every stage on one core, so each
 * stage finds its data evicted from the private caches by the others). */
static void check_efficiency(bench_warnings_t *w, const char *name, double efficiency)
{
    char shown[80];

    bench_output_figure(shown, sizeof shown, efficiency, 2, 1, "%", "");
    if (shown[0] == '\0' || strtod(shown, NULL) <= 100.0)
        return;
    bench_warnings_add(w, "%s: efficiency %s is over 100%%: the lower bound's kernel time was "
                    "measured slower than this run's kernels ran, likely because single runs "
                    "every stage on one core and here each stage has a core's private caches "
                    "to itself (or other programs slowed the measurement); compare "
                    "efficiencies only with each other", name, shown);
}

void bench_warnings_check_set(bench_warnings_t *w, const bench_run_set_t *set)
{
    for (size_t i = 0; i < set->n; i++) {
        const bench_strategy_run_t *r = &set->runs[i];
        const char *name = bench_strategy_name(r->strategy);
        size_t outliers = r->wall.outliers_low + r->wall.outliers_high;
        char cv[80];

        if (r->wall.cv > BENCH_WARN_CV)
            bench_warnings_add(w, "%s: wall time varies by %s between repetitions "
                            "(coefficient of variation over %.0f%%): close other programs "
                            "or raise --repeat", name,
                            bench_output_figure(cv, sizeof cv, r->wall.cv, 2, 1, "%", "-"),
                            BENCH_WARN_CV * 100.0);
        if (outliers > 0)
            bench_warnings_add(w, "%s: %zu of %zu repetitions %s (beyond 1.5 IQR "
                            "of the quartiles): something else ran; raise --warmup or "
                            "--repeat", name, outliers, r->wall.n,
                            outliers == 1 ? "is an outlier" : "are outliers");
        check_efficiency(w, name, r->efficiency);
    }
}

void bench_warnings_fini(bench_warnings_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->msg[i]);
    w->n = 0;
}
