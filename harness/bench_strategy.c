/* bench_strategy.c - names and availability of the strategies bench runs. */
#include "bench_strategy.h"

#include <string.h>

const char *jf_bench_strategy_name(jf_bench_strategy_t s)
{
    if (s == JF_BENCH_TBB)
        return "tbb";
    return jf_strategy_name((jf_strategy_t)s);
}

int jf_bench_strategy_parse(const char *name)
{
    if (strcmp(name, "tbb") == 0)
        return JF_BENCH_TBB;
    return jf_strategy_parse(name);
}

bool jf_bench_strategy_available(jf_bench_strategy_t s)
{
#ifdef JF_HAVE_TBB
    return (unsigned)s < JF_BENCH_STRATEGY_COUNT;
#else
    return (unsigned)s < JF_BENCH_STRATEGY_COUNT && s != JF_BENCH_TBB;
#endif
}

bool jf_bench_strategy_is_core(jf_bench_strategy_t s)
{
    return (unsigned)s < JF_STRATEGY_COUNT;
}

unsigned jf_bench_strategy_threads(jf_bench_strategy_t s, size_t nstages, unsigned cores)
{
    if (s == JF_BENCH_TBB)
        return cores;
    return jf_strategy_threads((jf_strategy_t)s, nstages, cores);
}
