/* test_bench_omp.c - bench --strategy omp (the OpenMP peer) from outside: results, the
 * sweep that chose its configuration, timeline, and the usage errors. Needs JF_BENCH (path
 * of build/bench); the tests that run OpenMP are skipped when bench was built without it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <libxml/parser.h>

#include "bench_run.h"
#include "result_doc.h"

static char tmp[256];
static const char *bench;

static char *in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

/* Runs bench with args (NULL-terminated). */
static void run(bench_run_t *r, const char *const *args)
{
    assert_int_equal(bench_spawn_args(r, tmp, bench, NULL, args), 0);
}

#define BENCH(r, ...) run((r), (const char *const[]){__VA_ARGS__, NULL})

static void skip_without_omp(void)
{
#ifndef JF_HAVE_OMP
    skip();
#endif
}

static int setup(void **state)
{
    (void)state;
    return bench_test_setup(&bench, tmp, sizeof tmp, "jf_omp");
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

/* Every item out, in order; the configuration it ran in is the fastest of
 * the sweep, which result.json lists; the timeline has a lane per thread. */
static void test_bench_omp_runs_the_fastest_of_its_sweep(void **state)
{
    bench_run_t r;
    char path[600];

    (void)state;
    skip_without_omp();
    BENCH(&r, "--workload", "bottleneck", "--cores", "2", "--items", "3000", "--repeat", "2",
          "--strategy", "omp", "--no-history", "--out", in_tmp("one"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nomp "));
    cJSON *doc = load_result(in_tmp("one"));
    const cJSON *t = find_result(doc, "omp");
    assert_non_null(t);
    assert_int_equal(number(t, "items_in"), 3000);
    assert_int_equal(number(t, "items_out"), 3000);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "order_preserved")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(t, "policy")));
    assert_int_equal(number(t, "threads"), 2);
    assert_int_equal(number(t, "trace_dropped_events"), 0);
    const cJSON *config = cJSON_GetObjectItem(t, "config"), *sweep = cJSON_GetObjectItem(t, "sweep");
    assert_true(cJSON_IsString(config) && cJSON_IsArray(sweep));
    assert_non_null(strstr(r.out, config->valuestring)); /* the table names it too */
    const cJSON *c, *fastest = NULL;
    int n = 0;
    cJSON_ArrayForEach(c, sweep) {
        assert_true(number(c, "wall_ns") > 0);
        assert_int_equal(number(c, "runs"), 2); /* each configuration twice */
        if (fastest == NULL || number(c, "wall_ns") < number(fastest, "wall_ns"))
            fastest = c;
        n++;
    }
    assert_true(n >= 6); /* dynamic and static, 1, 16 and adaptive; guided */
    assert_string_equal(cJSON_GetObjectItem(fastest, "config")->valuestring, config->valuestring);
    cJSON_Delete(doc);
    bench_run_fini(&r);

    snprintf(path, sizeof path, "%s/omp.svg", in_tmp("one"));
    xmlDocPtr svg = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(svg);
    xmlFreeDoc(svg);
    char *text = bench_read_file(path);
    assert_non_null(strstr(text, ">w1 core "));
    free(text);
}

/* all = the four, the peers this build has, omp among them. */
static void test_bench_omp_all_includes_omp(void **state)
{
    bench_run_t r;

    (void)state;
    skip_without_omp();
    BENCH(&r, "--workload", "tiny-items", "--cores", "2", "--items", "5000", "--repeat", "1",
          "--strategy", "all", "--no-trace", "--no-history", "--format", "csv", "--out",
          in_tmp("all"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\r\ntiny-items,omp,,2,1,"));
    cJSON *doc = load_result(in_tmp("all"));
    const cJSON *t = find_result(doc, "omp");
    assert_non_null(t);
    assert_int_equal(number(t, "items_out"), 5000);
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

/* --sim: omp named is a usage error, nothing written; peers are never simulated. */
static void test_bench_omp_sim_is_usage_error(void **state)
{
    bench_run_t r;

    (void)state;
    BENCH(&r, "--workload", "bottleneck", "--cores", "2", "--sim", "--strategy", "omp",
          "--no-history", "--out", in_tmp("sim-omp"));
    assert_int_equal(r.status, 2);
    assert_one_line(r.err, "bench: --strategy: omp: cannot be simulated");
    assert_int_equal(access(in_tmp("sim-omp"), F_OK), -1);
    bench_run_fini(&r);
}

/* `bench list` names omp, and says when this build cannot run it. */
static void test_bench_omp_listed(void **state)
{
    bench_run_t r;

    (void)state;
    BENCH(&r, "list");
    assert_int_equal(r.status, 0);
    const char *line = strstr(r.out, "\n  omp ");
    assert_non_null(line);
    const char *end = strchr(line + 1, '\n'), *unavailable = strstr(line, "unavailable");
#ifdef JF_HAVE_OMP
    assert_true(unavailable == NULL || (end != NULL && unavailable > end));
    bench_run_fini(&r);
#else
    assert_true(unavailable != NULL && (end == NULL || unavailable < end));
    bench_run_fini(&r);
    BENCH(&r, "--workload", "bottleneck", "--strategy", "omp", "--out", in_tmp("none"));
    assert_int_equal(r.status, 2);
    assert_one_line(r.err, "bench: --strategy: omp: built without OpenMP");
    bench_run_fini(&r);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_omp_runs_the_fastest_of_its_sweep),
        cmocka_unit_test(test_bench_omp_all_includes_omp),
        cmocka_unit_test(test_bench_omp_sim_is_usage_error),
        cmocka_unit_test(test_bench_omp_listed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
