/* test_report_page.c - what index.html says about a run: the verdict with its
 * spread, the run's warnings, the lower bound and efficiency explained,
 * speedups above the core count flagged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bench_run.h"
#include "viz/jf_viz_report.h"

static char tmp[256];

static int setup(void **state)
{
    const char *bench;

    (void)state;
    return bench_test_setup(&bench, tmp, sizeof tmp, "jf-report-page");
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

/* Two strategies without timelines (only index.html is written), single
 * 2x slower than scheduled on 2 cores. */
static jf_viz_report_t report_of(jf_viz_run_t runs[2], jf_viz_verdict_t verdict)
{
    runs[0] = (jf_viz_run_t){.strategy = "single", .threads = 1, .wall_ns = 2e8,
                             .speedup = 1, .efficiency = 0.9, .items_in = 10, .items_out = 10,
                             .order_ok = 1};
    runs[1] = (jf_viz_run_t){.strategy = "scheduled", .policy = "dhondt", .threads = 2,
                             .wall_ns = 1e8, .speedup = 2, .efficiency = 0.9, .items_in = 10,
                             .items_out = 10, .order_ok = 1};
    return (jf_viz_report_t){.workload = "w", .cores = 2, .nruns = 2, .runs = runs,
                             .verdict = verdict};
}

/* index.html written from r, as text (free it). */
static char *page_of(const jf_viz_report_t *r)
{
    char *text;

    assert_int_equal(jf_viz_write_report(r, tmp), 0);
    text = bench_read_file(bench_path(tmp, "index.html"));
    assert_non_null(text);
    return text;
}

static void test_report_page_verdict_faster_with_spread(void **state)
{
    jf_viz_run_t runs[2];
    jf_viz_report_t r = report_of(runs, (jf_viz_verdict_t){
        JF_VIZ_VERDICT_FASTER, "scheduled", "single", 2.004, 0.031, 5});
    char *text = page_of(&r);

    (void)state;
    assert_non_null(strstr(text, "<b>scheduled</b> is 2.00 &plusmn; 0.03&times; faster than "
                                 "<b>single</b> (mean wall times of 5 repetitions"));
    assert_null(strstr(text, "Fastest:"));
    free(text);
}

static void test_report_page_verdict_no_difference(void **state)
{
    jf_viz_run_t runs[2];
    jf_viz_report_t r = report_of(runs, (jf_viz_verdict_t){
        JF_VIZ_VERDICT_NO_DIFFERENCE, "scheduled", "tbb", 1.02, 0.05, 3});
    char *text = page_of(&r);

    (void)state;
    assert_non_null(strstr(text, "No measurable difference between <b>scheduled</b> and "
                                 "<b>tbb</b>: the 95% intervals"));
    assert_null(strstr(text, "faster than"));
    free(text);
}

static void test_report_page_one_repetition_has_no_spread(void **state)
{
    jf_viz_run_t runs[2];
    jf_viz_report_t r = report_of(runs, (jf_viz_verdict_t){
        JF_VIZ_VERDICT_ONE_REPETITION, "scheduled", "single", 2.0, 0, 1});
    char *text = page_of(&r);

    (void)state;
    assert_non_null(strstr(text, "in one repetition, which cannot measure spread"));
    assert_null(strstr(text, "&plusmn;"));
    free(text);
}

/* Warnings are listed, escaped; the two figures are explained; a speedup
 * above the cores is flagged in its cell and explained. */
static void test_report_page_warnings_notes_and_superlinear(void **state)
{
    static const char *const warnings[] = {"single: wall time varies by 8.9%", "a <b> & c"};
    jf_viz_run_t runs[2];
    jf_viz_report_t r = report_of(runs, (jf_viz_verdict_t){0});
    char *text;

    (void)state;
    r.warnings = warnings;
    r.nwarnings = 2;
    runs[1].speedup = 2.5;
    text = page_of(&r);
    assert_non_null(strstr(text, "<li>single: wall time varies by 8.9%</li>"));
    assert_non_null(strstr(text, "<li>a &lt;b&gt; &amp; c</li>"));
    assert_non_null(strstr(text, "Lower bound: the shortest wall time"));
    assert_non_null(strstr(text, "Efficiency: the lower bound over the median wall time"));
    assert_non_null(strstr(text, "<td class=\"bad\">2.50&times;</td>"));
    assert_non_null(strstr(text, "scheduled: a speedup of 2.50&times; on 2 cores is more than "
                                 "the cores can give (superlinear)"));
    assert_non_null(strstr(text, "Fastest: ")); /* no verdict: the fastest median */
    free(text);
    runs[1].speedup = 2.004; /* shown as 2.00x: not above 2 cores */
    text = page_of(&r);
    assert_non_null(strstr(text, "<td>2.00&times;</td>"));
    assert_null(strstr(text, "superlinear"));
    free(text);
}

static size_t occurrences(const char *text, const char *what)
{
    size_t n = 0;

    for (const char *p = strstr(text, what); p != NULL; p = strstr(p + 1, what))
        n++;
    return n;
}

/* The chart: a row per strategy with samples, a dot per sample on a scale
 * from 0 (x 118) to the slowest sample (x 540), the median's bar and value. */
static void test_report_page_chart_shows_every_repetition(void **state)
{
    static const uint64_t slow[] = {190000000, 200000000, 210000000};
    static const uint64_t fast[] = {105000000, 100000000};
    jf_viz_run_t runs[2];
    jf_viz_report_t r = report_of(runs, (jf_viz_verdict_t){0});
    char *text, *chart;

    (void)state;
    runs[0].samples_ns = slow;
    runs[0].nsamples = 3;
    runs[1].samples_ns = fast;
    runs[1].nsamples = 2;
    text = page_of(&r);
    chart = strstr(text, "<svg class=\"spread\"");
    assert_non_null(chart);
    assert_int_equal(occurrences(chart, "<circle"), 5);
    assert_int_equal(occurrences(chart, "<title>"), 2);
    assert_non_null(strstr(chart, "<circle cx=\"540.0\""));           /* 210 ms */
    assert_non_null(strstr(chart, "<circle cx=\"319.0\""));           /* 100 ms */
    assert_non_null(strstr(chart, "<rect x=\"518.9\""));              /* median 200 ms */
    assert_non_null(strstr(chart, ">100.00 ms</text>"));
    assert_non_null(strstr(chart, "<title>single: 3 repetitions: 190.00, 200.00, 210.00 ms"));
    assert_true(strstr(text, "<table") > chart); /* the page leads with it */
    free(text);
    runs[0].nsamples = runs[1].nsamples = 0;
    text = page_of(&r);
    assert_null(strstr(text, "class=\"spread\""));
    free(text);
}

/* Through bench: result.json's samples reach the verdict (simulated runs
 * are deterministic, so every repetition is equal and the spread is 0). */
static void test_report_page_bench_verdict_from_samples(void **state)
{
    const char *bench = getenv("JF_BENCH");
    char r3[300], r1[300], path[512], *text;
    const char *const three[] = {"--workload", "bottleneck", "--sim", "--cores", "2",
                                 "--repeat", "3", "--strategy", "per-stage,scheduled",
                                 "--no-baseline", "--no-history", "--out", r3, NULL};
    const char *const one[] = {"--workload", "bottleneck", "--sim", "--cores", "2",
                               "--repeat", "1", "--no-history", "--out", r1, NULL};
    bench_run_t run;

    (void)state;
    snprintf(r3, sizeof r3, "%s/r3", tmp);
    snprintf(r1, sizeof r1, "%s/r1", tmp);
    assert_int_equal(bench_spawn_args(&run, tmp, bench, NULL, three), 0);
    assert_int_equal(run.status, 0);
    bench_run_fini(&run);
    snprintf(path, sizeof path, "%s/index.html", r3);
    text = bench_read_file(path);
    assert_non_null(text);
    assert_non_null(strstr(text, "<b>scheduled</b> is "));
    assert_non_null(strstr(text, " &plusmn; 0.00&times; faster than <b>per-stage</b> (mean wall "
                                 "times of 3 repetitions"));
    free(text);
    assert_int_equal(bench_spawn_args(&run, tmp, bench, NULL, one), 0);
    assert_int_equal(run.status, 0);
    bench_run_fini(&run);
    snprintf(path, sizeof path, "%s/index.html", r1);
    text = bench_read_file(path);
    assert_non_null(text);
    assert_non_null(strstr(text, "in one repetition, which cannot measure spread"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_page_verdict_faster_with_spread),
        cmocka_unit_test(test_report_page_verdict_no_difference),
        cmocka_unit_test(test_report_page_one_repetition_has_no_spread),
        cmocka_unit_test(test_report_page_warnings_notes_and_superlinear),
        cmocka_unit_test(test_report_page_chart_shows_every_repetition),
        cmocka_unit_test(test_report_page_bench_verdict_from_samples),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
