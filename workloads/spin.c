/* spin.c - the spin kernel's unit of CPU work, and its calibration in iterations per ns. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "../core/jf_clock.h"
#include "kernels.h"

/* Each calibration run lasts at least this long: long enough that clock
 * resolution and call overhead vanish, short enough that a few runs fit
 * between scheduler ticks. */
#define CAL_MIN_NS 2000000u
#define CAL_RUNS 7

/* An empty asm that claims to read and rewrite x: the compiler must keep
 * every step of the chain, in order, and cannot vectorise or fold it. */
#if defined(__GNUC__) || defined(__clang__)
#define OPAQUE(x) __asm__ volatile("" : "+r"(x))
#else
#define OPAQUE(x) ((void)0)
#endif

/* Its loop at the start of a cache line: a 100 ns kernel is ~60
 * iterations, and where the loop fell in the fetch lines changed
 * `tiny-items` by 2-3% from one build to the next when unrelated code
 * grew (the calibration's long runs do not see that). Fixed, the kernel
 * costs the same in every build. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((aligned(64), optimize("align-loops=64")))
#elif defined(__clang__)
__attribute__((aligned(64)))
#endif
uint64_t jf__spin(uint64_t iterations, uint64_t x)
{
    x |= 1; /* xorshift's state must not be 0 */
    for (uint64_t i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        OPAQUE(x);
    }
#if !defined(__GNUC__) && !defined(__clang__)
    {
        /* Without asm, a volatile store at least keeps the result live. */
        static _Thread_local volatile uint64_t sink;
        sink = x;
    }
#endif
    return x;
}

uint64_t jf__spin_iterations(double ns, double iter_per_ns)
{
    double n = ns * iter_per_ns + 0.5;

    if (!(n >= 1.0)) /* also NaN */
        return 0;
    return n >= 1.8e19 ? UINT64_MAX : (uint64_t)n;
}

static uint64_t time_run(uint64_t iterations)
{
    uint64_t t0 = jf_clock_ns();

    jf__spin(iterations, t0);
    return jf_clock_ns() - t0;
}

static double iter_per_ns;
static pthread_once_t calibrated = PTHREAD_ONCE_INIT;

/* Doubles the run length until one run takes CAL_MIN_NS (which also lets the
 * core clock up to speed), then keeps the fastest of CAL_RUNS runs: an
 * interrupt or preemption only ever makes a run slower, so the minimum is
 * the least disturbed. */
static void calibrate(void)
{
    uint64_t n = 1u << 12, best = UINT64_MAX;

    while (time_run(n) < CAL_MIN_NS && n < (UINT64_C(1) << 40))
        n *= 2;
    for (int r = 0; r < CAL_RUNS; r++) {
        uint64_t t = time_run(n);
        if (t < best)
            best = t;
    }
    iter_per_ns = (double)n / (double)(best ? best : 1);
}

double workload_spin_calibrate(void)
{
    /* pthread_once publishes iter_per_ns to every caller that returns from it. */
    if (pthread_once(&calibrated, calibrate) != 0)
        abort();
    return iter_per_ns;
}
