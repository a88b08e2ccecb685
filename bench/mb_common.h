/* mb_common.h - what every microbenchmark shares: clock, medians, the header. */
#ifndef JF_MB_COMMON_H
#define JF_MB_COMMON_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/jf_clock.h"

#ifndef JF_COMMIT
#define JF_COMMIT "unknown"
#endif

/* MB_SCALE=0.1 in the environment shortens every run tenfold (a smoke
 * test); figures from scaled runs are noisier. Default 1. */
static inline double mb_scale(void)
{
    const char *env = getenv("MB_SCALE");
    double s = env != NULL ? strtod(env, NULL) : 1.0;

    return s > 0 && s <= 100 ? s : 1.0;
}

static inline uint64_t mb_scaled(uint64_t n)
{
    double v = (double)n * mb_scale();

    return v < 1 ? 1 : (uint64_t)v;
}

/* Timing in short chunks: a chunk lasts far less than a scheduler time
 * slice, so the median chunk is one nobody preempted. Figures of a loaded
 * machine then show the cost of the code, not the share of the CPU it got. */
#define MB_MAX_CHUNKS 4096

typedef struct mb_chunks {
    size_t n;
    double per_op[MB_MAX_CHUNKS]; /* ns per operation of each chunk */
} mb_chunks_t;

static inline void mb_chunk_add(mb_chunks_t *c, uint64_t ns, uint64_t ops)
{
    if (c->n < MB_MAX_CHUNKS && ops > 0)
        c->per_op[c->n++] = (double)ns / (double)ops;
}

/* Repetitions per figure: MB_REPEAT, default `def`. */
static inline unsigned mb_repeat(unsigned def)
{
    const char *env = getenv("MB_REPEAT");
    long n = env != NULL ? strtol(env, NULL, 10) : (long)def;

    return n >= 1 && n <= 1000 ? (unsigned)n : def;
}

static int mb_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v in place). */
static inline double mb_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), mb_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Keeps a computed value alive so the compiler cannot drop the loop that made it. */
static inline void mb_keep(uint64_t v)
{
    __asm__ volatile("" : : "r"(v) : "memory");
}

/* Min and max of v[0..n) once sorted by mb_median. */
static inline double mb_min(const double *v, size_t n)
{
    return n ? v[0] : 0;
}

static inline double mb_max(const double *v, size_t n)
{
    return n ? v[n - 1] : 0;
}

/* CPU time (user + system) of the whole process so far, in ns: on a
 * shared machine a run's CPU time does not grow while other programs hold
 * the cores, its wall time does. */
static inline uint64_t mb_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The CPU model as /proc/cpuinfo names it, into buf. */
static inline void mb_cpu_model(char *buf, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];

    snprintf(buf, len, "unknown CPU");
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
            colon += 2;
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, len, "%s", colon);
            break;
        }
    }
    fclose(f);
}

/* Prints the block every program starts with: what is measured, on what
 * machine, when, and how loaded the machine was (a shared VM is noisy). */
static inline void mb_header(const char *title, const char *what)
{
    char cpu[128], date[32], load[64] = "?";
    struct utsname u;
    time_t now = time(NULL);
    FILE *f = fopen("/proc/loadavg", "r");

    mb_cpu_model(cpu, sizeof cpu);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    if (f != NULL) {
        if (fgets(load, sizeof load, f) != NULL) {
            /* The three averages only. */
            char *p = load;
            for (int spaces = 0; *p != '\0'; p++)
                if (*p == ' ' && ++spaces == 3)
                    *p = '\0';
            load[strcspn(load, "\n")] = '\0';
        }
        fclose(f);
    }
    if (uname(&u) != 0)
        snprintf(u.release, sizeof u.release, "?");
    printf("== %s ==\n", title);
    printf("   %s\n", what);
    printf("   machine: %s, %ld CPUs online, Linux %s, load %s\n", cpu,
           sysconf(_SC_NPROCESSORS_ONLN), u.release, load);
    printf("   date: %s  jefferson %s  cc %s  scale %.2g\n", date, JF_COMMIT, __VERSION__,
           mb_scale());
}

/* A spinning barrier for n threads: everyone leaves together, so a timed
 * region starts with every thread running. */
typedef struct mb_barrier {
    atomic_uint arrived;
    unsigned n;
} mb_barrier_t;

static inline void mb_barrier_wait(mb_barrier_t *b)
{
    /* seq_cst: what each thread did before arriving is visible to all after. */
    atomic_fetch_add(&b->arrived, 1);
    while (atomic_load(&b->arrived) < b->n)
        sched_yield(); /* threads may outnumber cores */
}

#endif /* JF_MB_COMMON_H */
