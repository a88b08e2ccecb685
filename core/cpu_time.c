/* cpu_time.c - what reading a thread's CPU clock costs here, measured once. */
#include <pthread.h>
#include <stdlib.h>

#include "cpu_time.h"
#include "jf_clock.h"

#define READS 15

static uint64_t cost_ns;
static pthread_once_t cost_once = PTHREAD_ONCE_INIT;

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

static void measure(void)
{
    uint64_t d[READS];

    for (int i = 0; i < READS; i++) {
        uint64_t t0 = jf_clock_ns();
        (void)jf__thread_cpu_ns();
        d[i] = jf_clock_ns() - t0;
    }
    qsort(d, READS, sizeof d[0], by_value);
    cost_ns = d[READS / 2] > 0 ? d[READS / 2] : 1;
}

uint64_t jf__cpu_read_cost_ns(void)
{
    pthread_once(&cost_once, measure);
    return cost_ns;
}
