/* options.c - the defaults a run's options take, for engine and simulator alike. */
#include "options.h"

#include <stdint.h>

#include "jf_error.h"

#define MAX_BATCH 65536u
#define MAX_WINDOW (1u << 22)
#define MAX_SLAB_BYTES (1ull << 30)

static uint64_t pow2_at_least(uint64_t n)
{
    uint64_t p = 2;

    while (p < n)
        p <<= 1;
    return p;
}

int jf__settle_options(jf_run_options_t *o, size_t nstages)
{
    if (o->cores == 0 || o->items == 0 || (unsigned)o->strategy >= JF_STRATEGY_COUNT ||
        (unsigned)o->policy >= JF_POLICY_COUNT)
        return JF_EINVAL;
    if (o->batch == 0)
        o->batch = JF_DEFAULT_BATCH;
    if (o->item_bytes == 0)
        o->item_bytes = JF_DEFAULT_ITEM_BYTES;
    if (o->batch > MAX_BATCH)
        return JF_ERANGE;
    if (o->arrival_burst == 0)
        o->arrival_burst = 1;
    if (!(o->arrival_rate_per_s >= 0) || o->arrival_rate_per_s > 1e12)
        return JF_ERANGE;
    unsigned threads = jf_strategy_threads(o->strategy, nstages, o->cores);
    uint64_t window = o->window;
    if (window == 0) {
        /* Room for every worker to hold a batch and for queues to build up
         * enough for the policy to see where the work piles. */
        window = 4ull * o->batch * (threads > nstages ? threads : nstages);
        if (window < 1024)
            window = 1024;
        if (window > pow2_at_least(o->items) && pow2_at_least(o->items) >= 2ull * o->batch)
            window = pow2_at_least(o->items);
    }
    window = pow2_at_least(window);
    if (window > MAX_WINDOW || window * o->item_bytes > MAX_SLAB_BYTES)
        return JF_ERANGE;
    o->window = (unsigned)window;
    return 0;
}

