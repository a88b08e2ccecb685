/* stage.c - the plugin stage the tests load into bench (build/tests/libtest_plugin.so).
 *
 * Rewrites every body byte as b ^ (seq & 0xff), counts the items it saw,
 * and on request fails one item or refuses to start. Its "arg" is a list
 * of settings separated by ',':
 *   count=PATH   fini appends "<items processed>\n" to PATH
 *   fail_at=N    process returns 7 for the item whose seq is N
 *   refuse       init returns 5
 * Built a second time with TEST_PLUGIN_ABI=99 (libtest_plugin_abi.so) to
 * test bench's refusal of another ABI version. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jefferson/plugin.h>

#ifndef TEST_PLUGIN_ABI
#define TEST_PLUGIN_ABI JF_PLUGIN_ABI_VERSION
#endif

typedef struct state {
    char count_path[1024];
    int64_t fail_at;   /* -1: never */
    _Atomic uint64_t processed;
} state_t;

/* One "key=value" or "key" setting of arg at s, len bytes long. Returns 0, or -1 when unknown. */
static int setting(state_t *st, const char *s, size_t len)
{
    if (len > 6 && strncmp(s, "count=", 6) == 0 && len - 6 < sizeof st->count_path) {
        memcpy(st->count_path, s + 6, len - 6);
        st->count_path[len - 6] = '\0';
        return 0;
    }
    if (len > 8 && strncmp(s, "fail_at=", 8) == 0) {
        st->fail_at = strtoll(s + 8, NULL, 10);
        return 0;
    }
    return -1;
}

static int init(void **state, const char *arg)
{
    state_t *st = calloc(1, sizeof *st);

    if (st == NULL)
        return 1;
    st->fail_at = -1;
    for (const char *s = arg; *s != '\0';) {
        size_t len = strcspn(s, ",");

        if ((len == 6 && strncmp(s, "refuse", 6) == 0) || setting(st, s, len) != 0) {
            free(st);
            return 5;
        }
        s += len + (s[len] == ',');
    }
    *state = st;
    return 0;
}

static int process(void *state, jf_plugin_item_t *item)
{
    state_t *st = state;

    /* Relaxed: a count, read by fini after bench has joined every worker. */
    atomic_fetch_add_explicit(&st->processed, 1, memory_order_relaxed);
    if (st->fail_at >= 0 && item->seq == (uint64_t)st->fail_at)
        return 7;
    for (size_t i = 0; i < item->size; i++)
        item->data[i] ^= (unsigned char)item->seq;
    return 0;
}

static void fini(void *state)
{
    state_t *st = state;
    FILE *f;

    if (st->count_path[0] != '\0' && (f = fopen(st->count_path, "a")) != NULL) {
        fprintf(f, "%llu\n", (unsigned long long)atomic_load(&st->processed));
        fclose(f);
    }
    free(st);
}

JF_PLUGIN_EXPORT const jf_plugin_stage_t test_stage = {
    .abi_version = TEST_PLUGIN_ABI,
    .name = "test",
    .init = init,
    .process = process,
    .fini = fini,
};
