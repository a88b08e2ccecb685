/* strategy_scheduled.c - `cores` threads, placed by the scheduler policy at every batch boundary. */
#include "pipeline_internal.h"
#include "sim_internal.h"

static unsigned threads(size_t nstages, unsigned cores)
{
    (void)nstages;
    return cores;
}

static int home(unsigned worker, unsigned cores)
{
    (void)worker;
    (void)cores;
    return JF_NO_STAGE;
}

/* A choice whose queue turns out empty (another worker was faster) is
 * retried on a fresh snapshot a few times, then the worker leaves its
 * stage and parks until work appears. A batch kept in hand runs only if
 * the decision sends the worker to its stage; any other answer pushes it
 * first, so no worker runs elsewhere, parks or exits with one. */
static jf__step_t step(jf__worker_t *w)
{
    jf__decision_t d;
    int s = jf__schedule(w, &d);

    if (w->carry_n > 0 && s != w->carry_stage)
        jf__flush_carry(w);
    if (s == JF__DECIDE_DONE)
        return JF__STEP_EXIT;
    if (s >= 0 && jf__run_batch(w, (size_t)s, &d) > 0) {
        w->misses = 0;
        return JF__STEP_AGAIN;
    }
    w->snap->whole = true; /* it found less than it read: read every stage again */
    if (++w->misses < 4) {
        jf_cpu_relax();
        return JF__STEP_AGAIN;
    }
    w->misses = 0;
    if (jf__stash(w) > 0) {
        /* Positions it claimed ahead are its own to begin (a decision
         * counts them at stage 0, but others can win the stages it picks
         * instead): it never sleeps on them. */
        d.to = 0;
        d.carry = false;
        jf__place(w, 0);
        if (jf__run_batch(w, 0, &d) > 0)
            return JF__STEP_AGAIN;
    }
    jf__unplace(w);
    return JF__STEP_IDLE;
}

/* A choice made on an old reading of a stage whose queue has emptied
 * since is a miss: as the engine, the worker decides again on a whole
 * reading. Where the engine would then retry and spin a few microseconds
 * before parking, the model parks at once; the next signal (any push)
 * makes it decide again. */
static void sim_step(jf__sim_t *s, jf__sim_worker_t *w)
{
    jf_stage_view_t views[JF_MAX_STAGES];
    double score;
    int to = jf__sim_decide(s, w, &score, views);

    if (w->carry >= 0 && to != w->carry)
        jf__sim_flush_carry(s, w);
    if (to >= 0 && to != w->carry && jf__sim_queue_for(s, w, (size_t)to) == 0) {
        w->snap->whole = true;
        to = jf__sim_decide(s, w, &score, views);
    }
    if (to == JF__DECIDE_DONE) {
        w->state = JF__SIM_EXITED;
        return;
    }
    if (to >= 0 && (to == w->carry || jf__sim_queue_for(s, w, (size_t)to) > 0)) {
        jf__sim_choice_t c = {score, views};
        jf__sim_begin_batch(s, w, (size_t)to, &c);
        return;
    }
    jf__sim_unplace(s, w);
    jf__sim_park(s, w);
}

const jf__strategy_ops_t jf__strategy_scheduled = {
    .name = "scheduled",
    .uses_policy = true,
    .park = JF__PARK_LOT,
    .carries = true,
    .threads = threads,
    .home = home,
    .step = step,
    .sim_step = sim_step,
};
