/* latency.h - a log-linear histogram of item latencies (internal). */
#ifndef JF_LATENCY_H
#define JF_LATENCY_H

#include <stdint.h>

#include "jefferson/pipeline.h"

/* 32 sub-buckets per power of two: any recorded value is reported within
 * 1/32 (about 3%) of itself, in a fixed 16 KiB, with O(1) recording. */
#define JF_LAT_SUB_BITS 5
#define JF_LAT_SUB (1u << JF_LAT_SUB_BITS)
#define JF_LAT_BUCKETS (64u * JF_LAT_SUB)

typedef struct jf__latency {
    uint64_t count;
    uint64_t max;
    double sum;
    uint64_t buckets[JF_LAT_BUCKETS];
} jf__latency_t;

/* Adds one value. Not thread-safe: the sink records under its lock. */
void jf__latency_record(jf__latency_t *h, uint64_t ns);

/* Adds n equal values at the cost of one: the items of one claim share
 * their arrival time, and the sink emits them together (flow.c). */
void jf__latency_record_n(jf__latency_t *h, uint64_t ns, uint64_t n);

/* Adds every value of src to dst. */
void jf__latency_merge(jf__latency_t *dst, const jf__latency_t *src);

/* Percentiles (upper edge of the bucket holding each), max and mean. */
void jf__latency_summary(const jf__latency_t *h, jf_latency_t *out);

#endif /* JF_LATENCY_H */
