/* bench_strategy.c - the strategies bench runs: one row each, the engine's four and the peers. */
#include "bench_strategy.h"

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "run.h"

/* The engine's strategies: build the pipeline, watch it, run it. */
static int run_engine(bench_rep_t *rep)
{
    jf_pipeline_t *p = NULL;
    int rc = jf_pipeline_create(rep->specs, rep->nstages, rep->opt, &p);

    if (rc != 0)
        return rc;
    if (!bench_monitor_attach(rep->monitor, p, rep->what, rep->opt->items)) {
        jf_pipeline_destroy(p);
        return BENCH_EXIT_INTERRUPTED;
    }
    getrusage(RUSAGE_SELF, &rep->before);
    rc = jf_pipeline_run(p, rep->res);
    getrusage(RUSAGE_SELF, &rep->after);
    bench_monitor_detach(rep->monitor);
    jf_pipeline_destroy(p);
    return rc;
}

static unsigned single_threads(size_t nstages, unsigned cores)
{
    return jf_strategy_threads(JF_STRATEGY_SINGLE, nstages, cores);
}

static unsigned per_stage_threads(size_t nstages, unsigned cores)
{
    return jf_strategy_threads(JF_STRATEGY_PER_STAGE, nstages, cores);
}

static unsigned n_per_stage_threads(size_t nstages, unsigned cores)
{
    return jf_strategy_threads(JF_STRATEGY_N_PER_STAGE, nstages, cores);
}

static unsigned scheduled_threads(size_t nstages, unsigned cores)
{
    return jf_strategy_threads(JF_STRATEGY_SCHEDULED, nstages, cores);
}

/* oneTBB's parallel_pipeline (harness/run_tbb.c); it measures from before
 * it attaches to the monitor, as it starts its arena inside the call. */
static int run_tbb(bench_rep_t *rep)
{
    getrusage(RUSAGE_SELF, &rep->before);
    int rc = bench_run_tbb(rep->monitor, rep->specs, rep->nstages, rep->opt, rep->what, rep->res,
                         &rep->tokens);
    getrusage(RUSAGE_SELF, &rep->after);
    return rc;
}

static unsigned tbb_threads(size_t nstages, unsigned cores)
{
    (void)nstages;
    return cores; /* the arena's */
}

static unsigned tbb_items_per_token(unsigned batch)
{
    return bench_tbb_items_per_token(batch);
}

static unsigned omp_threads(size_t nstages, unsigned cores)
{
    (void)nstages;
    return cores; /* the parallel region's */
}

#ifdef JF_HAVE_OMP
#define OMP_UNAVAILABLE NULL
#else
#define OMP_UNAVAILABLE "built without OpenMP"
#endif

#ifdef JF_HAVE_TBB
#define TBB_UNAVAILABLE NULL
#else
#define TBB_UNAVAILABLE "built without oneTBB"
#endif

/* A new peer is a row here, its value in bench_strategy_t and its own
 * file with the run function (docs/engine.md). */
static const bench_strategy_ops_t table[BENCH_STRATEGY_COUNT] = {
    [BENCH_SINGLE] = {
        .name = "single", .help = "one thread runs every stage in turn (the baseline)",
        .simulatable = true, .engine = JF_STRATEGY_SINGLE,
        .threads = single_threads, .run = run_engine,
    },
    [BENCH_PER_STAGE] = {
        .name = "per-stage", .help = "one thread per stage; thread i always runs stage i",
        .simulatable = true, .engine = JF_STRATEGY_PER_STAGE,
        .threads = per_stage_threads, .run = run_engine,
    },
    [BENCH_N_PER_STAGE] = {
        .name = "n-per-stage", .help = "--cores threads per stage, time-sliced by the OS",
        .simulatable = true, .engine = JF_STRATEGY_N_PER_STAGE,
        .threads = n_per_stage_threads, .run = run_engine,
    },
    [BENCH_SCHEDULED] = {
        .name = "scheduled", .help = "--cores threads, placed by the policy at batch boundaries",
        .uses_policy = true, .simulatable = true, .engine = JF_STRATEGY_SCHEDULED,
        .threads = scheduled_threads, .run = run_engine,
    },
    [BENCH_TBB] = {
        .name = "tbb",
        .help = "oneTBB parallel_pipeline on --cores threads, tokens of --batch items",
        .unavailable = TBB_UNAVAILABLE, .remedy = "install libtbb-dev and rebuild",
        .engine = JF_STRATEGY_SCHEDULED, /* the peer ignores it */
        .threads = tbb_threads, .run = run_tbb, .items_per_token = tbb_items_per_token,
        .finish = bench_run_tbb_finish,
    },
    [BENCH_OMP] = {
        .name = "omp",
        .help = "an OpenMP ordered loop on --cores threads, each carrying a chunk through "
                "every stage; schedule and chunk: the fastest of a sweep",
        .unavailable = OMP_UNAVAILABLE,
        .remedy = "rebuild with a compiler that supports -fopenmp, as GCC does",
        .engine = JF_STRATEGY_SCHEDULED, /* the peer ignores it */
        .threads = omp_threads, .run = bench_run_omp, .finish = bench_run_omp_finish,
    },
};

const bench_strategy_ops_t *bench_strategy_ops(bench_strategy_t s)
{
    return (unsigned)s < BENCH_STRATEGY_COUNT ? &table[s] : NULL;
}

const char *bench_strategy_name(bench_strategy_t s)
{
    const bench_strategy_ops_t *ops = bench_strategy_ops(s);

    return ops != NULL ? ops->name : "unknown";
}

int bench_strategy_parse(const char *name)
{
    for (int i = 0; i < BENCH_STRATEGY_COUNT; i++)
        if (strcmp(name, table[i].name) == 0)
            return i;
    return -1;
}

bool bench_strategy_available(bench_strategy_t s)
{
    const bench_strategy_ops_t *ops = bench_strategy_ops(s);

    return ops != NULL && ops->unavailable == NULL;
}

bool bench_strategy_uses_policy(bench_strategy_t s)
{
    const bench_strategy_ops_t *ops = bench_strategy_ops(s);

    return ops != NULL && ops->uses_policy;
}

bool bench_strategy_simulatable(bench_strategy_t s)
{
    const bench_strategy_ops_t *ops = bench_strategy_ops(s);

    return ops != NULL && ops->simulatable;
}

unsigned bench_strategy_threads(bench_strategy_t s, size_t nstages, unsigned cores)
{
    const bench_strategy_ops_t *ops = bench_strategy_ops(s);

    return ops != NULL ? ops->threads(nstages, cores) : cores;
}

void bench_strategy_list(char *buf, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    for (int i = 0; i < BENCH_STRATEGY_COUNT && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", table[i].name);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}
