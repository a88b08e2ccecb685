/* jf_clock.h - the monotonic nanosecond clock every timestamp comes from. */
#ifndef JF_CLOCK_H
#define JF_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Returns CLOCK_MONOTONIC in nanoseconds. About 30 ns (vDSO). Thread-safe. */
static inline uint64_t jf_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif /* JF_CLOCK_H */
