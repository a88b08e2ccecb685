/* sim_heap.h - binary min-heap of timed events for the simulator (internal). */
#ifndef JF_SIM_HEAP_H
#define JF_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One entry: ordered by t, then by `order`. Callers give every live entry a
 * distinct `order`, so the order of pops never depends on how the heap
 * happened to be built: ties are broken by a fixed rule, and the simulation
 * is deterministic. `ver` is the caller's, for lazy deletion (an entry
 * whose ver no longer matches its owner's is skipped when popped). */
typedef struct jf__sim_event {
    double t;
    uint64_t order;
    uint64_t ver;
} jf__sim_event_t;

/* Caller-owned; zero-initialise before use, release with jf__sim_heap_fini. */
typedef struct jf__sim_heap {
    jf__sim_event_t *v;
    size_t n;
    size_t cap;
} jf__sim_heap_t;

/* Adds e, growing the heap as needed. Returns 0 or JF_ENOMEM (the heap is
 * then unchanged). O(log n). */
int jf__sim_heap_push(jf__sim_heap_t *h, jf__sim_event_t e);

/* Removes the least entry into *out. Returns false when the heap is empty. */
bool jf__sim_heap_pop(jf__sim_heap_t *h, jf__sim_event_t *out);

/* The least entry, or NULL when empty. Valid until the next push or pop. */
const jf__sim_event_t *jf__sim_heap_top(const jf__sim_heap_t *h);

/* Frees the entries and zeroes the heap. */
void jf__sim_heap_fini(jf__sim_heap_t *h);

#endif /* JF_SIM_HEAP_H */
