/* mb_trace.c - what tracing costs: the same run with trace on and off, interleaved. */
#include <stdio.h>
#include <stdlib.h>

#include "bench/mb_common.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "jefferson/topology.h"
#include "workloads/workload.h"

#define MAX_REPS 64

static int empty_kernel(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    return 0;
}

typedef struct setup {
    const char *label;
    const jf_stage_spec_t *specs;
    size_t nstages;
    jf_run_options_t opt;
} setup_t;

/* One run; wall ns into *wall, process CPU ns into *cpu, trace events into
 * *events. Returns 0 or the error. */
static int run_once(const setup_t *s, bool trace, double *wall, double *cpu, double *events)
{
    jf_run_options_t opt = s->opt;
    jf_pipeline_t *p;
    jf_run_result_t r;

    opt.trace = trace;
    int rc = jf_pipeline_create(s->specs, s->nstages, &opt, &p);
    if (rc != 0)
        return rc;
    uint64_t c0 = mb_cpu_ns();
    rc = jf_pipeline_run(p, &r);
    *cpu = (double)(mb_cpu_ns() - c0);
    jf_pipeline_destroy(p);
    *wall = (double)r.wall_ns;
    *events = 0;
    for (size_t i = 0; r.trace != NULL && i < r.trace->nlanes; i++)
        *events += (double)r.trace->lanes[i].count;
    jf_run_result_fini(&r);
    return rc;
}

/* Pairs of runs, on/off and off/on alternately so drift and order effects
 * cancel; the figure is the median of the per-pair ratios. The CPU time
 * ratio is the figure to trust on a loaded machine for one thread. */
static int measure(const setup_t *s, unsigned reps)
{
    double on[MAX_REPS], off[MAX_REPS], ratio[MAX_REPS], ev = 0, unused;
    double con[MAX_REPS], coff[MAX_REPS], cratio[MAX_REPS], cdiff[MAX_REPS];
    int rc = 0;

    for (unsigned r = 0; r < reps && !rc; r++) {
        if (r % 2 == 0) {
            rc = run_once(s, true, &on[r], &con[r], &ev);
            rc = rc ? rc : run_once(s, false, &off[r], &coff[r], &unused);
        } else {
            rc = run_once(s, false, &off[r], &coff[r], &unused);
            rc = rc ? rc : run_once(s, true, &on[r], &con[r], &ev);
        }
        ratio[r] = on[r] / off[r];
        cratio[r] = con[r] / coff[r];
        cdiff[r] = con[r] - coff[r];
    }
    if (rc != 0) {
        fprintf(stderr, "mb_trace: %s: %s\n", s->label, jf_strerror(rc));
        return rc;
    }
    double med_ratio = mb_median(ratio, reps);
    double lo = mb_min(ratio, reps), hi = mb_max(ratio, reps);
    double m_on = mb_median(on, reps), m_off = mb_median(off, reps);
    double med_cratio = mb_median(cratio, reps), med_cdiff = mb_median(cdiff, reps);
    printf("   %-30s %8.2f %8.2f %+8.2f%% %+7.1f%% %+7.1f%% %+8.2f%% %9.0f %8.1f\n", s->label,
           m_on / 1e6, m_off / 1e6, 100 * (med_ratio - 1), 100 * (lo - 1), 100 * (hi - 1),
           100 * (med_cratio - 1), ev, ev > 0 ? med_cdiff / ev : 0);
    fflush(stdout);
    return 0;
}

int main(void)
{
    const char *dir = getenv("JF_WORKLOADS");
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    workload_binding_t b;
    jf_topology_t *topo = NULL;
    unsigned reps = mb_repeat(7);
    int rc;

    if (reps > MAX_REPS)
        reps = MAX_REPS;
    if (jf_topology_create(&topo) != 0)
        topo = NULL;
    unsigned cores = topo ? jf_topology_cores(topo) : 1;
    if ((rc = workload_find("bottleneck", dir, &w, err)) != 0 ||
        (rc = workload_bind(w, &b, err)) != 0) {
        fprintf(stderr, "mb_trace: %s\n", err);
        workload_destroy(w);
        jf_topology_destroy(topo);
        return 1;
    }
    mb_header("trace: cost of recording", "same run with trace on and off, interleaved pairs; "
              "overhead = median over pairs of (on / off) - 1");
    printf("   %u pairs; wall: overhead = median of on/off - 1 (min, max over pairs); cpu: the "
           "same with process CPU time,\n   robust to other programs for one thread; "
           "ns/event = median CPU time difference / events per run\n\n", reps);
    printf("   %-30s %8s %8s %9s %8s %8s %9s %9s %8s\n", "run", "on ms", "off ms", "wall +",
           "min", "max", "cpu +", "events", "ns/event");

    jf_run_options_t base = {.policy = JF_POLICY_DHONDT, .items = mb_scaled(w->items),
                             .item_bytes = w->item_bytes, .topology = topo,
                             .source = b.source, .source_ctx = b.source_ctx, .check = b.check,
                             .check_ctx = b.check_ctx};
    setup_t s = {.specs = b.specs, .nstages = b.nstages, .opt = base};
    s.label = "bottleneck scheduled (default)";
    s.opt.strategy = JF_STRATEGY_SCHEDULED;
    s.opt.cores = cores;
    rc = measure(&s, reps);
    s.label = "bottleneck single";
    s.opt.strategy = JF_STRATEGY_SINGLE;
    s.opt.cores = 1;
    rc = rc ? rc : measure(&s, reps);

    /* Empty kernels: the trace's cost per event without work to hide it. */
    static const char *const names[4] = {"a", "b", "c", "d"};
    jf_stage_spec_t empty[4];
    for (int i = 0; i < 4; i++)
        empty[i] = (jf_stage_spec_t){.name = names[i], .fn = empty_kernel};
    setup_t e = {.specs = empty, .nstages = 4,
                 .opt = {.strategy = JF_STRATEGY_SCHEDULED, .policy = JF_POLICY_DHONDT,
                         .cores = cores, .items = mb_scaled(1000000), .topology = topo}};
    e.label = "empty x4 scheduled, batch 16";
    rc = rc ? rc : measure(&e, reps);
    e.label = "empty x4 single, batch 16";
    e.opt.strategy = JF_STRATEGY_SINGLE;
    e.opt.cores = 1;
    rc = rc ? rc : measure(&e, reps);
    printf("\n");
    workload_unbind(&b);
    workload_destroy(w);
    jf_topology_destroy(topo);
    return rc ? 1 : 0;
}
