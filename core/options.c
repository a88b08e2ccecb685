/* options.c - the defaults a run's options take, for engine and simulator alike. */
#include "options.h"

#include <stdbool.h>
#include <stdint.h>

#include "jefferson/error.h"
#include "strategy.h"

#define MAX_BATCH 65536u
#define MAX_WINDOW (1u << 22)
#define MAX_SLAB_BYTES (1ull << 30)
/* Largest batches per worker a carrying strategy's window has room for
 * (below). Interleaved on 2 cores, against no carry: 4 gained 3.5% on
 * many-stages and nothing on tiny-items, where the workers still parked
 * ~10 times a run; 8 gained 5.6% and 2.3% and parked twice. More room is
 * more queueing: many-stages' median latency doubles from 4 to 8
 * (docs/performance.md, "Carry"). */
#ifndef CARRY_AHEAD
#define CARRY_AHEAD 8u
#endif
/* And at most this many times the window a strategy that does not carry
 * gets: at hundreds of workers, room for 8 batches each would let a whole
 * run in at once (docs/perf-proposals/carry.md, sections 3 and 5). */
#ifndef CARRY_CAP
#define CARRY_CAP 4u
#endif

static uint64_t pow2_at_least(uint64_t n)
{
    uint64_t p = 2;

    while (p < n)
        p <<= 1;
    return p;
}

/* JF_DEFAULT_BATCH_MAX, as far as the default window it implies stays
 * within the limits (halved: the window is rounded up to a power of two);
 * else fixed batches. */
static unsigned default_batch_max(const jf_run_options_t *o, uint64_t holders)
{
    uint64_t max = JF_DEFAULT_BATCH_MAX;
    uint64_t fit = MAX_WINDOW / 2 / holders;
    uint64_t slab = MAX_SLAB_BYTES / 2 / o->item_bytes / holders;

    max = max < fit ? max : fit;
    max = max < slab ? max : slab;
    return max > o->batch ? (unsigned)max : o->batch;
}

int jf__settle_options(jf_run_options_t *o, size_t nstages)
{
    if (o->cores == 0 || o->items == 0 || jf__strategy_ops(o->strategy) == NULL ||
        (unsigned)o->policy >= JF_POLICY_COUNT)
        return JF_EINVAL;
    bool adaptive = o->batch == 0;
    if (adaptive)
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
    uint64_t holders = 4ull * (threads > nstages ? threads : nstages);
    if (!adaptive)
        o->batch_max = o->batch;
    else if (o->batch_max == 0)
        o->batch_max = default_batch_max(o, holders);
    if (o->batch_max < o->batch || o->batch_max > MAX_BATCH)
        return JF_ERANGE;
    uint64_t window = o->window;
    bool carries = JF_CARRY && jf__strategy_ops(o->strategy)->carries;
    if (window == 0) {
        /* Room for every worker to hold a batch and for queues to build up
         * enough for the policy to see where the work piles. A strategy
         * that carries needs room for CARRY_AHEAD of each worker's largest
         * batches: a carried batch may run ahead of older ones, and the
         * sink holds it until they come (worker.c); with room for a few
         * batches only, the source's credits run out meanwhile and the
         * workers park. Within the limits: holders >= 4 x threads, and
         * default_batch_max keeps holders x batch_max within half of them. */
        window = holders * o->batch;
        uint64_t room = CARRY_AHEAD * threads * o->batch_max;
        if (window < 1024)
            window = 1024;
        if (carries && window < room)
            window = room < CARRY_CAP * window ? room : CARRY_CAP * window;
        if (window > pow2_at_least(o->items) && pow2_at_least(o->items) >= 2ull * o->batch)
            window = pow2_at_least(o->items);
    }
    window = pow2_at_least(window);
    if (window > MAX_WINDOW || window * o->item_bytes > MAX_SLAB_BYTES)
        return JF_ERANGE;
    o->window = (unsigned)window;
    return 0;
}

