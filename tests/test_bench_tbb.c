/* test_bench_tbb.c - bench --strategy tbb (the oneTBB peer) from outside: results, table,
 * timeline, and the usage errors. Needs JF_BENCH (path of build/bench); the tests that run
 * TBB are skipped when bench was built without it. */
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
#include "test_env.h"

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

static void skip_without_tbb(void)
{
#ifndef JF_HAVE_TBB
    skip();
#endif
}

static int setup(void **state)
{
    (void)state;
    return bench_test_setup(&bench, tmp, sizeof tmp, "peer_tbb");
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

/* Every item out, in order, with the peer's fields; the timeline is valid XML. */
static void test_bench_tbb_runs_every_item_in_order(void **state)
{
    bench_run_t r;

    (void)state;
    skip_without_tbb();
    BENCH(&r, "--workload", "bottleneck", "--cores", "2", "--items", "2000", "--repeat", "1",
          "--strategy", "tbb", "--no-history", "--out", in_tmp("one"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\ntbb "));
    cJSON *doc = load_result(in_tmp("one"));
    const cJSON *t = find_result(doc, "tbb");
    assert_non_null(t);
    assert_int_equal(number(t, "items_in"), 2000);
    assert_int_equal(number(t, "items_out"), 2000);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "order_preserved")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(t, "policy")));
    assert_int_equal(number(t, "threads"), 2);
    assert_int_equal(number(t, "items_per_token"), 16);
    assert_true(number(t, "tokens") >= 1);
    assert_int_equal(number(t, "reallocations"), 0);
    assert_true(number(t, "lower_bound_ns") > 0);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(t, "speedup_vs_single")));
    assert_int_equal(number(t, "trace_dropped_events"), 0);
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

static void test_bench_tbb_svg_is_valid_xml(void **state)
{
    char path[600];

    (void)state;
    skip_without_tbb();
    snprintf(path, sizeof path, "%s/tbb.svg", in_tmp("one"));
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_non_null(root);
    assert_string_equal((const char *)root->name, "svg");
    xmlFreeDoc(doc);
    char *text = bench_read_file(path);
    assert_non_null(text);
    /* A lane per arena slot, and no queue charts: TBB has no queues. */
    assert_non_null(strstr(text, ">w0 core "));
    assert_null(strstr(text, ">queue "));
    free(text);
    snprintf(path, sizeof path, "%s/index.html", in_tmp("one"));
    text = bench_read_file(path);
    assert_non_null(text);
    assert_non_null(strstr(text, "tbb.svg"));
    free(text);
}

/* all = the four and tbb, in one table and one document. */
static void test_bench_tbb_all_includes_tbb(void **state)
{
    bench_run_t r;

    (void)state;
    skip_without_tbb();
    BENCH(&r, "--workload", "bottleneck", "--cores", "2", "--items", "2000", "--repeat", "1",
          "--strategy", "all", "--no-trace", "--no-history", "--format", "csv", "--out",
          in_tmp("all"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\r\nbottleneck,tbb,,2,1,"));
    cJSON *doc = load_result(in_tmp("all"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "results")),
                     TEST_ALL_STRATEGIES);
    const cJSON *t = find_result(doc, "tbb");
    assert_non_null(t);
    assert_int_equal(number(t, "items_out"), 2000);
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

/* --sim: tbb named is a usage error; all means the engine's four. */
static void test_bench_tbb_sim_excludes_tbb(void **state)
{
    bench_run_t r;

    (void)state;
    BENCH(&r, "--workload", "bottleneck", "--cores", "2", "--sim", "--strategy", "tbb",
          "--no-history", "--out", in_tmp("sim-tbb"));
    assert_int_equal(r.status, 2);
    assert_one_line(r.err, "bench: --strategy: tbb: cannot be simulated");
    assert_int_equal(access(in_tmp("sim-tbb"), F_OK), -1);
    bench_run_fini(&r);

    BENCH(&r, "--workload", "bottleneck", "--cores", "2", "--items", "2000", "--sim",
          "--no-trace", "--no-history", "--out", in_tmp("sim-all"));
    assert_int_equal(r.status, 0);
    cJSON *doc = load_result(in_tmp("sim-all"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "results")), 4);
    assert_null(find_result(doc, "tbb"));
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

/* Built without oneTBB: tbb named is a usage error; `bench list` says so. */
static void test_bench_tbb_unavailable_is_usage_error(void **state)
{
    bench_run_t r;

    (void)state;
    BENCH(&r, "list");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\n  tbb "));
    const char *line = strstr(r.out, "\n  tbb "), *end = strchr(line + 1, '\n');
    const char *unavailable = strstr(line, "unavailable");
#ifdef JF_HAVE_TBB
    assert_true(unavailable == NULL || (end != NULL && unavailable > end));
    bench_run_fini(&r);
#else
    assert_true(unavailable != NULL && (end == NULL || unavailable < end));
    bench_run_fini(&r);
    BENCH(&r, "--workload", "bottleneck", "--strategy", "tbb", "--out", in_tmp("none"));
    assert_int_equal(r.status, 2);
    assert_one_line(r.err, "bench: --strategy: tbb: built without oneTBB");
    bench_run_fini(&r);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_tbb_runs_every_item_in_order),
        cmocka_unit_test(test_bench_tbb_svg_is_valid_xml),
        cmocka_unit_test(test_bench_tbb_all_includes_tbb),
        cmocka_unit_test(test_bench_tbb_sim_excludes_tbb),
        cmocka_unit_test(test_bench_tbb_unavailable_is_usage_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
