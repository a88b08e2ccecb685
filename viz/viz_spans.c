/* viz_spans.c - batches and parked spans read back from a lane's events. */
#include "viz_internal.h"

void jf__viz_cursor_init(jf__viz_cursor_t *c, const jf_trace_lane_t *lane, uint64_t wall_ns)
{
    c->lane = lane;
    c->next = 0;
    c->end_ns = wall_ns;
}

/* Closes an open span at the end of the lane, or reports it as unknown. */
static int close_at_end(const jf__viz_cursor_t *c, jf__viz_span_t *out)
{
    if (c->lane->dropped != 0)
        return 0;
    out->t1 = c->end_ns > out->t0 ? c->end_ns : out->t0;
    return 1;
}

/* Reads spans opened by `open` and closed by `close`. A second `open` before
 * the `close` ends the first span where the second starts: the close event
 * was lost, and the worker cannot have held two spans at once. */
static int next_span(jf__viz_cursor_t *c, jf__viz_span_t *out, uint8_t open, uint8_t close)
{
    const jf_trace_lane_t *lane = c->lane;
    int inside = 0;

    while (c->next < lane->count) {
        const jf_event_t *ev = &lane->events[c->next];

        if (ev->kind == open && inside) {
            out->t1 = ev->t_ns > out->t0 ? ev->t_ns : out->t0;
            return 1; /* not consumed: it opens the next span */
        }
        c->next++;
        if (ev->kind == open) {
            inside = 1;
            out->t0 = ev->t_ns;
            out->items = open == JF_EV_BATCH_BEGIN ? ev->count : 0;
            out->stage = open == JF_EV_BATCH_BEGIN ? ev->stage : JF_TRACE_NONE;
            out->carried = open == JF_EV_BATCH_BEGIN && (ev->flags & JF_EV_CARRIED) != 0;
            out->cpu_ns = open == JF_EV_BATCH_BEGIN && ev->value >= 1 && ev->value < 1.8e19
                              ? (uint64_t)ev->value
                              : 0;
        } else if (ev->kind == close && inside) {
            out->t1 = ev->t_ns > out->t0 ? ev->t_ns : out->t0;
            out->items = open == JF_EV_BATCH_BEGIN ? ev->count : 0;
            return 1;
        }
    }
    return inside ? close_at_end(c, out) : 0;
}

int jf__viz_next_batch(jf__viz_cursor_t *c, jf__viz_span_t *out)
{
    return next_span(c, out, JF_EV_BATCH_BEGIN, JF_EV_BATCH_END);
}

int jf__viz_next_park(jf__viz_cursor_t *c, jf__viz_span_t *out)
{
    return next_span(c, out, JF_EV_PARK, JF_EV_UNPARK);
}
