/* monitor.c - one thread for the progress line and for SIGINT/SIGTERM. */
#include "monitor.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "jefferson/error.h"
#include "diag.h"

/* Wakes the monitor to quit. Sent only to the monitor thread
 * (pthread_kill), the one thread that blocks it: a SIGUSR1 sent to the
 * process from outside still has its default effect elsewhere. */
#define WAKE_SIGNAL SIGUSR1

#define REDRAW_NS 200000000L /* five times a second */

struct bench_monitor {
    pthread_t thread;
    bool progress;
    sigset_t waited;           /* SIGINT, SIGTERM, WAKE_SIGNAL */
    pthread_mutex_t lock;      /* guards every field below */
    bool quit;
    unsigned signals;          /* SIGINT/SIGTERM received */
    jf_pipeline_t *pipeline;   /* attached; never destroyed while attached */
    bool polled;               /* a polled run is attached (bench_monitor_poll) */
    uint64_t done;             /* its progress */
    char what[96];
    uint64_t total;
    void (*cleanup)(void *);
    void *cleanup_arg;
};

static void draw_locked(const bench_monitor_t *m)
{
    if (m->pipeline || m->polled)
        bench_diag_progress("%s: %llu/%llu items", m->what,
                         (unsigned long long)(m->pipeline ? jf_pipeline_progress(m->pipeline)
                                                          : m->done),
                         (unsigned long long)m->total);
}

/* Straight to the file descriptor, not through stdio: another thread may
 * hold the lock of stderr, and nothing is flushed after _exit. */
static void say(const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, text, len);
        if (n <= 0)
            return;
        text += n;
        len -= (size_t)n;
    }
}

/* First signal: stop what runs. Second: clean up and leave now. */
static void on_signal(bench_monitor_t *m)
{
    static const char clear[] = "\r\033[K", bye[] = "bench: interrupted twice: quitting\n";

    pthread_mutex_lock(&m->lock);
    if (m->signals++ == 0) {
        if (m->pipeline)
            jf_pipeline_stop(m->pipeline);
        if (m->progress)
            bench_diag_progress("interrupted: writing what finished (again to quit at once)");
        pthread_mutex_unlock(&m->lock);
        return;
    }
    if (m->cleanup)
        m->cleanup(m->cleanup_arg);
    if (m->progress)
        say(clear, sizeof clear - 1);
    say(bye, sizeof bye - 1);
    _exit(BENCH_EXIT_INTERRUPTED);
}

static void *monitor_main(void *arg)
{
    bench_monitor_t *m = arg;
    const struct timespec tick = {0, REDRAW_NS};

    for (;;) {
        int sig = m->progress ? sigtimedwait(&m->waited, NULL, &tick)
                              : sigwaitinfo(&m->waited, NULL);
        if (sig == SIGINT || sig == SIGTERM) {
            on_signal(m);
            continue;
        }
        pthread_mutex_lock(&m->lock);
        bool quit = m->quit;
        if (!quit && sig < 0 && errno == EAGAIN && m->signals == 0)
            draw_locked(m);
        pthread_mutex_unlock(&m->lock);
        if (quit)
            return NULL;
    }
}

/* Starts the thread with WAKE_SIGNAL blocked in it from its first
 * instruction, and only in it. */
static int start_thread(bench_monitor_t *m, const sigset_t *caller_mask)
{
    sigset_t with_wake = *caller_mask;

    sigaddset(&with_wake, WAKE_SIGNAL);
    pthread_sigmask(SIG_SETMASK, &with_wake, NULL);
    int err = pthread_create(&m->thread, NULL, monitor_main, m);
    pthread_sigmask(SIG_SETMASK, caller_mask, NULL);
    return err ? JF_ETHREAD : 0;
}

/* A signal the process was started with ignored (a background job of a
 * script, nohup-like wrappers) stays ignored: it is not the user's. */
static void add_unless_ignored(sigset_t *set, int sig)
{
    struct sigaction sa;

    if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
        return;
    sigaddset(set, sig);
}

int bench_monitor_start(bool progress, bench_monitor_t **out)
{
    bench_monitor_t *m = calloc(1, sizeof *m);
    sigset_t old, mask;

    if (!m)
        return JF_ENOMEM;
    m->progress = progress;
    pthread_mutex_init(&m->lock, NULL);
    sigemptyset(&mask);
    add_unless_ignored(&mask, SIGINT);
    add_unless_ignored(&mask, SIGTERM);
    m->waited = mask;
    sigaddset(&m->waited, WAKE_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &mask, &old);
    pthread_sigmask(SIG_BLOCK, NULL, &mask); /* what the caller's threads get */
    if (start_thread(m, &mask) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        pthread_mutex_destroy(&m->lock);
        free(m);
        return JF_ETHREAD;
    }
    *out = m;
    return 0;
}

void bench_monitor_stop(bench_monitor_t *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->quit = true;
    pthread_mutex_unlock(&m->lock);
    pthread_kill(m->thread, WAKE_SIGNAL);
    pthread_join(m->thread, NULL);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

bool bench_monitor_interrupted(bench_monitor_t *m)
{
    if (!m)
        return false;
    pthread_mutex_lock(&m->lock);
    bool yes = m->signals > 0;
    pthread_mutex_unlock(&m->lock);
    return yes;
}

/* A pipeline p, or a polled run (p NULL). */
static bool attach(bench_monitor_t *m, jf_pipeline_t *p, const char *what, uint64_t total)
{
    if (!m)
        return true;
    pthread_mutex_lock(&m->lock);
    bool ok = m->signals == 0;
    if (ok) {
        m->pipeline = p;
        m->polled = p == NULL;
        m->done = 0;
        snprintf(m->what, sizeof m->what, "%s", what);
        m->total = total;
    }
    pthread_mutex_unlock(&m->lock);
    return ok;
}

bool bench_monitor_attach(bench_monitor_t *m, jf_pipeline_t *p, const char *what, uint64_t total)
{
    return attach(m, p, what, total);
}

void bench_monitor_detach(bench_monitor_t *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->pipeline = NULL;
    m->polled = false;
    pthread_mutex_unlock(&m->lock);
}

bool bench_monitor_attach_polled(bench_monitor_t *m, const char *what, uint64_t total)
{
    return attach(m, NULL, what, total);
}

int bench_monitor_poll(void *ctx, uint64_t done)
{
    bench_monitor_t *m = ctx;

    if (!m)
        return 0;
    pthread_mutex_lock(&m->lock);
    m->done = done;
    bool stop = m->signals > 0;
    pthread_mutex_unlock(&m->lock);
    return stop;
}

void bench_monitor_protect(bench_monitor_t *m, void (*fn)(void *), void *arg)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->cleanup = fn;
    m->cleanup_arg = arg;
    pthread_mutex_unlock(&m->lock);
}

void bench_monitor_lock(bench_monitor_t *m)
{
    if (m)
        pthread_mutex_lock(&m->lock);
}

void bench_monitor_unlock(bench_monitor_t *m)
{
    if (m)
        pthread_mutex_unlock(&m->lock);
}
