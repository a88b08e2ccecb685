/* fuzz_allocate.c - libFuzzer target: the `bench allocate` input, every policy and the pick. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jefferson/policy.h"
#include "harness/allocate.h"

/* Worker counts tried on every input; one more comes from the input's hash. */
static const unsigned worker_counts[] = {0, 1, 2, 3, 8, 64};

/* Brute force over every configuration for at most this many live stages
 * and workers (C(W + S - 1, S - 1) configurations: a few hundred). */
#define BRUTE_STAGES 4
#define BRUTE_WORKERS 8

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond))                                                                           \
            __builtin_trap();                                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    return x ^ (x >> 33);
}

static uint64_t hash_bytes(const uint8_t *data, size_t size)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* A stage's votes as jf_policy.c counts them: a NaN product is 0. */
static double votes(const jf_stage_view_t *v)
{
    double x = v->queue * v->service_ns;

    return isnan(x) ? 0.0 : x;
}

/* The merit of one more seat as jf_policy.c computes it (same expression,
 * so the same double); NaN for a policy this target does not know yet,
 * whose seat order is then not checked. */
static double merit(jf_policy_t p, double votes, unsigned seats)
{
    switch (p) {
    case JF_POLICY_EXHAUSTIVE:
        return votes / ((seats + 1.0) * (seats + 2.0));
    case JF_POLICY_DHONDT:
        return votes / (seats + 1.0);
    case JF_POLICY_SAINTE_LAGUE:
        return votes / (2.0 * seats + 1.0);
    case JF_POLICY_ADAMS:
        return votes / (seats + 1e-9);
    default:
        return NAN;
    }
}

/* The smallest sum-score over every allocation of `left` workers to the
 * live stages from index s on (alloc is scratch). */
static double brute_min(const jf_stage_view_t *v, size_t n, size_t s, unsigned left,
                        unsigned *alloc)
{
    double best = INFINITY;

    while (s < n && v[s].done)
        alloc[s++] = 0;
    if (s == n)
        return left == 0 ? jf_policy_score(v, n, alloc) : INFINITY;
    for (unsigned k = 0; k <= left; k++) {
        alloc[s] = k;
        double score = brute_min(v, n, s + 1, left - k, alloc);
        if (score < best)
            best = score;
    }
    alloc[s] = 0;
    return best;
}

/* Invariants of one allocation (jefferson/policy.h): done stages get nothing,
 * every worker is placed when a stage is live, and each seat went to the
 * largest merit: the merit of a stage's last seat is at least the merit
 * of any stage's next seat. */
static void check_allocation(jf_policy_t p, const jf_stage_view_t *v, size_t n,
                             unsigned workers, const unsigned *alloc, double score)
{
    unsigned long long sum = 0;
    size_t live = 0;

    for (size_t s = 0; s < n; s++) {
        if (v[s].done)
            CHECK(alloc[s] == 0);
        live += !v[s].done;
        sum += alloc[s];
    }
    CHECK(sum == (live > 0 ? workers : 0));
    if (live == 0)
        CHECK(score == 0);
    for (size_t i = 0; i < n; i++) {
        if (v[i].done || alloc[i] == 0)
            continue;
        double last = merit(p, votes(&v[i]), alloc[i] - 1);
        if (isnan(last))
            break;
        for (size_t j = 0; j < n; j++) {
            if (v[j].done || j == i)
                continue;
            CHECK(last >= merit(p, votes(&v[j]), alloc[j]));
        }
    }
    if (p == JF_POLICY_EXHAUSTIVE) {
        CHECK(!isnan(score) && score == jf_policy_score(v, n, alloc));
    }
}

/* The exhaustive policy's claim: greedy by marginal gain reaches the
 * minimum that enumerating every configuration finds. */
static void check_optimal(const jf_stage_view_t *v, size_t n, unsigned workers,
                          const unsigned *alloc)
{
    unsigned scratch[JF_POLICY_MAX_STAGES];
    size_t live = 0;

    for (size_t s = 0; s < n; s++)
        live += !v[s].done;
    if (live == 0 || live > BRUTE_STAGES || workers > BRUTE_WORKERS)
        return;
    double got = jf_policy_score(v, n, alloc);
    double best = brute_min(v, n, 0, workers, scratch);
    if (isfinite(got) && isfinite(best))
        CHECK(got <= best + 1e-9 * fabs(best) + 1e-300);
}

/* jf_policy_pick against its contract, with `others` and `at` drawn
 * from h. */
static void check_pick(const jf_stage_view_t *v, size_t n, const unsigned *alloc, uint64_t h)
{
    unsigned others[JF_POLICY_MAX_STAGES];
    int at;

    for (size_t s = 0; s < n; s++)
        others[s] = (unsigned)(mix(h + s) % (alloc[s] + 3u));
    at = (int)(mix(h ^ 0x5bd1e995u) % (n + 1)) - 1;
    int got = jf_policy_pick(v, n, alloc, others, at);
    int want = -1;
    long best_gap = 0;
    for (size_t s = 0; s < n; s++) {
        long gap = (long)alloc[s] - (long)others[s];
        if (gap <= 0 || !(v[s].queue > 0))
            continue;
        if ((int)s == at) {
            want = at;
            break;
        }
        if (want < 0 || gap > best_gap) {
            want = (int)s;
            best_gap = gap;
        }
    }
    /* Staying put wins over a larger shortfall elsewhere. */
    if (at >= 0 && alloc[at] > others[at] && v[at].queue > 0)
        want = at;
    CHECK(got == want);
    CHECK(got == -1 || (got >= 0 && (size_t)got < n && alloc[got] > others[got]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bench_allocate_input_t in;
    uint64_t h = hash_bytes(data, size);

    if (bench_allocate_parse((const char *)data, size, &in) != 0) {
        CHECK(in.doc == NULL);
        return 0;
    }
    CHECK(in.n >= 1 && in.n <= JF_MAX_STAGES && in.doc != NULL);
    int finite = 1;
    for (size_t s = 0; s < in.n; s++) {
        CHECK(in.names[s] != NULL && in.names[s][0] != '\0');
        CHECK(in.views[s].queue >= 0 && in.views[s].service_ns >= 0);
        finite &= !(in.measured[s] >= 0) || isfinite(in.measured[s]);
    }
    /* The prior of finite means is finite (no overflow in the sum). */
    if (finite)
        CHECK(isfinite(jf_policy_prior(in.measured, in.n)));
    for (size_t k = 0; k <= sizeof worker_counts / sizeof worker_counts[0]; k++) {
        unsigned workers = k < sizeof worker_counts / sizeof worker_counts[0]
                               ? worker_counts[k]
                               : (unsigned)(h % 1024);
        for (int p = 0; p < JF_POLICY_COUNT; p++) {
            unsigned alloc[JF_POLICY_MAX_STAGES], again[JF_POLICY_MAX_STAGES];
            double score = -1, score2 = -1;

            CHECK(jf_policy_allocate((jf_policy_t)p, in.views, in.n, workers, alloc, &score) == 0);
            check_allocation((jf_policy_t)p, in.views, in.n, workers, alloc, score);
            /* Pure: the same input gives the same answer. */
            CHECK(jf_policy_allocate((jf_policy_t)p, in.views, in.n, workers, again, &score2) == 0);
            CHECK(memcmp(alloc, again, in.n * sizeof alloc[0]) == 0);
            if (p == JF_POLICY_EXHAUSTIVE)
                check_optimal(in.views, in.n, workers, alloc);
            check_pick(in.views, in.n, alloc, h + (uint64_t)p * 7919u + k);
        }
    }
    /* Out-of-range arguments are refused, not read. */
    unsigned scratch[JF_POLICY_MAX_STAGES];
    CHECK(jf_policy_allocate(JF_POLICY_COUNT, in.views, in.n, 2, scratch, NULL) != 0);
    CHECK(jf_policy_allocate(JF_POLICY_DHONDT, in.views, 0, 2, scratch, NULL) != 0);
    bench_allocate_input_fini(&in);
    return 0;
}
