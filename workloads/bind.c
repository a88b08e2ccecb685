/* bind.c - a workload's stages as runnable kernels, plus the source and sink hooks. */
#include <string.h>

#include "../core/jf_alloc.h"
#include "../core/jf_error.h"
#include "hash.h"
#include "jcheck.h"
#include "kernels.h"

/* What b->priv holds: the workload for the hooks and one context per stage.
 * Written by jf_workload_bind only; read-only during the run. */
typedef struct binding {
    const jf_workload_t *w;
    jf__kctx_t stages[];
} binding_t;

/* Payload: the seq in the first 8 bytes (host order), then bytes drawn from
 * (seed, seq), so every run of a workload carries the same data whatever the
 * strategy. Fails (returns 1) on a payload too small for the seq. */
static int source(void *ctx, jf_item_t *item)
{
    const binding_t *b = ctx;
    unsigned char *p = item->payload;
    uint64_t base;

    if (p == NULL || item->bytes < sizeof item->seq)
        return 1;
    memcpy(p, &item->seq, sizeof item->seq);
    base = jf__hash3(b->w->seed, JF__STREAM_PAYLOAD, item->seq);
    for (uint32_t off = 8, k = 0; off < item->bytes; off += 8, k++) {
        uint64_t word = jf__mix64(base + k);
        uint32_t n = item->bytes - off < 8 ? item->bytes - off : 8;

        memcpy(p + off, &word, n);
    }
    item->used = item->bytes;
    return 0;
}

/* Checks that the seq stamped by the source survived every stage: a kernel
 * that wrote past its share of the payload, or an engine that paired a seq
 * with another item's buffer, fails the run here (returns 1). */
static int sink(void *ctx, const jf_item_t *item)
{
    uint64_t seq;

    if (item->payload == NULL || item->bytes < sizeof seq)
        return 1;
    memcpy(&seq, item->payload, sizeof seq);
    return seq == item->seq ? 0 : 1;
}

int jf_workload_bind(const jf_workload_t *w, jf_workload_binding_t *b,
                     char err[JF_WORKLOAD_ERR_MAX])
{
    char path[JF__PATH_MAX], elem[JF__PATH_MAX], scratch[JF_WORKLOAD_ERR_MAX];
    jf__jctx_t c = {w != NULL && w->source != NULL ? w->source : "<workload>",
                    err != NULL ? err : scratch};
    binding_t *bind;
    int rc;

    c.err[0] = '\0';
    if (b == NULL)
        return jf__jfail(&c, JF_EINVAL, NULL, "no binding to fill");
    memset(b, 0, sizeof *b);
    if (w == NULL || w->nstages < 1 || w->nstages > JF_MAX_STAGES || w->stages == NULL)
        return jf__jfail(&c, JF_EINVAL, "stages", "expected 1 to %d stages", JF_MAX_STAGES);
    bind = jf_calloc(1, sizeof *bind + w->nstages * sizeof bind->stages[0]);
    if (bind == NULL)
        return jf__jfail(&c, JF_ENOMEM, NULL, "out of memory");
    bind->w = w;
    b->priv = bind;
    b->nstages = w->nstages;
    for (size_t i = 0; i < w->nstages; i++) {
        jf__kctx_t *k = &bind->stages[i];
        const jf__kernel_def_t *def = jf__kernel_find(w->stages[i].kernel);

        jf__jpath(path, jf__jindex(elem, "stages", i), "kernel");
        if (def == NULL) {
            rc = jf__jfail(&c, JF_EINVAL, path, "unknown kernel \"%.64s\"",
                           w->stages[i].kernel ? w->stages[i].kernel : "(null)");
            goto err;
        }
        k->w = w;
        k->stage = i;
        k->def = def; /* set before init: unbind finalises what has a def */
        if (def->init != NULL && (rc = def->init(k)) != 0) {
            jf__jfail(&c, rc, path, "cannot prepare the %s kernel: %s", def->name,
                      jf_strerror(rc));
            goto err;
        }
        b->specs[i] = (jf_stage_spec_t){w->stages[i].name, def->fn, k, def->yields};
    }
    b->source = source;
    b->source_ctx = bind;
    b->sink = sink;
    b->sink_ctx = bind;
    return 0;
err:
    jf_workload_unbind(b);
    return rc;
}

void jf_workload_unbind(jf_workload_binding_t *b)
{
    binding_t *bind;

    if (b == NULL)
        return;
    bind = b->priv;
    for (size_t i = 0; bind != NULL && i < b->nstages; i++) {
        jf__kctx_t *k = &bind->stages[i];

        if (k->def != NULL && k->def->fini != NULL)
            k->def->fini(k);
    }
    jf_free(bind);
    memset(b, 0, sizeof *b);
}
