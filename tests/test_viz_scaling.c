/* test_viz_scaling.c - the scaling plot's writer and the strategy colours it shares with the
 * trend, called directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "bench_run.h"
#include "jefferson/error.h"
#include "viz/jf_viz_report.h"

static char tmp[256];

static int setup(void **state)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

    (void)state;
    snprintf(tmp, sizeof tmp, "%s/jf_viz_scaling.XXXXXX", dir);
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

static void test_viz_scaling_strategy_colours_are_fixed_and_distinct(void **state)
{
    static const char *const names[] = {"single", "per-stage", "n-per-stage", "scheduled",
                                        "tbb", "no-such-strategy"};
    (void)state;

    for (size_t i = 0; i < 6; i++) {
        const char *c = jf_viz_strategy_colour(names[i]);
        assert_int_equal(strlen(c), 7);
        assert_int_equal(c[0], '#');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(c, jf_viz_strategy_colour(names[j]));
    }
    /* The policy does not change a strategy's colour. */
    assert_string_equal(jf_viz_strategy_colour("scheduled/adams"),
                        jf_viz_strategy_colour("scheduled"));
    assert_string_equal(jf_viz_strategy_colour(NULL), jf_viz_strategy_colour("other"));
}

static const jf_viz_scaling_point_t points[] = {
    {.cores = 1, .simulated = 0, .wall_ns = 2e7, .speedup = 1.0, .efficiency = 0.98},
    {.cores = 4, .simulated = 1, .wall_ns = 5e6, .speedup = 3.9, .efficiency = 0.95},
};
static const jf_viz_scaling_count_t counts[] = {
    {.cores = 1, .dir = "cores-1"},
    {.cores = 4, .simulated = 1, .dir = "cores-4"},
};

/* A plot of scheduled in scheduled's colour, one filled and one hollow marker per chart. */
static void test_viz_scaling_svg_draws_the_strategy_colour(void **state)
{
    jf_viz_scaling_series_t series = {.strategy = "scheduled", .label = "scheduled/dhondt",
                                      .n = 2, .points = points};
    jf_viz_scaling_t s = {.workload = "w", .machine_cores = 2, .ncounts = 2, .counts = counts,
                          .nseries = 1, .series = &series};
    char stroke[64];
    (void)state;

    assert_int_equal(jf_viz_write_scaling_svg(&s, bench_path(tmp, "s.svg")), 0);
    xmlDocPtr doc = xmlReadFile(bench_path(tmp, "s.svg"), NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlFreeDoc(doc);
    char *svg = bench_read_file(bench_path(tmp, "s.svg"));
    snprintf(stroke, sizeof stroke, "stroke=\"%s\"", jf_viz_strategy_colour("scheduled"));
    assert_non_null(strstr(svg, stroke));
    assert_non_null(strstr(svg, "measured"));   /* the boundary between 1 and 4 */
    assert_non_null(strstr(svg, "scheduled/dhondt at 4 cores, simulated: speedup 3.90"));
    free(svg);
    assert_int_equal(jf_viz_write_scaling_index(&s, "s.svg", bench_path(tmp, "i.html")), 0);
    assert_int_equal(access(bench_path(tmp, "i.html.tmp"), F_OK), -1);
    /* One count: a title in words, a point in the middle. */
    s.counts = &counts[1];
    s.ncounts = 1;
    series.points = &points[1];
    series.n = 1;
    assert_int_equal(jf_viz_write_scaling_svg(&s, bench_path(tmp, "one.svg")), 0);
    svg = bench_read_file(bench_path(tmp, "one.svg"));
    assert_non_null(strstr(svg, "w: scaling at 4 cores"));
    free(svg);
}

/* Input the plot cannot draw is refused, and nothing is written. */
static void test_viz_scaling_svg_refuses_bad_input(void **state)
{
    jf_viz_scaling_count_t down[] = {{.cores = 4, .dir = "a"}, {.cores = 2, .dir = "b"}};
    jf_viz_scaling_point_t beyond[] = {{.cores = 8, .speedup = 1, .efficiency = 1}};
    jf_viz_scaling_series_t series = {.strategy = "single", .n = 1, .points = beyond};
    jf_viz_scaling_t s = {.ncounts = 2, .counts = down};
    (void)state;

    assert_int_equal(jf_viz_write_scaling_svg(&s, bench_path(tmp, "bad.svg")), JF_EINVAL);
    s.counts = counts;
    s.nseries = 1;
    s.series = &series;
    assert_int_equal(jf_viz_write_scaling_svg(&s, bench_path(tmp, "bad.svg")), JF_EINVAL);
    s.ncounts = 0;
    assert_int_equal(jf_viz_write_scaling_svg(&s, bench_path(tmp, "bad.svg")), JF_EINVAL);
    assert_int_equal(access(bench_path(tmp, "bad.svg"), F_OK), -1);
    s.ncounts = 2;
    s.nseries = 0;
    assert_int_equal(jf_viz_write_scaling_index(&s, "../x.svg", bench_path(tmp, "i2.html")),
                     JF_EINVAL);
    assert_int_equal(access(bench_path(tmp, "i2.html"), F_OK), -1);
}

/* The trend draws a strategy in the same colour as the scaling plot; a
 * second policy of scheduled keeps the colour and is dashed. */
static void test_viz_scaling_trend_uses_the_strategy_colours(void **state)
{
    const jf_viz_trend_point_t pt[] = {{.run = 0, .wall_ns = 1e7, .efficiency = 0.9},
                                       {.run = 1, .wall_ns = 1.1e7, .efficiency = 0.9}};
    const jf_viz_trend_series_t series[] = {{"single", 2, pt}, {"scheduled/dhondt", 2, pt},
                                            {"scheduled/adams", 2, pt}};
    const char *const labels[] = {"c1", "c2"};
    const jf_viz_trend_panel_t panel = {.title = "w", .nruns = 2, .run_labels = labels,
                                        .nseries = 3, .series = series};
    const jf_viz_trend_t t = {.title = "t", .npanels = 1, .panels = &panel};
    char want[64];
    (void)state;

    assert_int_equal(jf_viz_write_trend(&t, bench_path(tmp, "t.svg")), 0);
    char *svg = bench_read_file(bench_path(tmp, "t.svg"));
    assert_non_null(svg);
    snprintf(want, sizeof want, "stroke=\"%s\"", jf_viz_strategy_colour("single"));
    assert_non_null(strstr(svg, want));
    snprintf(want, sizeof want, "stroke=\"%s\" stroke-dasharray",
             jf_viz_strategy_colour("scheduled"));
    assert_non_null(strstr(svg, want));
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_scaling_strategy_colours_are_fixed_and_distinct),
        cmocka_unit_test(test_viz_scaling_svg_draws_the_strategy_colour),
        cmocka_unit_test(test_viz_scaling_svg_refuses_bad_input),
        cmocka_unit_test(test_viz_scaling_trend_uses_the_strategy_colours),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
