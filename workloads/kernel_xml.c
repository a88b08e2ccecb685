/* kernel_xml.c - a real kernel: the payload goes through an XML document and back (libxml2). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "payload.h"
#include "kernels.h"

/* Digest tags: what a run of bytes was in the document. */
enum { TAG_ELEM = 1, TAG_ATTR, TAG_VAL, TAG_TEXT, TAG_END, TAG_OTHER };

#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

/* libxml2 is thread-safe once xmlInitParser has run, and that call itself
 * must not race with other libxml2 use: workload_bind calls this for a
 * workload with an xml stage, before any worker starts. The library's own
 * state is never torn down (xmlCleanupParser would break any other user in
 * the process). */
int jf__kernel_xml_init(jf__kctx_t *k)
{
    if (pthread_once(&xml_once, init_libxml) != 0)
        abort();
    return 0;
}

/* The document being written, and the digest of what a parser must see:
 * element names, attribute names and values, text, element ends, in
 * document order and unescaped. */
typedef struct xbuild {
    jf__sbuf_t b;
    uint64_t d;
} xbuild_t;

static void add(xbuild_t *x, const char *s)
{
    jf__sbuf_add(&x->b, s, strlen(s));
}

/* Appends s escaped for text (attr == 0) or a double-quoted attribute
 * value (attr == 1), where whitespace other than ' ' must be a character
 * reference or the parser would normalise it to a space. */
static void add_escaped(xbuild_t *x, const char *s, int attr)
{
    const char *start = s;

    for (; *s != '\0'; s++) {
        const char *rep = NULL;

        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = attr ? "&quot;" : NULL; break;
        case '\t': rep = attr ? "&#9;" : NULL; break;
        case '\n': rep = attr ? "&#10;" : NULL; break;
        default: break;
        }
        if (rep != NULL) {
            jf__sbuf_add(&x->b, start, (size_t)(s - start));
            add(x, rep);
            start = s + 1;
        }
    }
    jf__sbuf_add(&x->b, start, (size_t)(s - start));
}

static void open_elem(xbuild_t *x, const char *name)
{
    add(x, "<");
    add(x, name);
    x->d = jf__digest(x->d, TAG_ELEM, name, strlen(name));
}

static void attr(xbuild_t *x, const char *name, const char *value)
{
    add(x, " ");
    add(x, name);
    add(x, "=\"");
    add_escaped(x, value, 1);
    add(x, "\"");
    x->d = jf__digest(x->d, TAG_ATTR, name, strlen(name));
    x->d = jf__digest(x->d, TAG_VAL, value, strlen(value));
}

static void close_elem(xbuild_t *x, const char *name)
{
    add(x, "</");
    add(x, name);
    add(x, ">");
    x->d = jf__digest(x->d, TAG_END, NULL, 0);
}

/* <name>text</name>, no attributes. */
static void text_elem(xbuild_t *x, const char *name, const char *text)
{
    open_elem(x, name);
    add(x, ">");
    add_escaped(x, text, 0);
    x->d = jf__digest(x->d, TAG_TEXT, text, strlen(text));
    close_elem(x, name);
}

static void record(xbuild_t *x, uint64_t key, uint64_t seq, uint32_t r)
{
    char num[32];
    jf__logrec_t rec;

    jf__logrec_make(key, seq, r, &rec);
    open_elem(x, "event");
    snprintf(num, sizeof num, "%u", (unsigned)r);
    attr(x, "id", num);
    attr(x, "level", rec.level);
    attr(x, "service", rec.service);
    add(x, ">");
    snprintf(num, sizeof num, "%llu", (unsigned long long)rec.ts_us);
    text_elem(x, "ts", num);
    text_elem(x, "user", rec.user);
    text_elem(x, "path", rec.path);
    snprintf(num, sizeof num, "%u", (unsigned)rec.status);
    text_elem(x, "status", num);
    snprintf(num, sizeof num, "%u", (unsigned)rec.bytes);
    text_elem(x, "bytes", num);
    snprintf(num, sizeof num, "%.3f", rec.latency_ms);
    text_elem(x, "latency_ms", num);
    text_elem(x, "msg", rec.msg);
    close_elem(x, "event");
}

/* The document of one item at one stage, no whitespace between elements:
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <log seq="7" stage="1"><data>HEX OF THE BODY</data>
 *     <event id="0" level="WARN" service="cart"><ts>...</ts>...<msg>...</msg></event>...</log>
 * Returns 0 with x->b holding it, or -1 when out of memory. */
static int build(xbuild_t *x, const jf__kctx_t *k, uint64_t seq, const unsigned char *body,
                 size_t len, uint32_t records)
{
    uint64_t key = jf__payload_key(body, len, k->stage, seq);
    char num[32], *hex;

    x->d = 0;
    if (jf__sbuf_init(&x->b, 128 + 2 * len + (size_t)records * 480) != 0)
        return -1;
    add(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    open_elem(x, "log");
    snprintf(num, sizeof num, "%llu", (unsigned long long)seq);
    attr(x, "seq", num);
    snprintf(num, sizeof num, "%zu", k->stage);
    attr(x, "stage", num);
    add(x, ">");
    if ((hex = malloc(2 * len + 1)) == NULL)
        return -1;
    jf__hex_encode(body, len, hex);
    hex[2 * len] = '\0';
    text_elem(x, "data", hex);
    free(hex);
    for (uint32_t r = 0; r < records; r++)
        record(x, key, seq, r);
    close_elem(x, "log");
    return x->b.failed ? -1 : 0;
}

/* Digest of an attribute's value: its one text child, as the parser
 * leaves it, or (never for our documents) the value assembled by libxml2.
 * Sets *oom when that assembly fails. */
static uint64_t digest_value(uint64_t d, const xmlAttr *a, int *oom)
{
    const xmlNode *c = a->children;
    xmlChar *v;

    if (c == NULL)
        return jf__digest(d, TAG_VAL, "", 0);
    if (c->next == NULL && c->type == XML_TEXT_NODE && c->content != NULL)
        return jf__digest(d, TAG_VAL, c->content, strlen((const char *)c->content));
    if ((v = xmlNodeListGetString(a->doc, c, 1)) == NULL) {
        *oom = 1;
        return d;
    }
    d = jf__digest(d, TAG_VAL, v, strlen((const char *)v));
    xmlFree(v);
    return d;
}

/* Digest of a parsed tree, in the order build() feeds its digest. Depth
 * is the document's (libxml2 refuses more than 256 levels by default). */
static uint64_t walk(uint64_t d, const xmlNode *n, int *oom)
{
    for (; n != NULL; n = n->next) {
        switch (n->type) {
        case XML_ELEMENT_NODE:
            d = jf__digest(d, TAG_ELEM, n->name, strlen((const char *)n->name));
            for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
                d = jf__digest(d, TAG_ATTR, a->name, strlen((const char *)a->name));
                d = digest_value(d, a, oom);
            }
            d = walk(d, n->children, oom);
            d = jf__digest(d, TAG_END, NULL, 0);
            break;
        case XML_TEXT_NODE:
            d = jf__digest(d, TAG_TEXT, n->content,
                           n->content != NULL ? strlen((const char *)n->content) : 0);
            break;
        default: /* comments, PIs, entity references: nothing build() writes */
            d = jf__digest(d, TAG_OTHER, &n->type, sizeof n->type);
            break;
        }
    }
    return d;
}

/* The text of attribute `name` of element e, as the parser left it, or NULL. */
static const char *attr_text(const xmlNode *e, const char *name)
{
    for (const xmlAttr *a = e->properties; a != NULL; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children != NULL &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* Takes the body back out of the parsed document: <log seq= stage=> must
 * name this item and stage, its first child element is <data> with the
 * hex. Returns 0 or WORKLOAD__KERR_MISMATCH. */
static int take_body(const xmlDoc *doc, uint64_t seq, size_t stage, unsigned char *body,
                     size_t len)
{
    const xmlNode *root = xmlDocGetRootElement(doc), *data;
    const char *s, *hex;
    char num[32];

    if (root == NULL || strcmp((const char *)root->name, "log") != 0)
        return WORKLOAD__KERR_MISMATCH;
    snprintf(num, sizeof num, "%llu", (unsigned long long)seq);
    if ((s = attr_text(root, "seq")) == NULL || strcmp(s, num) != 0)
        return WORKLOAD__KERR_MISMATCH;
    snprintf(num, sizeof num, "%zu", stage);
    if ((s = attr_text(root, "stage")) == NULL || strcmp(s, num) != 0)
        return WORKLOAD__KERR_MISMATCH;
    data = root->children;
    if (data == NULL || data->type != XML_ELEMENT_NODE ||
        strcmp((const char *)data->name, "data") != 0)
        return WORKLOAD__KERR_MISMATCH;
    hex = data->children != NULL && data->children->type == XML_TEXT_NODE
              ? (const char *)data->children->content
              : "";
    if (hex == NULL || strlen(hex) != 2 * len || jf__hex_decode(hex, len, body) != 0)
        return WORKLOAD__KERR_MISMATCH;
    return 0;
}

/* Writes the item's XML document from its body, parses it with
 * xmlReadMemory, walks the tree and checks that its digest matches what
 * was written, then takes the body from the parsed <data> element and
 * folds it (jf__payload_fold): the output is a function of the input
 * bytes, the stage and the seq, which the sink replays. The cost is the
 * library's: a document of about 310 bytes per record plus twice the body
 * in hex (the stage's ns is the simulator's estimate). Returns 0,
 * WORKLOAD__KERR_PAYLOAD, WORKLOAD__KERR_LIBRARY (out of memory, or libxml2 refused
 * the document) or WORKLOAD__KERR_MISMATCH.
 * Thread-safe after jf__kernel_xml_init: each call has its own parser
 * context and document. */
int jf__kernel_xml(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const jf__kctx_t *k = ctx;
    unsigned char *p = out->payload, *body;
    xbuild_t x;
    xmlDoc *doc;
    size_t len;
    uint64_t got;
    int rc, oom = 0;

    if (p == NULL || out->bytes < WORKLOAD__PAYLOAD_HEAD)
        return WORKLOAD__KERR_PAYLOAD;
    body = p + WORKLOAD__PAYLOAD_HEAD;
    len = out->bytes - WORKLOAD__PAYLOAD_HEAD;
    if (build(&x, k, in->seq, body, len, jf__kernel_records(k, in->seq)) != 0 ||
        x.b.len > (size_t)INT32_MAX) {
        jf__sbuf_fini(&x.b);
        return WORKLOAD__KERR_LIBRARY;
    }
    doc = xmlReadMemory(x.b.p, (int)x.b.len, "item.xml", NULL, PARSE_OPTIONS);
    jf__sbuf_fini(&x.b);
    if (doc == NULL)
        return WORKLOAD__KERR_LIBRARY;
    got = walk(0, doc->children, &oom);
    if (oom)
        rc = WORKLOAD__KERR_LIBRARY;
    else if (got != x.d)
        rc = WORKLOAD__KERR_MISMATCH;
    else
        rc = take_body(doc, in->seq, k->stage, body, len);
    xmlFreeDoc(doc);
    if (rc != 0)
        return rc;
    jf__payload_fold(k->w->seed, k->stage, in->seq, body, len);
    out->used = out->bytes;
    return 0;
}
