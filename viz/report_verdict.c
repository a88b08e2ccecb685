/* report_verdict.c - what index.html says about the run: the verdict, the
 * warnings, what efficiency and the lower bound mean, speedups beyond the cores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxml/HTMLtree.h>

#include "html_build.h"
#include "jf_numfmt.h"
#include "report_parts.h"
#include "viz_internal.h"

#define TEXT_MAX 1024

/* "2.00 ± 0.28" (two decimals; the caller is in the C locale). */
static const char *ratio(char *buf, size_t size, const jf_viz_verdict_t *v)
{
    snprintf(buf, size, "%.2f \xc2\xb1 %.2f", v->ratio, v->ratio_sd);
    return buf;
}

/* "scheduled is 1.09 ± 0.03 × faster than tbb (...)", or why it cannot be said. */
static void verdict(xmlNodePtr body, const jf_viz_verdict_t *v, int *failed)
{
    xmlNodePtr p = jf__html_add(body, "p", "verdict", NULL, failed);
    char buf[TEXT_MAX], r[64];

    if (v->kind == JF_VIZ_VERDICT_NO_DIFFERENCE)
        jf__html_text(p, "No measurable difference between ", failed);
    jf__html_add(p, "b", NULL, v->fast, failed);
    if (v->kind == JF_VIZ_VERDICT_FASTER) {
        snprintf(buf, sizeof buf, " is %s\xc3\x97 faster than ", ratio(r, sizeof r, v));
    } else if (v->kind == JF_VIZ_VERDICT_NO_DIFFERENCE) {
        snprintf(buf, sizeof buf, " and ");
    } else {
        snprintf(buf, sizeof buf, " took %.2f\xc3\x97 less time than ", v->ratio);
    }
    jf__html_text(p, buf, failed);
    jf__html_add(p, "b", NULL, v->slow, failed);
    if (v->kind == JF_VIZ_VERDICT_FASTER)
        snprintf(buf, sizeof buf, " (mean wall times of %zu repetitions; \xc2\xb1 is the spread "
                 "of the ratio; their 95%% intervals do not overlap).", v->repeats);
    else if (v->kind == JF_VIZ_VERDICT_NO_DIFFERENCE)
        snprintf(buf, sizeof buf, ": the 95%% intervals of their mean wall times overlap "
                 "(ratio %s over %zu repetitions).", ratio(r, sizeof r, v), v->repeats);
    else
        snprintf(buf, sizeof buf, " in one repetition, which cannot measure spread: run "
                 "with --repeat 3 or more to know whether the difference is real.");
    jf__html_text(p, buf, failed);
}

static void warnings(xmlNodePtr body, const jf_viz_report_t *r, int *failed)
{
    xmlNodePtr ul;

    if (r->nwarnings == 0 || r->warnings == NULL)
        return;
    jf__html_add(body, "p", "warn", r->nwarnings == 1 ? "The run gave a warning:"
                                               : "The run gave warnings:", failed);
    ul = jf__html_add(body, "ul", "warnings", NULL, failed);
    for (size_t i = 0; i < r->nwarnings; i++)
        jf__html_add(ul, "li", NULL, r->warnings[i], failed);
}

/* Judged on the speedup as the table shows it (two decimals): 2.004 on 2
 * cores reads "2.00×" and is noise, not a claim to explain. */
int jf__viz_superlinear(const jf_viz_report_t *r, const jf_viz_run_t *run)
{
    char shown[JF_NUMFMT_MAX];

    return r->cores > 0 && jf_numfmt_fixed(shown, sizeof shown, run->speedup, 0, 2) != NULL &&
           strtod(shown, NULL) > (double)r->cores;
}

void jf__viz_html_verdict(xmlNodePtr body, const jf_viz_report_t *r, int *failed)
{
    if (r->verdict.kind != JF_VIZ_VERDICT_NONE && r->verdict.fast != NULL &&
        r->verdict.slow != NULL)
        verdict(body, &r->verdict, failed);
    warnings(body, r, failed);
}

void jf__viz_html_notes(xmlNodePtr body, const jf_viz_report_t *r, int *failed)
{
    char buf[TEXT_MAX], speedup[JF_NUMFMT_MAX];

    jf__html_add(body, "p", "how",
          "Lower bound: the shortest wall time physics allows, the stages' own CPU time "
          "spread over the cores the strategy can use and never less than the slowest "
          "item's path through the stages. Efficiency: the lower bound over the median wall "
          "time, so 100 % means the cores did nothing but the stages' work.", failed);
    for (size_t i = 0; i < r->nruns; i++) {
        const jf_viz_run_t *run = &r->runs[i];

        if (!jf__viz_superlinear(r, run) || run->strategy == NULL)
            continue;
        jf_numfmt_fixed(speedup, sizeof speedup, run->speedup, 0, 2);
        snprintf(buf, sizeof buf, "%s: a speedup of %s\xc3\x97 on %u core%s is more than the "
                 "cores can give (superlinear): the work itself got cheaper than under single, "
                 "e.g. because each core's private caches hold a part of the data, or single "
                 "was slowed by something else on the machine%s.", run->strategy, speedup,
                 r->cores, r->cores == 1 ? "" : "s",
                 run->threads > r->cores ? ", of which more threads than cores take a larger "
                                           "share" : "");
        jf__html_add(body, "p", "flag", buf, failed);
    }
}
