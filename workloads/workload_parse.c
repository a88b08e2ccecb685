/* workload_parse.c - workload text to workload_t: JSON syntax and the top-level object. */
#include <string.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "json_input.h"
#include "workload_parse.h"

static const char *const top_fields[] = {"name",   "description", "items",  "item_bytes",
                                         "seed",   "arrival",     "stages", "phases",
                                         NULL};
static const char *const arrival_fields[] = {"rate_per_s", "burst", NULL};

/* Most JSON values a workload document may hold. The largest valid one
 * (64 stages, 256 phases each setting 64 stages) has about 34000; the cap
 * keeps a 16 MiB file of tiny values (8 Mi numbers: seconds of cJSON
 * allocations, 400 MB of nodes) from being parsed at all. */
#define MAX_VALUES 131072u

/* Whether text holds more than MAX_VALUES values, counted from the commas,
 * colons and openings outside strings (an upper bound of values - 1 for
 * valid JSON; invalid text only needs a bound, cJSON rejects it). */
static int too_many_values(const char *text, size_t len)
{
    size_t marks = 0;
    int in_string = 0;

    for (size_t i = 0; i < len; i++) {
        char ch = text[i];

        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = 0;
        } else if (ch == '"') {
            in_string = 1;
        } else if (ch == ',' || ch == '[' || ch == '{') {
            if (++marks > MAX_VALUES)
                return 1;
        }
    }
    return 0;
}

/* Where a string in text holds the escape \u0000, or NULL. cJSON decodes
 * it to a NUL that ends the C string early, so the name "a\u0000b" would
 * load as "a" and the key "items\u0000x" as "items": refuse it instead, as
 * names refuse every other control character. */
static const char *nul_escape(const char *text, size_t len)
{
    int in_string = 0;

    for (size_t i = 0; i < len; i++) {
        if (in_string) {
            if (text[i] == '\\') {
                if (len - i >= 6 && memcmp(text + i + 1, "u0000", 5) == 0)
                    return text + i;
                i++;
            } else if (text[i] == '"') {
                in_string = 0;
            }
        } else if (text[i] == '"') {
            in_string = 1;
        }
    }
    return NULL;
}

/* What cJSON skips between tokens. */
static int is_space(char ch)
{
    return (unsigned char)ch <= 32 && ch != '\0';
}

static unsigned long line_of(const char *text, size_t len, const char *at)
{
    unsigned long line = 1;
    size_t end = at != NULL && at >= text && at <= text + len ? (size_t)(at - text) : len;

    for (size_t i = 0; i < end; i++)
        line += text[i] == '\n';
    return line;
}

/* Parses text into a top-level object. Returns 0 and *doc, or JF_EPARSE /
 * JF_ERANGE / JF_EINVAL with the message written and nothing allocated. */
static int parse_text(const jf__jctx_t *c, const char *text, size_t len, cJSON **doc)
{
    char why[WORKLOAD_ERR_MAX];
    const char *nul;
    size_t i = 0;
    int rc;

    if (len > WORKLOAD_MAX_FILE_BYTES)
        return jf__jfail(c, JF_ERANGE, NULL, "file too large (%zu bytes, at most %u)", len,
                         WORKLOAD_MAX_FILE_BYTES);
    while (i < len && is_space(text[i]))
        i++;
    if (i == len)
        return jf__jfail(c, JF_EPARSE, NULL, "empty file");
    if (too_many_values(text, len))
        return jf__jfail(c, JF_ERANGE, NULL, "too many JSON values (at most %u)", MAX_VALUES);
    /* Syntax, nesting, and every string (names, keys, descriptions) as UTF-8. */
    if ((rc = workload_json_input_parse(text, len, doc, why, sizeof why)) != 0)
        return jf__jfail(c, rc, NULL, "%s", why);
    if (!cJSON_IsObject(*doc)) {
        cJSON_Delete(*doc);
        return jf__jfail(c, JF_EPARSE, NULL, "expected a JSON object at the top level");
    }
    if ((nul = nul_escape(text, len)) != NULL) {
        cJSON_Delete(*doc);
        return jf__jfail(c, JF_EINVAL, NULL, "line %lu: a string holds \\u0000 (NUL), which "
                         "no name, key or description may hold", line_of(text, len, nul));
    }
    return 0;
}

int jf__parse_name(const jf__jctx_t *c, const cJSON *v, const char *path, bool file_safe,
                   const char **out)
{
    int rc = jf__jstr(c, v, path, 1, WORKLOAD_NAME_MAX, out);

    if (rc != 0)
        return rc;
    for (const char *p = *out; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return jf__jfail(c, JF_EINVAL, path, "expected a name without control characters");
        if (file_safe && *p == '/')
            return jf__jfail(c, JF_EINVAL, path,
                             "expected a name without '/' (it names the results folder)");
    }
    return 0;
}

static int nomem(const jf__jctx_t *c)
{
    return jf__jfail(c, JF_ENOMEM, NULL, "out of memory");
}

/* "arrival": {"rate_per_s": (0, 1e9], "burst": 1..1e6 (default 1)}. */
static int parse_arrival(const jf__jctx_t *c, const cJSON *v, workload_t *w)
{
    char path[WORKLOAD__PATH_MAX];
    uint64_t burst;
    int rc;

    if ((rc = jf__jfields(c, v, "arrival", "an object like {\"rate_per_s\": 10000, \"burst\": 1}",
                          arrival_fields)) != 0)
        return rc;
    if ((rc = jf__jnum_field(c, v, "arrival", "rate_per_s", true, 0, WORKLOAD_MAX_RATE, 0,
                             &w->arrival_rate_per_s)) != 0)
        return rc;
    if (w->arrival_rate_per_s <= 0)
        return jf__jfail(c, JF_ERANGE, jf__jpath(path, "arrival", "rate_per_s"),
                         "expected a number > 0, got %.15g", w->arrival_rate_per_s);
    if ((rc = jf__jint_field(c, v, "arrival", "burst", false, 1, WORKLOAD_MAX_BURST, 1,
                             &burst)) != 0)
        return rc;
    w->arrival_burst = (unsigned)burst;
    return 0;
}

/* Fills w from the top-level object; stages and phases in their own file. */
static int parse_top(const jf__jctx_t *c, const cJSON *doc, workload_t *w)
{
    const cJSON *v;
    const char *s;
    uint64_t n;
    int rc;

    if ((rc = jf__jfields(c, doc, NULL, "a JSON object", top_fields)) != 0)
        return rc;
    if ((v = jf__jmember(doc, "name")) == NULL)
        return jf__jmissing(c, "name", "a non-empty string");
    if ((rc = jf__parse_name(c, v, "name", true, &s)) != 0)
        return rc;
    if ((w->name = jf__strdup(s)) == NULL)
        return nomem(c);
    if ((rc = jf__jstr_field(c, doc, NULL, "description", false, 0, SIZE_MAX, "", &s)) != 0)
        return rc;
    if ((w->description = jf__strdup(s)) == NULL)
        return nomem(c);
    if ((rc = jf__jint_field(c, doc, NULL, "items", true, 1, WORKLOAD_MAX_ITEMS, 0,
                             &w->items)) != 0)
        return rc;
    if ((rc = jf__jint_field(c, doc, NULL, "item_bytes", false, 8, WORKLOAD_MAX_ITEM_BYTES, 64,
                             &n)) != 0)
        return rc;
    w->item_bytes = (uint32_t)n;
    if ((rc = jf__jint_field(c, doc, NULL, "seed", false, 0, WORKLOAD__JINT_MAX, 1, &w->seed)) != 0)
        return rc;
    w->arrival_burst = 1;
    if ((v = jf__jmember(doc, "arrival")) != NULL && (rc = parse_arrival(c, v, w)) != 0)
        return rc;
    if ((v = jf__jmember(doc, "stages")) == NULL)
        return jf__jmissing(c, "stages", "an array of 1 to 64 stages");
    if ((rc = jf__parse_stages(c, v, w)) != 0)
        return rc;
    v = jf__jmember(doc, "phases");
    return v != NULL ? jf__parse_phases(c, v, w) : 0;
}

int workload_parse(const char *text, size_t len, const char *file, workload_t **out,
                      char err[WORKLOAD_ERR_MAX])
{
    char scratch[WORKLOAD_ERR_MAX];
    jf__jctx_t c = {file != NULL ? file : "<workload>", err != NULL ? err : scratch};
    workload_t *w;
    cJSON *doc = NULL;
    int rc;

    c.err[0] = '\0';
    if (out == NULL)
        return jf__jfail(&c, JF_EINVAL, NULL, "no place for the result");
    *out = NULL;
    if ((rc = parse_text(&c, text != NULL ? text : "", text != NULL ? len : 0, &doc)) != 0)
        return rc;
    w = jf_calloc(1, sizeof *w);
    if (w == NULL || (w->source = jf__strdup(c.file)) == NULL)
        rc = nomem(&c);
    else
        rc = parse_top(&c, doc, w);
    cJSON_Delete(doc);
    if (rc != 0) {
        workload_destroy(w);
        return rc;
    }
    *out = w;
    return 0;
}
