/* kernel_json.c - a real kernel: the payload goes through a JSON log document and back (cJSON). */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "payload.h"
#include "kernels.h"

/* Digest tags, so a key cannot pass for a value of the same bytes. */
enum { TAG_KEY = 1, TAG_STR, TAG_NUM, TAG_OBJ, TAG_ARR, TAG_END, TAG_OTHER };

/* Digest of a cJSON tree in document order: keys, values, and where
 * objects and arrays open and close. Run on the tree the kernel built and
 * on the tree parsed back from its text, it shows whether every key and
 * value survived. Recursion depth is the tree's depth: 3 for the trees
 * built here (parsed trees are as deep as what was printed). */
static uint64_t digest_tree(uint64_t d, const cJSON *v)
{
    if (v->string != NULL)
        d = jf__digest(d, TAG_KEY, v->string, strlen(v->string));
    if (cJSON_IsString(v))
        return jf__digest(d, TAG_STR, v->valuestring, strlen(v->valuestring));
    if (cJSON_IsNumber(v))
        return jf__digest(d, TAG_NUM, &v->valuedouble, sizeof v->valuedouble);
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        d = jf__digest(d, cJSON_IsObject(v) ? TAG_OBJ : TAG_ARR, NULL, 0);
        for (const cJSON *c = v->child; c != NULL; c = c->next)
            d = digest_tree(d, c);
        return jf__digest(d, TAG_END, NULL, 0);
    }
    return jf__digest(d, TAG_OTHER, &v->type, sizeof v->type);
}

/* Adds log record r to the array. Returns 0, or -1 when out of memory. */
static int add_record(cJSON *arr, uint64_t key, uint64_t seq, uint32_t r)
{
    cJSON *o = cJSON_CreateObject(), *tags;
    jf__logrec_t rec;
    int ok = o != NULL && cJSON_AddItemToArray(arr, o);

    if (!ok) {
        cJSON_Delete(o);
        return -1;
    }
    jf__logrec_make(key, seq, r, &rec);
    ok = cJSON_AddNumberToObject(o, "ts_us", (double)rec.ts_us) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "level", rec.level) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "service", rec.service) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "user", rec.user) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "path", rec.path) != NULL;
    ok = ok && cJSON_AddNumberToObject(o, "status", rec.status) != NULL;
    ok = ok && cJSON_AddNumberToObject(o, "bytes", rec.bytes) != NULL;
    ok = ok && cJSON_AddNumberToObject(o, "latency_ms", rec.latency_ms) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "msg", rec.msg) != NULL;
    ok = ok && (tags = cJSON_AddArrayToObject(o, "tags")) != NULL;
    ok = ok && cJSON_AddItemToArray(tags, cJSON_CreateString(rec.level));
    ok = ok && cJSON_AddItemToArray(tags, cJSON_CreateString(rec.service));
    return ok ? 0 : -1;
}

/* The document of one item at one stage:
 *   {"seq": 7, "stage": 1, "data": "<hex of the body>",
 *    "records": [{"ts_us": ..., "level": "WARN", ..., "tags": [...]}, ...]}
 * Returns the tree, or NULL when out of memory. */
static cJSON *build(const jf__kctx_t *k, uint64_t seq, const unsigned char *body, size_t len,
                    uint32_t records)
{
    uint64_t key = jf__payload_key(body, len, k->stage, seq);
    cJSON *doc = cJSON_CreateObject(), *arr, *data;
    char *hex = malloc(2 * len + 1);
    int ok = doc != NULL && hex != NULL;

    if (ok) {
        jf__hex_encode(body, len, hex);
        hex[2 * len] = '\0';
    }
    ok = ok && cJSON_AddNumberToObject(doc, "seq", (double)seq) != NULL;
    ok = ok && cJSON_AddNumberToObject(doc, "stage", (double)k->stage) != NULL;
    ok = ok && (data = cJSON_AddStringToObject(doc, "data", hex)) != NULL;
    ok = ok && (arr = cJSON_AddArrayToObject(doc, "records")) != NULL;
    for (uint32_t r = 0; ok && r < records; r++)
        ok = add_record(arr, key, seq, r) == 0;
    free(hex);
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* Takes the body back out of a parsed document into body[0, len) after
 * checking the envelope. Returns 0 or WORKLOAD__KERR_MISMATCH. */
static int take_body(const cJSON *doc, uint64_t seq, size_t stage, unsigned char *body,
                     size_t len)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(doc, "seq");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "stage");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");

    if (!cJSON_IsNumber(s) || s->valuedouble != (double)seq || !cJSON_IsNumber(st) ||
        st->valuedouble != (double)stage || !cJSON_IsString(data) ||
        strlen(data->valuestring) != 2 * len || jf__hex_decode(data->valuestring, len, body) != 0)
        return WORKLOAD__KERR_MISMATCH;
    return 0;
}

/* Builds the item's log document from its body, prints it with cJSON,
 * parses the text back, checks that the parsed tree has the digest of the
 * built one, then takes the body from the parsed "data" field and folds it
 * (jf__payload_fold): the output is a function of the input bytes, the
 * stage and the seq, which the sink replays. The cost is the library's:
 * a document of about 275 bytes per record plus twice the body in hex,
 * built, printed, parsed and walked (the stage's ns is the simulator's
 * estimate). Returns 0, WORKLOAD__KERR_PAYLOAD, WORKLOAD__KERR_LIBRARY
 * (out of memory) or WORKLOAD__KERR_MISMATCH.
 *
 * Thread safety: cJSON's tree, print and parse functions keep their state
 * in the call, except that every parse resets a process-wide "last error"
 * pointer (global_error) that nothing here reads: concurrent kernels store
 * the same NULL/0 to it. That is a benign race inside the library, which
 * ThreadSanitizer does not see (libcjson is not instrumented). */
int jf__kernel_json(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;
    unsigned char *p = out->payload, *body;
    size_t len;
    cJSON *doc, *back;
    char *text;
    uint64_t want, got;
    int rc;

    if (p == NULL || out->bytes < WORKLOAD__PAYLOAD_HEAD)
        return WORKLOAD__KERR_PAYLOAD;
    body = p + WORKLOAD__PAYLOAD_HEAD;
    len = out->bytes - WORKLOAD__PAYLOAD_HEAD;
    if ((doc = build(k, in->seq, body, len, jf__kernel_records(k, in->seq))) == NULL)
        return WORKLOAD__KERR_LIBRARY;
    want = digest_tree(0, doc);
    text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (text == NULL)
        return WORKLOAD__KERR_LIBRARY;
    back = cJSON_ParseWithLength(text, strlen(text));
    cJSON_free(text);
    if (back == NULL)
        return WORKLOAD__KERR_LIBRARY;
    got = digest_tree(0, back);
    rc = got == want ? take_body(back, in->seq, k->stage, body, len) : WORKLOAD__KERR_MISMATCH;
    cJSON_Delete(back);
    if (rc != 0)
        return rc;
    jf__payload_fold(k->w->seed, k->stage, in->seq, body, len);
    out->used = out->bytes;
    return 0;
}

void jf__model_fold(const jf__kctx_t *k, uint64_t seq, unsigned char *p, uint32_t n)
{
    if (n > WORKLOAD__PAYLOAD_HEAD)
        jf__payload_fold(k->w->seed, k->stage, seq, p + WORKLOAD__PAYLOAD_HEAD, n - WORKLOAD__PAYLOAD_HEAD);
}
