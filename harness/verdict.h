/* verdict.h - which of a run's two fastest strategies is faster, and whether measurably. */
#ifndef BENCH_VERDICT_H
#define BENCH_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "viz/jf_viz_report.h"

/* One strategy's measured repetitions. */
typedef struct bench_verdict_run {
    const char *strategy;
    const uint64_t *samples_ns;
    size_t n;                  /* 0: not ranked */
} bench_verdict_run_t;

/* The verdict between the two strategies with the lowest mean wall time
 * (ties to the earlier), in the manner of hyperfine: ratio = slow's mean /
 * fast's mean, ratio_sd = ratio * sqrt((s_f/m_f)^2 + (s_s/m_s)^2), the
 * first-order propagation of the two standard deviations. FASTER when the
 * 95% confidence intervals of the two means (Student t, as result.json's
 * ci95) do not overlap, NO_DIFFERENCE when they do, ONE_REPETITION when
 * either has one sample. Returns 0 (*out kind NONE when fewer than two
 * runs have samples) or JF_ENOMEM. Pure: thread-safe. */
int bench_verdict_compute(const bench_verdict_run_t *runs, size_t n, jf_viz_verdict_t *out);

#endif /* BENCH_VERDICT_H */
