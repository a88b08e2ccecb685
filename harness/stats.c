/* stats.c - median, extremes, mean and standard deviation of samples. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/jf_error.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int jf_stats_compute(const uint64_t *samples, size_t n, jf_stats_t *out)
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

    /* Two passes: the deviations are small next to the values, so summing
     * them separately keeps the precision a one-pass formula would lose. */
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += (double)sorted[i];
    out->mean = sum / (double)n;
    double sq = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)sorted[i] - out->mean;
        sq += d * d;
    }
    out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0.0;
    free(sorted);
    return 0;
}

size_t jf_stats_median_index(const uint64_t *samples, size_t n)
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
