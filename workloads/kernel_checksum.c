/* kernel_checksum.c - a real-data kernel: CRC-32 of the item payload. */
#include <pthread.h>
#include <stdlib.h>

#include "kernels.h"

/* Slice-by-8 tables: table[0] is the classic byte table of the reflected
 * polynomial 0xedb88320; table[k][i] is the CRC of byte i followed by k
 * zero bytes, so eight table lookups advance the CRC by eight bytes. */
static uint32_t table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int b = 0; b < 8; b++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[0][i] = c;
    }
    for (int k = 1; k < 8; k++)
        for (uint32_t i = 0; i < 256; i++)
            table[k][i] = (table[k - 1][i] >> 8) ^ table[0][table[k - 1][i] & 0xff];
}

/* Little-endian 32-bit load, whatever the host's order (one load on x86). */
static inline uint32_t load_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t jf__crc32(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t c = 0xffffffffu;

    /* pthread_once publishes the tables to every thread that returns from it. */
    if (pthread_once(&table_once, build_table) != 0)
        abort();
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo = load_le32(p) ^ c, hi = load_le32(p + 4);

        c = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^
            table[4][lo >> 24] ^ table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^
            table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
    }
    while (n-- > 0)
        c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* XORs the CRC-32 of bytes [0, n - 4) into the last 4 (little-endian);
 * the 4 start as source data, so the step is a bijection like every real
 * kernel's (payload.h) and damage done before it survives to the sink.
 * The seq in the first 8 bytes is left alone (the loader requires
 * item_bytes >= 12). */
static void fold_crc(unsigned char *p, uint32_t n)
{
    uint32_t crc = jf__crc32(p, n - 4u);

    p += n - 4u;
    p[0] ^= (unsigned char)crc;
    p[1] ^= (unsigned char)(crc >> 8);
    p[2] ^= (unsigned char)(crc >> 16);
    p[3] ^= (unsigned char)(crc >> 24);
}

/* The checksum kernel: fold_crc on the payload. Its cost is what the data
 * costs (about 0.55 ns per byte, slice-by-8); the stage's ns is only the simulator's
 * estimate. Fails (returns WORKLOAD__KERR_PAYLOAD) on a payload too small to
 * hold seq and CRC. */
int jf__kernel_checksum(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    unsigned char *p = out->payload;

    if (p == NULL || out->bytes < 12)
        return WORKLOAD__KERR_PAYLOAD;
    fold_crc(p, out->bytes);
    out->used = out->bytes;
    return 0;
}

void jf__model_checksum(const jf__kctx_t *k, uint64_t seq, unsigned char *p, uint32_t n)
{
    if (n >= 12)
        fold_crc(p, n);
}
