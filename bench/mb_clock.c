/* mb_clock.c - what a timestamp costs: clock_gettime per clock, rdtsc for reference. */
#include <stdio.h>
#include <time.h>

#include "bench/mb_common.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_TSC 1
#else
#define HAVE_TSC 0
#endif

#define CALLS 2000000u

#define CHUNK 256u /* calls per timed chunk: 5 to 50 us, well inside a time slice */

/* ns per back-to-back clock_gettime(id), the cost the engine pays per
 * read: the median over chunks into *chunk, wall / calls returned. */
static double time_clock(clockid_t id, uint64_t calls, double *chunk)
{
    static mb_chunks_t c;
    struct timespec ts;
    long acc = 0;
    uint64_t t0 = jf_clock_ns(), prev = t0;

    c.n = 0;
    for (uint64_t i = 0; i < calls; i += CHUNK) {
        for (unsigned k = 0; k < CHUNK; k++) {
            clock_gettime(id, &ts);
            acc += ts.tv_nsec;
        }
        uint64_t now = jf_clock_ns();
        mb_chunk_add(&c, now - prev, CHUNK + 1); /* + the read that timed it */
        prev = now;
    }
    mb_keep((uint64_t)acc);
    *chunk = mb_median(c.per_op, c.n);
    return (double)(prev - t0) / (double)calls;
}

#if HAVE_TSC
static double time_tsc(int serialising, uint64_t calls, double *chunk)
{
    static mb_chunks_t c;
    uint64_t acc = 0;
    unsigned aux;
    uint64_t t0 = jf_clock_ns(), prev = t0;

    c.n = 0;
    for (uint64_t i = 0; i < calls; i += 16 * CHUNK) {
        if (serialising)
            for (unsigned k = 0; k < 16 * CHUNK; k++)
                acc += __rdtscp(&aux);
        else
            for (unsigned k = 0; k < 16 * CHUNK; k++)
                acc += __rdtsc();
        uint64_t now = jf_clock_ns();
        mb_chunk_add(&c, now - prev, 16 * CHUNK);
        prev = now;
    }
    mb_keep(acc);
    *chunk = mb_median(c.per_op, c.n);
    return (double)(prev - t0) / (double)calls;
}

/* TSC ticks per ns over ~50 ms of CLOCK_MONOTONIC. */
static double tsc_ghz(void)
{
    uint64_t n0 = jf_clock_ns(), c0 = __rdtsc(), n1;

    do
        n1 = jf_clock_ns();
    while (n1 - n0 < mb_scaled(50000000));
    return (double)(__rdtsc() - c0) / (double)(n1 - n0);
}
#endif

/* Smallest non-zero step two consecutive reads of the clock show. */
static uint64_t resolution(void)
{
    uint64_t best = UINT64_MAX;

    for (int i = 0; i < 1000; i++) {
        uint64_t a = jf_clock_ns(), b;
        do
            b = jf_clock_ns();
        while (b == a);
        if (b - a < best)
            best = b - a;
    }
    return best;
}

int main(void)
{
    static const struct {
        clockid_t id;
        const char *name;
    } clocks[] = {
        {CLOCK_MONOTONIC, "CLOCK_MONOTONIC (jf_clock_ns)"},
        {CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE"},
        {CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"},
        {CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"},
    };
    unsigned reps = mb_repeat(5);
    uint64_t calls = mb_scaled(CALLS);
    char source[64] = "?";
    FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

    if (f != NULL) {
        if (fgets(source, sizeof source, f) != NULL)
            source[strcspn(source, "\n")] = '\0';
        fclose(f);
    }
    mb_header("timestamps: cost of one clock read",
              "ns per call, back to back in one thread (throughput, not latency)");
    printf("   kernel clocksource: %s; %llu calls per run, timed in chunks of %u; ns/call = "
           "median chunk (preemption-free),\n   wall = whole-run average (includes time "
           "other programs held the core); median of %u runs\n\n", source,
           (unsigned long long)calls, CHUNK, reps);
    printf("   %-32s %10s %10s %10s %10s\n", "clock", "ns/call", "min", "max", "wall");
    for (size_t c = 0; c < sizeof clocks / sizeof *clocks + 2 * HAVE_TSC; c++) {
        double v[64], wall[64];
        const char *name = c < 4 ? clocks[c].name : c == 4 ? "rdtsc" : "rdtscp";
        for (unsigned r = 0; r < reps && r < 64; r++) {
#if HAVE_TSC
            if (c >= 4)
                wall[r] = time_tsc(c == 5, 16 * calls, &v[r]);
            else
#endif
                wall[r] = time_clock(clocks[c].id, c == 3 ? calls / 16 : calls, &v[r]);
        }
        double med = mb_median(v, reps);
        printf("   %-32s %10.1f %10.1f %10.1f %10.1f\n", name, med, mb_min(v, reps),
               mb_max(v, reps), mb_median(wall, reps));
    }
#if HAVE_TSC
    printf("   TSC rate: %.3f GHz\n", tsc_ghz());
#endif
    printf("   CLOCK_MONOTONIC resolution seen: %llu ns\n\n",
           (unsigned long long)resolution());
    return 0;
}
