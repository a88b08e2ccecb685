/* run.h - run one workload under several strategies, repeatedly, and measure. */
#ifndef JF_RUN_H
#define JF_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/jf_pipeline.h"
#include "core/jf_topology.h"
#include "stats.h"
#include "workloads/jf_workload.h"

/* What to run. Borrowed pointers must outlive jf_run_measure. */
typedef struct jf_run_plan {
    const jf_workload_t *workload;          /* items and item_bytes come from here */
    const jf_workload_binding_t *binding;
    const jf_topology_t *topology;          /* NULL: workers are not pinned */
    bool requested[JF_STRATEGY_COUNT];
    jf_policy_t policy;
    unsigned cores, batch, repeat, warmup;
    bool trace;
} jf_run_plan_t;

/* The measurements of one strategy. */
typedef struct jf_strategy_run {
    jf_strategy_t strategy;
    bool baseline_only;       /* single, run as the baseline but not requested */
    unsigned repeats;
    uint64_t *samples_ns;     /* wall time of each measured repetition, in order */
    jf_stats_t wall;
    jf_run_result_t median;   /* the median repetition; owns its trace */
    uint64_t lower_bound_ns;  /* see lower_bound() in run.c */
    double throughput;        /* items per second at the median wall time */
    double speedup;           /* single's median wall / this median wall */
    double efficiency;        /* lower_bound_ns / median wall */
} jf_strategy_run_t;

/* single first (the baseline every speedup refers to), then the other
 * requested strategies in jf_strategy_t order. */
typedef struct jf_run_set {
    size_t n;
    jf_strategy_run_t runs[JF_STRATEGY_COUNT];
} jf_run_set_t;

/* Runs plan->warmup unmeasured and plan->repeat measured repetitions of
 * every strategy into *set (zeroed first), keeping the trace of the
 * median repetition only, and derives throughput, speedup, lower bound and
 * efficiency. Shows progress on a terminal. Returns 0, or JF_EXIT_FAILED
 * after the error line when a run fails or loses or reorders items.
 * Release *set with jf_run_set_fini in either case. */
int jf_run_measure(const jf_run_plan_t *plan, jf_run_set_t *set);

/* Frees what a set owns (samples, traces). Safe on a zeroed set. */
void jf_run_set_fini(jf_run_set_t *set);

#endif /* JF_RUN_H */
