/* history.h - history.jsonl: one summary line per run, appended atomically; read back for trend. */
#ifndef BENCH_HISTORY_H
#define BENCH_HISTORY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define BENCH_HISTORY_SCHEMA "jefferson.history/1"
#define BENCH_HISTORY_DIR "results"
/* The one default history, relative to the current directory: every run
 * without --history appends to it and trend without --history reads it. */
#define BENCH_HISTORY_DEFAULT BENCH_HISTORY_DIR "/history.jsonl"

/* The history line of the result document doc written to dir: a new
 * string holding one JSON object (docs/regressions.md, "History") and no
 * newline; NULL when out of memory. Caller frees with free(). */
char *bench_history_line(const cJSON *doc, const char *dir);

/* Appends line and a newline to path (created 0644 if missing, and for
 * BENCH_HISTORY_DEFAULT its directory too) in one
 * write() on a descriptor opened with O_APPEND, then fsync()s it, so
 * concurrent runs never interleave their lines. Returns 0 or a negative
 * errno (EIO for a short write: the file may then end in a partial line,
 * which readers skip). */
int bench_history_append(const char *path, const char *line);

/* The lines of a history file, parsed. */
typedef struct bench_history {
    size_t n;
    cJSON **lines;        /* owned: objects with schema BENCH_HISTORY_SCHEMA, file order */
    size_t skipped;       /* lines that are not such objects (partial, foreign) */
    size_t first_skipped; /* line number (from 1) of the first of them; 0: none */
} bench_history_t;

/* Reads path into *h. Returns 0, JF_EIO (cannot read; why says why) or
 * JF_ENOMEM. Release with bench_history_fini, also after a failure. */
int bench_history_read(const char *path, bench_history_t *h, char *why, size_t why_size);
void bench_history_fini(bench_history_t *h);

#endif /* BENCH_HISTORY_H */
