/* allocate.c - `bench allocate`: one scheduler decision from stage stats on stdin. */
#include "commands.h"
#include "allocate.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "jefferson/policy.h"
#include "diag.h"
#include "json.h"
#include "workloads/json_input.h"

#define MAX_INPUT (16u << 20)

typedef bench_allocate_input_t stages_in_t;

/* Reads all of stdin into *out, NUL-terminated. Returns 0, or the exit
 * status after the error line. */
static int read_stdin(char **out, size_t *len)
{
    size_t cap = 4096;
    char *buf = malloc(cap);

    *len = 0;
    while (buf) {
        *len += fread(buf + *len, 1, cap - 1 - *len, stdin);
        if (ferror(stdin) || *len >= MAX_INPUT) {
            free(buf);
            return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stdin: %s",
                                ferror(stdin) ? "read error" : "larger than 16 MiB");
        }
        if (feof(stdin)) {
            buf[*len] = '\0';
            *out = buf;
            return 0;
        }
        if (*len == cap - 1) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    return bench_diag_fail(BENCH_EXIT_FAILED, "allocate: out of memory");
}

static bool is_count(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0 &&
           v->valuedouble == floor(v->valuedouble);
}

static bool is_duration(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0;
}

/* service_ns: a number, or samples whose mean is used; [] = not measured. */
static int parse_service(const cJSON *v, size_t i, double *mean)
{
    double sum = 0;
    int n = 0;

    if (is_duration(v)) {
        *mean = v->valuedouble;
        return 0;
    }
    if (!cJSON_IsArray(v))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].service_ns: expected a number "
                            ">= 0 or an array of them", i);
    for (const cJSON *s = v->child; s; s = s->next, n++) {
        if (!is_duration(s))
            return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].service_ns[%d]: expected "
                                "a number >= 0", i, n);
        sum += s->valuedouble;
    }
    *mean = n ? sum / n : -1.0;
    if (isinf(*mean)) { /* finite samples whose sum overflowed: divide first */
        *mean = 0;
        for (const cJSON *s = v->child; s; s = s->next)
            *mean += s->valuedouble / n;
    }
    return 0;
}

/* One member of stages[i]; `seen` catches missing and repeated fields. */
static int parse_field(const cJSON *f, size_t i, stages_in_t *in, unsigned *seen)
{
    static const char *const fields[] = {"name", "queue", "service_ns", "done"};
    const char *key = f->string;
    unsigned k = 0;

    while (k < 4 && strcmp(key, fields[k]) != 0)
        k++;
    if (k == 4)
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].%s: unknown field", i, key);
    if (*seen & (1u << k))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].%s: given twice", i, key);
    *seen |= 1u << k;
    if (k == 0 && (!cJSON_IsString(f) || f->valuestring[0] == '\0'))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].name: expected a non-empty "
                            "string", i);
    if (k == 1 && !is_count(f))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].queue: expected an integer "
                            ">= 0", i);
    if (k == 3 && !cJSON_IsBool(f))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].done: expected true or "
                            "false", i);
    if (k == 0)
        in->names[i] = f->valuestring;
    else if (k == 1)
        in->views[i].queue = f->valuedouble;
    else if (k == 3)
        in->views[i].done = cJSON_IsTrue(f);
    return k == 2 ? parse_service(f, i, &in->measured[i]) : 0;
}

static int parse_stage(const cJSON *s, size_t i, stages_in_t *in)
{
    unsigned seen = 0;

    if (!cJSON_IsObject(s))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu]: expected an object", i);
    for (const cJSON *f = s->child; f; f = f->next) {
        int rc = parse_field(f, i, in, &seen);
        if (rc)
            return rc;
    }
    if ((seen & 7u) != 7u)
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].%s: missing", i,
                            !(seen & 1u) ? "name" : !(seen & 2u) ? "queue" : "service_ns");
    for (size_t j = 0; j < i; j++)
        if (strcmp(in->names[j], in->names[i]) == 0)
            return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages[%zu].name: \"%s\" given twice",
                                i, in->names[i]);
    return 0;
}

static int parse_input(const cJSON *root, stages_in_t *in)
{
    const cJSON *stages = NULL;

    if (!cJSON_IsObject(root))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stdin: expected an object");
    for (const cJSON *f = root->child; f; f = f->next) {
        bool known = strcmp(f->string, "stages") == 0;
        if (!known || stages)
            return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: %s: %s", f->string,
                                known ? "given twice" : "unknown field (expected \"stages\")");
        stages = f;
    }
    int n = cJSON_IsArray(stages) ? cJSON_GetArraySize(stages) : 0;
    if (n < 1 || n > JF_MAX_STAGES)
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stages: expected an array of 1 to %d "
                            "stages", JF_MAX_STAGES);
    in->n = 0;
    for (const cJSON *s = stages->child; s; s = s->next, in->n++) {
        int rc = parse_stage(s, in->n, in);
        if (rc)
            return rc;
    }
    /* Unmeasured stages get the policy's prior, as in the scheduler. */
    double prior = jf_policy_prior(in->measured, in->n);
    for (size_t i = 0; i < in->n; i++)
        in->views[i].service_ns = in->measured[i] < 0 ? prior : in->measured[i];
    return 0;
}

static int print_allocation(const stages_in_t *in, const unsigned *alloc)
{
    bool all_done = true;
    cJSON *doc = cJSON_CreateObject(), *a = NULL;

    for (size_t i = 0; i < in->n; i++)
        all_done &= in->views[i].done;
    a = all_done ? cJSON_AddNullToObject(doc, "allocation")
                 : cJSON_AddObjectToObject(doc, "allocation");
    for (size_t i = 0; a && !all_done && i < in->n; i++)
        if (!cJSON_AddNumberToObject(a, in->names[i], alloc[i]))
            a = NULL;
    char *text = a ? bench_json_print(doc, false) : NULL;
    cJSON_Delete(doc);
    if (!text)
        return bench_diag_fail(BENCH_EXIT_FAILED, "allocate: out of memory");
    printf("%s\n", text);
    free(text);
    return BENCH_EXIT_OK;
}

int bench_cmd_allocate(const bench_args_t *args, const bench_env_t *env)
{
    stages_in_t in;
    unsigned alloc[JF_MAX_STAGES] = {0};
    size_t len;

    int rc = bench_cli_check(args, "allocate", BENCH_OPT_POLICY | BENCH_OPT_WORKERS, false);
    if (rc)
        return rc;
    if (!(args->seen & BENCH_OPT_WORKERS))
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: --workers: missing (see bench --help)");
    char *text = NULL;
    if ((rc = read_stdin(&text, &len)) != 0)
        return rc;
    if ((rc = bench_allocate_parse(text, len, &in)) == 0) {
        rc = jf_policy_allocate(args->policy, in.views, in.n, args->workers, alloc, NULL);
        rc = rc ? bench_diag_fail(BENCH_EXIT_FAILED, "allocate: %s", jf_strerror(rc))
                : print_allocation(&in, alloc);
    }
    bench_allocate_input_fini(&in);
    free(text);
    return rc;
}

int bench_allocate_parse(const char *text, size_t len, bench_allocate_input_t *in)
{
    char why[256];
    int rc;

    memset(in, 0, sizeof *in);
    if (workload_json_input_parse(text, len, &in->doc, why, sizeof why) != 0)
        return bench_diag_fail(BENCH_EXIT_USAGE, "allocate: stdin: %s", why);
    if ((rc = parse_input(in->doc, in)) != 0)
        bench_allocate_input_fini(in);
    return rc;
}

void bench_allocate_input_fini(bench_allocate_input_t *in)
{
    cJSON_Delete(in->doc);
    in->doc = NULL;
}
