/* jf_alloc.h - the one allocation pair of core/, with failure injection. */
#ifndef JF_ALLOC_H
#define JF_ALLOC_H

#include <stddef.h>

/* Allocates size bytes, zeroed (calloc semantics: n * size checked for
 * overflow). Returns NULL when out of memory or when failure injection
 * says so. Thread-safe. */
void *jf_calloc(size_t n, size_t size);

/* Allocates size bytes aligned to align (a power of two, >= sizeof(void *)),
 * zeroed. Returns NULL on failure. Free with jf_free. Thread-safe. */
void *jf_aligned_calloc(size_t align, size_t size);

/* Frees memory from jf_calloc or jf_aligned_calloc; NULL does nothing. */
void jf_free(void *p);

/* Failure injection for tests: the n-th allocation from now on (1 = the
 * next one) fails; 0 disables. Returns how many allocations have been made
 * since the last call. Not meant for concurrent use with allocations. */
unsigned long jf_alloc_fail_after(unsigned long n);

/* Allocations made through jf_calloc/jf_aligned_calloc and not yet freed.
 * A run that returns to the same figure leaked nothing. Thread-safe. */
long jf_alloc_live(void);

#endif /* JF_ALLOC_H */
