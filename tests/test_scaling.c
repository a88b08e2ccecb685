/* test_scaling.c - bench --cores 1,2,4,...: scaling.json, scaling.svg and index.html, from
 * outside. Needs JF_BENCH (path of build/bench). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "bench_run.h"

static char tmp[256];
static const char *bench;

#define BENCH(r, ...)                                                                        \
    assert_int_equal(bench_spawn_args((r), tmp, bench, NULL,                                 \
                                      (const char *const[]){__VA_ARGS__, NULL}), 0)

static const char *in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

static cJSON *load_json(const char *path)
{
    char *text = bench_read_file(path);
    cJSON *doc;

    if (text == NULL)
        fail_msg("cannot read %s", path);
    doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);

    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);

    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static int setup(void **state)
{
    (void)state;
    return bench_test_setup(&bench, tmp, sizeof tmp, "bench_scaling");
}

static int teardown(void **state)
{
    (void)state;
    bench_remove_tree(tmp);
    return 0;
}

/* Runs a scaling run into <tmp>/<out>, which must succeed. */
static void run_ok(bench_run_t *r, const char *out, const char *cores, bool sim)
{
    if (sim)
        BENCH(r, "--workload", "bottleneck", "--sim", "--cores", cores, "--items", "2000",
              "--out", in_tmp(out), "--no-history", "--format", "json");
    else
        BENCH(r, "--workload", "bottleneck", "--cores", cores, "--items", "1000",
              "--repeat", "1", "--out", in_tmp(out), "--no-history");
    if (r->status != 0)
        print_error("stderr: %s\n", r->err);
    assert_int_equal(r->status, 0);
}

/* The result of strategy (single, not as the baseline only) in the result
 * document at <tmp>/<dir>/<path>. */
static const cJSON *result_of(const cJSON *doc, const char *strategy)
{
    const cJSON *r;

    cJSON_ArrayForEach(r, get(doc, "results"))
        if (strcmp(str(r, "strategy"), strategy) == 0 && !cJSON_IsTrue(get(r, "baseline_only")))
            return r;
    fail_msg("no result of %s", strategy);
    return NULL;
}

/* A point agrees with the result.json it names: same count, simulation,
 * wall, speedup and efficiency. */
static void check_point(const char *dir, const char *strategy, const cJSON *pt)
{
    char path[600];

    snprintf(path, sizeof path, "%s/%s", in_tmp(dir), str(pt, "result"));
    cJSON *doc = load_json(path);
    const cJSON *r = result_of(doc, strategy);
    assert_int_equal(num(doc, "cores"), num(pt, "cores"));
    assert_true(cJSON_IsTrue(get(doc, "sim")) == cJSON_IsTrue(get(pt, "simulated")));
    assert_true(num(get(r, "wall_ns"), "median") == num(pt, "wall_ns"));
    assert_true(num(r, "speedup_vs_single") == num(pt, "speedup"));
    assert_true(num(r, "efficiency") == num(pt, "efficiency"));
    assert_true(num(pt, "speedup") > 0);
    cJSON_Delete(doc);
}

/* Every strategy at every count, all simulated, each point the figures of
 * its own result.json; stdout holds the same document. */
static void test_scaling_sim_list_has_every_point(void **state)
{
    static const unsigned counts[] = {1, 2, 4, 8};
    static const char *const strategies[] = {"single", "per-stage", "n-per-stage", "scheduled"};
    bench_run_t r;
    (void)state;

    run_ok(&r, "sim", "1,2,4,8", true);
    cJSON *doc = load_json(in_tmp("sim/scaling.json")), *printed = cJSON_Parse(r.out);
    assert_non_null(printed);
    assert_true(cJSON_Compare(get(doc, "strategies"), get(printed, "strategies"), true));
    assert_string_equal(str(doc, "schema"), "jefferson.scaling/1");
    assert_false(cJSON_IsTrue(get(doc, "interrupted")));
    assert_int_equal(cJSON_GetArraySize(get(doc, "counts")), 4);
    for (int i = 0; i < 4; i++) {
        const cJSON *c = cJSON_GetArrayItem(get(doc, "counts"), i);
        assert_int_equal(num(c, "cores"), counts[i]);
        assert_true(cJSON_IsTrue(get(c, "simulated")));
        char report[600];
        snprintf(report, sizeof report, "%s/%s", in_tmp("sim"), str(c, "report"));
        assert_int_equal(access(report, F_OK), 0);
    }
    assert_int_equal(cJSON_GetArraySize(get(doc, "strategies")), 4);
    for (int s = 0; s < 4; s++) {
        const cJSON *se = cJSON_GetArrayItem(get(doc, "strategies"), s);
        assert_string_equal(str(se, "strategy"), strategies[s]);
        assert_int_equal(cJSON_GetArraySize(get(se, "points")), 4);
        for (int i = 0; i < 4; i++) {
            const cJSON *pt = cJSON_GetArrayItem(get(se, "points"), i);
            assert_int_equal(num(pt, "cores"), counts[i]);
            assert_true(cJSON_IsTrue(get(pt, "simulated")));
            check_point("sim", strategies[s], pt);
        }
    }
    cJSON_Delete(printed);
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

/* Elements named `name` under n with attribute attr equal to value (NULL: any). */
static int count_elements(xmlNodePtr n, const char *name, const char *attr, const char *value)
{
    int found = 0;

    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, name) == 0) {
            xmlChar *v = attr ? xmlGetProp(n, BAD_CAST attr) : NULL;
            found += attr == NULL || (v != NULL && strcmp((const char *)v, value) == 0);
            xmlFree(v);
        }
        found += count_elements(n->children, name, attr, value);
    }
    return found;
}

/* scaling.svg is well-formed XML: per strategy a curve on each of the two
 * charts, a hollow marker per simulated point, the legend saying so; and
 * index.html shows it on top and links every count's report. */
static void test_scaling_svg_has_curves_and_markers(void **state)
{
    static const char *const strategies[] = {"single", "per-stage", "n-per-stage", "scheduled"};
    bench_run_t r;
    (void)state;

    run_ok(&r, "svg", "1,2,4", true);
    xmlDocPtr svg = xmlReadFile(in_tmp("svg/scaling.svg"), NULL, XML_PARSE_NONET);
    assert_non_null(svg);
    xmlNodePtr root = xmlDocGetRootElement(svg);
    assert_string_equal((const char *)root->name, "svg");
    for (int s = 0; s < 4; s++) {
        assert_int_equal(count_elements(root, "path", "data-strategy", strategies[s]), 2);
        assert_int_equal(count_elements(root, "circle", "data-strategy", strategies[s]), 2 * 3);
    }
    assert_int_equal(count_elements(root, "circle", "class", "simulated"), 4 * 3 * 2);
    assert_int_equal(count_elements(root, "circle", "class", "measured"), 0);
    assert_int_equal(count_elements(root, "path", "class", "ideal"), 2 + 1);
    xmlFreeDoc(svg);
    char *text = bench_read_file(in_tmp("svg/scaling.svg"));
    assert_non_null(strstr(text, "simulated with --sim (hollow)"));
    assert_non_null(strstr(text, "measured (filled)"));
    free(text);
    char *html = bench_read_file(in_tmp("svg/index.html"));
    assert_non_null(html);
    char *plot = strstr(html, "<object data=\"scaling.svg\"");
    assert_non_null(plot);
    assert_true(plot < strstr(html, "<table"));
    assert_non_null(strstr(html, "href=\"cores-1/index.html\""));
    assert_non_null(strstr(html, "href=\"cores-4/index.html\""));
    free(html);
    bench_run_fini(&r);
    /* bench report redraws one count; the whole directory it explains. */
    BENCH(&r, "report", in_tmp("svg/cores-2"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    BENCH(&r, "report", in_tmp("svg"));
    assert_int_equal(r.status, 2);
    assert_true(bench_one_error_line(r.err));
    assert_non_null(strstr(r.err, "a scaling run (scaling.json): redraw each count's report "
                                  "with bench report "));
    bench_run_fini(&r);
}

/* Without --sim, counts up to the machine's cores are measured and those
 * above simulated (1024 is above any machine this runs on); tbb, which
 * cannot be simulated, has measured points only, with a note. */
static void test_scaling_mixes_measured_and_simulated(void **state)
{
    bench_run_t r;
    const cJSON *c, *se, *pt;
    int measured = 0, simulated = 0;
    (void)state;

    run_ok(&r, "mixed", "1,2,4,1024", false);
    cJSON *doc = load_json(in_tmp("mixed/scaling.json"));
    double machine = num(doc, "machine_cores");
    cJSON_ArrayForEach(c, get(doc, "counts"))
        assert_true(cJSON_IsTrue(get(c, "simulated")) == (num(c, "cores") > machine));
    cJSON_ArrayForEach(se, get(doc, "strategies")) {
        bool tbb = strcmp(str(se, "strategy"), "tbb") == 0;
        cJSON_ArrayForEach(pt, get(se, "points")) {
            bool sim = cJSON_IsTrue(get(pt, "simulated"));
            assert_true(sim == (num(pt, "cores") > machine));
            assert_false(tbb && sim);
            sim ? simulated++ : measured++;
            check_point("mixed", str(se, "strategy"), pt);
        }
        if (tbb)
            assert_non_null(strstr(r.err, "tbb: no points above"));
    }
    assert_true(measured >= 4 && simulated >= 4);
    if (machine == 2) {
        assert_false(cJSON_IsTrue(get(cJSON_GetArrayItem(get(doc, "counts"), 1), "simulated")));
        assert_true(cJSON_IsTrue(get(cJSON_GetArrayItem(get(doc, "counts"), 2), "simulated")));
    }
    char *svg = bench_read_file(in_tmp("mixed/scaling.svg"));
    assert_non_null(strstr(svg, "class=\"measured\""));
    assert_non_null(strstr(svg, "class=\"simulated\""));
    free(svg);
    assert_non_null(strstr(r.out, "1 core, measured:"));
    assert_non_null(strstr(r.out, "1024 cores, simulated:"));
    cJSON_Delete(doc);
    bench_run_fini(&r);
}

/* A bad list is one line and exit 2, with nothing written; one count
 * still writes a plain results directory. */
static void test_scaling_bad_lists_and_single_count(void **state)
{
    static const char *const bad[] = {"0,2", "2,,4", "2,", ",2", "4,2", "2,2", "1,1025",
                                      "1,x", "1,-2", "1, 2"};
    char many[400] = "1";
    bench_run_t r;
    (void)state;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", bad[i], "--out",
              in_tmp("bad"), "--no-history");
        assert_int_equal(r.status, 2);
        assert_true(bench_one_error_line(r.err));
        assert_non_null(strstr(r.err, "bench: --cores: "));
        assert_int_equal(access(in_tmp("bad"), F_OK), -1);
        bench_run_fini(&r);
    }
    for (int i = 2; i <= 65; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), ",%d", i);
    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", many, "--out", in_tmp("bad"));
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "bench: --cores: at most 64 counts in a list\n");
    bench_run_fini(&r);
    /* tbb alone has nothing to run where every count is simulated. */
    BENCH(&r, "--workload", "bottleneck", "--strategy", "tbb", "--cores", "512,1024", "--out",
          in_tmp("bad"), "--no-history");
    assert_int_equal(r.status, 2);
    assert_true(bench_one_error_line(r.err));
    assert_true(strstr(r.err, "bench: --cores: tbb cannot be simulated, and no count of "
                              "\"512,1024\" is within the machine's ") != NULL ||
                strstr(r.err, "built without oneTBB") != NULL);
    assert_int_equal(access(in_tmp("bad"), F_OK), -1);
    bench_run_fini(&r);
    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "4", "--items", "500", "--out",
          in_tmp("one"), "--no-history");
    assert_int_equal(r.status, 0);
    assert_int_equal(access(in_tmp("one/result.json"), F_OK), 0);
    assert_int_equal(access(in_tmp("one/scaling.json"), F_OK), -1);
    assert_int_equal(access(in_tmp("one/cores-4"), F_OK), -1);
    bench_run_fini(&r);
}

/* Without --repeat, a simulated count runs once (a simulation repeats
 * exactly) while a measured one repeats as usual. */
static void test_scaling_simulated_counts_run_once(void **state)
{
    bench_run_t r;
    (void)state;

    BENCH(&r, "--workload", "bottleneck", "--cores", "1,1024", "--items", "300", "--strategy",
          "scheduled", "--no-trace", "--out", in_tmp("once"), "--no-history");
    assert_int_equal(r.status, 0);
    cJSON *one = load_json(in_tmp("once/cores-1/result.json"));
    cJSON *many = load_json(in_tmp("once/cores-1024/result.json"));
    assert_int_equal(num(result_of(one, "scheduled"), "repeats"), 3);
    assert_int_equal(num(result_of(many, "scheduled"), "repeats"), 1);
    assert_int_equal(num(many, "repeat"), 1);
    cJSON_Delete(one);
    cJSON_Delete(many);
    bench_run_fini(&r);
}

/* Each count appends its own history line, naming its own directory. */
static void test_scaling_history_has_a_line_per_count(void **state)
{
    char want[600];
    bench_run_t r;
    (void)state;

    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "2,8", "--items", "300",
          "--no-trace", "--out", in_tmp("hist"), "--history", in_tmp("h.jsonl"));
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    char *text = bench_read_file(in_tmp("h.jsonl"));
    assert_non_null(text);
    char *second = strchr(text, '\n');
    assert_non_null(second);
    assert_non_null(strchr(second + 1, '\n'));
    assert_null(strchr(strchr(second + 1, '\n') + 1, '\n'));
    snprintf(want, sizeof want, "%s/cores-2\"", in_tmp("hist"));
    assert_non_null(strstr(text, want));
    snprintf(want, sizeof want, "%s/cores-8\"", in_tmp("hist"));
    assert_non_null(strstr(second, want));
    free(text);
}

/* A simulated scaling run prints the same bytes every time: no date. */
static void test_scaling_sim_json_is_the_same_every_time(void **state)
{
    bench_run_t r[2];
    (void)state;

    for (int i = 0; i < 2; i++) {
        BENCH(&r[i], "--workload", "bottleneck", "--sim", "--cores", "1,2", "--items", "500",
              "--out", in_tmp("same"), "--force", "--no-history", "--format", "json");
        assert_int_equal(r[i].status, 0);
    }
    cJSON *doc = cJSON_Parse(r[0].out);
    assert_true(cJSON_IsTrue(get(doc, "sim")));
    assert_true(cJSON_IsNull(get(get(doc, "context"), "date")));
    cJSON_Delete(doc);
    assert_string_equal(r[0].out, r[1].out);
    bench_run_fini(&r[0]);
    bench_run_fini(&r[1]);
}

/* --force replaces an earlier scaling run, as it replaces earlier results. */
static void test_scaling_force_replaces_a_scaling_run(void **state)
{
    bench_run_t r;
    (void)state;

    run_ok(&r, "again", "1,2", true);
    bench_run_fini(&r);
    BENCH(&r, "--workload", "bottleneck", "--sim", "--cores", "2,4", "--items", "500",
          "--out", in_tmp("again"), "--force", "--no-history");
    assert_int_equal(r.status, 0);
    assert_int_equal(access(in_tmp("again/cores-4/result.json"), F_OK), 0);
    assert_int_equal(access(in_tmp("again/cores-1"), F_OK), -1);
    bench_run_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scaling_sim_list_has_every_point),
        cmocka_unit_test(test_scaling_svg_has_curves_and_markers),
        cmocka_unit_test(test_scaling_mixes_measured_and_simulated),
        cmocka_unit_test(test_scaling_bad_lists_and_single_count),
        cmocka_unit_test(test_scaling_force_replaces_a_scaling_run),
        cmocka_unit_test(test_scaling_sim_json_is_the_same_every_time),
        cmocka_unit_test(test_scaling_simulated_counts_run_once),
        cmocka_unit_test(test_scaling_history_has_a_line_per_count),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
