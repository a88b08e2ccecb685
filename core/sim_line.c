/* sim_line.c - cache lines that many cores write: one transfer at a time. */
#include <string.h>

#include "sim_internal.h"

/* Coherence as the engine meets it: to write a line (an atomic
 * read-modify-write, a lock) a core must own it alone, so a line that
 * another core wrote or read last first travels, taking line_ns, and only
 * one transfer is under way at a time: a worker that asks while the line
 * is travelling to others waits its turn, on its core (a failed CAS
 * retries, a lock spins). A line this core owns costs nothing more: the
 * per-batch and per-item overheads, fitted on one core, hold that. Reads
 * share: a line written by another core since this one last read it
 * costs one transfer, and nobody waits for it; and the loads of one
 * decision are independent, so the core overlaps their misses.
 *
 * What a worker waits is owed, paid as CPU with its next job; its
 * transfers follow one another from now on, each after the last. So a
 * worker may ask for a line at a time later than the model's now, and
 * the line keeps its transfers booked ahead in order of time: a worker
 * that asks for it earlier goes first where its transfer fits before
 * those, as it would on the machine, instead of waiting behind a booking
 * made for later. */

void jf__sim_line_init(jf__sim_line_t *l)
{
    *l = (jf__sim_line_t){.booked = 0, .written_at = 0, .writer = JF__SIM_NIL, .shared = false};
}

/* Whether l must travel to w's core before w writes it: another core
 * wrote or read it last. */
static bool line_moves(const jf__sim_line_t *l, const jf__sim_worker_t *w)
{
    return l->writer != JF__SIM_NIL && (l->writer != w->core || l->shared);
}

/* Drops the bookings over by `now` (nobody asks earlier than now), and
 * when the calendar is full joins its first two into one: the gap between
 * them is lost, which errs towards waiting. */
static void prune(jf__sim_line_t *l, double now)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < l->booked; i++) {
        if (l->to[i] <= now)
            continue;
        l->from[n] = l->from[i];
        l->to[n] = l->to[i];
        n++;
    }
    if (n == JF__SIM_LINE_BOOKINGS) {
        l->to[0] = l->to[1] > l->to[0] ? l->to[1] : l->to[0];
        memmove(&l->from[1], &l->from[2], (n - 2) * sizeof(*l->from));
        memmove(&l->to[1], &l->to[2], (n - 2) * sizeof(*l->to));
        n--;
    }
    l->booked = n;
}

/* Books l for len ns from the first time at or after t that is free that
 * long. Returns the start; *last says whether no booking follows it (the
 * line is then the booker's when it is over). */
static double book(jf__sim_line_t *l, double now, double t, double len, bool *last)
{
    uint32_t k;

    prune(l, now);
    for (k = 0; k < l->booked; k++) {
        if (t + len <= l->from[k])
            break;
        if (l->to[k] > t)
            t = l->to[k];
    }
    memmove(&l->from[k + 1], &l->from[k], (l->booked - k) * sizeof(*l->from));
    memmove(&l->to[k + 1], &l->to[k], (l->booked - k) * sizeof(*l->to));
    l->from[k] = t;
    l->to[k] = t + len;
    *last = k == l->booked;
    l->booked++;
    return t;
}

/* w writes l and keeps it `hold_ns` longer (a lock held over work that
 * is already in w's CPU charges: only the next writer waits for it). */
static bool line_write_held(jf__sim_t *s, jf__sim_worker_t *w, jf__sim_line_t *l, double hold_ns)
{
    double t = s->now + w->owed;
    bool busy = false, last = true;

    if (line_moves(l, w)) {
        double start = book(l, s->now, t, s->cm.line_ns + hold_ns, &last);
        busy = start > t;
        t = start + s->cm.line_ns;
    } else if (hold_ns > 0) {
        /* Its own line: the latest booking is w's, and w holds on. */
        prune(l, s->now);
        l->from[l->booked] = t;
        l->to[l->booked] = t + hold_ns;
        l->booked++;
    }
    if (last) {
        l->writer = w->core;
        l->shared = false;
        l->written_at = t;
    }
    w->owed = t - s->now;
    return busy;
}

/* w writes l (an RMW) once the transfers it already owes are over.
 * Returns whether it found the line busy, travelling to another core: the
 * engine's failed CAS or taken lock, which is how a worker tells that a
 * line is contended (worker.c). */
bool jf__sim_line_write(jf__sim_t *s, jf__sim_worker_t *w, jf__sim_line_t *l)
{
    if (s->cm.line_ns <= 0)
        return false;
    return line_write_held(s, w, l, 0);
}

bool jf__sim_line_hold(jf__sim_t *s, jf__sim_worker_t *w, jf__sim_line_t *l, double hold_ns,
                       double moved_ns)
{
    double hold = hold_ns + (line_moves(l, w) ? moved_ns : 0);

    if (s->cm.line_ns <= 0 && hold <= 0)
        return false;
    return line_write_held(s, w, l, hold);
}

bool jf__sim_sink_write(jf__sim_t *s, jf__sim_worker_t *w, double *held)
{
    jf__sim_line_t *l = &s->sink;
    bool moved = line_moves(l, w);
    uint32_t runs = w->handed_runs > 0 ? w->handed_runs : 1;
    double hold = s->cm.sink_batch_ns + (moved ? s->cm.sink_moved_ns : 0) +
                  s->cm.sink_run_ns * (double)(runs - 1) + s->cm.sink_item_ns * (double)w->handed;

    s->r->sink_ns += (uint64_t)hold;
    *held = hold;
    if (s->cm.line_ns <= 0 && hold <= 0)
        return false;
    return line_write_held(s, w, l, hold);
}

/* Misses of one decision's independent loads under way at once: on the
 * reference machine reading 1, 10 and 61 lines that another core had just
 * written took 20, 30 and 130 ns with the two cores near (line_ns ~16-38)
 * and 115, 145 and 495 ns with them far apart (~200-230): each line after
 * the first costs about line_ns / 16 (docs/simulator.md). */
#define READS_IN_FLIGHT 16.0

/* Reads l: one transfer if another core wrote it since `since`. */
static unsigned read_line(jf__sim_line_t *l, uint32_t core, double since)
{
    if (l->writer == JF__SIM_NIL || l->writer == core || l->written_at <= since)
        return 0;
    l->shared = true;
    return 1;
}

/* A scheduled decision reads, of each stage it asks for, the queue ends
 * and counters, and with stage 0 the sink's emitted count (the source's
 * credits) and its end group's positions: scheduler.c's reader. The first line that moved costs
 * line_ns, each further one a share. */
void jf__sim_line_read(jf__sim_t *s, jf__sim_worker_t *w, const unsigned char *which)
{
    if (s->cm.line_ns <= 0)
        return;
    unsigned moved = 0;

    for (size_t st = 0; st < s->nstages; st++) {
        jf__sim_stage_t *q = &s->stages[st];
        double since = w->read_at[st];
        if (!which[st])
            continue;
        moved += read_line(&q->take_line, w->core, since) + read_line(&q->meta_line, w->core, since);
        moved += st > 0 ? read_line(&q->push_line, w->core, since)
                        : read_line(&s->sink, w->core, since);
        if (st == 0 && s->group_claims) /* its group's positions left */
            moved += read_line(&s->groups[w->group].claim_line, w->core, since);
        w->read_at[st] = s->now;
    }
    if (moved > 0)
        w->owed += s->cm.line_ns * (1 + (moved - 1) / READS_IN_FLIGHT);
}

/* w reads `lines` lines that their own cores write (the workers'
 * `holding`: flow.c's done check at the end of a stage), all of them
 * taken as moved: independent loads, in flight together as above. */
void jf__sim_line_scan(jf__sim_t *s, jf__sim_worker_t *w, unsigned lines)
{
    if (s->cm.line_ns <= 0 || lines == 0)
        return;
    w->owed += s->cm.line_ns * (1 + (lines - 1) / READS_IN_FLIGHT);
}

/* What w owes for lines, now due; it owes nothing after. */
double jf__sim_line_settle(jf__sim_worker_t *w)
{
    double owed = w->owed;

    w->owed = 0;
    return owed;
}
