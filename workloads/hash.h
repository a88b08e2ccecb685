/* hash.h - counter-based randomness: a value from (seed, stream, seq), no state. */
#ifndef WORKLOADS_HASH_H
#define WORKLOADS_HASH_H

#include <stdint.h>

/* Stream numbers of jf__hash3 that are not stage indexes (those are 0..63). */
#define WORKLOAD__STREAM_PAYLOAD 0x7061796c6f6164ULL /* source payload bytes */

/* splitmix64's output function: a bijection of 64-bit words with full
 * avalanche, so neighbouring inputs (seq, seq + 1) give unrelated outputs. */
static inline uint64_t jf__mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The random word of item `seq` in `stream` under `seed`. Counter-based, not
 * a generator with state: an item's value does not depend on which thread
 * asks or in what order, which is what makes costs reproducible. Nested
 * mixing rather than a sum, so (seed, stream, seq) triples do not alias. */
static inline uint64_t jf__hash3(uint64_t seed, uint64_t stream, uint64_t seq)
{
    return jf__mix64(jf__mix64(jf__mix64(seed) ^ stream) ^ seq);
}

/* The top 53 bits of h as a double uniform on [0, 1). */
static inline double jf__unit(uint64_t h)
{
    return (double)(h >> 11) * 0x1.0p-53;
}

#endif /* WORKLOADS_HASH_H */
