/* jf_policy.c - apportion workers to stages: sum-score, D'Hondt, Sainte-Lague. */
#include "jf_policy.h"

#include <string.h>

#include "jf_error.h"

static const char *const policy_names[JF_POLICY_COUNT] = {
    [JF_POLICY_EXHAUSTIVE] = "exhaustive",
    [JF_POLICY_DHONDT] = "dhondt",
    [JF_POLICY_SAINTE_LAGUE] = "sainte-lague",
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
    return count ? sum / (double)count : JF_POLICY_DEFAULT_PRIOR_NS;
}

double jf_policy_score(const jf_stage_view_t *stages, size_t n, const unsigned *alloc)
{
    double score = 0;

    for (size_t s = 0; s < n; s++)
        if (!stages[s].done)
            score += stages[s].queue * stages[s].service_ns / (alloc[s] + 1.0);
    return score;
}

/* What one more worker on a stage with `votes` and `seats` is worth.
 * exhaustive: the drop in the sum-score, v/(w+1) - v/(w+2). The score is a
 * sum of per-stage terms, each convex and decreasing in w, so handing out
 * workers one at a time by largest marginal gain reaches the global minimum
 * that enumerating every configuration would find (tests check this
 * against the brute force). dhondt: v/(w+1). sainte-lague: v/(2w+1). */
static double merit(jf_policy_t policy, double votes, unsigned seats)
{
    switch (policy) {
    case JF_POLICY_EXHAUSTIVE:
        return votes / ((seats + 1.0) * (seats + 2.0));
    case JF_POLICY_SAINTE_LAGUE:
        return votes / (2.0 * seats + 1.0);
    case JF_POLICY_DHONDT:
    default:
        return votes / (seats + 1.0);
    }
}

/* Index of the live stage with the largest merit; ties to the earlier
 * stage (strict >). Returns n when every stage is done. O(S) per seat keeps
 * the code obvious; S <= 64 and a seat costs tens of nanoseconds. */
static size_t best_stage(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                         const unsigned *alloc, double *best_merit)
{
    size_t best = n;

    for (size_t s = 0; s < n; s++) {
        if (stages[s].done)
            continue;
        double m = merit(policy, stages[s].queue * stages[s].service_ns, alloc[s]);
        if (best == n || m > *best_merit) {
            best = s;
            *best_merit = m;
        }
    }
    return best;
}

int jf_policy_allocate(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                       unsigned workers, unsigned *alloc, double *score)
{
    double last = 0;

    if ((unsigned)policy >= JF_POLICY_COUNT || n == 0)
        return JF_EINVAL;
    memset(alloc, 0, n * sizeof(*alloc));
    for (unsigned w = 0; w < workers; w++) {
        size_t s = best_stage(policy, stages, n, alloc, &last);
        if (s == n)
            break; /* every stage done: nobody is placed */
        alloc[s]++;
    }
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
