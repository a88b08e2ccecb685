/* workload_stages.c - the "stages" and "phases" arrays of a workload document. */
#include <string.h>
#include <unistd.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "kernels.h"
#include "workload_parse.h"

static const char *const stage_fields[] = {"name",    "kernel",  "ns",     "dist",
                                           "bytes",   "fail_at", "records", "library",
                                           "symbol",  "arg",     NULL};
static const char *const phase_fields[] = {"after_items", "set", NULL};
static const char *const change_fields[] = {"ns", NULL};

static int nomem(const jf__jctx_t *c)
{
    return jf__jfail(c, JF_ENOMEM, NULL, "out of memory");
}

/* Longest "library" path, "symbol" name and "arg" string of a plugin stage. */
#define LIBRARY_MAX 4095
#define SYMBOL_MAX 255
#define ARG_MAX 4095

/* A copy of member key (a string of min..max bytes, dflt when absent) in *out. */
static int copy_str_field(const jf__jctx_t *c, const cJSON *o, const char *path, const char *key,
                          bool required, size_t min, size_t max, const char *dflt, char **out)
{
    const char *str;
    int rc = jf__jstr_field(c, o, path, key, required, min, max, dflt, &str);

    if (rc != 0)
        return rc;
    return (*out = jf__strdup(str)) != NULL ? 0 : nomem(c);
}

/* "library", "symbol" and "arg" of a plugin stage; the library is loaded
 * when the workload is bound, not here (parsing runs no code). */
static int parse_plugin_fields(const jf__jctx_t *c, const cJSON *o, const char *path,
                               workload_stage_t *s)
{
    int rc;

    if ((rc = copy_str_field(c, o, path, "library", true, 1, LIBRARY_MAX, NULL, &s->library)) ||
        (rc = copy_str_field(c, o, path, "symbol", true, 1, SYMBOL_MAX, NULL, &s->symbol)))
        return rc;
    return copy_str_field(c, o, path, "arg", false, 0, ARG_MAX, "", &s->arg);
}

/* The fields only some kernels take: rejected on the others (a "bytes" on a
 * spin stage is a mistake worth hearing about), defaulted on their own. */
static int parse_kernel_fields(const jf__jctx_t *c, const cJSON *o, const char *path,
                               const jf__kernel_def_t *def, workload_stage_t *s)
{
    static const struct {
        const char *key;
        unsigned flag;
    } opt[] = {{"bytes", WORKLOAD__KF_BYTES},     {"fail_at", WORKLOAD__KF_FAIL_AT},
               {"records", WORKLOAD__KF_RECORDS}, {"library", WORKLOAD__KF_PLUGIN},
               {"symbol", WORKLOAD__KF_PLUGIN},   {"arg", WORKLOAD__KF_PLUGIN}};
    char sub[WORKLOAD__PATH_MAX];
    uint64_t n = 0;
    int rc;

    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        if (!(def->fields & opt[i].flag) && jf__jmember(o, opt[i].key) != NULL)
            return jf__jfail(c, JF_EINVAL, jf__jpath(sub, path, opt[i].key),
                             "the %s kernel takes no \"%s\" field", def->name, opt[i].key);
    if ((def->fields & WORKLOAD__KF_BYTES) &&
        (rc = jf__jint_field(c, o, path, "bytes", false, 1, WORKLOAD__MEMORY_MAX_BYTES,
                             WORKLOAD__MEMORY_DEFAULT_BYTES, &s->bytes)) != 0)
        return rc;
    if ((def->fields & WORKLOAD__KF_FAIL_AT) &&
        (rc = jf__jint_field(c, o, path, "fail_at", false, 0, WORKLOAD__JINT_MAX, 0, &s->fail_at)) != 0)
        return rc;
    if ((def->fields & WORKLOAD__KF_RECORDS) &&
        (rc = jf__jint_field(c, o, path, "records", false, 0, WORKLOAD__RECORDS_MAX,
                             WORKLOAD__RECORDS_DEFAULT, &n)) != 0)
        return rc;
    s->records = (uint32_t)n;
    if (def->fields & WORKLOAD__KF_PLUGIN)
        return parse_plugin_fields(c, o, path, s);
    return 0;
}

/* "kernel": a known name whose payload needs the workload's item_bytes meets. */
static int parse_kernel(const jf__jctx_t *c, const cJSON *o, const char *path,
                        const workload_t *w, workload_stage_t *s)
{
    const jf__kernel_def_t *def;
    char sub[WORKLOAD__PATH_MAX], names[128];
    const char *str;
    int rc;

    if ((rc = jf__jstr_field(c, o, path, "kernel", true, 1, SIZE_MAX, NULL, &str)) != 0)
        return rc;
    jf__jpath(sub, path, "kernel");
    if ((def = jf__kernel_find(str)) == NULL) {
        jf__kernel_names(names, sizeof names);
        return jf__jfail(c, JF_EINVAL, sub, "unknown kernel \"%.64s\" (expected one of: %s)", str,
                         names);
    }
    if (w->item_bytes < def->min_item_bytes)
        return jf__jfail(c, JF_ERANGE, sub, "the %s kernel needs item_bytes >= %u, got %u",
                         def->name, (unsigned)def->min_item_bytes, (unsigned)w->item_bytes);
    if ((s->kernel = jf__strdup(str)) == NULL)
        return nomem(c);
    return parse_kernel_fields(c, o, path, def, s);
}

static int parse_stage(const jf__jctx_t *c, const cJSON *o, const char *path, workload_t *w,
                       size_t i)
{
    workload_stage_t *s = &w->stages[i];
    char sub[WORKLOAD__PATH_MAX];
    const cJSON *v;
    const char *str;
    int rc, dist;

    if ((rc = jf__jfields(c, o, path, "a stage object", stage_fields)) != 0)
        return rc;
    jf__jpath(sub, path, "name");
    if ((v = jf__jmember(o, "name")) == NULL)
        return jf__jmissing(c, sub, "a non-empty string");
    if ((rc = jf__parse_name(c, v, sub, false, &str)) != 0)
        return rc;
    for (size_t j = 0; j < i; j++)
        if (strcmp(w->stages[j].name, str) == 0)
            return jf__jfail(c, JF_EINVAL, sub, "duplicate stage name \"%s\"", str);
    if ((s->name = jf__strdup(str)) == NULL)
        return nomem(c);
    if ((rc = parse_kernel(c, o, path, w, s)) != 0)
        return rc;
    /* A plugin's cost is the user's to state; without one it is measured. */
    s->ns_measured = s->library != NULL && jf__jmember(o, "ns") == NULL;
    if ((rc = jf__jnum_field(c, o, path, "ns", false, 0, WORKLOAD__MAX_NS,
                             jf__kernel_default_ns(jf__kernel_find(s->kernel), s->records,
                                                   w->item_bytes),
                             &s->ns)))
        return rc;
    if ((rc = jf__jstr_field(c, o, path, "dist", false, 0, SIZE_MAX, "fixed", &str)) != 0)
        return rc;
    if ((dist = workload_dist_parse(str)) < 0)
        return jf__jfail(c, JF_EINVAL, jf__jpath(sub, path, "dist"),
                         "unknown distribution \"%.64s\" (expected one of: fixed, uniform, "
                         "exponential, bimodal)",
                         str);
    s->dist = (workload_dist_t)dist;
    return 0;
}

uint64_t jf__working_set_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    uint64_t half;

    if (pages <= 0 || size <= 0) /* unknown: trust the fixed cap */
        return WORKLOAD_MAX_WORKING_SET;
    half = (uint64_t)pages / 2 * (uint64_t)size;
    return half < WORKLOAD_MAX_WORKING_SET ? half : WORKLOAD_MAX_WORKING_SET;
}

/* Each memory stage allocates its own working set at bind time: refuse a
 * workload whose sets together would not fit (naming the stage where the
 * sum first goes over), rather than let the run thrash or be killed. */
static int check_working_sets(const jf__jctx_t *c, const workload_t *w)
{
    uint64_t limit = jf__working_set_limit(), sum = 0;
    char path[WORKLOAD__PATH_MAX], elem[WORKLOAD__PATH_MAX];

    for (size_t i = 0; i < w->nstages; i++) {
        if (strcmp(w->stages[i].kernel, "memory") != 0)
            continue;
        sum += w->stages[i].bytes;
        if (sum > limit)
            return jf__jfail(c, JF_ERANGE, jf__jpath(path, jf__jindex(elem, "stages", i), "bytes"),
                             "the memory stages' working sets add up to %llu bytes, more than "
                             "%llu (half the physical memory, at most 4 GiB)",
                             (unsigned long long)sum, (unsigned long long)limit);
    }
    return 0;
}

int jf__parse_stages(const jf__jctx_t *c, const cJSON *v, workload_t *w)
{
    char path[WORKLOAD__PATH_MAX];
    size_t i = 0, n;
    int rc;

    if (!cJSON_IsArray(v))
        return jf__jfail(c, JF_EINVAL, "stages", "expected an array of 1 to %d stages, got %s",
                         JF_MAX_STAGES, jf__jtype(v));
    n = (size_t)cJSON_GetArraySize(v);
    if (n < 1 || n > JF_MAX_STAGES)
        return jf__jfail(c, JF_ERANGE, "stages", "expected an array of 1 to %d stages, got %zu",
                         JF_MAX_STAGES, n);
    if ((w->stages = jf_calloc(n, sizeof *w->stages)) == NULL)
        return nomem(c);
    w->nstages = n; /* zeroed: workload_destroy copes with the unfilled rest */
    for (const cJSON *o = v->child; o != NULL; o = o->next, i++)
        if ((rc = parse_stage(c, o, jf__jindex(path, "stages", i), w, i)) != 0)
            return rc;
    return check_working_sets(c, w);
}

static int find_stage(const workload_t *w, const char *name)
{
    for (size_t i = 0; i < w->nstages; i++)
        if (strcmp(w->stages[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* One "set" object: {"<stage>": {"ns": number}, ...}, appended to w->sets
 * (which has room for every stage of every phase). */
static int parse_set(const jf__jctx_t *c, const cJSON *set, const char *path, workload_t *w,
                     size_t phase, uint64_t after)
{
    char sub[WORKLOAD__PATH_MAX];
    uint64_t seen = 0;
    int rc;

    if (!cJSON_IsObject(set) || set->child == NULL)
        return jf__jfail(c, JF_EINVAL, path,
                         "expected an object like {\"<stage name>\": {\"ns\": 1000}}, got %s",
                         cJSON_IsObject(set) ? "an empty object" : jf__jtype(set));
    for (const cJSON *m = set->child; m != NULL; m = m->next) {
        workload_phase_set_t *s = &w->sets[w->nsets];
        int stage = find_stage(w, m->string);

        jf__jpath(sub, path, m->string);
        if (stage < 0)
            return jf__jfail(c, JF_EINVAL, sub, "no stage named \"%.64s\"", m->string);
        if (seen & (UINT64_C(1) << stage))
            return jf__jfail(c, JF_EINVAL, sub, "duplicate field");
        seen |= UINT64_C(1) << stage;
        if ((rc = jf__jfields(c, m, sub, "an object like {\"ns\": 1000}", change_fields)) != 0 ||
            (rc = jf__jnum_field(c, m, sub, "ns", true, 0, WORKLOAD__MAX_NS, 0, &s->ns)) != 0)
            return rc;
        s->after_items = after;
        s->stage = (size_t)stage;
        s->phase = phase;
        w->nsets++;
    }
    return 0;
}

int jf__parse_phases(const jf__jctx_t *c, const cJSON *v, workload_t *w)
{
    char path[WORKLOAD__PATH_MAX], sub[WORKLOAD__PATH_MAX];
    size_t i = 0, n;
    uint64_t after;
    int rc;

    if (!cJSON_IsArray(v))
        return jf__jfail(c, JF_EINVAL, "phases", "expected an array of phases, got %s",
                         jf__jtype(v));
    n = (size_t)cJSON_GetArraySize(v);
    if (n > WORKLOAD_MAX_PHASES)
        return jf__jfail(c, JF_ERANGE, "phases", "expected at most %d phases, got %zu",
                         WORKLOAD_MAX_PHASES, n);
    if (n == 0)
        return 0;
    if ((w->sets = jf_calloc(n * w->nstages, sizeof *w->sets)) == NULL)
        return nomem(c);
    for (const cJSON *p = v->child; p != NULL; p = p->next, i++) {
        jf__jindex(path, "phases", i);
        if ((rc = jf__jfields(c, p, path, "a phase object", phase_fields)) != 0 ||
            (rc = jf__jint_field(c, p, path, "after_items", true, 0, w->items - 1, 0, &after)))
            return rc;
        if (jf__jmember(p, "set") == NULL)
            return jf__jmissing(c, jf__jpath(sub, path, "set"),
                                "an object like {\"<stage name>\": {\"ns\": 1000}}");
        if ((rc = parse_set(c, jf__jmember(p, "set"), jf__jpath(sub, path, "set"), w, i, after)))
            return rc;
    }
    return 0;
}
