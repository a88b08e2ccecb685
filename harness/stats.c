/* stats.c - median, spread, confidence interval and outliers of samples. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jefferson/error.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

_Static_assert(BENCH_STATS_CI_PERCENT == 95, "t975 is the quantile of a 95% interval");

/* t(0.975, df) for df = 1..30. */
static const double t975[30] = {
    12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
    2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
    2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
    2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
    2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
};

double bench_stats_t975(size_t df)
{
    if (df == 0)
        return 0.0;
    if (df <= 30)
        return t975[df - 1];
    /* Cornish-Fisher: t = z + g1/v + g2/v^2 + g3/v^3 (Abramowitz & Stegun
     * 26.7.5), z the normal 0.975 quantile. Error under 2e-6 for v > 30. */
    const double z = 1.959963984540054, v = (double)df;
    double z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2;
    double g1 = (z3 + z) / 4.0;
    double g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    double g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    return z + g1 / v + g2 / (v * v) + g3 / (v * v * v);
}

/* Type 7 quantile of sorted[0..n-1] at probability p. */
static double quantile(const uint64_t *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;

    return (double)sorted[lo] + (h - (double)lo) * ((double)sorted[hi] - (double)sorted[lo]);
}

/* Mean and standard deviation in two passes: the deviations are small next
 * to the values, so summing them separately keeps the precision a one-pass
 * formula would lose. */
static void moments(const uint64_t *sorted, size_t n, bench_stats_t *out)
{
    double sum = 0.0, sq = 0.0;

    for (size_t i = 0; i < n; i++)
        sum += (double)sorted[i];
    out->mean = sum / (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = (double)sorted[i] - out->mean;
        sq += d * d;
    }
    out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0.0;
    out->cv = n > 1 && out->mean > 0.0 ? out->stddev / out->mean : 0.0;
    out->has_ci = n > 1;
    double half = n > 1 ? bench_stats_t975(n - 1) * out->stddev / sqrt((double)n) : 0.0;
    out->ci95_low = out->mean - half;
    out->ci95_high = out->mean + half;
}

static void spread(const uint64_t *sorted, size_t n, bench_stats_t *out)
{
    out->q1 = quantile(sorted, n, 0.25);
    out->q3 = quantile(sorted, n, 0.75);
    if (n < BENCH_STATS_OUTLIER_MIN_N)
        return;
    double iqr = out->q3 - out->q1;
    double low = out->q1 - 1.5 * iqr, high = out->q3 + 1.5 * iqr;
    for (size_t i = 0; i < n; i++) {
        out->outliers_low += (double)sorted[i] < low;
        out->outliers_high += (double)sorted[i] > high;
    }
}

int bench_stats_compute(const uint64_t *samples, size_t n, bench_stats_t *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return JF_EINVAL;
    uint64_t *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return JF_ENOMEM;
    memcpy(sorted, samples, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_u64);

    out->n = n;
    out->min = sorted[0];
    out->max = sorted[n - 1];
    if (n % 2)
        out->median = (double)sorted[n / 2];
    else
        out->median = ((double)sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2.0;
    moments(sorted, n, out);
    spread(sorted, n, out);
    free(sorted);
    return 0;
}

size_t bench_stats_median_index(const uint64_t *samples, size_t n)
{
    /* Rank of the wanted sample in sorted order; ties are ranked by index
     * so exactly one sample has each rank. O(n^2), n is a repeat count. */
    size_t want = n ? (n - 1) / 2 : 0;

    for (size_t i = 0; i < n; i++) {
        size_t rank = 0;
        for (size_t j = 0; j < n; j++)
            if (samples[j] < samples[i] || (samples[j] == samples[i] && j < i))
                rank++;
        if (rank == want)
            return i;
    }
    return 0;
}
