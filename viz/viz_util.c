/* viz_util.c - text, number and file helpers shared by the viz writers. */
#include "viz_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/jf_alloc.h"
#include "../core/jf_error.h"

static int is_cont(unsigned char b)
{
    return (b & 0xc0) == 0x80;
}

size_t jf__viz_utf8_len(const unsigned char *s)
{
    unsigned char b = s[0];

    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        return is_cont(s[1]) ? 2 : 0;
    if (b >= 0xe0 && b <= 0xef) {
        /* E0 needs A0.. (no overlong forms), ED needs ..9F (no surrogates). */
        unsigned char lo = b == 0xe0 ? 0xa0 : 0x80, hi = b == 0xed ? 0x9f : 0xbf;
        return s[1] >= lo && s[1] <= hi && is_cont(s[2]) ? 3 : 0;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        unsigned char lo = b == 0xf0 ? 0x90 : 0x80, hi = b == 0xf4 ? 0x8f : 0xbf;
        return s[1] >= lo && s[1] <= hi && is_cont(s[2]) && is_cont(s[3]) ? 4 : 0;
    }
    return 0;
}

char *jf__viz_clean(char *buf, size_t size, const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t out = 0;

    while (*s != '\0') {
        size_t n = jf__viz_utf8_len(s);
        /* U+FFFE and U+FFFF are not characters XML 1.0 allows. */
        int bad = n == 0 || *s < 0x20 || *s == 0x7f ||
                  (n == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe);

        if (bad)
            n = 1;
        if (out + n >= size)
            break;
        if (bad)
            buf[out] = '?';
        else
            memcpy(buf + out, s, n);
        out += n;
        s += n;
    }
    buf[out] = '\0';
    return buf;
}

const char *jf__viz_stage_name(const jf_trace_t *trace, unsigned stage, char *buf, size_t size)
{
    if (stage == JF_TRACE_NONE)
        return "none";
    if (stage < trace->nstages && trace->stage_names != NULL &&
        trace->stage_names[stage] != NULL && trace->stage_names[stage][0] != '\0')
        return trace->stage_names[stage];
    snprintf(buf, size, "stage %u", stage);
    return buf;
}

char *jf__viz_fixed(char *buf, size_t size, int64_t v, unsigned decimals, int trim)
{
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
    uint64_t div = 1;
    char frac[24];
    size_t n;

    if (decimals > 18)
        decimals = 18;
    for (unsigned i = 0; i < decimals; i++)
        div *= 10;
    snprintf(buf, size, "%s%" PRIu64, v < 0 ? "-" : "", mag / div);
    if (decimals == 0)
        return buf;
    snprintf(frac, sizeof frac, "%0*" PRIu64, (int)decimals, mag % div);
    n = strlen(frac);
    while (trim && n > 0 && frac[n - 1] == '0')
        frac[--n] = '\0';
    if (n > 0) {
        size_t len = strlen(buf);
        snprintf(buf + len, size > len ? size - len : 0, ".%s", frac);
    }
    return buf;
}

char *jf__viz_duration(char *buf, size_t size, uint64_t ns)
{
    static const char *const units[] = {"\xc2\xb5s", "ms", "s"};
    uint64_t per_unit = 1000;
    size_t u = 0;
    size_t len;

    if (ns < 1000) {
        snprintf(buf, size, "%" PRIu64 " ns", ns);
        return buf;
    }
    while (u < 2 && ns >= per_unit * 1000) {
        per_unit *= 1000;
        u++;
    }
    /* Three decimals of the unit = per_unit / 1000 ns each, rounded. */
    jf__viz_fixed(buf, size, (int64_t)((ns + per_unit / 2000) / (per_unit / 1000)), 3, 1);
    len = strlen(buf);
    snprintf(buf + len, size > len ? size - len : 0, " %s", units[u]);
    return buf;
}

int jf__viz_locale_enter(jf__viz_locale_t *l)
{
    l->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (l->c == (locale_t)0)
        return JF_ENOMEM;
    l->old = uselocale(l->c);
    return 0;
}

void jf__viz_locale_leave(jf__viz_locale_t *l)
{
    uselocale(l->old);
    freelocale(l->c);
}

char *jf__viz_tmp_path(const char *path)
{
    size_t len = strlen(path);
    char *tmp = jf_calloc(len + sizeof ".tmp", 1);

    if (tmp != NULL) {
        memcpy(tmp, path, len);
        memcpy(tmp + len, ".tmp", sizeof ".tmp");
    }
    return tmp;
}

int jf__viz_commit(const char *tmp, const char *path, int err)
{
    if (err == 0 && rename(tmp, path) != 0)
        err = JF_EIO;
    if (err != 0)
        remove(tmp);
    return err;
}
