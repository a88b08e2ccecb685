/* stress.c - random workloads, strategies and faults for a bounded time.
 *
 * Every run draws a workload (1 to 8 stages of spin, sleep, checksum and a
 * failing kernel), a strategy, policy, batch size, core count and window,
 * and may be stopped from another thread at a random moment. After each
 * run it checks: items in == items out and in order (or a clean, correctly
 * reported failure or stop), no worker thread left behind, no allocation
 * of the engine left behind. A watchdog turns a hang into a failure that
 * prints every thread's stack. Prints how many runs and items it checked.
 *
 * Usage: stress [SECONDS] [SEED]      (default 60 s, seed from the clock)
 */
#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/jf_alloc.h"
#include "core/jf_clock.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "workloads/workload.h"

#define HANG_NS (60ull * 1000000000ull)

typedef struct plan {
    char json[4096];
    jf_run_options_t opt;
    int fail_stage;      /* stage with the failing kernel, or -1 */
    uint64_t fail_at;
    uint64_t stop_after_ns; /* 0: no stop */
} plan_t;

typedef struct totals {
    uint64_t runs, items, completed, failed, stopped;
    uint64_t by_strategy[JF_STRATEGY_COUNT];
} totals_t;

static atomic_uint_least64_t run_started; /* 0 between runs; read by the watchdog */
static char current[4200];                /* the plan being run, for the hang report */

static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t pick(uint64_t *s, uint64_t lo, uint64_t hi)
{
    return lo + next_rand(s) % (hi - lo + 1);
}

/* Appends one stage object to the workload text. */
static void add_stage(plan_t *pl, uint64_t *s, size_t i, size_t *len)
{
    static const char *dists[] = {"fixed", "uniform", "exponential", "bimodal"};
    char extra[64] = "";
    const char *kernel;
    uint64_t ns;

    if ((int)i == pl->fail_stage) {
        kernel = "fail";
        ns = pick(s, 0, 2000);
        snprintf(extra, sizeof extra, ", \"fail_at\": %" PRIu64, pl->fail_at);
    } else {
        switch (pick(s, 0, 9)) {
        case 0:
            kernel = "sleep";
            ns = pick(s, 1000, 20000);
            break;
        case 1:
            kernel = "checksum";
            ns = 500;
            break;
        default:
            kernel = "spin";
            ns = pick(s, 0, 4000);
            break;
        }
    }
    *len += (size_t)snprintf(pl->json + *len, sizeof pl->json - *len,
                             "%s{\"name\": \"s%zu\", \"kernel\": \"%s\", \"ns\": %" PRIu64
                             ", \"dist\": \"%s\"%s}",
                             i ? ", " : "", i, kernel, ns, dists[pick(s, 0, 3)], extra);
}

static void make_plan(plan_t *pl, uint64_t *s)
{
    size_t nstages = (size_t)pick(s, 1, 8);
    uint64_t items = pick(s, 1, 30000);
    size_t len;

    memset(pl, 0, sizeof(*pl));
    pl->fail_stage = pick(s, 0, 5) == 0 ? (int)pick(s, 0, nstages - 1) : -1;
    pl->fail_at = pick(s, 0, items - 1);
    len = (size_t)snprintf(pl->json, sizeof pl->json,
                           "{\"name\": \"stress\", \"items\": %" PRIu64
                           ", \"item_bytes\": %" PRIu64 ", \"seed\": %" PRIu64
                           ", \"stages\": [",
                           items, pick(s, 16, 256), pick(s, 0, 1000000));
    for (size_t i = 0; i < nstages; i++)
        add_stage(pl, s, i, &len);
    snprintf(pl->json + len, sizeof pl->json - len, "]}");

    pl->opt.strategy = (jf_strategy_t)pick(s, 0, JF_STRATEGY_COUNT - 1);
    pl->opt.policy = (jf_policy_t)pick(s, 0, JF_POLICY_COUNT - 1);
    pl->opt.cores = (unsigned)pick(s, 1, 4);
    /* Now and then 64 workers or more (unpinned beyond the machine's
     * cores): claims ahead and hand-overs of several batches to the sink;
     * from 256, end groups: claims and hand-overs through neighbours
     * (docs/engine.md, "The ends with many workers"). */
    if (pick(s, 0, 5) == 0 && pl->opt.strategy == JF_STRATEGY_SCHEDULED)
        pl->opt.cores = (unsigned)(pick(s, 0, 1) ? pick(s, 64, 130) : pick(s, 256, 300));
    else if (pick(s, 0, 5) == 0 && pl->opt.strategy == JF_STRATEGY_N_PER_STAGE)
        pl->opt.cores = (unsigned)(pick(s, 0, 1) ? pick(s, 64 / nstages + 1, 64 / nstages + 25)
                                                 : pick(s, 256 / nstages + 1, 256 / nstages + 25));
    pl->opt.batch = (unsigned)(pick(s, 0, 3) == 0 ? pick(s, 1, 4) : pick(s, 1, 128));
    pl->opt.window = pick(s, 0, 2) == 0 ? (unsigned)pick(s, 1, 4096) : 0;
    if (pl->opt.window && pl->opt.window < 2 * pl->opt.batch)
        pl->opt.window = 2 * pl->opt.batch;
    pl->opt.trace = pick(s, 0, 1);
    pl->stop_after_ns = pick(s, 0, 5) == 0 ? pick(s, 0, 20000000) : 0;
}

static unsigned count_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    unsigned n = 0;

    if (d == NULL)
        return 0;
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n - 2; /* "." and ".." */
}

/* A joined thread may still be listed in /proc for a moment while the
 * kernel finishes its exit (glibc's join wakes when the thread's tid is
 * cleared, before the task is reaped): wait up to a second for the count
 * to come back before calling a thread lost. */
static int threads_back_to(unsigned expected)
{
    for (int i = 0; i < 1000; i++) {
        if (count_threads() <= expected)
            return 1;
        usleep(1000);
    }
    return 0;
}

typedef struct stopper {
    jf_pipeline_t *p;
    uint64_t after_ns;
} stopper_t;

static void *stop_later(void *arg)
{
    stopper_t *st = arg;
    struct timespec ts = {(time_t)(st->after_ns / 1000000000u), (long)(st->after_ns % 1000000000u)};

    nanosleep(&ts, NULL);
    jf_pipeline_stop(st->p);
    return NULL;
}

/* Was the outcome one the plan allows, with everything accounted for? */
static int verdict_ok(const plan_t *pl, int rc, const jf_run_result_t *r, totals_t *t)
{
    uint64_t items = pl->opt.items;

    if (rc == 0 && r->items_in == items && r->items_out == items && r->order_preserved) {
        t->completed++;
        return pl->fail_stage < 0; /* a planted failure must not go unnoticed */
    }
    if (rc == JF_EKERNEL && pl->fail_stage >= 0 && r->failure.stage == pl->fail_stage &&
        r->failure.seq == pl->fail_at && r->items_out <= pl->fail_at && r->order_preserved) {
        t->failed++;
        return 1;
    }
    if (rc == JF_ESTOPPED && pl->stop_after_ns && r->order_preserved && r->items_out <= items) {
        t->stopped++;
        return 1;
    }
    return 0;
}

static int run_plan(plan_t *pl, totals_t *t)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    workload_binding_t b;
    jf_pipeline_t *p = NULL;
    jf_run_result_t r;
    unsigned threads_before = count_threads();
    long live_before = jf_alloc_live();
    pthread_t stopper;
    stopper_t st;
    int rc, ok;

    memset(&b, 0, sizeof(b));
    if (workload_parse(pl->json, strlen(pl->json), "stress.json", &w, err) != 0 ||
        workload_bind(w, &b, err) != 0) {
        fprintf(stderr, "stress: plan rejected: %s\n%s\n", err, pl->json);
        workload_destroy(w);
        return 0;
    }
    pl->opt.items = w->items;
    pl->opt.item_bytes = w->item_bytes;
    pl->opt.source = b.source;
    pl->opt.source_ctx = b.source_ctx;
    pl->opt.check = b.check;
    pl->opt.check_ctx = b.check_ctx;
    rc = jf_pipeline_create(b.specs, b.nstages, &pl->opt, &p);
    if (rc != 0) {
        fprintf(stderr, "stress: create: %s\n%s\n", jf_strerror(rc), pl->json);
        workload_unbind(&b);
        workload_destroy(w);
        return 0;
    }
    st.p = p;
    st.after_ns = pl->stop_after_ns;
    if (pl->stop_after_ns && pthread_create(&stopper, NULL, stop_later, &st) != 0)
        pl->stop_after_ns = 0;
    atomic_store(&run_started, jf_clock_ns());
    rc = jf_pipeline_run(p, &r);
    if (pl->stop_after_ns)
        pthread_join(stopper, NULL);
    atomic_store(&run_started, 0);
    ok = verdict_ok(pl, rc, &r, t);
    if (!ok)
        fprintf(stderr, "stress: run %" PRIu64 ": %s, items %" PRIu64 " in %" PRIu64
                " out %" PRIu64 ", order %d, failure stage %d seq %" PRIu64 "\n",
                t->runs, jf_strerror(rc), pl->opt.items, r.items_in, r.items_out,
                r.order_preserved, r.failure.stage, r.failure.seq);
    t->items += r.items_out;
    jf_run_result_fini(&r);
    jf_pipeline_destroy(p);
    workload_unbind(&b);
    workload_destroy(w);
    if (!threads_back_to(threads_before)) {
        fprintf(stderr, "stress: run %" PRIu64 ": threads left behind\n", t->runs);
        ok = 0;
    }
    if (jf_alloc_live() != live_before) {
        fprintf(stderr, "stress: run %" PRIu64 ": %ld allocations leaked\n", t->runs,
                jf_alloc_live() - live_before);
        ok = 0;
    }
    return ok;
}

/* A run that lasts too long is a hang: print every thread's stack (with
 * gdb when the machine has it) and fail. */
static void *watchdog(void *arg)
{
    (void)arg;
    for (;;) {
        sleep(1);
        uint64_t t0 = atomic_load(&run_started);
        if (t0 != 0 && jf_clock_ns() - t0 > HANG_NS) {
            char cmd[128];
            fprintf(stderr, "stress: hang: a run took over %llu s\n%s\n",
                    (unsigned long long)(HANG_NS / 1000000000ull), current);
            snprintf(cmd, sizeof cmd,
                     "gdb -batch -p %d -ex 'thread apply all bt' 1>&2 2>/dev/null",
                     (int)getpid());
            if (system(cmd) != 0)
                fprintf(stderr, "stress: (gdb unavailable: no stacks)\n");
            _exit(1);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 60;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : jf_clock_ns();
    uint64_t s = seed, end = jf_clock_ns() + (uint64_t)(seconds * 1e9);
    totals_t t = {0};
    pthread_t dog;
    plan_t pl;

    pthread_create(&dog, NULL, watchdog, NULL);
    pthread_detach(dog);
    printf("stress: %.0f s, seed %" PRIu64 "\n", seconds, seed);
    while (jf_clock_ns() < end) {
        make_plan(&pl, &s);
        snprintf(current, sizeof current, "strategy %s policy %s cores %u batch %u window %u\n%s",
                 jf_strategy_name(pl.opt.strategy), jf_policy_name(pl.opt.policy),
                 pl.opt.cores, pl.opt.batch, pl.opt.window, pl.json);
        t.by_strategy[pl.opt.strategy]++;
        if (!run_plan(&pl, &t)) {
            fprintf(stderr, "stress: FAILED after %" PRIu64 " runs (seed %" PRIu64 ")\n%s\n",
                    t.runs, seed, current);
            return 1;
        }
        t.runs++;
    }
    printf("stress: %" PRIu64 " runs, %" PRIu64 " items checked: %" PRIu64 " completed, %" PRIu64
           " failed as injected, %" PRIu64 " stopped; nothing lost, reordered or leaked\n",
           t.runs, t.items, t.completed, t.failed, t.stopped);
    for (int i = 0; i < JF_STRATEGY_COUNT; i++)
        printf("  %-12s %" PRIu64 " runs\n", jf_strategy_name((jf_strategy_t)i), t.by_strategy[i]);
    return 0;
}
