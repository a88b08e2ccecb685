/* test_queue.c - the MPMC queue loses nothing, duplicates nothing, keeps FIFO. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <unistd.h>

#include <cmocka.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "core/jf_queue.h"
#include "test_env.h"

static jf_item_t item(uint64_t seq)
{
    jf_item_t it = {.seq = seq, .payload = NULL, .bytes = 0, .used = 0};
    return it;
}

static void test_queue_rejects_bad_capacity(void **state)
{
    jf_queue_t *q = NULL;
    (void)state;

    assert_int_equal(jf_queue_create(0, &q), JF_EINVAL);
    assert_int_equal(jf_queue_create(1, &q), JF_EINVAL);
    assert_int_equal(jf_queue_create(12, &q), JF_EINVAL);
    assert_null(q);
    jf_queue_destroy(NULL);
}

static void test_queue_fifo_and_full(void **state)
{
    jf_queue_t *q;
    jf_item_t in[8], out[8];
    (void)state;

    assert_int_equal(jf_queue_create(8, &q), 0);
    assert_int_equal(jf_queue_capacity(q), 8);
    assert_int_equal(jf_queue_pop_batch(q, out, 8), 0);
    for (int i = 0; i < 8; i++)
        in[i] = item((uint64_t)i);
    assert_int_equal(jf_queue_push_batch(q, in, 5), 5);
    assert_int_equal(jf_queue_size(q), 5);
    /* Only 3 free cells: a full queue takes what fits and says so. */
    assert_int_equal(jf_queue_push_batch(q, in + 5, 8 - 5 + 2), 3);
    assert_int_equal(jf_queue_push_batch(q, in, 1), 0);
    assert_int_equal(jf_queue_size(q), 8);
    assert_int_equal(jf_queue_pop_batch(q, out, 3), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(out[i].seq, i);
    assert_int_equal(jf_queue_pop_batch(q, out, 8), 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(out[i].seq, i + 3);
    assert_int_equal(jf_queue_size(q), 0);
    jf_queue_destroy(q);
}

/* Many laps around a small ring: the cell sequence numbers wrap right. */
static void test_queue_wraps_many_laps(void **state)
{
    jf_queue_t *q;
    jf_item_t in[3], out[3];
    uint64_t next_in = 0, next_out = 0;
    (void)state;

    assert_int_equal(jf_queue_create(4, &q), 0);
    for (int round = 0; round < 10000; round++) {
        size_t n = (size_t)(round % 3) + 1;
        for (size_t i = 0; i < n; i++)
            in[i] = item(next_in + i);
        assert_int_equal(jf_queue_push_batch(q, in, n), n);
        next_in += n;
        size_t got = jf_queue_pop_batch(q, out, 3);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(out[i].seq, next_out++);
    }
    while (next_out < next_in) {
        size_t got = jf_queue_pop_batch(q, out, 3);
        assert_true(got > 0);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(out[i].seq, next_out++);
    }
    jf_queue_destroy(q);
}

static void test_queue_create_fails_cleanly_without_memory(void **state)
{
    jf_queue_t *q = NULL;
    (void)state;

    for (unsigned long n = 1; n <= 2; n++) {
        jf_alloc_fail_after(n);
        assert_int_equal(jf_queue_create(64, &q), JF_ENOMEM);
        assert_null(q);
    }
    jf_alloc_fail_after(0);
}

/* Concurrent test: P producers push tagged items in batches of varying
 * size; C consumers pop. Each item is seen exactly once, and items of one
 * producer arrive at any one consumer in the order they were pushed. */
#define PER_PRODUCER 200000u

typedef struct shared {
    jf_queue_t *q;
    unsigned producers;
    atomic_uint producers_left;
    atomic_uchar *seen;     /* producers * PER_PRODUCER flags */
    atomic_uint violations;
} shared_t;

typedef struct role {
    shared_t *s;
    unsigned id;
} role_t;

static void *producer(void *arg)
{
    role_t *r = arg;
    jf_item_t batch[13];
    uint64_t next = 0;

    while (next < PER_PRODUCER) {
        size_t n = (size_t)(next % 13) + 1;
        if (n > PER_PRODUCER - next)
            n = PER_PRODUCER - next;
        for (size_t i = 0; i < n; i++)
            batch[i] = item(((uint64_t)r->id << 32) | (next + i));
        size_t done = 0;
        while (done < n) {
            size_t pushed = jf_queue_push_batch(r->s->q, batch + done, n - done);
            if (pushed == 0)
                sched_yield(); /* full: let a consumer run on a busy machine */
            done += pushed;
        }
        next += n;
    }
    atomic_fetch_sub(&r->s->producers_left, 1);
    return NULL;
}

static void *consumer(void *arg)
{
    role_t *r = arg;
    shared_t *s = r->s;
    jf_item_t batch[16];
    uint64_t *last = calloc(s->producers, sizeof(uint64_t));

    for (;;) {
        size_t n = jf_queue_pop_batch(s->q, batch, 1 + (r->id % 16));
        if (n == 0) {
            if (atomic_load(&s->producers_left) == 0 && jf_queue_size(s->q) == 0)
                break;
            sched_yield(); /* empty: let a producer run on a busy machine */
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned p = (unsigned)(batch[i].seq >> 32);
            uint64_t k = batch[i].seq & 0xffffffffu;
            if (atomic_fetch_add(&s->seen[(uint64_t)p * PER_PRODUCER + k], 1) != 0)
                atomic_fetch_add(&s->violations, 1); /* duplicate */
            if (k + 1 <= last[p])
                atomic_fetch_add(&s->violations, 1); /* out of order */
            last[p] = k + 1;
        }
    }
    free(last);
    return NULL;
}

static void run_mpmc(unsigned producers, unsigned consumers, size_t capacity)
{
    shared_t s = {.producers = producers};
    pthread_t th[64];
    role_t roles[64];
    unsigned n = 0;

    assert_int_equal(jf_queue_create(capacity, &s.q), 0);
    atomic_init(&s.producers_left, producers);
    atomic_init(&s.violations, 0);
    s.seen = calloc((size_t)producers * PER_PRODUCER, 1);
    assert_non_null(s.seen);
    for (unsigned i = 0; i < producers + consumers; i++, n++) {
        roles[i].s = &s;
        roles[i].id = i < producers ? i : i - producers;
        assert_int_equal(pthread_create(&th[i], NULL, i < producers ? producer : consumer,
                                        &roles[i]), 0);
    }
    for (unsigned i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&s.violations), 0);
    for (uint64_t i = 0; i < (uint64_t)producers * PER_PRODUCER; i++)
        if (atomic_load(&s.seen[i]) != 1)
            fail_msg("item %llu seen %u times", (unsigned long long)i,
                     (unsigned)atomic_load(&s.seen[i]));
    free(s.seen);
    jf_queue_destroy(s.q);
}

static void test_queue_mpmc_nothing_lost_or_duplicated(void **state)
{
    unsigned t = test_threads();
    unsigned half = t / 2 > 1 ? t / 2 : 2;
    (void)state;

    run_mpmc(1, 1, 64);
    run_mpmc(2, 2, 64);
    run_mpmc(half, half, 16); /* small ring: constant contention at full */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_rejects_bad_capacity),
        cmocka_unit_test(test_queue_fifo_and_full),
        cmocka_unit_test(test_queue_wraps_many_laps),
        cmocka_unit_test(test_queue_create_fails_cleanly_without_memory),
        cmocka_unit_test(test_queue_mpmc_nothing_lost_or_duplicated),
    };

    alarm(300); /* a hang is a failure, never a stuck CI job */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
