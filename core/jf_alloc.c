/* jf_alloc.c - calloc/free wrappers that tests can make fail on demand. */
#include "jf_alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Relaxed: the counters only serve tests that set them up single-threaded;
 * atomics keep concurrent allocations in workers free of data races. */
static atomic_ulong alloc_count;
static atomic_ulong fail_at;
static atomic_long live; /* allocations not yet freed: leak checks */

static int should_fail(void)
{
    unsigned long n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
    unsigned long at = atomic_load_explicit(&fail_at, memory_order_relaxed);
    return at != 0 && n == at;
}

void *jf_calloc(size_t n, size_t size)
{
    void *p;

    if (should_fail())
        return NULL;
    p = calloc(n ? n : 1, size ? size : 1);
    if (p != NULL)
        atomic_fetch_add_explicit(&live, 1, memory_order_relaxed);
    return p;
}

void *jf_aligned_calloc(size_t align, size_t size)
{
    void *p = NULL;

    if (should_fail())
        return NULL;
    size = (size + align - 1) & ~(align - 1);
    if (posix_memalign(&p, align, size ? size : align) != 0)
        return NULL;
    memset(p, 0, size);
    atomic_fetch_add_explicit(&live, 1, memory_order_relaxed);
    return p;
}

void jf_free(void *p)
{
    if (p == NULL)
        return;
    atomic_fetch_sub_explicit(&live, 1, memory_order_relaxed);
    free(p);
}

long jf_alloc_live(void)
{
    return atomic_load_explicit(&live, memory_order_relaxed);
}

unsigned long jf_alloc_fail_after(unsigned long n)
{
    unsigned long made = atomic_exchange_explicit(&alloc_count, 0, memory_order_relaxed);
    atomic_store_explicit(&fail_at, n, memory_order_relaxed);
    return made;
}
