/* test_harness_output.c - the table, markdown and CSV printers on a hand-made set. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/output.h"

static const uint64_t samples[] = {30000000, 10000000, 20000000};

/* A strategy with wall times 10, 20, 30 ms. */
static void fill(bench_strategy_run_t *r, bench_strategy_t s, unsigned threads, double speedup)
{
    memset(r, 0, sizeof *r);
    r->strategy = s;
    r->repeats = 3;
    r->samples_ns = (uint64_t *)samples;
    assert_int_equal(bench_stats_compute(samples, 3, &r->wall), 0);
    r->median.threads = threads;
    r->median.latency.p99_ns = 1500000;
    r->throughput = 1000.0;
    r->speedup = speedup;
    r->efficiency = 0.5;
    r->lower_bound_ns = 10000000;
    r->user_median_ns = 19000000;
    r->sys_median_ns = 1000000;
}

static char *print(void (*fn)(FILE *, const bench_run_set_t *, const bench_output_info_t *),
                   const bench_run_set_t *set, const bench_output_info_t *info)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    fn(f, set, info);
    assert_int_equal(fclose(f), 0);
    return text;
}

static void two_runs(bench_run_set_t *set)
{
    memset(set, 0, sizeof *set);
    set->n = 2;
    set->has_baseline = true;
    fill(&set->runs[0], BENCH_SINGLE, 1, 1.0);
    fill(&set->runs[1], BENCH_SCHEDULED, 2, NAN);
}

/* Fields of one CSV record starting at *p (RFC 4180), advancing *p past
 * its CRLF. Fails on a bare LF or a malformed quote. */
static int csv_fields(const char **p, char fields[][64], int max)
{
    const char *s = *p;
    int n = 0;

    for (;;) {
        size_t len = 0;
        assert_true(n < max);
        if (*s == '"') {
            for (s++; !(s[0] == '"' && s[1] != '"'); s++) {
                assert_true(*s != '\0');
                if (s[0] == '"')
                    s++;
                fields[n][len++] = *s;
            }
            s++;
        } else {
            while (*s != ',' && *s != '\r' && *s != '\0') {
                assert_true(*s != '\n' && *s != '"');
                fields[n][len++] = *s++;
            }
        }
        fields[n++][len] = '\0';
        if (*s == ',') {
            s++;
            continue;
        }
        assert_memory_equal(s, "\r\n", 2);
        *p = s + 2;
        return n;
    }
}

static void test_harness_output_csv(void **state)
{
    bench_output_info_t info = {.workload = "a,\"b\"", .policy = JF_POLICY_DHONDT, .dir = "d"};
    bench_run_set_t set;
    char head[40][64], row[40][64];

    two_runs(&set);
    char *text = print(bench_output_csv, &set, &info);
    const char *p = text;
    int n = csv_fields(&p, head, 40);
    assert_string_equal(head[0], "workload");
    assert_string_equal(head[5], "wall_median_ns");
    assert_string_equal(head[15], "speedup_vs_single");
    /* The quoted name reads back as it was. */
    assert_non_null(strstr(text, "\r\n\"a,\"\"b\"\"\",single,,1,3,20000000,"));
    for (int i = 0; i < 2; i++) {
        assert_int_equal(csv_fields(&p, row, 40), n);
        assert_string_equal(row[0], "a,\"b\"");
        assert_string_equal(row[1], i ? "scheduled" : "single");
        assert_string_equal(row[2], i ? "dhondt" : ""); /* policy only for scheduled */
        assert_string_equal(row[5], "20000000");
        assert_string_equal(row[15], i ? "" : "1"); /* no speedup: null */
        assert_string_equal(row[n - 1], "false");
    }
    assert_string_equal(p, "");
    free(text);
}

static void test_harness_output_csv_field(void **state)
{
    static const char *const cases[][2] = {
        {"plain", "plain"}, {"a,b", "\"a,b\""}, {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""}, {"", ""},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        bench_output_csv_field(f, cases[i][0]);
        fclose(f);
        assert_string_equal(text, cases[i][1]);
        free(text);
    }
}

/* Cells of a markdown row: the '|' that are not escaped. */
static int md_pipes(const char *line, size_t len)
{
    int n = 0;

    for (size_t i = 0; i < len; i++)
        n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    return n;
}

static void test_harness_output_markdown(void **state)
{
    bench_output_info_t info = {.workload = "w", .policy = JF_POLICY_DHONDT, .dir = "d"};
    bench_run_set_t set;

    two_runs(&set);
    for (int latency = 0; latency < 2; latency++) {
        info.latency = latency;
        char *text = print(bench_output_markdown, &set, &info);
        const char *line = text;
        int lines = 0, pipes = -1;
        while (*line) {
            size_t len = strcspn(line, "\n");
            assert_int_equal(line[0], '|');
            assert_int_equal(line[len - 1], '|');
            if (pipes < 0)
                pipes = md_pipes(line, len);
            assert_int_equal(md_pipes(line, len), pipes); /* every row as wide */
            if (lines == 1) /* the alignment row makes it a table */
                assert_int_equal(strspn(line, "|:-"), len);
            line += len + (line[len] == '\n');
            lines++;
        }
        assert_int_equal(lines, 4);
        assert_int_equal(pipes, latency ? 16 : 15);
        assert_int_equal(strstr(text, "p99 latency ms") != NULL, latency);
        assert_non_null(strstr(text, "| single | - | 1 | 3 | 20.000 | 10.000 | 30.000 |"));
        assert_non_null(strstr(text, "| scheduled | dhondt | 2 |"));
        assert_non_null(strstr(text, "| 1000 | - | 50.0% |")); /* no speedup */
        free(text);
    }
}

static void test_harness_output_table(void **state)
{
    bench_output_info_t info = {.workload = "w", .policy = JF_POLICY_DHONDT, .dir = "out/x",
                             .interrupted = true, .latency = true};
    bench_run_set_t set;

    two_runs(&set);
    char *text = print(bench_output_table, &set, &info);
    assert_memory_equal(text, "strategy ", 9);
    assert_non_null(strstr(text, "p99 ms"));
    assert_non_null(strstr(text, "1.500\n")); /* the p99 latency, ms */
    assert_non_null(strstr(text, "results: out/x/ (interrupted)\n"));
    free(text);
    set.n = 0;
    text = print(bench_output_table, &set, &info);
    assert_non_null(strstr(text, "(no repetition finished)"));
    free(text);
}

/* One repetition has no spread: cv is "-" (empty in CSV), not 0.0%. And a
 * figure on a rounding edge is rounded once from its digits: 0.9005 is
 * 90.1% as in result.json's other readers. */
static void test_harness_output_one_repetition_has_no_cv(void **state)
{
    bench_output_info_t info = {.workload = "w", .policy = JF_POLICY_DHONDT, .dir = "d"};
    bench_run_set_t set;
    char head[40][64], row[40][64];

    memset(&set, 0, sizeof set);
    set.n = 1;
    fill(&set.runs[0], BENCH_SINGLE, 1, 1.0);
    set.runs[0].repeats = 1;
    assert_int_equal(bench_stats_compute(samples, 1, &set.runs[0].wall), 0);
    set.runs[0].efficiency = 0.9005;
    char *text = print(bench_output_table, &set, &info);
    assert_non_null(strstr(text, "  30.00      -          1000    1.00x      90.1%\n"));
    free(text);
    text = print(bench_output_markdown, &set, &info);
    assert_non_null(strstr(text, "| 30.000 | - | - | 1000 | 1.00x | 90.1% |"));
    free(text);
    text = print(bench_output_csv, &set, &info);
    const char *p = text;
    int n = csv_fields(&p, head, 40);
    assert_int_equal(csv_fields(&p, row, 40), n);
    assert_string_equal(head[10], "wall_cv");
    assert_string_equal(row[10], "");
    assert_string_equal(head[17], "efficiency");
    assert_string_equal(row[17], "0.9005");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_harness_output_csv),
        cmocka_unit_test(test_harness_output_csv_field),
        cmocka_unit_test(test_harness_output_markdown),
        cmocka_unit_test(test_harness_output_table),
        cmocka_unit_test(test_harness_output_one_repetition_has_no_cv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
