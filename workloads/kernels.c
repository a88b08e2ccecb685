/* kernels.c - the kernel table and the synthetic CPU and sleep kernels. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kernels.h"

/* CPU work worth the item's ns: a fixed number of iterations, not "until
 * the clock says ns passed", so a worker preempted mid-item still owes the
 * whole amount and oversubscription is not rewarded. The chain starts from
 * the seq, and the result is dropped: the payload stays as the source made
 * it, which lets the sink check it. */
static int kernel_spin(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;
    double ns = jf_workload_item_ns(k->w, k->stage, in->seq);

    jf__spin(jf__spin_iterations(ns, k->iter_per_ns), in->seq);
    return 0;
}

/* A testing kernel: spins like "spin", then fails (returns 1) on the item
 * whose seq is the stage's fail_at, so tests can inject a kernel failure at
 * a known place in a real run. */
static int kernel_fail(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;

    kernel_spin(ctx, in, out);
    return in->seq == k->w->stages[k->stage].fail_at ? 1 : 0;
}

/* Sleeps for the item's ns: the core is free meanwhile, like a stage waiting
 * on I/O. The real pause is longer by the timer slack (50 us by default on
 * Linux for ordinary threads) and the wake-up latency. */
static int kernel_sleep(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;
    double ns = jf_workload_item_ns(k->w, k->stage, in->seq);
    struct timespec left;

    if (!(ns >= 1.0))
        return 0;
    left.tv_sec = (time_t)(ns / 1e9);
    left.tv_nsec = (long)(ns - (double)left.tv_sec * 1e9);
    if (left.tv_nsec > 999999999)
        left.tv_nsec = 999999999;
    while (nanosleep(&left, &left) != 0)
        if (errno != EINTR)
            return 1;
    return 0;
}

static int init_spin(jf__kctx_t *k)
{
    k->iter_per_ns = jf_spin_calibrate();
    return 0;
}

static const jf__kernel_def_t kernels[] = {
    {"spin", kernel_spin, false, 0, 8, init_spin, NULL},
    {"sleep", kernel_sleep, true, 0, 8, NULL, NULL},
    {"memory", jf__kernel_memory, false, JF__KF_BYTES, 8, jf__kernel_memory_init,
     jf__kernel_memory_fini},
    /* The CRC goes in the last 4 bytes, which must not overlap the seq in
     * the first 8 that the sink checks. */
    {"checksum", jf__kernel_checksum, false, 0, 12, NULL, NULL},
    {"fail", kernel_fail, false, JF__KF_FAIL_AT, 8, init_spin, NULL},
};

#define NKERNELS (sizeof kernels / sizeof kernels[0])

const jf__kernel_def_t *jf__kernel_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < NKERNELS; i++)
        if (strcmp(kernels[i].name, name) == 0)
            return &kernels[i];
    return NULL;
}

void jf__kernel_names(char *buf, size_t cap)
{
    size_t used = 0;

    if (cap > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < NKERNELS && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", kernels[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
