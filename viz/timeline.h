/* timeline.h - index.html's interactive timelines: the embedded data and the page script. */
#ifndef JF_VIZ_TIMELINE_H
#define JF_VIZ_TIMELINE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "jefferson/trace.h"
#include "jf_viz_report.h"

/* A growing text; after the first failed allocation err is set and
 * appends do nothing. Free text with jf_free. */
typedef struct jf__tl_text {
    char *text;
    size_t len;
    size_t cap;
    int err;
} jf__tl_text_t;

/* Encodes the lossless timeline of one strategy as a JSON object (DESIGN.md,
 * "SVG timeline"; docs/results.md, "index.html timelines"):
 *
 *   {"strategy":S,"wall":NS,"stages":[names],"colours":["#rrggbb"],
 *    "lanes":[{"label":S,"b":BATCHES,"p":PARKS}],"moves":MOVES,
 *    "queues":[DEPTHS per stage]}
 *
 * BATCHES, PARKS, MOVES and DEPTHS are integers in base 36 (a leading '-'
 * when negative) separated by commas: per batch its start minus the end of
 * the lane's batch before (the first: its start), its length, stage and
 * items; per parked span the same start delta and its length; per
 * scheduler move (a decision whose stage differs from where the worker
 * came from) its time minus the move before; per queue-depth sample of a
 * stage, in time order over all lanes, its time minus the sample before and
 * the depth. Times are nanoseconds from the start of the run, exact, so
 * the page draws every batch where it was. The text is ASCII without '<',
 * '>' or '&', so it sits inside a <script> element as it is. Returns 0 or
 * JF_ENOMEM (out->err). */
int jf__tl_encode(const jf_trace_t *trace, const char *strategy, jf__tl_text_t *out);

/* Adds under parent the timeline of run (index i of the report): a
 * placeholder the page script draws into and the run's data in a
 * <script type="application/json">. Returns 0 or JF_ENOMEM. */
int jf__tl_embed(xmlNodePtr parent, const jf_viz_run_t *run, size_t i);

/* Adds under parent the place of the controls shared by every timeline
 * (links, axis, legend, how to navigate: the script fills it in). Returns 0
 * or JF_ENOMEM. */
int jf__tl_controls(xmlNodePtr parent);

/* Adds under parent the style sheet and the script that draws every
 * timeline. Returns 0 or JF_ENOMEM. */
int jf__tl_script(xmlNodePtr parent);

/* The page script and style sheet, made by the Makefile (mk/cstring.sh)
 * from viz/timeline_decode.js, timeline_draw.js, timeline.js and
 * timeline.css. */
extern const char jf__tl_js[];
extern const char jf__tl_css[];

#endif /* JF_VIZ_TIMELINE_H */
