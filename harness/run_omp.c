/* run_omp.c - the omp strategy: the OpenMP peer in its best configuration of a small sweep.
 *
 * A fair comparison tunes the peer as its user would: the first repetition
 * of a set (warm-ups included) first runs the workload twice in each
 * configuration below, as the repetitions run (trace included), untimed for
 * the results, and the set is measured in the fastest; result.json names it
 * and lists the sweep. bench_run_omp_finish forgets the choice, so the next
 * workload or core count sweeps again. */
#include "run.h"

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "jefferson/error.h"

#ifdef JF_HAVE_OMP
#include "peers/omp/omp_peer.h"

#define ADAPTIVE 0 /* chunk: from the stages' service times in the first sweep run */

static const struct {
    peer_omp_schedule_t schedule;
    unsigned chunk;
} sweep[] = {
    {PEER_OMP_DYNAMIC, 16}, {PEER_OMP_DYNAMIC, 1}, {PEER_OMP_DYNAMIC, ADAPTIVE},
    {PEER_OMP_STATIC, 1},   {PEER_OMP_STATIC, 16}, {PEER_OMP_STATIC, ADAPTIVE},
    {PEER_OMP_GUIDED, 16},
};

#define SWEEP (sizeof sweep / sizeof sweep[0])
#define SWEEP_ROUNDS 2
_Static_assert(SWEEP <= BENCH_SWEEP_MAX, "the sweep fits a repetition's record");

static struct {
    bool chosen;
    peer_omp_options_t best;
    bench_sweep_t tried[SWEEP];
} state;

/* Items per chunk worth the engine's batch target at the mean stage service
 * time of a finished run, between 1 and 256. */
static unsigned adaptive_chunk(const jf_run_result_t *r)
{
    double sum = 0;

    for (size_t s = 0; s < r->nstages; s++)
        sum += r->stages[s].mean_service_ns;
    double mean = r->nstages ? sum / (double)r->nstages : 0;
    double k = mean > 1 ? 16000.0 / mean : 256;
    return k < 1 ? 1 : k > 256 ? 256 : (unsigned)(k + 0.5);
}

/* "dynamic/16": the schedule, and the items of a chunk. */
static void describe(char *buf, size_t size, const peer_omp_options_t *o)
{
    snprintf(buf, size, "%s/%u", peer_omp_schedule_name(o->schedule), o->chunk);
}

/* One sweep run of configuration o into *wall_ns; r's stage means set the
 * adaptive chunk when asked. Returns 0 or the run's error. */
static int try_one(const bench_rep_t *rep, const peer_omp_options_t *o, uint64_t *wall_ns,
                   unsigned *adaptive)
{
    jf_run_result_t r;
    int rc = peer_omp_run_ex(rep->specs, rep->nstages, rep->opt, o, &r);

    if (rc == 0 && (r.items_out != rep->opt->items || !r.order_preserved))
        rc = JF_EORDER; /* every run checks loss and order, the sweep's too */
    if (rc == 0 && adaptive != NULL)
        *adaptive = adaptive_chunk(&r);
    *wall_ns = r.wall_ns;
    jf_run_result_fini(&r);
    return rc;
}

/* Runs every configuration SWEEP_ROUNDS times, round after round (so that
 * a drift of the machine touches them all), and keeps the one with the
 * least time: one run each let a loaded machine crown a configuration that
 * was lucky once. The runs are the repetitions' own conditions, trace
 * included: recording one-item chunks costs what it costs in them too. */
static int choose(const bench_rep_t *rep)
{
    unsigned adaptive = 16;
    uint64_t best = UINT64_MAX;

    for (unsigned round = 0; round < SWEEP_ROUNDS; round++) {
        for (size_t i = 0; i < SWEEP; i++) {
            peer_omp_options_t o = {.chunk = sweep[i].chunk ? sweep[i].chunk : adaptive,
                                    .schedule = sweep[i].schedule, .poll = bench_monitor_poll,
                                    .poll_ctx = rep->monitor};
            uint64_t wall;
            int rc = try_one(rep, &o, &wall, round == 0 && i == 0 ? &adaptive : NULL);
            if (rc != 0)
                return rc;
            bench_sweep_t *t = &state.tried[i];
            if (round == 0 || wall < t->wall_ns)
                t->wall_ns = wall;
            t->runs++;
            describe(t->config, sizeof t->config, &o);
            if (wall < best) {
                best = wall;
                state.best = o;
            }
        }
    }
    state.chosen = true;
    return 0;
}

int bench_run_omp(bench_rep_t *rep)
{
    if (!bench_monitor_attach_polled(rep->monitor, rep->what, rep->opt->items))
        return BENCH_EXIT_INTERRUPTED;
    int rc = state.chosen ? 0 : choose(rep);
    peer_omp_options_t o = state.best;

    o.poll = bench_monitor_poll;
    o.poll_ctx = rep->monitor;
    if (rc == 0) {
        getrusage(RUSAGE_SELF, &rep->before);
        rc = peer_omp_run_ex(rep->specs, rep->nstages, rep->opt, &o, rep->res);
        getrusage(RUSAGE_SELF, &rep->after);
    }
    bench_monitor_detach(rep->monitor);
    if (rc == 0) {
        describe(rep->config, sizeof rep->config, &o);
        memcpy(rep->sweep, state.tried, sizeof state.tried);
        rep->nsweep = SWEEP;
    }
    return rc;
}

void bench_run_omp_finish(void)
{
    memset(&state, 0, sizeof state);
}

#else

int bench_run_omp(bench_rep_t *rep)
{
    (void)rep;
    return JF_EINVAL; /* the command line does not let omp through */
}

void bench_run_omp_finish(void)
{
}

#endif
