/* workload_docs.h - workload documents written inline in tests, parsed. */
#ifndef JF_TEST_WORKLOAD_DOCS_H
#define JF_TEST_WORKLOAD_DOCS_H

#include <stdlib.h>
#include <string.h>

#include "workloads/workload.h"

/* Include after <cmocka.h>: the helpers assert. */

/* Documents are written with ' for " so the tables stay readable. */
static inline char *q(const char *s)
{
    char *d = strdup(s);

    assert_non_null(d);
    for (char *p = d; *p != '\0'; p++)
        if (*p == '\'')
            *p = '"';
    return d;
}

/* Parses a q() document as "w.json"; *w is NULL unless it returns 0. */
static inline int parse_q(const char *doc, workload_t **w, char *err)
{
    char *text = q(doc);
    int rc = workload_parse(text, strlen(text), "w.json", w, err);

    free(text);
    return rc;
}

static inline workload_t *parse_ok(const char *doc)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    int rc = parse_q(doc, &w, err);

    if (rc != 0)
        print_error("unexpected failure: %s\n", err);
    assert_int_equal(rc, 0);
    assert_non_null(w);
    return w;
}

#endif /* JF_TEST_WORKLOAD_DOCS_H */
