/* strategy_single.c - one thread runs every stage in turn (the COST baseline). */
#include "pipeline_internal.h"
#include "sim_internal.h"

static unsigned threads(size_t nstages, unsigned cores)
{
    (void)nstages;
    (void)cores;
    return 1;
}

static int home(unsigned worker, unsigned cores)
{
    (void)worker;
    (void)cores;
    return JF_NO_STAGE;
}

/* Downstream first, so that items leave the pipeline as soon as they can
 * (least memory in flight). */
static jf__step_t step(jf__worker_t *w)
{
    struct jf_pipeline *p = w->p;

    for (size_t s = p->nstages; s-- > 0;)
        if (!jf__stage_done(p, s) && jf__run_batch(w, s, NULL) > 0)
            return JF__STEP_AGAIN;
    return JF__STEP_IDLE;
}

/* The most downstream stage with input, as step. */
static void sim_step(jf__sim_t *s, jf__sim_worker_t *w)
{
    for (size_t st = s->nstages; st-- > 0;) {
        if (!s->stages[st].done && jf__sim_queue(s, st) > 0) {
            jf__sim_begin_batch(s, w, st, NULL);
            return;
        }
    }
    jf__sim_park(s, w);
}

const jf__strategy_ops_t jf__strategy_single = {
    .name = "single",
    .uses_policy = false,
    .park = JF__PARK_LOT,
    .threads = threads,
    .home = home,
    .step = step,
    .sim_step = sim_step,
};
