// tbb_latency.h - the oneTBB peer's latency histogram, as the engine's (internal).
#ifndef JF_TBB_LATENCY_H
#define JF_TBB_LATENCY_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" {
#include "jefferson/pipeline.h"
}

namespace jf_tbb {

// Log-linear latency histogram: 32 sub-buckets per power of two (within
// about 3%), as the engine's (core/latency.h). Written by the serial sink.
constexpr unsigned kSubBits = 5, kSub = 1u << kSubBits, kBuckets = 64 * kSub;

struct latency_hist {
    uint64_t count = 0, max = 0;
    double sum = 0;
    std::vector<uint64_t> buckets = std::vector<uint64_t>(kBuckets);

    static size_t bucket(uint64_t v)
    {
        if (v < kSub)
            return (size_t)v;
        int shift = 63 - __builtin_clzll(v) - (int)kSubBits;
        return (size_t)(shift + 1) * kSub + ((v >> shift) & (kSub - 1));
    }
    static uint64_t upper(size_t i)
    {
        if (i < kSub)
            return i;
        unsigned shift = (unsigned)(i / kSub) - 1;
        return ((uint64_t)(kSub + i % kSub + 1) << shift) - 1;
    }
    void record(uint64_t v)
    {
        buckets[bucket(v)]++;
        count++;
        sum += (double)v;
        max = v > max ? v : max;
    }
    uint64_t percentile(double q) const
    {
        uint64_t want = (uint64_t)(q * (double)count + 0.999999), seen = 0;
        for (size_t i = 0; i < kBuckets; i++) {
            seen += buckets[i];
            if (seen >= want && seen > 0)
                return std::min(upper(i), max);
        }
        return max;
    }
    void summary(jf_latency_t *out) const
    {
        if (count == 0)
            return;
        out->p50_ns = percentile(0.50);
        out->p95_ns = percentile(0.95);
        out->p99_ns = percentile(0.99);
        out->max_ns = max;
        out->mean_ns = sum / (double)count;
    }
};

} // namespace jf_tbb

#endif // JF_TBB_LATENCY_H
