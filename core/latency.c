/* latency.c - log-linear latency histogram: record in O(1), summarise once. */
#include "latency.h"

static unsigned bucket_of(uint64_t v)
{
    if (v < JF_LAT_SUB)
        return (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll(v); /* e >= JF_LAT_SUB_BITS */
    unsigned sub = (unsigned)(v >> (e - JF_LAT_SUB_BITS)) & (JF_LAT_SUB - 1);
    return (e - JF_LAT_SUB_BITS + 1) * JF_LAT_SUB + sub;
}

/* Largest value that falls into bucket b. */
static uint64_t bucket_top(unsigned b)
{
    if (b < JF_LAT_SUB)
        return b;
    unsigned e = b / JF_LAT_SUB + JF_LAT_SUB_BITS - 1;
    uint64_t sub = b % JF_LAT_SUB;
    uint64_t low = (JF_LAT_SUB + sub) << (e - JF_LAT_SUB_BITS);
    return low + ((uint64_t)1 << (e - JF_LAT_SUB_BITS)) - 1;
}

void jf__latency_record(jf__latency_t *h, uint64_t ns)
{
    jf__latency_record_n(h, ns, 1);
}

void jf__latency_record_n(jf__latency_t *h, uint64_t ns, uint64_t n)
{
    if (n == 0)
        return;
    h->buckets[bucket_of(ns)] += n;
    h->count += n;
    h->sum += (double)ns * (double)n;
    if (ns > h->max)
        h->max = ns;
}

void jf__latency_merge(jf__latency_t *dst, const jf__latency_t *src)
{
    for (unsigned b = 0; b < JF_LAT_BUCKETS; b++)
        dst->buckets[b] += src->buckets[b];
    dst->count += src->count;
    dst->sum += src->sum;
    if (src->max > dst->max)
        dst->max = src->max;
}

static uint64_t percentile(const jf__latency_t *h, double q)
{
    uint64_t rank = (uint64_t)(q * (double)h->count + 0.999999);
    uint64_t seen = 0;

    if (rank == 0)
        rank = 1;
    for (unsigned b = 0; b < JF_LAT_BUCKETS; b++) {
        seen += h->buckets[b];
        if (seen >= rank) {
            uint64_t top = bucket_top(b);
            return top < h->max ? top : h->max;
        }
    }
    return h->max;
}

void jf__latency_summary(const jf__latency_t *h, jf_latency_t *out)
{
    if (h->count == 0) {
        *out = (jf_latency_t){0};
        return;
    }
    out->p50_ns = percentile(h, 0.50);
    out->p95_ns = percentile(h, 0.95);
    out->p99_ns = percentile(h, 0.99);
    out->max_ns = h->max;
    out->mean_ns = h->sum / (double)h->count;
}
