// tbb_peer.cpp - the oneTBB peer: the engine's workloads through tbb::parallel_pipeline.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>
#include <oneapi/tbb/task_scheduler_observer.h>

#include "harness/peers/tbb/peer_tbb.h"
#include "harness/peers/tbb/tbb_trace.h"

extern "C" {
#include "core/jf_clock.h"
#include "jefferson/error.h"
#include "core/latency.h"
#include "core/result_totals.h"
}

namespace {

constexpr unsigned kPollEvery = 1024;
constexpr size_t kLine = 64;

// What flows through the filters: `n` consecutive items (1 unless the
// caller asked for batches) and when each arrived. Item seq lives in slot
// seq % (tokens * batch) of the item, born and payload arrays.
struct token {
    uint32_t n;
    jf_item_t *items;
    uint64_t *born;
};

// A stage's counters in one arena slot (one thread at a time uses a slot).
struct stage_acc {
    uint64_t items = 0;
    uint64_t batches = 0;   // tokens
    uint64_t kernel_ns = 0; // timed tokens, scaled by time_every
    uint64_t max_item_ns = 0;
    unsigned since = 0;     // calls since the last timed one
};

// Per arena slot, on its own cache lines: nothing shared on the hot path.
struct alignas(kLine) slot_stats {
    stage_acc st[JF_MAX_STAGES];
};

// Pins each arena slot's thread to a core, as the engine pins its workers.
// A thread is bound once per core change (TBB threads leave and re-enter the
// arena often; a binding syscall each time would cost more than the work).
// TBB's worker threads stay bound after the run; the calling thread's
// affinity is saved and restored by run().
thread_local int pinned_core = -1;

class pinner : public tbb::task_scheduler_observer {
public:
    pinner(tbb::task_arena &arena, const jf_topology_t *topo, unsigned cores)
        : tbb::task_scheduler_observer(arena), topo_(topo), cores_(cores)
    {
        observe(true);
    }
    ~pinner() override { observe(false); }

    void on_scheduler_entry(bool) override
    {
        int slot = tbb::this_task_arena::current_thread_index();
        if (slot < 0)
            return;
        int core = (int)jf_topology_core_for(topo_, (unsigned)slot, cores_);
        if (core != pinned_core && jf_topology_bind_thread(topo_, (unsigned)core) == 0)
            pinned_core = core;
    }

private:
    const jf_topology_t *topo_;
    unsigned cores_;
};

// Everything one run shares between its filters.
struct run_state {
    const jf_stage_spec_t *stages;
    size_t n;
    jf_run_options_t opt;
    unsigned tokens;
    unsigned batch;       // items per token
    uint64_t nslots;      // tokens * batch
    unsigned time_every;
    peer_tbb_options_t tbb;
    double ns_per_burst = 0;
    uint64_t start_ns = 0;

    std::vector<token> slots; // one per token: slot k serves seq / batch % tokens == k
    std::vector<jf_item_t> items;
    std::vector<uint64_t> born;
    unsigned char *slab = nullptr;
    std::vector<slot_stats> stats;

    // Source (serial): the next seq and its clock.
    uint64_t next_seq = 0;
    uint64_t src_now = 0;
    // Sink (serial).
    uint64_t next_emit = 0;
    uint64_t snk_now = 0;
    bool order_ok = true;
    jf__latency_t latency{}; // the engine's histogram (core/latency.h), sink only
    peer_tbb::trace_lanes trace; // empty unless opt.trace

    std::atomic<bool> failed{false};
    bool stopped = false; // set by the sink only
    std::mutex fail_lock;
    int error = 0;
    jf_run_failure_t failure{};
    tbb::task_group_context *ctx = nullptr;

    void fail(int err, int stage, uint64_t seq, int code)
    {
        {
            std::lock_guard<std::mutex> g(fail_lock);
            if (error == 0) {
                error = err;
                failure.stage = stage;
                failure.seq = seq;
                failure.code = code;
            }
        }
        failed.store(true, std::memory_order_relaxed);
        ctx->cancel_group_execution();
    }
};

token *source(run_state &st, tbb::flow_control &fc)
{
    if (st.next_seq >= st.opt.items || st.failed.load(std::memory_order_relaxed)) {
        fc.stop();
        return nullptr;
    }
    uint64_t first = st.next_seq;
    uint32_t n = (uint32_t)std::min<uint64_t>(st.batch, st.opt.items - first);
    token *t = &st.slots[(size_t)(first / st.batch % st.tokens)];
    size_t base = (size_t)(first % st.nslots);
    t->n = n;
    t->items = &st.items[base];
    t->born = &st.born[base];
    // One clock read per time_every tokens, as the engine reads it once per batch.
    if (st.ns_per_burst <= 0 && first / st.batch % st.time_every == 0)
        st.src_now = jf_clock_ns();
    for (uint32_t i = 0; i < n; i++) {
        uint64_t seq = first + i;
        jf_item_t *it = &t->items[i];
        if (st.ns_per_burst > 0) {
            uint64_t due = st.start_ns + (uint64_t)((double)(seq / st.opt.arrival_burst) *
                                                    st.ns_per_burst);
            jf_clock_wait_until(due);
            t->born[i] = due; // latency counts from arrival
        } else {
            t->born[i] = st.src_now;
        }
        it->seq = seq;
        it->payload = st.slab + (base + i) * st.opt.item_bytes;
        it->bytes = st.opt.item_bytes;
        it->used = 0;
        st.next_seq++;
        if (st.opt.source != nullptr) {
            int rc = st.opt.source(st.opt.source_ctx, it);
            if (rc != 0) {
                st.fail(JF_EKERNEL, -1, seq, rc);
                fc.stop();
                return nullptr;
            }
        } else if (it->bytes >= sizeof(seq)) {
            std::memcpy(it->payload, &seq, sizeof(seq));
        }
    }
    return t;
}

token *stage(run_state &st, size_t s, token *t)
{
    if (st.failed.load(std::memory_order_relaxed))
        return t; // cancelled: pass the token on untouched
    int slot = tbb::this_task_arena::current_thread_index();
    stage_acc &a = st.stats[slot >= 0 ? (size_t)slot : 0].st[s];
    const jf_stage_spec_t &spec = st.stages[s];
    bool timed = ++a.since >= st.time_every;
    uint64_t t0 = timed || st.trace.on() ? jf_clock_ns() : 0;

    a.items += t->n;
    a.batches++;
    for (uint32_t i = 0; i < t->n; i++) {
        jf_item_t in = t->items[i];
        int rc = spec.fn(spec.ctx, &in, &t->items[i]);
        if (rc != 0) {
            st.fail(JF_EKERNEL, (int)s, in.seq, rc);
            return t;
        }
    }
    uint64_t t1 = timed || st.trace.on() ? jf_clock_ns() : 0;
    if (timed) {
        // The engine's figures: kernel time summed, the slowest per-item mean of a batch.
        uint64_t dt = t1 - t0;
        a.since = 0;
        a.kernel_ns += dt * st.time_every;
        a.max_item_ns = std::max(a.max_item_ns, dt / t->n);
    }
    if (st.trace.on())
        st.trace.batch(slot >= 0 ? (size_t)slot : 0, s, t->n, t0 - st.start_ns, t1 - st.start_ns);
    // The check hook on the finished items, in this parallel filter, as the
    // engine runs it before its sink.
    for (uint32_t i = 0; s + 1 == st.n && st.opt.check != nullptr && i < t->n; i++) {
        int rc = st.opt.check(st.opt.check_ctx, &t->items[i]);
        if (rc != 0) {
            st.fail(JF_EKERNEL, (int)st.n, t->items[i].seq, rc);
            return t;
        }
    }
    return t;
}

void sink(run_state &st, token *t)
{
    if (st.failed.load(std::memory_order_relaxed))
        return;
    if (st.next_emit / st.batch % st.time_every == 0)
        st.snk_now = jf_clock_ns();
    for (uint32_t i = 0; i < t->n; i++) {
        const jf_item_t &it = t->items[i];
        if (it.seq != st.next_emit)
            st.order_ok = false;
        if (st.opt.sink != nullptr) {
            int rc = st.opt.sink(st.opt.sink_ctx, &it);
            if (rc != 0) {
                st.fail(JF_EKERNEL, (int)st.n, it.seq, rc);
                return;
            }
        }
        jf__latency_record(&st.latency, st.snk_now > t->born[i] ? st.snk_now - t->born[i] : 0);
        st.next_emit++;
        if (st.tbb.poll != nullptr && st.next_emit % kPollEvery == 0 &&
            st.tbb.poll(st.tbb.poll_ctx, st.next_emit) != 0) {
            st.stopped = true;
            st.failed.store(true, std::memory_order_relaxed);
            st.ctx->cancel_group_execution();
            return;
        }
    }
}

// The chain source & stage 0 & ... & stage n-1 & sink.
tbb::filter<void, void> build_chain(run_state &st)
{
    tbb::filter<void, token *> chain = tbb::make_filter<void, token *>(
        tbb::filter_mode::serial_in_order,
        [&st](tbb::flow_control &fc) { return source(st, fc); });
    for (size_t s = 0; s < st.n; s++)
        chain = chain & tbb::make_filter<token *, token *>(
                            tbb::filter_mode::parallel,
                            [&st, s](token *t) { return stage(st, s, t); });
    return chain & tbb::make_filter<token *, void>(tbb::filter_mode::serial_in_order,
                                                    [&st](token *t) { sink(st, t); });
}

void merge(run_state &st, jf_run_result_t *r)
{
    r->nstages = st.n;
    for (const slot_stats &ps : st.stats) {
        for (size_t s = 0; s < st.n; s++) {
            jf_stage_stats_t &d = r->stages[s];
            d.items += ps.st[s].items;
            d.batches += ps.st[s].batches;
            d.kernel_ns += ps.st[s].kernel_ns;
            d.max_item_ns = std::max(d.max_item_ns, ps.st[s].max_item_ns);
        }
    }
    for (size_t s = 0; s < st.n; s++)
        jf__stage_totals(r, s, st.stages[s].yields);
    jf__latency_summary(&st.latency, &r->latency);
}

// Live tokens for items of `batch` per token: tbb->tokens, else the
// window's worth, else PEER_TBB_DEFAULT_TOKENS_PER_CORE per core; never more
// than the run has tokens.
uint64_t token_count(const jf_run_options_t *opt, const peer_tbb_options_t &tbb, unsigned batch)
{
    uint64_t tokens = tbb.tokens   ? tbb.tokens
                      : opt->window ? opt->window / batch
                                    : (uint64_t)PEER_TBB_DEFAULT_TOKENS_PER_CORE * opt->cores;
    return std::max<uint64_t>(1, std::min<uint64_t>(tokens, (opt->items + batch - 1) / batch));
}

// Options, defaults and the slab of payloads. Returns 0, JF_ERANGE or JF_ENOMEM.
int prepare(run_state &st, const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
            const peer_tbb_options_t *tbb)
{
    st.stages = stages;
    st.n = n;
    st.opt = *opt;
    st.tbb = tbb ? *tbb : peer_tbb_options_t{};
    if (st.opt.item_bytes == 0)
        st.opt.item_bytes = 64;
    if (st.opt.batch == 0)
        st.opt.batch = 16;
    if (st.opt.arrival_burst == 0)
        st.opt.arrival_burst = 1;
    if (!(st.opt.arrival_rate_per_s >= 0) || st.opt.arrival_rate_per_s > 1e12)
        return JF_ERANGE;
    if (st.opt.arrival_rate_per_s > 0)
        st.ns_per_burst = 1e9 * st.opt.arrival_burst / st.opt.arrival_rate_per_s;
    st.batch = st.tbb.batch ? st.tbb.batch : 1;
    if (st.batch > 65536)
        return JF_ERANGE;
    // Per-item tokens: time 1 in `batch` (the engine's clock reads per item);
    // batched tokens: time every one, as the engine times every batch.
    st.time_every = st.tbb.time_every ? st.tbb.time_every : st.batch > 1 ? 1 : st.opt.batch;
    uint64_t tokens = token_count(opt, st.tbb, st.batch);
    st.nslots = tokens * st.batch;
    if (st.nslots > (1u << 22) || st.nslots * st.opt.item_bytes > (1ull << 30))
        return JF_ERANGE;
    st.tokens = (unsigned)tokens;

    st.slots.resize(st.tokens);
    st.items.resize(st.nslots);
    st.born.resize(st.nslots);
    st.slab = static_cast<unsigned char *>(std::calloc(st.nslots, st.opt.item_bytes));
    return st.slab == nullptr ? JF_ENOMEM : 0;
}

// Runs the pipeline in an arena of opt.cores threads, pinned when asked.
// Returns its wall time.
uint64_t execute(run_state &st, tbb::task_arena &arena, tbb::task_group_context &ctx)
{
    const jf_run_options_t &opt = st.opt;
    tbb::filter<void, void> chain = build_chain(st);
    pinner *pin = nullptr;
    cpu_set_t saved;
    bool restore = false;

    if (opt.topology != nullptr) {
        restore = pthread_getaffinity_np(pthread_self(), sizeof saved, &saved) == 0;
        pin = new pinner(arena, opt.topology, opt.cores);
    }
    uint64_t t0 = 0, t1 = 0;
    arena.execute([&] {
        t0 = st.start_ns = jf_clock_ns();
        tbb::parallel_pipeline(st.tokens, chain, ctx);
        t1 = jf_clock_ns();
    });
    delete pin;
    if (restore) {
        (void)pthread_setaffinity_np(pthread_self(), sizeof saved, &saved);
        pinned_core = -1;
    }
    return t1 - t0;
}

int run(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
        const peer_tbb_options_t *tbb, jf_run_result_t *r)
{
    run_state st;
    int rc = prepare(st, stages, n, opt, tbb);
    if (rc != 0) {
        std::free(st.slab);
        return rc;
    }
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, opt->cores);
    tbb::task_arena arena((int)opt->cores);
    arena.initialize();
    st.stats.resize((size_t)arena.max_concurrency());
    if (opt->trace && st.trace.init((size_t)arena.max_concurrency(),
                                    (opt->items + st.batch - 1) / st.batch * n,
                                    opt->trace_capacity, opt->topology, opt->cores) != 0) {
        std::free(st.slab);
        return JF_ENOMEM;
    }
    tbb::task_group_context ctx;
    st.ctx = &ctx;
    r->wall_ns = execute(st, arena, ctx);
    std::free(st.slab);

    r->threads = opt->cores;
    r->items_in = st.next_seq;
    r->items_out = st.next_emit;
    r->order_preserved = st.order_ok;
    r->failure = st.failure;
    merge(st, r);
    r->trace = st.trace.finish(stages, n, r->wall_ns);
    if (opt->trace && r->trace == nullptr)
        return JF_ENOMEM;
    if (st.error != 0)
        return st.error;
    if (st.stopped)
        return JF_ESTOPPED;
    if (!st.order_ok)
        return JF_EORDER;
    if (r->items_out != opt->items || r->items_in != opt->items)
        return JF_ESTALL;
    return 0;
}

} // namespace

extern "C" int peer_tbb_run_ex(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
                             const peer_tbb_options_t *tbb, jf_run_result_t *result)
{
    if (result == nullptr)
        return JF_EINVAL;
    std::memset(result, 0, sizeof(*result));
    if (stages == nullptr || opt == nullptr || n == 0 || n > JF_MAX_STAGES || opt->cores == 0 ||
        opt->items == 0)
        return JF_EINVAL;
    for (size_t s = 0; s < n; s++)
        if (stages[s].fn == nullptr || stages[s].name == nullptr)
            return JF_EINVAL;
    try {
        return run(stages, n, opt, tbb, result);
    } catch (const std::bad_alloc &) {
        return JF_ENOMEM;
    } catch (...) {
        return JF_EKERNEL; // TBB reported a failure we did not raise
    }
}

extern "C" unsigned peer_tbb_tokens(const jf_run_options_t *opt, const peer_tbb_options_t *tbb)
{
    peer_tbb_options_t t = tbb ? *tbb : peer_tbb_options_t{};
    unsigned batch = t.batch ? t.batch : 1;
    if (opt == nullptr || opt->cores == 0 || opt->items == 0 || batch > 65536)
        return 0;
    return (unsigned)token_count(opt, t, batch);
}

extern "C" int peer_tbb_finalize(void)
{
    try {
        tbb::task_scheduler_handle handle{tbb::attach{}};
        return tbb::finalize(handle, std::nothrow) ? 0 : JF_EINVAL;
    } catch (...) {
        return JF_EINVAL;
    }
}

extern "C" int peer_tbb_run(const jf_stage_spec_t *stages, size_t n, const jf_run_options_t *opt,
                          jf_run_result_t *result)
{
    return peer_tbb_run_ex(stages, n, opt, nullptr, result);
}
