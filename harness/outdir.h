/* outdir.h - a results directory that appears complete or not at all. */
#ifndef BENCH_OUTDIR_H
#define BENCH_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#define BENCH_OUTDIR_MAX 4096

/* Files are written into `tmp`, a sibling of `path`, which is renamed to
 * `path` only when everything is in it. */
typedef struct bench_outdir {
    char path[BENCH_OUTDIR_MAX]; /* where the results end up, no trailing '/' */
    char tmp[BENCH_OUTDIR_MAX + 32]; /* <path>.tmp.<pid> */
    bool make_parent;         /* default location: create results/ first */
    bool replace;             /* path holds earlier results and --force was given */
    bool created;             /* tmp exists */
} bench_outdir_t;

/* The checks of a place that output goes to, shared by the run's --out,
 * trend --out and report DIR so that each names the same causes. `what`
 * prefixes the error line ("--out", "trend: --out"). Each returns 0, or
 * BENCH_EXIT_USAGE after the error line; none creates anything. */

/* dir can take new files: "<what>: cannot write in "<dir>": <strerror>".
 * Root passes wherever permissions alone forbid; bench_outdir_fail_write
 * then names the cause when the write itself fails. */
int bench_outdir_check_writable(const char *what, const char *dir);

/* path's parent directory exists, is a directory and can take new files. */
int bench_outdir_check_parent(const char *what, const char *path);

/* A file can be written at path: path is not a directory, and its parent
 * passes bench_outdir_check_parent. */
int bench_outdir_check_file(const char *what, const char *path);

/* The error line of a failed write of path with errno err. Returns
 * BENCH_EXIT_USAGE when the place is at fault (no permission, read-only,
 * missing or not a directory: "<what>: cannot write in "<parent>": ...",
 * the line bench_outdir_check_writable prints), else BENCH_EXIT_FAILED. */
int bench_outdir_fail_write(const char *what, const char *path, int err);

/* Decides where results go and checks it without creating anything: out
 * (NULL: results/<workload>-<stamp>, with -2, -3, ... appended when taken)
 * must not be an existing file; an existing directory that is neither
 * empty nor holds a result.json is refused (with or without force, in the
 * same words, so --force cannot wipe an unrelated directory), any other
 * existing directory unless force; its parent must pass
 * bench_outdir_check_parent. Returns 0, or BENCH_EXIT_USAGE after the error line. */
int bench_outdir_plan(bench_outdir_t *d, const char *out, const char *workload, const char *stamp,
                   bool force);

/* Creates the temporary directory (and results/ for the default location).
 * Returns 0, or after the error line BENCH_EXIT_USAGE when the place cannot
 * hold a directory (no permission, read-only, vanished parent), else
 * BENCH_EXIT_FAILED. */
int bench_outdir_begin(bench_outdir_t *d);

/* Writes <tmp>/<name> into buf. Returns 0, or -1 when it does not fit. */
int bench_outdir_file(const bench_outdir_t *d, const char *name, char *buf, size_t size);

/* Moves the finished directory to its place, atomically where the file
 * system allows, replacing earlier results when planned so. Returns 0, or
 * BENCH_EXIT_FAILED after the error line, with the temporary directory
 * removed and earlier results left as they were. */
int bench_outdir_commit(bench_outdir_t *d);

/* Removes the temporary directory and everything in it, if created
 * (retrying a few times should files appear in it meanwhile). */
void bench_outdir_abort(bench_outdir_t *d);

#endif /* BENCH_OUTDIR_H */
