/* test_workload_parse.c - workload files: schema, limits, bad input, normalised output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jf_alloc.h"
#include "core/jf_clock.h"
#include "jefferson/error.h"
#include "core/jf_utf8.h"
#include "test_env.h"
#include "workload_docs.h"
#include "workloads/workload.h"


/* Asserts that doc fails with code and a one-line message containing want. */
static void expect_error(const char *doc, int code, const char *want)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = (workload_t *)&err; /* must be reset to NULL */
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
    workload_t *w = parse_ok("{'name':'tiny','items':5,"
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
    assert_int_equal(w->stages[0].dist, WORKLOAD_DIST_FIXED);
    assert_int_equal(w->nsets, 0);
    workload_destroy(w);
    workload_destroy(NULL);
}

static const char *full_doc =
    "{'name':'full','description':'every field','items':100,'item_bytes':128,'seed':7,"
    "'stages':[{'name':'p','kernel':'spin','ns':500,'dist':'uniform'},"
    "{'name':'m','kernel':'memory','ns':2000,'dist':'exponential','bytes':4096},"
    "{'name':'c','kernel':'checksum'},"
    "{'name':'s','kernel':'sleep','ns':0,'dist':'bimodal'},"
    "{'name':'f','kernel':'fail','fail_at':42},"
    "{'name':'j','kernel':'json','records':2,'ns':3000},"
    "{'name':'x','kernel':'xml','records':1,'dist':'uniform'}],"
    "'arrival':{'rate_per_s':1000.5,'burst':4},"
    "'phases':[{'after_items':10,'set':{'p':{'ns':800},'m':{'ns':1}}},"
    "{'after_items':50,'set':{'p':{'ns':900.5}}}]}";

static void test_workload_parse_all_fields(void **state)
{
    workload_t *w = parse_ok(full_doc);

    assert_string_equal(w->description, "every field");
    assert_int_equal(w->items, 100);
    assert_int_equal(w->item_bytes, 128);
    assert_int_equal(w->seed, 7);
    assert_int_equal(w->nstages, 7);
    assert_int_equal(w->stages[0].dist, WORKLOAD_DIST_UNIFORM);
    assert_true(w->stages[0].ns == 500.0);
    assert_int_equal(w->stages[1].dist, WORKLOAD_DIST_EXPONENTIAL);
    assert_int_equal(w->stages[1].bytes, 4096);
    /* The checksum's default ns is its estimate: 0.55 ns per payload byte. */
    assert_true(fabs(w->stages[2].ns - 0.55 * 128) < 1e-9);
    assert_int_equal(w->stages[3].dist, JF_DIST_BIMODAL);
    assert_true(w->stages[3].ns == 0.0);
    assert_int_equal(w->stages[4].fail_at, 42);
    assert_int_equal(w->stages[5].records, 2);
    assert_true(w->stages[5].ns == 3000.0);
    assert_int_equal(w->stages[6].records, 1);
    assert_true(w->arrival_rate_per_s == 1000.5);
    assert_int_equal(w->arrival_burst, 4);
    assert_int_equal(w->nsets, 3);
    assert_int_equal(w->sets[0].after_items, 10);
    assert_int_equal(w->sets[0].stage, 0);
    assert_int_equal(w->sets[1].stage, 1);
    assert_int_equal(w->sets[1].phase, 0);
    assert_int_equal(w->sets[2].after_items, 50);
    assert_int_equal(w->sets[2].phase, 1);
    assert_true(w->sets[2].ns == 900.5);
    workload_destroy(w);

    /* The memory kernel's working set defaults to 1 MiB. */
    w = parse_ok("{'name':'m','items':1,'stages':[{'name':'a','kernel':'memory'}]}");
    assert_int_equal(w->stages[0].bytes, 1u << 20);
    workload_destroy(w);
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
     "w.json: item_bytes: expected an integer <= 262144"},
    {"{'name':'a','items':1,'item_bytes':262145," ST "}", JF_ERANGE,
     "w.json: item_bytes: expected an integer <= 262144"},
    {"{'name':'a','items':1,'item_bytes':262144," ST "}", 0, ""},
    {"{'name':'a','items':1000000000,'item_bytes':262144," ST "}", 0, ""}, /* streamed */
    {"{'name':'a','items':1,'item_bytes':64.5," ST "}", JF_EINVAL,
     "w.json: item_bytes: expected an integer"},
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
    /* Found while fuzzing: cJSON turns \u0000 into a NUL that cut the name to "a". */
    {"{'name':'a','items':1,'stages':[{'name':'a\\u0000b','kernel':'spin'}]}", JF_EINVAL,
     "w.json: line 1: a string holds \\u0000 (NUL)"},
    {"{'name':'a','items':1,'stages':[{'name':'a\\\\u0000','kernel':'spin'}]}", 0, ""},
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
            workload_destroy(parse_ok(cases[i].doc));
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

static const bad_case_t bad_arrival[] = {
    {"{'name':'a','items':1," ST ",'arrival':5}", JF_EINVAL,
     "w.json: arrival: expected an object like {\"rate_per_s\": 10000, \"burst\": 1}, "
     "got a number"},
    {"{'name':'a','items':1," ST ",'arrival':null}", JF_EINVAL,
     "w.json: arrival: expected an object like"},
    {"{'name':'a','items':1," ST ",'arrival':{}}", JF_EINVAL,
     "w.json: arrival.rate_per_s: missing"},
    {"{'name':'a','items':1," ST ",'arrival':{'burst':4}}", JF_EINVAL,
     "w.json: arrival.rate_per_s: missing"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':'fast'}}", JF_EINVAL,
     "w.json: arrival.rate_per_s: expected a number"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':0}}", JF_ERANGE,
     "w.json: arrival.rate_per_s: expected a number > 0, got 0"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':-10}}", JF_ERANGE,
     "w.json: arrival.rate_per_s: expected a number >= 0"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':2e9}}", JF_ERANGE,
     "w.json: arrival.rate_per_s: expected a number <= 1000000000"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':1e999}}", JF_ERANGE,
     "w.json: arrival.rate_per_s: expected a number <= 1000000000, got a number too large"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':100,'burst':0}}", JF_ERANGE,
     "w.json: arrival.burst: expected an integer >= 1"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':100,'burst':-3}}", JF_ERANGE,
     "w.json: arrival.burst: expected an integer >= 1"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':100,'burst':2.5}}", JF_EINVAL,
     "w.json: arrival.burst: expected an integer"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':100,'burst':'4'}}", JF_EINVAL,
     "w.json: arrival.burst: expected an integer"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':100,'burst':1000001}}", JF_ERANGE,
     "w.json: arrival.burst: expected an integer <= 1000000"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':100,'jitter':1}}", JF_EINVAL,
     "w.json: arrival.jitter: unknown field (expected one of: rate_per_s, burst)"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':1,'rate_per_s':2}}", JF_EINVAL,
     "w.json: arrival.rate_per_s: duplicate field"},
    {"{'name':'a','items':1," ST ",'arrival':{'rate_per_s':1e9,'burst':1000000}}", 0, ""},
};

static const bad_case_t bad_records[] = {
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'json','records':-1}]}", JF_ERANGE,
     "w.json: stages[0].records: expected an integer >= 0"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'xml','records':4097}]}", JF_ERANGE,
     "w.json: stages[0].records: expected an integer <= 4096"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'json','records':1.5}]}", JF_EINVAL,
     "w.json: stages[0].records: expected an integer"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'xml','records':'8'}]}", JF_EINVAL,
     "w.json: stages[0].records: expected an integer"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','records':4}]}", JF_EINVAL,
     "w.json: stages[0].records: the spin kernel takes no \"records\" field"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'checksum','records':4}]}", JF_EINVAL,
     "w.json: stages[0].records: the checksum kernel takes no \"records\" field"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'json','bytes':4}]}", JF_EINVAL,
     "w.json: stages[0].bytes: the json kernel takes no \"bytes\" field"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'plugin','symbol':'s'}]}", JF_EINVAL,
     "w.json: stages[0].library: missing"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'plugin','library':'l.so'}]}",
     JF_EINVAL, "w.json: stages[0].symbol: missing"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'plugin','library':'','symbol':'s'}]}",
     JF_EINVAL, "w.json: stages[0].library: "},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'plugin','library':'l.so',"
     "'symbol':'s','arg':3}]}",
     JF_EINVAL, "w.json: stages[0].arg: expected a string"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'plugin','library':'l.so',"
     "'symbol':'s','fail_at':3}]}",
     JF_EINVAL, "w.json: stages[0].fail_at: the plugin kernel takes no \"fail_at\" field"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'spin','symbol':'s'}]}", JF_EINVAL,
     "w.json: stages[0].symbol: the spin kernel takes no \"symbol\" field"},
    {"{'name':'a','items':1,'item_bytes':15,'stages':[{'name':'a','kernel':'json'}]}", JF_ERANGE,
     "w.json: stages[0].kernel: the json kernel needs item_bytes >= 16, got 15"},
    {"{'name':'a','items':1,'item_bytes':8,'stages':[{'name':'a','kernel':'xml'}]}", JF_ERANGE,
     "w.json: stages[0].kernel: the xml kernel needs item_bytes >= 16, got 8"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'JSON'}]}", JF_EINVAL,
     "w.json: stages[0].kernel: unknown kernel \"JSON\" (expected one of: spin, sleep, memory, "
     "checksum, json, xml"},
    {"{'name':'a','items':1,'stages':[{'name':'a','kernel':'xml','records':0},"
     "{'name':'b','kernel':'json','records':4096}]}",
     0, ""},
};

static void test_workload_rejects_bad_arrival(void **state)
{
    run_cases(bad_arrival, sizeof bad_arrival / sizeof bad_arrival[0]);
}

static void test_workload_rejects_bad_records(void **state)
{
    run_cases(bad_records, sizeof bad_records / sizeof bad_records[0]);
}

/* The memory stages' working sets together must fit in half the RAM and
 * 4 GiB: five stages of 1 GiB never do, wherever the test runs. */
static void test_workload_rejects_too_much_memory(void **state)
{
    uint64_t half = (uint64_t)sysconf(_SC_PHYS_PAGES) / 2 * (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t limit = half < (UINT64_C(4) << 30) ? half : UINT64_C(4) << 30;
    char doc[1024], want[128];
    size_t used = 0;

    used += (size_t)snprintf(doc, sizeof doc, "{'name':'m','items':1,'stages':[");
    for (int i = 0; i < 5; i++)
        used += (size_t)snprintf(doc + used, sizeof doc - used,
                                 "%s{'name':'m%d','kernel':'memory','bytes':1073741824}",
                                 i ? "," : "", i);
    snprintf(doc + used, sizeof doc - used, "]}");
    expect_error(doc, JF_ERANGE, "the memory stages' working sets add up to ");
    expect_error(doc, JF_ERANGE, "(half the physical memory, at most 4 GiB)");
    /* The stage named is the one where the sum first goes over the limit:
     * with stages of 1 GiB, stage floor(limit / 1 GiB). */
    snprintf(want, sizeof want, "w.json: stages[%d].bytes: ", (int)(limit >> 30));
    expect_error(doc, JF_ERANGE, want);
    /* One working set of 1 GiB, the per-stage maximum, fits where half the
     * RAM holds it. */
    if (limit >= (UINT64_C(1) << 30))
        workload_destroy(parse_ok("{'name':'m','items':1,'stages':["
                                     "{'name':'m','kernel':'memory','bytes':1073741824}]}"));
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

static int parse_text(const char *text, workload_t **w, char *err)
{
    return workload_parse(text, strlen(text), "w.json", w, err);
}

static void test_workload_limits(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    char *d;

    d = many_doc(64, 256, 128);
    assert_int_equal(parse_text(d, &w, err), 0);
    assert_int_equal(w->nstages, 64);
    assert_int_equal(w->nsets, 256);
    workload_destroy(w);
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
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;

    run_cases(cases, sizeof cases / sizeof cases[0]);
    /* A NUL inside the text, and no text at all. */
    assert_int_equal(workload_parse("{}\0{}", 5, "w.json", &w, err), JF_EPARSE);
    assert_non_null(strstr(err, "w.json: not valid JSON near line 1"));
    assert_int_equal(workload_parse(NULL, 0, "w.json", &w, err), JF_EPARSE);
    assert_non_null(strstr(err, "w.json: empty file"));
    assert_null(w);
}

static void test_workload_deep_nesting_does_not_crash(void **state)
{
    static const char *const opens[] = {"[", "{\"a\":"};
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    size_t n = 100000;

    for (size_t k = 0; k < 2; k++) {
        size_t step = strlen(opens[k]);
        char *d = malloc(n * step + 1);

        assert_non_null(d);
        for (size_t i = 0; i < n; i++)
            memcpy(d + i * step, opens[k], step);
        assert_int_equal(workload_parse(d, n * step, "deep.json", &w, err), JF_ERANGE);
        assert_string_equal(err, "deep.json: nested deeper than 1000 levels");
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

/* Valid JSON one level deeper than the parser's limit is refused for its
 * depth, not called invalid. */
static void test_workload_too_deep_names_the_limit(void **state)
{
    char err[WORKLOAD_ERR_MAX], *d = malloc(2 * 1001 + 1);
    workload_t *w = NULL;

    assert_non_null(d);
    memset(d, '[', 1001);
    memset(d + 1001, ']', 1001);
    d[2002] = '\0';
    assert_int_equal(parse_text(d, &w, err), JF_ERANGE);
    assert_string_equal(err, "w.json: nested deeper than 1000 levels");
    assert_null(w);
    free(d);
}

/* Every string a workload holds, and every member name, is UTF-8; the
 * error names the path and the offset of the first bad byte. */
static void test_workload_rejects_ill_formed_utf8(void **state)
{
    static const bad_case_t cases[] = {
        {"{'name':'w','items':1,'stages':[{'name':'ab\xff\xfe','kernel':'spin'}]}", JF_EINVAL,
         "w.json: stages[0].name: invalid UTF-8 at byte offset 2"},
        {"{'name':'w\xc0\xaf','items':1," ST "}", JF_EINVAL,
         "w.json: name: invalid UTF-8 at byte offset 1"},
        {"{'name':'w','description':'caf\xc3\xa9 \xed\xa0\x80','items':1," ST "}", JF_EINVAL,
         "w.json: description: invalid UTF-8 at byte offset 6"},
        {"{'name':'w','items':1,'stages':[{'name':'a','kernel':'spin\xf4\x90\x80\x80'}]}",
         JF_EINVAL, "w.json: stages[0].kernel: invalid UTF-8 at byte offset 4"},
        {"{'name':'w','items':1," ST2 ",'phases':[{'after_items':1,'set':{'b\x80':{}}}]}",
         JF_EINVAL, "w.json: phases[0].set: member name: invalid UTF-8 at byte offset 1"},
        {"{'name':'w','items':1," ST ",'col\xffour':1}", JF_EINVAL,
         "w.json: member name: invalid UTF-8 at byte offset 3"},
    };
    workload_t *w;

    run_cases(cases, sizeof cases / sizeof cases[0]);
    /* A value quoted cut to 64 bytes ends in half a character: the
     * message stays UTF-8 ('a' then 40 x U+00E9 is cut after 31 and a half). */
    {
        char doc[256], err[WORKLOAD_ERR_MAX];
        int n = snprintf(doc, sizeof doc, "{\"name\":\"w\",\"items\":1,\"stages\":[{\"name\":"
                                          "\"a\",\"kernel\":\"a");

        for (int i = 0; i < 40; i++)
            n += snprintf(doc + n, sizeof doc - (size_t)n, "\xc3\xa9");
        snprintf(doc + n, sizeof doc - (size_t)n, "\"}]}");
        w = NULL;
        assert_int_equal(workload_parse(doc, strlen(doc), "w.json", &w, err), JF_EINVAL);
        assert_non_null(strstr(err, "stages[0].kernel: unknown kernel \"a\xc3\xa9"));
        assert_int_equal(jf_utf8_check(err, strlen(err)), JF_UTF8_VALID);
    }
    w = parse_ok("{'name':'caf\xc3\xa9','items':1,'stages':[{'name':'\xe2\x82\xac',"
                 "'kernel':'spin'}]}");
    assert_string_equal(w->stages[0].name, "\xe2\x82\xac");
    workload_destroy(w);
}

/* Documents just under the 16 MiB limit take well under a second: one of
 * 8 Mi tiny values is refused by a linear pre-scan before cJSON allocates
 * a node; one that is a single 16 MiB string parses (cJSON is linear) and
 * is a type error or a valid workload. */
static void test_workload_huge_documents_fail_fast(void **state)
{
    const char *head = "{\"name\":\"a\",\"items\":1,\"stages\":[{\"name\":\"a\","
                       "\"kernel\":\"spin\"}],\"description\":";
    size_t hl = strlen(head), len, n;
    char err[WORKLOAD_ERR_MAX], *d = malloc(WORKLOAD_MAX_FILE_BYTES + 2);
    workload_t *w = NULL;
    uint64_t t0;

    assert_non_null(d);
    memcpy(d, head, hl);
    len = hl;
    d[len++] = '[';
    while (len + 8 < WORKLOAD_MAX_FILE_BYTES) {
        d[len++] = '0';
        d[len++] = ',';
    }
    memcpy(d + len, "0]}", 3);
    len += 3;
    t0 = jf_clock_ns();
    assert_int_equal(workload_parse(d, len, "w.json", &w, err), JF_ERANGE);
    assert_string_equal(err, "w.json: too many JSON values (at most 131072)");
    assert_true(jf_clock_ns() - t0 < 2000000000u);

    /* 130000 values are still parsed (and here a type error). */
    len = hl + 1;
    for (int i = 0; i < 129999; i++) {
        d[len++] = '0';
        d[len++] = ',';
    }
    memcpy(d + len, "0]}", 3);
    len += 3;
    assert_int_equal(workload_parse(d, len, "w.json", &w, err), JF_EINVAL);
    assert_string_equal(err, "w.json: description: expected a string, got an array");

    /* Commas inside strings are not values: a 16 MiB description parses. */
    len = hl;
    d[len++] = '"';
    for (; len + 8 < WORKLOAD_MAX_FILE_BYTES; len++)
        d[len] = len % 2 ? ',' : '[';
    n = len - hl - 1; /* characters so far */
    memcpy(d + len, "\\\\\"}", 4); /* an escaped backslash (one more character), the end */
    len += 4;
    t0 = jf_clock_ns();
    assert_int_equal(workload_parse(d, len, "w.json", &w, err), 0);
    assert_int_equal(strlen(w->description), n + 1);
    print_message("16 MiB description parsed in %.0f ms\n", (double)(jf_clock_ns() - t0) / 1e6);
    assert_true(jf_clock_ns() - t0 < 5000000000u); /* generous: sanitizers, slow CI */
    workload_destroy(w);
    w = NULL;

    /* One byte over the limit is refused before anything is looked at. */
    memset(d, ' ', WORKLOAD_MAX_FILE_BYTES + 1);
    t0 = jf_clock_ns();
    assert_int_equal(workload_parse(d, WORKLOAD_MAX_FILE_BYTES + 1, "w.json", &w, err),
                     JF_ERANGE);
    assert_non_null(strstr(err, "w.json: file too large (16777217 bytes, at most 16777216)"));
    assert_true(jf_clock_ns() - t0 < 100000000u);
    free(d);
    assert_null(w);
}

static void test_workload_arrival(void **state)
{
    workload_t *w = parse_ok("{'name':'a','items':1," ST "}");

    assert_true(w->arrival_rate_per_s == 0.0); /* absent: as fast as possible */
    assert_int_equal(w->arrival_burst, 1);
    workload_destroy(w);
    w = parse_ok("{'name':'a','items':1," ST ",'arrival':{'rate_per_s':2500.5}}");
    assert_true(w->arrival_rate_per_s == 2500.5);
    assert_int_equal(w->arrival_burst, 1);
    workload_destroy(w);
    w = parse_ok("{'name':'a','items':1," ST ",'arrival':{'burst':64,'rate_per_s':1e5}}");
    assert_true(w->arrival_rate_per_s == 1e5);
    assert_int_equal(w->arrival_burst, 64);
    workload_destroy(w);
}

/* records and the kernels' default ns, which is their cost estimate. */
static void test_workload_real_kernel_fields(void **state)
{
    workload_t *w = parse_ok("{'name':'r','items':1,'item_bytes':100,'stages':["
                                "{'name':'j','kernel':'json'},"
                                "{'name':'x','kernel':'xml','records':10,'ns':5},"
                                "{'name':'j2','kernel':'json','records':0},"
                                "{'name':'s','kernel':'spin'}]}");

    assert_int_equal(w->stages[0].records, 4); /* the default */
    assert_int_equal(w->stages[1].records, 10);
    assert_true(w->stages[1].ns == 5.0);
    assert_int_equal(w->stages[2].records, 0);
    assert_int_equal(w->stages[3].records, 0);
    /* Defaults grow with records and bytes; spin keeps 1000. */
    assert_true(w->stages[0].ns > w->stages[2].ns);
    assert_true(w->stages[2].ns > 0.0);
    assert_true(w->stages[3].ns == 1000.0);
    workload_destroy(w);
}


static void test_workload_to_json_round_trip(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = parse_ok(full_doc), *back = NULL;
    cJSON *j = workload_to_json(w), *again;
    char *text, *text2;

    assert_non_null(j);
    text = cJSON_PrintUnformatted(j);
    assert_non_null(text);
    assert_int_equal(workload_parse(text, strlen(text), "again.json", &back, err), 0);
    again = workload_to_json(back);
    text2 = cJSON_PrintUnformatted(again);
    assert_string_equal(text, text2);
    assert_int_equal(back->nsets, w->nsets);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "phases")), 2);
    assert_non_null(strstr(text, "\"arrival\":{\"rate_per_s\":1000.5,\"burst\":4}"));
    assert_non_null(strstr(text, "{\"name\":\"j\",\"kernel\":\"json\",\"ns\":3000,"
                                 "\"dist\":\"fixed\",\"records\":2}"));
    assert_true(back->arrival_rate_per_s == 1000.5 && back->arrival_burst == 4);
    cJSON_Delete(j);
    cJSON_Delete(again);
    cJSON_free(text);
    cJSON_free(text2);
    workload_destroy(w);
    workload_destroy(back);

    /* A plugin stage keeps its fields; its ns only when the file states it
     * (a measured cost is the run's, not the workload's). */
    w = parse_ok("{'name':'t','items':3,'stages':[{'name':'a','kernel':'plugin',"
                 "'library':'./l.so','symbol':'s'},{'name':'b','kernel':'plugin',"
                 "'library':'/l.so','symbol':'t','arg':'x','ns':5}]}");
    assert_true(w->stages[0].ns_measured);
    assert_false(w->stages[1].ns_measured);
    j = workload_to_json(w);
    text = cJSON_PrintUnformatted(j);
    assert_non_null(strstr(text, "{\"name\":\"a\",\"kernel\":\"plugin\",\"dist\":\"fixed\","
                                 "\"library\":\"./l.so\",\"symbol\":\"s\",\"arg\":\"\"}"));
    assert_non_null(strstr(text, "{\"name\":\"b\",\"kernel\":\"plugin\",\"ns\":5,"
                                 "\"dist\":\"fixed\",\"library\":\"/l.so\",\"symbol\":\"t\","
                                 "\"arg\":\"x\"}"));
    assert_int_equal(workload_parse(text, strlen(text), "again.json", &back, err), 0);
    assert_true(back->stages[0].ns_measured);
    assert_string_equal(back->stages[1].arg, "x");
    cJSON_free(text);
    cJSON_Delete(j);
    workload_destroy(w);
    workload_destroy(back);

    /* Defaults are spelled out; kernel-specific fields only where they apply. */
    w = parse_ok("{'name':'t','items':3,'stages':[{'name':'a','kernel':'spin'}]}");
    j = workload_to_json(w);
    text = cJSON_PrintUnformatted(j);
    assert_string_equal(text, "{\"name\":\"t\",\"description\":\"\",\"items\":3,\"item_bytes\":64,"
                              "\"seed\":1,\"stages\":[{\"name\":\"a\",\"kernel\":\"spin\","
                              "\"ns\":1000,\"dist\":\"fixed\"}],\"phases\":[]}");
    cJSON_free(text);
    cJSON_Delete(j);
    workload_destroy(w);
}

static void test_workload_shipped_files_load(void **state)
{
    const char *dir = workloads_dir();
    char err[WORKLOAD_ERR_MAX], path[1024];
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;

    if (d == NULL)
        print_error("cannot open %s (set JF_WORKLOADS)\n", dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        workload_t *w = NULL;
        workload_binding_t b;

        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (workload_load(path, &w, err) != 0)
            print_error("%s\n", err);
        assert_non_null(w);
        assert_int_equal(workload_bind(w, &b, err), 0);
        workload_unbind(&b);
        workload_destroy(w);
        found++;
    }
    closedir(d);
    assert_true(found >= 2);
}

static void test_workload_find(void **state)
{
    char err[WORKLOAD_ERR_MAX], path[1024];
    const char *dir = workloads_dir();
    workload_t *w = NULL;

    assert_int_equal(workload_find("bottleneck", dir, &w, err), 0);
    assert_string_equal(w->name, "bottleneck");
    assert_string_equal(w->description, "three stages, the middle one eight times slower");
    assert_int_equal(w->items, 20000);
    assert_int_equal(w->item_bytes, 64);
    assert_int_equal(w->nstages, 3);
    assert_true(w->stages[0].ns == 1000.0 && w->stages[1].ns == 8000.0 &&
                w->stages[2].ns == 1000.0);
    assert_int_equal(w->stages[1].dist, WORKLOAD_DIST_FIXED);
    assert_int_equal(w->nsets, 0);
    workload_destroy(w);

    snprintf(path, sizeof path, "%s/balanced.json", dir);
    assert_int_equal(workload_find(path, "/nonexistent", &w, err), 0);
    assert_int_equal(w->nstages, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(w->stages[i].ns == 2000.0);
    workload_destroy(w);

    assert_int_equal(workload_find("nope", dir, &w, err), JF_EINVAL);
    assert_null(w);
    assert_non_null(strstr(err, "workload \"nope\": not found in "));
    assert_non_null(strstr(err, "(try `bench list`)"));
    assert_int_equal(workload_find("", dir, &w, err), JF_EINVAL);
    assert_int_equal(workload_find("/nonexistent/x.json", dir, &w, err), JF_EIO);
    assert_non_null(strstr(err, "/nonexistent/x.json: cannot open: "));
}

static void test_workload_load_errors(void **state)
{
    char tmpl[] = "/tmp/jf_workload_XXXXXX", path[256], err[WORKLOAD_ERR_MAX];
    char *dir = mkdtemp(tmpl);
    workload_t *w = NULL;
    uint64_t t0;
    FILE *f;

    assert_non_null(dir);
    assert_int_equal(workload_load(dir, &w, err), JF_EIO);
    assert_non_null(strstr(err, ": cannot read: "));

    snprintf(path, sizeof path, "%s/big.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)WORKLOAD_MAX_FILE_BYTES + 1), 0);
    fclose(f);
    t0 = jf_clock_ns();
    assert_int_equal(workload_load(path, &w, err), JF_ERANGE);
    assert_non_null(strstr(err, "big.json: file too large"));
    assert_true(jf_clock_ns() - t0 < 100000000u); /* refused by size, before reading */
    unlink(path);

    /* A stream with no size (a device, a pipe) is cut off after 16 MiB. */
    t0 = jf_clock_ns();
    assert_int_equal(workload_load("/dev/zero", &w, err), JF_ERANGE);
    assert_string_equal(err, "/dev/zero: file too large (at most 16777216 bytes)");
    assert_true(jf_clock_ns() - t0 < 5000000000u);

    snprintf(path, sizeof path, "%s/bad.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\n  \"name\": \"x\",\n  \"items\": [1,\n}\n", f);
    fclose(f);
    assert_int_equal(workload_load(path, &w, err), JF_EPARSE);
    assert_non_null(strstr(err, "bad.json: not valid JSON near line 4"));
    unlink(path);
    rmdir(dir);
    assert_null(w);
}

/* Every allocation of parse and bind can fail; each failure must come back
 * as JF_ENOMEM with nothing leaked (ASan and valgrind check the leaking). */
static void test_workload_out_of_memory(void **state)
{
    char *text = q(full_doc), err[WORKLOAD_ERR_MAX];
    workload_binding_t b;
    int rc = JF_ENOMEM;

    for (unsigned long n = 1; rc == JF_ENOMEM; n++) {
        workload_t *w = NULL;

        jf_alloc_fail_after(n);
        rc = workload_parse(text, strlen(text), "w.json", &w, err);
        if (rc == 0)
            rc = workload_bind(w, &b, err);
        jf_alloc_fail_after(0);
        if (rc == JF_ENOMEM)
            assert_non_null(strstr(err, "out of memory"));
        else if (rc == 0)
            workload_unbind(&b);
        workload_destroy(w);
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
        cmocka_unit_test(test_workload_rejects_bad_arrival),
        cmocka_unit_test(test_workload_rejects_bad_records),
        cmocka_unit_test(test_workload_rejects_too_much_memory),
        cmocka_unit_test(test_workload_limits),
        cmocka_unit_test(test_workload_rejects_bad_json),
        cmocka_unit_test(test_workload_deep_nesting_does_not_crash),
        cmocka_unit_test(test_workload_too_deep_names_the_limit),
        cmocka_unit_test(test_workload_rejects_ill_formed_utf8),
        cmocka_unit_test(test_workload_huge_documents_fail_fast),
        cmocka_unit_test(test_workload_arrival),
        cmocka_unit_test(test_workload_real_kernel_fields),
        cmocka_unit_test(test_workload_to_json_round_trip),
        cmocka_unit_test(test_workload_shipped_files_load),
        cmocka_unit_test(test_workload_find),
        cmocka_unit_test(test_workload_load_errors),
        cmocka_unit_test(test_workload_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
