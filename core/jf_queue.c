/* jf_queue.c - bounded MPMC ring with per-cell sequence numbers (Vyukov). */
#include "jf_queue.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#include "jf_alloc.h"
#include "jf_arch.h"
#include "jefferson/error.h"

/* Cell i of lap k is free for a producer when seq == i + k * capacity and
 * full for a consumer when seq == i + k * capacity + 1. */
typedef struct cell {
    atomic_size_t seq;
    jf_item_t item;
} cell_t;

struct jf_queue {
    /* Producers and consumers each hammer their own index: a cache line
     * apiece so a push never invalidates the consumers' line. */
    alignas(JF_CACHE_LINE) atomic_size_t tail; /* next position to push */
    alignas(JF_CACHE_LINE) atomic_size_t head; /* next position to pop */
    alignas(JF_CACHE_LINE) size_t mask;
    cell_t *cells;
};

int jf_queue_create(size_t capacity, jf_queue_t **out)
{
    jf_queue_t *q;

    if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        return JF_EINVAL;
    q = jf_aligned_calloc(JF_CACHE_LINE, sizeof(*q));
    if (q == NULL)
        return JF_ENOMEM;
    q->cells = jf_aligned_calloc(JF_CACHE_LINE, capacity * sizeof(cell_t));
    if (q->cells == NULL)
        goto err;
    q->mask = capacity - 1;
    for (size_t i = 0; i < capacity; i++)
        atomic_init(&q->cells[i].seq, i);
    atomic_init(&q->head, 0);
    atomic_init(&q->tail, 0);
    *out = q;
    return 0;

err:
    jf_free(q);
    return JF_ENOMEM;
}

void jf_queue_destroy(jf_queue_t *q)
{
    if (q == NULL)
        return;
    jf_free(q->cells);
    jf_free(q);
}

/* Counts how many cells from pos on are in state pos + i + ready_offset
 * (0: free for a producer, 1: full for a consumer), up to n. The acquire
 * loads pair with the release stores that put each cell in that state, so
 * the caller may then use the cell's item. */
static size_t ready_run(const jf_queue_t *q, size_t pos, size_t n, size_t ready_offset)
{
    size_t i = 0;

    while (i < n) {
        size_t seq = atomic_load_explicit(&q->cells[(pos + i) & q->mask].seq,
                                          memory_order_acquire);
        if (seq != pos + i + ready_offset)
            break;
        i++;
    }
    return i;
}

/* Claims a run of up to n cells at *index that are in the wanted state.
 * Returns the run's length (0 if none) and its first position in *start. */
static size_t claim(jf_queue_t *q, atomic_size_t *index, size_t n, size_t ready_offset,
                    size_t *start)
{
    /* Relaxed: the index only hands out positions; what a cell holds is
     * published by the cell's own seq (acquire in ready_run). */
    size_t pos = atomic_load_explicit(index, memory_order_relaxed);

    for (;;) {
        size_t run = ready_run(q, pos, n, ready_offset);
        if (run == 0) {
            /* Relaxed, as the first load: only tells a full (or empty)
             * queue from a race lost to another claimer. */
            size_t now = atomic_load_explicit(index, memory_order_relaxed);
            if (now == pos)
                return 0; /* really full (push) or empty (pop) */
            pos = now;    /* lost a race: look again from the new index */
            continue;
        }
        /* Relaxed CAS: winning it only reserves [pos, pos + run). On
         * failure pos is reloaded and we retry. */
        if (atomic_compare_exchange_weak_explicit(index, &pos, pos + run, memory_order_relaxed,
                                                  memory_order_relaxed)) {
            *start = pos;
            return run;
        }
        jf_cpu_relax();
    }
}

size_t jf_queue_push_batch(jf_queue_t *q, const jf_item_t *items, size_t n)
{
    size_t pos;
    size_t run = claim(q, &q->tail, n, 0, &pos);

    for (size_t i = 0; i < run; i++) {
        cell_t *c = &q->cells[(pos + i) & q->mask];
        c->item = items[i];
        /* Release: publishes the item to the consumer that acquires seq. */
        atomic_store_explicit(&c->seq, pos + i + 1, memory_order_release);
    }
    return run;
}

size_t jf_queue_pop_batch(jf_queue_t *q, jf_item_t *items, size_t n)
{
    size_t pos;
    size_t run = claim(q, &q->head, n, 1, &pos);

    for (size_t i = 0; i < run; i++) {
        cell_t *c = &q->cells[(pos + i) & q->mask];
        items[i] = c->item;
        /* Release: our read of the item happens before the producer of the
         * next lap, which acquires this seq, overwrites the cell. */
        atomic_store_explicit(&c->seq, pos + i + q->mask + 1, memory_order_release);
    }
    return run;
}

size_t jf_queue_size(const jf_queue_t *q)
{
    /* Head first: it never passes tail, so reading it first can only make
     * the difference too large by concurrent pops, never negative.
     * seq_cst: the done check (flow.c) reads this size and then the
     * workers' `holding`, in the one order of the workers' seq_cst
     * stores of it around their takes and pushes. */
    size_t head = atomic_load_explicit(&q->head, memory_order_seq_cst);
    size_t tail = atomic_load_explicit(&q->tail, memory_order_seq_cst);

    return tail > head ? tail - head : 0;
}

size_t jf_queue_capacity(const jf_queue_t *q)
{
    return q->mask + 1;
}
