/* mb_policy.c - scheduler decision cost: jf_policy_allocate + jf_policy_pick. */
#include <stdio.h>

#include "bench/mb_common.h"
#include "jefferson/policy.h"

#define SETS 64 /* distinct snapshots cycled through, so branches do not memorise one */
#define MAX_W 1024u

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static double uniform(double lo, double hi)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

static jf_stage_view_t views[SETS][JF_POLICY_MAX_STAGES];
static unsigned others[SETS][JF_POLICY_MAX_STAGES];

/* Snapshots like the engine's: queues 0..1000 (one in eight empty),
 * service 100 ns..10 us, one stage in sixteen done, and the other W - 1
 * workers spread at random. */
static void fill(size_t s, unsigned w)
{
    for (int k = 0; k < SETS; k++) {
        for (size_t i = 0; i < s; i++) {
            views[k][i].queue = uniform(0, 8) < 1 ? 0 : (double)(int)uniform(1, 1000);
            views[k][i].service_ns = uniform(100, 10000);
            views[k][i].done = uniform(0, 16) < 1;
            others[k][i] = 0;
        }
        for (unsigned j = 0; j + 1 < w; j++)
            others[k][(size_t)uniform(0, (double)s)]++;
    }
}

/* ns per allocate + pick: the median of chunks of CHUNK decisions, over
 * at least ~20 ms (scaled). A chunk lasts far less than a time slice, so
 * the median is one nobody preempted: on a loaded machine the figure is
 * still the cost of the code. *pick_share: pick alone, the same way. */
#define CHUNK 8

static double time_decisions(jf_policy_t pol, size_t s, unsigned w, double *pick_share)
{
    static mb_chunks_t all, picks;
    unsigned alloc[JF_POLICY_MAX_STAGES];
    uint64_t min_ns = mb_scaled(20000000);
    int acc = 0, k = 0;
    uint64_t start = jf_clock_ns(), t0 = start, t1;

    all.n = picks.n = 0;
    do {
        for (int i = 0; i < CHUNK; i++, k = (k + 1) % SETS) {
            double score;
            jf_policy_allocate(pol, views[k], s, w, alloc, &score);
            acc += jf_policy_pick(views[k], s, alloc, others[k], k % (int)s);
        }
        t1 = jf_clock_ns();
        mb_chunk_add(&all, t1 - t0, CHUNK);
        t0 = t1;
    } while (t1 - start < min_ns && all.n < MB_MAX_CHUNKS);
    /* pick alone, on the last allocation, for the split */
    for (size_t c = 0; c < all.n; c++) {
        uint64_t p0 = jf_clock_ns();
        for (int i = 0; i < CHUNK; i++, k = (k + 1) % SETS)
            acc += jf_policy_pick(views[k], s, alloc, others[k], k % (int)s);
        mb_chunk_add(&picks, jf_clock_ns() - p0, CHUNK);
    }
    mb_keep((uint64_t)acc);
    *pick_share = mb_median(picks.per_op, picks.n);
    return mb_median(all.per_op, all.n);
}

int main(void)
{
    static const size_t stage_counts[] = {2, 8, 32, 64};
    static const unsigned worker_counts[] = {2, 8, 64, 256, 1024};
    unsigned reps = mb_repeat(3);

    mb_header("scheduler: decision cost",
              "ns per jf_policy_allocate + jf_policy_pick on varied snapshots (64 cycled), one "
              "thread; pick = jf_policy_pick alone");
    printf("   median of %u timings, each the median of chunks of %d decisions over >= 20 ms;"
           "\n   S = stages (64 is the limit), W = workers\n\n", reps, CHUNK);
    printf("   %-13s %4s %6s %12s %10s %10s\n", "policy", "S", "W", "ns/decision", "ns/pick",
           "ns/seat");
    for (int pol = 0; pol < JF_POLICY_COUNT; pol++) {
        for (size_t i = 0; i < sizeof stage_counts / sizeof *stage_counts; i++) {
            for (size_t j = 0; j < sizeof worker_counts / sizeof *worker_counts; j++) {
                size_t s = stage_counts[i];
                unsigned w = worker_counts[j];
                double v[64], pk[64];
                fill(s, w);
                for (unsigned r = 0; r < reps && r < 64; r++)
                    v[r] = time_decisions((jf_policy_t)pol, s, w, &pk[r]);
                double med = mb_median(v, reps);
                printf("   %-13s %4zu %6u %12.1f %10.1f %10.2f\n",
                       jf_policy_name((jf_policy_t)pol), s, w, med, mb_median(pk, reps),
                       med / w);
                fflush(stdout);
            }
        }
    }
    printf("\n");
    return 0;
}
