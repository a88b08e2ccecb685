/* json_input.c - JSON text from outside bench: syntax, nesting and UTF-8 refused with reasons. */
#include "json_input.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../core/jf_why.h"
#include "../core/jf_utf8.h"

#define PATH_CAP 256 /* room for a path in a message; deeper ones are cut */
#define KEY_SHOWN 64 /* bytes of a member name shown in a path */

/* cJSON_ParseWithLengthOpts reports where it stopped through `end`, per
 * call, but also writes cJSON's process-wide error global: the lock keeps
 * concurrent parses free of that data race (parsing is rare and short). */
static pthread_mutex_t cjson_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long line_of(const char *text, size_t at)
{
    unsigned long line = 1;

    for (size_t i = 0; i < at; i++)
        line += text[i] == '\n';
    return line;
}

/* Whether arrays and objects in text[0, end) nest deeper than the parser
 * allows, counting brackets outside strings. cJSON gives up at the opening
 * bracket one level too deep, so a failed parse whose text up to the
 * failure is that deep failed for its depth. */
static int too_deep(const char *text, size_t end)
{
    size_t depth = 0;
    int in_string = 0;

    for (size_t i = 0; i < end; i++) {
        char ch = text[i];

        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = 0;
        } else if (ch == '"') {
            in_string = 1;
        } else if (ch == '[' || ch == '{') {
            if (++depth > WORKLOAD_JSON_INPUT_MAX_DEPTH)
                return 1;
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

/* Appends ".key" (just "key" at the top) to path[0, used), the key cut at
 * a character boundary after KEY_SHOWN bytes. Returns the new length. */
static size_t push_key(char *path, size_t used, const char *key)
{
    size_t len = strlen(key), shown = len > KEY_SHOWN ? KEY_SHOWN : len;

    while (shown < len && shown > 0 && ((unsigned char)key[shown] & 0xc0) == 0x80)
        shown--;
    snprintf(path + used, PATH_CAP - used, "%s%.*s%s", used > 0 ? "." : "", (int)shown, key,
             shown < len ? "..." : "");
    /* A path cut by the buffer may end in half a character: drop it. */
    len = strlen(path);
    if ((shown = jf_utf8_check(path, len)) != JF_UTF8_VALID)
        path[len = shown] = '\0';
    return len;
}

static size_t push_index(char *path, size_t used, size_t i)
{
    snprintf(path + used, PATH_CAP - used, "[%zu]", i);
    return strlen(path);
}

/* "<path>: <what>invalid UTF-8 at byte offset K", without "<path>: " at the top. */
static int bad_utf8(char *why, size_t size, const char *path, const char *what, size_t at)
{
    return jf_why(why, size, JF_EINVAL, "%s%s%sinvalid UTF-8 at byte offset %zu", path,
                path[0] != '\0' ? ": " : "", what, at);
}

/* Checks every string under v (at path[0, used)), member names included,
 * depth first in document order, so the first bad one is reported. */
static int check_strings(const cJSON *v, char *path, size_t used, char *why, size_t size)
{
    size_t i = 0, at;

    if (cJSON_IsString(v) && v->valuestring != NULL &&
        (at = jf_utf8_check(v->valuestring, strlen(v->valuestring))) != JF_UTF8_VALID)
        return bad_utf8(why, size, path, "", at);
    for (const cJSON *c = v->child; c != NULL; c = c->next, i++) {
        size_t n;
        int rc;

        if (cJSON_IsObject(v)) {
            if ((at = jf_utf8_check(c->string, strlen(c->string))) != JF_UTF8_VALID)
                return bad_utf8(why, size, path, "member name: ", at);
            n = push_key(path, used, c->string);
        } else {
            n = push_index(path, used, i);
        }
        rc = check_strings(c, path, n, why, size);
        path[used] = '\0';
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* What cJSON skips between tokens (no NUL gets this far). */
static int is_space(char ch)
{
    return (unsigned char)ch <= 32;
}

int workload_json_input_parse(const char *text, size_t len, cJSON **doc, char *why, size_t size)
{
    const char *end = NULL, *nul;
    char path[PATH_CAP] = "";
    size_t at;
    int rc;

    *doc = NULL;
    if (text == NULL)
        len = 0;
    /* cJSON would stop at a NUL and call the rest trailing garbage, or not
     * look at all: say what it is. */
    if (len > 0 && (nul = memchr(text, '\0', len)) != NULL)
        return jf_why(why, size, JF_EPARSE, "not valid JSON near line %lu (a NUL byte)",
                    line_of(text, (size_t)(nul - text)));
    pthread_mutex_lock(&cjson_lock);
    *doc = len > 0 ? cJSON_ParseWithLengthOpts(text, len, &end, 0) : NULL;
    pthread_mutex_unlock(&cjson_lock);
    at = end != NULL && end >= text && end <= text + len ? (size_t)(end - text) : len;
    if (*doc == NULL) {
        if (len > 0 && too_deep(text, at < len ? at + 1 : len))
            return jf_why(why, size, JF_ERANGE, "nested deeper than %d levels",
                        WORKLOAD_JSON_INPUT_MAX_DEPTH);
        return jf_why(why, size, JF_EPARSE, "not valid JSON near line %lu", line_of(text, at));
    }
    while (at < len && is_space(text[at]))
        at++;
    if (at < len)
        rc = jf_why(why, size, JF_EPARSE,
                  "not valid JSON near line %lu (text after the top-level value)",
                  line_of(text, at));
    else
        rc = check_strings(*doc, path, 0, why, size);
    if (rc != 0) {
        cJSON_Delete(*doc);
        *doc = NULL;
    }
    return rc;
}
