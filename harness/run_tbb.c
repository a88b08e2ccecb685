/* run_tbb.c - one repetition of the tbb strategy: the oneTBB peer under the monitor. */
#include "run.h"

#include "bench.h"
#include "jefferson/error.h"

#ifdef JF_HAVE_TBB
#include "harness/peers/tbb/peer_tbb.h"

int bench_run_tbb(bench_monitor_t *monitor, const jf_stage_spec_t *specs, size_t nstages,
                const jf_run_options_t *opt, const char *what, jf_run_result_t *res,
                unsigned *tokens)
{
    /* Tokens of the engine's batch (its least one when batches adapt):
     * the like-for-like and the stronger peer (docs/performance.md); the
     * peer's default token count. */
    peer_tbb_options_t tbb = {
        .batch = bench_tbb_items_per_token(opt->batch), .poll = bench_monitor_poll,
        .poll_ctx = monitor,
    };

    *tokens = peer_tbb_tokens(opt, &tbb);
    if (!bench_monitor_attach_polled(monitor, what, opt->items))
        return BENCH_EXIT_INTERRUPTED;
    int rc = peer_tbb_run_ex(specs, nstages, opt, &tbb, res);
    bench_monitor_detach(monitor);
    return rc;
}

void bench_run_tbb_finish(void)
{
    (void)peer_tbb_finalize(); /* EINVAL: TBB still in use, its threads are not ours */
}

#else

int bench_run_tbb(bench_monitor_t *monitor, const jf_stage_spec_t *specs, size_t nstages,
                const jf_run_options_t *opt, const char *what, jf_run_result_t *res,
                unsigned *tokens)
{
    (void)monitor, (void)specs, (void)nstages, (void)opt, (void)what, (void)res;
    *tokens = 0;
    return JF_EINVAL; /* the command line does not let tbb through */
}

void bench_run_tbb_finish(void)
{
}

#endif
