/* plugin.h - the ABI of a stage that bench loads from a shared library.
 *
 * A workload stage may run the user's own code:
 *
 *     {"name": "mine", "kernel": "plugin",
 *      "library": "./libstage.so", "symbol": "my_stage", "arg": "level=3"}
 *
 * bench dlopens the library (a relative path is relative to the workload
 * file's directory), looks up `symbol`, which must name a
 * jf_plugin_stage_t the library defines, checks its abi_version, calls
 * init once with "arg", then process for every item that reaches the
 * stage, under every strategy, and fini at the end. A plugin:
 *
 *     #include <jefferson/plugin.h>
 *
 *     static int upcase(void *state, jf_plugin_item_t *item)
 *     {
 *         for (size_t i = 0; i < item->size; i++)
 *             item->data[i] = (unsigned char)toupper(item->data[i]);
 *         return 0;
 *     }
 *
 *     JF_PLUGIN_EXPORT const jf_plugin_stage_t my_stage = {
 *         .abi_version = JF_PLUGIN_ABI_VERSION, .name = "upcase", .process = upcase,
 *     };
 *
 * built with `cc -fPIC -shared -o libstage.so stage.c`. This header needs
 * libc only, and the library needs nothing from jefferson. */
#ifndef JEFFERSON_PLUGIN_H
#define JEFFERSON_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this ABI. bench refuses a stage whose abi_version differs
 * (the layout of jf_plugin_stage_t or jf_plugin_item_t, or what bench
 * promises about them, changed): rebuild the plugin against the header of
 * the bench that loads it. */
#define JF_PLUGIN_ABI_VERSION 1u

/* Gives the descriptor default visibility, so that it stays exported from
 * a library built with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define JF_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define JF_PLUGIN_EXPORT
#endif

/* jf_plugin_stage_t.flags */
#define JF_PLUGIN_YIELDS (1u << 0) /* process gives up its core while it works (waits on
                                    * I/O, sleeps): its time counts as yielding time, not
                                    * CPU time, in bench's lower bound */

/* One item as a stage sees it. `data` is the item's payload after bench's
 * 8-byte header (which carries seq and which bench checks at the sink):
 * `size` = the workload's item_bytes - 8 bytes (possibly 0), filled by
 * bench's source with bytes drawn from the workload's seed and the seq,
 * then transformed by every stage before this one. The stage may read and
 * rewrite data[0, size) in place; the buffer belongs to bench, and is
 * valid during the call only. */
typedef struct jf_plugin_item {
    uint64_t seq;        /* the item's place in source order: 0, 1, 2, ... */
    unsigned char *data; /* the payload's body */
    size_t size;         /* bytes in data */
} jf_plugin_item_t;

/* What the library exports under the workload's "symbol": a constant
 * object, not a function. abi_version is the first member in every
 * version of this ABI, so bench can read it from any plugin. */
typedef struct jf_plugin_stage {
    /* JF_PLUGIN_ABI_VERSION of the header the plugin was built with. */
    uint32_t abi_version;
    /* JF_PLUGIN_* bits, or 0. */
    uint32_t flags;
    /* A short name for messages, or NULL. */
    const char *name;
    /* Optional (NULL: the state is NULL). Called once, before any process,
     * with the stage's "arg" string ("" when the workload gives none);
     * sets *state to what process and fini receive. Returns 0, or non-zero
     * to refuse the workload (bench reports the code and exits 2). */
    int (*init)(void **state, const char *arg);
    /* Required. Transforms one item in place. Returns 0, or non-zero to
     * fail the run: bench stops every worker and reports the stage, the
     * item's seq and this code. Called from several threads at once with
     * the same state, for different items: state must be read-only, or
     * synchronised by the plugin. Items of one stage arrive in no
     * particular order; bench restores source order at the sink. When
     * the workload states no "ns" for the stage, bench also calls process
     * at load, on scratch copies of the first few items, to measure the
     * cost its simulator (--sim) then uses. */
    int (*process)(void *state, jf_plugin_item_t *item);
    /* Optional. Called once with the state after the last process, also
     * after a failed run; not after a failed init (init frees what it
     * made before it fails). */
    void (*fini)(void *state);
} jf_plugin_stage_t;

#ifdef __cplusplus
}
#endif

#endif /* JEFFERSON_PLUGIN_H */
