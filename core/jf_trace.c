/* jf_trace.c - ownership of finished traces. */
#include "jefferson/trace.h"

#include <string.h>

#include "jf_alloc.h"
#include "trace_build.h"

void jf_trace_destroy(jf_trace_t *trace)
{
    if (trace == NULL)
        return;
    for (size_t i = 0; i < trace->nlanes; i++)
        jf_free(trace->lanes[i].events);
    jf_free(trace->lanes);
    for (size_t i = 0; i < trace->nstages; i++)
        jf_free(trace->stage_names[i]);
    jf_free(trace->stage_names);
    jf_free(trace);
}

uint64_t jf_trace_dropped(const jf_trace_t *trace)
{
    uint64_t dropped = 0;

    for (size_t i = 0; trace != NULL && i < trace->nlanes; i++)
        dropped += trace->lanes[i].dropped;
    return dropped;
}

jf_trace_t *jf__trace_build(const jf__trace_source_t *src, uint64_t wall_ns)
{
    jf_trace_t *t = jf_calloc(1, sizeof(*t));

    if (t == NULL)
        return NULL;
    t->lanes = jf_calloc(src->nlanes, sizeof(jf_trace_lane_t));
    t->stage_names = jf_calloc(src->nstages, sizeof(char *));
    if (t->lanes == NULL || t->stage_names == NULL)
        goto err;
    t->nstages = src->nstages;
    for (size_t s = 0; s < src->nstages; s++) {
        const char *name = src->name(src->ctx, s);
        size_t len = strlen(name);
        t->stage_names[s] = jf_calloc(1, len + 1);
        if (t->stage_names[s] == NULL)
            goto err;
        memcpy(t->stage_names[s], name, len);
    }
    /* Workers still log their exit after the last item left the sink. */
    t->wall_ns = wall_ns;
    t->nlanes = src->nlanes;
    for (size_t i = 0; i < src->nlanes; i++) {
        jf_trace_lane_t *lane = src->lane(src->ctx, i);
        if (lane->count > 0 && lane->events[lane->count - 1].t_ns > t->wall_ns)
            t->wall_ns = lane->events[lane->count - 1].t_ns;
        t->lanes[i] = *lane;
        lane->events = NULL;
    }
    return t;

err:
    jf_trace_destroy(t);
    return NULL;
}
