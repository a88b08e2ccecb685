/* test_plugin.c - the plugin kernel from outside: bench runs a user's stage from a shared
 * library under every strategy, with the same checks, and refuses a library it cannot use
 * in one line. Needs JF_BENCH and JF_TEST_PLUGINS (the directory of libtest_plugin.so and
 * libtest_plugin_abi.so, built from tests/plugin/stage.c), as `make test` sets them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bench_run.h"
#include "result_doc.h"
#include "test_env.h"

#define ITEMS 3000

static char tmp[256];
static const char *bench;
static char plugin[1024], plugin_abi[1024];

static char *in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

static void run(bench_run_t *r, const char *const *args)
{
    assert_int_equal(bench_spawn_args(r, tmp, bench, NULL, args), 0);
}

#define BENCH(r, ...) run((r), (const char *const[]){__VA_ARGS__, NULL})

/* Writes <tmp>/<name>: a spin stage, the plugin stage "mine" with the
 * given library, symbol and extra fields (JSON members or ""), a spin stage. */
static const char *workload(const char *name, const char *library, const char *symbol,
                            const char *extra)
{
    static char text[4096];
    const char *path = in_tmp(name);

    snprintf(text, sizeof text,
             "{\"name\": \"plug\", \"items\": %d, \"stages\": ["
             "{\"name\": \"a\", \"kernel\": \"spin\", \"ns\": 500},"
             "{\"name\": \"mine\", \"kernel\": \"plugin\", \"library\": \"%s\","
             " \"symbol\": \"%s\"%s%s},"
             "{\"name\": \"c\", \"kernel\": \"spin\", \"ns\": 500}]}",
             ITEMS, library, symbol, extra[0] ? ", " : "", extra);
    assert_int_equal(bench_write_file(path, text), 0);
    return path;
}

/* One error line on stderr containing want, exit 2, and no results directory. */
static void assert_refused(bench_run_t *r, const char *want, const char *out)
{
    if (!bench_one_error_line(r->err) || !strstr(r->err, want))
        fail_msg("stderr: \"%s\" (expected one line with \"%s\")", r->err, want);
    assert_int_equal(r->status, 2);
    assert_int_equal(access(out, F_OK), -1);
}

/* Every strategy runs the plugin: every item out, in order (the sink
 * checks the seq of each payload), a timeline each; the stage saw each
 * item once per repetition of each strategy, no more, no fewer. */
static void test_plugin_runs_under_every_strategy(void **state)
{
    char extra[600], out[300], *count;
    unsigned long long seen = 0, expect = 0;
    const cJSON *res;
    bench_run_t r;

    (void)state;
    snprintf(extra, sizeof extra, "\"ns\": 2000, \"arg\": \"count=%s\"", in_tmp("count"));
    snprintf(out, sizeof out, "%s", in_tmp("all"));
    BENCH(&r, "--workload", workload("all.json", plugin, "test_stage", extra), "--cores", "2",
          "--strategy", "all", "--repeat", "2", "--warmup", "0", "--no-history", "--out", out);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    cJSON *doc = load_result(out);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "results")),
                     TEST_ALL_STRATEGIES);
    cJSON_ArrayForEach(res, cJSON_GetObjectItem(doc, "results")) {
        const char *svg = cJSON_GetStringValue(cJSON_GetObjectItem(res, "svg"));

        assert_int_equal(number(res, "items_in"), ITEMS);
        assert_int_equal(number(res, "items_out"), ITEMS);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "order_preserved")));
        assert_non_null(svg);
        assert_int_equal(access(bench_path(out, svg), R_OK), 0);
        expect += (unsigned long long)number(res, "repeats") * ITEMS;
        /* a peer that chose its configuration ran each one it tried */
        const cJSON *tried;
        cJSON_ArrayForEach(tried, cJSON_GetObjectItem(res, "sweep"))
            expect += (unsigned long long)number(tried, "runs") * ITEMS;
    }
    /* The normalised workload keeps the stage as written. */
    const cJSON *mine = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "workload"), "stages"), 1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(mine, "library")), plugin);
    assert_int_equal(number(mine, "ns"), 2000);
    count = bench_read_file(in_tmp("count"));
    assert_non_null(count);
    assert_int_equal(sscanf(count, "%llu", &seen), 1);
    assert_int_equal(seen, expect);
    free(count);
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

/* A relative "library" is found beside the workload file, not in the
 * directory bench runs in. */
static void test_plugin_relative_library_is_beside_the_workload(void **state)
{
    char dir[300];
    bench_run_t r;

    (void)state;
    snprintf(dir, sizeof dir, "%s", in_tmp("rel"));
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(symlink(plugin, bench_path(dir, "libmine.so")), 0);
    workload("rel/w.json", "./libmine.so", "test_stage", "\"ns\": 100");
    BENCH(&r, "validate", in_tmp("rel/w.json"));
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    bench_run_fini(&r);
}

/* The simulator's cost of the stage: the stated "ns", or without one the
 * cost measured at load, and the run says which (a warning, and
 * context.sim.plugin_costs). */
static void check_sim_cost(const char *name, const char *extra, const char *cost)
{
    char out[300];
    bench_run_t r;

    snprintf(out, sizeof out, "%s", in_tmp(name));
    BENCH(&r, "--workload", workload("sim.json", plugin, "test_stage", extra), "--cores", "4",
          "--sim", "--strategy", "scheduled", "--no-history", "--out", out);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    cJSON *doc = load_result(out);
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
        cJSON_GetObjectItem(doc, "context"), "sim"), "plugin_costs"), 0);
    assert_non_null(c);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(c, "stage")), "mine");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(c, "cost")), cost);
    if (strcmp(cost, "stated") == 0) {
        assert_int_equal(number(c, "ns"), 7000);
        assert_null(strstr(r.err, "measured at load"));
    } else {
        assert_true(number(c, "ns") >= 1);
        assert_non_null(strstr(r.err, "bench: warning: stages[1] \"mine\": simulated at "));
        assert_non_null(strstr(r.err, "measured at load"));
    }
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

static void test_plugin_sim_uses_the_stated_or_measured_cost(void **state)
{
    (void)state;
    check_sim_cost("sim-stated", "\"ns\": 7000", "stated");
    check_sim_cost("sim-measured", "", "measured");
}

/* Two runs of a stage whose cost is measured compare as the same
 * workload: the measured figure is the run's, not the workload's. */
static void test_plugin_runs_compare(void **state)
{
    const char *w = workload("cmp.json", plugin, "test_stage", "");
    char a[300], b[300];
    bench_run_t r;

    (void)state;
    snprintf(a, sizeof a, "%s", in_tmp("cmp-a"));
    snprintf(b, sizeof b, "%s", in_tmp("cmp-b"));
    BENCH(&r, "--workload", w, "--cores", "2", "--strategy", "scheduled", "--repeat", "1",
          "--no-trace", "--no-history", "--out", a);
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH(&r, "--workload", w, "--cores", "2", "--strategy", "scheduled", "--repeat", "1",
          "--no-trace", "--no-history", "--out", b);
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH(&r, "compare", bench_path(a, "result.json"), bench_path(b, "result.json"),
          "--threshold", "1000");
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    bench_run_fini(&r);
}

/* A stage that fails an item stops the run: exit 1, the stage, the item
 * and the plugin's code in one line. */
static void test_plugin_failure_stops_the_run(void **state)
{
    bench_run_t r;

    (void)state;
    BENCH(&r, "--workload", workload("fail.json", plugin, "test_stage",
                                     "\"ns\": 100, \"arg\": \"fail_at=1234\""),
          "--cores", "2", "--strategy", "scheduled", "--no-history", "--out", in_tmp("fail"));
    assert_int_equal(r.status, 1);
    if (!bench_one_error_line(r.err) ||
        !strstr(r.err, "stage \"mine\" failed on item 1234 (code 7)"))
        fail_msg("stderr: \"%s\"", r.err);
    bench_run_fini(&r);
}

/* A library bench cannot use: one line naming the field, exit 2, nothing
 * written, from a run and from validate alike. */
static void check_refused(const char *library, const char *symbol, const char *extra,
                          const char *want)
{
    const char *w = workload("bad.json", library, symbol, extra);
    bench_run_t r;

    BENCH(&r, "--workload", w, "--cores", "2", "--no-history", "--out", in_tmp("bad"));
    assert_refused(&r, want, in_tmp("bad"));
    bench_run_fini(&r);
    BENCH(&r, "validate", w);
    assert_refused(&r, want, in_tmp("bad"));
    bench_run_fini(&r);
}

static void test_plugin_bad_library_is_refused(void **state)
{
    (void)state;
    check_refused("/nonexistent/libnone.so", "test_stage", "",
                  "stages[1].library: cannot load \"/nonexistent/libnone.so\": "
                  "/nonexistent/libnone.so: No such file or directory");
    check_refused(plugin, "no_such_stage", "", "stages[1].symbol: no symbol \"no_such_stage\"");
    check_refused(plugin_abi, "test_stage", "",
                  "stages[1].symbol: \"test_stage\" is built for plugin ABI version 99, "
                  "this bench loads version 1");
    check_refused(plugin, "test_stage", "\"bytes\": 64",
                  "stages[1].bytes: the plugin kernel takes no \"bytes\" field");
    check_refused(plugin, "test_stage", "\"arg\": \"refuse\"",
                  "stages[1].arg: \"test_stage\" refused to start: its init returned 5");
    /* Failing an item while being timed (no "ns") refuses the workload. */
    check_refused(plugin, "test_stage", "\"arg\": \"fail_at=0\"",
                  "stages[1].symbol: \"test_stage\" failed (code 7) on an item it was timed on");
}

static int setup(void **state)
{
    const char *dir = getenv("JF_TEST_PLUGINS");

    (void)state;
    if (dir == NULL || dir[0] == '\0') {
        fprintf(stderr, "JF_TEST_PLUGINS is not set: run through `make test`\n");
        return -1;
    }
    snprintf(plugin, sizeof plugin, "%s/libtest_plugin.so", dir);
    snprintf(plugin_abi, sizeof plugin_abi, "%s/libtest_plugin_abi.so", dir);
    if (access(plugin, R_OK) != 0 || access(plugin_abi, R_OK) != 0) {
        fprintf(stderr, "%s: not built (make test builds it)\n", plugin);
        return -1;
    }
    return bench_test_setup(&bench, tmp, sizeof tmp, "jf_plugin");
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plugin_runs_under_every_strategy),
        cmocka_unit_test(test_plugin_relative_library_is_beside_the_workload),
        cmocka_unit_test(test_plugin_sim_uses_the_stated_or_measured_cost),
        cmocka_unit_test(test_plugin_runs_compare),
        cmocka_unit_test(test_plugin_failure_stops_the_run),
        cmocka_unit_test(test_plugin_bad_library_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
