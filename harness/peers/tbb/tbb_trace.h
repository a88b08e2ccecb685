// tbb_trace.h - the oneTBB peer's trace: one preallocated lane per arena slot (internal).
#ifndef PEER_TBB_TRACE_H
#define PEER_TBB_TRACE_H

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" {
#include "jefferson/pipeline.h"
#include "jefferson/trace.h"
}

namespace peer_tbb {

// A lane on its own cache lines: each is written by the thread in its
// arena slot only (TBB hands a slot from one thread to the next with its
// own synchronisation), so the hot path takes no lock and allocates nothing.
struct alignas(64) padded_lane {
    jf_trace_lane_t lane{};
};

class trace_lanes {
public:
    trace_lanes() = default;
    trace_lanes(const trace_lanes &) = delete;
    trace_lanes &operator=(const trace_lanes &) = delete;
    ~trace_lanes();

    // Preallocates nlanes lanes of events for a run of `filter_calls` calls
    // of the stage filters (bounded as the engine bounds its lanes; what
    // does not fit is counted as dropped). Lane i is arena slot i: its core
    // is jf_topology_core_for(i) with topo, else -1; home_stage -1.
    // Returns 0 or JF_ENOMEM (nothing kept).
    int init(size_t nlanes, uint64_t filter_calls, size_t capacity, const jf_topology_t *topo,
             unsigned cores);

    bool on() const { return !lanes_.empty(); }

    // One filter call in arena slot `slot`: a batch begin at t0 and end at
    // t1 (ns since the run started) of stage `stage`, n items, kernel_ns.
    void batch(size_t slot, size_t stage, uint32_t n, uint64_t t0, uint64_t t1)
    {
        jf_trace_lane_t &l = lanes_[slot < lanes_.size() ? slot : 0].lane;
        push(l, JF_EV_BATCH_BEGIN, t0, stage, n, 0);
        push(l, JF_EV_BATCH_END, t1, stage, n, (double)(t1 - t0));
    }

    // Moves the lanes into a new trace named after stages[0..n) (NULL when
    // tracing is off or out of memory; the lanes are freed either way).
    jf_trace_t *finish(const jf_stage_spec_t *stages, size_t n, uint64_t wall_ns);

private:
    static void push(jf_trace_lane_t &l, uint8_t kind, uint64_t t, size_t stage, uint32_t n,
                     double value)
    {
        if (l.count == l.capacity) {
            l.dropped++;
            return;
        }
        jf_event_t &e = l.events[l.count++];
        e.t_ns = t;
        e.value = value;
        e.count = n;
        e.stage = (uint16_t)stage;
        e.kind = kind;
        e.flags = 0;
    }

    std::vector<padded_lane> lanes_;
};

} // namespace peer_tbb

#endif // PEER_TBB_TRACE_H
