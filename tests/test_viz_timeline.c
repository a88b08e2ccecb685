/* test_viz_timeline.c - the timeline data index.html embeds: decoded, it is the trace exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "core/jf_alloc.h"
#include "jefferson/trace.h"
#include "viz/timeline.h"
#include "viz/viz_internal.h"

#define NSTAGES 3
#define NLANES 3
#define PER_LANE 400
#define MAX_VALUES (PER_LANE * 8)

static const char odd_name[] = "a</script><b> & \"c\" \\ 'd' \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

static void add(jf_trace_lane_t *lane, uint8_t kind, uint64_t t, unsigned stage, uint32_t count)
{
    assert_true(lane->count < lane->capacity);
    lane->events[lane->count++] = (jf_event_t){
        .t_ns = t, .count = count, .stage = (uint16_t)stage, .kind = kind};
}

static char *dup_str(const char *s)
{
    char *p = jf_calloc(strlen(s) + 1, 1);

    assert_non_null(p);
    strcpy(p, s);
    return p;
}

/* Lanes of decisions, depths, batches of uneven length and gaps, parks, a
 * lost batch end, starting at `base` ns (large bases check exactness). */
static jf_trace_t *make_trace(uint64_t base)
{
    jf_trace_t *t = jf_calloc(1, sizeof *t);
    uint64_t x = 12345;

    assert_non_null(t);
    t->nstages = NSTAGES;
    t->nlanes = NLANES;
    t->stage_names = jf_calloc(NSTAGES, sizeof(char *));
    t->lanes = jf_calloc(NLANES, sizeof *t->lanes);
    assert_true(t->stage_names != NULL && t->lanes != NULL);
    t->stage_names[0] = dup_str("parse");
    t->stage_names[1] = dup_str(odd_name);
    t->stage_names[2] = dup_str("write");
    for (size_t i = 0; i < NLANES; i++) {
        jf_trace_lane_t *lane = &t->lanes[i];
        uint64_t now = base + i * 7;
        unsigned at = JF_TRACE_NONE;

        lane->capacity = PER_LANE * 8;
        lane->events = jf_calloc(lane->capacity, sizeof *lane->events);
        assert_non_null(lane->events);
        lane->core = (int)i;
        lane->home_stage = -1;
        for (size_t b = 0; b < PER_LANE; b++) {
            unsigned to = (unsigned)((b / 5 + i) % NSTAGES);

            x = x * 6364136223846793005u + 1442695040888963407u;
            add(lane, JF_EV_DECIDE, now, to, at);
            add(lane, JF_EV_QDEPTH, now, to, (uint32_t)(x >> 40) % 1000);
            at = to;
            now += 1 + (x >> 33) % 3000;
            add(lane, JF_EV_BATCH_BEGIN, now, to, 16);
            now += (x >> 20) % 40000; /* 0 ns batches too */
            if (b % 97 != 13) /* now and then an end is lost */
                add(lane, JF_EV_BATCH_END, now, to, (uint32_t)(1 + b % 16));
            if (b % 11 == 3) {
                add(lane, JF_EV_PARK, now, at, 0);
                now += (x >> 50) % 90000;
                add(lane, JF_EV_UNPARK, now, JF_TRACE_NONE, 0);
                at = JF_TRACE_NONE;
            }
        }
        t->wall_ns = now + 100 > t->wall_ns ? now + 100 : t->wall_ns;
    }
    return t;
}

/* The page's decoding: base-36 integers separated by commas. */
static size_t decode(const char *s, int64_t *out, size_t max)
{
    size_t n = 0;

    while (*s != '\0') {
        char *end;

        assert_true(n < max);
        out[n++] = strtoll(s, &end, 36);
        assert_true(end > s && (*end == ',' || *end == '\0'));
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

static cJSON *encode(const jf_trace_t *t)
{
    jf__tl_text_t text = {0};
    cJSON *doc;

    assert_int_equal(jf__tl_encode(t, "sched<uled>", &text), 0);
    for (size_t i = 0; i < text.len; i++) { /* ASCII, nothing that could end a <script> */
        unsigned char c = (unsigned char)text.text[i];

        assert_true(c >= 0x20 && c < 0x7f);
        assert_true(c != '<' && c != '>' && c != '&');
    }
    doc = cJSON_Parse(text.text);
    jf_free(text.text);
    assert_non_null(doc);
    return doc;
}

static const char *lane_list(const cJSON *doc, size_t lane, const char *key)
{
    const cJSON *l = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "lanes"), (int)lane);
    const cJSON *v = cJSON_GetObjectItem(l, key);

    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* Every batch of every lane, in order, with its exact start, end, stage and items. */
static void check_batches(const jf_trace_t *t, const cJSON *doc)
{
    static int64_t v[MAX_VALUES];

    for (size_t i = 0; i < t->nlanes; i++) {
        size_t n = decode(lane_list(doc, i, "b"), v, MAX_VALUES), k = 0;
        int64_t prev = 0;
        jf__viz_cursor_t c;
        jf__viz_span_t s;

        assert_int_equal(n % 4, 0);
        jf__viz_cursor_init(&c, &t->lanes[i], t->wall_ns);
        for (; jf__viz_next_batch(&c, &s); k += 4) {
            assert_true(k + 4 <= n);
            assert_int_equal(prev + v[k], s.t0);
            assert_int_equal(prev + v[k] + v[k + 1], s.t1);
            assert_int_equal(v[k + 2], s.stage);
            assert_int_equal(v[k + 3], s.items);
            prev = (int64_t)s.t1;
        }
        assert_int_equal(k, n);
        assert_true(n / 4 >= PER_LANE - 1);
    }
}

static void check_parks(const jf_trace_t *t, const cJSON *doc)
{
    static int64_t v[MAX_VALUES];

    for (size_t i = 0; i < t->nlanes; i++) {
        size_t n = decode(lane_list(doc, i, "p"), v, MAX_VALUES), k = 0;
        int64_t prev = 0;
        jf__viz_cursor_t c;
        jf__viz_span_t s;

        jf__viz_cursor_init(&c, &t->lanes[i], t->wall_ns);
        for (; jf__viz_next_park(&c, &s); k += 2, prev = (int64_t)s.t1) {
            assert_int_equal(prev + v[k], s.t0);
            assert_int_equal(prev + v[k] + v[k + 1], s.t1);
        }
        assert_int_equal(k, n);
        assert_true(n > 0);
    }
}

static void test_viz_timeline_every_batch_exact(void **state)
{
    jf_trace_t *t = make_trace(0);
    cJSON *doc = encode(t);

    (void)state;
    assert_int_equal((uint64_t)cJSON_GetObjectItem(doc, "wall")->valuedouble, t->wall_ns);
    check_batches(t, doc);
    check_parks(t, doc);
    cJSON_Delete(doc);
    jf_trace_destroy(t);
}

/* Nanoseconds stay exact far into a long run (up to 2^50, what a trace file holds). */
static void test_viz_timeline_exact_at_large_times(void **state)
{
    jf_trace_t *t = make_trace((uint64_t)1 << 49);
    cJSON *doc = encode(t);

    (void)state;
    check_batches(t, doc);
    check_parks(t, doc);
    cJSON_Delete(doc);
    jf_trace_destroy(t);
}

/* Sums the time deltas of a list (every `step`-th value) and checks that
 * they never go back; returns how many entries it has. */
static size_t check_time_order(size_t step, const int64_t *v_in, size_t n)
{
    int64_t t = 0;

    for (size_t k = 0; k < n; k += step) {
        if (k > 0)
            assert_true(v_in[k] >= 0);
        t += v_in[k];
        assert_true(t >= 0);
    }
    return n / step;
}

static void test_viz_timeline_moves_and_depths_in_time_order(void **state)
{
    static int64_t v[NLANES * MAX_VALUES];
    jf_trace_t *t = make_trace(0);
    cJSON *doc = encode(t), *queues = cJSON_GetObjectItem(doc, "queues");
    size_t moves = 0, depths[NSTAGES] = {0}, n;

    (void)state;
    for (size_t i = 0; i < t->nlanes; i++)
        for (size_t k = 0; k < t->lanes[i].count; k++) {
            const jf_event_t *ev = &t->lanes[i].events[k];

            moves += ev->kind == JF_EV_DECIDE && ev->count != ev->stage;
            if (ev->kind == JF_EV_QDEPTH)
                depths[ev->stage]++;
        }
    n = decode(cJSON_GetObjectItem(doc, "moves")->valuestring, v, sizeof v / sizeof v[0]);
    assert_int_equal(check_time_order(1, v, n), moves);
    assert_true(moves > 0);
    assert_int_equal(cJSON_GetArraySize(queues), NSTAGES);
    for (int s = 0; s < NSTAGES; s++) {
        n = decode(cJSON_GetArrayItem(queues, s)->valuestring, v, sizeof v / sizeof v[0]);
        assert_int_equal(check_time_order(2, v, n), depths[s]);
        for (size_t k = 1; k < n; k += 2)
            assert_true(v[k] >= 0 && v[k] < 1000);
    }
    cJSON_Delete(doc);
    jf_trace_destroy(t);
}

/* Names with '<', '&', quotes and characters beyond ASCII come back as they were. */
static void test_viz_timeline_names_round_trip(void **state)
{
    jf_trace_t *t = make_trace(0);
    cJSON *doc = encode(t), *stages = cJSON_GetObjectItem(doc, "stages");
    const cJSON *colours = cJSON_GetObjectItem(doc, "colours");

    (void)state;
    assert_string_equal(cJSON_GetObjectItem(doc, "strategy")->valuestring, "sched<uled>");
    assert_int_equal(cJSON_GetArraySize(stages), NSTAGES);
    assert_string_equal(cJSON_GetArrayItem(stages, 1)->valuestring, odd_name);
    assert_int_equal(cJSON_GetArraySize(colours), NSTAGES);
    for (int s = 0; s < NSTAGES; s++)
        assert_int_equal(strlen(cJSON_GetArrayItem(colours, s)->valuestring), 7);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "lanes"), 2),
                                            "label")->valuestring, "w2 core 2");
    cJSON_Delete(doc);
    jf_trace_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_timeline_every_batch_exact),
        cmocka_unit_test(test_viz_timeline_exact_at_large_times),
        cmocka_unit_test(test_viz_timeline_moves_and_depths_in_time_order),
        cmocka_unit_test(test_viz_timeline_names_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
