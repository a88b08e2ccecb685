/* strategy.c - names and thread counts of the four strategies. */
#include <string.h>

#include "jefferson/pipeline.h"

static const char *const strategy_names[JF_STRATEGY_COUNT] = {
    [JF_STRATEGY_SINGLE] = "single",
    [JF_STRATEGY_PER_STAGE] = "per-stage",
    [JF_STRATEGY_N_PER_STAGE] = "n-per-stage",
    [JF_STRATEGY_SCHEDULED] = "scheduled",
};

const char *jf_strategy_name(jf_strategy_t s)
{
    return (unsigned)s < JF_STRATEGY_COUNT ? strategy_names[s] : "unknown";
}

int jf_strategy_parse(const char *name)
{
    for (int i = 0; i < JF_STRATEGY_COUNT; i++)
        if (strcmp(name, strategy_names[i]) == 0)
            return i;
    return -1;
}

unsigned jf_strategy_threads(jf_strategy_t s, size_t nstages, unsigned cores)
{
    switch (s) {
    case JF_STRATEGY_SINGLE:
        return 1;
    case JF_STRATEGY_PER_STAGE:
        return (unsigned)nstages;
    case JF_STRATEGY_N_PER_STAGE:
        return (unsigned)nstages * cores;
    case JF_STRATEGY_SCHEDULED:
    default:
        return cores;
    }
}
