/* fuzz_trace_read.c - libFuzzer target: the Chrome trace reader of `bench report`, and what
 * report does with a trace it read (write it back, draw its SVG timeline). */
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "core/jf_utf8.h"
#include "jefferson/render.h"
#include "viz/viz_internal.h"

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond))                                                                           \
            __builtin_trap();                                                                  \
    } while (0)

/* The reader takes a path: each input goes to a file in a private
 * directory (on /dev/shm when there is one), removed at exit. */
static char dir[64];
static int lax; /* JF_FUZZ_LAX is set: tolerate the open bugs of docs/fuzzing.md */
static char in_path[96], out_path[96], again_path[96], svg_path[96];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void remove_dir(void)
{
    unlink(in_path);
    unlink(out_path);
    unlink(again_path);
    unlink(svg_path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(dir, sizeof dir, "%s/jf-fuzz-trace.XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("fuzz_trace_read: mkdtemp");
        exit(1);
    }
    snprintf(in_path, sizeof in_path, "%s/in.json", dir);
    snprintf(out_path, sizeof out_path, "%s/out.json", dir);
    snprintf(again_path, sizeof again_path, "%s/again.json", dir);
    snprintf(svg_path, sizeof svg_path, "%s/t.svg", dir);
    atexit(remove_dir);
    lax = getenv("JF_FUZZ_LAX") != NULL;
    xmlInitParser();
    return 0;
}

static void put_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    CHECK(fd >= 0);
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        CHECK(n > 0);
        data += n;
        size -= (size_t)n;
    }
    close(fd);
}

/* `why` is one line (jefferson/render.h); with JF_FUZZ_LAX set the line check is
 * skipped, to fuzz on past that open bug (docs/fuzzing.md). */
static void check_why(const char *why, size_t size)
{
    CHECK(why[0] != '\0' && strnlen(why, size) < size);
    if (!lax)
        CHECK(strpbrk(why, "\r\n") == NULL);
}

static int valid_utf8(const char *s)
{
    return jf_utf8_check(s, strlen(s)) == JF_UTF8_VALID;
}

static int same_double(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* Whether b is what was written of a. Stage names that are not UTF-8 are
 * written with U+FFFD in place of the bad bytes, as documented; with
 * names_exact only identical names pass. */
static void check_same(const jf_trace_t *a, const jf_trace_t *b, int names_exact)
{
    CHECK(a->nlanes == b->nlanes && a->nstages == b->nstages && a->wall_ns == b->wall_ns);
    for (size_t s = 0; s < a->nstages; s++) {
        const char *x = a->stage_names[s], *y = b->stage_names[s];
        CHECK((x == NULL) == (y == NULL));
        if (x != NULL && (names_exact || valid_utf8(x)))
            CHECK(strcmp(x, y) == 0);
    }
    for (size_t i = 0; i < a->nlanes; i++) {
        const jf_trace_lane_t *la = &a->lanes[i], *lb = &b->lanes[i];
        CHECK(la->count == lb->count && la->dropped == lb->dropped && la->core == lb->core &&
              la->home_stage == lb->home_stage);
        for (size_t k = 0; k < la->count; k++) {
            const jf_event_t *x = &la->events[k], *y = &lb->events[k];
            CHECK(x->t_ns == y->t_ns && x->count == y->count && x->stage == y->stage &&
                  x->kind == y->kind && same_double(x->value, y->value));
        }
    }
}

/* What the reader promises of a trace it accepts. */
static void check_bounds(const jf_trace_t *t)
{
    CHECK(t->wall_ns < (UINT64_C(1) << 50));
    CHECK(t->nstages == 0 || t->stage_names != NULL);
    for (size_t i = 0; i < t->nlanes; i++) {
        const jf_trace_lane_t *l = &t->lanes[i];
        CHECK(l->count <= l->capacity);
        CHECK(l->home_stage >= -1 && (l->home_stage < 0 || (size_t)l->home_stage < t->nstages));
        for (size_t k = 0; k < l->count; k++) {
            const jf_event_t *e = &l->events[k];
            CHECK(e->t_ns < (UINT64_C(1) << 50));
            CHECK(e->kind >= JF_EV_BATCH_BEGIN && e->kind <= JF_EV_QDEPTH);
            /* Stage indexes are checked too, except in "raw" events: the
             * writer keeps any event that way, unknown stages included, so
             * the reader must take them back (and the SVG writer cope). */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[JF_VIZ_WHY_MAX];
    jf_trace_t *t = NULL, *back = NULL, *again = NULL;
    jf_viz_meta_t meta = {.workload = "fuzz", .strategy = "scheduled", .policy = "dhondt",
                          .cores = 2, .efficiency = -1};
    long live = jf_alloc_live();
    int err;

    put_file(in_path, data, size);
    err = jf_viz_read_chrome_trace(in_path, &t, why, sizeof why);
    if (err != 0) {
        CHECK(t == NULL);
        CHECK(err == JF_EPARSE || err == JF_ERANGE || err == JF_ENOMEM);
        check_why(why, sizeof why);
        CHECK(jf_alloc_live() == live);
        return 0;
    }
    CHECK(t != NULL);
    check_bounds(t);
    /* Lossless: writing what was read and reading it again gives it back. */
    CHECK(jf_viz_write_chrome_trace(t, &meta, out_path) == 0);
    CHECK(jf_viz_read_chrome_trace(out_path, &back, why, sizeof why) == 0);
    check_same(t, back, 0);
    CHECK(jf_viz_write_chrome_trace(back, NULL, again_path) == 0);
    CHECK(jf_viz_read_chrome_trace(again_path, &again, why, sizeof why) == 0);
    check_same(back, again, 1);
    /* `bench report` draws every trace it reads. */
    (void)jf_viz_svg_label_px(t);
    CHECK(jf_viz_write_svg(t, &meta, svg_path) == 0);
    jf_trace_destroy(again);
    jf_trace_destroy(back);
    jf_trace_destroy(t);
    CHECK(jf_alloc_live() == live);
    return 0;
}
