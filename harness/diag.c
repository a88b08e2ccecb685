/* diag.c - one-line errors and warnings, and a progress line only a terminal sees. */
#include "diag.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/jf_why.h"
#include "core/jf_utf8.h"

#define MSG_MAX 1024

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

/* Prints prefix + msg as one line: scripts and tests rely on that. Paths
 * and names quoted from the command line may hold any bytes: the line is
 * made well-formed UTF-8 too. */
static void line(const char *prefix, char *msg)
{
    char fixed[3 * MSG_MAX]; /* U+FFFD takes 3 bytes where the bad byte took 1 */

    jf_one_line(msg);
    jf_utf8_repair(fixed, sizeof fixed, msg, strlen(msg));
    pthread_mutex_lock(&lock);
    clear_locked();
    fprintf(stderr, "bench: %s%s\n", prefix, fixed);
    pthread_mutex_unlock(&lock);
}

int bench_diag_fail(int status, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    line("", msg);
    return status;
}

void bench_diag_warn(const char *text)
{
    char msg[MSG_MAX];

    snprintf(msg, sizeof msg, "%s", text);
    line("warning: ", msg);
}

bool bench_diag_progress_init(void)
{
    progress_enabled = isatty(STDERR_FILENO) == 1;
    return progress_enabled;
}

void bench_diag_progress(const char *fmt, ...)
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

void bench_diag_progress_clear(void)
{
    pthread_mutex_lock(&lock);
    clear_locked();
    pthread_mutex_unlock(&lock);
}
