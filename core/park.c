/* park.c - idle workers sleep on a channel until work for them may exist. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "jf_clock.h"
#include "jefferson/error.h"
#include "pipeline_internal.h"

/* A pthread call that fails here can only be a bug (bad object, EDEADLK):
 * abort, as libuv does, rather than run on with broken synchronisation. */
static void check(int rc)
{
    if (rc != 0)
        abort();
}

int jf__channel_init(jf__channel_t *c)
{
    pthread_condattr_t attr;

    if (pthread_mutex_init(&c->lock, NULL) != 0)
        return JF_ENOMEM;
    if (pthread_condattr_init(&attr) != 0)
        goto err_mutex;
    /* Timed waits measure CLOCK_MONOTONIC, immune to wall-clock jumps. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (pthread_cond_init(&c->cond, &attr) != 0) {
        pthread_condattr_destroy(&attr);
        goto err_mutex;
    }
    pthread_condattr_destroy(&attr);
    atomic_init(&c->waiters, 0); /* not an access: no thread sees c yet */
    return 0;

err_mutex:
    pthread_mutex_destroy(&c->lock);
    return JF_ENOMEM;
}

void jf__channel_fini(jf__channel_t *c)
{
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
}

/* Wakers look at `waiters` without the lock to skip the syscall when
 * nobody sleeps. Sleeper and waker both use read-modify-writes on that one
 * variable: a sleeper adds 1 and then re-checks for work; a waker
 * publishes work and then adds 0. RMWs on one atomic are totally ordered:
 * if the sleeper's comes first the waker reads >= 1 and wakes it; if the
 * waker's comes first, the sleeper's RMW reads from it (release/acquire)
 * and so sees the work the waker published before. Either way nobody
 * sleeps through work. (A plain load would need a fence, which TSan
 * cannot check.) */
static bool has_waiters(jf__channel_t *c)
{
    return atomic_fetch_add_explicit(&c->waiters, 0, memory_order_seq_cst) != 0;
}

void jf__channel_wake_one(jf__channel_t *c)
{
    if (!has_waiters(c))
        return;
    check(pthread_mutex_lock(&c->lock));
    check(pthread_cond_signal(&c->cond));
    check(pthread_mutex_unlock(&c->lock));
}

void jf__channel_wake_all(jf__channel_t *c)
{
    if (!has_waiters(c))
        return;
    check(pthread_mutex_lock(&c->lock));
    check(pthread_cond_broadcast(&c->cond));
    check(pthread_mutex_unlock(&c->lock));
}

void jf__wake_for_stage(struct jf_pipeline *p, size_t s)
{
    /* Touch only the channel this strategy's workers sleep on: a push to
     * the sink (s == nstages) has no workers to wake at home. */
    if (p->ops->park == JF__PARK_HOME && s >= p->nstages)
        return;
    jf__channel_wake_one(jf__park_channel(p, s));
}

void jf__wake_everyone(struct jf_pipeline *p)
{
    for (size_t s = 0; s < p->nstages; s++)
        jf__channel_wake_all(&p->stages[s].channel);
    jf__channel_wake_all(&p->lot);
}

/* A figure that grows whenever items enter or leave the pipeline: if it
 * stood still for a whole check period, the stall check looks closer.
 * (A global per-batch counter would cost every batch a contended RMW.) */
static uint64_t moved(struct jf_pipeline *p)
{
    /* Relaxed: compared with itself a check period later; a stale value
     * delays the closer look by one period, and that look (jf__items_lost)
     * reads in seq_cst. */
    return atomic_load_explicit(&p->claimed, memory_order_relaxed) +
           atomic_load_explicit(&p->emitted, memory_order_relaxed);
}

/* Spins briefly, then sleeps on c until ready(w) or the run ends. A worker
 * that wakes from a timeout with nothing changed checks the pipeline for
 * lost items, so an engine bug ends the run with JF_ESTALL, not a hang. */
void jf__park(jf__worker_t *w, jf__channel_t *c, jf__ready_fn ready)
{
    struct jf_pipeline *p = w->p;
    uint64_t spin_until = jf_clock_ns() + JF_SPIN_BEFORE_PARK_NS;

    do {
        for (int i = 0; i < 32; i++) {
            if (ready(w) || jf__should_exit(p))
                return;
            jf_cpu_relax();
        }
    } while (jf_clock_ns() < spin_until);

    jf__trace(w, JF_EV_PARK, w->at, 0, 0, jf_clock_ns());
    w->parks++;
    check(pthread_mutex_lock(&c->lock));
    atomic_fetch_add_explicit(&c->waiters, 1, memory_order_seq_cst); /* see has_waiters */
    for (;;) {
        if (ready(w) || jf__should_exit(p))
            break;
        uint64_t before = moved(p);
        uint64_t deadline = jf_clock_ns() + JF_PARK_CHECK_NS;
        uint64_t due = jf__source_next_due(p);
        /* Under an arrival rate nobody pushes the next item: a worker that
         * can take it from the source wakes when it is due. */
        if (due != 0 && w->home <= 0 && due < deadline)
            deadline = due;
        struct timespec ts = {(time_t)(deadline / 1000000000u), (long)(deadline % 1000000000u)};
        int rc = pthread_cond_timedwait(&c->cond, &c->lock, &ts);
        if (rc == ETIMEDOUT &&
            moved(p) == before &&
            !ready(w) && !jf__should_exit(p) && jf__items_lost(p)) {
            check(pthread_mutex_unlock(&c->lock));
            jf__fail(p, JF_ESTALL, JF_NO_STAGE, 0, 0);
            check(pthread_mutex_lock(&c->lock));
            break;
        }
        if (rc != 0 && rc != ETIMEDOUT)
            abort();
    }
    /* Relaxed: leaving publishes nothing; a waker that still reads 1
     * signals a condition nobody waits on, under the lock, harmlessly. */
    atomic_fetch_sub_explicit(&c->waiters, 1, memory_order_relaxed);
    check(pthread_mutex_unlock(&c->lock));
    jf__trace(w, JF_EV_UNPARK, JF_NO_STAGE, 0, 0, jf_clock_ns());
}
