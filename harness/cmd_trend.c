/* cmd_trend.c - bench trend: the history as an SVG, each run judged against the one before. */
#include "commands.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "compare.h"
#include "jefferson/error.h"
#include "diag.h"
#include "history.h"
#include "json.h"
#include "outdir.h"
#include "viz/jf_viz_report.h"

#define MAX_SERIES 16
#define NOTE_MAX 320
#define PANEL_KEY 256

/* One configuration's runs, as they are gathered. */
typedef struct panel {
    char key[PANEL_KEY], title[PANEL_KEY];
    bool sim;
    size_t nruns;
    const char **labels, **dates;            /* [lines], borrowed from the history */
    size_t nseries;
    jf_viz_trend_series_t series[MAX_SERIES];
    jf_viz_trend_point_t *points[MAX_SERIES]; /* [lines] */
    char (*notes[MAX_SERIES])[NOTE_MAX];      /* [lines] */
    bench_cmp_series_t last[MAX_SERIES];         /* each series' previous point */
} panel_t;

typedef struct trend {
    bench_history_t h;
    bench_cmp_options_t opt;
    size_t npanels, regressions;
    panel_t *panels;                          /* [lines] */
} trend_t;

/* The panel of a history line's configuration, made on first sight. */
static panel_t *panel_for(trend_t *t, const cJSON *line)
{
    bool sim = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "sim"));
    const char *w = bench_json_string(line, "workload");
    char key[PANEL_KEY];

    snprintf(key, sizeof key, "%.128s|%d|%g|%g|%g|%g", w, sim, bench_json_number(line, "cores"),
             bench_json_number(line, "items"), bench_json_number(line, "batch"),
             bench_json_number(line, "batch_max"));
    for (size_t i = 0; i < t->npanels; i++)
        if (strcmp(t->panels[i].key, key) == 0)
            return &t->panels[i];
    panel_t *p = &t->panels[t->npanels];
    p->labels = calloc(t->h.n, sizeof *p->labels);
    p->dates = calloc(t->h.n, sizeof *p->dates);
    if (!p->labels || !p->dates)
        return NULL;
    t->npanels++;
    snprintf(p->key, sizeof p->key, "%s", key);
    double batch = bench_json_number(line, "batch"), most = bench_json_number(line, "batch_max");
    char batches[48];
    if (most > batch) /* NaN (older lines): fixed */
        snprintf(batches, sizeof batches, "batch %g-%g", batch, most);
    else
        snprintf(batches, sizeof batches, "batch %g", batch);
    double cores = bench_json_number(line, "cores"), items = bench_json_number(line, "items");
    snprintf(p->title, sizeof p->title, "%.128s: %g core%s, %g item%s, %s%s", w, cores,
             cores == 1 ? "" : "s", items, items == 1 ? "" : "s", batches,
             sim ? ", simulated (--sim)" : "");
    p->sim = sim;
    return p;
}

/* Index of the series called key in p, made on first sight; -1 when out
 * of memory or there are too many. */
static int series_for(panel_t *p, const char *key, size_t cap)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (strcmp(p->last[i].key, key) == 0 || strcmp(p->series[i].name, key) == 0)
            return (int)i;
    if (p->nseries == MAX_SERIES)
        return -1;
    size_t i = p->nseries;
    p->points[i] = calloc(cap, sizeof *p->points[i]);
    p->notes[i] = calloc(cap, sizeof *p->notes[i]);
    char *name = malloc(BENCH_CMP_KEY_MAX);
    if (!p->points[i] || !p->notes[i] || !name) {
        free(name);
        return -1;
    }
    snprintf(name, BENCH_CMP_KEY_MAX, "%s", key);
    p->series[i].name = name;
    p->series[i].points = p->points[i];
    p->nseries++;
    return (int)i;
}

/* Adds one strategy of run `run` to its series, judged against the last. */
static int add_point(trend_t *t, panel_t *p, size_t run, bench_cmp_series_t *cur)
{
    int i = series_for(p, cur->key, t->h.n);
    if (i < 0)
        return JF_ENOMEM;
    jf_viz_trend_point_t *pt = &p->points[i][p->series[i].n];
    *pt = (jf_viz_trend_point_t){.run = run, .wall_ns = cur->median_ns,
                                 .efficiency = isfinite(cur->efficiency) ? cur->efficiency : -1};
    if (p->last[i].n > 0) {
        bench_cmp_row_t row;
        if (bench_cmp_judge(&p->last[i], cur, p->sim, &t->opt, &row) != 0)
            return JF_ENOMEM;
        pt->regression = row.det ? row.d_makespan > t->opt.det_tolerance
                                 : row.wall == JF_CMP_WALL_SLOWER;
        if (pt->regression) {
            bench_cmp_sentence(NULL, &row, p->notes[i][p->series[i].n], NOTE_MAX);
            pt->note = p->notes[i][p->series[i].n];
            t->regressions++;
            printf("  regression at %s (%s): %s: %s\n", p->labels[run],
                   p->dates[run] ? p->dates[run] : "?", p->title, pt->note);
        }
    }
    p->series[i].n++;
    bench_cmp_series_fini(&p->last[i]);
    p->last[i] = *cur;
    memset(cur, 0, sizeof *cur);
    return 0;
}

static int add_line(trend_t *t, const cJSON *line)
{
    panel_t *p = panel_for(t, line);
    const cJSON *r;
    char why[256];

    if (!p)
        return JF_ENOMEM;
    size_t run = p->nruns++;
    p->labels[run] = bench_json_string(line, "commit") ? bench_json_string(line, "commit") : "?";
    p->dates[run] = bench_json_string(line, "date");
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(line, "results")) {
        bench_cmp_series_t cur;
        int rc = bench_cmp_series_read(r, &cur, why, sizeof why);
        if (rc == 0)
            rc = add_point(t, p, run, &cur);
        bench_cmp_series_fini(&cur);
        if (rc == JF_ENOMEM)
            return rc;
    }
    return 0;
}

static void trend_fini(trend_t *t)
{
    for (size_t i = 0; t->panels && i < t->npanels; i++) {
        panel_t *p = &t->panels[i];
        for (size_t k = 0; k < p->nseries; k++) {
            free((char *)p->series[k].name);
            free(p->points[k]);
            free(p->notes[k]);
            bench_cmp_series_fini(&p->last[k]);
        }
        free(p->labels);
        free(p->dates);
    }
    free(t->panels);
    bench_history_fini(&t->h);
}

/* Draws t into path. Returns 0 or the exit status after the error line. */
static int draw(const trend_t *t, const char *history, const char *path)
{
    jf_viz_trend_panel_t *panels = calloc(t->npanels + 1, sizeof *panels);
    char title[512];

    if (!panels)
        return bench_diag_fail(BENCH_EXIT_FAILED, "trend: out of memory");
    for (size_t i = 0; i < t->npanels; i++) {
        const panel_t *p = &t->panels[i];
        panels[i] = (jf_viz_trend_panel_t){p->title, p->nruns, p->labels, p->dates,
                                           p->nseries, p->series};
    }
    snprintf(title, sizeof title, "jefferson trend: %s", history);
    jf_viz_trend_t tr = {title, t->npanels, panels};
    int err = jf_viz_write_trend(&tr, path);
    int cause = errno;
    free(panels);
    if (err == JF_EIO && cause != 0)
        return bench_outdir_fail_write("trend: --out", path, cause);
    if (err)
        return bench_diag_fail(BENCH_EXIT_FAILED, "trend: cannot write \"%s\": %s", path,
                            jf_strerror(err));
    return 0;
}

/* n and the noun, singular or plural ("1 run", "2 runs"). */
static const char *count(char *buf, size_t size, size_t n, const char *one, const char *many)
{
    snprintf(buf, size, "%zu %s", n, n == 1 ? one : many);
    return buf;
}

/* One warning for every line of the history that is not a record. */
static void warn_skipped(const bench_history_t *h, const char *history)
{
    char msg[4352], lines[64];

    if (h->skipped == 0)
        return;
    bool one = h->skipped == 1;
    snprintf(msg, sizeof msg, "trend: %s: skipped %s that %s (%s line %zu)", history,
             count(lines, sizeof lines, h->skipped, "line", "lines"),
             one ? "is not a history record" : "are not history records",
             one ? "at" : "the first at", h->first_skipped);
    bench_diag_warn(msg);
}

static void print_summary(const trend_t *t, const char *out)
{
    char runs[64], panels[64], marks[64];

    printf("trend: %s: %s in %s, %s marked\n", out,
           count(runs, sizeof runs, t->h.n, "run", "runs"),
           count(panels, sizeof panels, t->npanels, "configuration", "configurations"),
           count(marks, sizeof marks, t->regressions, "regression", "regressions"));
}

/* FILE.svg next to the history: <its directory>/trend.svg. */
static void default_out(const char *history, char *buf, size_t size)
{
    const char *slash = strrchr(history, '/');

    if (!slash)
        snprintf(buf, size, "trend.svg");
    else
        snprintf(buf, size, "%.*s/trend.svg", (int)(slash - history), history);
}

int bench_cmd_trend(const bench_args_t *args, const bench_env_t *env)
{
    const char *history = args->history ? args->history : BENCH_HISTORY_DEFAULT;
    trend_t t = {0};
    char why[256], out[4096];
    int rc = bench_cli_check(args, "trend", BENCH_OPT_HISTORY | BENCH_OPT_OUT | BENCH_OPT_THRESHOLD, false);

    (void)env;
    if (rc)
        return rc;
    snprintf(out, sizeof out, "%s", args->out ? args->out : "");
    if (!args->out)
        default_out(history, out, sizeof out);
    bench_cmp_options_default(&t.opt);
    t.opt.threshold = args->threshold_pct / 100.0;
    rc = bench_history_read(history, &t.h, why, sizeof why);
    if (rc || t.h.n == 0)
        rc = bench_diag_fail(rc == JF_ENOMEM ? BENCH_EXIT_FAILED : BENCH_EXIT_USAGE, "trend: %s: %s",
                          history, rc ? why : "no runs in it");
    if (rc == 0) /* after the history: where there is none, that is what to say */
        rc = bench_outdir_check_file("trend: --out", out);
    if (rc == 0 && !(t.panels = calloc(t.h.n, sizeof *t.panels)))
        rc = bench_diag_fail(BENCH_EXIT_FAILED, "trend: out of memory");
    for (size_t i = 0; rc == 0 && i < t.h.n; i++)
        if (add_line(&t, t.h.lines[i]) != 0)
            rc = bench_diag_fail(BENCH_EXIT_FAILED, "trend: out of memory");
    if (rc == 0 && (rc = draw(&t, history, out)) == 0) {
        warn_skipped(&t.h, history); /* after the draw: an error stays the only line */
        print_summary(&t, out);
    }
    trend_fini(&t);
    return rc;
}
