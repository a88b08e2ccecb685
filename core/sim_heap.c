/* sim_heap.c - binary min-heap of timed events, ties broken by a fixed key. */
#include "sim_heap.h"

#include <string.h>

#include "jf_alloc.h"
#include "jefferson/error.h"

static bool before(const jf__sim_event_t *a, const jf__sim_event_t *b)
{
    return a->t < b->t || (a->t == b->t && a->order < b->order);
}

static int grow(jf__sim_heap_t *h)
{
    size_t cap = h->cap ? 2 * h->cap : 16;
    jf__sim_event_t *v = jf_calloc(cap, sizeof(*v));

    if (v == NULL)
        return JF_ENOMEM;
    if (h->n)
        memcpy(v, h->v, h->n * sizeof(*v));
    jf_free(h->v);
    h->v = v;
    h->cap = cap;
    return 0;
}

int jf__sim_heap_push(jf__sim_heap_t *h, jf__sim_event_t e)
{
    if (h->n == h->cap && grow(h) != 0)
        return JF_ENOMEM;
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &h->v[parent]))
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = e;
    return 0;
}

bool jf__sim_heap_pop(jf__sim_heap_t *h, jf__sim_event_t *out)
{
    if (h->n == 0)
        return false;
    *out = h->v[0];
    jf__sim_event_t last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && before(&h->v[c + 1], &h->v[c]))
            c++;
        if (!before(&h->v[c], &last))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n > 0)
        h->v[i] = last;
    return true;
}

const jf__sim_event_t *jf__sim_heap_top(const jf__sim_heap_t *h)
{
    return h->n ? &h->v[0] : NULL;
}

void jf__sim_heap_fini(jf__sim_heap_t *h)
{
    jf_free(h->v);
    memset(h, 0, sizeof(*h));
}
