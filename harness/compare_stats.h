/* compare_stats.h - distribution-free tests of two samples: Mann-Whitney U, Hodges-Lehmann. */
#ifndef BENCH_COMPARE_STATS_H
#define BENCH_COMPARE_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Largest n + m for which p-values and interval ranks are exact (counted
 * over every split of the pooled samples); above it the normal
 * approximation is used. C(40, 20) ~ 1.4e11 is still exact in a double. */
#define BENCH_MWU_EXACT_MAX 40

/* Largest n * m for which the Hodges-Lehmann interval is computed (it
 * sorts all n * m pairwise differences). */
#define BENCH_HL_MAX_PAIRS 4000000u

/* The Mann-Whitney U test of samples a (n) against b (m). */
typedef struct bench_mwu {
    double u;      /* U of b: pairs (a_i, b_j) with b_j > a_i, ties counting 1/2 */
    double p;      /* two-sided p-value of "a and b come from one distribution" */
    double min_p;  /* the smallest p any data could give with these n and m
                    * (2 / C(n + m, n) without ties): when it is not below the
                    * significance level, no difference can be shown */
    bool exact;    /* p is exact (n + m <= BENCH_MWU_EXACT_MAX), else normal
                    * approximation with tie and continuity corrections */
} bench_mwu_t;

/* Tests a[0..n-1] against b[0..m-1] (n, m >= 1), with ties handled by
 * midranks (exactly: the permutation distribution given the ties). Fills
 * *out. Returns 0, JF_EINVAL for an empty sample or JF_ENOMEM. Pure. */
int bench_mwu_test(const double *a, size_t n, const double *b, size_t m, bench_mwu_t *out);

/* The Hodges-Lehmann estimate of the ratio b / a (the median over all
 * pairs of b_j / a_i, i.e. the shift of the logarithms) with Moses'
 * distribution-free confidence interval at level `conf` (e.g. 0.95): the
 * k-th smallest and largest pairwise ratios, k from the null distribution
 * of U. With too few samples for that level the interval is [min, max] of
 * the ratios and *level says the coverage it has (e.g. 0.90 for 3 and 3).
 * Values <= 0 count as 1. Returns 0, JF_EINVAL (an empty sample or more
 * than BENCH_HL_MAX_PAIRS pairs) or JF_ENOMEM. Pure. */
int bench_hl_ratio(const double *a, size_t n, const double *b, size_t m, double conf,
                double *estimate, double *low, double *high, double *level);

/* The median of v[0..n-1] (n >= 1; mean of the middle two for even n),
 * without modifying v. Returns NAN when n == 0 or out of memory. */
double bench_cmp_median(const double *v, size_t n);

#endif /* BENCH_COMPARE_STATS_H */
