/* strategy.h - a strategy is one ops table, called by the engine and the simulator alike. */
#ifndef JF_STRATEGY_H
#define JF_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>

#include "jefferson/pipeline.h"

struct jf__worker;
struct jf__sim;
struct jf__sim_worker;

/* Where an idle worker sleeps, and so which sleepers a push to a stage wakes. */
typedef enum jf__park_at {
    JF__PARK_LOT = 0, /* every idle worker of the run on one channel (p->lot) */
    JF__PARK_HOME     /* on its home stage's channel: a push wakes that stage's workers only */
} jf__park_at_t;

/* What one step of the engine's worker loop did (jf__worker_main). */
typedef enum jf__step {
    JF__STEP_AGAIN = 0, /* ran a batch, or wants to look again at once */
    JF__STEP_IDLE,       /* found nothing: the loop parks the worker until work may exist */
    JF__STEP_EXIT        /* nothing more for this worker: the loop ends */
} jf__step_t;

typedef struct jf__strategy_ops {
    const char *name;        /* what --strategy and the results call it */
    bool uses_policy;        /* asks the scheduler policy (--policy matters) */
    jf__park_at_t park;      /* where its idle workers sleep */
    /* A worker keeps a finished batch in hand for the next stage and runs
     * it there itself when its next decision sends it there (worker.c). */
    bool carries;
    /* Threads it starts for nstages stages on `cores` cores (>= 1 each). */
    unsigned (*threads)(size_t nstages, unsigned cores);
    /* Initial placement: the fixed stage of worker i of threads(), or -1
     * (JF_NO_STAGE) for a worker that may run any stage. */
    int (*home)(unsigned worker, unsigned cores);
    /* Engine: one turn of worker w's loop, from one batch boundary to the
     * next (run it with jf__run_batch). Called while the run goes on. */
    jf__step_t (*step)(struct jf__worker *w);
    /* Simulator: worker w, free at a batch boundary, starts its next batch
     * (jf__sim_begin_batch), parks (jf__sim_park), or exits. */
    void (*sim_step)(struct jf__sim *s, struct jf__sim_worker *w);
} jf__strategy_ops_t;

/* The table of strategy s (strategy.c, the registry), or NULL when s is
 * not one. */
const jf__strategy_ops_t *jf__strategy_ops(jf_strategy_t s);

#endif /* JF_STRATEGY_H */
