/* sim_worker.c - a simulated worker: take a batch, pay overheads, run, pass on; its strategy chooses. */
#include <math.h>

#include "jf_alloc.h"
#include "jefferson/error.h"
#include "options.h"
#include "sim_internal.h"

/* worker.c's record_service: w's own running mean for stage st, published
 * as the stage's (a write of its line) when it drifts; 0 = not measured. */
static void record_service(jf__sim_t *s, jf__sim_worker_t *w, size_t st, double sample_ns)
{
    jf__sim_stage_t *q = &s->stages[st];
    double mine = jf__service_update(w->service[st] > 0 ? w->service[st] : q->service, sample_ns);

    w->service[st] = mine;
    if (!jf__service_drifted(q->service, mine, s->service_drift))
        return;
    q->service = mine;
    jf__sim_line_write(s, w, &q->meta_line);
}

static double item_cost(const jf__sim_t *s, size_t st, uint64_t seq)
{
    double c = s->cm.cost(s->cm.cost_ctx, st, seq);

    return c >= 0 && isfinite(c) ? c : 0; /* the contract: anything else is 0 */
}

/* What the kernel of stage st returns for item seq (0: it succeeds). */
static int item_fails(const jf__sim_t *s, size_t st, uint64_t seq)
{
    return s->cm.fails != NULL ? s->cm.fails(s->cm.fails_ctx, st, seq) : 0;
}

/* Room for n items in the worker's batch. Grown on demand, so the memory
 * follows the batches really taken, not batch x workers. */
static bool reserve(jf__sim_t *s, jf__sim_worker_t *w, uint64_t n)
{
    if (n <= w->seqs_cap)
        return true;
    uint32_t cap = w->seqs_cap ? w->seqs_cap : 16;
    while (cap < n)
        cap *= 2;
    uint64_t *seqs = jf_calloc(cap, sizeof(*seqs));
    if (seqs == NULL) {
        jf__sim_fail(s, JF_ENOMEM);
        return false;
    }
    jf_free(w->seqs); /* empty between batches: nothing to copy */
    w->seqs = seqs;
    w->seqs_cap = cap;
    return true;
}

/* scheduler.c's jf__trace_decision: the decision, then the queue depths
 * and service times that changed since this worker's last decision. */
static void trace_decision(jf__sim_t *s, jf__sim_worker_t *w, int to, const jf__sim_choice_t *c,
                           bool carried)
{
    if (!s->opt.trace)
        return;
    uint32_t from = w->last_stage < 0 ? JF_TRACE_NONE : (uint32_t)w->last_stage;
    jf__sim_trace_flagged(s, w, JF_EV_DECIDE, to, from, c->score, carried ? JF_EV_CARRIED : 0);
    for (size_t st = 0; st < s->nstages; st++) {
        uint32_t depth = (uint32_t)c->views[st].queue;
        double service = c->views[st].service_ns;
        if (depth == w->seen_depth[st] && service == w->seen_service[st])
            continue;
        w->seen_depth[st] = depth;
        w->seen_service[st] = service;
        jf__sim_trace(s, w, JF_EV_QDEPTH, (int)st, depth, service);
    }
}

/* The kernels start: on the core for a CPU stage, off it for one that yields. */
static void start_kernel(jf__sim_t *s, jf__sim_worker_t *w)
{
    w->kernel_start = s->now;
    w->begin_at = w->lane.count;
    jf__sim_trace_flagged(s, w, JF_EV_BATCH_BEGIN, w->stage, w->n, 0,
                          w->carried ? JF_EV_CARRIED : 0);
    if (s->stages[w->stage].yields) {
        w->state = JF__SIM_SLEEP;
        jf__sim_timer(s, w, s->now + w->kernel_cost);
    } else {
        w->state = JF__SIM_KERNEL;
        jf__sim_cpu_add(s, w, w->kernel_cost);
    }
}

/* worker.c's acquire: a batch for stage st taken from its input, with
 * its bit of `holding` set first (on w's own line: free). Returns its size
 * (0: out of memory). */
static uint32_t take_batch(jf__sim_t *s, jf__sim_worker_t *w, size_t st, uint32_t *foreign,
                           bool *shared)
{
    uint64_t want = jf__sim_queue(s, st);
    size_t most = jf__batch_for(s->stages[st].service, s->opt.batch, s->opt.batch_max);
    /* At stage 0 positions claimed ahead cost no claim, and a claim
     * through the worker's end group writes the group's lines instead
     * (sim_flow.c's group_claim). */
    bool claims = st > 0 || (w->stash_n == 0 && !s->group_claims);

    if (want > most || st == 0) /* the source's take limits itself */
        want = most;
    if (!reserve(s, w, want))
        return 0;
    uint32_t n = jf__sim_take(s, st, w, (uint32_t)want, foreign);
    /* Workers of one stage are on distinct cores: another one holding a
     * batch here works the same queue from another core. */
    *shared = s->stages[st].active > 0;
    s->stages[st].active++;
    if (claims) { /* the take */
        bool busy = jf__sim_line_write(s, w, &s->stages[st].take_line);
        w->claim_busy = st == 0 ? busy : w->claim_busy;
    }
    return n;
}

void jf__sim_begin_batch(jf__sim_t *s, jf__sim_worker_t *w, size_t st, const jf__sim_choice_t *c)
{
    bool moved = false;
    bool shared = false;
    uint32_t foreign = 0;
    /* The batch in hand, if it is for st: no take, no hop, nothing that
     * another core wrote (worker.c's carry). */
    bool carried = w->carry == (int)st;
    uint32_t n = carried ? w->n : take_batch(s, w, st, &foreign, &shared);

    if (n == 0)
        return;
    w->carry = -1;
    w->carried = carried;
    s->r->carried += carried;
    w->spun = false;
    if (c != NULL) {
        /* A reallocation is a batch at another stage than the last one. */
        moved = w->last_stage >= 0 && w->last_stage != (int)st && !carried;
        s->r->reallocations += moved;
        trace_decision(s, w, (int)st, c, carried);
    } else if (s->opt.trace) { /* fixed workers: the depth they took from */
        jf__sim_trace(s, w, JF_EV_QDEPTH, (int)st, (uint32_t)jf__sim_queue(s, st), 0);
    }
    /* As run_kernels in worker.c: the kernels run in order, and the batch
     * ends with the first that fails (its cost is paid). */
    double cost = 0;
    w->ok = n;
    w->fail_code = 0;
    for (uint32_t i = 0; i < n && w->fail_code == 0; i++) {
        cost += item_cost(s, st, w->seqs[i]);
        if ((w->fail_code = item_fails(s, st, w->seqs[i])) != 0)
            w->ok = i;
    }
    w->stage = (int)st;
    w->n = n;
    w->kernel_cost = cost;
    double pre = s->cm.batch_overhead_ns + (carried ? 0 : n * s->cm.item_overhead_ns) +
                 foreign * s->cm.cross_core_ns + (shared ? n * s->cm.contention_ns : 0) +
                 (c != NULL ? s->decision_cost : 0) + (moved ? s->cm.move_ns : 0) +
                 jf__sim_line_settle(w);
    if (pre > 0) {
        w->state = JF__SIM_PRE;
        jf__sim_cpu_add(s, w, pre);
    } else {
        start_kernel(s, w);
    }
}

/* A kernel failed in w's batch: the run stops there, as jf__fail stops
 * the engine, with the stage, the item and the code. */
static void fail_batch(jf__sim_t *s, jf__sim_worker_t *w)
{
    if (s->error == 0)
        s->r->failure = (jf_run_failure_t){w->stage, w->seqs[w->ok], w->fail_code};
    jf__sim_fail(s, JF_EKERNEL);
    w->state = JF__SIM_EXITED;
}

/* worker.c's keep and finish: a finished batch of stage st is kept in
 * hand for st + 1 (its bit of `holding` set) when the strategy carries;
 * else it is pushed there or to the sink. */
static void finish(jf__sim_t *s, jf__sim_worker_t *w, size_t st)
{
    if (JF_CARRY && s->ops->carries && st + 1 < s->nstages) {
        s->stages[st + 1].active++;
        w->carry = (int)st + 1;
        return;
    }
    if (jf__sim_pass_on(s, st, w) && st + 1 < s->nstages) /* the sink: written there */
        jf__sim_line_write(s, w, &s->stages[st + 1].push_line);
}

void jf__sim_flush_carry(jf__sim_t *s, jf__sim_worker_t *w)
{
    if (w->carry < 0)
        return;
    size_t st = (size_t)w->carry;
    w->carry = -1;
    (void)jf__sim_pass_on(s, st - 1, w); /* into a queue: never kept */
    jf__sim_line_write(s, w, &s->stages[st].push_line);
    s->stages[st].active--;
    jf__sim_check_done(s, w, st);
}

void jf__sim_next_step(jf__sim_t *s, jf__sim_worker_t *w)
{
    if (s->finished || s->error != 0)
        return;
    if (!w->flushing) {
        jf__sim_step(s, w);
        return;
    }
    w->state = JF__SIM_FLUSH;
    jf__sim_cpu_add(s, w, jf__sim_line_settle(w));
}

/* The kernels are done: pass the items on (none when one failed), account,
 * and choose again. */
static void end_batch(jf__sim_t *s, jf__sim_worker_t *w)
{
    size_t st = (size_t)w->stage;
    jf_stage_stats_t *stats = &s->r->stages[st];
    uint64_t ns = jf__sim_ns(s->now - w->kernel_start);
    uint64_t per_item = ns / w->n;

    if (w->fail_code == 0)
        finish(s, w, st);
    s->stages[st].active--;
    stats->items += w->ok;
    stats->batches++;
    stats->kernel_ns += ns;
    if (per_item > stats->max_item_ns)
        stats->max_item_ns = per_item;
    record_service(s, w, st, (double)ns / w->n);
    w->last_stage = (int)st;
    jf__sim_trace(s, w, JF_EV_BATCH_END, (int)st, w->ok, (double)ns);
    /* The batch's modelled CPU time, as the engine samples it (jf_trace.h):
     * all of its kernels' cost, whatever time slicing made its wall. */
    if (!s->stages[st].yields && w->begin_at < w->lane.count && w->kernel_cost >= 1)
        w->lane.events[w->begin_at].value = (double)jf__sim_ns(w->kernel_cost);
    if (w->fail_code != 0) {
        fail_batch(s, w);
        return;
    }
    w->state = JF__SIM_FREE;
    if (!jf__check_deferred(st, w->carry >= 0))
        jf__sim_check_done(s, w, st);
    jf__sim_next_step(s, w);
}

/* Where w sleeps: the engine's jf__park_channel. */
static jf__sim_list_t *park_list(jf__sim_t *s, jf__sim_worker_t *w)
{
    return s->ops->park == JF__PARK_HOME ? &s->stages[w->home].parked : &s->lot;
}

/* w sleeps until a signal. */
static void sleep_now(jf__sim_t *s, jf__sim_worker_t *w)
{
    jf__sim_trace(s, w, JF_EV_PARK, w->at, 0, 0);
    s->r->parks++;
    w->owed = 0; /* going to sleep: park_ns covers the lines it touched */
    jf__sim_park_list_add(s, park_list(s, w), w);
}

/* No work for w. The engine spins a little (to catch work being pushed
 * right now), then sleeps on a futex; that and the context switches of
 * getting up again cost CPU on the worker's core (measured: ~20 us a
 * park), paid up front. Work that appears meanwhile is caught without
 * sleeping, once between batches, so a scheduled worker the policy does
 * not want cannot loop. */
void jf__sim_park(jf__sim_t *s, jf__sim_worker_t *w)
{
    /* As the engine's loop: batches kept for the sink go first, and the
     * worker looks again before it sleeps. */
    if (jf__sim_flush_sink(s, w)) {
        jf__sim_next_step(s, w);
        return;
    }
    if (s->cm.park_ns > 0 && !w->spun) {
        w->spun = true;
        w->state = JF__SIM_SPIN;
        jf__sim_cpu_add(s, w, s->cm.park_ns + jf__sim_line_settle(w));
        return;
    }
    sleep_now(s, w);
}

/* What a signalled worker checks before it gets up (park.c's ready functions). */
static bool ready(const jf__sim_t *s, const jf__sim_worker_t *w)
{
    if (w->home >= 0)
        return s->stages[w->home].done || jf__sim_queue_for(s, w, (size_t)w->home) > 0;
    return jf__sim_any_ready(s);
}

void jf__sim_step(jf__sim_t *s, jf__sim_worker_t *w)
{
    s->ops->sim_step(s, w);
}

/* w, which was off its core, has it again: a yielding stage's kernels are
 * over, a signalled worker looks for work (park.c's ready functions), or a
 * worker starts. */
static void on_core(jf__sim_t *s, jf__sim_worker_t *w)
{
    switch (w->state) {
    case JF__SIM_SLEEP:
        end_batch(s, w);
        break;
    case JF__SIM_WAKING:
        /* A signal that finds nothing (someone was faster) is lost, and
         * the worker sleeps on, as on a condition variable. */
        if (!ready(s, w)) {
            jf__sim_park_list_add(s, park_list(s, w), w);
            break;
        }
        jf__sim_trace(s, w, JF_EV_UNPARK, -1, 0, 0);
        w->state = JF__SIM_FREE;
        jf__sim_step(s, w);
        break;
    case JF__SIM_FREE:
        jf__sim_step(s, w);
        break;
    default:
        break;
    }
}

void jf__sim_on_cpu_done(jf__sim_t *s, jf__sim_worker_t *w)
{
    switch (w->state) {
    case JF__SIM_PRE:
        start_kernel(s, w);
        break;
    case JF__SIM_KERNEL:
        end_batch(s, w);
        break;
    case JF__SIM_FLUSH:
        jf__sim_group_flush(s, w);
        break;
    case JF__SIM_SPIN:
        if (!ready(s, w)) {
            sleep_now(s, w);
            break;
        }
        w->state = JF__SIM_FREE;
        jf__sim_step(s, w);
        break;
    default:
        on_core(s, w);
        break;
    }
}

/* A timer of a worker off its core: it becomes runnable, and acts once it
 * has the core (at once when the core is free). */
void jf__sim_on_timer(jf__sim_t *s, jf__sim_worker_t *w)
{
    switch (w->state) {
    case JF__SIM_SLEEP:
    case JF__SIM_WAKING:
    case JF__SIM_FREE:
        if (jf__sim_cpu_get(s, w))
            on_core(s, w);
        break;
    default:
        break;
    }
}
