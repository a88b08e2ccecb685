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
    double ns = workload_item_ns(k->w, k->stage, in->seq);

    jf__spin(jf__spin_iterations(ns, k->iter_per_ns), in->seq);
    return 0;
}

/* The fail kernel's verdict on item seq: 1 on the stage's fail_at. */
static int fail_at(const jf__kctx_t *k, uint64_t seq)
{
    return seq == k->w->stages[k->stage].fail_at ? 1 : 0;
}

/* A testing kernel: spins like "spin", then fails (returns 1) on the item
 * whose seq is the stage's fail_at, so tests can inject a kernel failure at
 * a known place in a real run, and in a simulated one (fail_at predicts it). */
static int kernel_fail(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    kernel_spin(ctx, in, out);
    return fail_at(ctx, in->seq);
}

/* Sleeps for the item's ns: the core is free meanwhile, like a stage waiting
 * on I/O. The real pause is longer by the timer slack (50 us by default on
 * Linux for ordinary threads) and the wake-up latency. */
static int kernel_sleep(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;
    double ns = workload_item_ns(k->w, k->stage, in->seq);
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
    k->iter_per_ns = workload_spin_calibrate();
    return 0;
}

/* Default ns of the real kernels (the simulator's estimate when a stage
 * gives none): the fastest of repeated calls on the development machine
 * (2 vCPUs of an AMD EPYC VM at 2.4 GHz; docs/workloads.md), with
 * payloads of item_bytes: json 4 us + 6.4 us per record + 14 ns per byte;
 * xml 4.2 us + 6 us per record + 14 ns per byte; checksum 0.55 ns per
 * byte. Other kernels default to 1000 ns. */
static const jf__kernel_def_t kernels[] = {
    {"spin", kernel_spin, false, 0, 8, init_spin, NULL, NULL, NULL, 1000, 0, 0, NULL},
    {"sleep", kernel_sleep, true, 0, 8, NULL, NULL, NULL, NULL, 1000, 0, 0, NULL},
    {"memory", jf__kernel_memory, false, WORKLOAD__KF_BYTES, 8, jf__kernel_memory_init,
     jf__kernel_memory_fini, NULL, NULL, 1000, 0, 0, NULL},
    /* The CRC goes in the last 4 bytes, which must not overlap the seq in
     * the first 8 that the sink checks. */
    {"checksum", jf__kernel_checksum, false, 0, 12, NULL, NULL, jf__model_checksum, NULL, 0, 0,
     0.55, NULL},
    /* The body must hold at least one word to carry through the document. */
    {"json", jf__kernel_json, false, WORKLOAD__KF_RECORDS, 16, NULL, NULL, jf__model_fold, NULL, 4000,
     6400, 14, NULL},
    {"xml", jf__kernel_xml, false, WORKLOAD__KF_RECORDS, 16, jf__kernel_xml_init, NULL, jf__model_fold,
     NULL, 4200, 6000, 14, NULL},
    {"fail", kernel_fail, false, WORKLOAD__KF_FAIL_AT, 8, init_spin, NULL, NULL, fail_at, 1000, 0, 0,
     NULL},
    /* The user's code: its cost is stated in the workload or measured at
     * load (ns_measured), never a default. */
    {"plugin", jf__kernel_plugin, false, WORKLOAD__KF_PLUGIN, 8, NULL, jf__kernel_plugin_fini, NULL,
     NULL, 0, 0, 0, jf__kernel_plugin_load},
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

uint32_t jf__kernel_records(const jf__kctx_t *k, uint64_t seq)
{
    const workload_stage_t *s = &k->w->stages[k->stage];
    double n;

    if (!(s->ns > 0.0))
        return s->records;
    n = (double)s->records * workload_item_ns(k->w, k->stage, seq) / s->ns + 0.5;
    return n >= (double)WORKLOAD__RECORDS_ITEM_MAX ? WORKLOAD__RECORDS_ITEM_MAX : (uint32_t)n;
}

double jf__kernel_default_ns(const jf__kernel_def_t *def, uint32_t records, uint32_t item_bytes)
{
    return def->ns_base + def->ns_per_record * records + def->ns_per_byte * item_bytes;
}
