/* sim_cpu.c - processor sharing: runnable workers on one core share it equally. */
#include "jf_error.h"
#include "sim_internal.h"

/* Brings the core's virtual time up to s->now: over the time since the
 * last change each of its k jobs received 1/k of the core. */
static void advance(jf__sim_core_t *c, double now)
{
    if (c->jobs.n > 0)
        c->vtime += (now - c->since) / (double)c->jobs.n;
    c->since = now;
}

/* Replaces the core's completion event in the global heap: the job with the
 * least tag finishes after (tag - vtime) more CPU ns, at k times that in
 * real time while k stays the same. Any change of k reschedules, and the
 * version makes the event of the old schedule stale. */
static void reschedule(jf__sim_t *s, uint32_t core)
{
    jf__sim_core_t *c = &s->cores[core];
    const jf__sim_event_t *top = jf__sim_heap_top(&c->jobs);

    c->ver++;
    if (top == NULL)
        return;
    double left = top->t - c->vtime;
    if (left < 0)
        left = 0; /* rounding: the job is due now */
    double at = c->since + left * (double)c->jobs.n;
    jf__sim_push_event(s, at, (uint64_t)JF__SIM_EV_CORE << 32 | core, c->ver);
}

/* Puts w on its core with `work` CPU ns to do, from s->now. */
void jf__sim_cpu_add(jf__sim_t *s, jf__sim_worker_t *w, double work)
{
    jf__sim_core_t *c = &s->cores[w->core];

    advance(c, s->now);
    jf__sim_event_t job = {c->vtime + work, w->id, 0};
    if (jf__sim_heap_push(&c->jobs, job) != 0) {
        jf__sim_fail(s, JF_ENOMEM);
        return;
    }
    reschedule(s, w->core);
}

/* The core's completion event fired (and was current): takes the job with
 * the least tag off the core and returns its worker. */
jf__sim_worker_t *jf__sim_cpu_done(jf__sim_t *s, uint32_t core)
{
    jf__sim_core_t *c = &s->cores[core];
    jf__sim_event_t job;

    advance(c, s->now);
    if (!jf__sim_heap_pop(&c->jobs, &job))
        return NULL; /* cannot happen: a current event means a job */
    reschedule(s, core);
    return &s->workers[job.order];
}
