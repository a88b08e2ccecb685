/* jf_policy.c - apportion workers to stages: sum-score, D'Hondt, Sainte-Lague. */
#include "jefferson/policy.h"

#include <math.h>
#include <string.h>

#include "jefferson/error.h"
#include "policy_internal.h"

static const char *const policy_names[JF_POLICY_COUNT] = {
    [JF_POLICY_EXHAUSTIVE] = "exhaustive",
    [JF_POLICY_DHONDT] = "dhondt",
    [JF_POLICY_SAINTE_LAGUE] = "sainte-lague",
    [JF_POLICY_ADAMS] = "adams",
};

const char *jf_policy_name(jf_policy_t policy)
{
    return (unsigned)policy < JF_POLICY_COUNT ? policy_names[policy] : "unknown";
}

int jf_policy_parse(const char *name)
{
    for (int i = 0; i < JF_POLICY_COUNT; i++)
        if (strcmp(name, policy_names[i]) == 0)
            return i;
    return -1;
}

double jf_policy_prior(const double *measured, size_t n)
{
    double sum = 0;
    size_t count = 0;

    for (size_t i = 0; i < n; i++) {
        if (measured[i] >= 0) {
            sum += measured[i];
            count++;
        }
    }
    if (count == 0)
        return JF_POLICY_DEFAULT_PRIOR_NS;
    /* Finite times whose sum overflows (only `bench allocate` input can be
     * that large) still have a finite mean: divide before adding. */
    if (isinf(sum)) {
        sum = 0;
        for (size_t i = 0; i < n; i++)
            if (measured[i] >= 0)
                sum += measured[i] / (double)count;
        return sum;
    }
    return sum / (double)count;
}

double jf_policy_score(const jf_stage_view_t *stages, size_t n, const unsigned *alloc)
{
    double score = 0;

    for (size_t s = 0; s < n; s++)
        if (!stages[s].done)
            score += jf__policy_votes(&stages[s]) / (alloc[s] + 1.0);
    return score;
}

int jf_policy_allocate(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                       unsigned workers, unsigned *alloc, double *score)
{
    double last;

    if ((unsigned)policy >= JF_POLICY_COUNT || n == 0 || n > JF_POLICY_MAX_STAGES)
        return JF_EINVAL;
    memset(alloc, 0, n * sizeof(*alloc));
    last = jf__policy_apportion(policy, stages, n, workers, alloc);
    if (score != NULL)
        *score = policy == JF_POLICY_EXHAUSTIVE ? jf_policy_score(stages, n, alloc) : last;
    return 0;
}

int jf_policy_pick(const jf_stage_view_t *stages, size_t n, const unsigned *alloc,
                   const unsigned *others, int at)
{
    int best = -1;
    long best_gap = 0;

    for (size_t s = 0; s < n; s++) {
        long gap = (long)alloc[s] - (long)others[s];
        if (gap <= 0 || stages[s].queue <= 0)
            continue;
        if ((int)s == at)
            return at;
        if (best < 0 || gap > best_gap) {
            best = (int)s;
            best_gap = gap;
        }
    }
    return best;
}
