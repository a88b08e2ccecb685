/* fuzz_workload.c - libFuzzer target: the workload loader, its normalised form and binding. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "core/jf_utf8.h"
#include "workloads/workload.h"

/* Binding a "memory" stage zeroes its working set (up to 1 GiB a stage);
 * inputs asking for more than this in total are parsed but not bound, so
 * that one input cannot take seconds and gigabytes (the loader's own
 * limits are tested in tests/test_workload_parse.c). */
#define BIND_MAX_WORKING_SET (UINT64_C(64) << 20)

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond))                                                                           \
            __builtin_trap();                                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An error message: one non-empty line of UTF-8 that fits the buffer. */
static void check_message(const char *err)
{
    size_t len = strnlen(err, WORKLOAD_ERR_MAX);

    CHECK(len > 0 && len < WORKLOAD_ERR_MAX);
    CHECK(strchr(err, '\n') == NULL);
    CHECK(jf_utf8_check(err, len) == JF_UTF8_VALID);
}

static uint64_t working_set(const workload_t *w)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < w->nstages; i++)
        if (strcmp(w->stages[i].kernel, "memory") == 0)
            sum += w->stages[i].bytes ? w->stages[i].bytes : UINT64_C(1) << 20;
    return sum;
}

/* The normalised workload must load again and normalise to the same text:
 * results files carry it, and `bench compare` reads it back. */
static char *normalise(const workload_t *w)
{
    cJSON *doc = workload_to_json(w);
    char *text;

    CHECK(doc != NULL);
    text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    CHECK(text != NULL);
    return text;
}

static void check_round_trip(const workload_t *w)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *again = NULL;
    char *first = normalise(w), *second;

    CHECK(workload_parse(first, strlen(first), "normalised.json", &again, err) == 0);
    second = normalise(again);
    CHECK(strcmp(first, second) == 0);
    workload_destroy(again);
    free(first);
    free(second);
}

/* Per-item costs: finite and >= 0 for any seq, across phase changes. */
static void check_item_ns(const workload_t *w)
{
    static const uint64_t seqs[] = {0, 1, 2, 1000, UINT64_C(1) << 40, UINT64_MAX};

    for (size_t s = 0; s < w->nstages; s++) {
        for (size_t k = 0; k < sizeof seqs / sizeof seqs[0]; k++) {
            double ns = workload_item_ns(w, s, seqs[k]);
            CHECK(isfinite(ns) && ns >= 0);
        }
        for (size_t k = 0; k < w->nsets; k++) {
            uint64_t at = w->sets[k].after_items;
            double ns = workload_item_ns(w, s, at);
            CHECK(isfinite(ns) && ns >= 0);
            ns = workload_item_ns(w, s, at ? at - 1 : 0);
            CHECK(isfinite(ns) && ns >= 0);
        }
    }
}

/* Whether a stage is a plugin: binding it dlopens a library and runs its
 * code, which trusts the file as bench trusts its user, not fuzz input. */
static int has_plugin(const workload_t *w)
{
    for (size_t s = 0; s < w->nstages; s++)
        if (w->stages[s].library != NULL)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    workload_binding_t b;
    long live = jf_alloc_live();
    int rc;

    rc = workload_parse((const char *)data, size, "fuzz.json", &w, err);
    if (rc != 0) {
        CHECK(w == NULL);
        CHECK(rc == JF_EPARSE || rc == JF_EINVAL || rc == JF_ERANGE || rc == JF_ENOMEM);
        check_message(err);
        CHECK(jf_alloc_live() == live);
        return 0;
    }
    CHECK(w != NULL && w->nstages >= 1 && w->nstages <= JF_MAX_STAGES && w->items >= 1);
    check_round_trip(w);
    check_item_ns(w);
    if (working_set(w) <= BIND_MAX_WORKING_SET && !has_plugin(w)) {
        rc = workload_bind(w, &b, err);
        if (rc == 0) {
            CHECK(b.nstages == w->nstages && b.source != NULL && b.check != NULL);
            workload_unbind(&b);
        } else {
            check_message(err);
        }
    }
    workload_destroy(w);
    CHECK(jf_alloc_live() == live);
    return 0;
}
