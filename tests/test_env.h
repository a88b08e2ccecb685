/* test_env.h - what the tests may expect of this build and machine. */
#ifndef JF_TEST_ENV_H
#define JF_TEST_ENV_H

#include <stdlib.h>
#include <unistd.h>

/* JF_TEST_THREADS from the environment, else the number of CPUs, at least 2
 * so that there is always real concurrency to test. */
static inline unsigned test_threads(void)
{
    const char *env = getenv("JF_TEST_THREADS");
    long n = env != NULL ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

    return n < 2 ? 2u : (unsigned)n;
}

/* Strategies `bench --strategy all` runs: the engine's four, tbb when bench
 * was built with oneTBB and omp when with OpenMP (the tests are built with
 * the same flags). */
#ifdef JF_HAVE_TBB
#define TEST_HAS_TBB 1
#else
#define TEST_HAS_TBB 0
#endif
#ifdef JF_HAVE_OMP
#define TEST_HAS_OMP 1
#else
#define TEST_HAS_OMP 0
#endif
#define TEST_ALL_STRATEGIES (4 + TEST_HAS_TBB + TEST_HAS_OMP)

#endif /* JF_TEST_ENV_H */
