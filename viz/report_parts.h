/* report_verdict.h - the parts of index.html that judge the run (report_verdict.c). */
#ifndef JF_REPORT_VERDICT_H
#define JF_REPORT_VERDICT_H

#include <libxml/tree.h>

#include "jf_viz_report.h"

/* report_verdict.c: what the page says about the run. */

/* Appends to body the verdict sentence (none for kind NONE) and the run's
 * warnings. Numbers are formatted in the caller's locale (C expected). On
 * an allocation failure sets *failed; does nothing once it is set. */
void jf__viz_html_verdict(xmlNodePtr body, const jf_viz_report_t *r, int *failed);

/* Appends what the lower bound and efficiency mean, and a warning per
 * strategy whose speedup exceeds the cores, with the likely reasons. */
void jf__viz_html_notes(xmlNodePtr body, const jf_viz_report_t *r, int *failed);

/* Whether run's speedup, to two decimals, is above the run's core count. */
int jf__viz_superlinear(const jf_viz_report_t *r, const jf_viz_run_t *run);

/* report_chart.c: appends, when runs have samples, a compact chart of
 * every strategy's wall times on one scale from 0: a dot per repetition,
 * a line from the fastest to the slowest, a bar and the value at the
 * median, the repetitions in each row's tooltip. */
void jf__viz_html_chart(xmlNodePtr body, const jf_viz_report_t *r, int *failed);

/* report_why.c: appends under parent where each worker's time went in
 * trace t (stages, deciding, waiting, parked, off a CPU): all workers as
 * one bar, then each worker's, after a paragraph saying how to read them
 * when `explained` (the page's first). Does nothing for a NULL or empty
 * trace. */
void jf__viz_html_why(xmlNodePtr parent, const jf_trace_t *t, int explained, int *failed);

#endif /* JF_REPORT_PARTS_H */
