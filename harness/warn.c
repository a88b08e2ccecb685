/* warn.c - spread, outlier and oversubscription warnings. */
#include "warn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void jf_warnings_add(jf_warnings_t *w, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jf_diag_warn(msg);
    if (w->n < JF_WARNINGS_MAX && (w->msg[w->n] = strdup(msg)) != NULL)
        w->n++;
}

void jf_warnings_check_cores(jf_warnings_t *w, unsigned cores, unsigned machine_cores)
{
    if (cores > machine_cores)
        jf_warnings_add(w, "--cores %u exceeds the %u cores of this machine: threads share "
                        "cores, so the figures are not those of %u cores", cores,
                        machine_cores, cores);
}

void jf_warnings_check_set(jf_warnings_t *w, const jf_run_set_t *set)
{
    for (size_t i = 0; i < set->n; i++) {
        const jf_strategy_run_t *r = &set->runs[i];
        const char *name = jf_bench_strategy_name(r->strategy);
        size_t outliers = r->wall.outliers_low + r->wall.outliers_high;

        if (r->wall.cv > JF_WARN_CV)
            jf_warnings_add(w, "%s: wall time varies by %.1f%% between repetitions "
                            "(coefficient of variation over %.0f%%): close other programs "
                            "or raise --repeat", name, r->wall.cv * 100.0, JF_WARN_CV * 100.0);
        if (outliers > 0)
            jf_warnings_add(w, "%s: %zu of %zu repetitions are outliers (beyond 1.5 IQR "
                            "of the quartiles): something else ran; raise --warmup or "
                            "--repeat", name, outliers, r->wall.n);
    }
}

void jf_warnings_fini(jf_warnings_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->msg[i]);
    w->n = 0;
}
