/* kernel_plugin.c - the plugin kernel: a user's stage loaded from a shared library. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/jf_alloc.h"
#include "../core/jf_clock.h"
#include "jefferson/error.h"
#include "../include/jefferson/plugin.h"
#include "jcheck.h"
#include "kernels.h"
#include "payload.h"

/* Items process is timed on at load when the stage states no "ns", and
 * the time after which measuring stops early (a slow stage is measured on
 * fewer items rather than hold up the start for long). */
#define MEASURE_ITEMS 16
#define MEASURE_BUDGET_NS 200000000ull

/* One loaded stage: k->plugin of a plugin kctx. */
typedef struct jf__plugin {
    void *handle;                   /* dlopen's, NULL once closed */
    const jf_plugin_stage_t *stage; /* inside the library */
    void *state;                    /* what init set */
    int inited;                     /* init succeeded: fini is owed */
} jf__plugin_t;

/* Calls the stage's process on the payload's body: the 8-byte header that
 * carries the seq stays bench's, so a plugin cannot break the sink's check
 * of it. out already holds in's payload. */
int jf__kernel_plugin(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;
    const jf__plugin_t *p = k->plugin;
    jf_plugin_item_t item;

    (void)in;
    if (out->payload == NULL || out->bytes < WORKLOAD__PAYLOAD_HEAD)
        return WORKLOAD__KERR_PAYLOAD;
    item.seq = out->seq;
    item.data = (unsigned char *)out->payload + WORKLOAD__PAYLOAD_HEAD;
    item.size = out->bytes - WORKLOAD__PAYLOAD_HEAD;
    return p->stage->process(p->state, &item);
}

/* The library's path: as given when absolute, else relative to the
 * directory of the workload file (source), so a workload and its plugin
 * can move together. Returns 0, or -1 when it does not fit in buf. */
static int resolve(const char *source, const char *library, char *buf, size_t cap)
{
    const char *slash = source != NULL ? strrchr(source, '/') : NULL;
    int dir = slash != NULL ? (int)(slash - source + 1) : 0;
    int n;

    if (library[0] == '/')
        dir = 0;
    n = snprintf(buf, cap, "%.*s%s", dir, dir ? source : "", library);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

/* Opens the library and finds its stage; the message names the field at
 * fault. A missing file is told apart from one dlopen refuses. */
static int open_stage(jf__plugin_t *p, const workload_stage_t *s, const char *source,
                      const jf__jctx_t *c, const char *path)
{
    char at[WORKLOAD__PATH_MAX], file[4096];
    struct stat st;

    jf__jpath(at, path, "library");
    if (resolve(source, s->library, file, sizeof file) != 0)
        return jf__jfail(c, JF_EINVAL, at, "path too long");
    if (stat(file, &st) != 0) /* strerror: binding comes before any thread */
        return jf__jfail(c, JF_EINVAL, at, "cannot load \"%s\": %s: %s", s->library, file,
                         strerror(errno));
    if ((p->handle = dlopen(file, RTLD_NOW | RTLD_LOCAL)) == NULL)
        return jf__jfail(c, JF_EINVAL, at, "cannot load \"%s\": %s", s->library, dlerror());
    jf__jpath(at, path, "symbol");
    (void)dlerror();
    if ((p->stage = dlsym(p->handle, s->symbol)) == NULL)
        return jf__jfail(c, JF_EINVAL, at, "no symbol \"%s\" in \"%s\"", s->symbol, s->library);
    if (p->stage->abi_version != JF_PLUGIN_ABI_VERSION)
        return jf__jfail(c, JF_EINVAL, at,
                         "\"%s\" is built for plugin ABI version %u, this bench loads version "
                         "%u (rebuild it against jefferson/plugin.h)",
                         s->symbol, (unsigned)p->stage->abi_version, JF_PLUGIN_ABI_VERSION);
    if (p->stage->process == NULL)
        return jf__jfail(c, JF_EINVAL, at, "\"%s\" has no process function", s->symbol);
    return 0;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

/* The median time of process over the first items of the workload (one
 * untimed call first, to fault in the library's code), on a scratch
 * payload the source's way: the cost --sim uses when none is stated. */
static int measure(jf__kctx_t *k, const jf__jctx_t *c, const char *path)
{
    const workload_t *w = k->w;
    const jf__plugin_t *p = k->plugin;
    uint64_t t[MEASURE_ITEMS], start = jf_clock_ns(), n = 0;
    unsigned char *buf = jf_calloc(w->item_bytes, 1);
    char at[WORKLOAD__PATH_MAX];
    int rc = 0;

    if (buf == NULL)
        return jf__jfail(c, JF_ENOMEM, NULL, "out of memory");
    for (uint64_t i = 0; i <= MEASURE_ITEMS && i <= w->items && rc == 0; i++) {
        uint64_t seq = i == 0 ? 0 : i - 1, t0;
        jf_plugin_item_t item = {seq, buf + WORKLOAD__PAYLOAD_HEAD, w->item_bytes - WORKLOAD__PAYLOAD_HEAD};

        jf__payload_fill(w->seed, seq, buf, w->item_bytes);
        t0 = jf_clock_ns();
        rc = p->stage->process(p->state, &item);
        if (i > 0)
            t[n++] = jf_clock_ns() - t0;
        if (n > 0 && jf_clock_ns() - start > MEASURE_BUDGET_NS)
            break;
    }
    jf_free(buf);
    if (rc != 0)
        return jf__jfail(c, JF_EINVAL, jf__jpath(at, path, "symbol"),
                         "\"%s\" failed (code %d) on an item it was timed on, as the stage "
                         "states no \"ns\"",
                         w->stages[k->stage].symbol, rc);
    qsort(t, (size_t)n, sizeof t[0], compare_u64);
    k->measured_ns = n > 0 && t[n / 2] > 0 ? (double)t[n / 2] : 1.0;
    return 0;
}

int jf__kernel_plugin_load(jf__kctx_t *k, const jf__jctx_t *c, const char *path)
{
    const workload_stage_t *s = &k->w->stages[k->stage];
    jf__plugin_t *p = jf_calloc(1, sizeof *p);
    char at[WORKLOAD__PATH_MAX];
    int rc;

    if (p == NULL)
        return jf__jfail(c, JF_ENOMEM, NULL, "out of memory");
    k->plugin = p;
    k->opaque = true;
    if ((rc = open_stage(p, s, k->w->source, c, path)) != 0)
        return rc;
    k->yields = (p->stage->flags & JF_PLUGIN_YIELDS) != 0;
    if (p->stage->init != NULL &&
        (rc = p->stage->init(&p->state, s->arg != NULL ? s->arg : "")) != 0) {
        jf__jpath(at, path, s->arg != NULL && s->arg[0] ? "arg" : "symbol");
        return jf__jfail(c, JF_EINVAL, at, "\"%s\" refused to start: its init returned %d",
                         s->symbol, rc);
    }
    p->inited = 1;
    return s->ns_measured ? measure(k, c, path) : 0;
}

void jf__kernel_plugin_fini(jf__kctx_t *k)
{
    jf__plugin_t *p = k->plugin;

    if (p == NULL)
        return;
    if (p->inited && p->stage->fini != NULL)
        p->stage->fini(p->state);
    if (p->handle != NULL)
        dlclose(p->handle);
    jf_free(p);
    k->plugin = NULL;
}
