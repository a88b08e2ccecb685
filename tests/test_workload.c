/* test_workload.c - workload loader, cost model, kernels and bindings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jf_alloc.h"
#include "core/jf_clock.h"
#include "core/jf_error.h"
#include "test_env.h"
#include "workloads/jf_workload.h"

/* Documents are written with ' for " so the tables stay readable. */
static char *q(const char *s)
{
    char *d = strdup(s);

    assert_non_null(d);
    for (char *p = d; *p != '\0'; p++)
        if (*p == '\'')
            *p = '"';
    return d;
}

/* Parses a q() document as "w.json"; *w is NULL unless it returns 0. */
static int parse_q(const char *doc, jf_workload_t **w, char *err)
{
    char *text = q(doc);
    int rc = jf_workload_parse(text, strlen(text), "w.json", w, err);

    free(text);
    return rc;
}

static jf_workload_t *parse_ok(const char *doc)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = NULL;
    int rc = parse_q(doc, &w, err);

    if (rc != 0)
        print_error("unexpected failure: %s\n", err);
    assert_int_equal(rc, 0);
    assert_non_null(w);
    return w;
}

/* Asserts that doc fails with code and a one-line message containing want. */
static void expect_error(const char *doc, int code, const char *want)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = (jf_workload_t *)&err; /* must be reset to NULL */
    int rc = parse_q(doc, &w, err);

    if (rc != code || strstr(err, want) == NULL)
        print_error("doc: %s\n  got %s: %s\n  want %s: ...%s...\n", doc, jf_err_name(rc), err,
                    jf_err_name(code), want);
    assert_int_equal(rc, code);
    assert_null(w);
    assert_non_null(strstr(err, want));
    assert_null(strchr(err, '\n'));
    assert_int_equal(strncmp(err, "w.json: ", 8), 0);
}

static const char *workloads_dir(void)
{
    const char *d = getenv("JF_WORKLOADS");

    return d != NULL && d[0] != '\0' ? d : "workloads";
}

static void test_workload_parse_defaults(void **state)
{
    jf_workload_t *w = parse_ok("{'name':'tiny','items':5,"
                                "'stages':[{'name':'a','kernel':'spin'}]}");

    assert_string_equal(w->name, "tiny");
    assert_string_equal(w->description, "");
    assert_string_equal(w->source, "w.json");
    assert_int_equal(w->items, 5);
    assert_int_equal(w->item_bytes, 64);
    assert_int_equal(w->seed, 1);
    assert_int_equal(w->nstages, 1);
    assert_string_equal(w->stages[0].name, "a");
    assert_string_equal(w->stages[0].kernel, "spin");
    assert_true(w->stages[0].ns == 1000.0);
    assert_int_equal(w->stages[0].dist, JF_DIST_FIXED);
    assert_int_equal(w->nsets, 0);
    jf_workload_destroy(w);
    jf_workload_destroy(NULL);
}

static const char *full_doc =
    "{'name':'full','description':'every field','items':100,'item_bytes':128,'seed':7,"
    "'stages':[{'name':'p','kernel':'spin','ns':500,'dist':'uniform'},"
    "{'name':'m','kernel':'memory','ns':2000,'dist':'exponential','bytes':4096},"
    "{'name':'c','kernel':'checksum'},"
    "{'name':'s','kernel':'sleep','ns':0,'dist':'bimodal'},"
    "{'name':'f','kernel':'fail','fail_at':42}],"
    "'phases':[{'after_items':10,'set':{'p':{'ns':800},'m':{'ns':1}}},"
    "{'after_items':50,'set':{'p':{'ns':900.5}}}]}";

static void test_workload_parse_all_fields(void **state)
{
    jf_workload_t *w = parse_ok(full_doc);

    assert_string_equal(w->description, "every field");
    assert_int_equal(w->items, 100);
    assert_int_equal(w->item_bytes, 128);
    assert_int_equal(w->seed, 7);
    assert_int_equal(w->nstages, 5);
    assert_int_equal(w->stages[0].dist, JF_DIST_UNIFORM);
    assert_true(w->stages[0].ns == 500.0);
    assert_int_equal(w->stages[1].dist, JF_DIST_EXPONENTIAL);
    assert_int_equal(w->stages[1].bytes, 4096);
    assert_true(w->stages[2].ns == 1000.0);
    assert_int_equal(w->stages[3].dist, JF_DIST_BIMODAL);
    assert_true(w->stages[3].ns == 0.0);
    assert_int_equal(w->stages[4].fail_at, 42);
    assert_int_equal(w->nsets, 3);
    assert_int_equal(w->sets[0].after_items, 10);
    assert_int_equal(w->sets[0].stage, 0);
    assert_int_equal(w->sets[1].stage, 1);
    assert_int_equal(w->sets[1].phase, 0);
    assert_int_equal(w->sets[2].after_items, 50);
    assert_int_equal(w->sets[2].phase, 1);
    assert_true(w->sets[2].ns == 900.5);
    jf_workload_destroy(w);

    /* The memory kernel's working set defaults to 1 MiB. */
    w = parse_ok("{'name':'m','items':1,'stages':[{'name':'a','kernel':'memory'}]}");
    assert_int_equal(w->stages[0].bytes, 1u << 20);
    jf_workload_destroy(w);
}

typedef struct bad_case {
    const char *doc;
    int code;
    const char *want;
} bad_case_t;

#define ST "'stages':[{'name':'a','kernel':'spin'}]"
#define ST2 "'stages':[{'name':'a','kernel':'spin'},{'name':'b','kernel':'spin'}]"

static const bad_case_t bad_top[] = {
    {"{'name':'a','items':1," ST ",'colour':1}", JF_EINVAL, "w.json: colour: unknown field"},
    {"{'Name':'a','items':1," ST "}", JF_EINVAL, "w.json: Name: unknown field"},
    {"{'name':'a','items':1,'items':2," ST "}", JF_EINVAL, "w.json: items: duplicate field"},
    {"{'items':1," ST "}", JF_EINVAL, "w.json: name: missing"},
    {"{'name':'','items':1," ST "}", JF_EINVAL, "w.json: name: expected a non-empty string"},
    {"{'name':7,'items':1," ST "}", JF_EINVAL, "w.json: name: expected a string, got a number"},
    {"{'name':'a/b','items':1," ST "}", JF_EINVAL, "w.json: name: expected a name without '/'"},
    {"{'name':'a\\nb','items':1," ST "}", JF_EINVAL, "w.json: name: expected a name without"},
    {"{'name':'a','description':5,'items':1," ST "}", JF_EINVAL,
     "w.json: description: expected a string"},
    {"{'name':'a'," ST "}", JF_EINVAL, "w.json: items: missing"},
    {"{'name':'a','items':0," ST "}", JF_ERANGE, "w.json: items: expected an integer >= 1"},
    {"{'name':'a','items':-1," ST "}", JF_ERANGE, "w.json: items: expected an integer >= 1"},
    {"{'name':'a','items':1.5," ST "}", JF_EINVAL, "w.json: items: expected an integer"},
    {"{'name':'a','items':'10'," ST "}", JF_EINVAL, "w.json: items: expected an integer"},
    {"{'name':'a','items':true," ST "}", JF_EINVAL, "w.json: items: expected an integer"},
    {"{'name':'a','items':1e10," ST "}", JF_ERANGE,
     "w.json: items: expected an integer <= 1000000000"},
    {"{'name':'a','items':1e999," ST "}", JF_ERANGE, "w.json: items: expected an integer"},
    {"{'name':'a','items':1,'item_bytes':4," ST "}", JF_ERANGE,
     "w.json: item_bytes: expected an integer >= 8"},
    {"{'name':'a','items':1,'item_bytes':2000000," ST "}", JF_ERANGE,
     "w.json: item_bytes: expected an integer <= 1048576"},
    {"{'name':'a','items':1,'seed':-1," ST "}", JF_ERANGE, "w.json: seed: expected an integer"},
    {"{'name':'a','items':1,'seed':0.5," ST "}", JF_EINVAL, "w.json: seed: expected an integer"},
    {"{'name':'a','items':1,'seed':1e300," ST "}", JF_ERANGE, "w.json: seed: expected an"},
    {"{'name':'a','items':1}", JF_EINVAL, "w.json: stages: missing"},
    {"{'name':'a','items':1,'stages':{}}", JF_EINVAL, "w.json: stages: expected an array"},
    {"{'name':'a','items':1,'stages':[]}", JF_ERANGE,
     "w.json: stages: expected an array of 1 to 64 stages, got 0"},
};

static const bad_case_t bad_stages[] = {
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin'},'x']}", JF_EINVAL,
     "w.json: stages[1]: expected a stage object, got a string"},
    {"{'name':'a','items':1,'stages':[{'name':'a'}]}", JF_EINVAL,
     "w.json: stages[0].kernel: missing"},
    {"{'name':'a','items':1,'stages':[{'kernel':'spin'}]}", JF_EINVAL,
     "w.json: stages[0].name: missing"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin'},{'name':'a','kernel':'spin'}]}",
     JF_EINVAL, "w.json: stages[1].name: duplicate stage name \"a\""},
    {"{'name':'a','items':1,'stages':[{'name':'a\\tb','kernel':'spin'}]}", JF_EINVAL,
     "w.json: stages[0].name: expected a name without control characters"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'warp'}]}", JF_EINVAL,
     "w.json: stages[0].kernel: unknown kernel \"warp\" (expected one of: spin, sleep"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','dist':'normal'}]}", JF_EINVAL,
     "w.json: stages[0].dist: unknown distribution \"normal\""},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','dist':1}]}", JF_EINVAL,
     "w.json: stages[0].dist: expected a string"},
    {"{'name':'a','items':1," ST2 "}", 0, ""}, /* sanity: the base of the next ones is fine */
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin'},{'name':'b','kernel':'spin'},"
     "{'name':'c','kernel':'spin','ns':-5}]}",
     JF_ERANGE, "w.json: stages[2].ns: expected a number >= 0"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','ns':'fast'}]}", JF_EINVAL,
     "w.json: stages[0].ns: expected a number"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','ns':1e11}]}", JF_ERANGE,
     "w.json: stages[0].ns: expected a number <= 10000000000"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','ns':-1e999}]}", JF_ERANGE,
     "w.json: stages[0].ns: expected a number"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','colour':'red'}]}", JF_EINVAL,
     "w.json: stages[0].colour: unknown field (expected one of: name, kernel, ns"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','ns':1,'ns':2}]}", JF_EINVAL,
     "w.json: stages[0].ns: duplicate field"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','bytes':64}]}", JF_EINVAL,
     "w.json: stages[0].bytes: the spin kernel takes no \"bytes\" field"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'memory','bytes':0}]}", JF_ERANGE,
     "w.json: stages[0].bytes: expected an integer >= 1"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'memory','bytes':2147483648}]}",
     JF_ERANGE, "w.json: stages[0].bytes: expected an integer <= 1073741824"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','fail_at':3}]}", JF_EINVAL,
     "w.json: stages[0].fail_at: the spin kernel takes no \"fail_at\" field"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'fail','fail_at':-1}]}", JF_ERANGE,
     "w.json: stages[0].fail_at: expected an integer >= 0"},
    {"{'name':'a','items':1,'item_bytes':8,'stages':[{'name':'a','kernel':'checksum'}]}",
     JF_ERANGE, "w.json: stages[0].kernel: the checksum kernel needs item_bytes >= 12, got 8"},
};

static const bad_case_t bad_phases[] = {
    {"{'name':'a','items':10," ST ",'phases':{}}", JF_EINVAL, "w.json: phases: expected an array"},
    {"{'name':'a','items':10," ST ",'phases':[3]}", JF_EINVAL,
     "w.json: phases[0]: expected a phase object, got a number"},
    {"{'name':'a','items':10," ST ",'phases':[{'set':{'a':{'ns':1}}}]}", JF_EINVAL,
     "w.json: phases[0].after_items: missing"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':10,'set':{'a':{'ns':1}}}]}",
     JF_ERANGE, "w.json: phases[0].after_items: expected an integer <= 9"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':-1,'set':{'a':{'ns':1}}}]}",
     JF_ERANGE, "w.json: phases[0].after_items: expected an integer >= 0"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1}]}", JF_EINVAL,
     "w.json: phases[0].set: missing"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1,'when':2,'set':{}}]}", JF_EINVAL,
     "w.json: phases[0].when: unknown field"},
    {"{'name':'a','items':10," ST2 ",'phases':[{'after_items':1,'set':{'a':{'ns':1}}},"
     "{'after_items':2,'set':{'foo':{'ns':1}}}]}",
     JF_EINVAL, "w.json: phases[1].set.foo: no stage named \"foo\""},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1,'set':{}}]}", JF_EINVAL,
     "w.json: phases[0].set: expected an object like"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1,'set':[]}]}", JF_EINVAL,
     "w.json: phases[0].set: expected an object like"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1,'set':{'a':5}}]}", JF_EINVAL,
     "w.json: phases[0].set.a: expected an object like {\"ns\": 1000}, got a number"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1,'set':{'a':{}}}]}", JF_EINVAL,
     "w.json: phases[0].set.a.ns: missing"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1,'set':{'a':{'ns':-1}}}]}",
     JF_ERANGE, "w.json: phases[0].set.a.ns: expected a number >= 0"},
    {"{'name':'a','items':10," ST ",'phases':[{'after_items':1,'set':{'a':{'ns':1,'dist':'x'}}}]}",
     JF_EINVAL, "w.json: phases[0].set.a.dist: unknown field"},
    {"{'name':'a','items':10," ST2 ",'phases':[{'after_items':1,"
     "'set':{'a':{'ns':1},'b':{'ns':1},'a':{'ns':2}}}]}",
     JF_EINVAL, "w.json: phases[0].set.a: duplicate field"},
};

static void run_cases(const bad_case_t *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cases[i].code == 0) {
            jf_workload_destroy(parse_ok(cases[i].doc));
            continue;
        }
        expect_error(cases[i].doc, cases[i].code, cases[i].want);
    }
}

static void test_workload_rejects_bad_top_level(void **state)
{
    run_cases(bad_top, sizeof bad_top / sizeof bad_top[0]);
}

static void test_workload_rejects_bad_stages(void **state)
{
    run_cases(bad_stages, sizeof bad_stages / sizeof bad_stages[0]);
}

static void test_workload_rejects_bad_phases(void **state)
{
    run_cases(bad_phases, sizeof bad_phases / sizeof bad_phases[0]);
}

/* Builds a document with n stages (named s0, s1, ...) and `phases` phases. */
static char *many_doc(size_t n, size_t phases, size_t name_len)
{
    size_t cap = 256 + n * 64 + phases * 64 + name_len;
    char *d = malloc(cap);
    size_t used;

    assert_non_null(d);
    used = (size_t)snprintf(d, cap, "{\"name\":\"%.*s\",\"items\":1000,\"stages\":[", (int)name_len,
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(d + used, cap - used, "%s{\"name\":\"s%zu\",\"kernel\":\"spin\"}",
                                 i ? "," : "", i);
    used += (size_t)snprintf(d + used, cap - used, "],\"phases\":[");
    for (size_t i = 0; i < phases; i++)
        used += (size_t)snprintf(d + used, cap - used,
                                 "%s{\"after_items\":%zu,\"set\":{\"s0\":{\"ns\":5}}}",
                                 i ? "," : "", i);
    snprintf(d + used, cap - used, "]}");
    return d;
}

static int parse_text(const char *text, jf_workload_t **w, char *err)
{
    return jf_workload_parse(text, strlen(text), "w.json", w, err);
}

static void test_workload_limits(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = NULL;
    char *d;

    d = many_doc(64, 256, 128);
    assert_int_equal(parse_text(d, &w, err), 0);
    assert_int_equal(w->nstages, 64);
    assert_int_equal(w->nsets, 256);
    jf_workload_destroy(w);
    free(d);

    d = many_doc(65, 0, 1);
    assert_int_equal(parse_text(d, &w, err), JF_ERANGE);
    assert_non_null(strstr(err, "w.json: stages: expected an array of 1 to 64 stages, got 65"));
    free(d);

    d = many_doc(1, 257, 1);
    assert_int_equal(parse_text(d, &w, err), JF_ERANGE);
    assert_non_null(strstr(err, "w.json: phases: expected at most 256 phases, got 257"));
    free(d);

    d = many_doc(1, 0, 129);
    assert_int_equal(parse_text(d, &w, err), JF_ERANGE);
    assert_non_null(strstr(err, "w.json: name: expected a string of at most 128 bytes, got 129"));
    free(d);
    assert_null(w);
}

static void test_workload_rejects_bad_json(void **state)
{
    static const bad_case_t cases[] = {
        {"", JF_EPARSE, "w.json: empty file"},
        {" \n\t\r\n", JF_EPARSE, "w.json: empty file"},
        {"[1, 2]", JF_EPARSE, "w.json: expected a JSON object at the top level"},
        {"42", JF_EPARSE, "w.json: expected a JSON object at the top level"},
        {"{\n'name': 'a',\n'items': ,\n}", JF_EPARSE, "w.json: not valid JSON near line 3"},
        {"{'name':'a'\n\n\n\n", JF_EPARSE, "w.json: not valid JSON near line"},
        {"{}\n{}", JF_EPARSE, "w.json: not valid JSON near line 2 (text after the top-level"},
        {"{'name':'a','items':1," ST "} x", JF_EPARSE, "w.json: not valid JSON near line 1"},
    };
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = NULL;

    run_cases(cases, sizeof cases / sizeof cases[0]);
    /* A NUL inside the text, and no text at all. */
    assert_int_equal(jf_workload_parse("{}\0{}", 5, "w.json", &w, err), JF_EPARSE);
    assert_non_null(strstr(err, "w.json: not valid JSON near line 1"));
    assert_int_equal(jf_workload_parse(NULL, 0, "w.json", &w, err), JF_EPARSE);
    assert_non_null(strstr(err, "w.json: empty file"));
    assert_null(w);
}

static void test_workload_deep_nesting_does_not_crash(void **state)
{
    static const char *const opens[] = {"[", "{\"a\":"};
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = NULL;
    size_t n = 100000;

    for (size_t k = 0; k < 2; k++) {
        size_t step = strlen(opens[k]);
        char *d = malloc(n * step + 1);

        assert_non_null(d);
        for (size_t i = 0; i < n; i++)
            memcpy(d + i * step, opens[k], step);
        assert_int_equal(jf_workload_parse(d, n * step, "deep.json", &w, err), JF_EPARSE);
        assert_non_null(strstr(err, "deep.json: not valid JSON near line 1"));
        free(d);
    }
    /* Nested below cJSON's limit, in a field: a type error, not a crash. */
    {
        const char *head = "{\"name\":\"a\",\"items\":1,\"stages\":[{\"name\":\"a\","
                           "\"kernel\":\"spin\"}],\"description\":";
        size_t depth = 900, hl = strlen(head);
        char *d = malloc(hl + 2 * depth + 2);

        assert_non_null(d);
        memcpy(d, head, hl);
        memset(d + hl, '[', depth);
        memset(d + hl + depth, ']', depth);
        memcpy(d + hl + 2 * depth, "}", 2);
        assert_int_equal(parse_text(d, &w, err), JF_EINVAL);
        assert_non_null(strstr(err, "w.json: description: expected a string, got an array"));
        free(d);
    }
    assert_null(w);
}

/* Mean of n samples of stage 0 of w. */
static double sample_mean(const jf_workload_t *w, uint64_t n)
{
    double sum = 0;

    for (uint64_t s = 0; s < n; s++)
        sum += jf_workload_item_ns(w, 0, s);
    return sum / (double)n;
}

static void test_workload_dist_means(void **state)
{
    static const char *const dists[] = {"fixed", "uniform", "exponential", "bimodal"};
    char doc[256];

    for (size_t i = 0; i < 4; i++) {
        jf_workload_t *w;
        double mean;

        snprintf(doc, sizeof doc,
                 "{'name':'d','items':1,'stages':[{'name':'a','kernel':'spin','ns':1000,"
                 "'dist':'%s'}]}",
                 dists[i]);
        w = parse_ok(doc);
        mean = sample_mean(w, 200000);
        print_message("%-12s mean %.2f ns over 200000 samples (ns = 1000)\n", dists[i], mean);
        assert_true(fabs(mean - 1000.0) < 20.0);
        assert_string_equal(jf_dist_name(w->stages[0].dist), dists[i]);
        assert_int_equal(jf_dist_parse(dists[i]), (int)i);
        jf_workload_destroy(w);
    }
    assert_int_equal(jf_dist_parse("normal"), -1);
    assert_string_equal(jf_dist_name((jf_dist_t)99), "?");
}

static void test_workload_dist_shapes(void **state)
{
    jf_workload_t *w = parse_ok("{'name':'d','items':1,'stages':["
                                "{'name':'u','kernel':'spin','ns':100,'dist':'uniform'},"
                                "{'name':'e','kernel':'spin','ns':100,'dist':'exponential'},"
                                "{'name':'b','kernel':'spin','ns':100,'dist':'bimodal'}]}");
    uint64_t slow = 0, n = 100000;

    for (uint64_t s = 0; s < n; s++) {
        double u = jf_workload_item_ns(w, 0, s), e = jf_workload_item_ns(w, 1, s);
        double b = jf_workload_item_ns(w, 2, s);

        assert_true(u >= 0.0 && u <= 200.0);
        assert_true(e >= 0.0 && e <= 5000.0);
        assert_true(b == 50.0 || b == 550.0);
        slow += b == 550.0;
    }
    assert_true(slow > n / 10 - n / 100 && slow < n / 10 + n / 100);
    assert_true(jf_workload_item_ns(w, 3, 0) == 0.0); /* no such stage */
    assert_true(jf_workload_item_ns(NULL, 0, 0) == 0.0);
    jf_workload_destroy(w);
}

static void test_workload_dist_deterministic(void **state)
{
    const char *fmt = "{'name':'d','items':1,'seed':%d,'stages':["
                      "{'name':'a','kernel':'spin','dist':'exponential'},"
                      "{'name':'b','kernel':'spin','dist':'exponential'}]}";
    char doc[256];
    jf_workload_t *w1, *w2, *w3;
    int same_seed_diff = 0, other_seed_diff = 0, other_stage_diff = 0;

    snprintf(doc, sizeof doc, fmt, 1);
    w1 = parse_ok(doc);
    w2 = parse_ok(doc);
    snprintf(doc, sizeof doc, fmt, 2);
    w3 = parse_ok(doc);
    /* Backwards on purpose: a value must not depend on the order of calls. */
    for (uint64_t s = 1000; s-- > 0;) {
        double a = jf_workload_item_ns(w1, 0, s);

        same_seed_diff += a != jf_workload_item_ns(w2, 0, 999 - (999 - s));
        other_seed_diff += a != jf_workload_item_ns(w3, 0, s);
        other_stage_diff += a != jf_workload_item_ns(w1, 1, s);
        assert_true(a == jf_workload_item_ns(w1, 0, s));
    }
    assert_int_equal(same_seed_diff, 0);
    assert_true(other_seed_diff > 990);
    assert_true(other_stage_diff > 990);
    jf_workload_destroy(w1);
    jf_workload_destroy(w2);
    jf_workload_destroy(w3);
}

static void test_workload_phases_switch_cost(void **state)
{
    /* Phases out of order on purpose: the latest after_items <= seq wins,
     * and on a tie the later one in the file. */
    jf_workload_t *w = parse_ok("{'name':'p','items':100,'stages':["
                                "{'name':'a','kernel':'spin','ns':1000},"
                                "{'name':'b','kernel':'spin','ns':10}],"
                                "'phases':[{'after_items':50,'set':{'a':{'ns':3000}}},"
                                "{'after_items':20,'set':{'a':{'ns':2000},'b':{'ns':20}}},"
                                "{'after_items':50,'set':{'b':{'ns':30}}},"
                                "{'after_items':50,'set':{'b':{'ns':40}}}]}");

    assert_true(jf_workload_item_ns(w, 0, 0) == 1000.0);
    assert_true(jf_workload_item_ns(w, 0, 19) == 1000.0);
    assert_true(jf_workload_item_ns(w, 0, 20) == 2000.0);
    assert_true(jf_workload_item_ns(w, 0, 49) == 2000.0);
    assert_true(jf_workload_item_ns(w, 0, 50) == 3000.0);
    assert_true(jf_workload_item_ns(w, 0, 99) == 3000.0);
    assert_true(jf_workload_item_ns(w, 1, 19) == 10.0);
    assert_true(jf_workload_item_ns(w, 1, 20) == 20.0);
    assert_true(jf_workload_item_ns(w, 1, 50) == 40.0);
    jf_workload_destroy(w);
}

static void test_workload_to_json_round_trip(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = parse_ok(full_doc), *back = NULL;
    cJSON *j = jf_workload_to_json(w), *again;
    char *text, *text2;

    assert_non_null(j);
    text = cJSON_PrintUnformatted(j);
    assert_non_null(text);
    assert_int_equal(jf_workload_parse(text, strlen(text), "again.json", &back, err), 0);
    again = jf_workload_to_json(back);
    text2 = cJSON_PrintUnformatted(again);
    assert_string_equal(text, text2);
    assert_int_equal(back->nsets, w->nsets);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "phases")), 2);
    cJSON_Delete(j);
    cJSON_Delete(again);
    cJSON_free(text);
    cJSON_free(text2);
    jf_workload_destroy(w);
    jf_workload_destroy(back);

    /* Defaults are spelled out; kernel-specific fields only where they apply. */
    w = parse_ok("{'name':'t','items':3,'stages':[{'name':'a','kernel':'spin'}]}");
    j = jf_workload_to_json(w);
    text = cJSON_PrintUnformatted(j);
    assert_string_equal(text, "{\"name\":\"t\",\"description\":\"\",\"items\":3,\"item_bytes\":64,"
                              "\"seed\":1,\"stages\":[{\"name\":\"a\",\"kernel\":\"spin\","
                              "\"ns\":1000,\"dist\":\"fixed\"}],\"phases\":[]}");
    cJSON_free(text);
    cJSON_Delete(j);
    jf_workload_destroy(w);
}

static void test_workload_spin_calibration(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    double ipn = jf_spin_calibrate();
    jf_workload_t *w = parse_ok("{'name':'s','items':1,'stages':[{'name':'a','kernel':'spin',"
                                "'ns':1000}]}");
    jf_workload_binding_t b;
    unsigned char payload[64];
    jf_item_t in = {0, payload, sizeof payload, 0}, out;
    uint64_t t0, n = 20000, failed = 0;

    assert_true(ipn > 0.0 && isfinite(ipn));
    assert_true(jf_spin_calibrate() == ipn); /* once per process */
    assert_int_equal(jf_workload_bind(w, &b, err), 0);
    assert_false(b.specs[0].yields);
    t0 = jf_clock_ns();
    for (in.seq = 0; in.seq < n; in.seq++) {
        out = in;
        failed += b.specs[0].fn(b.specs[0].ctx, &in, &out) != 0;
    }
    /* Figures, not assertions: a shared CI machine is too noisy for them. */
    print_message("spin: %.4f iterations/ns; spin of 1000 ns measured %.1f ns/item\n", ipn,
                  (double)(jf_clock_ns() - t0) / (double)n);
    assert_int_equal(failed, 0);
    jf_workload_unbind(&b);
    jf_workload_destroy(w);
}

/* Runs one item through source, every stage and sink of a binding. */
static int run_item(const jf_workload_binding_t *b, uint64_t seq, unsigned char *buf,
                    uint32_t bytes)
{
    jf_item_t it = {seq, buf, bytes, 0}, out;
    int rc = b->source(b->source_ctx, &it);

    for (size_t i = 0; rc == 0 && i < b->nstages; i++) {
        out = it;
        rc = b->specs[i].fn(b->specs[i].ctx, &it, &out);
        it = out;
    }
    return rc != 0 ? rc : b->sink(b->sink_ctx, &it);
}

static void test_workload_source_sink_round_trip(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = parse_ok("{'name':'r','items':100,'item_bytes':100,'stages':["
                                "{'name':'a','kernel':'spin','ns':50,'dist':'uniform'},"
                                "{'name':'m','kernel':'memory','ns':100,'bytes':1000},"
                                "{'name':'s','kernel':'sleep','ns':10},"
                                "{'name':'c','kernel':'checksum'}]}");
    unsigned char a[100], b2[100];
    jf_workload_binding_t b;
    jf_item_t it = {7, a, sizeof a, 0};

    assert_int_equal(jf_workload_bind(w, &b, err), 0);
    assert_int_equal(b.nstages, 4);
    assert_string_equal(b.specs[1].name, "m");
    assert_ptr_equal(b.specs[1].name, w->stages[1].name);
    assert_false(b.specs[1].yields);
    assert_true(b.specs[2].yields);
    for (uint64_t seq = 0; seq < 100; seq++)
        assert_int_equal(run_item(&b, seq, a, sizeof a), 0);

    /* The payload is a function of (seed, seq): the same twice, different
     * for another seq; the seq itself is in the first 8 bytes. */
    assert_int_equal(b.source(b.source_ctx, &it), 0);
    memcpy(b2, a, sizeof a);
    assert_int_equal(b.source(b.source_ctx, &it), 0);
    assert_memory_equal(a, b2, sizeof a);
    assert_int_equal(it.used, sizeof a);
    it.seq = 8;
    assert_int_equal(b.source(b.source_ctx, &it), 0);
    assert_memory_not_equal(a + 8, b2 + 8, sizeof a - 8);

    /* A clobbered seq, or one paired with the wrong item, fails the sink. */
    a[0] ^= 1;
    assert_int_not_equal(b.sink(b.sink_ctx, &it), 0);
    a[0] ^= 1;
    assert_int_equal(b.sink(b.sink_ctx, &it), 0);
    it.seq = 9;
    assert_int_not_equal(b.sink(b.sink_ctx, &it), 0);
    jf_workload_unbind(&b);
    jf_workload_unbind(&b); /* zeroed: harmless */
    jf_workload_destroy(w);
}

typedef struct worker_arg {
    const jf_workload_binding_t *b;
    uint64_t first, step, items;
    int failures;
} worker_arg_t;

static void *worker(void *p)
{
    worker_arg_t *a = p;
    unsigned char buf[256];

    for (uint64_t seq = a->first; seq < a->items; seq += a->step)
        a->failures += run_item(a->b, seq, buf, sizeof buf) != 0;
    return NULL;
}

/* Kernels share one read-only context across workers; run them from
 * JF_TEST_THREADS threads (default: the CPU count) under TSan to check it. */
static void test_workload_kernels_concurrent(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = parse_ok("{'name':'c','items':4000,'item_bytes':256,'stages':["
                                "{'name':'a','kernel':'spin','ns':200,'dist':'exponential'},"
                                "{'name':'m','kernel':'memory','ns':200,'bytes':4096},"
                                "{'name':'c','kernel':'checksum'},"
                                "{'name':'f','kernel':'fail','ns':10,'fail_at':4001}]}");
    unsigned n = test_threads() > 64 ? 64 : test_threads();
    jf_workload_binding_t b;
    pthread_t tid[64];
    worker_arg_t args[64];

    assert_int_equal(jf_workload_bind(w, &b, err), 0);
    for (unsigned t = 0; t < n; t++) {
        args[t] = (worker_arg_t){&b, t, n, w->items, 0};
        assert_int_equal(pthread_create(&tid[t], NULL, worker, &args[t]), 0);
    }
    for (unsigned t = 0; t < n; t++) {
        assert_int_equal(pthread_join(tid[t], NULL), 0);
        assert_int_equal(args[t].failures, 0);
    }
    jf_workload_unbind(&b);
    jf_workload_destroy(w);
}

static void test_workload_checksum_kernel(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = parse_ok("{'name':'c','items':1,'item_bytes':13,'stages':["
                                "{'name':'c','kernel':'checksum'}]}");
    unsigned char p[13] = "123456789";
    jf_item_t in = {0, p, sizeof p, 0}, out = in;
    jf_workload_binding_t b;
    uint32_t crc;

    assert_int_equal(jf_workload_bind(w, &b, err), 0);
    assert_int_equal(b.specs[0].fn(b.specs[0].ctx, &in, &out), 0);
    crc = (uint32_t)p[9] | (uint32_t)p[10] << 8 | (uint32_t)p[11] << 16 | (uint32_t)p[12] << 24;
    assert_int_equal(crc, 0xcbf43926u); /* the standard CRC-32 check value */
    assert_memory_equal(p, "123456789", 9);
    jf_workload_unbind(&b);
    jf_workload_destroy(w);
}

static void test_workload_fail_kernel(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = parse_ok("{'name':'f','items':10,'stages':["
                                "{'name':'f','kernel':'fail','ns':10,'fail_at':3}]}");
    unsigned char p[64];
    jf_workload_binding_t b;

    assert_int_equal(jf_workload_bind(w, &b, err), 0);
    for (uint64_t seq = 0; seq < 10; seq++)
        assert_int_equal(run_item(&b, seq, p, sizeof p), seq == 3 ? 1 : 0);
    jf_workload_unbind(&b);
    jf_workload_destroy(w);
}

static void test_workload_bind_rejects_unknown_kernel(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX];
    jf_workload_t *w = parse_ok("{'name':'k','items':1,'stages':["
                                "{'name':'a','kernel':'memory','bytes':64},"
                                "{'name':'b','kernel':'spin'}]}");
    jf_workload_binding_t b;

    /* A workload assembled by hand can name anything; bind must say no and
     * release the memory kernel it already prepared. */
    jf_free(w->stages[1].kernel);
    w->stages[1].kernel = strcpy(jf_calloc(5, 1), "warp");
    assert_int_equal(jf_workload_bind(w, &b, err), JF_EINVAL);
    assert_string_equal(err, "w.json: stages[1].kernel: unknown kernel \"warp\"");
    assert_null(b.priv);
    assert_null(jf_workload_to_json(NULL));
    jf_workload_destroy(w);
}

static void test_workload_shipped_files_load(void **state)
{
    const char *dir = workloads_dir();
    char err[JF_WORKLOAD_ERR_MAX], path[1024];
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;

    if (d == NULL)
        print_error("cannot open %s (set JF_WORKLOADS)\n", dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        jf_workload_t *w = NULL;
        jf_workload_binding_t b;

        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (jf_workload_load(path, &w, err) != 0)
            print_error("%s\n", err);
        assert_non_null(w);
        assert_int_equal(jf_workload_bind(w, &b, err), 0);
        jf_workload_unbind(&b);
        jf_workload_destroy(w);
        found++;
    }
    closedir(d);
    assert_true(found >= 2);
}

static void test_workload_find(void **state)
{
    char err[JF_WORKLOAD_ERR_MAX], path[1024];
    const char *dir = workloads_dir();
    jf_workload_t *w = NULL;

    assert_int_equal(jf_workload_find("bottleneck", dir, &w, err), 0);
    assert_string_equal(w->name, "bottleneck");
    assert_string_equal(w->description, "three stages, the middle one eight times slower");
    assert_int_equal(w->items, 20000);
    assert_int_equal(w->item_bytes, 64);
    assert_int_equal(w->nstages, 3);
    assert_true(w->stages[0].ns == 1000.0 && w->stages[1].ns == 8000.0 &&
                w->stages[2].ns == 1000.0);
    assert_int_equal(w->stages[1].dist, JF_DIST_FIXED);
    assert_int_equal(w->nsets, 0);
    jf_workload_destroy(w);

    snprintf(path, sizeof path, "%s/balanced.json", dir);
    assert_int_equal(jf_workload_find(path, "/nonexistent", &w, err), 0);
    assert_int_equal(w->nstages, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(w->stages[i].ns == 2000.0);
    jf_workload_destroy(w);

    assert_int_equal(jf_workload_find("nope", dir, &w, err), JF_EINVAL);
    assert_null(w);
    assert_non_null(strstr(err, "workload \"nope\": not found in "));
    assert_non_null(strstr(err, "(try `bench list`)"));
    assert_int_equal(jf_workload_find("", dir, &w, err), JF_EINVAL);
    assert_int_equal(jf_workload_find("/nonexistent/x.json", dir, &w, err), JF_EIO);
    assert_non_null(strstr(err, "/nonexistent/x.json: cannot open: "));
}

static void test_workload_load_errors(void **state)
{
    char tmpl[] = "/tmp/jf_workload_XXXXXX", path[256], err[JF_WORKLOAD_ERR_MAX];
    char *dir = mkdtemp(tmpl);
    jf_workload_t *w = NULL;
    FILE *f;

    assert_non_null(dir);
    assert_int_equal(jf_workload_load(dir, &w, err), JF_EIO);
    assert_non_null(strstr(err, ": cannot read: "));

    snprintf(path, sizeof path, "%s/big.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)JF_WORKLOAD_MAX_FILE_BYTES + 1), 0);
    fclose(f);
    assert_int_equal(jf_workload_load(path, &w, err), JF_ERANGE);
    assert_non_null(strstr(err, "big.json: file too large"));
    unlink(path);

    snprintf(path, sizeof path, "%s/bad.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\n  \"name\": \"x\",\n  \"items\": [1,\n}\n", f);
    fclose(f);
    assert_int_equal(jf_workload_load(path, &w, err), JF_EPARSE);
    assert_non_null(strstr(err, "bad.json: not valid JSON near line 4"));
    unlink(path);
    rmdir(dir);
    assert_null(w);
}

/* Every allocation of parse and bind can fail; each failure must come back
 * as JF_ENOMEM with nothing leaked (ASan and valgrind check the leaking). */
static void test_workload_out_of_memory(void **state)
{
    char *text = q(full_doc), err[JF_WORKLOAD_ERR_MAX];
    jf_workload_binding_t b;
    int rc = JF_ENOMEM;

    for (unsigned long n = 1; rc == JF_ENOMEM; n++) {
        jf_workload_t *w = NULL;

        jf_alloc_fail_after(n);
        rc = jf_workload_parse(text, strlen(text), "w.json", &w, err);
        if (rc == 0)
            rc = jf_workload_bind(w, &b, err);
        jf_alloc_fail_after(0);
        if (rc == JF_ENOMEM)
            assert_non_null(strstr(err, "out of memory"));
        else if (rc == 0)
            jf_workload_unbind(&b);
        jf_workload_destroy(w);
        assert_true(n < 1000);
    }
    assert_int_equal(rc, 0);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workload_parse_defaults),
        cmocka_unit_test(test_workload_parse_all_fields),
        cmocka_unit_test(test_workload_rejects_bad_top_level),
        cmocka_unit_test(test_workload_rejects_bad_stages),
        cmocka_unit_test(test_workload_rejects_bad_phases),
        cmocka_unit_test(test_workload_limits),
        cmocka_unit_test(test_workload_rejects_bad_json),
        cmocka_unit_test(test_workload_deep_nesting_does_not_crash),
        cmocka_unit_test(test_workload_dist_means),
        cmocka_unit_test(test_workload_dist_shapes),
        cmocka_unit_test(test_workload_dist_deterministic),
        cmocka_unit_test(test_workload_phases_switch_cost),
        cmocka_unit_test(test_workload_to_json_round_trip),
        cmocka_unit_test(test_workload_spin_calibration),
        cmocka_unit_test(test_workload_source_sink_round_trip),
        cmocka_unit_test(test_workload_kernels_concurrent),
        cmocka_unit_test(test_workload_checksum_kernel),
        cmocka_unit_test(test_workload_fail_kernel),
        cmocka_unit_test(test_workload_bind_rejects_unknown_kernel),
        cmocka_unit_test(test_workload_shipped_files_load),
        cmocka_unit_test(test_workload_find),
        cmocka_unit_test(test_workload_load_errors),
        cmocka_unit_test(test_workload_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
