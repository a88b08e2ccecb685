/* slow.c - the test-only slow scheduler: extra CPU per decision of the scheduled strategy. */
#include "slow.h"

#include <stdlib.h>
#include <string.h>

bool bench_slow_requested(void)
{
    const char *v = getenv("JF_TEST_SLOW_POLICY");

    return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

/* The spin kernel's unit of work (workloads/spin.c): a dependent xorshift
 * chain the compiler cannot shorten, so workload_spin_calibrate's rate holds. */
static uint64_t spin(uint64_t iterations, uint64_t x)
{
    x |= 1;
    for (uint64_t i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        __asm__ volatile("" : "+r"(x));
    }
    return x;
}

static int slow_kernel(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const bench_slow_stage_t *st = ctx;
    int rc = st->fn(st->ctx, in, out);

    if (rc == 0 && in->seq % st->batch == 0)
        (void)spin(st->iterations, in->seq);
    return rc;
}

void bench_slow_init(bench_slow_t *slow, const jf_stage_spec_t *specs, size_t n,
                  const workload_t *w, unsigned batch)
{
    double iter_per_ns = workload_spin_calibrate();

    memset(slow, 0, sizeof *slow);
    slow->nstages = n;
    slow->workload = w;
    slow->batch = batch ? batch : 1;
    for (size_t i = 0; i < n && i < JF_MAX_STAGES; i++) {
        slow->stages[i] = (bench_slow_stage_t){
            .fn = specs[i].fn, .ctx = specs[i].ctx, .batch = slow->batch,
            .iterations = (uint64_t)(BENCH_SLOW_DECISION_NS * iter_per_ns + 0.5),
        };
        slow->specs[i] = specs[i];
        slow->specs[i].fn = slow_kernel;
        slow->specs[i].ctx = &slow->stages[i];
    }
}

double bench_slow_cost(void *ctx, size_t stage, uint64_t seq)
{
    const bench_slow_t *slow = ctx;
    double ns = workload_item_ns(slow->workload, stage, seq);

    return seq % slow->batch == 0 ? ns + BENCH_SLOW_DECISION_NS : ns;
}
