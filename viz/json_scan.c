/* json_scan.c - walk the members of a large JSON document without building it. */
#include "viz_internal.h"

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *jf__json_ws(const char *p, const char *end)
{
    while (p < end && is_ws(*p))
        p++;
    return p;
}

/* p at a quote: returns the end of the string, or NULL when it has none. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* Scalars end at the next delimiter; their syntax is cJSON's to check. */
static const char *skip_scalar(const char *p, const char *end)
{
    const char *start = p;

    while (p < end && !is_ws(*p) && *p != ',' && *p != ']' && *p != '}' && *p != ':')
        p++;
    return p > start ? p : NULL;
}

const char *jf__json_skip(const char *p, const char *end, size_t levels, int *too_deep)
{
    char want[JF__JSON_MAX_DEPTH];
    size_t depth = 0;

    if (levels > JF__JSON_MAX_DEPTH)
        levels = JF__JSON_MAX_DEPTH;

    if (p >= end)
        return NULL;
    if (*p != '"' && *p != '{' && *p != '[')
        return skip_scalar(p, end);
    do {
        if (p >= end)
            return NULL;
        if (*p == '"') {
            if ((p = skip_string(p, end)) == NULL)
                return NULL;
            continue;
        }
        if (*p == '{' || *p == '[') {
            if (depth == levels) {
                *too_deep = 1;
                return NULL;
            }
            want[depth++] = *p == '{' ? '}' : ']';
        } else if (*p == '}' || *p == ']') {
            if (depth == 0 || want[depth - 1] != *p)
                return NULL;
            depth--;
        }
        p++;
    } while (depth > 0);
    return p;
}

int jf__json_iter_init(jf__json_iter_t *it, const char *p, const char *end, size_t level)
{
    p = jf__json_ws(p, end);
    if (p >= end || (*p != '{' && *p != '['))
        return -1;
    it->close = *p == '{' ? '}' : ']';
    it->p = p + 1;
    it->end = end;
    it->started = 0;
    it->level = level;
    it->too_deep = 0;
    return 0;
}

int jf__json_next(jf__json_iter_t *it, jf__json_member_t *m)
{
    const char *p = jf__json_ws(it->p, it->end);
    size_t levels;

    if (p < it->end && *p == it->close) {
        it->p = p + 1;
        return 0;
    }
    if (it->started) {
        if (p >= it->end || *p != ',')
            return -1;
        p = jf__json_ws(p + 1, it->end);
    }
    it->started = 1;
    m->key = NULL;
    m->key_len = 0;
    if (it->close == '}') {
        const char *k = p;

        if (p >= it->end || *p != '"' || (p = skip_string(p, it->end)) == NULL)
            return -1;
        m->key = k + 1;
        m->key_len = (size_t)(p - k - 2);
        p = jf__json_ws(p, it->end);
        if (p >= it->end || *p != ':')
            return -1;
        p = jf__json_ws(p + 1, it->end);
    }
    m->value = p;
    /* The member takes the levels below the container's. */
    levels = it->level < JF__JSON_MAX_DEPTH ? JF__JSON_MAX_DEPTH - it->level : 0;
    m->value_end = jf__json_skip(p, it->end, levels, &it->too_deep);
    if (m->value_end == NULL)
        return -1;
    it->p = m->value_end;
    return 1;
}
