/* workload_load.c - workload files: reading one, and resolving NAME|PATH. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "jcheck.h"

#define DEFAULT_DIR "workloads"

/* strerror is not thread-safe and strerror_r comes in two flavours: the GNU
 * one (glibc with _GNU_SOURCE) returns the message, the XSI one fills buf. */
static const char *errno_text(int e, char *buf, size_t cap)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    return strerror_r(e, buf, cap);
#else
    if (strerror_r(e, buf, cap) != 0)
        snprintf(buf, cap, "error %d", e);
    return buf;
#endif
}

/* Reads all of f into a new buffer, refusing more than the file limit (also
 * for pipes and devices, whose size fstat does not know). Returns 0, JF_EIO
 * (errno set), JF_ERANGE or JF_ENOMEM. */
static int read_all(FILE *f, char **out, size_t *len)
{
    size_t cap = 1u << 16, n = 0;
    char *buf = jf_calloc(cap, 1), *bigger;

    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (ferror(f)) {
            jf_free(buf);
            return JF_EIO;
        }
        if (n > WORKLOAD_MAX_FILE_BYTES) {
            jf_free(buf);
            return JF_ERANGE;
        }
        if (n < cap) { /* short read without error: end of file */
            *out = buf;
            *len = n;
            return 0;
        }
        if ((bigger = jf_calloc(cap * 2, 1)) != NULL)
            memcpy(bigger, buf, n);
        jf_free(buf);
        buf = bigger;
        cap *= 2;
    }
    return JF_ENOMEM;
}

/* Opens and reads path, refusing directories and oversized files. Returns 0
 * with a buffer for jf_free, or JF_EIO / JF_ERANGE / JF_ENOMEM with the
 * message written. */
static int read_file(const jf__jctx_t *c, const char *path, char **text, size_t *len)
{
    char why[128];
    struct stat st;
    FILE *f;
    int rc;

    if ((f = fopen(path, "rb")) == NULL)
        return jf__jfail(c, JF_EIO, NULL, "cannot open: %s", errno_text(errno, why, sizeof why));
    if (fstat(fileno(f), &st) != 0) {
        rc = jf__jfail(c, JF_EIO, NULL, "cannot stat: %s", errno_text(errno, why, sizeof why));
    } else if (S_ISDIR(st.st_mode)) { /* fopen opens directories for reading */
        rc = jf__jfail(c, JF_EIO, NULL, "cannot read: %s", errno_text(EISDIR, why, sizeof why));
    } else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > WORKLOAD_MAX_FILE_BYTES) {
        rc = JF_ERANGE;
    } else if ((rc = read_all(f, text, len)) == JF_EIO) {
        jf__jfail(c, rc, NULL, "cannot read: %s", errno_text(errno, why, sizeof why));
    }
    fclose(f);
    if (rc == JF_ERANGE)
        return jf__jfail(c, rc, NULL, "file too large (at most %u bytes)",
                         WORKLOAD_MAX_FILE_BYTES);
    if (rc == JF_ENOMEM)
        return jf__jfail(c, rc, NULL, "out of memory");
    return rc;
}

int workload_load(const char *path, workload_t **out, char err[WORKLOAD_ERR_MAX])
{
    char scratch[WORKLOAD_ERR_MAX];
    jf__jctx_t c = {path != NULL ? path : "<null>", err != NULL ? err : scratch};
    char *text = NULL;
    size_t len = 0;
    int rc;

    c.err[0] = '\0';
    if (out != NULL)
        *out = NULL;
    if (path == NULL || out == NULL)
        return jf__jfail(&c, JF_EINVAL, NULL, "no file or no place for the result");
    if ((rc = read_file(&c, path, &text, &len)) != 0)
        return rc;
    rc = workload_parse(text, len, path, out, c.err);
    jf_free(text);
    return rc;
}

static int is_path(const char *s)
{
    size_t n = strlen(s);

    return strchr(s, '/') != NULL || (n >= 5 && strcmp(s + n - 5, ".json") == 0);
}

int workload_find(const char *name_or_path, const char *dir, workload_t **out,
                     char err[WORKLOAD_ERR_MAX])
{
    char path[4096], label[96], scratch[WORKLOAD_ERR_MAX];
    jf__jctx_t c = {label, err != NULL ? err : scratch};
    struct stat st;
    int n;

    c.err[0] = '\0';
    snprintf(label, sizeof label, "workload \"%.64s\"", name_or_path ? name_or_path : "");
    if (out != NULL)
        *out = NULL;
    if (name_or_path == NULL || name_or_path[0] == '\0' || out == NULL)
        return jf__jfail(&c, JF_EINVAL, NULL, "expected a workload name or a file");
    if (is_path(name_or_path))
        return workload_load(name_or_path, out, c.err);
    if (dir == NULL || dir[0] == '\0')
        dir = DEFAULT_DIR;
    n = snprintf(path, sizeof path, "%s/%s.json", dir, name_or_path);
    if (n < 0 || (size_t)n >= sizeof path)
        return jf__jfail(&c, JF_EINVAL, NULL, "name too long");
    /* A name that names nothing is the user's mistake (exit 2), not an I/O
     * failure; any other trouble with the file is reported by the loader. */
    if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
        return jf__jfail(&c, JF_EINVAL, NULL, "not found in %s (try `bench list`)", dir);
    return workload_load(path, out, c.err);
}
