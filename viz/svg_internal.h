/* svg_internal.h - state shared by the parts of the SVG timeline writer (svg_*.c). */
#ifndef JF_SVG_INTERNAL_H
#define JF_SVG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlwriter.h>

#include "jefferson/render.h"

/* Geometry in px. Lanes leave a gap above them for the decision ticks. */
#define JF__SVG_WIDTH 1600.0
#define JF__SVG_RIGHT 28.0      /* margin right of the plot */
#define JF__SVG_LEGEND_RIGHT 800.0 /* legend entries end left of this */
#define JF__SVG_ALLOC_H 96.0    /* workers-per-stage chart */
#define JF__SVG_LANE_GAP 9.0   /* above each lane, where the decision ticks go */
#define JF__SVG_QUEUE_H 40.0
#define JF__SVG_QUEUE_PITCH 50.0
#define JF__SVG_NAME_MAX 48     /* bytes of a stage name kept for labels */
#define JF__SVG_PALETTE 24      /* stage colours; beyond them, the same hues hatched */
#define JF__SVG_OFF_CPU "#1a1a1a" /* stripes of a preempted batch (index.html's OFF_CPU) */
#define JF__SVG_ON_CPU 0.8      /* a sampled batch on a CPU under this share is preempted */
#define JF__SVG_HATCHES 2       /* hatch directions after the plain colours: 72 stages */

/* Queue depth samples of one stage that fall into one chart column. */
typedef struct jf__svg_qcol {
    uint64_t t_first; /* UINT64_MAX: no sample in this column */
    uint64_t t_last;
    uint32_t first;
    uint32_t last;
    uint32_t min;
    uint32_t max;
} jf__svg_qcol_t;

/* One SVG being written. Geometry and chart data are set up by
 * jf__svg_layout and jf__svg_prepare before anything is written. */
typedef struct jf__svg {
    xmlTextWriterPtr w;
    int err;                  /* first error; every write after it is skipped */
    const jf_trace_t *trace;
    const jf_viz_meta_t *meta;
    size_t nstages;           /* the trace's; other stage numbers are drawn grey */
    size_t nqueues;           /* queue-depth charts: nstages, or 0 when the trace
                                 records no depths (the oneTBB peer has no queues) */
    char (*names)[JF__SVG_NAME_MAX]; /* cleaned stage names, for labels */

    double left;              /* x of the plot area */
    double plot_w;
    double height;
    double legend_y;          /* top of each section */
    double legend_h;
    double alloc_y;
    double lanes_y;
    double queue_y;
    double lane_h;            /* lanes are taller when there are few */
    double axis_y;

    uint64_t wall;            /* the time axis spans [0, wall] */
    uint64_t end;             /* the run ends here (<= wall): open spans close at it */
    double px_per_ns;
    double grain_ns;          /* level of detail: spans closer or narrower merge */

    uint64_t batches;         /* over all lanes */
    size_t ncols;             /* chart columns across the plot */
    size_t ncols_run;         /* of them, those up to the end of the run (>= 1) */
    double *busy;             /* [stage * ncols + col]: workers on stage, averaged */
    jf__svg_qcol_t *queue;    /* [stage * ncols + col] */
    uint32_t *qmax;           /* per stage: deepest queue, the top of its chart */
    double *cum;              /* ncols scratch sums for stacking the chart */
    double *share;            /* nstages + 1 scratch sums for merged blocks */
} jf__svg_t;

/* svg.c: the width of the label column the trace needs (*label_w) and the
 * height of the timeline jf_viz_write_svg would write with meta (*height;
 * its width is JF__SVG_WIDTH), either may be NULL. Returns 0 or JF_ENOMEM. */
int jf__svg_measure(const jf_trace_t *trace, const jf_viz_meta_t *meta, double *label_w,
                    double *height);

/* svg_xml.c: writes a document to the file tmp with a fresh writer in a
 * zeroed *s: opens tmp, calls draw(s, arg), flushes and closes it. For the
 * SVGs that need no state beyond the writer (trend, scaling). Returns 0,
 * JF_EIO (open, write or close failed, or s->err) or JF_ENOMEM. */
int jf__svg_write_file(const char *tmp, void (*draw)(jf__svg_t *s, const void *arg),
                       const void *arg);

/* svg_xml.c: checked xmlTextWriter calls; after the first failure s->err is
 * set to JF_EIO and the calls do nothing. */
void jf__svg_start(jf__svg_t *s, const char *element);
void jf__svg_end(jf__svg_t *s);
void jf__svg_attr(jf__svg_t *s, const char *name, const char *value);
void jf__svg_attr_int(jf__svg_t *s, const char *name, int64_t value);
void jf__svg_attr_px(jf__svg_t *s, const char *name, double px);     /* 2 decimals */
void jf__svg_attr_centi(jf__svg_t *s, const char *name, int64_t centi); /* centi / 100 */
void jf__svg_text(jf__svg_t *s, const char *text);
void jf__svg_title(jf__svg_t *s, const char *text); /* <title>text</title> */
void jf__svg_cdata(jf__svg_t *s, const char *text);
/* A path's d attribute, streamed: begin, commands (1 decimal), end. */
void jf__svg_path_begin(jf__svg_t *s);
void jf__svg_path_cmd(jf__svg_t *s, char cmd, double v);
void jf__svg_path_raw(jf__svg_t *s, const char *text);
void jf__svg_path_end(jf__svg_t *s);
/* <text class=.. x=.. y=..>text</text>; anchor NULL for the default. */
void jf__svg_label(jf__svg_t *s, const char *cls, double x, double y, const char *anchor,
                   const char *text);

/* svg_scale.c: geometry, time scale, ticks, colours. jf__svg_label_w is
 * the width the label column needs (s->names set). */
double jf__svg_label_w(const jf__svg_t *s);
void jf__svg_layout(jf__svg_t *s);
double jf__svg_text_w(const char *text); /* estimated width at the label font size */
/* Writes a lane's label ("w3 core 1", "w0 core 0 · parse") into buf. */
char *jf__svg_lane_label(const jf__svg_t *s, size_t lane, char *buf, size_t size);
double jf__svg_x(const jf__svg_t *s, uint64_t t_ns);
uint64_t jf__svg_tick_step(uint64_t span_ns, double plot_w);
char *jf__svg_tick_label(char *buf, size_t size, uint64_t t_ns, uint64_t step, uint64_t end_ns);
const char *jf__svg_colour(unsigned stage);
/* svg_script.c: <pattern>s of the hatched stage colours (stages from
 * JF__SVG_PALETTE on), to be written inside <defs>. */
void jf__svg_write_hatches(jf__svg_t *s);
/* The pattern "jf-off" that stripes a preempted batch, inside <defs>. */
void jf__svg_write_off_cpu(jf__svg_t *s);
/* Writes the CSS class of a stage's colour ("s3", "sx") into buf. */
char *jf__svg_stage_class(const jf__svg_t *s, unsigned stage, char *buf, size_t size);

/* svg_charts.c: chart data, then the charts. jf__svg_prepare returns 0 or
 * JF_ENOMEM; jf__svg_release frees what it allocated. */
int jf__svg_prepare(jf__svg_t *s);
void jf__svg_release(jf__svg_t *s);
void jf__svg_write_alloc(jf__svg_t *s);
void jf__svg_write_queues(jf__svg_t *s);
void jf__svg_write_chart_labels(jf__svg_t *s);

/* svg_lanes.c: one group per worker, with its labels. */
void jf__svg_write_lanes(jf__svg_t *s);
void jf__svg_write_lane_labels(jf__svg_t *s);

/* svg_axis.c: time axis, grid, section frames and the legend. The legend
 * wraps to rows: jf__svg_legend returns its height, and writes it only when
 * write is set, so the layout can ask before anything is written. */
void jf__svg_write_frames(jf__svg_t *s);
void jf__svg_write_grid(jf__svg_t *s);
void jf__svg_write_axis(jf__svg_t *s);
void jf__svg_write_after_end(jf__svg_t *s);
double jf__svg_legend(jf__svg_t *s, int write);

/* svg_script.c: the style sheet and the zoom script. */
void jf__svg_write_style(jf__svg_t *s);
void jf__svg_write_script(jf__svg_t *s);

#endif /* JF_SVG_INTERNAL_H */
