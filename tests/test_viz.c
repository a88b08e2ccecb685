/* test_viz.c - SVG timeline and Chrome trace export, read back with libxml2 and cJSON. */
#include <dirent.h>
#include <locale.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "jefferson/trace.h"
#include "jefferson/render.h"

#define NSTAGES 3
#define MAX_FOUND 4096

/* A synthetic trace and what it holds, to compare the output with. */
typedef struct fixture {
    jf_trace_t *trace;
    size_t batches;
    size_t moves;   /* DECIDE events with from != to */
    size_t qdepths;
    size_t parks;
} fixture_t;

static const char *const stage_names[NSTAGES] = {"parse", "enrich", "write"};
static char tmpdir[64];

static void add(jf_trace_lane_t *lane, uint8_t kind, uint64_t t, unsigned stage, uint32_t count,
                double value)
{
    assert_true(lane->count < lane->capacity);
    lane->events[lane->count++] = (jf_event_t){
        .t_ns = t, .value = value, .count = count, .stage = (uint16_t)stage, .kind = kind};
}

/* The scheduler moves a worker: one DECIDE, then one QDEPTH per stage. */
static void add_decision(fixture_t *f, jf_trace_lane_t *lane, uint64_t t, unsigned from,
                         unsigned to)
{
    add(lane, JF_EV_DECIDE, t, to, from, 1234.5 + t % 1000);
    f->moves += from != to;
    for (unsigned s = 0; s < NSTAGES; s++)
        add(lane, JF_EV_QDEPTH, t, s, (uint32_t)((t / 1000 + 17 * s) % 60), 0);
    f->qdepths += NSTAGES;
}

/* Fills one lane with n periods: a batch in each, the stage changing every
 * `run` batches (a decision before each change), and on lane 1 two parked
 * periods in the middle instead of batches. */
static void fill_lane(fixture_t *f, size_t i, size_t n, size_t run, uint64_t period)
{
    jf_trace_lane_t *lane = &f->trace->lanes[i];
    unsigned stage = JF_TRACE_NONE;

    for (size_t b = 0; b < n; b++) {
        uint64_t t = b * period;
        unsigned next = (unsigned)((b / run + i) % NSTAGES);

        if (i == 1 && n >= 8 && (b == n / 2 || b == n / 2 + 1)) {
            add(lane, JF_EV_PARK, t, stage, 0, 0);
            add(lane, JF_EV_UNPARK, t + period * 9 / 10, JF_TRACE_NONE, 0, 0);
            f->parks++;
            continue;
        }
        if (next != stage)
            add_decision(f, lane, t, stage, next);
        stage = next;
        add(lane, JF_EV_BATCH_BEGIN, t + period / 20, stage, 16, 0);
        add(lane, JF_EV_BATCH_END, t + period * 3 / 4, stage, 16, 1000.0);
        f->batches++;
    }
}

static fixture_t make_trace(size_t nlanes, size_t per_lane, size_t run, uint64_t wall)
{
    fixture_t f = {0};
    uint64_t period = wall / (per_lane + 1);

    f.trace = jf_calloc(1, sizeof *f.trace);
    assert_non_null(f.trace);
    f.trace->wall_ns = wall;
    f.trace->nstages = NSTAGES;
    f.trace->stage_names = jf_calloc(NSTAGES, sizeof(char *));
    assert_non_null(f.trace->stage_names);
    for (size_t s = 0; s < NSTAGES; s++) {
        f.trace->stage_names[s] = jf_calloc(strlen(stage_names[s]) + 1, 1);
        assert_non_null(f.trace->stage_names[s]);
        strcpy(f.trace->stage_names[s], stage_names[s]);
    }
    f.trace->nlanes = nlanes;
    f.trace->lanes = jf_calloc(nlanes, sizeof *f.trace->lanes);
    assert_non_null(f.trace->lanes);
    for (size_t i = 0; i < nlanes; i++) {
        jf_trace_lane_t *lane = &f.trace->lanes[i];

        lane->capacity = per_lane * 2 + (per_lane / run + 2) * (NSTAGES + 1) + 8;
        lane->events = jf_calloc(lane->capacity, sizeof *lane->events);
        assert_non_null(lane->events);
        lane->core = (int)i;
        lane->home_stage = -1;
        fill_lane(&f, i, per_lane, run, period);
    }
    return f;
}

static fixture_t small_trace(void)
{
    return make_trace(3, 40, 4, 2000000);
}

static const char *tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
    return buf;
}

static int exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* ---- reading the SVG back ---- */

static int has_class(xmlNode *n, const char *cls)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST "class");
    int yes = v != NULL && strcmp((const char *)v, cls) == 0;

    xmlFree(v);
    return yes;
}

static int has_id(xmlNode *n, const char *id)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST "id");
    int yes = v != NULL && strcmp((const char *)v, id) == 0;

    xmlFree(v);
    return yes;
}

/* Collects, depth first, the elements named `name` (any when NULL) whose
 * class is `cls` (any when NULL). */
static void collect(xmlNode *n, const char *name, const char *cls, xmlNode **out, size_t *count)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((name == NULL || strcmp((const char *)n->name, name) == 0) &&
            (cls == NULL || has_class(n, cls)) && *count < MAX_FOUND)
            out[(*count)++] = n;
        collect(n->children, name, cls, out, count);
    }
}

static xmlNode *find_id(xmlNode *n, const char *id)
{
    for (; n != NULL; n = n->next) {
        xmlNode *hit;

        if (n->type == XML_ELEMENT_NODE && has_id(n, id))
            return n;
        if ((hit = find_id(n->children, id)) != NULL)
            return hit;
    }
    return NULL;
}

/* Reads a numeric attribute; fails the test when it is missing. */
static double num_attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    double d;

    assert_non_null(v);
    d = strtod((const char *)v, NULL);
    xmlFree(v);
    return d;
}

static xmlDoc *write_and_read_svg(const fixture_t *f, const char *name)
{
    jf_viz_meta_t meta = {"bottleneck", "scheduled", "dhondt", 3, f->trace->wall_ns, 0.75, 0, 0};
    char path[128];
    xmlDoc *doc;

    tmp_path(path, sizeof path, name);
    assert_int_equal(jf_viz_write_svg(f->trace, &meta, path), 0);
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    unlink(path);
    return doc;
}

/* ---- SVG ---- */

static void test_viz_svg_is_valid_xml(void **state)
{
    fixture_t f = small_trace();
    xmlDoc *doc = write_and_read_svg(&f, "valid.svg");
    xmlNode *root = xmlDocGetRootElement(doc);
    char path[128];

    (void)state;
    assert_string_equal((const char *)root->name, "svg");
    assert_non_null(find_id(root, "plot"));
    assert_false(exists(tmp_path(path, sizeof path, "valid.svg.tmp")));
    xmlFreeDoc(doc);
    jf_trace_destroy(f.trace);
}

static void test_viz_svg_has_one_lane_per_worker(void **state)
{
    fixture_t f = small_trace();
    xmlDoc *doc = write_and_read_svg(&f, "lanes.svg");
    xmlNode *found[MAX_FOUND];
    size_t n = 0;

    (void)state;
    collect(xmlDocGetRootElement(doc), "g", "lane", found, &n);
    assert_int_equal(n, f.trace->nlanes);
    for (size_t i = 0; i < n; i++)
        assert_int_equal((size_t)num_attr(found[i], "data-worker"), i);
    xmlFreeDoc(doc);
    jf_trace_destroy(f.trace);
}

static void test_viz_svg_lane_rects_do_not_overlap(void **state)
{
    fixture_t f = small_trace();
    xmlDoc *doc = write_and_read_svg(&f, "overlap.svg");
    xmlNode *lanes[MAX_FOUND], *rects[MAX_FOUND];
    size_t nlanes = 0, total = 0;

    (void)state;
    collect(xmlDocGetRootElement(doc), "g", "lane", lanes, &nlanes);
    for (size_t i = 0; i < nlanes; i++) {
        size_t n = 0;
        double end = -1;

        collect(lanes[i]->children, "g", "batches", rects, &n);
        assert_int_equal(n, 1);
        n = 0;
        collect(rects[0]->children, "rect", NULL, rects, &n);
        assert_true(n > 0);
        for (size_t k = 0; k < n; k++) {
            double x = num_attr(rects[k], "x"), w = num_attr(rects[k], "width");

            assert_true(w >= 0);
            assert_true(x >= end - 1e-9);
            end = x + w;
        }
        total += n;
    }
    assert_true(total <= f.batches);
    xmlFreeDoc(doc);
    jf_trace_destroy(f.trace);
}

static void test_viz_svg_legend_names_every_stage(void **state)
{
    fixture_t f = small_trace();
    xmlDoc *doc = write_and_read_svg(&f, "legend.svg");
    xmlNode *legend[4], *texts[MAX_FOUND];
    size_t nl = 0, nt = 0;

    (void)state;
    collect(xmlDocGetRootElement(doc), "g", "legend", legend, &nl);
    assert_int_equal(nl, 1);
    collect(legend[0]->children, "text", NULL, texts, &nt);
    for (size_t s = 0; s < NSTAGES; s++) {
        int seen = 0;

        for (size_t k = 0; k < nt && !seen; k++) {
            xmlChar *text = xmlNodeGetContent(texts[k]);

            seen = strcmp((const char *)text, stage_names[s]) == 0;
            xmlFree(text);
        }
        assert_true(seen);
    }
    xmlFreeDoc(doc);
    jf_trace_destroy(f.trace);
}

static void test_viz_svg_time_axis_covers_run(void **state)
{
    fixture_t f = small_trace();
    xmlDoc *doc = write_and_read_svg(&f, "axis.svg");
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *axis = find_id(root, "axis"), *plot = find_id(root, "plot");
    xmlNode *lines[4], *ticks[MAX_FOUND];
    size_t nlines = 0, nticks = 0;
    double last = -1;

    (void)state;
    assert_non_null(axis);
    assert_non_null(plot);
    assert_true(num_attr(axis, "data-t0") <= 0);
    assert_true(num_attr(axis, "data-t1") >= (double)f.trace->wall_ns);
    collect(axis->children, "path", "axis-line", lines, &nlines);
    assert_int_equal(nlines, 1);
    collect(axis->children, "g", "tick", ticks, &nticks);
    assert_true(nticks >= 3);
    for (size_t k = 0; k < nticks; k++) {
        double t = num_attr(ticks[k], "data-t");

        assert_true(t > last);
        assert_true(t <= (double)f.trace->wall_ns);
        last = t;
    }
    assert_true(num_attr(ticks[0], "data-t") == 0);
    /* The next tick would be past the end: the ticks reach the run's end. */
    assert_true(2 * last - num_attr(ticks[nticks - 2], "data-t") > (double)f.trace->wall_ns);
    xmlFreeDoc(doc);
    jf_trace_destroy(f.trace);
}

static void test_viz_svg_marks_moves_and_parks(void **state)
{
    fixture_t f = small_trace();
    xmlDoc *doc = write_and_read_svg(&f, "marks.svg");
    xmlNode *groups[MAX_FOUND], *paths[MAX_FOUND];
    size_t ng = 0, moves = 0, parks = 0;

    (void)state;
    collect(xmlDocGetRootElement(doc), "g", "moves", groups, &ng);
    for (size_t i = 0; i < ng; i++)
        collect(groups[i]->children, "path", NULL, paths, &moves);
    ng = 0;
    collect(xmlDocGetRootElement(doc), "g", "parks", groups, &ng);
    for (size_t i = 0; i < ng; i++)
        collect(groups[i]->children, "path", NULL, paths, &parks);
    /* Few events: nothing is merged, each is drawn. */
    assert_int_equal(moves, f.moves);
    assert_true(parks >= 1 && parks <= f.parks);
    xmlFreeDoc(doc);
    jf_trace_destroy(f.trace);
}

static void test_viz_svg_million_batches_stays_small(void **state)
{
    fixture_t f = make_trace(4, 250000, 64, 2000000000);
    jf_viz_meta_t meta = {"big", "scheduled", "dhondt", 4, f.trace->wall_ns, -1, 0, 0};
    char path[128];
    struct stat st;
    xmlDoc *doc;

    struct timespec t0, t1;

    (void)state;
    assert_true(f.batches >= 999990);
    tmp_path(path, sizeof path, "big.svg");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(jf_viz_write_svg(f.trace, &meta, path), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(stat(path, &st), 0);
    /* Figures for the reader; the time depends on the machine, so it is
     * reported, not asserted. */
    print_message("%zu batches: %.2f MB of SVG in %.0f ms\n", f.batches,
                  (double)st.st_size / 1e6,
                  (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    assert_true(st.st_size < 8 * 1000 * 1000);
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    assert_non_null(doc);
    xmlFreeDoc(doc);
    unlink(path);
    jf_trace_destroy(f.trace);
}

/* ---- Chrome trace ---- */

static cJSON *read_json(const char *path)
{
    FILE *fp = fopen(path, "rb");
    cJSON *json;
    char *text;
    long size;

    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    size = ftell(fp);
    assert_true(size > 0);
    rewind(fp);
    text = calloc((size_t)size + 1, 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    json = cJSON_Parse(text);
    free(text);
    assert_non_null(json);
    return json;
}

static size_t count_events(const cJSON *events, const char *ph, const char *name)
{
    const cJSON *ev;
    size_t n = 0;

    cJSON_ArrayForEach(ev, events) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(ev, "ph");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ev, "name");

        if (cJSON_IsString(p) && strcmp(p->valuestring, ph) == 0 &&
            (name == NULL || (cJSON_IsString(nm) && strcmp(nm->valuestring, name) == 0)))
            n++;
    }
    return n;
}

static void test_viz_chrome_trace_parses_as_json(void **state)
{
    fixture_t f = small_trace();
    jf_viz_meta_t meta = {"bottleneck", "scheduled", "dhondt", 3, f.trace->wall_ns, 0.5, 0, 0};
    const cJSON *events, *other;
    char path[128];
    cJSON *json;

    (void)state;
    tmp_path(path, sizeof path, "trace.json");
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, &meta, path), 0);
    json = read_json(path);
    events = cJSON_GetObjectItemCaseSensitive(json, "traceEvents");
    assert_true(cJSON_IsArray(events));
    assert_int_equal(count_events(events, "X", NULL), f.batches + f.parks); /* parks are spans */
    assert_int_equal(count_events(events, "M", "thread_name"), f.trace->nlanes);
    assert_int_equal(count_events(events, "i", NULL), f.moves);
    assert_int_equal(count_events(events, "C", NULL), f.qdepths);
    assert_int_equal(count_events(events, "C", "queue enrich"), f.qdepths / NSTAGES);
    other = cJSON_GetObjectItemCaseSensitive(json, "otherData");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(other, "workload")->valuestring,
                        "bottleneck");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(json, "displayTimeUnit")->valuestring,
                        "ns");
    cJSON_Delete(json);
    unlink(path);
    jf_trace_destroy(f.trace);
}

/* ts and dur are microseconds with three decimals, exactly. */
static void test_viz_chrome_trace_times_are_exact(void **state)
{
    fixture_t f = make_trace(1, 4, 4, 1000000);
    const cJSON *ev, *events;
    char path[128];
    cJSON *json;
    size_t k = 0;

    (void)state;
    /* Events 0 to 3 are a decision and its queue depths, then the batch. */
    assert_int_equal(f.trace->lanes[0].events[4].kind, JF_EV_BATCH_BEGIN);
    f.trace->lanes[0].events[4].t_ns = 123456789; /* 123456.789 us */
    f.trace->lanes[0].events[5].t_ns = 123457790;
    tmp_path(path, sizeof path, "times.json");
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, path), 0);
    json = read_json(path);
    events = cJSON_GetObjectItemCaseSensitive(json, "traceEvents");
    cJSON_ArrayForEach(ev, events) {
        const cJSON *ph = cJSON_GetObjectItemCaseSensitive(ev, "ph");

        if (strcmp(ph->valuestring, "X") != 0 || k++ > 0)
            continue;
        assert_true(cJSON_GetObjectItemCaseSensitive(ev, "ts")->valuedouble == 123456.789);
        assert_true(cJSON_GetObjectItemCaseSensitive(ev, "dur")->valuedouble == 1.001);
    }
    assert_true(k > 0);
    cJSON_Delete(json);
    unlink(path);
    jf_trace_destroy(f.trace);
}

/* ---- failures and odd input ---- */

static void test_viz_unwritable_path_is_eio(void **state)
{
    fixture_t f = small_trace();
    char path[128], tmp[160];

    (void)state;
    tmp_path(path, sizeof path, "missing/dir/out.svg");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(jf_viz_write_svg(f.trace, NULL, path), JF_EIO);
    assert_false(exists(path));
    assert_false(exists(tmp));
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, path), JF_EIO);
    assert_false(exists(path));
    /* A directory in the way: the rename fails and the temporary goes. */
    snprintf(tmp, sizeof tmp, "%s.tmp", tmpdir);
    assert_int_equal(jf_viz_write_svg(f.trace, NULL, tmpdir), JF_EIO);
    assert_false(exists(tmp));
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, tmpdir), JF_EIO);
    assert_false(exists(tmp));
    jf_trace_destroy(f.trace);
}

/* A write that fails half way (file size limit, as on a full disk). */
static void test_viz_failed_write_is_eio(void **state)
{
    fixture_t f = small_trace();
    struct rlimit old, small = {4096, 4096};
    char path[128], tmp[160];

    (void)state;
    tmp_path(path, sizeof path, "full.svg");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    signal(SIGXFSZ, SIG_IGN); /* get EFBIG from write() instead of a signal */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    assert_int_equal(jf_viz_write_svg(f.trace, NULL, path), JF_EIO);
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, path), JF_EIO);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_false(exists(path));
    assert_false(exists(tmp));
    jf_trace_destroy(f.trace);
}

static void test_viz_out_of_memory_leaves_no_file(void **state)
{
    fixture_t f = small_trace();
    char path[128], tmp[160];

    (void)state;
    tmp_path(path, sizeof path, "nomem.svg");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    for (unsigned long n = 1; n <= 3; n++) {
        jf_alloc_fail_after(n);
        assert_int_equal(jf_viz_write_svg(f.trace, NULL, path), JF_ENOMEM);
        assert_false(exists(path));
        assert_false(exists(tmp));
    }
    jf_alloc_fail_after(1);
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, path), JF_ENOMEM);
    assert_false(exists(path));
    jf_alloc_fail_after(0);
    jf_trace_destroy(f.trace);
}

static void test_viz_null_arguments_are_einval(void **state)
{
    fixture_t f = small_trace();

    (void)state;
    assert_int_equal(jf_viz_write_svg(NULL, NULL, "x.svg"), JF_EINVAL);
    assert_int_equal(jf_viz_write_svg(f.trace, NULL, NULL), JF_EINVAL);
    assert_int_equal(jf_viz_write_chrome_trace(NULL, NULL, "x.json"), JF_EINVAL);
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, NULL), JF_EINVAL);
    jf_trace_destroy(f.trace);
}

/* Quotes, markup, control characters and broken UTF-8 in stage names. */
static void test_viz_odd_stage_names_stay_valid(void **state)
{
    static const char odd[] = "a\"<b>&'c\\\x01\xff\xc3\xa9";
    fixture_t f = small_trace();
    char path[128];
    cJSON *json;
    xmlDoc *doc;

    (void)state;
    jf_free(f.trace->stage_names[1]);
    f.trace->stage_names[1] = jf_calloc(sizeof odd, 1);
    assert_non_null(f.trace->stage_names[1]);
    memcpy(f.trace->stage_names[1], odd, sizeof odd);
    doc = write_and_read_svg(&f, "odd.svg");
    xmlFreeDoc(doc);
    tmp_path(path, sizeof path, "odd.json");
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, path), 0);
    json = read_json(path);
    cJSON_Delete(json);
    unlink(path);
    jf_trace_destroy(f.trace);
}

/* No lanes, no stages, no wall time: still a valid, empty timeline. */
static void test_viz_empty_trace_is_valid(void **state)
{
    jf_trace_t *trace = jf_calloc(1, sizeof *trace);
    fixture_t f = {.trace = trace};
    char path[128];
    xmlDoc *doc;

    (void)state;
    assert_non_null(trace);
    doc = write_and_read_svg(&f, "empty.svg");
    xmlFreeDoc(doc);
    tmp_path(path, sizeof path, "empty.json");
    assert_int_equal(jf_viz_write_chrome_trace(trace, NULL, path), 0);
    cJSON_Delete(read_json(path));
    unlink(path);
    jf_trace_destroy(trace);
}

/* Returns whether a value after `key` in text (up to a quote or a space)
 * holds a comma: a decimal comma from the locale. */
static int comma_after(const char *text, const char *key)
{
    for (const char *p = strstr(text, key); p != NULL; p = strstr(p + 1, key))
        for (const char *v = p + strlen(key); *v != '"' && *v != ' ' && *v != '\n' && *v; v++)
            if (*v == ',')
                return 1;
    return 0;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    struct stat st;
    char *text;

    assert_non_null(fp);
    assert_int_equal(fstat(fileno(fp), &st), 0);
    text = calloc((size_t)st.st_size + 1, 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)st.st_size, fp), (size_t)st.st_size);
    fclose(fp);
    return text;
}

static void test_viz_numbers_ignore_locale(void **state)
{
    fixture_t f = small_trace();
    char svg[128], json[128], *text;

    (void)state;
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL) {
        jf_trace_destroy(f.trace);
        skip();
    }
    tmp_path(svg, sizeof svg, "locale.svg");
    tmp_path(json, sizeof json, "locale.json");
    f.trace->lanes[0].events[0].value = 0.25; /* the first decision's score */
    assert_int_equal(jf_viz_write_svg(f.trace, NULL, svg), 0);
    assert_int_equal(jf_viz_write_chrome_trace(f.trace, NULL, json), 0);
    setlocale(LC_NUMERIC, "C");
    text = slurp(svg);
    assert_false(comma_after(text, " x=\""));
    assert_false(comma_after(text, " width=\""));
    assert_false(comma_after(text, "score "));
    assert_non_null(strstr(text, "score 0.25"));
    free(text);
    text = slurp(json);
    assert_non_null(strstr(text, "\"score\":0.25"));
    free(text);
    cJSON_Delete(read_json(json));
    unlink(svg);
    unlink(json);
    jf_trace_destroy(f.trace);
}

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_viz.XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

/* Removes the directory, with whatever a failed test left in it. */
static int remove_dir(void **state)
{
    DIR *dir = opendir(tmpdir);
    struct dirent *d;
    char path[512];

    (void)state;
    while (dir != NULL && (d = readdir(dir)) != NULL) {
        if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0) {
            snprintf(path, sizeof path, "%s/%s", tmpdir, d->d_name);
            unlink(path);
        }
    }
    if (dir != NULL)
        closedir(dir);
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_svg_is_valid_xml),
        cmocka_unit_test(test_viz_svg_has_one_lane_per_worker),
        cmocka_unit_test(test_viz_svg_lane_rects_do_not_overlap),
        cmocka_unit_test(test_viz_svg_legend_names_every_stage),
        cmocka_unit_test(test_viz_svg_time_axis_covers_run),
        cmocka_unit_test(test_viz_svg_marks_moves_and_parks),
        cmocka_unit_test(test_viz_svg_million_batches_stays_small),
        cmocka_unit_test(test_viz_chrome_trace_parses_as_json),
        cmocka_unit_test(test_viz_chrome_trace_times_are_exact),
        cmocka_unit_test(test_viz_unwritable_path_is_eio),
        cmocka_unit_test(test_viz_failed_write_is_eio),
        cmocka_unit_test(test_viz_out_of_memory_leaves_no_file),
        cmocka_unit_test(test_viz_null_arguments_are_einval),
        cmocka_unit_test(test_viz_odd_stage_names_stay_valid),
        cmocka_unit_test(test_viz_empty_trace_is_valid),
        cmocka_unit_test(test_viz_numbers_ignore_locale),
    };
    int failed = cmocka_run_group_tests(tests, setup_dir, remove_dir);

    xmlCleanupParser();
    return failed;
}
