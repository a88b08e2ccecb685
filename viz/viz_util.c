/* viz_util.c - text, number and file helpers shared by the viz writers. */
#include "viz_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "../core/jf_utf8.h"

char *jf__viz_clean(char *buf, size_t size, const char *text)
{
    const char *t = text != NULL ? text : "";
    unsigned char *p = (unsigned char *)buf;
    size_t out = 0;

    jf_utf8_repair(buf, size, t, strlen(t));
    /* Well-formed from here; every replacement below is shorter than what
     * it replaces, so the copy is compacted in place. */
    for (size_t i = 0; p[i] != '\0';) {
        if (p[i] < 0x20 || p[i] == 0x7f) {
            p[out++] = '?';
            i++;
        } else if (p[i] == 0xef && p[i + 1] == 0xbf && p[i + 2] >= 0xbe) {
            p[out++] = '?'; /* U+FFFE and U+FFFF are not characters XML 1.0 allows */
            i += 3;
        } else {
            p[out++] = p[i++];
        }
    }
    p[out] = '\0';
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

/* libxml2 (2.9) must be initialised before threads use it, and that
 * initialisation is not itself thread-safe: xmlInitParser's first step
 * allocates a global mutex behind an unlocked NULL check that other entry
 * points of the library repeat, so two threads may both allocate it (one
 * leaks: seen under LeakSanitizer, about one run in five of four threads
 * drawing at once). So it runs when the library is loaded, before main
 * and any thread, and once more, harmlessly, where every writer starts,
 * for a program that loaded the library in some other way. A program may
 * then call the writers from several threads without knowing libxml2 is
 * underneath. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

__attribute__((constructor)) static void xml_init_at_load(void)
{
    pthread_once(&xml_once, xml_init);
}

int jf__viz_locale_enter(jf__viz_locale_t *l)
{
    pthread_once(&xml_once, xml_init);
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
