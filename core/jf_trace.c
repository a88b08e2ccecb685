/* jf_trace.c - ownership of finished traces. */
#include "jf_trace.h"

#include "jf_alloc.h"

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
