/* result_doc.h - reading a run's result.json in tests that spawn bench (after cmocka.h
 * and cJSON.h; with bench_run.h). */
#ifndef JF_TEST_RESULT_DOC_H
#define JF_TEST_RESULT_DOC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_run.h"

/* DIR/result.json, parsed; fails the test when it is missing or malformed. */
static inline cJSON *load_result(const char *dir)
{
    char path[600];

    snprintf(path, sizeof path, "%s/result.json", dir);
    char *text = bench_read_file(path);
    assert_non_null(text);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}

/* results[] entry of strategy name, or NULL. */
static inline const cJSON *find_result(const cJSON *doc, const char *name)
{
    const cJSON *r;

    cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "results")) {
        const cJSON *s = cJSON_GetObjectItem(r, "strategy");
        if (cJSON_IsString(s) && strcmp(s->valuestring, name) == 0)
            return r;
    }
    return NULL;
}

/* Member key of o, which must be a number. */
static inline double number(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);

    if (!cJSON_IsNumber(v))
        fail_msg("\"%s\" is not a number", key);
    return v->valuedouble;
}

/* One error line on stderr, containing want. */
static inline void assert_one_line(const char *err, const char *want)
{
    if (!bench_one_error_line(err) || !strstr(err, want))
        fail_msg("stderr: \"%s\" (expected one line with \"%s\")", err, want);
}

#endif /* JF_TEST_RESULT_DOC_H */
