/* bind.c - a workload's stages as runnable kernels, plus the source and sink hooks. */
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "jcheck.h"
#include "kernels.h"
#include "payload.h"

/* What b->priv holds: the workload for the hooks and one context per
 * stage. Written by workload_bind, read-only during a run. */
typedef struct binding {
    const workload_t *w;
    uint64_t payload_key; /* jf__payload_key_of(w->seed) */
    bool opaque;          /* a stage has no model: the check is of size and seq */
    jf__kctx_t stages[];
} binding_t;

/* Payloads up to this size are rebuilt on the checking thread's stack;
 * larger ones in a buffer of their own, allocated per item. */
#define CHECK_STACK_BYTES 4096u

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
 * wrong bytes, 4 = no memory for the rebuilt payload. Costs a replay of
 * the folds (~1 ns per byte per json or xml stage) and of the CRCs.
 * Reentrant: the engine calls it from every worker at once, outside the
 * sink's serial part (jf_check_fn). With a plugin stage (opaque) the body
 * cannot be rebuilt: size and seq are checked, the body is the plugin's. */
static int check(void *ctx, const jf_item_t *item)
{
    const binding_t *b = ctx;
    uint32_t n = b->w->item_bytes;
    unsigned char stack[CHECK_STACK_BYTES], *expect = stack;
    uint64_t seq;

    if (item->payload == NULL || item->bytes != n || n < WORKLOAD__PAYLOAD_HEAD)
        return 1;
    memcpy(&seq, item->payload, sizeof seq);
    if (seq != item->seq)
        return 2;
    if (b->opaque)
        return 0;
    if (n > sizeof stack && (expect = jf_calloc(n, 1)) == NULL)
        return 4;
    jf__payload_fill_keyed(b->payload_key, seq, expect, n);
    for (size_t i = 0; i < b->w->nstages; i++)
        if (b->stages[i].def->model != NULL)
            b->stages[i].def->model(&b->stages[i], seq, expect, n);
    int rc = memcmp(item->payload, expect, n) == 0 ? 0 : 3;
    if (expect != stack)
        jf_free(expect);
    return rc;
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
    b->check = check;
    b->check_ctx = bind;
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
    jf_free(bind);
    memset(b, 0, sizeof *b);
}
