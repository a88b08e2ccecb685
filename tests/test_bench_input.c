/* test_bench_input.c - bench refuses input that is not UTF-8 or nests too deep, in every
 * reader, and writes only well-formed UTF-8 whatever its arguments hold. Needs JF_BENCH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bench_run.h"
#include "core/jf_utf8.h"
#include "harness/history.h"

static char tmp[256]; /* per-run scratch directory */
static const char *bench;

/* "@name" in an argument stands for <tmp>/name. */
static char *in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

static void write_text(const char *name, const char *text)
{
    assert_int_equal(bench_write_file(in_tmp(name), text), 0);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Runs bench with args (NULL-terminated, "@x" for <tmp>/x), stdin from
 * the text `input` (NULL: empty). */
static void run_argv(bench_run_t *r, const char *input, const char *const *args)
{
    char *argv[32] = {(char *)bench};
    int argc = 1;

    for (; args[argc - 1] != NULL; argc++) {
        assert_true(argc < 31);
        argv[argc] = strdup(args[argc - 1][0] == '@' ? in_tmp(args[argc - 1] + 1)
                                                     : args[argc - 1]);
    }
    write_text("stdin", input != NULL ? input : "");
    assert_int_equal(bench_spawn_in(r, tmp, bench, argv, NULL, in_tmp("stdin")), 0);
    for (int i = 1; i < argc; i++)
        free(argv[i]);
}

#define run(r, input, ...) run_argv((r), (input), (const char *const[]){__VA_ARGS__, NULL})

/* Exit 2 and stderr exactly "bench: <what><tmp>/<name><why>\n" (name NULL:
 * "bench: <what><why>\n"). */
static void expect_refusal(const bench_run_t *r, const char *what, const char *name,
                           const char *why)
{
    char want[1024];

    if (name != NULL)
        snprintf(want, sizeof want, "bench: %s%s%s\n", what, in_tmp(name), why);
    else
        snprintf(want, sizeof want, "bench: %s%s\n", what, why);
    if (r->status != 2 || strcmp(r->err, want) != 0)
        print_error("got %d: %s  want 2: %s", r->status, r->err, want);
    assert_int_equal(r->status, 2);
    assert_string_equal(r->err, want);
}

static void assert_utf8(const char *what, const char *text)
{
    size_t at;

    assert_non_null(text);
    if ((at = jf_utf8_check(text, strlen(text))) != JF_UTF8_VALID)
        fail_msg("%s: ill-formed UTF-8 at byte %zu", what, at);
}

/* Copies <tmp>/from to <tmp>/to with the first `old` replaced by `new`. */
static void edit_copy(const char *from, const char *to, const char *old, const char *new)
{
    char *text = bench_read_file(in_tmp(from)), *at, *out;

    assert_non_null(text);
    at = strstr(text, old);
    assert_non_null(at);
    out = malloc(strlen(text) + strlen(new) + 1);
    assert_non_null(out);
    memcpy(out, text, (size_t)(at - text));
    strcpy(out + (at - text), new);
    strcat(out, at + strlen(old));
    write_text(to, out);
    free(out);
    free(text);
}

static int setup(void **state)
{
    char deep[2 * 1001 + 2];

    if (bench_test_setup(&bench, tmp, sizeof tmp, "jf_input") != 0)
        return -1;
    memset(deep, '[', 1001);
    memset(deep + 1001, ']', 1001);
    strcpy(deep + 2002, "\n");
    write_text("deep.json", deep);
    write_text("bad.json", "{\"name\": \"bad\", \"items\": 100, \"stages\": "
                           "[{\"name\": \"ab\xff\xfe\", \"kernel\": \"spin\", \"ns\": 100}]}\n");
    return 0;
}

static int teardown(void **state)
{
    bench_remove_tree(tmp);
    return 0;
}

/* A stage name of bytes FF FE used to pass and break result.json: now
 * neither a run nor validate accepts it, and nothing is written. */
static void test_bench_input_workload_must_be_utf8(void **state)
{
    bench_run_t r;

    run(&r, NULL, "--workload", "@bad.json", "--cores", "2", "--sim", "--no-history", "--out",
        "@never");
    expect_refusal(&r, "workload: ", "bad.json", ": stages[0].name: invalid UTF-8 at byte offset 2");
    assert_false(exists(in_tmp("never")));
    bench_run_fini(&r);
    run(&r, NULL, "validate", "@bad.json");
    expect_refusal(&r, "", "bad.json", ": stages[0].name: invalid UTF-8 at byte offset 2");
    bench_run_fini(&r);
}

/* Valid JSON one level deeper than cJSON takes, in each reader. */
static void test_bench_input_too_deep_is_named_everywhere(void **state)
{
    char *deep = bench_read_file(in_tmp("deep.json"));
    bench_run_t r;

    assert_non_null(deep);
    run(&r, NULL, "--workload", "@deep.json", "--cores", "2", "--sim", "--no-history");
    expect_refusal(&r, "workload: ", "deep.json", ": nested deeper than 1000 levels");
    bench_run_fini(&r);
    run(&r, deep, "allocate", "--workers", "2");
    expect_refusal(&r, "allocate: stdin: ", NULL, "nested deeper than 1000 levels");
    bench_run_fini(&r);
    run(&r, NULL, "compare", "@deep.json", "@deep.json");
    expect_refusal(&r, "compare: ", "deep.json", ": nested deeper than 1000 levels");
    bench_run_fini(&r);
    run(&r, NULL, "export", "--format", "bencher", "@deep.json");
    expect_refusal(&r, "export: ", "deep.json", ": nested deeper than 1000 levels");
    bench_run_fini(&r);
    assert_int_equal(mkdir(in_tmp("deepdir"), 0755), 0);
    write_text("deepdir/result.json", deep);
    run(&r, NULL, "report", "@deepdir");
    expect_refusal(&r, "report: ", "deepdir/result.json", ": nested deeper than 1000 levels");
    bench_run_fini(&r);
    free(deep);
}

/* allocate's stdin, compare's and export's results and report's traces:
 * each names the path and offset of the first ill-formed string. */
static void test_bench_input_readers_refuse_ill_formed_utf8(void **state)
{
    bench_run_t r;

    run(&r, "{\"stages\":[{\"name\":\"A\xff\",\"queue\":1,\"service_ns\":1}]}", "allocate",
        "--workers", "2");
    expect_refusal(&r, "allocate: stdin: ", NULL,
                   "stages[0].name: invalid UTF-8 at byte offset 1");
    bench_run_fini(&r);

    run(&r, NULL, "--workload", "bottleneck", "--cores", "2", "--sim", "--items", "200",
        "--strategy", "single", "--no-history", "--out", "@good");
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    edit_copy("good/result.json", "bad-result.json", "\"bottleneck\"", "\"bottle\xffneck\"");
    run(&r, NULL, "compare", "@good/result.json", "@bad-result.json");
    expect_refusal(&r, "compare: ", "bad-result.json",
                   ": workload.name: invalid UTF-8 at byte offset 6");
    bench_run_fini(&r);
    run(&r, NULL, "export", "--format", "bencher", "@bad-result.json");
    expect_refusal(&r, "export: ", "bad-result.json",
                   ": workload.name: invalid UTF-8 at byte offset 6");
    bench_run_fini(&r);

    edit_copy("good/single.trace.json", "good/single.trace.json", "\"stages\":[\"",
              "\"stages\":[\"\xff");
    run(&r, NULL, "report", "@good");
    expect_refusal(&r, "report: ", "good/single.trace.json",
                   ": otherData.stages[0]: invalid UTF-8 at byte offset 0");
    bench_run_fini(&r);
}

/* Arguments, paths and the names of files may hold any bytes; every JSON,
 * SVG and HTML document and every error line bench writes is UTF-8. */
static void test_bench_input_documents_written_are_utf8(void **state)
{
    static const char *const files[] = {"result.json", "index.html", "single.svg",
                                        "scheduled.svg", "single.trace.json"};
    bench_run_t r;
    cJSON *doc;
    char *text;

    run(&r, NULL, "--workload", "bottleneck", "--cores", "2", "--sim", "--items", "200",
        "--strategy", "single,scheduled", "--out", "@out\xff", "--history", "@h\xfe.jsonl",
        "--format", "json");
    if (r.status != 0)
        print_error("%s", r.err);
    assert_int_equal(r.status, 0);
    assert_utf8("stdout", r.out);
    bench_run_fini(&r);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char name[64];

        snprintf(name, sizeof name, "out\xff/%s", files[i]);
        text = bench_read_file(in_tmp(name));
        assert_utf8(files[i], text);
        free(text);
    }
    text = bench_read_file(in_tmp("out\xff/result.json"));
    doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_non_null(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "context"), "command")
                               ->valuestring,
                           "out" JF_UTF8_REPLACEMENT));
    cJSON_Delete(doc);
    free(text);
    text = bench_read_file(in_tmp("h\xfe.jsonl"));
    assert_utf8("history", text);
    free(text);

    run(&r, NULL, "compare", "@out\xff/result.json", "@out\xff/result.json", "--format", "json");
    assert_int_equal(r.status, 0);
    assert_utf8("compare --format json", r.out);
    bench_run_fini(&r);
    run(&r, NULL, "--workload", "@none\xff.json", "--cores", "2");
    assert_int_equal(r.status, 2);
    assert_true(bench_one_error_line(r.err));
    assert_utf8("error line", r.err);
    bench_run_fini(&r);
}

/* A history line that is not UTF-8 or nests too deep is a bad line: read
 * around, counted as skipped, like a partial one. */
static void test_bench_input_history_skips_lines_not_utf8(void **state)
{
    char why[128], *good, *bad, *text;
    bench_history_t h;
    bench_run_t r;
    FILE *f;

    run(&r, NULL, "--workload", "bottleneck", "--cores", "2", "--sim", "--items", "200",
        "--strategy", "single", "--out", "@hrun", "--history", "@one.jsonl");
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    good = bench_read_file(in_tmp("one.jsonl"));
    assert_non_null(good);
    write_text("one-line.jsonl", good);
    edit_copy("one-line.jsonl", "bad-line.jsonl", "\"bottleneck\"", "\"bottle\xffneck\"");
    bad = bench_read_file(in_tmp("bad-line.jsonl"));
    text = bench_read_file(in_tmp("deep.json"));
    f = fopen(in_tmp("mixed.jsonl"), "w");
    assert_non_null(f);
    fprintf(f, "%s%s%s%s", good, bad, text, good);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(bench_history_read(in_tmp("mixed.jsonl"), &h, why, sizeof why), 0);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.skipped, 2);
    bench_history_fini(&h);
    free(good);
    free(bad);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_input_workload_must_be_utf8),
        cmocka_unit_test(test_bench_input_too_deep_is_named_everywhere),
        cmocka_unit_test(test_bench_input_readers_refuse_ill_formed_utf8),
        cmocka_unit_test(test_bench_input_documents_written_are_utf8),
        cmocka_unit_test(test_bench_input_history_skips_lines_not_utf8),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
