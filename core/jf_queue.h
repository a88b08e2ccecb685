/* jf_queue.h - bounded multi-producer multi-consumer queue of items. */
#ifndef JF_QUEUE_H
#define JF_QUEUE_H

#include <stddef.h>

#include "jefferson/item.h"

/* A Vyukov-style bounded MPMC ring: every cell carries a sequence number
 * that says whether it is free for the producer of this lap or full for the
 * consumer of this lap, so a push or pop costs one CAS on a shared index
 * per batch, never a lock. */
typedef struct jf_queue jf_queue_t;

/* Creates a queue holding up to `capacity` items (a power of two, >= 2).
 * Returns 0 and *out, JF_EINVAL for a bad capacity, JF_ENOMEM. */
int jf_queue_create(size_t capacity, jf_queue_t **out);

/* Frees the queue and whatever items it still holds (items own no memory).
 * NULL does nothing. No thread may be using it. */
void jf_queue_destroy(jf_queue_t *q);

/* Pushes up to n items, in order, as one contiguous run of the queue.
 * Returns how many were pushed: fewer than n (possibly 0) when the queue is
 * full, which is the back-pressure signal. Lock-free, MPMC-safe. Items of
 * one producer are popped in the order that producer pushed them. */
size_t jf_queue_push_batch(jf_queue_t *q, const jf_item_t *items, size_t n);

/* Pops up to n items into items[]. Returns how many (0 when empty).
 * Lock-free, MPMC-safe. */
size_t jf_queue_pop_batch(jf_queue_t *q, jf_item_t *items, size_t n);

/* Items in the queue: exact when no push or pop is in progress, otherwise
 * a snapshot within the number of concurrent operations. Thread-safe. */
size_t jf_queue_size(const jf_queue_t *q);

/* Capacity given at creation. */
size_t jf_queue_capacity(const jf_queue_t *q);

#endif /* JF_QUEUE_H */
