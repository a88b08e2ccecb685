/* jefferson/trace.h - per-worker event buffers recorded by a run, read by viz/. */
#ifndef JF_TRACE_H
#define JF_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "jefferson/api.h"

typedef enum jf_event_kind {
    JF_EV_BATCH_BEGIN = 1, /* stage; count = items taken; value = thread CPU
                              ns of the batch when it was sampled, 0 when
                              not (the engine samples within a budget,
                              core/cpu_time.h) */
    JF_EV_BATCH_END,       /* stage; count = items done; value = kernel ns */
    JF_EV_DECIDE,          /* stage = to, count = from (JF_TRACE_NONE = parked
                              or new); value = score or quotient of the choice */
    JF_EV_PARK,            /* stage = last stage or JF_TRACE_NONE */
    JF_EV_UNPARK,          /* stage = JF_TRACE_NONE */
    JF_EV_QDEPTH           /* stage; count = queue depth, value = mean service
                              ns, at the decision just before; a decision
                              lists the stages that changed since the same
                              worker's previous decision (the first lists
                              all); fixed workers record the stage they take
                              from */
} jf_event_kind_t;

#define JF_TRACE_NONE 0xffffu

/* One event: 24 bytes, written only by the worker that owns the buffer. */
typedef struct jf_event {
    uint64_t t_ns;   /* nanoseconds since the run started */
    double value;
    uint32_t count;
    uint16_t stage;
    uint8_t kind;    /* jf_event_kind_t */
    uint8_t flags;   /* JF_EV_CARRIED on a BATCH_BEGIN; else 0 */
} jf_event_t;

/* jf_event_t.flags of a BATCH_BEGIN: the worker ran this batch straight
 * from its hand after running it at the previous stage, with no queue hop
 * (`scheduled` carries, core/worker.c). Of a DECIDE: the decision sent the
 * worker to that batch, which moves it nowhere (it stays placed where it
 * was), so it is no reallocation. */
#define JF_EV_CARRIED 0x01u

/* Whether e is a decision that moved its worker: to another stage than its
 * last batch's, and not to run a carried batch (which moves it nowhere).
 * What result.json counts as reallocations, as the timelines draw moves. */
static inline int jf_event_is_move(const jf_event_t *e)
{
    return e->kind == JF_EV_DECIDE && e->count != e->stage && !(e->flags & JF_EV_CARRIED);
}

/* The events of one worker thread. */
typedef struct jf_trace_lane {
    jf_event_t *events;
    size_t count;       /* events recorded */
    size_t capacity;    /* preallocated slots */
    uint64_t dropped;   /* events that did not fit: the trace is incomplete */
    int core;           /* core index the thread was pinned to, -1 if none */
    int home_stage;     /* fixed stage of the thread, -1 if it moves */
    uint64_t cpu_ns;    /* CPU time the thread used over the run; 0 = unknown */
} jf_trace_lane_t;

/* A finished run's trace: one lane per worker, stage names for labels. */
typedef struct jf_trace {
    size_t nlanes;
    jf_trace_lane_t *lanes;
    size_t nstages;
    char **stage_names;
    uint64_t wall_ns;   /* run length: every t_ns is <= wall_ns */
} jf_trace_t;

/* Frees a trace and everything it owns (a trace from jf_viz_read_chrome_trace;
 * one a run result owns is freed by jf_run_result_fini). NULL does nothing. */
JF_API void jf_trace_destroy(jf_trace_t *trace);

/* Returns the events dropped over all lanes because a lane's buffer was
 * full: 0 means the trace is complete. Read-only, thread-safe. */
JF_API uint64_t jf_trace_dropped(const jf_trace_t *trace);

#endif /* JF_TRACE_H */
