/* test_json_input.c - JSON from outside: the reasons it is refused, nesting and UTF-8 above all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jefferson/error.h"
#include "workloads/json_input.h"

/* Parses the literal (NULs included) and checks code and message. */
static void expect(const char *text, size_t len, int code, const char *why)
{
    char got[256];
    cJSON *doc = (cJSON *)got; /* must come back NULL on failure */
    int rc = workload_json_input_parse(text, len, &doc, got, sizeof got);

    if (rc != code || (code != 0 && strcmp(got, why) != 0))
        print_error("%.*s\n  got %s: %s\n  want %s: %s\n", (int)(len < 80 ? len : 80), text,
                    jf_err_name(rc), rc ? got : "", jf_err_name(code), why);
    assert_int_equal(rc, code);
    if (code != 0) {
        assert_null(doc);
        assert_string_equal(got, why);
    } else {
        assert_non_null(doc);
        cJSON_Delete(doc);
    }
}

#define EXPECT(lit, code, why) expect((lit), sizeof(lit) - 1, (code), (why))

/* "[[[...]]]" nested depth times, or cut after the openings. */
static char *nested(size_t depth, const char *open, const char *inner, const char *close,
                    int closed)
{
    size_t o = strlen(open), c = strlen(close), i = strlen(inner);
    char *t = malloc(depth * (o + c) + i + 1), *p = t;

    assert_non_null(t);
    for (size_t k = 0; k < depth; k++, p += o)
        memcpy(p, open, o);
    memcpy(p, inner, i);
    p += i;
    for (size_t k = 0; closed && k < depth; k++, p += c)
        memcpy(p, close, c);
    *p = '\0';
    return t;
}

static void test_json_input_accepts_valid_text(void **state)
{
    (void)state;
    EXPECT("{\"caf\xc3\xa9\": [\"\xe2\x82\xac\", \"\\ud83d\\ude00\", 1, null]}\n", 0, "");
    EXPECT(" \"plain\" ", 0, "");
}

static void test_json_input_names_syntax_errors(void **state)
{
    (void)state;
    EXPECT("", JF_EPARSE, "not valid JSON near line 1");
    EXPECT("{\n\"a\": ,\n}", JF_EPARSE, "not valid JSON near line 2");
    EXPECT("{}\n\n{}", JF_EPARSE, "not valid JSON near line 3 (text after the top-level value)");
    EXPECT("{}\n\0", JF_EPARSE, "not valid JSON near line 2 (a NUL byte)");
    EXPECT("[\"\\ud800\"]", JF_EPARSE, "not valid JSON near line 1"); /* a lone surrogate escape */
}

/* cJSON's limit is 1000 levels: 1000 parse, 1001 are refused by name,
 * whether arrays or objects, closed or cut short. */
static void test_json_input_names_the_nesting_limit(void **state)
{
    char want[64];
    (void)state;

    snprintf(want, sizeof want, "nested deeper than %d levels", WORKLOAD_JSON_INPUT_MAX_DEPTH);
    assert_string_equal(want, "nested deeper than 1000 levels");
    for (int closed = 0; closed < 2; closed++) {
        char *ok = nested(WORKLOAD_JSON_INPUT_MAX_DEPTH, "[", "1", "]", 1);
        char *arrays = nested(WORKLOAD_JSON_INPUT_MAX_DEPTH + 1, "[", "1", "]", closed);
        char *objects = nested(WORKLOAD_JSON_INPUT_MAX_DEPTH + 1, "{\"a\":", "1", "}", closed);
        char *far = nested(100000, "[", "", "]", closed);

        expect(ok, strlen(ok), 0, "");
        expect(arrays, strlen(arrays), JF_ERANGE, want);
        expect(objects, strlen(objects), JF_ERANGE, want);
        expect(far, strlen(far), JF_ERANGE, want);
        free(ok);
        free(arrays);
        free(objects);
        free(far);
    }
    /* Brackets inside strings do not count; an error before the depth is
     * reached is a syntax error. */
    {
        char *inner = nested(2000, "[", "", "", 0);
        char *t = malloc(strlen(inner) + 8);

        assert_non_null(t);
        snprintf(t, strlen(inner) + 8, "[\"%s\"]", inner);
        expect(t, strlen(t), 0, "");
        snprintf(t, strlen(inner) + 8, "[1 %s", inner);
        expect(t, strlen(t), JF_EPARSE, "not valid JSON near line 1");
        free(inner);
        free(t);
    }
}

/* The path of the first bad string in document order, and the offset of
 * the first bad byte in its decoded value. */
static void test_json_input_refuses_ill_formed_utf8(void **state)
{
    (void)state;
    EXPECT("{\"stages\": [{\"name\": \"ab\xff\xfe\"}]}", JF_EINVAL,
           "stages[0].name: invalid UTF-8 at byte offset 2");
    EXPECT("{\"a\": [\"ok\", [\"\xc0\xaf\"]]}", JF_EINVAL, /* overlong '/' */
           "a[1][0]: invalid UTF-8 at byte offset 0");
    EXPECT("{\"s\": \"x\xed\xa0\x80\"}", JF_EINVAL, /* a surrogate, written raw */
           "s: invalid UTF-8 at byte offset 1");
    EXPECT("{\"s\": \"\xf4\x90\x80\x80\"}", JF_EINVAL, /* above U+10FFFF */
           "s: invalid UTF-8 at byte offset 0");
    EXPECT("{\"s\": \"\\u00e9\\n\xe2\x82\"}", JF_EINVAL, /* offsets count decoded bytes */
           "s: invalid UTF-8 at byte offset 3");
    EXPECT("{\"o\": {\"k\xff\": 1}}", JF_EINVAL, "o: member name: invalid UTF-8 at byte offset 1");
    EXPECT("{\"\x80\": 1}", JF_EINVAL, "member name: invalid UTF-8 at byte offset 0");
    EXPECT("\"\xff\"", JF_EINVAL, "invalid UTF-8 at byte offset 0");
    EXPECT("{\"a\": \"\xff\", \"b\": \"\xfe\"}", JF_EINVAL, "a: invalid UTF-8 at byte offset 0");
}

/* Paths show member names cut at 64 bytes, never in half a character. */
static void test_json_input_paths_stay_utf8(void **state)
{
    char text[256], why[256];
    cJSON *doc;
    (void)state;

    /* 63 ASCII bytes, then a 2-byte letter across the cut. */
    snprintf(text, sizeof text, "{\"%063d\xc3\xa9z\": \"\xff\"}", 0);
    assert_int_equal(workload_json_input_parse(text, strlen(text), &doc, why, sizeof why), JF_EINVAL);
    assert_null(doc);
    assert_int_equal(strncmp(why, "000", 3), 0);
    assert_non_null(strstr(why, "0...: invalid UTF-8 at byte offset 0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_input_accepts_valid_text),
        cmocka_unit_test(test_json_input_names_syntax_errors),
        cmocka_unit_test(test_json_input_names_the_nesting_limit),
        cmocka_unit_test(test_json_input_refuses_ill_formed_utf8),
        cmocka_unit_test(test_json_input_paths_stay_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
