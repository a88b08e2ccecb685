/* report.c - jf_viz_write_report: every timeline of a run on one scale, then index.html. */
#include "jf_viz_report.h"

#include <stdio.h>
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "svg_internal.h"
#include "viz_internal.h"

#define NAME_MAX_LEN 255
#define NEW ".new" /* suffix of a finished file waiting for the others */

/* The files of one report: final names and the staged ones. */
typedef struct staged {
    size_t n;
    char **final;  /* [n] */
    char **ready;  /* [n] final + NEW, or NULL when not written */
} staged_t;

int jf__viz_plain_name(const char *name)
{
    size_t len = name != NULL ? strlen(name) : 0;

    return len > 0 && len <= NAME_MAX_LEN && name[0] != '.' && strchr(name, '/') == NULL &&
           strchr(name, '\\') == NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n > k && strcmp(s + n - k, suffix) == 0;
}

static int has_timeline(const jf_viz_run_t *run)
{
    return run->trace != NULL && run->svg != NULL;
}

static int check(const jf_viz_report_t *r)
{
    if (r->nruns > 0 && r->runs == NULL)
        return JF_EINVAL;
    if (r->result_file != NULL && !jf__viz_plain_name(r->result_file))
        return JF_EINVAL;
    for (size_t i = 0; i < r->nruns; i++) {
        const jf_viz_run_t *run = &r->runs[i];

        if ((run->svg != NULL && !jf__viz_plain_name(run->svg)) ||
            (run->trace_file != NULL && !jf__viz_plain_name(run->trace_file)))
            return JF_EINVAL;
        if (run->svg != NULL && !ends_with(run->svg, ".svg"))
            return JF_EINVAL; /* never overwrite the result or a trace */
    }
    return 0;
}

/* "dir/name" + suffix, newly allocated, or NULL when out of memory. */
static char *join(const char *dir, const char *name, const char *suffix)
{
    size_t len = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *p = jf_calloc(len, 1);

    if (p != NULL)
        snprintf(p, len, "%s/%s%s", dir, name, suffix);
    return p;
}

/* The meta of every timeline: one axis (the longest run) and one label
 * column, so that the same time is the same width in each; then the
 * height of each. Returns 0 or JF_ENOMEM. */
static int common_scale(const jf_viz_report_t *r, jf_viz_meta_t *metas, double *heights)
{
    uint64_t axis = 0;
    double label = 0, w;
    int err = 0;

    for (size_t i = 0; i < r->nruns && err == 0; i++) {
        const jf_viz_run_t *run = &r->runs[i];

        if (!has_timeline(run))
            continue;
        axis = run->trace->wall_ns > axis ? run->trace->wall_ns : axis;
        err = jf__svg_measure(run->trace, NULL, &w, NULL);
        label = w > label ? w : label;
    }
    for (size_t i = 0; i < r->nruns; i++)
        metas[i] = (jf_viz_meta_t){
            .workload = r->workload, .strategy = r->runs[i].strategy,
            .policy = r->runs[i].policy, .cores = r->cores,
            .wall_ns = r->runs[i].trace != NULL ? r->runs[i].trace->wall_ns : 0,
            .efficiency = r->runs[i].efficiency, .axis_ns = axis, .label_px = label,
        };
    for (size_t i = 0; i < r->nruns && err == 0; i++)
        if (has_timeline(&r->runs[i]))
            err = jf__svg_measure(r->runs[i].trace, &metas[i], NULL, &heights[i]);
    return err;
}

/* Writes file i of the report at its staged name. */
static int write_one(const jf_viz_report_t *r, const jf_viz_meta_t *metas, const double *heights,
                     size_t i, const char *path)
{
    if (i == r->nruns)
        return jf__viz_write_index(r, heights, path);
    return jf_viz_write_svg(r->runs[i].trace, &metas[i], path);
}

/* Renames every staged file into place; what is left staged after a
 * failure is removed by staged_free. */
static int publish(staged_t *st)
{
    for (size_t i = 0; i < st->n; i++) {
        if (st->ready[i] == NULL)
            continue;
        if (rename(st->ready[i], st->final[i]) != 0)
            return JF_EIO;
        jf_free(st->ready[i]);
        st->ready[i] = NULL;
    }
    return 0;
}

static void staged_free(staged_t *st)
{
    for (size_t i = 0; st->final != NULL && i < st->n; i++) {
        if (st->ready != NULL && st->ready[i] != NULL)
            remove(st->ready[i]); /* left only after a failure */
        jf_free(st->final[i]);
        if (st->ready != NULL)
            jf_free(st->ready[i]);
    }
    jf_free(st->final);
    jf_free(st->ready);
}

/* Stages file i (the index when i == nruns): writes it as <name>.new. */
static int stage(staged_t *st, const jf_viz_report_t *r, const jf_viz_meta_t *metas,
                 const double *heights, const char *dir, size_t i)
{
    const char *name = i == r->nruns ? "index.html" : r->runs[i].svg;
    char *ready;
    int err;

    if (i < r->nruns && !has_timeline(&r->runs[i]))
        return 0;
    st->final[i] = join(dir, name, "");
    ready = join(dir, name, NEW);
    if (st->final[i] == NULL || ready == NULL) {
        jf_free(ready);
        return JF_ENOMEM;
    }
    err = write_one(r, metas, heights, i, ready);
    if (err == 0)
        st->ready[i] = ready;
    else
        jf_free(ready);
    return err;
}

int jf_viz_write_report(const jf_viz_report_t *report, const char *dir)
{
    staged_t st = {0};
    jf_viz_meta_t *metas = NULL;
    double *heights = NULL;
    int err;

    if (report == NULL || dir == NULL || (err = check(report)) != 0)
        return JF_EINVAL;
    st.n = report->nruns + 1;
    st.final = jf_calloc(st.n, sizeof *st.final);
    st.ready = jf_calloc(st.n, sizeof *st.ready);
    metas = jf_calloc(st.n, sizeof *metas);
    heights = jf_calloc(st.n, sizeof *heights);
    err = st.final && st.ready && metas && heights ? 0 : JF_ENOMEM;
    if (err == 0)
        err = common_scale(report, metas, heights);
    for (size_t i = 0; err == 0 && i < st.n; i++)
        err = stage(&st, report, metas, heights, dir, i);
    if (err == 0)
        err = publish(&st);
    staged_free(&st);
    jf_free(metas);
    jf_free(heights);
    return err;
}
