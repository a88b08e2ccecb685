/* jf_viz_report.h - the harness's pages: a run's report of several strategies, the
 * trend over runs and the scaling plot. Internal to bench: a library user writes
 * one run's page with jf_viz_write_html (jefferson/render.h). */
#ifndef JF_VIZ_REPORT_H
#define JF_VIZ_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "jefferson/render.h"

/* One strategy of a run: a row of the report's table and its timeline.
 * Figures < 0 (counts: UINT64_MAX) are unknown and shown as a dash. */
typedef struct jf_viz_run {
    const char *strategy;
    const char *policy;        /* NULL: none */
    double threads;
    double wall_ns;            /* median */
    double cv;                 /* of the wall times; < 0 with one repetition */
    double throughput;         /* items per second */
    double speedup;            /* vs single */
    double efficiency;         /* 0..1 */
    uint64_t items_in;
    uint64_t items_out;
    int order_ok;              /* 1 yes, 0 no, -1 unknown */
    const char *svg;           /* file names inside the directory; NULL: none */
    const char *trace_file;
    const jf_trace_t *trace;   /* NULL: no timeline (svg is not written) */
    const uint64_t *samples_ns; /* wall time of each repetition; NULL: none */
    size_t nsamples;
} jf_viz_run_t;

/* Which of the two fastest strategies is faster, and by how much, from
 * their repetitions (harness/verdict.h computes it; docs/results.md). */
typedef enum jf_viz_verdict_kind {
    JF_VIZ_VERDICT_NONE,           /* fewer than two strategies with times */
    JF_VIZ_VERDICT_FASTER,         /* fast's 95% interval lies below slow's */
    JF_VIZ_VERDICT_NO_DIFFERENCE,  /* the two intervals overlap */
    JF_VIZ_VERDICT_ONE_REPETITION, /* a single sample: no spread to judge by */
} jf_viz_verdict_kind_t;

typedef struct jf_viz_verdict {
    jf_viz_verdict_kind_t kind;
    const char *fast;          /* lower mean wall time */
    const char *slow;          /* the next lowest */
    double ratio;              /* slow's mean / fast's mean, >= 1 */
    double ratio_sd;           /* its standard deviation, propagated */
    size_t repeats;            /* fewest repetitions of the two */
} jf_viz_verdict_t;

/* A run's results, as the report shows them. Strings may be NULL. */
typedef struct jf_viz_report {
    const char *workload;
    const char *description;
    const char *host;
    const char *cpu;
    const char *commit;
    const char *date;
    const char *command;       /* the command line of the run */
    unsigned cores;
    int interrupted;           /* the run was stopped early */
    const char *result_file;   /* "result.json"; NULL: no link */
    size_t nruns;
    const jf_viz_run_t *runs;
    jf_viz_verdict_t verdict;  /* kind NONE: the page names the fastest median */
    size_t nwarnings;          /* the run's warnings, shown on the page */
    const char *const *warnings;
} jf_viz_report_t;

/* Writes, into the existing directory dir, the SVG timeline of every run
 * that has a trace and an svg name, all on one time scale (the longest
 * wall time of them), then index.html: the results table, every timeline
 * one above the other (embedded with <object>, so their scripts work) and
 * links to the SVGs, the trace files and the result file. File names must
 * be plain names (no '/', not starting with '.'; SVG names end in ".svg"),
 * else JF_EINVAL and nothing is written. Every file is first written under a temporary name
 * and the files are renamed into place only once all of them are
 * complete, so on failure the files already in dir stay as they were.
 * Returns 0 or JF_EINVAL / JF_EIO / JF_ENOMEM. Numbers in the C locale.
 * Not thread-safe with other calls writing into the same directory. */
int jf_viz_write_report(const jf_viz_report_t *report, const char *dir);

/* One point of a trend: one strategy in one run (a history line). */
typedef struct jf_viz_trend_point {
    size_t run;          /* index into the panel's runs: the x position */
    double wall_ns;      /* median wall time */
    double efficiency;   /* 0..1; < 0: unknown */
    int regression;      /* slower than the series' point before (compare's verdict) */
    const char *note;    /* hover text for a regression; NULL: none */
} jf_viz_trend_point_t;

/* The points of one strategy (and policy), in run order. */
typedef struct jf_viz_trend_series {
    const char *name;    /* "single", "scheduled/dhondt" */
    size_t n;
    const jf_viz_trend_point_t *points;
} jf_viz_trend_series_t;

/* The runs of one configuration (workload, cores, items, batch, sim). */
typedef struct jf_viz_trend_panel {
    const char *title;   /* "bottleneck: 2 cores, 5000 items, batch 16" */
    size_t nruns;
    const char *const *run_labels; /* per run: the commit, shown under the axis */
    const char *const *run_dates;  /* per run: when (hover); entries may be NULL */
    size_t nseries;
    const jf_viz_trend_series_t *series;
} jf_viz_trend_panel_t;

typedef struct jf_viz_trend {
    const char *title;
    size_t npanels;
    const jf_viz_trend_panel_t *panels;
} jf_viz_trend_t;

/* Writes a self-contained SVG of the trend: per panel a chart of median
 * wall time and one of efficiency over the runs, a line per series in its
 * strategy's colour (jf_viz_strategy_colour; a second policy of one
 * strategy dashed), regressions drawn as red rings with their note on
 * hover, a legend. xmlTextWriter, numbers in the C locale, written to
 * path.tmp and renamed. Returns 0, JF_EINVAL (t or path NULL, a point's
 * run out of range) or JF_EIO / JF_ENOMEM with nothing left at path;
 * after JF_EIO, errno says why. */
int jf_viz_write_trend(const jf_viz_trend_t *t, const char *path);

/* The colour of a strategy wherever strategies are told apart by colour
 * (the scaling plot, the trend), as "#rrggbb": a fixed colour per built-in
 * strategy ("single", "per-stage", "n-per-stage", "scheduled", "tbb"; a
 * "/policy" suffix is ignored), from a palette of its own rather than the
 * stage colours of the timelines, and one shared colour for any other name. */
const char *jf_viz_strategy_colour(const char *strategy);

/* One point of a scaling curve: a strategy at one core count. */
typedef struct jf_viz_scaling_point {
    unsigned cores;
    int simulated;       /* 1: simulated in virtual time (--sim), 0: measured */
    double wall_ns;      /* median; < 0: unknown */
    double speedup;      /* vs single at the same count; < 0: unknown */
    double efficiency;   /* lower bound / wall, 0..1; < 0: unknown */
} jf_viz_scaling_point_t;

/* The points of one strategy, in increasing core counts. */
typedef struct jf_viz_scaling_series {
    const char *strategy; /* picks the colour (jf_viz_strategy_colour) */
    const char *label;    /* as shown: "scheduled/dhondt"; NULL: strategy */
    size_t n;
    const jf_viz_scaling_point_t *points;
} jf_viz_scaling_series_t;

/* One core count of a scaling run, as the page lists it. */
typedef struct jf_viz_scaling_count {
    unsigned cores;
    int simulated;        /* every point at this count is */
    int interrupted;      /* a signal cut this count short */
    const char *dir;      /* its results, relative to the page: "cores-4" */
} jf_viz_scaling_count_t;

/* A scaling run: every strategy at every core count. Strings may be NULL. */
typedef struct jf_viz_scaling {
    const char *workload;
    const char *description;
    const char *host;
    const char *cpu;
    const char *commit;
    const char *date;
    const char *command;
    unsigned machine_cores;   /* counts above it are simulated */
    int interrupted;          /* the run was stopped early */
    size_t ncounts;
    const jf_viz_scaling_count_t *counts;
    size_t nseries;
    const jf_viz_scaling_series_t *series;
} jf_viz_scaling_t;

/* Writes a self-contained SVG of the scaling run: speedup (log2) and
 * efficiency against cores (log2), the ideal of each as a dashed line, a
 * curve per series in its strategy colour, measured points filled and
 * simulated points hollow, hover text on every point, a legend saying so.
 * xmlTextWriter, numbers in the C locale, written to path.tmp and renamed.
 * Returns 0, JF_EINVAL (s or path NULL, no count, points out of order) or
 * JF_EIO / JF_ENOMEM with nothing left at path. */
int jf_viz_write_scaling_svg(const jf_viz_scaling_t *s, const char *path);

/* Writes index.html of a scaling run: the plot (svg, a plain file name in
 * the same directory) at the top, then per core count its figures and a
 * link to its own report (count->dir + "/index.html"). Atomic as above;
 * returns 0, JF_EINVAL, JF_EIO or JF_ENOMEM. */
int jf_viz_write_scaling_index(const jf_viz_scaling_t *s, const char *svg, const char *path);

#endif /* JF_VIZ_REPORT_H */
