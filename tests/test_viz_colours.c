/* test_viz_colours.c - stage colours of the SVG timeline: 24 stages, 24 fills,
 * the legend matching the lanes, a stage the same colour in every strategy,
 * hatches (never a silent repeat) past the palette. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/jf_alloc.h"
#include "jefferson/trace.h"
#include "jefferson/render.h"

#define MAX_STAGES 64

static char tmpdir[64];

/* A stage's fill from the SVG's style sheet, and what the legend and the
 * lanes draw with which class. */
typedef struct picture {
    char fill[MAX_STAGES][48];   /* ".sN{fill:...;" */
    char legend[MAX_STAGES][48]; /* legend entry whose sample has class sN: its text */
    size_t nlegend;
    unsigned lane_stage[8][MAX_STAGES]; /* per lane, the class number of each block */
    size_t lane_blocks[8];
    size_t nlanes;               /* "batches" groups seen */
} picture_t;

/* nlanes workers, each running every stage once for 10 us, stage order
 * rotated by `shift` per lane (another strategy: another assignment). */
static jf_trace_t *stage_trace(size_t nstages, size_t nlanes, size_t shift)
{
    jf_trace_t *t = jf_calloc(1, sizeof *t);
    char name[32];

    assert_non_null(t);
    t->nstages = nstages;
    t->wall_ns = nstages * 10000;
    t->stage_names = jf_calloc(nstages, sizeof *t->stage_names);
    t->nlanes = nlanes;
    t->lanes = jf_calloc(nlanes, sizeof *t->lanes);
    assert_true(t->stage_names != NULL && t->lanes != NULL);
    for (size_t s = 0; s < nstages; s++) {
        snprintf(name, sizeof name, "stage-%02zu", s);
        t->stage_names[s] = jf_calloc(strlen(name) + 1, 1); /* jf_trace_destroy frees it */
        assert_non_null(t->stage_names[s]);
        memcpy(t->stage_names[s], name, strlen(name));
    }
    for (size_t i = 0; i < nlanes; i++) {
        jf_trace_lane_t *lane = &t->lanes[i];

        lane->events = jf_calloc(2 * nstages, sizeof *lane->events);
        assert_non_null(lane->events);
        lane->capacity = 2 * nstages;
        lane->core = (int)i;
        lane->home_stage = -1;
        for (size_t b = 0; b < nstages; b++) {
            uint16_t st = (uint16_t)((b + i * shift) % nstages);

            lane->events[lane->count++] = (jf_event_t){
                .t_ns = b * 10000 + 100, .count = 16, .stage = st, .kind = JF_EV_BATCH_BEGIN};
            lane->events[lane->count++] = (jf_event_t){
                .t_ns = b * 10000 + 9900, .count = 16, .value = 9000, .stage = st,
                .kind = JF_EV_BATCH_END};
        }
    }
    return t;
}

static unsigned class_stage(xmlNode *n)
{
    xmlChar *c = xmlGetProp(n, BAD_CAST "class");
    unsigned st = UINT32_MAX;

    if (c != NULL && sscanf((const char *)c, "s%u", &st) != 1)
        st = UINT32_MAX;
    xmlFree(c);
    return st;
}

static int has_class(xmlNode *n, const char *cls)
{
    xmlChar *c = xmlGetProp(n, BAD_CAST "class");
    int yes = c != NULL && strcmp((const char *)c, cls) == 0;

    xmlFree(c);
    return yes;
}

static void read_style(picture_t *p, const char *css)
{
    for (const char *q = strstr(css, ".s"); q != NULL; q = strstr(q + 2, ".s")) {
        unsigned st;
        char fill[48];

        if (sscanf(q, ".s%u{fill:%47[^;]", &st, fill) == 2 && st < MAX_STAGES)
            strcpy(p->fill[st], fill);
    }
}

/* Walks the document: style, legend items, batch blocks per lane. */
static void walk(picture_t *p, xmlNode *n, int in_legend, int lane)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "style") == 0) {
            xmlChar *css = xmlNodeGetContent(n);
            read_style(p, (const char *)css);
            xmlFree(css);
        } else if (in_legend && has_class(n, "item")) {
            xmlNode *rect = xmlFirstElementChild(n), *text = xmlLastElementChild(n);
            unsigned st = rect != NULL ? class_stage(rect) : UINT32_MAX;
            xmlChar *label = xmlNodeGetContent(text);

            if (st < MAX_STAGES)
                snprintf(p->legend[st], sizeof p->legend[st], "%s", (const char *)label);
            p->nlegend += st < MAX_STAGES;
            xmlFree(label);
        } else if (lane >= 0 && strcmp((const char *)n->name, "rect") == 0) {
            if (p->lane_blocks[lane] < MAX_STAGES)
                p->lane_stage[lane][p->lane_blocks[lane]++] = class_stage(n);
        } else if (has_class(n, "batches") && p->nlanes < 8) {
            walk(p, n->children, 0, (int)p->nlanes++);
        } else {
            walk(p, n->children, in_legend || has_class(n, "legend"), lane);
        }
    }
}

static void read_picture(picture_t *p, const jf_trace_t *t, const char *name)
{
    char path[128];
    xmlDocPtr doc;
    xmlNode *root;

    memset(p, 0, sizeof *p);
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    assert_int_equal(jf_viz_write_svg(t, NULL, path), 0);
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    root = xmlDocGetRootElement(doc);
    walk(p, root, 0, -1);
    xmlFreeDoc(doc);
    unlink(path);
}

/* 24 stages: 24 different fills; the legend names stage i beside a sample
 * of class si, and every lane block of class si is a batch of stage i
 * (the trace's order, rotated per lane). */
static void test_viz_colours_24_stages_24_fills_legend_matches_lanes(void **state)
{
    jf_trace_t *t = stage_trace(24, 3, 5);
    picture_t *p = calloc(1, sizeof *p);
    char name[32];

    (void)state;
    assert_non_null(p);
    read_picture(p, t, "s24.svg");
    for (unsigned i = 0; i < 24; i++) {
        assert_true(p->fill[i][0] == '#');
        for (unsigned j = 0; j < i; j++)
            if (strcmp(p->fill[i], p->fill[j]) == 0)
                fail_msg("stages %u and %u share the fill %s", j, i, p->fill[i]);
        snprintf(name, sizeof name, "stage-%02u", i);
        assert_string_equal(p->legend[i], name);
    }
    assert_int_equal(p->nlegend, 24);
    assert_int_equal(p->nlanes, 3);
    for (size_t lane = 0; lane < 3; lane++) {
        assert_int_equal(p->lane_blocks[lane], 24);
        for (size_t b = 0; b < 24; b++)
            assert_int_equal(p->lane_stage[lane][b], (b + lane * 5) % 24);
    }
    free(p);
    jf_trace_destroy(t);
}

/* Another strategy (other lanes, other order) of the same stages: every
 * stage keeps its fill. */
static void test_viz_colours_same_stage_same_colour_in_every_strategy(void **state)
{
    jf_trace_t *a = stage_trace(24, 2, 1), *b = stage_trace(24, 5, 7);
    picture_t *pa = calloc(1, sizeof *pa), *pb = calloc(1, sizeof *pb);

    (void)state;
    assert_true(pa != NULL && pb != NULL);
    read_picture(pa, a, "a.svg");
    read_picture(pb, b, "b.svg");
    for (unsigned i = 0; i < 24; i++)
        assert_string_equal(pa->fill[i], pb->fill[i]);
    free(pa);
    free(pb);
    jf_trace_destroy(a);
    jf_trace_destroy(b);
}

/* Past the palette: hatched, each stage its own pattern, never the fill of
 * another stage. */
static void test_viz_colours_past_palette_are_hatched(void **state)
{
    jf_trace_t *t = stage_trace(64, 1, 0);
    picture_t *p = calloc(1, sizeof *p);
    char want[48];

    (void)state;
    assert_non_null(p);
    read_picture(p, t, "s64.svg");
    for (unsigned i = 0; i < 64; i++) {
        if (i >= 24) {
            snprintf(want, sizeof want, "url(#jf-h%u)", i);
            assert_string_equal(p->fill[i], want);
        }
        for (unsigned j = 0; j < i; j++)
            if (strcmp(p->fill[i], p->fill[j]) == 0)
                fail_msg("stages %u and %u share the fill %s", j, i, p->fill[i]);
    }
    assert_int_equal(p->nlegend, 64);
    free(p);
    jf_trace_destroy(t);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/jf-colours.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_colours_24_stages_24_fills_legend_matches_lanes),
        cmocka_unit_test(test_viz_colours_same_stage_same_colour_in_every_strategy),
        cmocka_unit_test(test_viz_colours_past_palette_are_hatched),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);

    xmlCleanupParser();
    return failed;
}
