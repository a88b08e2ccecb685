/* jefferson/item.h - the record that flows from source to sink, and stage kernels. */
#ifndef JF_ITEM_H
#define JF_ITEM_H

#include <stdint.h>

/* One item in flight. The source assigns seq (0, 1, 2, ... in source order)
 * and points payload at a buffer of `bytes` bytes that the pipeline owns
 * until the sink has emitted the item. Kernels may rewrite the payload in
 * place; `used` is free for kernels to record how many payload bytes hold
 * data. 24 bytes, so a queue slot stays small. */
typedef struct jf_item {
    uint64_t seq;
    void *payload;
    uint32_t bytes;
    uint32_t used;
} jf_item_t;

/* A stage kernel: transforms *in into *out (which starts as a copy of *in
 * with the same payload buffer). Returns 0 on success, non-zero to fail the
 * run; the code is reported with the stage and the item's seq. Called from
 * several worker threads at once with the same ctx: ctx must be read-only
 * or internally synchronised. */
typedef int (*jf_kernel_fn)(void *ctx, const jf_item_t *in, jf_item_t *out);

/* Fills the payload of a new item at the source (seq and buffer are set).
 * Returns 0, or non-zero to fail the run. Called concurrently. */
typedef int (*jf_source_fn)(void *ctx, jf_item_t *item);

/* Checks an item at the sink, in source order, one call at a time.
 * Returns 0, or non-zero to fail the run (reported as the sink's failure). */
typedef int (*jf_sink_fn)(void *ctx, const jf_item_t *item);

/* Checks an item that has passed the last stage, before the sink: called
 * by the worker that ran that stage, concurrently and in no particular
 * order. Work that needs no order (verifying a payload, say) belongs here
 * rather than in the sink, whose calls follow one another: with many
 * workers the sink's time per item bounds the whole run. Returns 0, or
 * non-zero to fail the run (reported as the sink's failure). */
typedef int (*jf_check_fn)(void *ctx, const jf_item_t *item);

#endif /* JF_ITEM_H */
