/* stats.h - summary statistics of repeated measurements (nanoseconds). */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What docs/results.md documents as the "wall_ns" object. */
typedef struct bench_stats {
    size_t n;
    uint64_t min;
    uint64_t max;
    double median;  /* mean of the two middle samples when n is even */
    double mean;
    double stddev;  /* sample standard deviation (n - 1); 0 when n == 1 */
    double cv;      /* coefficient of variation stddev / mean; 0 when n == 1 or mean == 0 */
    bool has_ci;    /* n >= 2: ci95_low and ci95_high are meaningful */
    double ci95_low, ci95_high; /* 95% CI of the mean: mean -+ t(0.975, n-1) s / sqrt(n) */
    double q1, q3;  /* quartiles: linear interpolation between order statistics
                     * at rank (n - 1) p, p = 1/4, 3/4 (Hyndman-Fan type 7) */
    size_t outliers_low, outliers_high; /* samples below q1 - 1.5 IQR / above
                                         * q3 + 1.5 IQR (Tukey); 0 when n < 4 */
} bench_stats_t;

/* Level of the mean's interval (ci95_low, ci95_high) in percent, for the
 * headers that name it: the interval uses bench_stats_t975, the two-sided
 * quantile of exactly this level. */
#define BENCH_STATS_CI_PERCENT 95

/* Fewest samples for which outliers are counted: with three, quartiles
 * say nothing about a single odd sample. */
#define BENCH_STATS_OUTLIER_MIN_N 4

/* Fills *out with the statistics of samples[0..n-1]; samples is not
 * modified. Returns 0, JF_EINVAL when n == 0 (then *out is zeroed), or
 * JF_ENOMEM. Pure: thread-safe. */
int bench_stats_compute(const uint64_t *samples, size_t n, bench_stats_t *out);

/* The 0.975 quantile of Student's t distribution with df >= 1 degrees of
 * freedom: exact to 9 digits for df <= 30 (a table), within 2e-6 above
 * (Cornish-Fisher expansion around the normal quantile). 0 for df == 0. */
double bench_stats_t975(size_t df);

/* Index of the median sample: the one whose value is the median for odd n,
 * the lower of the two middle ones for even n; ties go to the earliest
 * index. Returns 0 for n == 0. Pure, allocates nothing. */
size_t bench_stats_median_index(const uint64_t *samples, size_t n);

#endif /* BENCH_STATS_H */
