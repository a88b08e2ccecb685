/* sim_trace.c - simulated workers' event lanes, and the trace a run hands back. */
#include <string.h>

#include "jf_alloc.h"
#include "jefferson/error.h"
#include "sim_internal.h"
#include "trace_build.h"

/* Doubles a lane up to the run's cap. Lanes grow with the events really
 * recorded (the simulator has no hot path to keep allocation-free), so a
 * 1024-core run does not preallocate for the worst case. Returns 0, 1 when
 * the lane is at its cap, or JF_ENOMEM. */
static int grow_lane(const jf__sim_t *s, jf_trace_lane_t *lane)
{
    size_t cap = lane->capacity ? 2 * lane->capacity : 256;

    if (cap > s->lane_cap)
        cap = s->lane_cap;
    if (cap <= lane->capacity)
        return 1;
    jf_event_t *events = jf_calloc(cap, sizeof(*events));
    if (events == NULL)
        return JF_ENOMEM;
    if (lane->count)
        memcpy(events, lane->events, lane->count * sizeof(*events));
    jf_free(lane->events);
    lane->events = events;
    lane->capacity = cap;
    return 0;
}

void jf__sim_trace_flagged(jf__sim_t *s, jf__sim_worker_t *w, uint8_t kind, int stage,
                           uint32_t count, double value, uint8_t flags)
{
    jf_trace_lane_t *lane = &w->lane;

    if (!s->opt.trace)
        return;
    if (lane->count == lane->capacity) {
        int rc = grow_lane(s, lane);
        if (rc < 0) {
            jf__sim_fail(s, rc);
            return;
        }
        if (rc > 0) {
            lane->dropped++; /* counted, never silent: the trace is incomplete */
            return;
        }
    }
    jf_event_t *e = &lane->events[lane->count++];
    e->t_ns = jf__sim_ns(s->now);
    e->value = value;
    e->count = count;
    e->stage = stage < 0 ? JF_TRACE_NONE : (uint16_t)stage;
    e->kind = kind;
    e->flags = flags;
}

void jf__sim_trace(jf__sim_t *s, jf__sim_worker_t *w, uint8_t kind, int stage, uint32_t count,
                   double value)
{
    jf__sim_trace_flagged(s, w, kind, stage, count, value, 0);
}

typedef struct source_ctx {
    jf__sim_t *s;
    const jf_stage_spec_t *specs;
} source_ctx_t;

static jf_trace_lane_t *worker_lane(void *ctx, size_t i)
{
    return &((source_ctx_t *)ctx)->s->workers[i].lane;
}

static const char *stage_name(void *ctx, size_t st)
{
    return ((source_ctx_t *)ctx)->specs[st].name;
}

/* Moves the workers' lanes into a trace that r owns, with the stage names.
 * Returns 0 or JF_ENOMEM (r->trace stays NULL, the lanes stay with s). */
int jf__sim_build_trace(jf__sim_t *s, const jf_stage_spec_t *specs, jf_run_result_t *r)
{
    source_ctx_t ctx = {s, specs};
    jf__trace_source_t src = {s->nworkers, worker_lane, s->nstages, stage_name, &ctx};

    r->trace = jf__trace_build(&src, r->wall_ns);
    return r->trace != NULL ? 0 : JF_ENOMEM;
}
