/* strategy_fixed.c - per-stage and n-per-stage: each thread serves one stage, its home, for good. */
#include "pipeline_internal.h"
#include "sim_internal.h"

/* per-stage: thread i runs stage i; the threads are pinned round-robin. */
static unsigned per_stage_threads(size_t nstages, unsigned cores)
{
    (void)cores;
    return (unsigned)nstages;
}

static int per_stage_home(unsigned worker, unsigned cores)
{
    (void)cores;
    return (int)worker;
}

/* n-per-stage: `cores` threads per stage (threads cores*s .. cores*s +
 * cores - 1 serve stage s); the OS time-slices the oversubscribed threads. */
static unsigned n_per_stage_threads(size_t nstages, unsigned cores)
{
    return (unsigned)nstages * cores;
}

static int n_per_stage_home(unsigned worker, unsigned cores)
{
    return (int)(worker / cores);
}

/* Serve the home stage until it is done. */
static jf__step_t step(jf__worker_t *w)
{
    size_t s = (size_t)w->home;

    if (jf__stage_done(w->p, s))
        return JF__STEP_EXIT;
    return jf__run_batch(w, s, NULL) > 0 ? JF__STEP_AGAIN : JF__STEP_IDLE;
}

static void sim_step(jf__sim_t *s, jf__sim_worker_t *w)
{
    size_t st = (size_t)w->home;

    if (s->stages[st].done)
        w->state = JF__SIM_EXITED;
    else if (jf__sim_queue_for(s, w, st) > 0)
        jf__sim_begin_batch(s, w, st, NULL);
    else
        jf__sim_park(s, w);
}

const jf__strategy_ops_t jf__strategy_per_stage = {
    .name = "per-stage",
    .uses_policy = false,
    .park = JF__PARK_HOME,
    .threads = per_stage_threads,
    .home = per_stage_home,
    .step = step,
    .sim_step = sim_step,
};

const jf__strategy_ops_t jf__strategy_n_per_stage = {
    .name = "n-per-stage",
    .uses_policy = false,
    .park = JF__PARK_HOME,
    .threads = n_per_stage_threads,
    .home = n_per_stage_home,
    .step = step,
    .sim_step = sim_step,
};
