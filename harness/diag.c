/* diag.c - one-line errors and a progress line that only a terminal sees. */
#include "diag.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

static bool progress_enabled;
static bool progress_shown;

int jf_diag_fail(int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Scripts and tests rely on errors being one line. */
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    jf_diag_progress_clear();
    fprintf(stderr, "bench: %s\n", msg);
    return status;
}

void jf_diag_progress_init(void)
{
    progress_enabled = isatty(STDERR_FILENO) == 1;
}

void jf_diag_progress(const char *fmt, ...)
{
    va_list ap;

    if (!progress_enabled)
        return;
    fputs("\r\033[K", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    progress_shown = true;
}

void jf_diag_progress_clear(void)
{
    if (!progress_shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    progress_shown = false;
}
