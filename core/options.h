/* options.h - run defaults and the service-time estimate, shared by the
 * engine and the simulator so that a simulated run is the engine's run. */
#ifndef JF_OPTIONS_H
#define JF_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jefferson/pipeline.h"

/* Kernel work an adaptive batch aims at. The per-batch cost (a decision,
 * two clock reads, a batch push and pop: ~0.5-1 us with the cache misses
 * of two cores) then stays near 5% however short the items are
 * (docs/performance.md); items of 1 us or more keep batches of 16. */
#ifndef JF_BATCH_TARGET_NS
#define JF_BATCH_TARGET_NS 16000.0 /* -D for experiments */
#endif
#define JF_DEFAULT_ITEM_BYTES 64
/* 0 turns carrying off for every strategy (-D for experiments: the A/B of
 * docs/performance.md, "Carry"); engine and simulator alike. */
#ifndef JF_CARRY
#define JF_CARRY 1
#endif

/* Fills the defaults of DESIGN.md into *o for a run of nstages stages
 * (batch and batch_max: fixed when batch was given, else adaptive; item
 * bytes, burst, the in-flight window rounded to a power of two) and
 * checks the rest. Does not bound cores from above: the engine
 * and the simulator have their own limits. Returns 0, JF_EINVAL (cores 0,
 * items 0, unknown strategy or policy) or JF_ERANGE (batch, window, slab
 * or arrival rate beyond what the engine accepts). */
int jf__settle_options(jf_run_options_t *o, size_t nstages);

/* The running mean service time per item after one more batch's sample:
 * an exponentially weighted mean, weight 1/4 per batch, so a phase change
 * shows within a few batches. mean <= 0 means "not measured yet". The
 * result stays above 0, so "measured" remains distinct from unmeasured. */
static inline double jf__service_update(double mean, double sample_ns)
{
    double next = mean <= 0 ? sample_ns : mean + (sample_ns - mean) / 4.0;

    return next <= 0 ? 1e-3 : next;
}

/* A worker keeps its own mean of a stage's service time and publishes it
 * as the stage's when the two differ by more than this share of the
 * published one (or nothing is published yet). The policy weighs queues by
 * service time: 1/16 off moves a seat only where two stages' votes are
 * within 6%, and a stage's workers stop writing its line at every batch.
 * -D for experiments (0 publishes every change). */
#ifndef JF_SERVICE_DRIFT
#define JF_SERVICE_DRIFT (1.0 / 16.0)
#endif
/* ...up to this with many workers: when a stage's cost changes, each of
 * its workers' means crosses the threshold again and again on the way,
 * and every crossing writes the stage's line, which hundreds of workers
 * then pass along one transfer at a time (simulated, phase-shift at 1 024
 * cores: 0.822 of the lower bound at 1/16, 0.892 at 1/4; the other
 * workloads unchanged). A seat then moves only where two stages' votes
 * are within 25%, and with hundreds of seats that is a few seats. */
#ifndef JF_SERVICE_DRIFT_MAX
#define JF_SERVICE_DRIFT_MAX (1.0 / 4.0)
#endif

/* The drift for a run of `workers` workers: JF_SERVICE_DRIFT up to 64,
 * growing with them to JF_SERVICE_DRIFT_MAX at 256. */
static inline double jf__service_drift(unsigned workers)
{
    double d = JF_SERVICE_DRIFT * (workers > 64 ? workers / 64.0 : 1.0);

    return d < JF_SERVICE_DRIFT_MAX ? d : JF_SERVICE_DRIFT_MAX;
}

static inline bool jf__service_drifted(double published, double mine, double drift)
{
    double gap = mine > published ? mine - published : published - mine;

    return published <= 0 || gap > published * drift;
}

/* The pipeline's two ends, the source's claim counter and the sink, are
 * one line each that every worker writes, once per batch: with hundreds
 * of workers they pass one batch per transfer between cores. So with many
 * workers each claims several batches' positions at once and keeps the
 * rest in hand for its next batches at stage 0, and hands finished batches
 * to the sink several at a time (worker.c): one batch per
 * JF_END_WORKERS workers more, at most JF_END_BATCHES_MAX. Up to 63
 * workers, one: every batch claims and is handed over by itself.
 * -D for experiments. */
#ifndef JF_END_WORKERS
#define JF_END_WORKERS 64u
#endif
#ifndef JF_END_BATCHES_MAX
#define JF_END_BATCHES_MAX 5u
#endif

static inline unsigned jf__end_batches(unsigned workers)
{
    unsigned k = 1 + workers / JF_END_WORKERS;

    return k < JF_END_BATCHES_MAX ? k : JF_END_BATCHES_MAX;
}

/* With many workers (JF_END_GROUP_WORKERS), neighbours share the
 * pipeline's two ends in groups of JF_END_GROUP. At the source (flow.c),
 * one member at a time claims positions from the claim counter for the
 * group's next batches, and members take their batches from those under
 * the group's lock. At the sink, with no sink hook (sink.c), one member
 * at a time takes the sink's lock for the group, with every run its
 * members handed it meanwhile, up to JF_SINK_GROUP_RUNS of them. Either
 * way the end's line passes between cores once per group's turn, not
 * once per batch. -D for experiments. */
#ifndef JF_END_GROUP
#define JF_END_GROUP 16u
#endif
#ifndef JF_SINK_GROUP_RUNS
#define JF_SINK_GROUP_RUNS 256u
#endif

/* End groups from this many workers. Below, the ends' lines are not
 * saturated, and a group's lock is one more transfer per claim and
 * hand-over: simulated, `scheduled` at 64 and 128 cores lost 0.001-0.012
 * of the lower bound with groups, and gained from 256 on
 * (docs/scheduling-study.md). -D 1 to time them on a small machine. */
#ifndef JF_END_GROUP_WORKERS
#define JF_END_GROUP_WORKERS 256u
#endif

/* End groups of a run with `workers` workers (0: every worker claims and
 * hands over by itself); worker i is in group i / JF_END_GROUP. */
static inline unsigned jf__end_groups(unsigned workers)
{
    if (workers < JF_END_GROUP_WORKERS)
        return 0;
    return (workers + JF_END_GROUP - 1) / JF_END_GROUP;
}

/* Whether a run's end groups claim together: only when every worker has
 * a core of its own. Positions claimed for a group wait for a member to
 * take them, and with more workers than cores the members may be off
 * their cores for a time slice (milliseconds) while the sink waits for
 * those positions in order. */
static inline bool jf__group_claims(unsigned groups, unsigned workers, unsigned cores)
{
    return groups > 0 && workers <= cores;
}

/* Source positions an end group's members claim together (flow.c's
 * group claims) for batches of `want`, when `left` positions are left:
 * one batch, or, when the group's last claim found the counter contended
 * (busy), one for each member, at most the members' share of the window
 * (end_items each). Near the end, at most half a group's share of what
 * is left, in whole batches; and once an equal share of what is left
 * among all the members is less than a batch, what is left is dealt out:
 * that share (at least one item) for each member, *take, the most a
 * member takes of the claim for a batch (else UINT64_MAX, no limit).
 * So the claims shrink as the run drains instead of all falling to one
 * batch at once (at 1 024 simulated workers that sent the last ~13% of
 * the positions through one claim a batch, each waiting 5-50 us on the
 * counter), and the last batches shrink with them, so the last items do
 * not wait behind a full batch's work at every stage
 * (docs/scheduling-study.md, "Start placed, claims that shrink"). */
static inline uint64_t jf__group_claim_size(uint64_t want, bool busy, uint64_t end_items,
                                            uint64_t left, unsigned groups, uint64_t *take)
{
    uint64_t ask = busy ? want * JF_END_GROUP : want;
    uint64_t most = end_items * JF_END_GROUP > want ? end_items * JF_END_GROUP : want;
    uint64_t half = want > 0 ? left / (2 * (uint64_t)groups) / want * want : 0;
    uint64_t equal = left / ((uint64_t)groups * JF_END_GROUP);

    *take = UINT64_MAX;
    if (equal < want) {
        *take = equal > 0 ? equal : 1;
        return *take * JF_END_GROUP;
    }
    if (ask > most)
        ask = most;
    if (ask > half)
        ask = half > want ? half : want;
    return ask;
}

/* Items beyond one batch a worker keeps at either end: a share of the
 * window, so that all the workers together keep at most half of it. */
static inline uint64_t jf__end_items(uint64_t window, unsigned workers)
{
    uint64_t n = window / (4 * (uint64_t)workers);

    return n > 0 ? n : 1;
}

/* Source positions a worker claims for batches of `want`: one batch, or,
 * when its last claim found the counter contended (busy), up to
 * end_batches batches, at most end_items and at least one batch. Near the
 * end, where `left` positions remain and every worker's claim would not
 * find as many, one batch again: nobody waits on positions another keeps. */
static inline uint64_t jf__claim_size(uint64_t want, bool busy, unsigned end_batches,
                                      uint64_t end_items, uint64_t left, unsigned workers)
{
    uint64_t ask = want * (busy ? end_batches : 1);
    uint64_t most = end_items > want ? end_items : want;

    if (ask > most)
        ask = most;
    return left > (uint64_t)workers * ask ? ask : want;
}

/* How many items a worker with home stage `home` (-1: none) keeps for the
 * sink at most, before a hand-over (jf__hand_over_due); 0 when it never
 * keeps any: one batch per claim and hand-over, or the last stage is not
 * its to run. */
static inline uint64_t jf__sink_keep_cap(unsigned end_batches, uint64_t end_items, int home,
                                         size_t nstages, unsigned batch_max)
{
    if (end_batches <= 1 || (home >= 0 && (size_t)home + 1 != nstages))
        return 0;
    return end_items - 1 + batch_max;
}

/* Whether a worker hands over the batches it keeps for the sink now,
 * `kept` items in `batches` batches: at once when its last hand-over
 * found the sink free, else after end_batches batches or end_items items. */
static inline bool jf__hand_over_due(bool busy, unsigned batches, unsigned end_batches,
                                     uint64_t kept, uint64_t end_items)
{
    return !busy || batches >= end_batches || kept >= end_items;
}

/* Items a worker takes at a stage whose mean service time is mean_ns
 * (<= 0: not measured yet): enough for JF_BATCH_TARGET_NS of work, at
 * least batch, at most batch_max. Shared with the simulator. */
static inline size_t jf__batch_for(double mean_ns, unsigned batch, unsigned batch_max)
{
    if (batch_max <= batch || mean_ns <= 0)
        return batch;
    double want = JF_BATCH_TARGET_NS / (mean_ns > 1 ? mean_ns : 1);
    if (want <= batch)
        return batch;
    return want >= batch_max ? batch_max : (size_t)want;
}

/* Whether a worker leaves the done check of stage s, whose batch it just
 * ran, to later: when it keeps the batch in hand (`carrying`) for the
 * next stage, from stage 1 on. It runs that batch next, so the stage
 * behind it ends no sooner for its check, and at the end of a run of many
 * stages and workers each check reads a line per worker on the path of
 * the last items (~13 us a stage at 1 024 simulated workers). A stage
 * left unmarked has no input, so no decision sends a worker there;
 * whoever takes nothing from it, or lets a batch for it go, checks it,
 * and the sink marks every stage done when the last item is out
 * (flow.c, jf__run_complete). Stage 0 is checked always: the source's
 * end is what tells the workers to stop claiming. Shared with the
 * simulator. */
static inline bool jf__check_deferred(size_t s, bool carrying)
{
    return s > 0 && carrying;
}

#endif /* JF_OPTIONS_H */
