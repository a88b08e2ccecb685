/* test_decide.c - what a scheduled decision reads, and what it makes of old readings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/decide.h"

/* A reader over a model of the stages that counts what it is asked to read. */
typedef struct model {
    size_t nstages;
    jf_stage_view_t views[JF_MAX_STAGES];
    unsigned placed[JF_MAX_STAGES];
    unsigned reads[JF_MAX_STAGES]; /* how often each stage was read */
    unsigned calls;
    size_t last_count;             /* stages read by the last call */
} model_t;

static void read_model(void *ctx, const unsigned char *which, jf_stage_view_t *views,
                       double *measured, unsigned *placed)
{
    model_t *m = ctx;

    m->calls++;
    m->last_count = 0;
    for (size_t s = 0; s < m->nstages; s++) {
        if (!which[s])
            continue;
        views[s] = m->views[s];
        measured[s] = m->views[s].service_ns;
        placed[s] = m->placed[s];
        m->reads[s]++;
        m->last_count++;
    }
}

static const jf__decide_reader_t reader = {read_model};

static void model_init(model_t *m, size_t nstages)
{
    memset(m, 0, sizeof *m);
    m->nstages = nstages;
    for (size_t s = 0; s < nstages; s++)
        m->views[s] = (jf_stage_view_t){.queue = 100, .service_ns = 1000, .done = false};
}

static int decide(model_t *m, jf__snapshot_t *snap, int at, int hold)
{
    unsigned alloc[JF_MAX_STAGES];
    jf_stage_view_t views[JF_MAX_STAGES];
    double score;
    jf__decide_in_t in = {JF_POLICY_DHONDT, m->nstages, 8, at, hold, hold >= 0 ? 16 : 0, 0, alloc};

    return jf__decide(&in, &reader, m, snap, views, &score);
}

/* Up to JF__READ_TURN + 4 stages, every decision reads every stage. */
static void test_decide_small_pipelines_read_whole(void **state)
{
    (void)state;
    for (size_t n = 1; n <= JF__READ_TURN + 4; n++) {
        model_t m;
        jf__snapshot_t snap = {.whole = true};
        model_init(&m, n);
        for (int k = 0; k < 10; k++) {
            (void)decide(&m, &snap, k % (int)n, -1);
            assert_int_equal(m.last_count, n);
        }
    }
}

/* Beyond that: the first decision reads all; later ones a bounded set that
 * holds stage 0, the worker's stage and the next, and the batch in hand's
 * stage; and every stage is read within ceil(S / JF__READ_TURN) decisions. */
static void test_decide_reads_a_bounded_set_and_every_stage_in_turn(void **state)
{
    (void)state;
    for (size_t n = JF__READ_TURN + 5; n <= JF_MAX_STAGES; n += 7) {
        model_t m;
        jf__snapshot_t snap = {.whole = true};
        unsigned rounds = (unsigned)((n + JF__READ_TURN - 1) / JF__READ_TURN);
        model_init(&m, n);
        (void)decide(&m, &snap, -1, -1);
        assert_int_equal(m.last_count, n);
        for (int k = 0; k < 50; k++) {
            unsigned before[JF_MAX_STAGES];
            int at = (int)((size_t)(7 * k + 3) % n), hold = k % 3 == 0 ? (int)((size_t)(5 * k) % n) : -1;
            memcpy(before, m.reads, sizeof before);
            (void)decide(&m, &snap, at, hold);
            assert_true(m.last_count <= JF__READ_TURN + 4);
            assert_int_equal(m.reads[0], before[0] + 1);
            assert_int_equal(m.reads[at], before[at] + 1);
            assert_int_equal(m.reads[(size_t)(at + 1) % n], before[(size_t)(at + 1) % n] + 1);
            if (hold >= 0)
                assert_int_equal(m.reads[hold], before[hold] + 1);
        }
        /* From a fresh count: every stage within `rounds` decisions at -1. */
        memset(m.reads, 0, sizeof m.reads);
        for (unsigned k = 0; k < rounds; k++)
            (void)decide(&m, &snap, -1, -1);
        for (size_t s = 0; s < n; s++)
            assert_true(m.reads[s] > 0);
    }
}

/* A stage's old reading stands until it is read again; asking for a whole
 * reading (what a miss does) brings every stage up to date at once. */
static void test_decide_old_readings_until_a_whole_one(void **state)
{
    model_t m;
    jf__snapshot_t snap = {.whole = true};
    const size_t n = 20, far = 10;
    (void)state;

    model_init(&m, n);
    for (size_t s = 0; s < n; s++)
        m.views[s].queue = s == far ? 10000 : 0; /* only the far stage has work */
    assert_int_equal(decide(&m, &snap, -1, -1), (int)far);
    m.views[far].queue = 0; /* another worker emptied it; stage 1 has work now */
    m.views[1].queue = 5000;
    snap.turn = 12;         /* the rotation is away from both */
    assert_int_equal(decide(&m, &snap, 0, -1), (int)far); /* an old reading: a miss */
    snap.whole = true;
    assert_int_equal(decide(&m, &snap, 0, -1), 1);
    assert_false(snap.whole);
}

/* Every stage done ends the run only when every stage was read done: old
 * readings never say done too early, since done never reverts. */
static void test_decide_done_needs_every_stage_done(void **state)
{
    model_t m;
    jf__snapshot_t snap = {.whole = true};
    const size_t n = 16;
    (void)state;

    model_init(&m, n);
    (void)decide(&m, &snap, -1, -1);
    for (size_t s = 0; s < n; s++)
        m.views[s] = (jf_stage_view_t){.queue = 0, .service_ns = 1000, .done = true};
    int k = 0;
    while (decide(&m, &snap, -1, -1) != JF__DECIDE_DONE)
        assert_true(++k < (int)n);
    assert_true(k > 0); /* the first partial reading could not see it */
}

/* The batch in hand goes on to its stage when that stage is idle (nothing
 * queued, nobody placed there), although the allocation, seeing only the
 * source's work, would keep the worker at stage 0; once another worker
 * serves that stage, the allocation decides (here: back to stage 0). */
static void test_decide_carries_into_an_idle_stage(void **state)
{
    model_t m;
    jf__snapshot_t snap = {.whole = true};
    (void)state;

    model_init(&m, 4);
    for (size_t s = 0; s < 4; s++)
        m.views[s].queue = 0;
    m.views[0].queue = 10000; /* the source has all the work */
    m.placed[0] = 1;          /* this worker, at stage 0 */
    assert_int_equal(decide(&m, &snap, 0, 1), 1);
    m.placed[1] = 1;          /* another worker serves stage 1 */
    snap.whole = true;
    assert_int_equal(decide(&m, &snap, 0, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide_small_pipelines_read_whole),
        cmocka_unit_test(test_decide_reads_a_bounded_set_and_every_stage_in_turn),
        cmocka_unit_test(test_decide_old_readings_until_a_whole_one),
        cmocka_unit_test(test_decide_done_needs_every_stage_done),
        cmocka_unit_test(test_decide_carries_into_an_idle_stage),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
