/* strategy.c - the registry: every strategy's ops table, by jf_strategy_t. */
#include <string.h>

#include "jefferson/pipeline.h"
#include "strategy.h"

/* The strategies' tables, in core/strategy_<name>.c (the two fixed ones,
 * which differ only in threads and placement, share strategy_fixed.c). */
extern const jf__strategy_ops_t jf__strategy_single;
extern const jf__strategy_ops_t jf__strategy_per_stage;
extern const jf__strategy_ops_t jf__strategy_n_per_stage;
extern const jf__strategy_ops_t jf__strategy_scheduled;

/* One row per strategy; a new one is its file, a line above, a row here
 * and its value in jf_strategy_t (docs/engine.md, "Adding a strategy"). */
static const jf__strategy_ops_t *const registry[JF_STRATEGY_COUNT] = {
    [JF_STRATEGY_SINGLE] = &jf__strategy_single,
    [JF_STRATEGY_PER_STAGE] = &jf__strategy_per_stage,
    [JF_STRATEGY_N_PER_STAGE] = &jf__strategy_n_per_stage,
    [JF_STRATEGY_SCHEDULED] = &jf__strategy_scheduled,
};

const jf__strategy_ops_t *jf__strategy_ops(jf_strategy_t s)
{
    return (unsigned)s < JF_STRATEGY_COUNT ? registry[s] : NULL;
}

const char *jf_strategy_name(jf_strategy_t s)
{
    const jf__strategy_ops_t *ops = jf__strategy_ops(s);

    return ops != NULL ? ops->name : "unknown";
}

int jf_strategy_parse(const char *name)
{
    for (int i = 0; i < JF_STRATEGY_COUNT; i++)
        if (strcmp(name, registry[i]->name) == 0)
            return i;
    return -1;
}

unsigned jf_strategy_threads(jf_strategy_t s, size_t nstages, unsigned cores)
{
    const jf__strategy_ops_t *ops = jf__strategy_ops(s);

    /* Not a strategy: as many as cores, what the callers assumed so far. */
    return ops != NULL ? ops->threads(nstages, cores) : cores;
}
