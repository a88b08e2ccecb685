/* decide.h - a scheduled worker's decision, the one function the engine and the simulator share. */
#ifndef JF_DECIDE_H
#define JF_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "jefferson/pipeline.h"
#include "jefferson/policy.h"

/* A worker carries its batch on into an idle stage even where the
 * allocation would send it elsewhere (jf__decide); 0 turns that off (-D
 * for experiments: docs/perf-proposals/carry.md, section 6). */
#ifndef JF_CARRY_IDLE
#define JF_CARRY_IDLE 1
#endif

/* jf__decide's answer when every stage is done. */
#define JF__DECIDE_DONE (-2)

/* How the caller reads the state of the run: the engine from its atomics,
 * the simulator from its model (which charges the cache lines read). */
typedef struct jf__decide_reader {
    /* For every stage s with which[s] != 0 only, fills views[s].queue and
     * views[s].done, measured[s] (the mean ns per item, or -1 while
     * unmeasured) and placed[s] (the workers placed at s now, this one
     * included). The other entries are left as they are. */
    void (*read)(void *ctx, const unsigned char *which, jf_stage_view_t *views,
                 double *measured, unsigned *placed);
} jf__decide_reader_t;

/* Stages a decision reads besides its own (stage 0, where the worker is,
 * the next stage, the batch in hand's): a few more in turn, so that every
 * stage is read at least every ceil(S / JF__READ_TURN) decisions. What a
 * decision reads from the shared lines is then bounded whatever S is, and
 * a run of up to JF__READ_TURN + 4 stages is read whole every time. */
#define JF__READ_TURN 4u

/* One worker's view of the stages, as it last read each of them. */
typedef struct jf__snapshot {
    jf_stage_view_t views[JF_MAX_STAGES];
    double measured[JF_MAX_STAGES];
    unsigned placed[JF_MAX_STAGES];
    unsigned turn;  /* the next stage of the rotation */
    bool whole;     /* read every stage next time: first decision, or a miss */
} jf__snapshot_t;

/* The question: policy, shape of the run, where the worker is placed now
 * (at, or -1), the batch it keeps in hand for a stage (hold, or -1), and
 * scratch of nstages entries for the allocation. */
typedef struct jf__decide_in {
    jf_policy_t policy;
    size_t nstages;
    unsigned nworkers;
    int at;
    int hold;         /* stage of the batch the worker keeps in hand, or -1 */
    unsigned held;    /* its items */
    unsigned stash;   /* source positions it claimed ahead for stage 0 */
    unsigned *alloc;
} jf__decide_in_t;

/* Which stages this decision reads (see JF__READ_TURN), into which[]. */
static inline void jf__decide_which(const jf__decide_in_t *in, jf__snapshot_t *snap,
                                    unsigned char *which)
{
    size_t n = in->nstages;

    if (snap->whole || n <= JF__READ_TURN + 4) {
        memset(which, 1, n);
        snap->whole = false;
        return;
    }
    memset(which, 0, n);
    which[0] = 1;
    if (in->at >= 0) {
        which[in->at] = 1;
        which[(size_t)in->at + 1 < n ? (size_t)in->at + 1 : 0] = 1;
    }
    if (in->hold >= 0)
        which[in->hold] = 1;
    for (unsigned k = 0; k < JF__READ_TURN; k++)
        which[(snap->turn + k) % n] = 1;
    snap->turn = (unsigned)((snap->turn + JF__READ_TURN) % n);
}

/* Reads the stages this decision reads (jf__decide_which) into the
 * worker's snapshot, takes the rest as it last read them (unmeasured
 * stages get jf_policy_prior), allocates every worker with the policy, and
 * picks this worker's stage given where the others are. Fills views[] and
 * *score (for the trace). Returns the stage, -1 when no stage with input
 * wants the worker, or JF__DECIDE_DONE. A stage once done stays done, so
 * an old reading never ends a run early; one whose queue has emptied since
 * costs a miss, and the caller then asks for a whole reading
 * (snap->whole). Moves nothing: the caller places the worker.
 * Inline, and rd a static const table in the caller: the compiler then
 * calls (or inlines) the caller's reader directly, so the engine's
 * decision, once per batch, pays no indirect calls for being shared. */
static inline int jf__decide(const jf__decide_in_t *in, const jf__decide_reader_t *rd,
                             void *ctx, jf__snapshot_t *snap, jf_stage_view_t *views,
                             double *score)
{
    unsigned char which[JF_MAX_STAGES];
    unsigned others[JF_MAX_STAGES];
    bool all_done = true;

    *score = 0;
    jf__decide_which(in, snap, which);
    rd->read(ctx, which, snap->views, snap->measured, snap->placed);
    double prior = jf_policy_prior(snap->measured, in->nstages);
    for (size_t s = 0; s < in->nstages; s++) {
        views[s] = snap->views[s];
        views[s].service_ns = snap->measured[s] >= 0 ? snap->measured[s] : prior;
    }
    if (in->hold >= 0) /* the batch in hand waits for its stage as queued items do */
        views[in->hold].queue += in->held;
    views[0].queue += in->stash; /* and so do the positions it claimed ahead */
    jf_policy_allocate(in->policy, views, in->nstages, in->nworkers, in->alloc, score);
    for (size_t s = 0; s < in->nstages && all_done; s++)
        all_done = views[s].done;
    if (all_done)
        return JF__DECIDE_DONE;
    /* The pick weighs the other workers: this one's own place is free. A
     * worker with a batch in hand is where that batch is: its items are in
     * this core's cache, so staying with them is the cheap move. */
    memcpy(others, snap->placed, in->nstages * sizeof *others);
    if (in->at >= 0 && others[in->at] > 0)
        others[in->at]--;
    int to = jf_policy_pick(views, in->nstages, in->alloc, others, in->hold >= 0 ? in->hold : in->at);
    /* The batch in hand's stage is idle: nothing queued and no other worker
     * placed there. Pushed, the batch would wait for a worker to move
     * there; carried on, it runs now from this core's cache. */
    if (JF_CARRY_IDLE && in->hold >= 0 && to != in->hold && snap->views[in->hold].queue <= 0 &&
        others[in->hold] == 0)
        return in->hold;
    /* Positions claimed ahead are this worker's to begin: nobody else can.
     * Where no stage wants it, it begins them rather than sleep on them. */
    if (to < 0 && in->stash > 0)
        return 0;
    return to;
}

#endif /* JF_DECIDE_H */
