/* jf_utf8.c - UTF-8 well-formedness checks and repair (jf_utf8.h). */
#include "jf_utf8.h"

#include <string.h>

static int is_cont(unsigned char b)
{
    return (b & 0xc0) == 0x80;
}

/* The range the second byte of a sequence led by b must fall in, and the
 * sequence's length; 0 for a byte that leads nothing. The first and last
 * ranges of each length exclude the overlong forms, the surrogates and
 * what lies above U+10FFFF. */
static size_t lead(unsigned char b, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xbf;
    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        return 2;
    if (b >= 0xe0 && b <= 0xef) {
        *lo = b == 0xe0 ? 0xa0 : 0x80;
        *hi = b == 0xed ? 0x9f : 0xbf;
        return 3;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        *lo = b == 0xf0 ? 0x90 : 0x80;
        *hi = b == 0xf4 ? 0x8f : 0xbf;
        return 4;
    }
    return 0;
}

/* How many bytes at s[0, avail) are a prefix of a well-formed sequence
 * (all of it when *whole is set), or 0 when s[0] starts none. */
static size_t prefix(const unsigned char *s, size_t avail, int *whole)
{
    unsigned char lo, hi;
    size_t want = avail > 0 ? lead(s[0], &lo, &hi) : 0, n = 1;

    *whole = 0;
    if (want == 0)
        return 0;
    if (want > 1 && avail > 1 && s[1] >= lo && s[1] <= hi)
        for (n = 2; n < want && n < avail && is_cont(s[n]); n++)
            ;
    *whole = n == want;
    return n;
}

size_t jf_utf8_seq_len(const unsigned char *s, size_t avail)
{
    int whole;
    size_t n = prefix(s, avail, &whole);

    return whole ? n : 0;
}

size_t jf_utf8_bad_len(const unsigned char *s, size_t avail)
{
    int whole;
    size_t n = prefix(s, avail, &whole);

    return whole ? 0 : n > 0 ? n : avail > 0;
}

size_t jf_utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        if (p[i] < 0x80) { /* ASCII, the common case, without the table */
            i++;
            continue;
        }
        size_t n = jf_utf8_seq_len(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return JF_UTF8_VALID;
}

size_t jf_utf8_repair(char *out, size_t cap, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, total = 0, used = 0;
    int full = cap == 0;

    while (i < len) {
        size_t n = jf_utf8_seq_len(p + i, len - i);
        const char *piece = n > 0 ? s + i : JF_UTF8_REPLACEMENT;
        size_t size = n > 0 ? n : sizeof JF_UTF8_REPLACEMENT - 1;

        i += n > 0 ? n : jf_utf8_bad_len(p + i, len - i);
        total += size;
        if (!full && used + size < cap) {
            memcpy(out + used, piece, size);
            used += size;
        } else {
            full = 1; /* nothing after a character that did not fit */
        }
    }
    if (cap > 0)
        out[used] = '\0';
    return total;
}
