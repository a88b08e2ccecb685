/* payload.c - the payload protocol: source bytes, the fold, digests, hex, generated log records. */
#include "payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

uint64_t jf__payload_key_of(uint64_t seed)
{
    return jf__mix64(jf__mix64(seed) ^ WORKLOAD__STREAM_PAYLOAD);
}

void jf__payload_fill(uint64_t seed, uint64_t seq, unsigned char *p, uint32_t n)
{
    jf__payload_fill_keyed(jf__payload_key_of(seed), seq, p, n);
}

void jf__payload_fill_keyed(uint64_t key, uint64_t seq, unsigned char *p, uint32_t n)
{
    uint64_t base = jf__mix64(key ^ seq); /* jf__hash3(seed, WORKLOAD__STREAM_PAYLOAD, seq) */

    memcpy(p, &seq, sizeof seq);
    for (uint32_t off = WORKLOAD__PAYLOAD_HEAD, k = 0; off < n; off += 8, k++) {
        uint64_t word = jf__mix64(base + k);
        uint32_t m = n - off < 8 ? n - off : 8;

        memcpy(p + off, &word, m);
    }
}

static inline uint64_t rotl64(uint64_t v, unsigned r)
{
    r &= 63;
    return r == 0 ? v : (v << r) | (v >> (64 - r));
}

/* xorshift64: a cheap keystream step after one strong mix for the start. */
static inline uint64_t next_key(uint64_t x)
{
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

void jf__payload_fold(uint64_t seed, size_t stage, uint64_t seq, unsigned char *body, size_t len)
{
    uint64_t x = jf__hash3(seed, WORKLOAD__STREAM_FOLD + stage, seq) | 1; /* xorshift needs x != 0 */
    size_t off = 0;

    for (; off + 8 <= len; off += 8) {
        uint64_t v;

        x = next_key(x);
        memcpy(&v, body + off, 8);
        v = rotl64(v, (unsigned)(x >> 58)) ^ x;
        memcpy(body + off, &v, 8);
    }
    x = next_key(x);
    for (unsigned k = 0; off < len; off++, k++)
        body[off] ^= (unsigned char)(x >> (8 * k));
}

uint64_t jf__digest(uint64_t d, unsigned tag, const void *s, size_t n)
{
    const unsigned char *p = s;
    uint64_t h = jf__mix64(d ^ ((uint64_t)tag << 56) ^ n);

    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;

        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
    }
    if (n > 0) {
        uint64_t w = 0;

        memcpy(&w, p, n);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
    }
    return h;
}

uint64_t jf__payload_key(const unsigned char *body, size_t len, size_t stage, uint64_t seq)
{
    return jf__digest(jf__hash3(seq, WORKLOAD__STREAM_KEY + stage, len), 0, body, len);
}

void jf__hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int jf__hex_decode(const char *in, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(in[2 * i]), lo = hexval(in[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

static const char *const levels[] = {"DEBUG", "INFO", "INFO", "INFO", "INFO", "WARN", "WARN",
                                     "ERROR"};
static const char *const services[] = {"checkout", "search", "auth", "cart",
                                       "catalog",  "billing", "gateway", "profile"};
static const char *const verbs[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE", "GET", "PATCH"};
static const char *const notes[] = {
    "cache miss",           "retry \"upstream\" timed out",  "slow query: a < b & c > d",
    "path C:\\tmp\\x",      "user said \"caf\xc3\xa9\"",     "ok",
    "tab\tseparated value", "redirect -> /login?next=%2F&x=1",
};
static const uint32_t statuses[] = {200, 200, 200, 201, 204, 304, 404, 500};

void jf__logrec_make(uint64_t key, uint64_t seq, uint32_t r, jf__logrec_t *rec)
{
    uint64_t h = jf__mix64(key ^ ((uint64_t)r * 0x9e3779b97f4a7c15ULL));
    uint64_t g = jf__mix64(h);

    rec->ts_us = 1700000000000000ULL + seq * 1000u + r;
    rec->level = levels[h & 7];
    rec->service = services[(h >> 3) & 7];
    rec->status = statuses[(h >> 6) & 7];
    rec->bytes = (uint32_t)(h >> 9) & 0xfffff;
    rec->latency_ms = (double)((g >> 40) % 1000000u) / 1000.0;
    snprintf(rec->user, sizeof rec->user, "u-%06x", (unsigned)(g & 0xffffff));
    snprintf(rec->path, sizeof rec->path, "/api/v1/%s/%08x", rec->service,
             (unsigned)(g >> 24) & 0xffffffffu);
    snprintf(rec->msg, sizeof rec->msg, "%s %s from %s took %.3f ms: %s", verbs[(h >> 29) & 7],
             rec->path, rec->user, rec->latency_ms, notes[(h >> 32) & 7]);
}

int jf__sbuf_init(jf__sbuf_t *b, size_t cap)
{
    b->len = 0;
    b->failed = 0;
    b->cap = cap < 64 ? 64 : cap;
    b->p = malloc(b->cap);
    if (b->p == NULL) {
        b->cap = 0;
        b->failed = 1;
        return -1;
    }
    return 0;
}

void jf__sbuf_add(jf__sbuf_t *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n > b->cap - b->len) {
        size_t cap = b->cap;
        char *p;

        while (n > cap - b->len)
            cap *= 2;
        if ((p = realloc(b->p, cap)) == NULL) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void jf__sbuf_fini(jf__sbuf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
