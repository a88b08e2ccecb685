/* fuzz_compare.c - libFuzzer target: the result reader of `bench compare` and `bench export`
 * (harness/compare*.c, harness/export.c), the comparison and every printed form of it.
 *
 * Input: one result document, compared with itself, or two documents one
 * after the other (BASE then NEW). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jefferson/error.h"
#include "harness/compare.h"
#include "harness/export.h"

#define WHY_MAX 512

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond))                                                                           \
            __builtin_trap();                                                                  \
    } while (0)

static FILE *sink; /* /dev/null: what is printed is not checked, only how */
static int lax;    /* JF_FUZZ_LAX is set: tolerate the open bugs of docs/fuzzing.md */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sink = fopen("/dev/null", "w");
    if (sink == NULL) {
        perror("fuzz_compare: /dev/null");
        exit(1);
    }
    lax = getenv("JF_FUZZ_LAX") != NULL;
    return 0;
}

/* `why` is one line that fits. */
static void check_why(const char *why)
{
    CHECK(why[0] != '\0' && strnlen(why, WHY_MAX) < WHY_MAX);
    if (!lax)
        CHECK(strpbrk(why, "\r\n") == NULL);
}

/* Takes the document parsed from text into *d. Returns 0 or -1. */
static int take(cJSON *doc, const char *path, bench_cmp_doc_t *d)
{
    char why[WHY_MAX];
    int rc;

    why[0] = '\0';
    rc = bench_cmp_doc_take(doc, path, d, why, sizeof why);
    if (rc != 0) {
        CHECK(rc == JF_EPARSE || rc == JF_ENOMEM);
        check_why(why);
        return -1;
    }
    for (size_t i = 0; i < d->n; i++) {
        CHECK(memchr(d->series[i].key, '\0', BENCH_CMP_KEY_MAX) != NULL);
        CHECK(d->series[i].n == 0 || d->series[i].samples != NULL);
    }
    return 0;
}

static void compare(const bench_cmp_doc_t *base, const bench_cmp_doc_t *head, int same)
{
    char why[WHY_MAX];
    bench_cmp_options_t opt;
    bench_cmp_report_t r;

    why[0] = '\0';
    if (bench_cmp_check(base, head, why, sizeof why) != 0) {
        /* A document matches itself (open bug when "batch" is missing). */
        CHECK(!same || lax);
        check_why(why);
        return;
    }
    bench_cmp_options_default(&opt);
    CHECK(bench_cmp_report_build(base, head, &opt, &r) == 0);
    CHECK(r.n <= head->n && r.regressions <= r.n);
    for (size_t i = 0; i < r.n; i++) {
        char line[1024];

        bench_cmp_sentence(&r, &r.rows[i], line, sizeof line);
        CHECK(strnlen(line, sizeof line) < sizeof line);
    }
    CHECK(bench_cmp_print_table(sink, &r) == 0);
    CHECK(bench_cmp_print_markdown(sink, &r) == 0);
    CHECK(bench_cmp_print_json(sink, &r) == 0);
    bench_cmp_report_recount(&r);
    bench_cmp_report_fini(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *end = NULL;
    bench_cmp_doc_t base = {0}, head = {0};
    cJSON *first, *second;
    int same;

    first = cJSON_ParseWithLengthOpts(text, size, &end, 0);
    if (first == NULL)
        return 0;
    /* bench export reads the document as it is, before compare takes it. */
    CHECK(bench_export_write(sink, first, BENCH_CLI_FORMAT_GAB) == 0);
    CHECK(bench_export_write(sink, first, JF_CLI_FORMAT_BENCHER) == 0);
    CHECK(bench_export_write(sink, first, BENCH_CLI_FORMAT_TABLE) != 0);
    size_t used = (size_t)(end - text);
    second = used < size ? cJSON_ParseWithLength(end, size - used) : NULL;
    same = second == NULL;
    if (same)
        second = cJSON_ParseWithLength(text, used);
    CHECK(second != NULL || used < size);
    /* take owns the document from the call on, freed on failure too. */
    if (take(first, "base.json", &base) == 0) {
        if (second != NULL && take(second, "new.json", &head) == 0)
            compare(&base, &head, same);
    } else {
        cJSON_Delete(second);
    }
    bench_cmp_doc_fini(&base);
    bench_cmp_doc_fini(&head);
    return 0;
}
