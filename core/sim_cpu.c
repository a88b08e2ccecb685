/* sim_cpu.c - time slicing: one worker runs on a core at a time, the others wait their turn.
 *
 * Linux (EEVDF) runs a thread until its slice is used up, and lets a thread
 * that wakes from sleep with CPU time owed to it (lag) preempt the running
 * one. Real runs show both: per-stage at 1 core parks ~1 200 times on
 * `bottleneck` (a consumer that gets the core soon after each push drains
 * its queue and sleeps again), which neither "wait for the slice" (~200
 * parks) nor "preempt at once" (~2 500) gives; a woken thread taking over
 * once the running one has had the core for wake_preempt_ns (300 us) does
 * (docs/simulator.md has the measurements). */
#include <math.h>

#include "sim_internal.h"

static bool queue_empty(const jf__sim_core_t *c)
{
    return c->queue.head == JF__SIM_NIL;
}

static void push_back(jf__sim_t *s, jf__sim_core_t *c, jf__sim_worker_t *w)
{
    w->rq_next = JF__SIM_NIL;
    if (c->queue.head == JF__SIM_NIL)
        c->queue.head = w->id;
    else
        s->workers[c->queue.tail].rq_next = w->id;
    c->queue.tail = w->id;
}

static void push_front(jf__sim_core_t *c, jf__sim_worker_t *w)
{
    w->rq_next = c->queue.head;
    if (c->queue.head == JF__SIM_NIL)
        c->queue.tail = w->id;
    c->queue.head = w->id;
}

static jf__sim_worker_t *pop_front(jf__sim_t *s, jf__sim_core_t *c)
{
    jf__sim_worker_t *w = &s->workers[c->queue.head];

    c->queue.head = w->rq_next;
    if (c->queue.head == JF__SIM_NIL)
        c->queue.tail = JF__SIM_NIL;
    w->rq_next = JF__SIM_NIL;
    return w;
}

/* When the running worker must give way to the first in the queue: a
 * worker woken from sleep takes over once the running one has had the core
 * for wake_preempt_ns (at once if it has had it that long); otherwise the
 * running one keeps it to the end of its slice. Slices follow one another
 * from the moment it got the core, so one that ran alone for a while is
 * somewhere inside its latest slice when another arrives. Always >= now. */
static double turn_end(const jf__sim_t *s, const jf__sim_core_t *c)
{
    double end = INFINITY;

    if (s->cm.slice_ns > 0) {
        double n = floor((s->now - c->slice_start) / s->cm.slice_ns) + 1;
        end = c->slice_start + n * s->cm.slice_ns;
    }
    if (s->workers[c->queue.head].woke) {
        double wake = c->slice_start + s->cm.wake_preempt_ns;
        if (wake < s->now)
            wake = s->now;
        if (wake < end)
            end = wake;
    }
    return end;
}

/* Replaces the core's event in the global heap: the running job is done
 * at fin, unless others wait and its turn ends first (a tie: the job is
 * done). The version makes the event of the old schedule stale. */
static void reschedule(jf__sim_t *s, uint32_t core)
{
    jf__sim_core_t *c = &s->cores[core];
    double at;

    c->ver++;
    if (c->run == JF__SIM_NIL || !c->busy)
        return;
    at = c->fin;
    c->preempt = false;
    if (!queue_empty(c)) {
        double end = turn_end(s, c);
        if (end < c->fin) {
            at = end;
            c->preempt = true;
        }
    }
    jf__sim_push_event(s, at, (uint64_t)JF__SIM_EV_CORE << 32 | core, c->ver);
}

/* w gets the core, with a fresh slice, for `work` CPU ns. */
static void start(jf__sim_t *s, uint32_t core, jf__sim_worker_t *w, double work)
{
    jf__sim_core_t *c = &s->cores[core];

    c->run = w->id;
    c->busy = true;
    w->woke = false;
    c->slice_start = s->now;
    c->fin = s->now + work;
    reschedule(s, core);
}

/* The running worker left the core: the first in the queue gets it. */
static void dispatch(jf__sim_t *s, uint32_t core)
{
    jf__sim_core_t *c = &s->cores[core];

    if (queue_empty(c)) {
        c->run = JF__SIM_NIL;
        c->busy = false;
        c->ver++;
        return;
    }
    jf__sim_worker_t *w = pop_front(s, c);
    start(s, core, w, w->cpu_left);
}

void jf__sim_cpu_add(jf__sim_t *s, jf__sim_worker_t *w, double work)
{
    jf__sim_core_t *c = &s->cores[w->core];

    w->lane.cpu_ns += jf__sim_ns(work); /* the timeline's "where the time went" */
    if (c->run == w->id) { /* the same thread goes on: its slice too */
        c->busy = true;
        c->fin = s->now + work;
        reschedule(s, w->core);
    } else if (c->run == JF__SIM_NIL) {
        start(s, w->core, w, work);
    } else {
        w->cpu_left = work;
        push_back(s, c, w);
        reschedule(s, w->core);
    }
}

bool jf__sim_cpu_get(jf__sim_t *s, jf__sim_worker_t *w)
{
    jf__sim_core_t *c = &s->cores[w->core];

    if (c->run == JF__SIM_NIL)
        return true; /* and the queue is empty: nobody waits on a free core */
    w->cpu_left = 0;
    w->woke = true;
    push_front(c, w);
    reschedule(s, w->core);
    return false;
}

void jf__sim_cpu_event(jf__sim_t *s, uint32_t core)
{
    jf__sim_core_t *c = &s->cores[core];
    jf__sim_worker_t *w = &s->workers[c->run];

    if (c->preempt) { /* its slice is over: to the back of the queue */
        w->cpu_left = c->fin - s->now;
        push_back(s, c, w);
        dispatch(s, core);
        return;
    }
    c->busy = false;
    jf__sim_on_cpu_done(s, w);
    if (c->run == w->id && !c->busy)
        dispatch(s, core); /* it did not start another job: it sleeps or left */
}
