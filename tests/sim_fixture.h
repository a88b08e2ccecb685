/* sim_fixture.h - a simulated run for the simulator's tests: stages of
 * given costs, the options and the cost model, and the checks every run
 * passes. Include after <cmocka.h>. */
#ifndef JF_TEST_SIM_FIXTURE_H
#define JF_TEST_SIM_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/jf_sim.h"

#define MAX_TEST_STAGES 8

/* Per-stage costs; `jitter` spreads them over [ns/2, 3ns/2) by a hash of
 * (stage, seq), so runs see uneven items and stay deterministic. */
typedef struct costs {
    double ns[MAX_TEST_STAGES];
    bool jitter;
} costs_t;

static inline double cost_of(void *ctx, size_t stage, uint64_t seq)
{
    const costs_t *c = ctx;

    if (!c->jitter)
        return c->ns[stage];
    uint64_t h = (seq + 1) * 0x9e3779b97f4a7c15ull ^ (stage + 1) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    return c->ns[stage] * (0.5 + (double)(h % 1024) / 1024.0);
}

typedef struct fixture {
    costs_t costs;
    jf_stage_spec_t specs[MAX_TEST_STAGES];
    jf_run_options_t opt;
    jf_sim_options_t sim;
    size_t nstages;
} fixture_t;

/* n stages costing ns[i] each, zero overheads unless the test sets them. */
static inline void fixture_init(fixture_t *f, size_t n, const double *ns, uint64_t items)
{
    static const char *names[MAX_TEST_STAGES] = {"a", "b", "c", "d", "e", "f", "g", "h"};

    memset(f, 0, sizeof(*f));
    f->nstages = n;
    for (size_t s = 0; s < n; s++) {
        f->costs.ns[s] = ns[s];
        f->specs[s].name = names[s];
    }
    f->opt.items = items;
    f->opt.cores = 1;
    f->sim.cost = cost_of;
    f->sim.cost_ctx = &f->costs;
}

static inline void with_default_overheads(fixture_t *f)
{
    jf_sim_options_default(&f->sim);
    f->sim.cost = cost_of;
    f->sim.cost_ctx = &f->costs;
}

static inline int run(fixture_t *f, jf_run_result_t *r)
{
    return jf_sim_run(f->specs, f->nstages, &f->opt, &f->sim, r);
}

static inline void check_complete(const jf_run_result_t *r, uint64_t items)
{
    assert_int_equal(r->items_in, items);
    assert_int_equal(r->items_out, items);
    assert_true(r->order_preserved);
    assert_int_equal(r->latency.max_ns >= r->latency.p99_ns, 1);
    for (size_t s = 0; s < r->nstages; s++)
        assert_int_equal(r->stages[s].items, items);
}

/* Runs f under `strategy` on `cores`, traced, and checks that it
 * succeeds with every item once and in order. */
static inline void run_traced(fixture_t *f, jf_run_result_t *r, jf_strategy_t strategy,
                              unsigned cores)
{
    f->opt.strategy = strategy;
    f->opt.cores = cores;
    f->opt.trace = true;
    assert_int_equal(run(f, r), 0);
    check_complete(r, f->opt.items);
}

static inline double rel_err(double got, double want)
{
    return (got - want) / want;
}

static inline void assert_same_trace(const jf_trace_t *a, const jf_trace_t *b)
{
    assert_int_equal(a->nlanes, b->nlanes);
    assert_int_equal(a->wall_ns, b->wall_ns);
    for (size_t l = 0; l < a->nlanes; l++) {
        assert_int_equal(a->lanes[l].count, b->lanes[l].count);
        assert_int_equal(a->lanes[l].core, b->lanes[l].core);
        assert_int_equal(a->lanes[l].home_stage, b->lanes[l].home_stage);
        assert_memory_equal(a->lanes[l].events, b->lanes[l].events,
                            a->lanes[l].count * sizeof(jf_event_t));
    }
}

#endif /* JF_TEST_SIM_FIXTURE_H */
