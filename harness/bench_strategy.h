/* bench_strategy.h - what --strategy selects: the core's four strategies and the oneTBB peer. */
#ifndef JF_BENCH_STRATEGY_H
#define JF_BENCH_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>

#include "jefferson/pipeline.h"

/* The core's strategies keep their jf_strategy_t values; the peers bench
 * can run besides the engine follow. core/ knows nothing of them. */
typedef enum jf_bench_strategy {
    JF_BENCH_SINGLE = JF_STRATEGY_SINGLE,
    JF_BENCH_PER_STAGE = JF_STRATEGY_PER_STAGE,
    JF_BENCH_N_PER_STAGE = JF_STRATEGY_N_PER_STAGE,
    JF_BENCH_SCHEDULED = JF_STRATEGY_SCHEDULED,
    JF_BENCH_TBB = JF_STRATEGY_COUNT, /* tbb::parallel_pipeline (harness/peers/tbb/jf_tbb.h) */
    JF_BENCH_STRATEGY_COUNT
} jf_bench_strategy_t;

/* "single", ..., "scheduled", "tbb"; "unknown" for anything else. */
const char *jf_bench_strategy_name(jf_bench_strategy_t s);

/* The strategy called name, or -1. Knows tbb also when it is not built in. */
int jf_bench_strategy_parse(const char *name);

/* Whether this build can run s: tbb only when built with oneTBB
 * (JF_HAVE_TBB); the core's strategies always. */
bool jf_bench_strategy_available(jf_bench_strategy_t s);

/* Whether s runs on the engine (and so can be simulated). */
bool jf_bench_strategy_is_core(jf_bench_strategy_t s);

/* Threads s starts for n stages on `cores` cores: tbb's arena has `cores`. */
unsigned jf_bench_strategy_threads(jf_bench_strategy_t s, size_t nstages, unsigned cores);

#endif /* JF_BENCH_STRATEGY_H */
