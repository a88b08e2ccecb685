/* stats.h - summary statistics of repeated measurements (nanoseconds). */
#ifndef JF_STATS_H
#define JF_STATS_H

#include <stddef.h>
#include <stdint.h>

typedef struct jf_stats {
    size_t n;
    uint64_t min;
    uint64_t max;
    double median;  /* mean of the two middle samples when n is even */
    double mean;
    double stddev;  /* sample standard deviation (n - 1); 0 when n == 1 */
} jf_stats_t;

/* Fills *out with the statistics of samples[0..n-1]; samples is not
 * modified. Returns 0, JF_EINVAL when n == 0 (then *out is zeroed), or
 * JF_ENOMEM. Pure: thread-safe. */
int jf_stats_compute(const uint64_t *samples, size_t n, jf_stats_t *out);

/* Index of the median sample: the one whose value is the median for odd n,
 * the lower of the two middle ones for even n; ties go to the earliest
 * index. Returns 0 for n == 0. Pure, allocates nothing. */
size_t jf_stats_median_index(const uint64_t *samples, size_t n);

#endif /* JF_STATS_H */
