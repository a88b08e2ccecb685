/* outdir.c - plan, fill and atomically publish a results directory. */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "diag.h"

#define DEFAULT_PARENT "results"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

/* rm -rf of a directory this process made or was told to replace. FTW_PHYS:
 * a symlink inside is removed, never followed. */
static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* True when dir is empty or holds a result.json (or, from a scaling run,
 * a scaling.json): safe to replace. */
static bool replaceable(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool empty = true, results = false;

    if (!d)
        return false;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        empty = false;
        results |= strcmp(e->d_name, "result.json") == 0 ||
                   strcmp(e->d_name, "scaling.json") == 0;
    }
    closedir(d);
    return empty || results;
}

/* The directory that holds path, into parent: "." for a plain name. */
static void parent_of(const char *path, char *parent, size_t size)
{
    snprintf(parent, size, "%s", path);
    char *slash = strrchr(parent, '/');
    if (!slash)
        snprintf(parent, size, ".");
    else if (slash == parent)
        slash[1] = '\0';
    else
        *slash = '\0';
}

int bench_outdir_check_writable(const char *what, const char *dir)
{
    if (access(dir, W_OK | X_OK) != 0)
        return bench_diag_fail(BENCH_EXIT_USAGE, "%s: cannot write in \"%s\": %s", what, dir,
                            strerror(errno));
    return 0;
}

int bench_outdir_check_parent(const char *what, const char *path)
{
    char parent[BENCH_OUTDIR_MAX];
    struct stat st;

    parent_of(path, parent, sizeof parent);
    if (stat(parent, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return bench_diag_fail(BENCH_EXIT_USAGE, "%s: parent directory \"%s\" does not exist",
                                what, parent);
        return bench_diag_fail(BENCH_EXIT_USAGE, "%s: \"%s\": %s", what, parent, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return bench_diag_fail(BENCH_EXIT_USAGE, "%s: parent directory \"%s\" is not a directory",
                            what, parent);
    return bench_outdir_check_writable(what, parent);
}

int bench_outdir_check_file(const char *what, const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return bench_diag_fail(BENCH_EXIT_USAGE, "%s: \"%s\" is a directory (expected a file name)",
                            what, path);
    return bench_outdir_check_parent(what, path);
}

/* Where a file or directory cannot be made because of where it is
 * (read-only file system, no permission, a root that access() let
 * through, a vanished parent), the command line named a bad place. */
static bool bad_place(int err)
{
    return err == EACCES || err == EPERM || err == EROFS || err == ENOENT || err == ENOTDIR;
}

int bench_outdir_fail_write(const char *what, const char *path, int err)
{
    char parent[BENCH_OUTDIR_MAX];

    if (!bad_place(err))
        return bench_diag_fail(BENCH_EXIT_FAILED, "%s: cannot write \"%s\": %s", what, path,
                            strerror(err));
    parent_of(path, parent, sizeof parent);
    return bench_diag_fail(BENCH_EXIT_USAGE, "%s: cannot write in \"%s\": %s", what, parent,
                        strerror(err));
}

static int check_existing(bench_outdir_t *d, bool force)
{
    struct stat st;

    if (stat(d->path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        return bench_diag_fail(BENCH_EXIT_USAGE, "--out: \"%s\": %s", d->path, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return bench_diag_fail(BENCH_EXIT_USAGE, "--out: \"%s\" exists and is not a directory",
                            d->path);
    /* Checked first, so the answer is the same with and without --force. */
    if (!replaceable(d->path))
        return bench_diag_fail(BENCH_EXIT_USAGE, "--out: \"%s\" is not empty and holds no "
                            "result.json; it is never replaced, not even with --force",
                            d->path);
    if (!force)
        return bench_diag_fail(BENCH_EXIT_USAGE, "--out: \"%s\" exists (--force replaces it)",
                            d->path);
    d->replace = true;
    return 0;
}

/* results/<workload>-<stamp>, made unique; the workload name is reduced to
 * characters that are safe in a file name. */
static int plan_default(bench_outdir_t *d, const char *workload, const char *stamp)
{
    char name[128];
    struct stat st;
    size_t i;

    for (i = 0; workload[i] && i < sizeof name - 1; i++) {
        char c = workload[i];
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        name[i] = safe && !(i == 0 && c == '.') ? c : '_';
    }
    name[i] = '\0';
    if (stat(DEFAULT_PARENT, &st) == 0 && !S_ISDIR(st.st_mode))
        return bench_diag_fail(BENCH_EXIT_USAGE, "--out: \"%s\" is not a directory", DEFAULT_PARENT);
    d->make_parent = true;
    for (int n = 1; n <= 100; n++) {
        if (n == 1)
            snprintf(d->path, sizeof d->path, "%s/%s-%s", DEFAULT_PARENT, name, stamp);
        else
            snprintf(d->path, sizeof d->path, "%s/%s-%s-%d", DEFAULT_PARENT, name, stamp, n);
        if (lstat(d->path, &st) != 0 && errno == ENOENT)
            return 0;
    }
    return bench_diag_fail(BENCH_EXIT_USAGE, "--out: no free name for \"%s\"", d->path);
}

int bench_outdir_plan(bench_outdir_t *d, const char *out, const char *workload, const char *stamp,
                   bool force)
{
    int rc;

    memset(d, 0, sizeof *d);
    if (!out) {
        rc = plan_default(d, workload, stamp);
    } else {
        size_t len = strlen(out);
        while (len > 1 && out[len - 1] == '/')
            len--;
        if (len + 32 >= sizeof d->path)
            return bench_diag_fail(BENCH_EXIT_USAGE, "--out: path too long");
        memcpy(d->path, out, len);
        d->path[len] = '\0';
        rc = check_existing(d, force);
        if (rc == 0)
            rc = bench_outdir_check_parent("--out", d->path);
    }
    if (rc)
        return rc;
    snprintf(d->tmp, sizeof d->tmp, "%s.tmp.%ld", d->path, (long)getpid());
    return 0;
}

/* A directory that cannot be made because of where it is: exit 2;
 * anything else is a failure of the run. */
static int begin_status(int err)
{
    return bad_place(err) ? BENCH_EXIT_USAGE : BENCH_EXIT_FAILED;
}

int bench_outdir_begin(bench_outdir_t *d)
{
    if (d->make_parent && mkdir(DEFAULT_PARENT, 0777) != 0 && errno != EEXIST)
        return bench_diag_fail(begin_status(errno), "--out: cannot create \"%s\": %s",
                            DEFAULT_PARENT, strerror(errno));
    if (mkdir(d->tmp, 0777) != 0) /* what access() let through, as root in /sys */
        return bench_outdir_fail_write("--out", d->path, errno);
    d->created = true;
    return 0;
}

int bench_outdir_file(const bench_outdir_t *d, const char *name, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/%s", d->tmp, name);
    return n >= 0 && (size_t)n < size ? 0 : -1;
}

/* Replacing: swap old and new in one step (RENAME_EXCHANGE), then delete
 * the old one now sitting at tmp. Where the file system cannot swap, move
 * the old aside first and put it back if the new one cannot take its place. */
static int replace_old(bench_outdir_t *d)
{
    char old[BENCH_OUTDIR_MAX + 32];

    if (renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->path, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno == ENOENT) { /* the old results went away during the run */
        d->replace = false;
        return rename(d->tmp, d->path);
    }
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    snprintf(old, sizeof old, "%s.old.%ld", d->path, (long)getpid());
    if (rename(d->path, old) != 0)
        return -1;
    if (rename(d->tmp, d->path) != 0) {
        int err = errno;
        rename(old, d->path);
        errno = err;
        return -1;
    }
    remove_tree(old);
    return 0;
}

int bench_outdir_commit(bench_outdir_t *d)
{
    int rc;

    if (d->replace) {
        rc = replace_old(d);
    } else {
        /* NOREPLACE: a directory that appeared during the run is not
         * silently replaced (plain rename would replace an empty one). */
        rc = renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->path, RENAME_NOREPLACE);
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS))
            rc = rename(d->tmp, d->path);
    }
    if (rc != 0) {
        int err = errno;
        bench_outdir_abort(d);
        return bench_diag_fail(BENCH_EXIT_FAILED, "--out: cannot move results to \"%s\": %s",
                            d->path, strerror(err));
    }
    /* After an exchange, tmp holds the earlier results; otherwise it is gone. */
    if (d->replace)
        remove_tree(d->tmp);
    d->created = false;
    return 0;
}

void bench_outdir_abort(bench_outdir_t *d)
{
    char gone[sizeof d->tmp + 8];
    const char *doomed = d->tmp;
    struct stat st;

    if (!d->created)
        return;
    /* Out of the way first: a second signal lands while the run may still
     * write into tmp, and writers name their files by path, so once tmp
     * has moved nothing new appears in the tree being removed. */
    if (snprintf(gone, sizeof gone, "%s.gone", d->tmp) < (int)sizeof gone &&
        rename(d->tmp, gone) == 0)
        doomed = gone;
    /* A few tries where it could not move: a file can appear behind nftw
     * and keep rmdir from working. */
    for (int i = 0; i < 5; i++) {
        remove_tree(doomed);
        if (lstat(doomed, &st) != 0)
            break;
    }
    d->created = false;
}
