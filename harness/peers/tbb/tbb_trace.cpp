// tbb_trace.cpp - the oneTBB peer's trace lanes, built into a jf_trace_t as the engine's are.
#include "harness/peers/tbb/tbb_trace.h"

#include <algorithm>

extern "C" {
#include "core/jf_alloc.h"
#include "jefferson/error.h"
// The one constructor of a jf_trace_t from lanes, the engine's and the
// simulator's: the peer's lanes are the same records, so it builds its
// trace with it rather than copy its rules (names copied, lanes moved, wall
// time raised to the last event). Internal, but a peer may include core.
#include "core/trace_build.h"
}

namespace peer_tbb {

namespace {

// The engine's bounds (core/pipeline.c): 256 MiB of events in all, 4 Mi per lane.
constexpr uint64_t kMaxTraceBytes = 256ull << 20;
constexpr uint64_t kMaxLaneEvents = 4u << 20;

struct build_ctx {
    std::vector<padded_lane> *lanes;
    const jf_stage_spec_t *stages;
};

jf_trace_lane_t *lane_at(void *ctx, size_t i)
{
    return &(*static_cast<build_ctx *>(ctx)->lanes)[i].lane;
}

const char *stage_name(void *ctx, size_t s)
{
    return static_cast<build_ctx *>(ctx)->stages[s].name;
}

} // namespace

trace_lanes::~trace_lanes()
{
    for (padded_lane &p : lanes_)
        jf_free(p.lane.events);
}

int trace_lanes::init(size_t nlanes, uint64_t filter_calls, size_t capacity,
                      const jf_topology_t *topo, unsigned cores)
{
    // Any slot may run every filter call: begin and end of each.
    uint64_t cap = capacity ? capacity : 2 * filter_calls + 16;
    uint64_t budget = kMaxTraceBytes / sizeof(jf_event_t) / (nlanes ? nlanes : 1);
    cap = std::min(std::min(cap, budget), kMaxLaneEvents);
    lanes_.resize(nlanes);
    for (size_t i = 0; i < nlanes; i++) {
        jf_trace_lane_t &l = lanes_[i].lane;
        l.events = static_cast<jf_event_t *>(jf_calloc((size_t)cap, sizeof(jf_event_t)));
        if (l.events == nullptr) {
            for (padded_lane &p : lanes_)
                jf_free(p.lane.events);
            lanes_.clear();
            return JF_ENOMEM;
        }
        l.capacity = (size_t)cap;
        l.core = topo ? (int)jf_topology_core_for(topo, (unsigned)i, cores) : -1;
        l.home_stage = -1;
    }
    return 0;
}

jf_trace_t *trace_lanes::finish(const jf_stage_spec_t *stages, size_t n, uint64_t wall_ns)
{
    if (lanes_.empty())
        return nullptr;
    build_ctx ctx{&lanes_, stages};
    jf__trace_source_t src{lanes_.size(), lane_at, n, stage_name, &ctx};
    // Moves the events out on success; the destructor frees them otherwise.
    return jf__trace_build(&src, wall_ns);
}

} // namespace peer_tbb
