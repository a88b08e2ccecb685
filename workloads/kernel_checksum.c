/* kernel_checksum.c - a real-data kernel: CRC-32 of the item payload. */
#include <pthread.h>
#include <stdlib.h>

#include "kernels.h"

static uint32_t table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* The reflected table of polynomial 0xedb88320, built once per process. */
static void build_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int b = 0; b < 8; b++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

uint32_t jf__crc32(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t c = 0xffffffffu;

    /* pthread_once publishes the table to every thread that returns from it. */
    if (pthread_once(&table_once, build_table) != 0)
        abort();
    while (n-- > 0)
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* Computes the CRC-32 of every payload byte but the last 4 and stores it,
 * little-endian, in those 4 (the seq in the first 8 is left alone: the
 * loader requires item_bytes >= 12). Its cost is what the data costs; the
 * stage's ns is only the estimate the simulator uses. Fails (returns 1) on
 * a payload too small to hold seq and CRC. */
int jf__kernel_checksum(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    unsigned char *p = out->payload;
    uint32_t crc;

    if (p == NULL || out->bytes < 12)
        return 1;
    crc = jf__crc32(p, out->bytes - 4u);
    p += out->bytes - 4u;
    p[0] = (unsigned char)crc;
    p[1] = (unsigned char)(crc >> 8);
    p[2] = (unsigned char)(crc >> 16);
    p[3] = (unsigned char)(crc >> 24);
    out->used = out->bytes;
    return 0;
}
