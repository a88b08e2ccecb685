/* svg.c - jf_viz_write_svg: the document around the parts of an SVG timeline. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "jf_numfmt.h"
#include "svg_internal.h"
#include "viz_internal.h"

/* The file under the writer: a write error is remembered here, because
 * xmlFreeTextWriter drops the result of its last flush. */
typedef struct sink {
    FILE *f;
    int failed;
} sink_t;

static int sink_write(void *ctx, const char *buf, int len)
{
    sink_t *k = ctx;

    if (fwrite(buf, 1, (size_t)len, k->f) != (size_t)len) {
        k->failed = 1;
        return -1;
    }
    return len;
}

static int sink_close(void *ctx)
{
    (void)ctx; /* the FILE is closed by write_file, which checks the result */
    return 0;
}

/* libxml2 reports I/O errors on stderr by default; only harness/ prints. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

#if LIBXML_VERSION >= 21200
static void quiet_structured(void *ctx, const xmlError *error)
#else
static void quiet_structured(void *ctx, xmlErrorPtr error)
#endif
{
    (void)ctx;
    (void)error;
}

/* The run ends at its wall time; a trace without one ends at its last
 * event, and an empty one lasts 1 ns so the scale stays finite. */
static uint64_t run_end(const jf_trace_t *trace)
{
    uint64_t end = 0;

    if (trace->wall_ns > 0)
        return trace->wall_ns;
    for (size_t i = 0; i < trace->nlanes; i++)
        for (size_t k = 0; k < trace->lanes[i].count; k++)
            if (trace->lanes[i].events[k].t_ns > end)
                end = trace->lanes[i].events[k].t_ns;
    return end ? end : 1;
}

/* Cleaned stage names for the labels. Returns 0 or JF_ENOMEM. */
static int setup_names(jf__svg_t *s)
{
    char buf[32];

    s->nstages = s->trace->nstages;
    s->names = jf_calloc(s->nstages ? s->nstages : 1, sizeof *s->names);
    if (s->names == NULL)
        return JF_ENOMEM;
    for (size_t i = 0; i < s->nstages; i++)
        jf__viz_clean(s->names[i], sizeof s->names[i],
                      jf__viz_stage_name(s->trace, (unsigned)i, buf, sizeof buf));
    return 0;
}

/* The run's end, the axis (meta->axis_ns when longer), the layout and the
 * chart data. Returns 0 or JF_ENOMEM. */
static int setup(jf__svg_t *s)
{
    int err = setup_names(s);

    if (err != 0)
        return err;
    s->end = run_end(s->trace);
    s->wall = s->meta != NULL && s->meta->axis_ns > s->end ? s->meta->axis_ns : s->end;
    jf__svg_layout(s);
    return jf__svg_prepare(s);
}

int jf__svg_measure(const jf_trace_t *trace, const jf_viz_meta_t *meta, double *label_w,
                    double *height)
{
    jf__svg_t s = {.trace = trace, .meta = meta};
    int err = setup_names(&s);

    if (err == 0) {
        s.end = run_end(trace);
        s.wall = meta != NULL && meta->axis_ns > s.end ? meta->axis_ns : s.end;
        jf__svg_layout(&s);
        if (label_w != NULL)
            *label_w = jf__svg_label_w(&s);
        if (height != NULL)
            *height = s.height;
    }
    jf_free(s.names);
    return err;
}

double jf_viz_svg_label_px(const jf_trace_t *trace)
{
    double w = 380; /* the widest column, when out of memory */

    if (trace != NULL)
        jf__svg_measure(trace, NULL, &w, NULL);
    return w;
}

/* Appends to the string in buf, cutting it at size. */
static void appendf(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* "bottleneck  scheduled · dhondt · 2 cores · wall 12.3 ms · efficiency 84.2 %" */
static void write_title(jf__svg_t *s)
{
    const jf_viz_meta_t *m = s->meta;
    uint64_t wall = m != NULL && m->wall_ns ? m->wall_ns : s->trace->wall_ns;
    uint64_t dropped = jf_trace_dropped(s->trace);
    char text[400] = "", clean[3][96], num[JF_NUMFMT_MAX];

    jf__viz_clean(clean[0], sizeof clean[0], m && m->workload ? m->workload : "trace");
    jf__viz_clean(clean[1], sizeof clean[1], m && m->strategy ? m->strategy : "");
    jf__viz_clean(clean[2], sizeof clean[2], m && m->policy ? m->policy : "");
    appendf(text, sizeof text, "  %s", clean[1]);
    if (clean[2][0] != '\0')
        appendf(text, sizeof text, " \xc2\xb7 %s", clean[2]);
    if (m != NULL && m->cores > 0)
        appendf(text, sizeof text, " \xc2\xb7 %u core%s", m->cores, m->cores == 1 ? "" : "s");
    appendf(text, sizeof text, " \xc2\xb7 wall %s ms",
            jf__viz_fixed(num, sizeof num, (int64_t)((wall + 500) / 1000), 3, 1));
    if (m != NULL && m->efficiency >= 0 &&
        jf_numfmt_fixed(num, sizeof num, m->efficiency, 2, 1) != NULL)
        appendf(text, sizeof text, " \xc2\xb7 efficiency %s %%", num);
    /* No indentation inside: a newline between tspans would show as a space. */
    xmlTextWriterSetIndent(s->w, 0);
    jf__svg_start(s, "text");
    jf__svg_attr(s, "class", "title");
    jf__svg_attr(s, "x", "12");
    jf__svg_attr(s, "y", "26");
    jf__svg_start(s, "tspan");
    jf__svg_attr(s, "class", "wl");
    jf__svg_text(s, clean[0]);
    jf__svg_end(s);
    jf__svg_text(s, text);
    if (dropped > 0) {
        snprintf(text, sizeof text, " \xc2\xb7 trace incomplete: %llu events dropped",
                 (unsigned long long)dropped);
        jf__svg_start(s, "tspan");
        jf__svg_attr(s, "class", "warn");
        jf__svg_text(s, text);
        jf__svg_end(s);
    }
    jf__svg_end(s);
    xmlTextWriterSetIndent(s->w, 1);
}

static void write_button(jf__svg_t *s)
{
    double x = JF__SVG_WIDTH - JF__SVG_RIGHT - 84;

    jf__svg_start(s, "g");
    jf__svg_attr(s, "id", "reset");
    jf__svg_attr(s, "class", "button");
    jf__svg_attr(s, "visibility", "hidden");
    jf__svg_start(s, "rect");
    jf__svg_attr_px(s, "x", x);
    jf__svg_attr(s, "y", "10");
    jf__svg_attr(s, "width", "84");
    jf__svg_attr(s, "height", "22");
    jf__svg_attr(s, "rx", "4");
    jf__svg_end(s);
    jf__svg_label(s, NULL, x + 42, 25, "middle", "reset zoom");
    jf__svg_end(s);
}

static void write_clip(jf__svg_t *s)
{
    jf__svg_start(s, "defs");
    jf__svg_write_hatches(s);
    jf__svg_write_off_cpu(s);
    jf__svg_start(s, "clipPath");
    jf__svg_attr(s, "id", "jf-clip");
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "x", "0");
    jf__svg_attr(s, "y", "0");
    jf__svg_attr_px(s, "width", s->plot_w);
    jf__svg_attr_px(s, "height", s->height);
    jf__svg_end(s);
    jf__svg_end(s);
    jf__svg_end(s);
}

/* The plot area, in plot coordinates (x = 0 at time 0). Only #zoom is
 * scaled by the script; #grid and #axis are redrawn for the zoomed range. */
static void write_plot(jf__svg_t *s)
{
    char buf[48], num[32];

    snprintf(buf, sizeof buf, "translate(%s,0)",
             jf__viz_fixed(num, sizeof num, llround(s->left * 100), 2, 1));
    jf__svg_start(s, "g");
    jf__svg_attr(s, "id", "plot");
    jf__svg_attr(s, "transform", buf);
    jf__svg_attr_px(s, "data-width", s->plot_w);
    jf__svg_attr_int(s, "data-wall", (int64_t)s->wall);
    jf__svg_attr_px(s, "data-top", s->alloc_y);
    jf__svg_attr_px(s, "data-axis", s->axis_y);
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "id", "hit");
    jf__svg_attr(s, "x", "0");
    jf__svg_attr_px(s, "y", s->alloc_y);
    jf__svg_attr_px(s, "width", s->plot_w);
    jf__svg_attr_px(s, "height", s->axis_y - s->alloc_y);
    jf__svg_end(s);
    jf__svg_write_frames(s);
    jf__svg_write_grid(s);
    jf__svg_start(s, "g");
    jf__svg_attr(s, "clip-path", "url(#jf-clip)");
    jf__svg_start(s, "g");
    jf__svg_attr(s, "id", "zoom");
    jf__svg_write_after_end(s);
    jf__svg_write_alloc(s);
    jf__svg_write_lanes(s);
    jf__svg_write_queues(s);
    jf__svg_end(s);
    jf__svg_end(s);
    jf__svg_write_axis(s);
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "id", "sel");
    jf__svg_attr(s, "visibility", "hidden");
    jf__svg_attr(s, "x", "0");
    jf__svg_attr_px(s, "y", s->alloc_y);
    jf__svg_attr(s, "width", "0");
    jf__svg_attr_px(s, "height", s->axis_y - s->alloc_y);
    jf__svg_end(s);
    jf__svg_end(s);
}

static void write_document(jf__svg_t *s)
{
    char box[64], h[32];

    if (s->err == 0 && xmlTextWriterStartDocument(s->w, NULL, "UTF-8", NULL) < 0)
        s->err = JF_EIO;
    jf__svg_start(s, "svg");
    jf__svg_attr(s, "xmlns", "http://www.w3.org/2000/svg");
    jf__svg_attr(s, "version", "1.1");
    jf__svg_attr_px(s, "width", JF__SVG_WIDTH);
    jf__svg_attr_px(s, "height", s->height);
    snprintf(box, sizeof box, "0 0 %d %s", (int)JF__SVG_WIDTH,
             jf__viz_fixed(h, sizeof h, llround(s->height * 100), 2, 1));
    jf__svg_attr(s, "viewBox", box);
    jf__svg_attr(s, "class", "jf-timeline");
    jf__svg_write_style(s);
    write_clip(s);
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "class", "page");
    jf__svg_attr(s, "width", "100%");
    jf__svg_attr(s, "height", "100%");
    jf__svg_end(s);
    write_title(s);
    write_button(s);
    jf__svg_legend(s, 1);
    jf__svg_write_chart_labels(s);
    jf__svg_write_lane_labels(s);
    write_plot(s);
    jf__svg_label(s, "hint", s->left, s->axis_y + 44, NULL,
                  "drag to zoom in \xc2\xb7 click the time axis to zoom into one tick "
                  "\xc2\xb7 Esc or \xe2\x80\x9creset zoom\xe2\x80\x9d to zoom out \xc2\xb7 "
                  "hover for details");
    jf__svg_write_script(s);
    jf__svg_end(s);
    if (s->err == 0 && xmlTextWriterEndDocument(s->w) < 0)
        s->err = JF_EIO;
}

/* Streams the document into tmp through our own FILE, so that opening and
 * closing errors are ours to report and libxml2 prints nothing. */
static int write_file(jf__svg_t *s, const char *tmp)
{
    sink_t sink = {fopen(tmp, "wb"), 0};
    xmlOutputBufferPtr out;

    if (sink.f == NULL)
        return JF_EIO;
    out = xmlOutputBufferCreateIO(sink_write, sink_close, &sink, NULL);
    s->w = out != NULL ? xmlNewTextWriter(out) : NULL;
    if (s->w == NULL) {
        if (out != NULL)
            xmlOutputBufferClose(out);
        fclose(sink.f);
        return JF_ENOMEM;
    }
    xmlTextWriterSetIndent(s->w, 1);
    xmlTextWriterSetIndentString(s->w, BAD_CAST "");
    write_document(s);
    xmlFreeTextWriter(s->w); /* flushes and closes out */
    s->w = NULL;
    if (sink.failed && s->err == 0)
        s->err = JF_EIO;
    if (fclose(sink.f) != 0 && s->err == 0)
        s->err = JF_EIO;
    return s->err;
}

int jf_viz_write_svg(const jf_trace_t *trace, const jf_viz_meta_t *meta, const char *path)
{
    jf__svg_t s = {.trace = trace, .meta = meta};
    xmlGenericErrorFunc generic = xmlGenericError;
    void *generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc structured = xmlStructuredError;
    void *structured_ctx = xmlStructuredErrorContext;
    jf__viz_locale_t loc;
    char *tmp = NULL;
    int err;

    if (trace == NULL || path == NULL)
        return JF_EINVAL;
    err = setup(&s);
    if (err == 0 && (tmp = jf__viz_tmp_path(path)) == NULL)
        err = JF_ENOMEM;
    if (err == 0 && (err = jf__viz_locale_enter(&loc)) == 0) {
        /* The handlers are per thread in libxml2; restored below. */
        xmlSetGenericErrorFunc(NULL, quiet);
        xmlSetStructuredErrorFunc(NULL, quiet_structured);
        err = jf__viz_commit(tmp, path, write_file(&s, tmp));
        xmlSetStructuredErrorFunc(structured_ctx, structured);
        xmlSetGenericErrorFunc(generic_ctx, generic);
        jf__viz_locale_leave(&loc);
    }
    jf_free(tmp);
    jf__svg_release(&s);
    jf_free(s.names);
    return err;
}
