/* kernel_memory.c - a memory-bound kernel: dependent read-modify-writes over a working set. */
#include <stdatomic.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "hash.h"
#include "kernels.h"

#define LINE_BYTES 64
#define WORDS_PER_LINE (LINE_BYTES / sizeof(uint64_t))

/* The item's ns buys one touch per NS_PER_TOUCH ns, a nominal figure (an L2
 * hit plus the hashing). What a touch really costs depends on the working
 * set against the caches, which is the point of the kernel: the same ns with
 * "bytes" of 16 KiB or 256 MiB shows compute-bound vs memory-bound stages. */
#define NS_PER_TOUCH 10.0

/* For each item: touches = round(ns / 10); each touch reads the first word
 * of a pseudo-random 64-byte line of the stage's working set and writes it
 * back plus one. The next line is a hash of the value just read, so touches
 * form a dependent chain (latency-bound, like pointer chasing) that the CPU
 * cannot overlap. Workers share the working set: relaxed atomic load and
 * store (not an atomic increment) keep it free of data races without a
 * locked instruction; a lost update between two workers is harmless. */
int jf__kernel_memory(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;
    double ns = workload_item_ns(k->w, k->stage, in->seq);
    double nt = ns / NS_PER_TOUCH + 0.5;
    uint64_t touches = nt >= 1.8e19 ? UINT64_MAX : (uint64_t)nt;
    uint64_t x = jf__hash3(k->w->seed, k->stage, in->seq);

    for (uint64_t t = 0; t < touches; t++) {
        /* Multiply-high maps 32 random bits onto [0, lines) without a division. */
        size_t line = (size_t)(((x >> 32) * (uint64_t)k->ws_lines) >> 32);
        _Atomic uint64_t *p = &k->ws[line * WORDS_PER_LINE];
        uint64_t v = atomic_load_explicit(p, memory_order_relaxed);

        atomic_store_explicit(p, v + 1, memory_order_relaxed);
        x = jf__mix64(x ^ v);
    }
    return 0;
}

/* Allocates the working set ("bytes" rounded up to whole lines). The
 * allocator zeroes it, which also faults every page in now rather than
 * during the run. All-zero bytes are a valid value of a lock-free atomic. */
int jf__kernel_memory_init(jf__kctx_t *k)
{
    uint64_t bytes = k->w->stages[k->stage].bytes;

    if (bytes == 0)
        bytes = WORKLOAD__MEMORY_DEFAULT_BYTES;
    if (bytes > WORKLOAD__MEMORY_MAX_BYTES)
        return JF_ERANGE;
    k->ws_lines = (size_t)((bytes + LINE_BYTES - 1) / LINE_BYTES);
    k->ws = jf_aligned_calloc(LINE_BYTES, k->ws_lines * LINE_BYTES);
    return k->ws != NULL ? 0 : JF_ENOMEM;
}

void jf__kernel_memory_fini(jf__kctx_t *k)
{
    jf_free(k->ws);
    k->ws = NULL;
}
