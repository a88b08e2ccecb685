/* worker.c - a worker thread: take a batch, run the kernel, pass it on. */
#include <string.h>

#include "cpu_time.h"
#include "jf_clock.h"
#include "jefferson/error.h"
#include "options.h"
#include "pipeline_internal.h"

/* Folds one batch's per-item time into the worker's own running mean for
 * the stage (jf__service_update), and publishes it as the stage's mean
 * when it has drifted from the published one (jf__service_drifted): with
 * hundreds of workers at a stage, a store per batch would pass the
 * stage's line from core to core at every batch (docs/engine.md). A
 * worker new to the stage starts from the published mean. */
static void record_service(jf__worker_t *w, size_t s, double sample_ns)
{
    jf__stage_t *st = &w->p->stages[s];
    double published = jf__stage_service(st);
    double mine = jf__service_update(w->service[s] > 0 ? w->service[s] : published, sample_ns);
    uint64_t bits;

    w->service[s] = mine;
    if (!jf__service_drifted(published, mine, w->p->service_drift))
        return;
    memcpy(&bits, &mine, sizeof(bits));
    /* Relaxed: the mean publishes nothing else; a reader (the policy's
     * votes) needs only some recent value, and a 64-bit store is whole. */
    atomic_store_explicit(&st->service_bits, bits, memory_order_relaxed);
}

/* Says what this worker holds: a batch of stage s (JF_NO_STAGE: none),
 * and with it the batch it keeps for the next stage, the source positions
 * it claimed ahead (stage 0's) and the batches it keeps for the sink (the
 * last stage's). seq_cst: the done check reads the stage's input and then
 * every worker's holding, against these stores before a take and after a
 * push (flow.c). */
static void hold(jf__worker_t *w, int s)
{
    uint64_t bits = s == JF_NO_STAGE ? 0 : UINT64_C(1) << s;

    if (w->carry_n > 0)
        bits |= UINT64_C(1) << w->carry_stage;
    if (w->stash_n > 0)
        bits |= 1;
    if (w->sink_n > 0)
        bits |= UINT64_C(1) << (w->p->nstages - 1);
    atomic_store_explicit(&w->holding, bits, memory_order_seq_cst);
}

/* Runs the kernel over the batch. Returns how many items succeeded; on a
 * failure the run is failed with the stage and the item's seq. */
static size_t run_kernels(jf__worker_t *w, size_t s, size_t n)
{
    jf__stage_t *st = &w->p->stages[s];

    for (size_t i = 0; i < n; i++) {
        jf_item_t in = w->batch[i];
        int rc = st->fn(st->ctx, &in, &w->batch[i]);
        if (rc != 0) {
            jf__fail(w->p, JF_EKERNEL, (int)s, in.seq, rc);
            return i;
        }
    }
    return n;
}

/* Hands the batches kept for the sink over. */
static void hand_over(jf__worker_t *w)
{
    jf__sink_accept(w, w->sink_buf, w->sink_n);
    w->sink_n = 0;
    w->sink_batches = 0;
}

/* Hands a finished batch to the next stage or the sink. The queue cannot
 * stay full (see source_limit), so the loop only waits out a consumer
 * that is between claiming and releasing cells. */
static void pass_on(jf__worker_t *w, size_t s, size_t n)
{
    struct jf_pipeline *p = w->p;

    if (s + 1 == p->nstages) {
        /* Checked here, by this worker, not under the sink's lock: what
         * needs no order stays off the sink's serial path. */
        if (jf__sink_check(p, w->batch, n) != 0)
            return; /* the run has failed */
        if (w->sink_buf == NULL) {
            jf__sink_accept(w, w->batch, n);
            return;
        }
        /* Many workers, and the sink found contended: kept, and handed
         * over several batches at a time (options.h, jf__end_batches), so
         * that the sink's line passes between cores once per few batches. */
        memcpy(w->sink_buf + w->sink_n, w->batch, n * sizeof *w->batch);
        w->sink_n += n;
        w->sink_batches++;
        if (jf__hand_over_due(w->sink_busy, w->sink_batches, p->end_batches, w->sink_n,
                              p->end_items))
            hand_over(w);
        return;
    }
    size_t done = 0;
    while (done < n) {
        done += jf_queue_push_batch(p->stages[s + 1].in, w->batch + done, n - done);
        if (done < n) {
            /* Relaxed: only ends the wait on a full queue; the run's verdict
             * is read after the joins, which order everything. */
            if (atomic_load_explicit(&p->stop, memory_order_relaxed))
                return;
            jf_cpu_relax();
        }
    }
    jf__wake_for_stage(p, s + 1);
}

/* Takes up to `want` items from the source: the positions it claimed
 * ahead first, else a claim (jf__claim_size), whose rest it keeps for its
 * next batches here; or, when the run claims through end groups, its
 * group's positions (jf__source_claim_group). */
static size_t take_source(jf__worker_t *w, size_t want)
{
    struct jf_pipeline *p = w->p;

    if (w->stash_n == 0 && p->group_claims) {
        w->stash_n = jf__source_claim_group(w, want, &w->stash_first, &w->stash_born);
        if (w->stash_n == 0)
            return 0;
    } else if (w->stash_n == 0) {
        w->stash_first = jf__source_claim(p, want, &w->stash_n, &w->claim_busy);
        if (w->stash_n == 0)
            return 0; /* nothing to claim now: no clock read for it */
        w->stash_born = jf_clock_ns();
    }
    size_t n = want < w->stash_n ? want : w->stash_n;
    if (n > 0 && jf__source_fill(p, w->batch, w->stash_first, n, w->stash_born) != 0)
        return 0; /* the run has failed */
    w->stash_first += n;
    w->stash_n -= n;
    return n;
}

/* Takes up to the stage's batch size (jf__batch_for) from its input. */
static size_t take(jf__worker_t *w, size_t s)
{
    struct jf_pipeline *p = w->p;
    size_t want = jf__batch_for(jf__stage_service(&p->stages[s]), p->opt.batch, p->opt.batch_max);

    if (s == 0)
        return take_source(w, want);
    return jf_queue_pop_batch(p->stages[s].in, w->batch, want);
}

/* Carry. A worker of a carrying strategy keeps a finished batch in hand
 * for the next stage instead of pushing it; when its next decision sends
 * it there (the batch counts as queued at that stage), the batch runs from
 * this core's cache: no push, no pop, no wake-up, no payload lines fetched
 * by another core. A carried batch may overtake older items queued at its
 * stage; the sink puts them back in order, and the in-flight window grows
 * with the batch size so that it has the room (options.c). Keeping a batch
 * only when the next queue is empty overtakes nothing but carries almost
 * never (docs/performance.md, "Carry"). */
static bool keep(const jf__worker_t *w, size_t s)
{
    return JF_CARRY && w->p->ops->carries && s + 1 < w->p->nstages;
}

/* Keeps a finished batch of stage s for s + 1, or passes it on. A kept
 * batch's bit of `holding` replaces its stage's in one store, so the done
 * check finds the items in someone's hands at every moment (flow.c). */
static void finish(jf__worker_t *w, size_t s, size_t n)
{
    if (!keep(w, s)) {
        pass_on(w, s, n);
        hold(w, JF_NO_STAGE);
        return;
    }
    w->carry_n = n;
    w->carry_stage = (int)s + 1;
    hold(w, JF_NO_STAGE); /* the kept batch's stage, in place of s */
}

void jf__flush_carry(jf__worker_t *w)
{
    struct jf_pipeline *p = w->p;

    if (w->carry_n == 0)
        return;
    size_t s = (size_t)w->carry_stage;
    pass_on(w, s - 1, w->carry_n); /* into s's queue, waking a consumer */
    w->carry_n = 0;
    w->carry_stage = JF_NO_STAGE;
    /* After the push: the items are in the queue before the stage may look
     * idle, and the worker that lets go checks done. */
    hold(w, JF_NO_STAGE);
    jf__stage_check_done(p, s);
}

bool jf__flush_sink(jf__worker_t *w)
{
    struct jf_pipeline *p = w->p;

    if (w->sink_n == 0)
        return false;
    hand_over(w);
    hold(w, JF_NO_STAGE);
    jf__stage_check_done(p, p->nstages - 1);
    return true;
}

/* A batch for stage s: the one in hand if it is for s (its bit of
 * `holding` is set already; *carried says so), else one taken from s's
 * input with the bit set first. Returns its size, 0 when there was no input. */
static size_t acquire(jf__worker_t *w, size_t s, bool *carried)
{
    struct jf_pipeline *p = w->p;

    *carried = w->carry_n > 0 && w->carry_stage == (int)s;
    if (*carried) {
        size_t n = w->carry_n;
        w->carry_n = 0;
        w->carry_stage = JF_NO_STAGE;
        w->carried++;
        return n;
    }
    hold(w, (int)s); /* before the take: the done check relies on it */
    size_t n = take(w, s);
    if (n == 0) {
        hold(w, JF_NO_STAGE);
        jf__stage_check_done(p, s);
    }
    return n;
}

/* Trace: a worker samples the thread CPU time of a batch when its budget
 * affords two reads (cpu_time.h). Returns the CPU clock before the batch,
 * or 0 when this batch is not sampled. The reads sit outside the batch's
 * clock readings, so the kernel time the stage measures excludes them. */
static uint64_t cpu_sample_begin(jf__worker_t *w)
{
    uint64_t cost = w->p->cpu_read_ns;

    if (cost == 0 || w->cpu_budget_ns < 2.0 * (double)cost)
        return 0;
    w->cpu_budget_ns -= 2.0 * (double)cost;
    uint64_t cpu = jf__thread_cpu_ns();
    return cpu > 0 ? cpu : 1;
}

/* Earns the budget for a batch of wall_ns and, when the batch was sampled
 * (cpu0 != 0), writes its CPU time into the BATCH_BEGIN event at begin_at
 * (the worker owns its lane; nothing reads it before the run ends). The
 * CPU delta includes about one read of the clock, which is taken off. */
static void cpu_sample_end(jf__worker_t *w, size_t begin_at, uint64_t cpu0, uint64_t wall_ns)
{
    uint64_t cost = w->p->cpu_read_ns;
    double cap = 64.0 * (double)cost;

    w->cpu_budget_ns += JF_CPU_SAMPLE_SHARE * (double)wall_ns;
    if (w->cpu_budget_ns > cap)
        w->cpu_budget_ns = cap;
    if (cpu0 == 0 || begin_at >= w->lane.count)
        return;
    uint64_t used = jf__thread_cpu_ns() - cpu0;
    used = used > cost ? used - cost : 0;
    if (used > wall_ns)
        used = wall_ns;
    w->lane.events[begin_at].value = used > 0 ? (double)used : 1.0; /* 0 = not sampled */
}

size_t jf__run_batch(jf__worker_t *w, size_t s, const jf__decision_t *d)
{
    struct jf_pipeline *p = w->p;
    bool carried;
    size_t n = acquire(w, s, &carried);

    if (n == 0)
        return 0;
    if (d != NULL) {
        /* A reallocation is what the timeline shows: a worker's batch at
         * another stage than its last one, whatever retries came between. */
        if (w->last_stage >= 0 && (size_t)w->last_stage != s && !carried)
            w->reallocations++;
        jf__trace_decision(w, d);
    }
    else if (w->lane.events != NULL) /* fixed workers: the depth they took from */
        jf__trace(w, JF_EV_QDEPTH, (int)s, (uint32_t)jf__stage_queue(p, s), 0, jf_clock_ns());
    uint64_t cpu0 = cpu_sample_begin(w);
    uint64_t t0 = jf_clock_ns();
    size_t begin_at = w->lane.count;
    jf__trace_flagged(w, JF_EV_BATCH_BEGIN, (int)s, (uint32_t)n, 0, t0,
                      carried ? JF_EV_CARRIED : 0);
    size_t ok = run_kernels(w, s, n);
    uint64_t t1 = jf_clock_ns();
    if (w->lane.events != NULL) /* a yielding kernel is off the CPU by design */
        cpu_sample_end(w, begin_at, p->stages[s].yields ? 0 : cpu0, t1 - t0);
    if (ok == n)
        finish(w, s, n); /* lets go of s: the batch is passed on or kept */
    else
        hold(w, JF_NO_STAGE);

    jf_stage_stats_t *stats = &w->stats[s];
    uint64_t per_item = (t1 - t0) / n;
    stats->items += ok;
    stats->batches++;
    stats->kernel_ns += t1 - t0;
    if (per_item > stats->max_item_ns)
        stats->max_item_ns = per_item;
    record_service(w, s, (double)(t1 - t0) / (double)n);
    w->last_stage = (int)s;
    /* t1, not a fresh read: jf__trace's arguments are evaluated even when
     * the trace is off, and a clock read costs ~30 ns (docs/performance.md). */
    jf__trace(w, JF_EV_BATCH_END, (int)s, (uint32_t)ok, (double)(t1 - t0), t1);
    if (!jf__check_deferred(s, w->carry_n > 0))
        jf__stage_check_done(p, s);
    return ok == n ? n : 0;
}

static bool home_ready(jf__worker_t *w)
{
    size_t s = (size_t)w->home;

    return jf__stage_done(w->p, s) || jf__stage_has_input(w->p, s) ||
           (s == 0 && jf__stash(w) > 0);
}

static bool any_ready(jf__worker_t *w)
{
    for (size_t s = 0; s < w->p->nstages; s++)
        if (!jf__stage_done(w->p, s) &&
            (jf__stage_has_input(w->p, s) || (s == 0 && jf__stash(w) > 0)))
            return true;
    return false;
}

void *jf__worker_main(void *arg)
{
    jf__worker_t *w = arg;
    struct jf_pipeline *p = w->p;

    if (p->opt.topology != NULL && w->core >= 0)
        (void)jf_topology_bind_thread(p->opt.topology, (unsigned)w->core); /* best effort */
    pthread_mutex_lock(&p->gate_lock);
    while (!p->gate_open)
        pthread_cond_wait(&p->gate_cond, &p->gate_lock);
    pthread_mutex_unlock(&p->gate_lock);

    /* Looked up once: the loop's only indirect call is the strategy's
     * step, one per batch boundary. A worker with a home waits for that
     * stage; one without waits for any stage. */
    jf__step_t (*step)(jf__worker_t *) = p->ops->step;
    jf__channel_t *channel = jf__park_channel(p, w->home >= 0 ? (size_t)w->home : 0);
    jf__ready_fn ready = w->home >= 0 ? home_ready : any_ready;

    while (!jf__should_exit(p)) {
        jf__step_t next = step(w);
        if (next == JF__STEP_EXIT)
            break;
        /* Nothing to do: batches kept for the sink go first (the credits
         * they free may be what is missing), then sleep. */
        if (next == JF__STEP_IDLE && !jf__flush_sink(w))
            jf__park(w, channel, ready);
    }
    jf__flush_carry(w); /* stopped with a batch in hand: its stage lets go */
    jf__flush_sink(w);
    jf__unplace(w);
    if (w->lane.events != NULL) /* where its time went: the timeline's breakdown */
        w->lane.cpu_ns = jf__thread_cpu_ns();
    return NULL;
}
