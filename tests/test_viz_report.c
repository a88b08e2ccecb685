/* test_viz_report.c - trace files read back, the HTML report, and `bench report` end to end. */
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>
#include <cmocka.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "jefferson/trace.h"
#include "viz/jf_viz_report.h"

#define NSTAGES 3
#define MAX_FOUND 256

static const char odd_name[] = "a<b> & \"c\" 'd' \xc3\xa9\xe2\x82\xac"; /* ... é€ */
static char tmpdir[64];

/* ---- synthetic traces ---- */

static void add(jf_trace_lane_t *lane, uint8_t kind, uint64_t t, unsigned stage, uint32_t count,
                double value)
{
    assert_true(lane->count < lane->capacity);
    lane->events[lane->count++] = (jf_event_t){
        .t_ns = t, .value = value, .count = count, .stage = (uint16_t)stage, .kind = kind};
}

static char *dup_str(const char *s)
{
    char *p = jf_calloc(strlen(s) + 1, 1);

    assert_non_null(p);
    strcpy(p, s);
    return p;
}

/* A trace of what workers do: decisions with queue depths, batches, parks;
 * every lane `per_lane` periods of `period` ns. */
static jf_trace_t *make_trace(size_t nlanes, size_t per_lane, uint64_t period)
{
    static const char *const names[NSTAGES] = {"parse", "enrich", "write"};
    jf_trace_t *t = jf_calloc(1, sizeof *t);

    assert_non_null(t);
    t->wall_ns = period * (per_lane + 1);
    t->nstages = NSTAGES;
    t->stage_names = jf_calloc(NSTAGES, sizeof(char *));
    t->nlanes = nlanes;
    t->lanes = jf_calloc(nlanes, sizeof *t->lanes);
    assert_non_null(t->stage_names);
    assert_non_null(t->lanes);
    for (size_t s = 0; s < NSTAGES; s++)
        t->stage_names[s] = dup_str(names[s]);
    for (size_t i = 0; i < nlanes; i++) {
        jf_trace_lane_t *lane = &t->lanes[i];
        unsigned at = JF_TRACE_NONE;

        lane->capacity = per_lane * (4 + NSTAGES) + 8;
        lane->events = jf_calloc(lane->capacity, sizeof *lane->events);
        assert_non_null(lane->events);
        lane->core = (int)i;
        lane->home_stage = i == 0 ? -1 : (int)(i % NSTAGES);
        for (size_t b = 0; b < per_lane; b++) {
            uint64_t t0 = b * period;
            unsigned next = (unsigned)((b / 3 + i) % NSTAGES);

            if (b % 7 == 5) {
                add(lane, JF_EV_PARK, t0 + 1, at, 0, 0);
                add(lane, JF_EV_UNPARK, t0 + period / 2, JF_TRACE_NONE, 0, 0);
                continue;
            }
            add(lane, JF_EV_DECIDE, t0 + 3, next, at, 0.1 * (double)b + 1.0 / 3);
            for (unsigned s = 0; s < NSTAGES; s++)
                add(lane, JF_EV_QDEPTH, t0 + 3, s, (uint32_t)(b * 7 + s) % 50,
                    s == 1 ? 1234.5678 + (double)b : 0);
            add(lane, JF_EV_BATCH_BEGIN, t0 + 17, next, 16, 0);
            add(lane, JF_EV_BATCH_END, t0 + period * 3 / 4 + 1, next, 15, 987.0 + (double)b);
            at = next;
        }
    }
    return t;
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

static char *slurp(const char *path, size_t *len)
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
    if (len != NULL)
        *len = (size_t)st.st_size;
    return text;
}

static void spit(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Every field of every event, the lanes and the stage names. */
static void assert_same_trace(const jf_trace_t *a, const jf_trace_t *b)
{
    assert_int_equal(a->wall_ns, b->wall_ns);
    assert_int_equal(a->nstages, b->nstages);
    for (size_t s = 0; s < a->nstages; s++)
        assert_string_equal(a->stage_names[s], b->stage_names[s]);
    assert_int_equal(a->nlanes, b->nlanes);
    for (size_t i = 0; i < a->nlanes; i++) {
        const jf_trace_lane_t *x = &a->lanes[i], *y = &b->lanes[i];

        assert_int_equal(x->core, y->core);
        assert_int_equal(x->home_stage, y->home_stage);
        assert_int_equal(x->dropped, y->dropped);
        assert_int_equal(x->cpu_ns, y->cpu_ns);
        assert_int_equal(x->count, y->count);
        for (size_t k = 0; k < x->count; k++) {
            const jf_event_t *e = &x->events[k], *f = &y->events[k];

            assert_int_equal(e->kind, f->kind);
            assert_int_equal(e->t_ns, f->t_ns);
            assert_int_equal(e->stage, f->stage);
            assert_int_equal(e->count, f->count);
            assert_int_equal(e->flags, f->flags);
            if (isnan(e->value))
                assert_true(isnan(f->value));
            else
                assert_memory_equal(&e->value, &f->value, sizeof e->value);
        }
    }
}

static jf_trace_t *write_and_read(const jf_trace_t *t, const char *name)
{
    jf_viz_meta_t meta = {"bottleneck", "scheduled", "dhondt", 2, t->wall_ns, 0.5, 0, 0};
    char path[128], why[JF_VIZ_WHY_MAX];
    jf_trace_t *back = NULL;

    tmp_path(path, sizeof path, name);
    assert_int_equal(jf_viz_write_chrome_trace(t, &meta, path), 0);
    assert_int_equal(jf_viz_read_chrome_trace(path, &back, why, sizeof why), 0);
    assert_string_equal(why, "");
    unlink(path);
    return back;
}

/* ---- reading traces back ---- */

static void test_viz_report_trace_round_trip_is_exact(void **state)
{
    jf_trace_t *t = make_trace(3, 200, 100003), *back;

    (void)state;
    t->lanes[1].events[0].value = NAN;         /* a score of no number */
    t->lanes[1].events[5].value = INFINITY;
    t->lanes[0].events[0].t_ns = 123456789;    /* 123456.789 us */
    t->lanes[2].cpu_ns = 987654321;            /* the thread's CPU time */
    for (size_t i = 0, n = 0; i < t->nlanes; i++) /* sampled batches' CPU time */
        for (size_t k = 0; k < t->lanes[i].count; k++)
            if (t->lanes[i].events[k].kind == JF_EV_BATCH_BEGIN && n++ % 3 == 0)
                t->lanes[i].events[k].value = n % 2 ? (double)(1000 + n) : 1000.5 + (double)n;
    for (size_t i = 0, n = 0; i < t->nlanes; i++) /* carried batches, and odd flags */
        for (size_t k = 0; k < t->lanes[i].count; k++)
            if ((t->lanes[i].events[k].kind == JF_EV_BATCH_BEGIN ||
                 t->lanes[i].events[k].kind == JF_EV_DECIDE) && n++ % 4 == 1)
                t->lanes[i].events[k].flags = n % 8 == 2 ? 0x80 : JF_EV_CARRIED;
    jf_free(t->stage_names[2]);
    t->stage_names[2] = dup_str(odd_name);
    back = write_and_read(t, "round.json");
    assert_same_trace(t, back);
    jf_trace_destroy(back);
    jf_trace_destroy(t);
}

/* A lane that ran out of room ends with a batch that has no end; events
 * that fit no complete span travel field by field. */
static void test_viz_report_trace_keeps_odd_events(void **state)
{
    jf_trace_t *t = make_trace(2, 20, 50000), *back;
    jf_trace_lane_t *lane = &t->lanes[1];

    (void)state;
    add(lane, JF_EV_UNPARK, t->wall_ns - 9, JF_TRACE_NONE, 0, 0);   /* no PARK before */
    add(lane, JF_EV_BATCH_BEGIN, t->wall_ns - 5, 2, 16, 0);          /* no END after */
    lane->dropped = 42;
    back = write_and_read(t, "odd.json");
    assert_same_trace(t, back);
    jf_trace_destroy(back);
    jf_trace_destroy(t);
}

static void test_viz_report_trace_empty_round_trip(void **state)
{
    jf_trace_t *t = jf_calloc(1, sizeof *t), *back;

    (void)state;
    assert_non_null(t);
    back = write_and_read(t, "empty.json");
    assert_same_trace(t, back);
    jf_trace_destroy(back);
    jf_trace_destroy(t);
}

/* Reads path, expecting failure with code and a reason containing `part`. */
static void assert_rejected(const char *path, int code, const char *part)
{
    char why[JF_VIZ_WHY_MAX];
    jf_trace_t *t = (jf_trace_t *)&why; /* must come back NULL */

    assert_int_equal(jf_viz_read_chrome_trace(path, &t, why, sizeof why), code);
    assert_null(t);
    assert_true(why[0] != '\0');
    assert_null(strchr(why, '\n'));
    if (strstr(why, part) == NULL)
        fail_msg("\"%s\" does not say \"%s\"", why, part);
}

static void test_viz_report_reader_rejects_truncated(void **state)
{
    jf_trace_t *t = make_trace(2, 50, 100000);
    char path[128], cut[128];
    size_t len, at[] = {1, 100, 0, 0, 0};
    char *text;

    (void)state;
    tmp_path(path, sizeof path, "whole.json");
    tmp_path(cut, sizeof cut, "cut.json");
    assert_int_equal(jf_viz_write_chrome_trace(t, NULL, path), 0);
    text = slurp(path, &len);
    at[2] = len / 2;
    at[3] = len - 3;
    at[4] = len - 1 - (text[len - 1] == '\n'); /* only the last brace gone */
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        spit(cut, text, at[i]);
        assert_rejected(cut, JF_EPARSE, "");
    }
    spit(cut, "", 0);
    assert_rejected(cut, JF_EPARSE, "empty");
    free(text);
    unlink(path);
    unlink(cut);
    jf_trace_destroy(t);
}

/* Replaces the first `from` in text with `to` into a new file at path. */
static void edited(const char *text, const char *from, const char *to, const char *path)
{
    const char *at = strstr(text, from);
    size_t head, len;
    char *out;

    if (at == NULL)
        fail_msg("\"%s\" is not in the trace", from);
    head = (size_t)(at - text);
    len = strlen(text) - strlen(from) + strlen(to);
    out = calloc(len + 1, 1);
    assert_non_null(out);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    spit(path, out, len);
    free(out);
}

static void test_viz_report_reader_rejects_edits(void **state)
{
    static const struct {
        const char *from, *to;
        int code;
        const char *why;
    } edits[] = {
        {"\"jefferson_trace\":1", "\"jefferson_trace\":2", JF_EPARSE, "version 2"},
        {"\"jefferson_trace\":1,", "", JF_EPARSE, "not a jefferson trace"},
        {"\"otherData\":", "\"otherdata\":", JF_EPARSE, "no otherData"},
        {"\"tid\":2,\"cat\"", "\"tid\":9,\"cat\"", JF_ERANGE, "\"tid\""},
        {"\"ts\":0.017", "\"ts\":-0.017", JF_ERANGE, "negative"},
        {"\"ts\":0.017", "\"ts\":\"soon\"", JF_EPARSE, "not a number"},
        {"\"ts\":0.017", "\"ts\":1e300", JF_ERANGE, "too large"},
        {"\"args\":{\"stage\":1,", "\"args\":{\"stage\":3,", JF_ERANGE, "\"stage\" is 3"},
        {"\"depth\":", "\"deep\":", JF_EPARSE, "\"depth\" is missing"},
        {"\"events\":", "\"events\":1", JF_ERANGE, "events"},
        {"\"events\":", "\"events\":99999999", JF_ERANGE, "events"},
        {"\"cat\":\"batch\"", "\"cat\":\"flow\"", JF_EPARSE, "not an event jefferson writes"},
        {"\"traceEvents\":[", "\"traceEvents\":{", JF_EPARSE, "malformed"},
        {"\"wall_ns\":", "\"wall_ns\":x", JF_EPARSE, "otherData"},
        {"\"wall_ns\":", "\"wall_ns\":-", JF_ERANGE, "wall_ns"},
    };
    static const char foreign[] = "{\"traceEvents\":[{\"ph\":\"X\",\"ts\":1,\"dur\":2}]}";
    jf_trace_t *t = make_trace(2, 30, 100000);
    char path[128], bad[128], *text;

    (void)state;
    tmp_path(path, sizeof path, "good.json");
    tmp_path(bad, sizeof bad, "bad.json");
    assert_int_equal(jf_viz_write_chrome_trace(t, NULL, path), 0);
    text = slurp(path, NULL);
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        edited(text, edits[i].from, edits[i].to, bad);
        assert_rejected(bad, edits[i].code, edits[i].why);
    }
    spit(bad, foreign, strlen(foreign));
    assert_rejected(bad, JF_EPARSE, "not a jefferson trace");
    spit(bad, "[1,2,3]", 7);
    assert_rejected(bad, JF_EPARSE, "not a JSON object");
    free(text);
    unlink(path);
    unlink(bad);
    jf_trace_destroy(t);
}

/* Every string the reader keeps or quotes is UTF-8, named by its path. */
static void test_viz_report_reader_rejects_ill_formed_utf8(void **state)
{
    static const struct {
        const char *from, *to, *why;
    } edits[] = {
        {"\"stages\":[\"", "\"stages\":[\"\xc0\xaf",
         "otherData.stages[0]: invalid UTF-8 at byte offset 0"},
        {"\"cat\":\"batch\"", "\"cat\":\"ba\xfftch\"", ".cat: invalid UTF-8 at byte offset 2"},
        {"\"ph\":\"X\"", "\"ph\":\"\xed\xa0\x80\"", ".ph: invalid UTF-8 at byte offset 0"},
    };
    jf_trace_t *t = make_trace(2, 30, 100000);
    char path[128], bad[128], *text;

    (void)state;
    tmp_path(path, sizeof path, "good.json");
    tmp_path(bad, sizeof bad, "bad.json");
    assert_int_equal(jf_viz_write_chrome_trace(t, NULL, path), 0);
    text = slurp(path, NULL);
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        edited(text, edits[i].from, edits[i].to, bad);
        assert_rejected(bad, JF_EPARSE, edits[i].why);
    }
    free(text);
    unlink(path);
    unlink(bad);
    jf_trace_destroy(t);
}

/* The scanner's nesting limit, counted from the top-level object as level
 * 1, is named when a document exceeds it. */
static void test_viz_report_reader_names_the_nesting_limit(void **state)
{
    jf_trace_t *t = make_trace(2, 30, 100000), *back = NULL;
    char path[128], bad[128], why[JF_VIZ_WHY_MAX], *text, deep[200];

    (void)state;
    tmp_path(path, sizeof path, "good.json");
    tmp_path(bad, sizeof bad, "deep.json");
    assert_int_equal(jf_viz_write_chrome_trace(t, NULL, path), 0);
    text = slurp(path, NULL);
    /* otherData is level 2, so its member "deep" may nest 62 arrays. */
    for (size_t k = 62; k <= 63; k++) {
        size_t n = (size_t)snprintf(deep, sizeof deep, "\"otherData\":{\"deep\":");
        memset(deep + n, '[', k);
        memset(deep + n + k, ']', k);
        strcpy(deep + n + 2 * k, ",");
        edited(text, "\"otherData\":{", deep, bad);
        if (k == 62) {
            assert_int_equal(jf_viz_read_chrome_trace(bad, &back, why, sizeof why), 0);
            jf_trace_destroy(back);
        } else {
            assert_rejected(bad, JF_ERANGE, "nested deeper than 64 levels");
        }
    }
    free(text);
    unlink(path);
    unlink(bad);
    jf_trace_destroy(t);
}

static void test_viz_report_reader_missing_file_is_eio(void **state)
{
    char path[128];
    jf_trace_t *t = NULL;

    (void)state;
    tmp_path(path, sizeof path, "absent.json");
    assert_rejected(path, JF_EIO, "No such file");
    assert_int_equal(jf_viz_read_chrome_trace(tmpdir, &t, NULL, 0), JF_EIO);
    assert_int_equal(jf_viz_read_chrome_trace(NULL, &t, NULL, 0), JF_EINVAL);
}

/* ---- the report ---- */

typedef struct report_fixture {
    jf_trace_t *traces[3];
    jf_viz_run_t runs[3];
    jf_viz_report_t report;
} report_fixture_t;

static void make_report(report_fixture_t *f, const char *workload)
{
    static const char *const strategies[3] = {"single", "per-stage", "scheduled"};
    static const char *const svgs[3] = {"single.svg", "per-stage.svg", "scheduled.svg"};
    static const char *const files[3] = {"single.trace.json", "per-stage.trace.json",
                                         "scheduled.trace.json"};

    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < 3; i++) {
        f->traces[i] = make_trace(i + 1, 40 - 10 * i, 100000);
        f->runs[i] = (jf_viz_run_t){
            .strategy = strategies[i], .policy = i == 2 ? "dhondt" : NULL, .threads = (double)i + 1,
            .wall_ns = (double)f->traces[i]->wall_ns, .throughput = 1e6 / (double)(i + 1),
            .speedup = 1.0 + (double)i, .efficiency = 0.5, .items_in = 2000, .items_out = 2000,
            .order_ok = 1, .svg = svgs[i], .trace_file = files[i], .trace = f->traces[i]};
    }
    f->report = (jf_viz_report_t){.workload = workload, .description = "three stages",
                                  .cores = 2, .result_file = "result.json", .nruns = 3,
                                  .runs = f->runs};
}

static void free_report(report_fixture_t *f)
{
    char path[128];

    for (size_t i = 0; i < 3; i++) {
        jf_trace_destroy(f->traces[i]);
        unlink(tmp_path(path, sizeof path, f->runs[i].svg));
    }
    unlink(tmp_path(path, sizeof path, "index.html"));
}

static int has_prop(xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    int yes = v != NULL && (value == NULL || strcmp((const char *)v, value) == 0);

    xmlFree(v);
    return yes;
}

static void collect(xmlNode *n, const char *name, xmlNode **out, size_t *count)
{
    for (; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
            *count < MAX_FOUND)
            out[(*count)++] = n;
        if (n->type == XML_ELEMENT_NODE)
            collect(n->children, name, out, count);
    }
}

static htmlDocPtr read_index(void)
{
    char path[128];
    htmlDocPtr doc;

    tmp_path(path, sizeof path, "index.html");
    doc = htmlReadFile(path, "UTF-8", HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    assert_non_null(doc);
    return doc;
}

static void test_viz_report_index_has_table_and_timelines(void **state)
{
    static const char *const links[] = {"result.json", "single.trace.json",
                                        "scheduled.trace.json", "per-stage.svg", "#scheduled"};
    report_fixture_t f;
    xmlNode *found[MAX_FOUND];
    size_t n = 0;
    char path[128];
    htmlDocPtr doc;

    (void)state;
    make_report(&f, "bottleneck");
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), 0);
    for (size_t i = 0; i < 3; i++)
        assert_true(exists(tmp_path(path, sizeof path, f.runs[i].svg)));
    doc = read_index();
    collect(xmlDocGetRootElement(doc), "script", found, &n);
    assert_int_equal(n, 3 + 1); /* each timeline's data, then the script drawing them */
    for (size_t i = 0; i < n; i++) {
        char id[32];

        snprintf(id, sizeof id, "jf-tl-%zu", i);
        assert_false(has_prop(found[i], "src", NULL)); /* self-contained */
        if (i < 3)
            assert_true(has_prop(found[i], "type", "application/json") &&
                        has_prop(found[i], "id", id));
    }
    n = 0;
    collect(xmlDocGetRootElement(doc), "table", found, &n);
    assert_int_equal(n, 1);
    n = 0;
    collect(found[0], "tr", found, &n);
    assert_int_equal(n, 1 + 3); /* the heading row, then one per strategy */
    n = 0;
    collect(xmlDocGetRootElement(doc), "a", found, &n);
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        size_t k = 0;

        while (k < n && !has_prop(found[k], "href", links[i]))
            k++;
        if (k == n)
            fail_msg("no link to %s", links[i]);
    }
    n = 0;
    collect(xmlDocGetRootElement(doc), "link", found, &n);
    collect(xmlDocGetRootElement(doc), "object", found, &n);
    assert_int_equal(n, 0); /* self-contained: nothing loaded from elsewhere */
    xmlFreeDoc(doc);
    free_report(&f);
}

/* "1 thread", "2 threads": the headings count in words that agree. */
static void test_viz_report_one_thread_is_singular(void **state)
{
    report_fixture_t f;
    char path[128];

    (void)state;
    make_report(&f, "bottleneck");
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), 0);
    char *html = slurp(tmp_path(path, sizeof path, "index.html"), NULL);
    assert_non_null(strstr(html, " 1 thread &middot;"));
    assert_non_null(strstr(html, " 2 threads &middot;"));
    assert_null(strstr(html, " 1 threads"));
    free(html);
    free_report(&f);
}

/* The #plot group of an SVG: its transform and time axis say the scale. */
static void plot_scale(const char *svg, char *transform, size_t size, long long *wall)
{
    char path[128];
    xmlDocPtr doc;
    xmlNode *found[MAX_FOUND];
    size_t n = 0;

    tmp_path(path, sizeof path, svg);
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    collect(xmlDocGetRootElement(doc), "g", found, &n);
    for (size_t i = 0; i < n; i++) {
        xmlChar *t, *w;

        if (!has_prop(found[i], "id", "plot"))
            continue;
        t = xmlGetProp(found[i], BAD_CAST "transform");
        w = xmlGetProp(found[i], BAD_CAST "data-wall");
        snprintf(transform, size, "%s", (const char *)t);
        *wall = strtoll((const char *)w, NULL, 10);
        xmlFree(t);
        xmlFree(w);
    }
    xmlFreeDoc(doc);
}

/* Lanes and stages differ, so do wall times: still one scale. */
/* The stage names in the page's timeline data read back as written,
 * whatever characters they hold: the data cannot end its <script>. */
static void test_viz_report_timeline_data_keeps_odd_names(void **state)
{
    report_fixture_t f;
    xmlNode *found[MAX_FOUND];
    size_t n = 0;
    htmlDocPtr html;
    xmlChar *text;
    cJSON *data;

    (void)state;
    make_report(&f, "bottleneck");
    jf_free(f.traces[2]->stage_names[0]);
    f.traces[2]->stage_names[0] = dup_str("</script><b>x</b> & \"y\" \xc3\xa9");
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), 0);
    html = read_index();
    collect(xmlDocGetRootElement(html), "script", found, &n);
    assert_int_equal(n, 3 + 1);
    assert_true(has_prop(found[2], "id", "jf-tl-2"));
    text = xmlNodeGetContent(found[2]);
    data = cJSON_Parse((const char *)text);
    assert_non_null(data);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(data, "stages"), 0)->valuestring,
                        "</script><b>x</b> & \"y\" \xc3\xa9");
    assert_string_equal(cJSON_GetObjectItem(data, "strategy")->valuestring, "scheduled");
    cJSON_Delete(data);
    xmlFree(text);
    xmlFreeDoc(html);
    free_report(&f);
}

/* Without traces there is nothing to draw: no controls, no script. */
static void test_viz_report_no_traces_no_script(void **state)
{
    report_fixture_t f;
    xmlNode *found[MAX_FOUND];
    size_t n = 0;
    htmlDocPtr html;

    (void)state;
    make_report(&f, "bottleneck");
    for (size_t i = 0; i < 3; i++)
        f.runs[i].trace = NULL;
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), 0);
    html = read_index();
    collect(xmlDocGetRootElement(html), "script", found, &n);
    collect(xmlDocGetRootElement(html), "canvas", found, &n);
    assert_int_equal(n, 0);
    xmlFreeDoc(html);
    free_report(&f);
}

static void test_viz_report_timelines_share_one_scale(void **state)
{
    report_fixture_t f;
    char first[64] = "", other[64];
    long long wall = 0, w;
    uint64_t longest = 0;

    (void)state;
    make_report(&f, "bottleneck");
    jf_free(f.traces[1]->stage_names[1]);
    f.traces[1]->stage_names[1] = dup_str("a much longer stage name than the others");
    for (size_t i = 0; i < 3; i++)
        longest = f.traces[i]->wall_ns > longest ? f.traces[i]->wall_ns : longest;
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), 0);
    plot_scale(f.runs[0].svg, first, sizeof first, &wall);
    assert_int_equal(wall, longest);
    for (size_t i = 1; i < 3; i++) {
        plot_scale(f.runs[i].svg, other, sizeof other, &w);
        assert_string_equal(other, first);
        assert_int_equal(w, wall);
    }
    free_report(&f);
}

/* Text content of the first element `name` whose class is cls (NULL: any). */
static int has_text(xmlNode *root, const char *name, const char *text)
{
    xmlNode *found[MAX_FOUND];
    size_t n = 0;
    int yes = 0;

    collect(root, name, found, &n);
    for (size_t i = 0; i < n && !yes; i++) {
        xmlChar *c = xmlNodeGetContent(found[i]);

        yes = c != NULL && strstr((const char *)c, text) != NULL;
        xmlFree(c);
    }
    return yes;
}

static void test_viz_report_odd_names_render_as_written(void **state)
{
    report_fixture_t f;
    char path[128];
    htmlDocPtr html;
    xmlDocPtr svg;

    (void)state;
    make_report(&f, odd_name);
    for (size_t i = 0; i < 3; i++) {
        jf_free(f.traces[i]->stage_names[0]);
        f.traces[i]->stage_names[0] = dup_str(odd_name);
    }
    f.runs[2].policy = odd_name;
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), 0);
    html = read_index();
    assert_true(has_text(xmlDocGetRootElement(html), "h1", odd_name));
    assert_true(has_text(xmlDocGetRootElement(html), "title", odd_name));
    assert_true(has_text(xmlDocGetRootElement(html), "td", odd_name));
    xmlFreeDoc(html);
    svg = xmlReadFile(tmp_path(path, sizeof path, "scheduled.svg"), NULL, XML_PARSE_NONET);
    assert_non_null(svg);
    assert_true(has_text(xmlDocGetRootElement(svg), "text", odd_name)); /* legend, labels */
    assert_true(has_text(xmlDocGetRootElement(svg), "tspan", odd_name)); /* title */
    xmlFreeDoc(svg);
    free_report(&f);
}

static void test_viz_report_rejects_names_outside_dir(void **state)
{
    static const char *const bad[] = {"../x.svg", "/tmp/x.svg", ".hidden.svg", "result.json",
                                      "", "a\\b.svg"};
    report_fixture_t f;
    char path[128];

    (void)state;
    make_report(&f, "bottleneck");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f.runs[1].svg = bad[i];
        assert_int_equal(jf_viz_write_report(&f.report, tmpdir), JF_EINVAL);
        assert_false(exists(tmp_path(path, sizeof path, "index.html")));
        assert_false(exists(tmp_path(path, sizeof path, "single.svg")));
    }
    f.runs[1].svg = "per-stage.svg";
    f.runs[0].trace_file = "../up.trace.json";
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), JF_EINVAL);
    f.runs[0].trace_file = "single.trace.json";
    free_report(&f);
}

/* No file in dir other than `keep` and the old ones: nothing staged left. */
static void assert_no_leftovers(void)
{
    DIR *dir = opendir(tmpdir);
    struct dirent *d;

    assert_non_null(dir);
    while ((d = readdir(dir)) != NULL)
        if (strstr(d->d_name, ".tmp") != NULL ||
            (strstr(d->d_name, ".new") != NULL && strcmp(d->d_name, "scheduled.svg.new") != 0))
            fail_msg("left behind: %s", d->d_name);
    closedir(dir);
}

/* A report that fails half way leaves the files of the last one as they were. */
static void test_viz_report_failure_keeps_old_files(void **state)
{
    report_fixture_t f;
    char path[128], block[128], *text;

    (void)state;
    make_report(&f, "bottleneck");
    spit(tmp_path(path, sizeof path, "index.html"), "old", 3);
    spit(tmp_path(path, sizeof path, "single.svg"), "old", 3);
    /* The last SVG cannot be staged: its staging name is a directory. */
    assert_int_equal(mkdir(tmp_path(block, sizeof block, "scheduled.svg.new"), 0700), 0);
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), JF_EIO);
    assert_int_equal(rmdir(block), 0);
    for (unsigned long n = 1; n < 40; n += 3) {
        int err;

        jf_alloc_fail_after(n);
        err = jf_viz_write_report(&f.report, tmpdir);
        jf_alloc_fail_after(0);
        if (err == 0)
            break; /* every allocation succeeded: the report is whole */
        assert_int_equal(err, JF_ENOMEM);
        text = slurp(tmp_path(path, sizeof path, "index.html"), NULL);
        assert_string_equal(text, "old");
        free(text);
        text = slurp(tmp_path(path, sizeof path, "single.svg"), NULL);
        assert_string_equal(text, "old");
        free(text);
        assert_no_leftovers();
    }
    free_report(&f);
}

/* A decimal comma from LC_NUMERIC changes neither the page nor reading. */
static void test_viz_report_ignores_locale(void **state)
{
    report_fixture_t f;
    char path[128], *text;
    jf_trace_t *back;

    (void)state;
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL)
        skip();
    make_report(&f, "bottleneck");
    assert_int_equal(jf_viz_write_report(&f.report, tmpdir), 0);
    back = write_and_read(f.traces[2], "locale.json");
    setlocale(LC_NUMERIC, "C");
    assert_same_trace(f.traces[2], back);
    text = slurp(tmp_path(path, sizeof path, "index.html"), NULL);
    assert_non_null(strstr(text, "4.10 ms")); /* the first run's wall time */
    assert_non_null(strstr(text, "2.00&times;"));
    assert_null(strstr(text, "4,10"));
    free(text);
    jf_trace_destroy(back);
    free_report(&f);
}

/* ---- bench report, end to end ---- */

/* Runs a shell command line; returns its exit status. */
static int run(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    assert_true(rc != -1 && WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

/* The error output of the last command: exactly one line "bench: report: ...". */
static void assert_one_error_line(const char *err_path, const char *part)
{
    char *text = slurp(err_path, NULL);
    char *nl = strchr(text, '\n');

    if (strncmp(text, "bench: report: ", 15) != 0 || nl == NULL || nl[1] != '\0' ||
        strstr(text, part) == NULL)
        fail_msg("stderr was \"%s\", expected one line with \"%s\"", text, part);
    free(text);
}

static void test_viz_report_bench_end_to_end(void **state)
{
    static const char workload[] = "{\"name\": \"tiny\", \"items\": 2000, \"stages\": ["
                                   "{\"name\": \"a\", \"kernel\": \"spin\", \"ns\": 200},"
                                   "{\"name\": \"b\", \"kernel\": \"spin\", \"ns\": 200},"
                                   "{\"name\": \"c\", \"kernel\": \"spin\", \"ns\": 200}]}\n";
    const char *bench = getenv("JF_BENCH");
    char wl[128], out[128], err[128], so[128], path[192], *text;

    (void)state;
    if (bench == NULL || bench[0] == '\0')
        skip();
    tmp_path(wl, sizeof wl, "tiny.json");
    tmp_path(out, sizeof out, "r");
    tmp_path(err, sizeof err, "stderr.txt");
    tmp_path(so, sizeof so, "stdout.txt");
    spit(wl, workload, strlen(workload));
    assert_int_equal(run("'%s' --workload '%s' --cores 2 --repeat 1 --no-history --out '%s' >'%s' 2>'%s'",
                         bench, wl, out, so, err), 0);
    text = slurp(so, NULL);
    snprintf(path, sizeof path, "report: %s/index.html\n", out);
    assert_non_null(strstr(text, path)); /* the last thing it says */
    assert_string_equal(text + strlen(text) - strlen(path), path);
    free(text);
    assert_int_equal(run("rm -f '%s'/*.svg '%s/index.html'", out, out), 0);
    assert_int_equal(run("'%s' report '%s' >'%s' 2>'%s'", bench, out, so, err), 0);
    snprintf(path, sizeof path, "%s/scheduled.svg", out);
    assert_true(exists(path));
    snprintf(path, sizeof path, "%s/index.html", out);
    assert_true(exists(path));
    /* Bad input: one line, exit 2, the files of the last report kept. */
    assert_int_equal(run("'%s' report '%s/missing' >'%s' 2>'%s'", bench, out, so, err), 2);
    assert_one_error_line(err, "missing");
    assert_int_equal(run("'%s' report >'%s' 2>'%s'", bench, so, err), 2);
    assert_int_equal(run("head -c 5000 '%s/scheduled.trace.json' >'%s/cut' && "
                         "mv '%s/cut' '%s/scheduled.trace.json'", out, out, out, out), 0);
    assert_int_equal(run("'%s' report '%s' >'%s' 2>'%s'", bench, out, so, err), 2);
    assert_one_error_line(err, "scheduled.trace.json: truncated");
    assert_true(exists(path));
    assert_int_equal(run("sed -i 's/\"jefferson_trace\":1/\"jefferson_trace\":7/' "
                         "'%s/single.trace.json'", out), 0);
    assert_int_equal(run("'%s' report '%s' >'%s' 2>'%s'", bench, out, so, err), 2);
    assert_one_error_line(err, "version 7");
    assert_int_equal(run("rm -rf '%s' '%s' '%s' '%s'", out, wl, so, err), 0);
}

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_viz_report.XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int remove_dir(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_report_trace_round_trip_is_exact),
        cmocka_unit_test(test_viz_report_trace_keeps_odd_events),
        cmocka_unit_test(test_viz_report_trace_empty_round_trip),
        cmocka_unit_test(test_viz_report_reader_rejects_truncated),
        cmocka_unit_test(test_viz_report_reader_rejects_edits),
        cmocka_unit_test(test_viz_report_reader_rejects_ill_formed_utf8),
        cmocka_unit_test(test_viz_report_reader_names_the_nesting_limit),
        cmocka_unit_test(test_viz_report_reader_missing_file_is_eio),
        cmocka_unit_test(test_viz_report_index_has_table_and_timelines),
        cmocka_unit_test(test_viz_report_one_thread_is_singular),
        cmocka_unit_test(test_viz_report_timelines_share_one_scale),
        cmocka_unit_test(test_viz_report_timeline_data_keeps_odd_names),
        cmocka_unit_test(test_viz_report_no_traces_no_script),
        cmocka_unit_test(test_viz_report_odd_names_render_as_written),
        cmocka_unit_test(test_viz_report_rejects_names_outside_dir),
        cmocka_unit_test(test_viz_report_failure_keeps_old_files),
        cmocka_unit_test(test_viz_report_ignores_locale),
        cmocka_unit_test(test_viz_report_bench_end_to_end),
    };
    int failed = cmocka_run_group_tests(tests, setup_dir, remove_dir);

    xmlCleanupParser();
    return failed;
}
