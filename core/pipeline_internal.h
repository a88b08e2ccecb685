/* pipeline_internal.h - engine state shared by the files of core/. */
#ifndef JF_PIPELINE_INTERNAL_H
#define JF_PIPELINE_INTERNAL_H

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "decide.h"
#include "jf_arch.h"
#include "jefferson/pipeline.h"
#include "jf_queue.h"
#include "latency.h"
#include "strategy.h"

#define JF_NO_STAGE (-1)
/* A worker spins this long re-checking for work before it parks: long
 * enough to catch a batch that is being pushed right now, short enough
 * that an idle worker gives its core back within microseconds. */
#define JF_SPIN_BEFORE_PARK_NS 3000
/* A parked worker wakes up this often to check that the pipeline still
 * moves; a pipeline where nothing moves and items are missing has lost
 * them (a bug), and the run fails with JF_ESTALL instead of hanging. */
#define JF_PARK_CHECK_NS 50000000

/* A place to sleep: workers wait on it until work for them may exist. */
typedef struct jf__channel {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    atomic_uint waiters; /* read without the lock by wakers to skip syscalls */
} jf__channel_t;

/* One stage: its description, and hot state written by many workers. */
typedef struct jf__stage {
    char *name;
    jf_kernel_fn fn;
    void *ctx;
    bool yields;
    jf_queue_t *in;         /* input queue; NULL for stage 0 (the source feeds it) */
    jf__channel_t channel;  /* workers at home here park here (JF__PARK_HOME) */
    alignas(JF_CACHE_LINE) atomic_uint assigned; /* scheduled workers placed here */
    atomic_bool done;       /* no more input can arrive; set once */
    atomic_uint_least64_t service_bits; /* mean ns per item (double bits); 0 = unmeasured;
                                         * written when a worker's own mean drifts from it */
    char pad[JF_CACHE_LINE];
} jf__stage_t;

/* Items of a hand-over to the sink with consecutive seqs [first, first +
 * n) and one arrival time, at items[at...] of the hand-over (sink.c). */
typedef struct jf__sink_run {
    uint64_t first;
    uint32_t n;
    uint64_t born;
    size_t at;
} jf__sink_run_t;

/* A value of an end group's `left` while a member claims its positions:
 * the done check counts it as positions in hand (flow.c). */
#define JF_GROUP_CLAIMING UINT64_MAX

/* Neighbours that share the pipeline's two ends (options.h): many
 * workers only. */
typedef struct jf__end_group {
    /* The sink's side (sink.c), with no sink hook: the flusher takes the
     * sink's lock for every run its members handed the group meanwhile. */
    alignas(JF_CACHE_LINE) pthread_mutex_t lock;
    bool flushing;            /* a member emits the group's runs; under lock */
    uint32_t n;               /* runs waiting in pending; under lock */
    jf__sink_run_t *pending;  /* JF_SINK_GROUP_RUNS slots, filled under lock */
    jf__sink_run_t *spare;    /* as many: the flusher's, swapped with pending */
    /* The source's side (flow.c), when the run claims through groups:
     * positions [next, next + left) claimed for the members' batches. */
    alignas(JF_CACHE_LINE) pthread_mutex_t claim_lock;
    uint64_t next;            /* under claim_lock */
    atomic_uint_least64_t left; /* stored under claim_lock; read without it by
                               * the done check and the members' decisions */
    uint64_t born;            /* when they were claimed; under claim_lock */
    bool claim_busy;          /* its last claim found the counter contended */
    uint64_t take;            /* most a member takes of it for a batch; under
                               * claim_lock (jf__group_claim_size) */
} jf__end_group_t;

/* One worker thread's private state; merged into the result after join. */
typedef struct jf__worker {
    struct jf_pipeline *p;
    pthread_t thread;
    unsigned id;
    int core;               /* -1 when not pinned */
    int home;               /* fixed stage, or JF_NO_STAGE for single/scheduled */
    int at;                 /* scheduled: stage it is placed at, or JF_NO_STAGE */
    int last_stage;         /* stage of its last batch, or JF_NO_STAGE */
    unsigned misses;        /* scheduled: choices in a row that found no input */
    int carry_stage;        /* scheduled: stage the finished batch in hand is
                             * for, whose bit of `holding` is set;
                             * JF_NO_STAGE = nothing in hand (worker.c) */
    size_t carry_n;         /* items of that batch, at the front of `batch` */
    uint64_t stash_first;   /* source positions it claimed for its next batches */
    size_t stash_n;         /*   at stage 0 and has not begun (jf__end_batches), */
    uint64_t stash_born;    /*   and when it claimed them: their arrival time */
    jf_item_t *sink_buf;    /* finished batches of the last stage not yet handed */
    size_t sink_n;          /*   to the sink: items, and batches; NULL when */
    unsigned sink_batches;  /*   end_batches is 1 */
    bool claim_busy;        /* its last claim, hand-over to the sink found */
    bool sink_busy;         /*   another worker there: the end is contended */
    jf_item_t *batch;       /* opt.batch_max items */
    uint64_t decisions, reallocations, parks, carried;
    uint64_t sink_ns;       /* time it held the sink's lock (jf__sink_accept) */
    jf__latency_t *latency; /* of the items it emitted: recorded under the
                             * sink's lock on lines of its own, merged after
                             * join; NULL when it never runs the last stage */
    jf__sink_run_t *sink_runs; /* a hand-over cut into runs (sink.c); NULL
                                * as latency */
    jf__end_group_t *group;   /* its end group; NULL: claims and hands over itself */
    jf_stage_stats_t *stats;   /* per stage */
    jf_trace_lane_t lane;
    unsigned *alloc;        /* scheduled: scratch for the policy */
    jf__snapshot_t *snap;   /* scheduled: the stages as it last read them (decide.h) */
    uint32_t *seen_depth;   /* per stage: queue depth and service time */
    double *seen_service;   /*   this worker last traced */
    double cpu_budget_ns;   /* trace: CPU clock reads it may still afford (cpu_time.h) */
    double *service;        /* per stage: its own running mean of the stage's
                             * service time, published when it drifts (worker.c) */
    /* Bit s is set while this worker takes, runs or keeps in hand a batch
     * of stage s: one bit at a time (a kept batch's stage replaces its own
     * in one store). Only this worker writes it, so a batch costs no write
     * to a line that other workers write; the done check reads it once a
     * stage's input is exhausted, and the stall check (flow.c). */
    alignas(JF_CACHE_LINE) atomic_uint_least64_t holding;
    char pad[JF_CACHE_LINE];
} jf__worker_t;

struct jf_pipeline {
    jf_run_options_t opt;
    const jf__strategy_ops_t *ops; /* opt.strategy's table */
    size_t nstages;
    jf__stage_t *stages;
    unsigned nworkers;
    jf__worker_t *workers;
    uint64_t window;        /* items in flight at most; power of two */
    unsigned end_batches;   /* batches per claim and per hand-over (jf__end_batches) */
    double service_drift;   /* jf__service_drift */
    size_t end_items;       /* and items at most, beyond one batch: a share of the
                             * window, which every worker's keep must leave room in */
    unsigned char *slab;    /* window * item_bytes payload bytes */
    atomic_uint_least64_t *born; /* window entries: arrival time of the item in
                             * each slot; written by the source, read by the
                             * sink, ordered by the queues between them.
                             * Atomic (relaxed, a plain move) because a
                             * hand-over reads the slot of every seq it holds
                             * before the sink checks them: a bogus seq's
                             * slot may be another item's, being written */
    double ns_per_burst;    /* arrival: gap between bursts; 0 = no rate */
    uint64_t start_ns;
    uint64_t cpu_read_ns;   /* trace: cost of a CPU clock read; 0 = trace off */
    bool ran;

    /* Source: positions handed out. Its own line: every stage-0 take CASes it. */
    alignas(JF_CACHE_LINE) atomic_uint_least64_t claimed;

    /* Sink: reorder window, emitted in source order under sink_lock. */
    alignas(JF_CACHE_LINE) pthread_mutex_t sink_lock;
    jf_item_t *reorder;     /* window entries, indexed by seq & (window - 1),
                             * kept only for a sink hook; NULL without one */
    unsigned char *arrived; /* window flags: the item waits in the window */
    uint32_t *waiting;      /* at the first slot of a run waiting there, its
                             * length (sink.c) */
    uint64_t next_emit;     /* under sink_lock */
    bool order_ok;          /* under sink_lock */
    atomic_uint_least64_t emitted; /* published copy of next_emit: credits */
    jf__end_group_t *groups; /* jf__end_groups of them; NULL when none */
    unsigned ngroups;
    bool group_claims;      /* the workers claim through their groups (jf__group_claims) */
    jf__latency_t *latency; /* the workers' merged after join (pipeline_run.c) */

    /* Control. */
    alignas(JF_CACHE_LINE) atomic_bool stop;
    atomic_bool finished;
    atomic_uint_least64_t end_ns;
    jf__channel_t lot;      /* workers of a JF__PARK_LOT strategy park here */
    pthread_mutex_t gate_lock; /* workers wait here until the runner starts the clock */
    pthread_cond_t gate_cond;
    bool gate_open;          /* under gate_lock */
    pthread_mutex_t fail_lock;
    int error;              /* first error, under fail_lock */
    jf_run_failure_t failure;
};

/* flow.c: source and done detection. */
/* Claims source positions for batches of `want` (one CAS on `claimed`):
 * jf__claim_size's count, where *busy says whether the worker's last
 * claim found the counter contended, as many as the credits and arrivals
 * allow. Returns the first, *got the count (0: none now), and *busy
 * whether another worker's claim came in between. jf__source_fill then
 * makes them items: their payload slots, arrival times (claimed_ns, when
 * they were claimed, without an arrival rate) and the source hook's
 * contents; it returns the hook's failure code (the run is
 * failed), else 0. */
uint64_t jf__source_claim(struct jf_pipeline *p, size_t want, size_t *got, bool *busy);
/* Takes up to `want` of w's end group's positions under the group's lock,
 * claiming the group's next ones first when none are left (one CAS on
 * `claimed`, jf__group_claim_size). Returns how many (0: none now), the
 * first in *first and their claim time in *born. */
size_t jf__source_claim_group(struct jf__worker *w, size_t want, uint64_t *first, uint64_t *born);
/* Positions w may begin at stage 0 that no worker outside its end group
 * can: those it claimed ahead, and its group's when the run claims
 * through groups. */
uint64_t jf__stash(const struct jf__worker *w);
int jf__source_fill(struct jf_pipeline *p, jf_item_t *items, uint64_t first, size_t n,
                    uint64_t claimed_ns);
uint64_t jf__source_available(struct jf_pipeline *p);
uint64_t jf__source_next_due(struct jf_pipeline *p);

/* sink.c: items back in source order. */
/* Runs the check hook (opt.check) on items[0..n), outside the sink's
 * lock. Returns 0, or the hook's code after failing the run (as the
 * sink's failure, at the item's seq). */
int jf__sink_check(struct jf_pipeline *p, const jf_item_t *items, size_t n);
/* w hands items[0..n) to the sink: emits what is next in source order
 * (with whatever that releases from the reorder window, into w's latency
 * histogram) and keeps the rest in the window. Sets w->sink_busy when
 * another worker held the sink's lock, and adds to w->sink_ns the time
 * from taking the lock to just after letting it go: the sink's serial
 * time, which no other worker can overlap. */
int jf__sink_accept(struct jf__worker *w, const jf_item_t *items, size_t n);

/* flow.c: the stages' ends, and the run's. */
void jf__stage_check_done(struct jf_pipeline *p, size_t s);
/* The run is over (the last stage done, or every item emitted): marks
 * every stage done; the worker that marks the last one stamps the end and
 * wakes everyone. */
void jf__run_complete(struct jf_pipeline *p);
bool jf__stage_has_input(struct jf_pipeline *p, size_t s);
uint64_t jf__stage_queue(struct jf_pipeline *p, size_t s);
void jf__fail(struct jf_pipeline *p, int error, int stage, uint64_t seq, int code);
bool jf__should_exit(struct jf_pipeline *p);
bool jf__items_lost(struct jf_pipeline *p);

/* park.c: sleeping until work appears. */
int jf__channel_init(jf__channel_t *c);
void jf__channel_fini(jf__channel_t *c);
void jf__channel_wake_one(jf__channel_t *c);
void jf__channel_wake_all(jf__channel_t *c);
typedef bool (*jf__ready_fn)(jf__worker_t *w);
void jf__park(jf__worker_t *w, jf__channel_t *c, jf__ready_fn ready);
void jf__wake_for_stage(struct jf_pipeline *p, size_t s);
void jf__wake_everyone(struct jf_pipeline *p);

/* worker.c: the thread body. */
void *jf__worker_main(void *arg);
struct jf__decision;
/* Takes a batch at stage s, runs it, passes it on. Returns the number of
 * items done, 0 when there was no input (or the run failed). d, when not
 * NULL, is the decision that sent the worker here: traced if a batch runs. */
size_t jf__run_batch(jf__worker_t *w, size_t s, const struct jf__decision *d);
/* Pushes the batch a worker keeps in hand (if any) to its stage's queue,
 * and lets go of that stage. Before the worker runs another stage, parks
 * or exits: a batch in hand never waits on a worker that is elsewhere. */
void jf__flush_carry(jf__worker_t *w);
/* Hands the batches a worker keeps for the sink (if any) over. Before it
 * parks or exits: no item waits on a worker that sleeps. Returns whether
 * it had any. */
bool jf__flush_sink(jf__worker_t *w);

/* scheduler.c: where a scheduled worker goes next (jf__decide, read from
 * the engine's atomics). */
typedef struct jf__decision {
    uint64_t t_ns;
    int to;             /* stage chosen, or JF_NO_STAGE */
    bool carry;         /* to is the stage of the batch in hand: run it, no move */
    double score;       /* the policy's figure for its allocation */
    jf_stage_view_t views[JF_MAX_STAGES];
} jf__decision_t;
/* Asks the policy and moves the worker. Returns the stage to work at,
 * JF_NO_STAGE when no stage with input wants it, JF__DECIDE_DONE when
 * every stage is done. */
int jf__schedule(jf__worker_t *w, jf__decision_t *d);
/* The worker leaves the stage it is placed at, if any (w->at = JF_NO_STAGE). */
void jf__unplace(jf__worker_t *w);
/* The worker is placed at stage s, leaving the one it was at. */
void jf__place(jf__worker_t *w, int s);
/* Records a decision and the queue depths it saw. Only decisions that
 * were acted on (a batch followed) are recorded, so the trace grows with
 * work done, not with the retries of a worker that finds nothing to do. */
void jf__trace_decision(jf__worker_t *w, const jf__decision_t *d);

/* The stage's running mean service time per item (jf__service_update),
 * 0 while unmeasured (a measured mean is always > 0). */
static inline double jf__stage_service(const jf__stage_t *st)
{
    /* Relaxed: pairs with record_service's relaxed store (worker.c); the
     * mean publishes nothing else, and a 64-bit load is whole. */
    uint64_t bits = atomic_load_explicit(&st->service_bits, memory_order_relaxed);
    double mean = 0;

    if (bits != 0)
        memcpy(&mean, &bits, sizeof(mean));
    return mean;
}

/* The channel where workers waiting for input at stage s sleep, under the
 * run's strategy (its ops' park). Inline: every batch's push wakes through it. */
static inline jf__channel_t *jf__park_channel(struct jf_pipeline *p, size_t s)
{
    return p->ops->park == JF__PARK_HOME ? &p->stages[s].channel : &p->lot;
}

/* Whether stage s is done. Acquire: pairs with the seq_cst exchange that
 * marks the stage done (flow.c), so whoever sees it done sees the stage's
 * last pushes. */
static inline bool jf__stage_done(struct jf_pipeline *p, size_t s)
{
    return atomic_load_explicit(&p->stages[s].done, memory_order_acquire);
}

/* Trace: append one event, with its flags (JF_EV_CARRIED or 0), to the
 * worker's own lane (no lock, no allocation). */
static inline void jf__trace_flagged(jf__worker_t *w, uint8_t kind, int stage, uint32_t count,
                                     double value, uint64_t now_ns, uint8_t flags)
{
    jf_trace_lane_t *lane = &w->lane;

    if (lane->events == NULL)
        return;
    if (lane->count == lane->capacity) {
        lane->dropped++;
        return;
    }
    jf_event_t *e = &lane->events[lane->count++];
    e->t_ns = now_ns - w->p->start_ns;
    e->value = value;
    e->count = count;
    e->stage = stage < 0 ? JF_TRACE_NONE : (uint16_t)stage;
    e->kind = kind;
    e->flags = flags;
}

static inline void jf__trace(jf__worker_t *w, uint8_t kind, int stage, uint32_t count,
                             double value, uint64_t now_ns)
{
    jf__trace_flagged(w, kind, stage, count, value, now_ns, 0);
}

#endif /* JF_PIPELINE_INTERNAL_H */
