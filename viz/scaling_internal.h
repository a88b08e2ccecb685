/* scaling_internal.h - what the scaling plot and its page share; not part of the public API. */
#ifndef JF_SCALING_INTERNAL_H
#define JF_SCALING_INTERNAL_H

#include "jf_viz_report.h"

/* The size of scaling.svg in px, so the page can reserve its box. */
#define JF__SCALING_W 1240.0
#define JF__SCALING_H 582.0

/* 0 when s can be drawn: at least one count, counts increasing from 1,
 * every series' points at increasing counts within them; else JF_EINVAL. */
int jf__viz_scaling_check(const jf_viz_scaling_t *s);

/* Writes "from 1 to 1024 cores", or "at 4 cores" for one count, into buf. */
char *jf__viz_scaling_span(const jf_viz_scaling_t *s, char *buf, size_t size);

#endif /* JF_SCALING_INTERNAL_H */
