/* workload.h - workload model: what a pipeline does, loaded from JSON. */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "jefferson/pipeline.h"

typedef enum workload_dist {
    WORKLOAD_DIST_FIXED = 0,  /* every item costs ns */
    WORKLOAD_DIST_UNIFORM,    /* uniform on [0, 2 ns]: mean ns */
    WORKLOAD_DIST_EXPONENTIAL,/* exponential with mean ns */
    JF_DIST_BIMODAL     /* 90% cost ns/2, 10% cost 5.5 ns: mean ns */
} workload_dist_t;

typedef struct workload_stage {
    char *name;
    char *kernel;       /* "spin", "sleep", ... */
    double ns;          /* mean cost per item in nanoseconds */
    workload_dist_t dist;
    uint64_t bytes;     /* "memory" kernel: working-set size; 0 for other kernels */
    uint64_t fail_at;   /* "fail" kernel (tests only): seq of the item that fails */
    uint32_t records;   /* "json", "xml": log records per document; 0 for others */
    char *library;      /* "plugin": the shared library, as the file gives it; else NULL */
    char *symbol;       /* "plugin": its jf_plugin_stage_t (include/jefferson/plugin.h) */
    char *arg;          /* "plugin": the string its init receives ("" when absent) */
    bool ns_measured;   /* "plugin" without "ns": ns is measured when the stage is
                         * bound (workload_adopt_costs), 0 until then */
} workload_stage_t;

/* From item seq `after_items` on, stage `stage` costs `ns`. */
typedef struct workload_phase_set {
    uint64_t after_items;
    size_t stage;
    double ns;
    size_t phase;       /* index in the file's "phases" array, to rebuild it */
} workload_phase_set_t;

typedef struct workload {
    char *name;
    char *description;  /* "" when absent */
    char *source;       /* file it came from */
    uint64_t items;
    uint32_t item_bytes;
    uint64_t seed;
    double arrival_rate_per_s; /* "arrival": {"rate_per_s"}; 0 = no limit */
    unsigned arrival_burst;    /* "arrival": {"burst"}; items per burst, >= 1 */
    size_t nstages;
    workload_stage_t *stages;
    size_t nsets;       /* phase changes, flattened, in file order */
    workload_phase_set_t *sets;
} workload_t;

/* Longest error message the loader produces, terminator included. */
#define WORKLOAD_ERR_MAX 512

/* Limits of the schema (DESIGN.md "Workload file"). Larger files are refused
 * before parsing; the phase limit bounds workload_item_ns, which scans
 * the phase changes for every item. */
#define WORKLOAD_MAX_FILE_BYTES (16u << 20)
#define WORKLOAD_NAME_MAX 128
#define WORKLOAD_MAX_PHASES 256

/* Most items a run may ask for, in the file's "items" or with bench's
 * --items: a billion 1 us items is a quarter hour. */
#define WORKLOAD_MAX_ITEMS UINT64_C(1000000000)

/* Memory a workload may ask for. Items are streamed through a window of
 * in-flight payloads (4096 items for 64 stages at the default batch), so
 * "items" costs no memory but item_bytes does: 256 KiB keeps that window
 * within 1 GiB. The memory kernels' working sets together may take at most
 * half the machine's physical memory (sysconf) and never more than 4 GiB. */
#define WORKLOAD_MAX_ITEM_BYTES (256u << 10)
#define WORKLOAD_MAX_WORKING_SET (UINT64_C(4) << 30)

/* "arrival": rate_per_s in (0, 1e9], burst in 1..1000000. */
#define WORKLOAD_MAX_RATE 1e9
#define WORKLOAD_MAX_BURST 1000000u

/* Error codes of the loader, by class of mistake:
 *   JF_EPARSE  not JSON at all: empty file, syntax error, not an object
 *   JF_EINVAL  wrong type, missing / unknown / duplicate field, unknown kernel,
 *              distribution or stage name, non-integral integer
 *   JF_ERANGE  right type, value outside its bounds (also string and array
 *              lengths, non-finite numbers, files over 16 MiB, documents of
 *              more than 131072 JSON values, memory beyond the limits above)
 *   JF_EIO     the file cannot be read
 *   JF_ENOMEM  out of memory */

/* Parses a workload document. `file` names it in messages. Returns 0 and
 * *out, or JF_EPARSE / JF_EINVAL / JF_ERANGE with a one-line message in
 * err (e.g. "bottleneck.json: stages[2].ns: expected a number >= 0") and
 * nothing allocated. Thread-safe. */
int workload_parse(const char *text, size_t len, const char *file,
                      workload_t **out, char err[WORKLOAD_ERR_MAX]);

/* Reads and parses a file, as workload_parse. JF_EIO when it cannot be
 * read (err says why). Files over 16 MiB are refused. */
int workload_load(const char *path, workload_t **out, char err[WORKLOAD_ERR_MAX]);

/* Resolves NAME|PATH: something with a '/' or ending in ".json" is a path;
 * anything else is looked up as <dir>/<NAME>.json (dir NULL or "" means
 * "workloads"). Then loads it. A NAME with no such file gives JF_EINVAL
 * (bad input, not an I/O failure) and err
 * "workload \"foo\": not found in <dir> (try `bench list`)". */
int workload_find(const char *name_or_path, const char *dir, workload_t **out,
                     char err[WORKLOAD_ERR_MAX]);

/* Frees a workload. NULL does nothing. Also frees workloads assembled by
 * hand, provided every pointer came from jf_calloc (or is NULL). */
void workload_destroy(workload_t *w);

/* The normalised workload (every default filled in) as a new cJSON object,
 * or NULL when out of memory. Caller frees with cJSON_Delete. */
cJSON *workload_to_json(const workload_t *w);

/* Kernels bound to one workload: stage specs plus the source and check
 * hooks for jf_run_options_t. Read-only while a run uses it. */
typedef struct workload_binding {
    size_t nstages;
    jf_stage_spec_t specs[JF_MAX_STAGES];
    jf_source_fn source;
    void *source_ctx;
    jf_check_fn check;
    void *check_ctx;
    void *priv;
} workload_binding_t;

/* The kernels a stage can name, and what its ns (drawn per item by
 * workload_item_ns) means to each:
 *   spin      CPU work calibrated to cost ns (a fixed iteration count, not a
 *             clock deadline, so preemption does not shorten it)
 *   sleep     nanosleep(ns): yields the core; add the timer slack (~50 us)
 *   memory    round(ns / 10) dependent read-modify-writes of random 64-byte
 *             lines of a shared working set of "bytes" (default 1 MiB): ns
 *             is nominal, the real cost follows the working set vs caches
 *   checksum  XORs the CRC-32 of payload bytes [0, item_bytes - 4) into the
 *             last 4; costs what the data costs, ns is only the simulator's
 *             estimate (needs item_bytes >= 12)
 *   json      the payload body goes into a generated log document of
 *             "records" records (default 4), printed and parsed back with
 *             cJSON; the body parsed back, folded, is the output
 *   xml       the same with an XML document parsed by libxml2
 *             (xmlReadMemory) and walked
 *   fail      for tests: spin, then fail (return 1) at seq == "fail_at"
 *   plugin    the user's own stage: "symbol" of the shared library "library"
 *             (include/jefferson/plugin.h), given the payload's body; ns is
 *             only the simulator's figure, stated or measured at bind
 * For json and xml, ns is the estimated cost of a document of "records"
 * records (the simulator's figure); an item drawn at x ns gets
 * round(records * x / ns) records, so distributions and phases shape the
 * real work too. Every kernel leaves the payload's first 8 bytes (the seq)
 * alone; docs/workloads.md has the payload protocol.
 *
 * Builds kernels for w (w must outlive the binding): b->specs[i].name
 * points into w, each ctx is read-only during the run. The source stamps
 * the seq into the payload's first 8 bytes and fills the rest from (seed,
 * seq); the check rebuilds the payload every item must arrive with (source
 * bytes, then each real kernel's transform in stage order) and fails an
 * item that differs: code 1 for a payload of the wrong size, 2 for a wrong
 * seq, 3 for wrong bytes, 4 when out of memory for the rebuilt payload
 * (items over 4 KiB). The check is reentrant: the engine runs it on every
 * worker, before the sink (jf_check_fn). The order of the items is the
 * engine's to check.
 * A workload with a plugin stage has its check look at the size and seq
 * of every payload only: a plugin's transform has no model to replay.
 * Plugin stages are loaded here (dlopen, relative paths against the
 * directory of w->source), their init called, and their cost measured on
 * a few items when the stage states no ns.
 * Returns 0, or JF_EINVAL for an unknown kernel (err says which) or a
 * plugin that cannot be loaded, lacks its symbol, speaks another ABI
 * version, or fails its init or a measured item (err names the stage's
 * field and why), JF_ERANGE for a memory working set over 1 GiB, or
 * JF_ENOMEM; on failure
 * *b is zeroed and nothing is allocated. Calibrates spin on first use and
 * initialises libxml2 (xmlInitParser) for a workload with an xml stage:
 * call it before starting threads that use either. */
int workload_bind(const workload_t *w, workload_binding_t *b,
                     char err[WORKLOAD_ERR_MAX]);

/* What the kernel of stage `stage` returns for item seq when that is known
 * without running it, as the simulator needs (jf_fail_fn): the fail
 * kernel's 1 on its fail_at, else 0 (the other kernels fail only when out
 * of memory or on a bug). 0 for a stage b does not have. Thread-safe. */
int workload_item_fails(const workload_binding_t *b, size_t stage, uint64_t seq);

/* Copies into w the per-item costs workload_bind measured for the
 * stages whose ns_measured is set (plugin stages without "ns"), so that
 * the simulator and the slow-stage model use them. b must be a binding of
 * w. Returns how many stages got a measured cost. */
size_t workload_adopt_costs(workload_t *w, const workload_binding_t *b);

/* Releases a binding's kernels. Safe on a zeroed binding. */
void workload_unbind(workload_binding_t *b);

/* Calibrates the spin kernel once per process (thread-safe, idempotent;
 * the first call takes 20-40 ms, the fastest of several ~2 ms timed runs):
 * returns spin iterations per nanosecond on this machine. */
double workload_spin_calibrate(void);

/* Cost in ns of item `seq` at stage `stage` of w: the stage's distribution
 * drawn deterministically from (seed, stage, seq), after phase changes. */
double workload_item_ns(const workload_t *w, size_t stage, uint64_t seq);

/* Name <-> enum ("fixed", "uniform", "exponential", "bimodal").
 * workload_dist_name returns "?" and workload_dist_parse -1 for an unknown value. */
const char *workload_dist_name(workload_dist_t dist);
int workload_dist_parse(const char *name);

#endif /* WORKLOAD_H */
