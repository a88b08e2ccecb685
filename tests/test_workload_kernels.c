/* test_workload_kernels.c - cost model, kernels, the payload protocol and bindings. */
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
#include "jefferson/error.h"
#include "test_env.h"
#include "workload_docs.h"
#include "workloads/workload.h"
#include "workloads/hash.h"
#include "workloads/kernels.h"
#include "workloads/payload.h"


static const char *workloads_dir(void)
{
    const char *d = getenv("JF_WORKLOADS");

    return d != NULL && d[0] != '\0' ? d : "workloads";
}

static double sample_mean(const workload_t *w, uint64_t n)
{
    double sum = 0;

    for (uint64_t s = 0; s < n; s++)
        sum += workload_item_ns(w, 0, s);
    return sum / (double)n;
}

static void test_workload_dist_means(void **state)
{
    static const char *const dists[] = {"fixed", "uniform", "exponential", "bimodal"};
    char doc[256];

    for (size_t i = 0; i < 4; i++) {
        workload_t *w;
        double mean;

        snprintf(doc, sizeof doc,
                 "{'name':'d','items':1,'stages':[{'name':'a','kernel':'spin','ns':1000,"
                 "'dist':'%s'}]}",
                 dists[i]);
        w = parse_ok(doc);
        mean = sample_mean(w, 200000);
        print_message("%-12s mean %.2f ns over 200000 samples (ns = 1000)\n", dists[i], mean);
        assert_true(fabs(mean - 1000.0) < 20.0);
        assert_string_equal(workload_dist_name(w->stages[0].dist), dists[i]);
        assert_int_equal(workload_dist_parse(dists[i]), (int)i);
        workload_destroy(w);
    }
    assert_int_equal(workload_dist_parse("normal"), -1);
    assert_string_equal(workload_dist_name((workload_dist_t)99), "?");
}

static void test_workload_dist_shapes(void **state)
{
    workload_t *w = parse_ok("{'name':'d','items':1,'stages':["
                                "{'name':'u','kernel':'spin','ns':100,'dist':'uniform'},"
                                "{'name':'e','kernel':'spin','ns':100,'dist':'exponential'},"
                                "{'name':'b','kernel':'spin','ns':100,'dist':'bimodal'}]}");
    uint64_t slow = 0, n = 100000;

    for (uint64_t s = 0; s < n; s++) {
        double u = workload_item_ns(w, 0, s), e = workload_item_ns(w, 1, s);
        double b = workload_item_ns(w, 2, s);

        assert_true(u >= 0.0 && u <= 200.0);
        assert_true(e >= 0.0 && e <= 5000.0);
        assert_true(b == 50.0 || b == 550.0);
        slow += b == 550.0;
    }
    assert_true(slow > n / 10 - n / 100 && slow < n / 10 + n / 100);
    assert_true(workload_item_ns(w, 3, 0) == 0.0); /* no such stage */
    assert_true(workload_item_ns(NULL, 0, 0) == 0.0);
    workload_destroy(w);
}

static void test_workload_dist_deterministic(void **state)
{
    const char *fmt = "{'name':'d','items':1,'seed':%d,'stages':["
                      "{'name':'a','kernel':'spin','dist':'exponential'},"
                      "{'name':'b','kernel':'spin','dist':'exponential'}]}";
    char doc[256];
    workload_t *w1, *w2, *w3;
    int same_seed_diff = 0, other_seed_diff = 0, other_stage_diff = 0;

    snprintf(doc, sizeof doc, fmt, 1);
    w1 = parse_ok(doc);
    w2 = parse_ok(doc);
    snprintf(doc, sizeof doc, fmt, 2);
    w3 = parse_ok(doc);
    /* Backwards on purpose: a value must not depend on the order of calls. */
    for (uint64_t s = 1000; s-- > 0;) {
        double a = workload_item_ns(w1, 0, s);

        same_seed_diff += a != workload_item_ns(w2, 0, 999 - (999 - s));
        other_seed_diff += a != workload_item_ns(w3, 0, s);
        other_stage_diff += a != workload_item_ns(w1, 1, s);
        assert_true(a == workload_item_ns(w1, 0, s));
    }
    assert_int_equal(same_seed_diff, 0);
    assert_true(other_seed_diff > 990);
    assert_true(other_stage_diff > 990);
    workload_destroy(w1);
    workload_destroy(w2);
    workload_destroy(w3);
}

static void test_workload_phases_switch_cost(void **state)
{
    /* Phases out of order on purpose: the latest after_items <= seq wins,
     * and on a tie the later one in the file. */
    workload_t *w = parse_ok("{'name':'p','items':100,'stages':["
                                "{'name':'a','kernel':'spin','ns':1000},"
                                "{'name':'b','kernel':'spin','ns':10}],"
                                "'phases':[{'after_items':50,'set':{'a':{'ns':3000}}},"
                                "{'after_items':20,'set':{'a':{'ns':2000},'b':{'ns':20}}},"
                                "{'after_items':50,'set':{'b':{'ns':30}}},"
                                "{'after_items':50,'set':{'b':{'ns':40}}}]}");

    assert_true(workload_item_ns(w, 0, 0) == 1000.0);
    assert_true(workload_item_ns(w, 0, 19) == 1000.0);
    assert_true(workload_item_ns(w, 0, 20) == 2000.0);
    assert_true(workload_item_ns(w, 0, 49) == 2000.0);
    assert_true(workload_item_ns(w, 0, 50) == 3000.0);
    assert_true(workload_item_ns(w, 0, 99) == 3000.0);
    assert_true(workload_item_ns(w, 1, 19) == 10.0);
    assert_true(workload_item_ns(w, 1, 20) == 20.0);
    assert_true(workload_item_ns(w, 1, 50) == 40.0);
    workload_destroy(w);
}

static void test_workload_spin_calibration(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    double ipn = workload_spin_calibrate();
    workload_t *w = parse_ok("{'name':'s','items':1,'stages':[{'name':'a','kernel':'spin',"
                                "'ns':1000}]}");
    workload_binding_t b;
    unsigned char payload[64];
    jf_item_t in = {0, payload, sizeof payload, 0}, out;
    uint64_t t0, n = 20000, failed = 0;

    assert_true(ipn > 0.0 && isfinite(ipn));
    assert_true(workload_spin_calibrate() == ipn); /* once per process */
    assert_int_equal(workload_bind(w, &b, err), 0);
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
    workload_unbind(&b);
    workload_destroy(w);
}

/* Runs item seq through the source, then stage order[0], order[1], ...
 * (n of them), then the check. Returns the first non-zero code: a kernel's
 * or the check's (the check's plus 100, to tell them apart). The check is
 * reentrant, as the engine calls it from every worker at once: tests that
 * run items from several threads call it without a lock. */
static int run_order(const workload_binding_t *b, uint64_t seq, unsigned char *buf,
                     uint32_t bytes, const size_t *order, size_t n)
{
    jf_item_t it = {seq, buf, bytes, 0}, out;
    int rc = b->source(b->source_ctx, &it);

    for (size_t i = 0; rc == 0 && i < n; i++) {
        out = it;
        rc = b->specs[order[i]].fn(b->specs[order[i]].ctx, &it, &out);
        it = out;
    }
    if (rc != 0)
        return rc;
    rc = b->check(b->check_ctx, &it);
    return rc != 0 ? 100 + rc : 0;
}

/* Runs one item through source, every stage in order and sink. */
static int run_item(const workload_binding_t *b, uint64_t seq, unsigned char *buf,
                    uint32_t bytes)
{
    size_t order[64];

    for (size_t i = 0; i < b->nstages; i++)
        order[i] = i;
    return run_order(b, seq, buf, bytes, order, b->nstages);
}

static void test_workload_source_sink_round_trip(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = parse_ok("{'name':'r','items':100,'item_bytes':100,'stages':["
                                "{'name':'a','kernel':'spin','ns':50,'dist':'uniform'},"
                                "{'name':'m','kernel':'memory','ns':100,'bytes':1000},"
                                "{'name':'s','kernel':'sleep','ns':10},"
                                "{'name':'c','kernel':'checksum'}]}");
    unsigned char a[100], b2[100];
    workload_binding_t b;
    jf_item_t it = {7, a, sizeof a, 0};

    assert_int_equal(workload_bind(w, &b, err), 0);
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
    /* The source's bytes are the protocol's (payload.h): body word k is
     * mix64(hash3(seed, payload stream, seq) + k), whichever way the fill
     * mixes the seed's part. */
    jf__payload_fill(w->seed, 8, b2, sizeof b2);
    assert_memory_equal(a, b2, sizeof a);
    for (unsigned k = 0; k < 3; k++) {
        uint64_t word, want = jf__mix64(jf__hash3(w->seed, WORKLOAD__STREAM_PAYLOAD, 8) + k);

        memcpy(&word, a + WORKLOAD__PAYLOAD_HEAD + 8 * k, sizeof word);
        assert_true(word == want);
    }

    /* After the stages, the sink accepts it; a clobbered seq, one paired
     * with the wrong item, a damaged byte or a wrong size fail it. */
    for (size_t i = 0; i < b.nstages; i++) {
        jf_item_t out = it;

        assert_int_equal(b.specs[i].fn(b.specs[i].ctx, &it, &out), 0);
    }
    assert_int_equal(b.check(b.check_ctx, &it), 0);
    a[0] ^= 1;
    assert_int_equal(b.check(b.check_ctx, &it), 2);
    a[0] ^= 1;
    assert_int_equal(b.check(b.check_ctx, &it), 0);
    a[50] ^= 0x80;
    assert_int_equal(b.check(b.check_ctx, &it), 3);
    a[50] ^= 0x80;
    it.bytes = 99;
    assert_int_equal(b.check(b.check_ctx, &it), 1);
    it.bytes = 100;
    it.seq = 9;
    assert_int_equal(b.check(b.check_ctx, &it), 2);
    workload_unbind(&b);
    workload_unbind(&b); /* zeroed: harmless */
    workload_destroy(w);
}

typedef struct worker_arg {
    const workload_binding_t *b;
    uint64_t first, step, items;
    uint32_t bytes; /* at most WORKER_BYTES */
    int failures;
} worker_arg_t;

#define WORKER_BYTES 6000u

static void *worker(void *p)
{
    worker_arg_t *a = p;
    unsigned char buf[WORKER_BYTES];

    for (uint64_t seq = a->first; seq < a->items; seq += a->step)
        a->failures += run_item(a->b, seq, buf, a->bytes) != 0;
    return NULL;
}

/* Kernels share one read-only context across workers (and the json and
 * xml kernels share their libraries), and the check runs on every worker
 * at once; run them from JF_TEST_THREADS threads (default: the CPU count)
 * under TSan to check it: with payloads the check rebuilds on its stack,
 * and with payloads over 4 KiB, which it rebuilds in a buffer of its own. */
static void test_workload_kernels_concurrent(void **state)
{
    static const char *const docs[] = {
        "{'name':'c','items':2000,'item_bytes':256,'stages':["
        "{'name':'a','kernel':'spin','ns':200,'dist':'exponential'},"
        "{'name':'j','kernel':'json','records':2,'dist':'uniform'},"
        "{'name':'m','kernel':'memory','ns':200,'bytes':4096},"
        "{'name':'x','kernel':'xml','records':2,'dist':'bimodal'},"
        "{'name':'c','kernel':'checksum'},"
        "{'name':'f','kernel':'fail','ns':10,'fail_at':4001}]}",
        "{'name':'big','items':300,'item_bytes':6000,'stages':["
        "{'name':'j','kernel':'json','records':2},"
        "{'name':'c','kernel':'checksum'},"
        "{'name':'x','kernel':'xml','records':2}]}",
    };
    char err[WORKLOAD_ERR_MAX];
    unsigned n = test_threads() > 64 ? 64 : test_threads();
    pthread_t tid[64];
    worker_arg_t args[64];

    for (size_t d = 0; d < sizeof docs / sizeof *docs; d++) {
        workload_t *w = parse_ok(docs[d]);
        workload_binding_t b;

        assert_true(w->item_bytes <= WORKER_BYTES);
        assert_int_equal(workload_bind(w, &b, err), 0);
        for (unsigned t = 0; t < n; t++) {
            args[t] = (worker_arg_t){&b, t, n, w->items, w->item_bytes, 0};
            assert_int_equal(pthread_create(&tid[t], NULL, worker, &args[t]), 0);
        }
        for (unsigned t = 0; t < n; t++) {
            assert_int_equal(pthread_join(tid[t], NULL), 0);
            assert_int_equal(args[t].failures, 0);
        }
        workload_unbind(&b);
        workload_destroy(w);
    }
}

static void test_workload_checksum_kernel(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = parse_ok("{'name':'c','items':1,'item_bytes':13,'stages':["
                                "{'name':'c','kernel':'checksum'}]}");
    unsigned char p[13] = "123456789";
    jf_item_t in = {0, p, sizeof p, 0}, out = in;
    workload_binding_t b;
    uint32_t crc;

    assert_int_equal(workload_bind(w, &b, err), 0);
    assert_int_equal(b.specs[0].fn(b.specs[0].ctx, &in, &out), 0);
    crc = (uint32_t)p[9] | (uint32_t)p[10] << 8 | (uint32_t)p[11] << 16 | (uint32_t)p[12] << 24;
    assert_int_equal(crc, 0xcbf43926u); /* the standard CRC-32 check value */
    assert_memory_equal(p, "123456789", 9);
    /* The CRC is XORed in, not stored: over the same bytes it cancels, so
     * the step is a bijection and keeps earlier damage visible. */
    assert_int_equal(b.specs[0].fn(b.specs[0].ctx, &in, &out), 0);
    assert_memory_equal(p, "123456789\0\0\0\0", 13);
    in.bytes = out.bytes = 11;
    assert_int_equal(b.specs[0].fn(b.specs[0].ctx, &in, &out), 1); /* too small */
    workload_unbind(&b);
    workload_destroy(w);
}

/* The slice-by-8 CRC agrees with the plain bitwise definition at every
 * length and alignment. */
static void test_workload_crc32_matches_reference(void **state)
{
    unsigned char data[1100];

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 131u + (i >> 3));
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n + off <= sizeof data; n += n < 40 ? 1 : 97) {
            uint32_t c = 0xffffffffu;

            for (size_t i = 0; i < n; i++) {
                c ^= data[off + i];
                for (int b = 0; b < 8; b++)
                    c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            }
            assert_int_equal(jf__crc32(data + off, n), c ^ 0xffffffffu);
        }
    }
    assert_int_equal(jf__crc32("123456789", 9), 0xcbf43926u);
}

static void test_workload_fail_kernel(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = parse_ok("{'name':'f','items':10,'stages':["
                                "{'name':'f','kernel':'fail','ns':10,'fail_at':3}]}");
    unsigned char p[64];
    workload_binding_t b;

    assert_int_equal(workload_bind(w, &b, err), 0);
    for (uint64_t seq = 0; seq < 10; seq++)
        assert_int_equal(run_item(&b, seq, p, sizeof p), seq == 3 ? 1 : 0);
    workload_unbind(&b);
    workload_destroy(w);
}

static void test_workload_bind_rejects_unknown_kernel(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = parse_ok("{'name':'k','items':1,'stages':["
                                "{'name':'a','kernel':'memory','bytes':64},"
                                "{'name':'b','kernel':'spin'}]}");
    workload_binding_t b;

    /* A workload assembled by hand can name anything; bind must say no and
     * release the memory kernel it already prepared. */
    jf_free(w->stages[1].kernel);
    w->stages[1].kernel = strcpy(jf_calloc(5, 1), "warp");
    assert_int_equal(workload_bind(w, &b, err), JF_EINVAL);
    assert_string_equal(err, "w.json: stages[1].kernel: unknown kernel \"warp\"");
    assert_null(b.priv);
    assert_null(workload_to_json(NULL));
    workload_destroy(w);
}

/* A pipeline of every real kernel, odd item size (the fold's tail bytes). */
static const char *real_doc = "{'name':'r','items':200,'item_bytes':61,'seed':9,'stages':["
                              "{'name':'j','kernel':'json','records':3},"
                              "{'name':'s','kernel':'spin','ns':10},"
                              "{'name':'x','kernel':'xml','records':2},"
                              "{'name':'c','kernel':'checksum'},"
                              "{'name':'j0','kernel':'json','records':0},"
                              "{'name':'m','kernel':'memory','ns':20,'bytes':4096}]}";

static void test_workload_real_kernels_round_trip(void **state)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = parse_ok(real_doc);
    unsigned char a[61], src[61], once[61];
    workload_binding_t b;
    jf_item_t it = {5, a, sizeof a, 0}, out;

    assert_int_equal(workload_bind(w, &b, err), 0);
    for (uint64_t seq = 0; seq < w->items; seq++)
        assert_int_equal(run_item(&b, seq, a, sizeof a), 0);

    /* Data flows: a json or xml stage rewrites the body (never the seq),
     * as a function of its input, the same every time. */
    for (size_t st = 0; st < 3; st += 2) {
        assert_int_equal(b.source(b.source_ctx, &it), 0);
        memcpy(src, a, sizeof a);
        out = it;
        assert_int_equal(b.specs[st].fn(b.specs[st].ctx, &it, &out), 0);
        assert_memory_equal(a, src, 8);
        assert_memory_not_equal(a + 8, src + 8, sizeof a - 8);
        memcpy(once, a, sizeof a);
        memcpy(a, src, sizeof a);
        assert_int_equal(b.specs[st].fn(b.specs[st].ctx, &it, &out), 0);
        assert_memory_equal(a, once, sizeof a);
    }
    /* Payload too small for the protocol. */
    it.bytes = out.bytes = 4;
    assert_int_equal(b.specs[0].fn(b.specs[0].ctx, &it, &out), 1);
    assert_int_equal(b.specs[2].fn(b.specs[2].ctx, &it, &out), 1);
    workload_unbind(&b);
    workload_destroy(w);
}

/* Runs item seq through every stage, flipping bit 0 of payload byte `at`
 * after stage `after` (SIZE_MAX: before the sink), then the sink. */
static int run_damaged(const workload_binding_t *b, uint64_t seq, unsigned char *buf,
                       uint32_t bytes, size_t after, size_t at)
{
    jf_item_t it = {seq, buf, bytes, 0}, out;
    int rc = b->source(b->source_ctx, &it);

    for (size_t i = 0; rc == 0 && i < b->nstages; i++) {
        out = it;
        rc = b->specs[i].fn(b->specs[i].ctx, &it, &out);
        it = out;
        if (i == after)
            buf[at] ^= 1;
    }
    if (after == SIZE_MAX)
        buf[at] ^= 1;
    return rc != 0 ? rc : b->check(b->check_ctx, &it);
}

/* The sink's check: every way a payload can go wrong in the engine fails
 * the item (docs/workloads.md, "Payload and checksum"). */
static void test_workload_sink_catches_bad_delivery(void **state)
{
    static const size_t skip[] = {0, 1, 3, 4, 5}, twice[] = {0, 1, 2, 2, 3, 4, 5},
                        swapped[] = {2, 1, 0, 3, 4, 5}, jsons[] = {4, 1, 2, 3, 0, 5};
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = parse_ok(real_doc);
    unsigned char a[61], c[61];
    workload_binding_t b;
    jf_item_t it;

    assert_int_equal(workload_bind(w, &b, err), 0);
    /* A stage skipped, run twice, or real stages in another order. */
    assert_int_equal(run_order(&b, 3, a, sizeof a, skip, 5), 103);
    assert_int_equal(run_order(&b, 3, a, sizeof a, twice, 7), 103);
    assert_int_equal(run_order(&b, 3, a, sizeof a, swapped, 6), 103);
    assert_int_equal(run_order(&b, 3, a, sizeof a, jsons, 6), 103);
    /* One bit flipped anywhere in the body, between any two stages, even
     * right before the checksum stage or in the bytes it writes. */
    for (size_t after = 0; after < b.nstages; after++)
        for (size_t at = 8; at < sizeof a; at += 13)
            assert_int_equal(run_damaged(&b, 3, a, sizeof a, after, at), 3);
    assert_int_equal(run_damaged(&b, 3, a, sizeof a, 2, sizeof a - 1), 3);
    assert_int_equal(run_damaged(&b, 3, a, sizeof a, SIZE_MAX, sizeof a - 1), 3);
    assert_int_equal(run_damaged(&b, 3, a, sizeof a, SIZE_MAX, 0), 2);
    /* A flipped bit in the seq before a json or xml stage: the kernel sees
     * a document for another item... and the sink a wrong seq. */
    assert_int_not_equal(run_damaged(&b, 3, a, sizeof a, 0, 0), 0);

    /* Mis-routed: item 6 delivered with item 5's finished payload, or
     * with its own seq written over item 5's body. */
    assert_int_equal(run_item(&b, 5, c, sizeof c), 0);
    it = (jf_item_t){6, c, sizeof c, sizeof c};
    assert_int_equal(b.check(b.check_ctx, &it), 2);
    memcpy(c, &it.seq, 8);
    assert_int_equal(b.check(b.check_ctx, &it), 3);
    /* A wrong size or no payload at all. */
    it = (jf_item_t){5, c, sizeof c - 1, 0};
    assert_int_equal(b.check(b.check_ctx, &it), 1);
    it = (jf_item_t){5, NULL, sizeof c, 0};
    assert_int_equal(b.check(b.check_ctx, &it), 1);
    workload_unbind(&b);
    workload_destroy(w);
}

/* An item's records follow its drawn cost: distributions and phases shape
 * the real kernels' work. */
static void test_workload_records_scale_with_cost(void **state)
{
    workload_t *w = parse_ok("{'name':'r','items':100,'stages':["
                                "{'name':'f','kernel':'json','records':8,'ns':1000},"
                                "{'name':'b','kernel':'xml','records':8,'ns':1000,"
                                "'dist':'bimodal'},"
                                "{'name':'z','kernel':'json','records':8,'ns':0},"
                                "{'name':'u','kernel':'xml','records':4096,'ns':1}],"
                                "'phases':[{'after_items':50,'set':{'f':{'ns':2500},"
                                "'z':{'ns':100},'u':{'ns':1e10}}}]}");
    jf__kctx_t k[4];
    uint64_t big = 0;

    for (size_t i = 0; i < 4; i++)
        k[i] = (jf__kctx_t){.w = w, .stage = i};
    for (uint64_t seq = 0; seq < 100; seq++) {
        uint32_t r = jf__kernel_records(&k[1], seq);

        assert_int_equal(jf__kernel_records(&k[0], seq), seq < 50 ? 8 : 20);
        assert_true(r == 4 || r == 44); /* 8 x 0.5 or 8 x 5.5 */
        big += r == 44;
        assert_int_equal(jf__kernel_records(&k[2], seq), 8); /* ns 0: as given */
        assert_int_equal(jf__kernel_records(&k[3], seq), seq < 50 ? 4096 : 65536);
    }
    assert_true(big > 0 && big < 30);
    workload_destroy(w);
}

/* Every shipped workload's kernels accept their own payloads: a few items
 * through source, stages and sink, in one thread. */
static void test_workload_shipped_files_verify(void **state)
{
    const char *dir = workloads_dir();
    char err[WORKLOAD_ERR_MAX], path[1024];
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        workload_t *w = NULL;
        workload_binding_t b;
        unsigned char *buf;

        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(workload_load(path, &w, err), 0);
        assert_int_equal(workload_bind(w, &b, err), 0);
        buf = malloc(w->item_bytes);
        assert_non_null(buf);
        for (uint64_t seq = 0; seq < 20; seq++) {
            int rc = run_item(&b, seq * 97, buf, w->item_bytes);

            if (rc != 0)
                print_error("%s: item %llu: code %d\n", e->d_name,
                            (unsigned long long)(seq * 97), rc);
            assert_int_equal(rc, 0);
        }
        free(buf);
        workload_unbind(&b);
        workload_destroy(w);
        found++;
    }
    closedir(d);
    assert_true(found >= 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workload_dist_means),
        cmocka_unit_test(test_workload_dist_shapes),
        cmocka_unit_test(test_workload_dist_deterministic),
        cmocka_unit_test(test_workload_phases_switch_cost),
        cmocka_unit_test(test_workload_spin_calibration),
        cmocka_unit_test(test_workload_source_sink_round_trip),
        cmocka_unit_test(test_workload_kernels_concurrent),
        cmocka_unit_test(test_workload_checksum_kernel),
        cmocka_unit_test(test_workload_crc32_matches_reference),
        cmocka_unit_test(test_workload_fail_kernel),
        cmocka_unit_test(test_workload_bind_rejects_unknown_kernel),
        cmocka_unit_test(test_workload_real_kernels_round_trip),
        cmocka_unit_test(test_workload_sink_catches_bad_delivery),
        cmocka_unit_test(test_workload_records_scale_with_cost),
        cmocka_unit_test(test_workload_shipped_files_verify),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
