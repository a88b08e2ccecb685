/* outdir.h - a results directory that appears complete or not at all. */
#ifndef JF_OUTDIR_H
#define JF_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#define JF_OUTDIR_MAX 4096

/* Files are written into `tmp`, a sibling of `path`, which is renamed to
 * `path` only when everything is in it. */
typedef struct jf_outdir {
    char path[JF_OUTDIR_MAX]; /* where the results end up, no trailing '/' */
    char tmp[JF_OUTDIR_MAX + 32]; /* <path>.tmp.<pid> */
    bool make_parent;         /* default location: create results/ first */
    bool replace;             /* path holds earlier results and --force was given */
    bool created;             /* tmp exists */
} jf_outdir_t;

/* Decides where results go and checks it without creating anything: out
 * (NULL: results/<workload>-<stamp>, with -2, -3, ... appended when taken)
 * must not be an existing file; an existing directory is refused unless
 * force, and even then only when it is empty or holds a result.json (so
 * --force cannot wipe an unrelated directory); its parent must exist and
 * be writable. Returns 0, or JF_EXIT_USAGE after the error line. */
int jf_outdir_plan(jf_outdir_t *d, const char *out, const char *workload, const char *stamp,
                   bool force);

/* Creates the temporary directory (and results/ for the default location).
 * Returns 0, or after the error line JF_EXIT_USAGE when the place cannot
 * hold a directory (no permission, read-only, vanished parent), else
 * JF_EXIT_FAILED. */
int jf_outdir_begin(jf_outdir_t *d);

/* Writes <tmp>/<name> into buf. Returns 0, or -1 when it does not fit. */
int jf_outdir_file(const jf_outdir_t *d, const char *name, char *buf, size_t size);

/* Moves the finished directory to its place, atomically where the file
 * system allows, replacing earlier results when planned so. Returns 0, or
 * JF_EXIT_FAILED after the error line, with the temporary directory
 * removed and earlier results left as they were. */
int jf_outdir_commit(jf_outdir_t *d);

/* Removes the temporary directory and everything in it, if created
 * (retrying a few times should files appear in it meanwhile). */
void jf_outdir_abort(jf_outdir_t *d);

#endif /* JF_OUTDIR_H */
