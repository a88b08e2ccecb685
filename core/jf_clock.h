/* jf_clock.h - the monotonic nanosecond clock every timestamp comes from. */
#ifndef JF_CLOCK_H
#define JF_CLOCK_H

#include <sched.h>
#include <stdint.h>
#include <time.h>

/* Returns CLOCK_MONOTONIC in nanoseconds. About 30 ns (vDSO). Thread-safe. */
static inline uint64_t jf_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sleeps until jf_clock_ns() reaches due, the last 100 us by yielding the
 * core (a sleep overshoots by tens of microseconds): a peer's source waits
 * so for an item's arrival time. */
static inline void jf_clock_wait_until(uint64_t due)
{
    for (uint64_t now = jf_clock_ns(); now < due; now = jf_clock_ns()) {
        if (due - now > 100000) {
            uint64_t ns = due - now - 50000;
            struct timespec t = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
            nanosleep(&t, NULL);
        } else {
            sched_yield();
        }
    }
}

#endif /* JF_CLOCK_H */
