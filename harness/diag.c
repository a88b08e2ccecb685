/* diag.c - one-line errors and warnings, and a progress line only a terminal sees. */
#include "diag.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "core/jf_error.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool progress_enabled; /* written once, before the monitor thread starts */
static bool progress_shown;   /* under lock */

static void clear_locked(void)
{
    if (!progress_shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    progress_shown = false;
}

/* Prints prefix + msg as one line: scripts and tests rely on that. */
static void line(const char *prefix, char *msg)
{
    jf_one_line(msg);
    pthread_mutex_lock(&lock);
    clear_locked();
    fprintf(stderr, "bench: %s%s\n", prefix, msg);
    pthread_mutex_unlock(&lock);
}

int jf_diag_fail(int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    line("", msg);
    return status;
}

void jf_diag_warn(const char *text)
{
    char msg[1024];

    snprintf(msg, sizeof msg, "%s", text);
    line("warning: ", msg);
}

bool jf_diag_progress_init(void)
{
    progress_enabled = isatty(STDERR_FILENO) == 1;
    return progress_enabled;
}

void jf_diag_progress(const char *fmt, ...)
{
    va_list ap;

    if (!progress_enabled)
        return;
    pthread_mutex_lock(&lock);
    fputs("\r\033[K", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    progress_shown = true;
    pthread_mutex_unlock(&lock);
}

void jf_diag_progress_clear(void)
{
    pthread_mutex_lock(&lock);
    clear_locked();
    pthread_mutex_unlock(&lock);
}
