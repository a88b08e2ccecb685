/* jf_sim.h - discrete-event simulation of a run: the engine's policies, in virtual time. */
#ifndef JF_SIM_H
#define JF_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "jefferson/pipeline.h"

/* Largest opt->cores a simulated run accepts. */
#define JF_SIM_MAX_CORES 1024

/* CPU work, in ns, that item `seq` costs at stage `stage` (for a stage that
 * yields: the time it waits, using no core). Must be deterministic in its
 * arguments for runs to be repeatable; negative or non-finite results count
 * as 0. Called once per item per stage, from the caller's thread only. */
typedef double (*jf_cost_fn)(void *ctx, size_t stage, uint64_t seq);

/* What the kernel of stage `stage` returns for item `seq`, when the caller
 * knows it without running the kernel: non-zero for an item it fails on.
 * Deterministic in its arguments, like jf_cost_fn; called at most once per
 * item per stage, from the caller's thread only. */
typedef int (*jf_fail_fn)(void *ctx, size_t stage, uint64_t seq);

/* The cost model. Overheads are CPU time of the worker that pays them. */
typedef struct jf_sim_options {
    jf_cost_fn cost;
    void *cost_ctx;
    jf_fail_fn fails;         /* NULL: no kernel fails */
    void *fails_ctx;
    double item_overhead_ns;  /* engine cost per item per hop (take, push, sink) */
    double cross_core_ns;     /* extra per item taken that another core pushed
                                 (its cache lines move between cores) */
    double contention_ns;     /* extra per item taken at a stage at which a worker on
                                 another core holds a batch too (both cores pull the
                                 queue's cache lines back and forth) */
    double batch_overhead_ns; /* per batch (queue operations, clock reads, trace) */
    double line_ns;           /* moving one cache line from the core that wrote it last
                                 to another: a line written by many cores serves one
                                 transfer at a time (0: shared lines cost nothing) */
    double decision_ns;       /* per scheduler decision that leads to a batch... */
    double decision_stage_ns; /* ...plus this per stage the policy weighs (it
                                 apportions by threshold, O(S log S) whatever the
                                 number of workers: core/policy_apportion.c) */
    double move_ns;           /* extra for a scheduled worker's first batch at a
                                 stage other than its last one (cold caches) */
    double park_ns;           /* CPU a worker that finds no work burns going to sleep
                                 and getting up again (spin, futex, context switches) */
    double wake_ns;           /* from "work appeared" to a parked worker acting on it */
    double slice_ns;          /* longest a thread runs while others wait for its core
                                 (the OS's time slice); 0: no limit */
    double wake_preempt_ns;   /* a thread woken from sleep takes the core from the
                                 running one once that has run this long */
    double sink_batch_ns;     /* the sink's serial part (its lock held: nobody else
                                 hands over meanwhile) per hand-over whose lines
                                 were warm on this core... */
    double sink_moved_ns;     /* ...plus this when another core handed over last
                                 (the lines its work touches move too)... */
    double sink_run_ns;       /* ...plus this per run of consecutive items (one
                                 arrival time) after the first: each waits in
                                 the reorder window or is emitted whole... */
    double sink_item_ns;      /* ...plus this per item handed over. CPU already in
                                 item_overhead_ns and batch_overhead_ns: these
                                 only keep other workers out of the sink */
} jf_sim_options_t;

/* Fills *sim with the overheads calibrated on the reference machine
 * (docs/simulator.md) and no cost function: set cost (and cost_ctx). */
void jf_sim_options_default(jf_sim_options_t *sim);

/* Simulates a run of n stages (1..JF_MAX_STAGES) under *opt in virtual time:
 * kernels are not called, item costs come from sim->cost. Workers, cores,
 * credits, batches, parking and the scheduled strategy's decisions (through
 * jf_policy_allocate and jf_policy_pick, the engine's own code) follow the
 * engine; threads sharing a core take turns, time-sliced as by the OS.
 * opt->topology, source and sink are ignored; every other option means what
 * it means to jf_pipeline_create. opt->cores may be 1..JF_SIM_MAX_CORES.
 * Fills *result like jf_pipeline_run (release with jf_run_result_fini),
 * times in virtual ns from 0; the same arguments give bit-for-bit the same
 * result and trace. A kernel that sim->fails says fails stops the run as
 * in the engine: the batch ends after that item (its cost paid), none of
 * the batch is passed on, and jf_sim_run returns JF_EKERNEL with
 * result->failure naming the stage, the item and the code. Returns 0;
 * JF_EKERNEL as just said; JF_EINVAL for bad arguments (no stages, a NULL
 * name or cost function, cores 0 or over the limit, items 0, unknown
 * strategy or policy, a negative or non-finite overhead); JF_ERANGE for
 * values the engine refuses as out of range; JF_ENOMEM; JF_ESTALL or
 * JF_EORDER if the model lost or reordered items (a bug; the trace, when
 * asked for, is kept to show it). After JF_EINVAL, JF_ERANGE or JF_ENOMEM
 * *result holds no trace. Reentrant: no global state. */
int jf_sim_run(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
               const jf_sim_options_t *sim, jf_run_result_t *result);

#endif /* JF_SIM_H */
