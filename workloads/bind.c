/* bind.c - a workload's stages as runnable kernels, plus the source and sink hooks. */
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "jcheck.h"
#include "kernels.h"
#include "payload.h"

/* What b->priv holds: the workload for the hooks, the sink's scratch
 * payload and one context per stage. Written by workload_bind; during a
 * run only the sink writes (scratch), one item at a time. */
typedef struct binding {
    const workload_t *w;
    uint64_t payload_key;  /* jf__payload_key_of(w->seed) */
    unsigned char *expect; /* item_bytes: the payload the sink expects */
    bool opaque;           /* a stage has no model: the sink checks size and seq */
    jf__kctx_t stages[];
} binding_t;

/* Payload: the seq in the first 8 bytes (host order), then bytes drawn from
 * (seed, seq), so every run of a workload carries the same data whatever the
 * strategy (payload.h). Fails (returns 1) on a payload too small for the seq. */
static int source(void *ctx, jf_item_t *item)
{
    const binding_t *b = ctx;

    if (item->payload == NULL || item->bytes < WORKLOAD__PAYLOAD_HEAD)
        return 1;
    jf__payload_fill_keyed(b->payload_key, item->seq, item->payload, item->bytes);
    item->used = item->bytes;
    return 0;
}

/* Rebuilds what item seq must look like after the last stage, from (seed,
 * seq) alone: the source's bytes, then the model of every real kernel in
 * stage order (payload.h), and compares every byte. A payload of another
 * item, one damaged on the way, or one that skipped, repeated or reordered
 * a real stage fails the run here: 1 = wrong size, 2 = wrong seq, 3 =
 * wrong bytes. Costs the sink a replay of the folds (~1 ns per byte per
 * json or xml stage) and of the CRCs; not reentrant (scratch buffer).
 * With a plugin stage (opaque) the body cannot be rebuilt: size and seq
 * are checked, the body is the plugin's. */
static int sink(void *ctx, const jf_item_t *item)
{
    binding_t *b = ctx;
    uint32_t n = b->w->item_bytes;
    uint64_t seq;

    if (item->payload == NULL || item->bytes != n || n < WORKLOAD__PAYLOAD_HEAD)
        return 1;
    memcpy(&seq, item->payload, sizeof seq);
    if (seq != item->seq)
        return 2;
    if (b->opaque)
        return 0;
    jf__payload_fill_keyed(b->payload_key, seq, b->expect, n);
    for (size_t i = 0; i < b->w->nstages; i++)
        if (b->stages[i].def->model != NULL)
            b->stages[i].def->model(&b->stages[i], seq, b->expect, n);
    return memcmp(item->payload, b->expect, n) == 0 ? 0 : 3;
}

int workload_bind(const workload_t *w, workload_binding_t *b,
                     char err[WORKLOAD_ERR_MAX])
{
    char path[WORKLOAD__PATH_MAX], elem[WORKLOAD__PATH_MAX], scratch[WORKLOAD_ERR_MAX];
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
    bind->payload_key = jf__payload_key_of(w->seed);
    b->priv = bind;
    if ((bind->expect = jf_calloc(w->item_bytes > 0 ? w->item_bytes : 1, 1)) == NULL) {
        rc = jf__jfail(&c, JF_ENOMEM, NULL, "out of memory");
        goto err;
    }
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
        if (def->load != NULL && (rc = def->load(k, &c, jf__jindex(elem, "stages", i))) != 0)
            goto err;
        if (def->load == NULL && def->init != NULL && (rc = def->init(k)) != 0) {
            jf__jfail(&c, rc, path, "cannot prepare the %s kernel: %s", def->name,
                      jf_strerror(rc));
            goto err;
        }
        bind->opaque |= k->opaque;
        b->specs[i] = (jf_stage_spec_t){w->stages[i].name, def->fn, k, def->yields || k->yields};
    }
    b->source = source;
    b->source_ctx = bind;
    b->sink = sink;
    b->sink_ctx = bind;
    return 0;
err:
    workload_unbind(b);
    return rc;
}

int workload_item_fails(const workload_binding_t *b, size_t stage, uint64_t seq)
{
    const binding_t *bind = b != NULL ? b->priv : NULL;
    const jf__kctx_t *k;

    if (bind == NULL || stage >= b->nstages)
        return 0;
    k = &bind->stages[stage];
    return k->def->fails != NULL ? k->def->fails(k, seq) : 0;
}

size_t workload_adopt_costs(workload_t *w, const workload_binding_t *b)
{
    const binding_t *bind = b != NULL ? b->priv : NULL;
    size_t n = 0;

    for (size_t i = 0; w != NULL && bind != NULL && i < b->nstages && i < w->nstages; i++) {
        if (!w->stages[i].ns_measured || !(bind->stages[i].measured_ns > 0.0))
            continue;
        w->stages[i].ns = bind->stages[i].measured_ns;
        n++;
    }
    return n;
}

void workload_unbind(workload_binding_t *b)
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
    if (bind != NULL)
        jf_free(bind->expect);
    jf_free(bind);
    memset(b, 0, sizeof *b);
}
