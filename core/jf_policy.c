/* jf_policy.c - apportion workers to stages: sum-score, D'Hondt, Sainte-Lague. */
#include "jf_policy.h"

#include <math.h>
#include <string.h>

#include "jf_error.h"

/* Stages a policy can apportion over: the engine's limit (JF_MAX_STAGES). */
#define HEAP_MAX JF_POLICY_MAX_STAGES

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

/* A stage's votes, queue * service_ns. A product that is not a number
 * (0 * inf from an overflowed mean, or a NaN in the view) counts as no work:
 * NaN compares false both ways, so one at the top of the seat heap would
 * keep every seat whatever the other stages hold. */
static double votes(const jf_stage_view_t *stage)
{
    double v = stage->queue * stage->service_ns;

    return isnan(v) ? 0.0 : v;
}

double jf_policy_score(const jf_stage_view_t *stages, size_t n, const unsigned *alloc)
{
    double score = 0;

    for (size_t s = 0; s < n; s++)
        if (!stages[s].done)
            score += votes(&stages[s]) / (alloc[s] + 1.0);
    return score;
}

/* What one more worker on a stage with `votes` and `seats` is worth.
 * exhaustive: the drop in the sum-score, v/(w+1) - v/(w+2). The score is a
 * sum of per-stage terms, each convex and decreasing in w, so handing out
 * workers one at a time by largest marginal gain reaches the global minimum
 * that enumerating every configuration would find (tests check this
 * against the brute force). dhondt: v/(w+1). sainte-lague: v/(2w+1).
 * adams: v/w, the stage's drain time with its workers so far; handing the
 * next worker to the longest drain time minimises the longest one (the
 * makespan bound of the queued work). An empty-handed stage (w = 0) with
 * work has an infinite drain time: the tiny offset keeps those first yet
 * ordered among themselves by votes. */
static double merit(jf_policy_t policy, double votes, unsigned seats)
{
    switch (policy) {
    case JF_POLICY_EXHAUSTIVE:
        return votes / ((seats + 1.0) * (seats + 2.0));
    case JF_POLICY_SAINTE_LAGUE:
        return votes / (2.0 * seats + 1.0);
    case JF_POLICY_ADAMS:
        return votes / (seats + 1e-9);
    case JF_POLICY_DHONDT:
    default:
        return votes / (seats + 1.0);
    }
}

/* A max-heap of live stages by merit, ties to the earlier stage, so each
 * seat costs O(log S): a decision with W workers over S stages is
 * O(S + W log S) instead of a scan per seat. */
typedef struct seat_heap {
    size_t n;
    size_t stage[HEAP_MAX];
    double merit[HEAP_MAX];
} seat_heap_t;

static int before(const seat_heap_t *h, size_t a, size_t b)
{
    return h->merit[a] > h->merit[b] || (h->merit[a] == h->merit[b] && h->stage[a] < h->stage[b]);
}

static void swap_entries(seat_heap_t *h, size_t a, size_t b)
{
    size_t s = h->stage[a];
    double m = h->merit[a];

    h->stage[a] = h->stage[b];
    h->merit[a] = h->merit[b];
    h->stage[b] = s;
    h->merit[b] = m;
}

static void sift_down(seat_heap_t *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, top = i;
        if (l < h->n && before(h, l, top))
            top = l;
        if (r < h->n && before(h, r, top))
            top = r;
        if (top == i)
            return;
        swap_entries(h, i, top);
        i = top;
    }
}

/* Hands out seats one at a time by largest merit. Returns the merit of
 * the last seat given (0 when none). */
static double apportion(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                        unsigned workers, unsigned *alloc)
{
    seat_heap_t h;
    double last = 0;

    h.n = 0;
    for (size_t s = 0; s < n; s++) {
        if (stages[s].done)
            continue;
        h.stage[h.n] = s;
        h.merit[h.n++] = merit(policy, votes(&stages[s]), 0);
    }
    for (size_t i = h.n / 2; i-- > 0;)
        sift_down(&h, i);
    for (unsigned w = 0; w < workers && h.n > 0; w++) {
        size_t s = h.stage[0];
        last = h.merit[0];
        alloc[s]++;
        h.merit[0] = merit(policy, votes(&stages[s]), alloc[s]);
        sift_down(&h, 0);
    }
    return last;
}

int jf_policy_allocate(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                       unsigned workers, unsigned *alloc, double *score)
{
    double last;

    if ((unsigned)policy >= JF_POLICY_COUNT || n == 0 || n > HEAP_MAX)
        return JF_EINVAL;
    memset(alloc, 0, n * sizeof(*alloc));
    last = apportion(policy, stages, n, workers, alloc);
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
