/* payload.h - what an item's payload holds and how real kernels transform it (internal). */
#ifndef WORKLOADS_PAYLOAD_H
#define WORKLOADS_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

/* The payload protocol (docs/workloads.md, "Payload and checksum"):
 *
 *   bytes [0, 8)   the item's seq, host order: written by the source, never
 *                  changed by any kernel
 *   bytes [8, n)   the body: drawn by the source from (seed, seq)
 *
 * Every kernel that touches the payload ("real" kernels) transforms it as
 * a pure function of its input bytes, its stage index and the seq, and
 * has a cheap model of that transform (jf__kernel_def_t.model):
 *
 *   json, xml   the body goes into a generated document and comes back out
 *               of the parsed document; the kernel then applies
 *               jf__payload_fold, so model = fold
 *   checksum    XORs the CRC-32 of bytes [0, n - 4) into the last 4 bytes
 *
 * The sink rebuilds the expected payload from (seed, seq) by running the
 * source and then each stage's model in stage order, and compares every
 * byte. Because each step is a bijection of the body (a fold is rotate +
 * XOR with a keystream of (seed, stage, seq); the CRC step is invertible
 * given the other bytes), a byte damaged anywhere on the way stays damaged
 * to the sink; a stage skipped, run twice or run out of order leaves a
 * different body (folds do not commute: each rotates before it XORs); a
 * payload delivered with another item, or under another seq, has the
 * wrong seq and the wrong body. Lost and duplicated items the engine
 * counts itself (items_in == items_out, order). */

#define WORKLOAD__PAYLOAD_HEAD 8u

/* Stream numbers of jf__hash3 (the stage-cost streams are 0..63). */
#define WORKLOAD__STREAM_FOLD 0x666f6c6400000000ULL /* + stage: fold keystreams */
#define WORKLOAD__STREAM_KEY 0x6b65790000000000ULL  /* + stage: document contents */

/* Fills p[0, n) as the source does: seq in the first 8 bytes (n >= 8),
 * the body from (seed, seq). */
void jf__payload_fill(uint64_t seed, uint64_t seq, unsigned char *p, uint32_t n);

/* The same fill in two steps, for the source and the sink, which fill a
 * payload for every item: the part of the body's hash that depends on the
 * seed alone, mixed once per run, then the fill of item seq from it (one
 * mix per item where jf__payload_fill does three). Same bytes. */
uint64_t jf__payload_key_of(uint64_t seed);
void jf__payload_fill_keyed(uint64_t key, uint64_t seq, unsigned char *p, uint32_t n);

/* The last step of the json and xml kernels, and their model: each full
 * 8-byte word of body[0, len) is rotated left by a keystream-chosen amount
 * and XORed with the keystream; trailing bytes are XORed. The keystream is
 * a function of (seed, stage, seq). A bijection of the body. */
void jf__payload_fold(uint64_t seed, size_t stage, uint64_t seq, unsigned char *body,
                      size_t len);

/* A 64-bit digest of everything fed to it, as a chain: d = jf__digest(d,
 * tag, s, n) mixes a tag (what the bytes are: a key, a value, an element
 * name...), the length and the bytes. Not cryptographic; 8 bytes a step. */
uint64_t jf__digest(uint64_t d, unsigned tag, const void *s, size_t n);

/* The seed of a document's generated contents: a function of the body,
 * the stage and the seq, so the document depends on the data it carries. */
uint64_t jf__payload_key(const unsigned char *body, size_t len, size_t stage, uint64_t seq);

/* Lower-case hex of in[0, n) into out[0, 2n) (no terminator). */
void jf__hex_encode(const unsigned char *in, size_t n, char *out);

/* Decodes 2n hex digits (either case) into out[0, n). Returns 0, or -1 on
 * a character that is not a hex digit. */
int jf__hex_decode(const char *in, size_t n, unsigned char *out);

/* One generated log line, the contents of a document's records. Strings
 * are NUL-terminated; msg holds characters that JSON and XML must escape
 * (quote, backslash, tab, '&', '<', '>') and a two-byte UTF-8 letter, so
 * the round trip exercises the escaping paths of both libraries. Numbers
 * are exact in a double (integers < 2^53, latency_ms a multiple of 1/1000
 * below 1000 printed with at most 15 digits), so they survive text. */
typedef struct jf__logrec {
    uint64_t ts_us;     /* microseconds since the epoch */
    uint32_t status;    /* HTTP status */
    uint32_t bytes;     /* response size */
    double latency_ms;
    const char *level;  /* static string */
    const char *service;
    char user[24];
    char path[48];
    char msg[160];
} jf__logrec_t;

/* Record r of the document whose key is `key` (jf__payload_key). */
void jf__logrec_make(uint64_t key, uint64_t seq, uint32_t r, jf__logrec_t *rec);

/* A growable text buffer for building documents. */
typedef struct jf__sbuf {
    char *p;
    size_t len, cap;
    int failed; /* an allocation failed: contents are incomplete */
} jf__sbuf_t;

/* Makes room for `cap` bytes up front. Returns 0 or -1 (failed set). */
int jf__sbuf_init(jf__sbuf_t *b, size_t cap);
/* Appends n bytes; on allocation failure sets b->failed and drops them. */
void jf__sbuf_add(jf__sbuf_t *b, const char *s, size_t n);
/* Frees the buffer. */
void jf__sbuf_fini(jf__sbuf_t *b);

#endif /* WORKLOADS_PAYLOAD_H */
