/* checksum_stage.c - an example plugin stage: stamps a digest of each item's body into it.
 *
 * For every item, the FNV-1a 64-bit digest of the body's bytes but the
 * last 8 is written into those last 8 bytes (little-endian), as a record
 * format that carries its own checksum would be sealed before it is
 * written out. "arg" may say "rounds=N" (1 to 1000, default 1): the digest
 * is then taken N times, each seeded with the one before, to give the
 * stage more work. Items with a body shorter than 9 bytes fail (code 1):
 * the workload's item_bytes must be at least 17. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jefferson/plugin.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

typedef struct settings {
    unsigned rounds;
} settings_t;

/* Reads "rounds=N" (or "" for the default). Returns 0, or 1 for anything else. */
static int init(void **state, const char *arg)
{
    settings_t *s = malloc(sizeof *s);
    char *end;

    if (s == NULL)
        return 2;
    s->rounds = 1;
    if (strncmp(arg, "rounds=", 7) == 0) {
        unsigned long n = strtoul(arg + 7, &end, 10);

        if (*end != '\0' || n < 1 || n > 1000) {
            free(s);
            return 1;
        }
        s->rounds = (unsigned)n;
    } else if (arg[0] != '\0') {
        free(s);
        return 1;
    }
    *state = s;
    return 0;
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

/* Read-only state, so any number of workers may call it at once. */
static int process(void *state, jf_plugin_item_t *item)
{
    const settings_t *s = state;
    uint64_t h = FNV_OFFSET;
    size_t n;

    if (item->size < 9)
        return 1;
    n = item->size - 8;
    for (unsigned r = 0; r < s->rounds; r++)
        h = fnv1a(h, item->data, n);
    for (int i = 0; i < 8; i++)
        item->data[n + (size_t)i] = (unsigned char)(h >> (8 * i));
    return 0;
}

static void fini(void *state)
{
    free(state);
}

JF_PLUGIN_EXPORT const jf_plugin_stage_t checksum_stage = {
    .abi_version = JF_PLUGIN_ABI_VERSION,
    .name = "checksum",
    .init = init,
    .process = process,
    .fini = fini,
};
