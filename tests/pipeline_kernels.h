/* pipeline_kernels.h - small kernels the engine tests run through pipelines. */
#ifndef JF_TEST_PIPELINE_KERNELS_H
#define JF_TEST_PIPELINE_KERNELS_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "jefferson/pipeline.h"

/* Payload layout: bytes 0-7 the seq the source stamped, byte 8 + s the
 * number of times stage s saw the item. */
typedef struct visit_ctx {
    unsigned stage;
    unsigned spin;       /* dependent iterations of busy work per item */
    uint64_t fail_seq;   /* fail on this seq... */
    int fail_code;       /* ...with this code, if non-zero */
    int ordered;         /* also check that every earlier stage saw the item
                          * once and no later one did (needs bytes >= 8 + stages) */
} visit_ctx_t;

/* Stage c->stage sees the item after stages 0..stage-1, once each, and
 * before every later stage. */
static inline int visit_in_order(const visit_ctx_t *c, const unsigned char *b, size_t bytes)
{
    for (unsigned t = 0; 8 + t < bytes; t++)
        if (b[8 + t] != (t < c->stage ? 1 : 0))
            return 97;
    return 0;
}

static inline int visit_kernel(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    visit_ctx_t *c = ctx;
    unsigned char *b = out->payload;
    uint64_t stamped;
    volatile uint64_t x = in->seq;

    memcpy(&stamped, b, sizeof(stamped));
    if (stamped != in->seq)
        return 99; /* payload belongs to another item */
    for (unsigned i = 0; i < c->spin; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    if (c->fail_code != 0 && in->seq == c->fail_seq)
        return c->fail_code;
    if (c->ordered && visit_in_order(c, b, out->bytes) != 0)
        return 97; /* a stage ran out of turn, twice, or not at all */
    b[8 + c->stage]++;
    return 0;
}

/* Sink check: every stage saw the item exactly once. */
/* The sink's (or, concurrently, the check hook's) count of the items it
 * found visited by every stage once, and of the others. */
typedef struct visit_sink {
    unsigned nstages;
    atomic_uint_least64_t checked;
    atomic_uint_least64_t bad;
} visit_sink_t;

static inline int visit_sink(void *ctx, const jf_item_t *item)
{
    visit_sink_t *v = ctx;
    const unsigned char *b = item->payload;

    for (unsigned s = 0; s < v->nstages; s++) {
        if (b[8 + s] != 1) {
            v->bad++;
            return 98;
        }
    }
    v->checked++;
    return 0;
}

/* Source: stamp the seq and clear the visit counters. */
static inline int visit_source(void *ctx, jf_item_t *item)
{
    (void)ctx;
    memset(item->payload, 0, item->bytes);
    memcpy(item->payload, &item->seq, sizeof(item->seq));
    return 0;
}

#endif /* JF_TEST_PIPELINE_KERNELS_H */
