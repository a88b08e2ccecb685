/* mb_hop.c - engine overhead per item per hop: 4 stages of empty kernels. */
#include <stdio.h>

#include "bench/mb_common.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "jefferson/topology.h"

#define STAGES 4

static int empty_kernel(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    return 0;
}

typedef struct figure {
    double ns_per_hop;
    double cpu_per_hop;
    double parks_per_kitem;
    double decisions_per_batch;
    double sink_per_item; /* the sink's serial time (its lock held) per item */
} figure_t;

/* One run; returns 0 or the engine's error. */
static int run_once(jf_strategy_t s, unsigned cores, unsigned batch, uint64_t items,
                    const jf_topology_t *topo, figure_t *f)
{
    jf_stage_spec_t specs[STAGES];
    static const char *const names[STAGES] = {"a", "b", "c", "d"};
    jf_run_options_t opt = {.strategy = s, .policy = JF_POLICY_DHONDT, .cores = cores,
                            .batch = batch, .items = items, .topology = topo};
    jf_pipeline_t *p;
    jf_run_result_t r;

    for (int i = 0; i < STAGES; i++)
        specs[i] = (jf_stage_spec_t){.name = names[i], .fn = empty_kernel};
    int rc = jf_pipeline_create(specs, STAGES, &opt, &p);
    if (rc != 0)
        return rc;
    uint64_t cpu0 = mb_cpu_ns();
    rc = jf_pipeline_run(p, &r);
    uint64_t cpu1 = mb_cpu_ns();
    jf_pipeline_destroy(p);
    if (rc == 0 && (r.items_out != items || !r.order_preserved))
        rc = JF_EORDER;
    uint64_t batches = 0;
    for (int i = 0; i < STAGES; i++)
        batches += r.stages[i].batches;
    f->ns_per_hop = (double)r.wall_ns / ((double)items * STAGES);
    f->cpu_per_hop = (double)(cpu1 - cpu0) / ((double)items * STAGES);
    f->parks_per_kitem = 1000.0 * (double)r.parks / (double)items;
    f->decisions_per_batch = batches ? (double)r.decisions / (double)batches : 0;
    f->sink_per_item = (double)r.sink_ns / (double)items;
    jf_run_result_fini(&r);
    return rc;
}

int main(void)
{
    static const unsigned batches[] = {1, 8, 16, 64, 256};
    static const struct {
        jf_strategy_t s;
        unsigned cores;
    } cases[] = {
        {JF_STRATEGY_SINGLE, 1},
        {JF_STRATEGY_SCHEDULED, 1},
        {JF_STRATEGY_SCHEDULED, 2},
        {JF_STRATEGY_PER_STAGE, 2},
    };
    jf_topology_t *topo = NULL;
    unsigned reps = mb_repeat(5);
    int failed = 0;

    if (jf_topology_create(&topo) != 0)
        topo = NULL;
    mb_header("engine: overhead per item per hop",
              "4 stages whose kernel returns 0 at once, no source/sink hooks, no trace, "
              "workers pinned; ns = wall / (items * 4)");
    printf("   `single` is the floor (no cross-thread hand-off); per-stage (4 threads) for "
           "reference. median of %u runs\n", reps);
    printf("   cpu/hop = process CPU time (all threads, spinning included) / (items * 4): "
           "unlike wall, it does not grow\n   while other programs hold the cores\n");
    printf("   sink/item = time the sink's lock was held / items: the serial cost per item "
           "that no number\n   of workers overlaps (the source's serial part is one CAS "
           "per claim, below a batch's hop)\n\n");
    printf("   %-10s %5s %6s %10s %10s %10s %10s %10s %12s %12s %10s\n", "strategy", "cores",
           "batch", "items", "ns/hop", "min", "max", "cpu/hop", "parks/kitem", "decide/batch",
           "sink/item");
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        for (size_t b = 0; b < sizeof batches / sizeof *batches; b++) {
            unsigned batch = batches[b];
            uint64_t items = mb_scaled(batch == 1 ? 100000 : batch == 8 ? 500000 : 1000000);
            double v[64], cpu[64], parks[64], dec[64], snk[64];
            for (unsigned r = 0; r < reps && r < 64; r++) {
                figure_t f = {0};
                int rc = run_once(cases[c].s, cases[c].cores, batch, items, topo, &f);
                if (rc != 0) {
                    fprintf(stderr, "mb_hop: %s: %s\n", jf_strategy_name(cases[c].s),
                            jf_strerror(rc));
                    failed = 1;
                }
                v[r] = f.ns_per_hop;
                cpu[r] = f.cpu_per_hop;
                parks[r] = f.parks_per_kitem;
                dec[r] = f.decisions_per_batch;
                snk[r] = f.sink_per_item;
            }
            double med = mb_median(v, reps);
            printf("   %-10s %5u %6u %10llu %10.1f %10.1f %10.1f %10.1f %12.2f %12.2f %10.2f\n",
                   jf_strategy_name(cases[c].s), cases[c].cores, batch,
                   (unsigned long long)items, med, mb_min(v, reps), mb_max(v, reps),
                   mb_median(cpu, reps), mb_median(parks, reps), mb_median(dec, reps),
                   mb_median(snk, reps));
            fflush(stdout);
        }
    }
    printf("\n");
    jf_topology_destroy(topo);
    return failed;
}
