/* sim_internal.h - simulator state shared by the files core/sim*.c. */
#ifndef JF_SIM_INTERNAL_H
#define JF_SIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "decide.h"
#include "jf_sim.h"
#include "latency.h"
#include "sim_heap.h"
#include "strategy.h"

/* Classes of events in the global heap, in the order events of the same
 * instant are handled; within a class, by core or worker index. The heap
 * key is class << 32 | index, so equal times never depend on heap order. */
enum {
    JF__SIM_EV_CORE = 0,    /* the next job on a core finishes */
    JF__SIM_EV_TIMER = 1,   /* a worker's own timer: sleep done, wake-up, start */
    JF__SIM_EV_ARRIVAL = 2, /* the next burst of items arrives at the source */
};

/* What a worker is doing. */
typedef enum jf__sim_state {
    JF__SIM_FREE = 0, /* between batches: chooses at its next timer */
    JF__SIM_PRE,      /* on its core: the engine's overheads before the kernels */
    JF__SIM_KERNEL,   /* on its core: the kernels of a CPU stage */
    JF__SIM_SLEEP,    /* the kernels of a yielding stage: off the core */
    JF__SIM_SPIN,     /* on its core: found no work, spins and goes to sleep */
    JF__SIM_PARKED,   /* in a park list, waiting for a signal */
    JF__SIM_FLUSH,    /* on its core: emitting its end group's runs (sim_group.c) */
    JF__SIM_WAKING,   /* signalled: re-checks for work after wake_ns */
    JF__SIM_EXITED
} jf__sim_state_t;

#define JF__SIM_NIL UINT32_MAX

/* FIFO of parked workers, linked through jf__sim_worker_t.next: a signal
 * wakes the longest sleeper, as a futex queue does. */
typedef struct jf__sim_list {
    uint32_t head, tail;
} jf__sim_list_t;

/* Transfers of a line booked ahead at most (sim_line.c). */
#define JF__SIM_LINE_BOOKINGS 8

/* A cache line that workers on many cores write (a queue's head or tail,
 * a stage's counters, the source's claim counter, the sink's lock): one
 * core at a time owns it to write, so it serves one transfer at a time
 * (sim_line.c). */
typedef struct jf__sim_line {
    double from[JF__SIM_LINE_BOOKINGS]; /* the transfers (and locks held) */
    double to[JF__SIM_LINE_BOOKINGS];   /*   booked, in order of time */
    uint32_t booked;
    double written_at; /* when it was last written */
    uint32_t writer;   /* core that wrote it last, or JF__SIM_NIL: never written */
    bool shared;       /* read by another core since: the writer's copy is not exclusive */
} jf__sim_line_t;

typedef struct jf__sim_worker {
    uint32_t id;
    uint32_t core;
    int home;             /* fixed stage, or -1 (single, scheduled) */
    int at;               /* scheduled: stage it is placed at, or -1 */
    int last_stage;       /* stage of its last batch, or -1 */
    jf__sim_state_t state;
    uint32_t next;        /* park list link */
    uint32_t rq_next;     /* run queue link */
    double cpu_left;      /* CPU ns of the job it waits in the run queue with */
    bool woke;            /* waits in the run queue after a sleep */
    uint64_t ver;         /* version of its pending timer: older ones are stale */
    bool spun;            /* has spun since its last batch: the next miss sleeps */
    /* The batch in hand. */
    int stage;
    uint32_t n;
    int carry;            /* the finished batch (seqs, n) is kept in hand for
                           * this stage (its bit of `holding`); -1: none */
    bool carried;         /* the batch in hand came from its hand, not a queue */
    uint64_t *seqs;       /* the items, seqs_cap slots, grown on demand */
    uint32_t seqs_cap;
    uint32_t ok;          /* items before the one a kernel fails on (n: none fails) */
    int fail_code;        /* what that kernel returns; 0: none fails */
    double kernel_cost;   /* CPU (or sleep) ns of the batch's kernels */
    double kernel_start;  /* virtual time the kernels started */
    size_t begin_at;      /* trace: index of the batch's BATCH_BEGIN event */
    jf_trace_lane_t lane; /* events grow on demand up to the sim's lane cap */
    double owed;          /* ns waited for shared lines, paid with its next job */
    double *read_at;      /* scheduled: per stage, when it last read its lines */
    jf__snapshot_t *snap; /* scheduled: the stages as it last read them (decide.h) */
    uint32_t *seen_depth; /* scheduled, traced: per stage, the queue depth and */
    double *seen_service; /*   service time this worker last traced */
    double *service;      /* per stage: its own running mean (worker.c's record_service) */
    uint64_t stash_first; /* source positions claimed ahead (worker.c's take_source) */
    uint32_t stash_n;
    double stash_born;    /* when it claimed them: their arrival time */
    uint64_t *sink_seqs;  /* batches kept for the sink (worker.c's pass_on); NULL */
    uint32_t sink_n;      /*   when end_batches is 1 or it never runs the last stage */
    uint32_t sink_batches;
    uint32_t handed;      /* items its last pass on or flush handed to the sink, */
    uint32_t handed_runs; /*   and the sink's runs of them (sim_flow.c) */
    bool claim_busy, sink_busy; /* its last claim, hand-over found the line busy */
    uint32_t group;       /* its end group, or JF__SIM_NIL: claims and hands over itself */
    bool flushing;        /* emits its group's runs until none are left */
    bool stash_held, sink_held; /* counted in stage 0's, the last stage's `kept` */
} jf__sim_worker_t;

/* Neighbours that share the pipeline's ends (options.h's end groups):
 * they claim source positions together (flow.c; sim_flow.c) and hand
 * over to the sink through one of them at a time (sink.c; sim_group.c). */
typedef struct jf__sim_group {
    jf__sim_line_t claim_line; /* the lock over its positions */
    uint64_t next;        /* positions [next, next + left) claimed for */
    uint32_t left;        /*   its members' next batches at stage 0, */
    double born;          /*   when: their arrival time */
    bool held;            /* left > 0, counted in stage 0's `kept` */
    bool claim_busy;      /* its last claim found the claim counter busy */
    uint64_t take;        /* most a member takes of it for a batch */
    jf__sim_line_t line;  /* the sink side's lock */
    uint32_t flusher;     /* the member emitting the group's runs, or JF__SIM_NIL */
    uint64_t *pending;    /* items handed over meanwhile, for its next round */
    uint32_t n, cap;
    uint32_t runs;        /* the runs they were cut into */
} jf__sim_group_t;

typedef struct jf__sim_stage {
    uint64_t *ring;       /* input FIFO of seqs (stages >= 1); cap a power of two */
    uint16_t *from;       /* beside each seq: the core that pushed it */
    uint64_t cap, head, count;
    jf__sim_line_t take_line; /* its input's take end (stage 0: the source's claims) */
    jf__sim_line_t push_line; /* its input's push end (stage 0: unused) */
    jf__sim_line_t meta_line; /* assigned, done, service: one line */
    unsigned active;      /* workers holding a batch of this stage (the
                           * engine's bits of `holding`, on the workers' lines) */
    unsigned kept;        /* workers keeping positions claimed ahead (stage 0)
                           * or batches for the sink (the last stage) */
    unsigned assigned;    /* scheduled workers placed here */
    bool done;
    bool yields;
    double service;       /* EWMA ns per item as the engine keeps it; 0 = unmeasured */
    jf__sim_list_t parked; /* fixed workers of this stage */
} jf__sim_stage_t;

/* One core's run queue, time-sliced as the OS does it: one worker runs at a
 * time; the others wait in a FIFO. The running worker keeps the core while
 * it goes from one job to its next (it is the same thread still running),
 * until it sleeps, or until its slice ends while others wait: then it goes
 * to the back of the queue with the rest of its job. A worker that was off
 * the core (woken, its sleep over) joins at the front, behind the running
 * slice (sim_cpu.c says why). Invariant: run == NIL => the queue is empty. */
typedef struct jf__sim_core {
    uint32_t run;         /* the worker on the core, or JF__SIM_NIL */
    bool busy;            /* run has a job (false only between two of its jobs) */
    bool preempt;         /* the pending event ends run's slice, not its job */
    double fin;           /* when run's job is done, if it keeps the core */
    double slice_start;   /* when run got the core */
    jf__sim_list_t queue; /* runnable workers waiting, linked by rq_next */
    uint64_t ver;         /* version of its event in the global heap */
} jf__sim_core_t;

typedef struct jf__sim {
    jf_run_options_t opt;  /* settled: every default filled in */
    const jf__strategy_ops_t *ops; /* opt.strategy's table */
    jf_sim_options_t cm;   /* the cost model */
    size_t nstages;
    jf__sim_stage_t *stages;
    unsigned nworkers;
    unsigned end_batches; /* the engine's jf__end_batches */
    double service_drift; /*   and jf__service_drift */
    uint64_t end_items;   /*   and end_items (pipeline.c) */
    jf__sim_worker_t *workers;
    unsigned ncores;
    jf__sim_core_t *cores;
    jf__sim_heap_t events;
    double now;            /* virtual ns since the run started */
    int error;             /* first failure (JF_ENOMEM); stops the run */
    bool finished;         /* the last stage is done */
    double end;
    /* Source and sink. */
    uint64_t window, claimed, emitted;
    unsigned char *arrived; /* window flags: item waits in the reorder window */
    double *born;           /* window entries: arrival time of each item in flight */
    double ns_per_burst;    /* 0: every item arrived at time 0 */
    double arrival_armed;   /* time of the pending arrival event, or -1 */
    bool order_ok;
    jf__latency_t *latency;
    jf__sim_list_t lot;     /* parked single and scheduled workers */
    jf__sim_line_t sink;    /* the sink's lock and emitted count */
    jf__sim_group_t *groups; /* the engine's end groups (jf__end_groups) */
    unsigned ngroups;
    bool group_claims;       /* jf__group_claims */
    size_t lane_cap;        /* most events a lane may hold; more are dropped */
    unsigned *alloc;        /* scratch for jf_policy_allocate */
    double decision_cost;   /* CPU ns of one decision over every worker */
    jf_run_result_t *r;     /* counters and stage stats accumulate here */
} jf__sim_t;

/* sim_cpu.c: time slicing. */
/* Gives w, which holds its core or whose core is free, a job of `work` CPU
 * ns from now; jf__sim_on_cpu_done(w) is called when it is done. (Else w
 * waits at the back of the queue.) */
void jf__sim_cpu_add(jf__sim_t *s, jf__sim_worker_t *w, double work);
/* w, off its core, becomes runnable. Returns true if the core is free: the
 * caller goes on at once (its first job takes the core). Else w waits in
 * the queue and jf__sim_on_cpu_done(w) is called when it has the core. */
bool jf__sim_cpu_get(jf__sim_t *s, jf__sim_worker_t *w);
/* The core's current event fired: a job is done or a slice is over. */
void jf__sim_cpu_event(jf__sim_t *s, uint32_t core);

/* sim_flow.c: source credits and arrivals, queues, sink, done, signals. */
uint64_t jf__sim_queue(const jf__sim_t *s, size_t st);
uint32_t jf__sim_take(jf__sim_t *s, size_t st, jf__sim_worker_t *w, uint32_t max,
                      uint32_t *foreign);
/* Returns whether the items reached a shared structure: a queue, whose
 * push line the caller then writes, or the sink (jf__sim_sink_deliver
 * paid for it); false when they were kept. */
bool jf__sim_pass_on(jf__sim_t *s, size_t st, jf__sim_worker_t *w);
/* Hands the batches w keeps for the sink over (worker.c's jf__flush_sink).
 * Returns whether it had any. */
bool jf__sim_flush_sink(jf__sim_t *s, jf__sim_worker_t *w);
/* The engine's sink: takes seqs[0..n) from w, emits what is next in
 * order and keeps the rest in the window; notes the hand-over's items
 * and runs in w for the sink's serial part (jf__sim_sink_write). */
void jf__sim_sink_accept(jf__sim_t *s, jf__sim_worker_t *w, const uint64_t *seqs, uint32_t n);
/* The runs the engine's sink cuts seqs[0..n) into: consecutive seqs with
 * one arrival time (sink.c). */
uint32_t jf__sim_count_runs(const jf__sim_t *s, const uint64_t *seqs, uint32_t n);

/* sim_group.c: hand-overs through end groups. */
/* w hands seqs[0..n) over: itself, or through its group, whose runs it
 * may become the one to emit (w->flushing: it then takes the FLUSH state
 * once the caller is done with it, jf__sim_group_flush). */
void jf__sim_sink_deliver(jf__sim_t *s, jf__sim_worker_t *w, const uint64_t *seqs, uint32_t n);
/* w, flushing, starts on its group's next round, or stops when none is
 * left. Called when w's last round is over (its CPU job done). */
void jf__sim_group_flush(jf__sim_t *s, jf__sim_worker_t *w);
int jf__sim_groups_init(jf__sim_t *s);
void jf__sim_groups_fini(jf__sim_t *s);
/* Keeps stage 0's and the last stage's `kept` counting w while it keeps
 * positions claimed ahead or batches for the sink (its bits of `holding`). */
void jf__sim_sync_held(jf__sim_t *s, jf__sim_worker_t *w);
/* Items waiting at stage st for w: jf__sim_queue, and at stage 0 the
 * positions w claimed ahead. */
uint64_t jf__sim_queue_for(const jf__sim_t *s, const jf__sim_worker_t *w, size_t st);
/* Positions w may begin at stage 0 that nobody outside its group can:
 * those it claimed ahead and its group's (flow.c's jf__stash). */
uint32_t jf__sim_stash(const jf__sim_t *s, const jf__sim_worker_t *w);
/* w, when not NULL, is the worker that checks: it pays for reading every
 * worker's line once a stage's input is exhausted, as the engine does. */
void jf__sim_check_done(jf__sim_t *s, jf__sim_worker_t *w, size_t st);
/* flow.c's jf__run_complete: every stage done, the run over, at w's time
 * (w NULL: now). */
void jf__sim_run_complete(jf__sim_t *s, jf__sim_worker_t *w);
bool jf__sim_any_ready(const jf__sim_t *s);
void jf__sim_park_list_add(jf__sim_t *s, jf__sim_list_t *l, jf__sim_worker_t *w);
void jf__sim_wake_one(jf__sim_t *s, jf__sim_list_t *l);
void jf__sim_wake_all(jf__sim_t *s, jf__sim_list_t *l);
void jf__sim_arm_arrival(jf__sim_t *s);
void jf__sim_arrival(jf__sim_t *s);

/* sim_worker.c: what a worker does next. */
/* The decision that sent a scheduled worker to a stage, for the trace. */
typedef struct jf__sim_choice {
    double score;
    const jf_stage_view_t *views;
} jf__sim_choice_t;
/* w, free, takes its next step: the strategy's sim_step. */
void jf__sim_step(jf__sim_t *s, jf__sim_worker_t *w);
/* What w does after a batch, a flush of kept batches or a round of its
 * end group's runs, unless the run is over: the group's next round while
 * it is the flusher (sim_group.c), as the engine's hand-over returns only
 * when the list is empty; else its next step. */
void jf__sim_next_step(jf__sim_t *s, jf__sim_worker_t *w);
/* worker.c's jf__flush_carry: the batch kept in hand (if any) goes to its
 * stage's queue, and that stage lets go of it. */
void jf__sim_flush_carry(jf__sim_t *s, jf__sim_worker_t *w);
/* Takes a batch at stage st (which has input, or is the batch in hand's)
 * and starts on it: first the engine's overheads on the core, then the
 * kernels. c is the decision of a worker that asked the policy, NULL for
 * the others. */
void jf__sim_begin_batch(jf__sim_t *s, jf__sim_worker_t *w, size_t st,
                         const jf__sim_choice_t *c);
/* No work for w: it spins (paying park_ns) once between batches, then sleeps. */
void jf__sim_park(jf__sim_t *s, jf__sim_worker_t *w);
void jf__sim_on_cpu_done(jf__sim_t *s, jf__sim_worker_t *w);
void jf__sim_on_timer(jf__sim_t *s, jf__sim_worker_t *w);

/* sim_decide.c: a scheduled worker asks the policy through jf__decide,
 * reading the model's state and paying for the cache lines it reads. */
/* Returns the stage (w is placed there), -1 when no stage with input
 * wants w, or JF__DECIDE_DONE. Fills views[] and *score for the trace. */
int jf__sim_decide(jf__sim_t *s, jf__sim_worker_t *w, double *score, jf_stage_view_t *views);
/* w leaves the stage it is placed at, if any (writing the stage's line). */
void jf__sim_unplace(jf__sim_t *s, jf__sim_worker_t *w);

/* sim_line.c: shared cache lines. */
void jf__sim_line_init(jf__sim_line_t *l);
bool jf__sim_line_write(jf__sim_t *s, jf__sim_worker_t *w, jf__sim_line_t *l);
/* The sink's lock: a write of its line that then stays w's for the sink's
 * serial part over w's last hand-over (sink_batch_ns, sink_moved_ns,
 * sink_run_ns, sink_item_ns), *held, and adds that to the run's sink time. */
bool jf__sim_sink_write(jf__sim_t *s, jf__sim_worker_t *w, double *held);
/* A lock's line: a write that then stays w's for hold_ns, and moved_ns
 * more when it had to travel (its holder's work touches lines that
 * travelled with it). Returns whether w found it busy. */
bool jf__sim_line_hold(jf__sim_t *s, jf__sim_worker_t *w, jf__sim_line_t *l, double hold_ns,
                       double moved_ns);
void jf__sim_line_read(jf__sim_t *s, jf__sim_worker_t *w, const unsigned char *which);
void jf__sim_line_scan(jf__sim_t *s, jf__sim_worker_t *w, unsigned lines);
double jf__sim_line_settle(jf__sim_worker_t *w);

/* sim.c: shared helpers. */
void jf__sim_fail(jf__sim_t *s, int error);
void jf__sim_timer(jf__sim_t *s, jf__sim_worker_t *w, double at);
void jf__sim_push_event(jf__sim_t *s, double t, uint64_t order, uint64_t ver);
uint64_t jf__sim_ns(double t);

/* sim_trace.c: lanes and the finished trace. An event with its flags
 * (JF_EV_CARRIED or 0), or without. */
void jf__sim_trace_flagged(jf__sim_t *s, jf__sim_worker_t *w, uint8_t kind, int stage,
                           uint32_t count, double value, uint8_t flags);
void jf__sim_trace(jf__sim_t *s, jf__sim_worker_t *w, uint8_t kind, int stage, uint32_t count,
                   double value);
int jf__sim_build_trace(jf__sim_t *s, const jf_stage_spec_t *specs, jf_run_result_t *r);

#endif /* JF_SIM_INTERNAL_H */
