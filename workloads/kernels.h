/* kernels.h - the stage kernels a workload can name, and their contexts (internal). */
#ifndef WORKLOADS_KERNELS_H
#define WORKLOADS_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "workload.h"

/* Optional stage fields a kernel accepts (jf__kernel_def_t.fields); the
 * loader rejects them on other kernels rather than silently ignore them. */
#define WORKLOAD__KF_BYTES (1u << 0)   /* "bytes" */
#define WORKLOAD__KF_FAIL_AT (1u << 1) /* "fail_at" */
#define WORKLOAD__KF_RECORDS (1u << 2) /* "records" */
#define WORKLOAD__KF_PLUGIN (1u << 3)  /* "library" and "symbol" (required), "arg" */

/* Default of "bytes" for the memory kernel: 1 MiB, bigger than most L2s. */
#define WORKLOAD__MEMORY_DEFAULT_BYTES (UINT64_C(1) << 20)
#define WORKLOAD__MEMORY_MAX_BYTES (UINT64_C(1) << 30)

/* "records" of the json and xml kernels: the stage's value, and what one
 * item may get after scaling by its drawn cost (jf__kernel_records). */
#define WORKLOAD__RECORDS_DEFAULT 4u
#define WORKLOAD__RECORDS_MAX 4096u
#define WORKLOAD__RECORDS_ITEM_MAX 65536u

/* What kernels return on failure (the engine reports the code with the
 * stage and the item's seq). */
#define WORKLOAD__KERR_PAYLOAD 1  /* payload missing or too small */
#define WORKLOAD__KERR_LIBRARY 2  /* cJSON or libxml2 failed (out of memory, or a parse error) */
#define WORKLOAD__KERR_MISMATCH 3 /* the document did not round-trip: data lost or altered */

struct jf__kernel_def;
struct jf__jctx;
struct jf__plugin;

/* Context of one bound stage. Written once by workload_bind, read-only
 * while a run calls the kernel from many threads (the memory kernel's
 * working set is the one shared scratch area, touched with relaxed atomics). */
typedef struct jf__kctx {
    const workload_t *w;
    const struct jf__kernel_def *def;
    size_t stage;
    double iter_per_ns;       /* spin iterations per ns, for spin-based kernels */
    _Atomic uint64_t *ws;     /* memory kernel: one word per 64-byte line */
    size_t ws_lines;
    struct jf__plugin *plugin; /* plugin kernel: the loaded stage (kernel_plugin.c) */
    bool opaque;              /* rewrites the payload with no model: the sink checks
                               * the seq alone */
    bool yields;              /* gives up the core, whatever def->yields says */
    double measured_ns;       /* per-item cost measured at bind, or 0 */
} jf__kctx_t;

/* What a real kernel does to the payload (p[0, n)) of item seq, as a cheap
 * function the sink replays to know what must arrive (payload.h). */
typedef void (*jf__model_fn)(const jf__kctx_t *k, uint64_t seq, unsigned char *p, uint32_t n);

/* One row of the kernel table. A new kernel adds a row (and a file). */
typedef struct jf__kernel_def {
    const char *name;
    jf_kernel_fn fn;
    bool yields;               /* gives up the core while working */
    unsigned fields;           /* JF__KF_* it accepts */
    uint32_t min_item_bytes;   /* payload it needs; the loader checks item_bytes */
    int (*init)(jf__kctx_t *k);   /* NULL: nothing to prepare; returns 0 or JF_E* */
    void (*fini)(jf__kctx_t *k);  /* NULL: nothing to free; must accept a failed init */
    jf__model_fn model;        /* NULL: leaves the payload alone */
    /* What fn returns for item seq when the seq alone decides it, for the
     * simulator (workload_item_fails); NULL: the kernel fails only when
     * out of memory or on a bug, which no model predicts. */
    int (*fails)(const jf__kctx_t *k, uint64_t seq);
    /* Default "ns" when a stage gives none: base + per_record * records +
     * per_byte * item_bytes. For real kernels it is an estimate measured on
     * the development machine (docs/workloads.md), for the simulator. */
    double ns_base, ns_per_record, ns_per_byte;
    /* NULL, or prepares the stage in place of init when what can go wrong
     * needs explaining (the plugin kernel: which file, symbol or version):
     * returns 0, or JF_E* with the message written through c for the
     * stage at JSON path `path`. fini must accept a failed load. */
    int (*load)(jf__kctx_t *k, const struct jf__jctx *c, const char *path);
} jf__kernel_def_t;

/* The kernel called `name`, or NULL. Thread-safe. */
const jf__kernel_def_t *jf__kernel_find(const char *name);

/* Writes "spin, sleep, ...", the kernel names in table order, into buf
 * (truncated to cap bytes), for messages. */
void jf__kernel_names(char *buf, size_t cap);

/* Runs `iterations` steps of a dependent xorshift chain started from x and
 * returns the result. The compiler can neither skip nor merge steps, so the
 * cost is the iteration count times a constant. */
uint64_t jf__spin(uint64_t iterations, uint64_t x);

/* Spin iterations for ns nanoseconds at rate iter_per_ns (rounded). */
uint64_t jf__spin_iterations(double ns, double iter_per_ns);

/* Records of the json or xml document of item seq: the stage's "records"
 * scaled by the item's drawn cost over the stage's ns (so distributions and
 * phases work on real kernels too), rounded, at most WORKLOAD__RECORDS_ITEM_MAX;
 * the stage's "records" unchanged when its ns is 0. */
uint32_t jf__kernel_records(const jf__kctx_t *k, uint64_t seq);

/* Default ns of a stage running def with `records` in items of item_bytes. */
double jf__kernel_default_ns(const jf__kernel_def_t *def, uint32_t records, uint32_t item_bytes);

/* Kernels outside kernels.c. */
int jf__kernel_memory(void *ctx, const jf_item_t *in, jf_item_t *out);
int jf__kernel_memory_init(jf__kctx_t *k);
void jf__kernel_memory_fini(jf__kctx_t *k);
int jf__kernel_checksum(void *ctx, const jf_item_t *in, jf_item_t *out);
void jf__model_checksum(const jf__kctx_t *k, uint64_t seq, unsigned char *p, uint32_t n);
int jf__kernel_json(void *ctx, const jf_item_t *in, jf_item_t *out);
int jf__kernel_xml(void *ctx, const jf_item_t *in, jf_item_t *out);
int jf__kernel_xml_init(jf__kctx_t *k);
/* The model of json and xml: jf__payload_fold of the body. */
void jf__model_fold(const jf__kctx_t *k, uint64_t seq, unsigned char *p, uint32_t n);

int jf__kernel_plugin(void *ctx, const jf_item_t *in, jf_item_t *out);
int jf__kernel_plugin_load(jf__kctx_t *k, const struct jf__jctx *c, const char *path);
void jf__kernel_plugin_fini(jf__kctx_t *k);

/* CRC-32 (IEEE 802.3, as zlib's crc32) of n bytes. Thread-safe. */
uint32_t jf__crc32(const void *data, size_t n);

#endif /* WORKLOADS_KERNELS_H */
