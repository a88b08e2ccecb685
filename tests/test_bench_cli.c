/* test_bench_cli.c - the bench command from outside: exit codes, error lines,
 * and what it leaves on disk. Needs JF_BENCH (path of build/bench). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bench_run.h"
#include "test_env.h"
#include "workloads/workload.h"


#define MAX_ARGS 32

static char tmp[256];   /* per-run scratch directory */
static const char *bench;

static const char tiny[] =
    "{\"name\": \"tiny\", \"items\": 2000, \"stages\": ["
    "{\"name\": \"a\", \"kernel\": \"spin\", \"ns\": 200},"
    "{\"name\": \"b\", \"kernel\": \"spin\", \"ns\": 200},"
    "{\"name\": \"c\", \"kernel\": \"spin\", \"ns\": 200}]}\n";

static const char failing[] =
    "{\"name\": \"failing\", \"items\": 2000, \"stages\": ["
    "{\"name\": \"parse\", \"kernel\": \"spin\", \"ns\": 200},"
    "{\"name\": \"enrich\", \"kernel\": \"fail\", \"ns\": 200, \"fail_at\": 123},"
    "{\"name\": \"write\", \"kernel\": \"spin\", \"ns\": 200}]}\n";

static const char allocate_in[] =
    "{\"stages\":[{\"name\":\"A\",\"queue\":3,\"service_ns\":[1,1],\"done\":false},"
    "{\"name\":\"B\",\"queue\":0,\"service_ns\":5,\"done\":false}]}";

static char *path_in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

static void write_file(const char *path, const char *text)
{
    assert_int_equal(bench_write_file(path, text), 0);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Runs bench with args (NULL-terminated; "@name" stands for <tmp>/name),
 * stdin from `input` (NULL: empty), capturing stdout and stderr in files. */
static void run_argv(bench_run_t *r, const char *input, const char *const *args)
{
    char *argv[MAX_ARGS] = {(char *)bench};
    int argc = 1;

    for (; args[argc - 1]; argc++) {
        const char *a = args[argc - 1];
        assert_true(argc < MAX_ARGS - 1);
        argv[argc] = strdup(a[0] == '@' ? path_in_tmp(a + 1) : a);
    }
    write_file(path_in_tmp("stdin"), input ? input : "");
    assert_int_equal(bench_spawn_in(r, tmp, bench, argv, NULL, path_in_tmp("stdin")), 0);
    for (int i = 1; i < argc; i++)
        free(argv[i]);
}

#define run(r, input, ...) run_argv((r), (input), (const char *const[]){__VA_ARGS__, NULL})

/* Exactly one line on stderr, "bench: ...". */
static void assert_one_error_line(const bench_run_t *r)
{
    if (!bench_one_error_line(r->err))
        fail_msg("stderr is not one \"bench: \" line: \"%s\"", r->err);
}

/* Neither <tmp>/<name> nor a temporary sibling <name>.tmp.* / .old.* exists. */
static void assert_nothing_left(const char *name)
{
    size_t len = strlen(name);
    struct dirent *e;
    DIR *d;

    assert_false(exists(path_in_tmp(name)));
    d = opendir(tmp);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, name, len) == 0 && e->d_name[len] == '.') {
            print_error("left behind: %s\n", e->d_name);
            fail();
        }
    closedir(d);
}

static int setup(void **state)
{
    if (bench_test_setup(&bench, tmp, sizeof tmp, "jf_cli") != 0)
        return -1;
    write_file(path_in_tmp("tiny.json"), tiny);
    write_file(path_in_tmp("failing.json"), failing);
    write_file(path_in_tmp("unparsable.json"), "{\"name\": \"x\", \"items\": ");
    write_file(path_in_tmp("schema.json"), "{\"name\": \"x\", \"items\": 0, \"stages\": "
                                           "[{\"name\": \"a\", \"kernel\": \"spin\"}]}");
    return 0;
}

static int teardown(void **state)
{
    bench_remove_tree(tmp);
    return 0;
}

/* Each case must be refused with exit 2 and one error line before anything
 * is written; "--out @out" is appended. */
static const char *const usage_cases[][12] = {
    {"--workload", "@tiny.json", "--cores", "0"},
    {"--workload", "@tiny.json", "--cores", "abc"},
    {"--workload", "@tiny.json", "--cores", "-1"},
    {"--workload", "@tiny.json", "--cores", "9999"},
    {"--workload", "no-such-workload", "--cores", "1"},
    {"--workload", "@tiny.json", "--cores", "1", "--strategy", "foo"},
    {"--workload", "@tiny.json", "--cores", "1", "--strategy", "single,"},
    {"--workload", "@tiny.json", "--cores", "1", "--policy", "foo"},
    {"--workload", "@tiny.json", "--cores", "1", "--repeat", "0"},
    {"--workload", "@tiny.json", "--cores", "1", "--repeat", "-1"},
    {"--workload", "@tiny.json", "--cores", "1", "--repeat", "x"},
    {"--workload", "@tiny.json", "--cores", "1", "--repeat", "3.5"},
    {"--workload", "@tiny.json", "--cores", "1", "--repeat="},
    {"--workload", "@tiny.json", "--cores", "1", "--warmup", "-1"},
    {"--workload", "@tiny.json", "--cores", "1", "--seed", "-1"},
    {"--workload", "@tiny.json", "--cores", "1", "--seed", "1e3"},
    {"--workload", "@tiny.json", "--cores", "1", "--seed", "18446744073709551616"},
    {"--workload", "@tiny.json", "--cores", "1", "--items", "-5"},
    {"--workload", "@tiny.json", "--cores", "1", "--batch", "x"},
    {"--workload", "@tiny.json", "--cores", "1", "--no-baseline=yes"},
    {"--workload", "@tiny.json", "--cores", "1", "--format", "markdown", "--format", "html"},
    {"--workload", "@tiny.json", "--cores", "1", "--batch", "0"},
    {"--workload", "@tiny.json", "--cores", "1", "--batch", "65537"},
    {"--workload", "@tiny.json", "--cores", "1", "--items", "0"},
    {"--workload", "@tiny.json", "--cores", "1", "--format", "xml"},
    {"--cores", "1"},
    {"--workload", "@tiny.json", "--frob"},
    {"--workload", "@tiny.json", "--cores=1", "--force=yes"},
    {"--workload", "@tiny.json", "stray"},
    {"--workload", "@unparsable.json", "--cores", "1"},
    {"--workload", "@schema.json", "--cores", "1"},
    {"--workload", "@missing.json", "--cores", "1"},
    {"frobnicate"},
};

static void test_bench_cli_usage_errors(void **state)
{
    for (size_t c = 0; c < sizeof usage_cases / sizeof usage_cases[0]; c++) {
        const char *args[18] = {NULL};
        bench_run_t r;
        int n = 0;

        while (n < 12 && usage_cases[c][n]) {
            args[n] = usage_cases[c][n];
            n++;
        }
        args[n++] = "--out";
        args[n++] = "@out";
        run_argv(&r, NULL, args);
        if (r.status != 2)
            print_error("case %zu (%s %s): exit %d, stderr \"%s\"\n", c, args[0], args[1],
                        r.status, r.err);
        assert_int_equal(r.status, 2);
        assert_one_error_line(&r);
        assert_string_equal(r.out, "");
        assert_nothing_left("out");
        bench_run_fini(&r);
    }
}

static void test_bench_cli_messages_name_the_problem(void **state)
{
    bench_run_t r;

    run(&r, NULL, "--workload", "@tiny.json", "--cores", "abc", "--out", "@out");
    assert_non_null(strstr(r.err, "bench: --cores: expected an integer from 1 to "));
    assert_non_null(strstr(r.err, "got \"abc\""));
    bench_run_fini(&r);
    run(&r, NULL, "--workload", "@tiny.json", "--strategy", "foo", "--out", "@out");
    assert_string_equal(r.err, "bench: --strategy: unknown strategy \"foo\" "
                               "(single, per-stage, n-per-stage, scheduled, tbb, omp, all)\n");
    bench_run_fini(&r);
    run(&r, NULL, "--cores", "1", "--frob");
    assert_string_equal(r.err, "bench: unknown option --frob\n");
    bench_run_fini(&r);
    run(&r, NULL, "--cores", "1");
    assert_string_equal(r.err, "bench: --workload: missing (see bench --help)\n");
    bench_run_fini(&r);
    run(&r, NULL, "--workload", "@schema.json");
    assert_memory_equal(r.err, "bench: workload: ", 17);
    bench_run_fini(&r);
}

/* --items has the limit of a workload file's "items" (checked before the
 * workload is looked for, so an accepted value could not start a run). */
static void test_bench_cli_items_limit_of_workloads(void **state)
{
    char want[128];
    bench_run_t r;

    snprintf(want, sizeof want, "bench: --items: expected an integer from 1 to %llu, got "
             "\"%llu\"\n", (unsigned long long)WORKLOAD_MAX_ITEMS,
             (unsigned long long)WORKLOAD_MAX_ITEMS + 1);
    run(&r, NULL, "--workload", "@missing.json", "--items", "1000000001");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, want);
    bench_run_fini(&r);
    write_file(path_in_tmp("huge.json"), "{\"name\": \"huge\", \"items\": 1000000001, "
               "\"stages\": [{\"name\": \"a\", \"kernel\": \"spin\"}]}");
    run(&r, NULL, "validate", "@huge.json");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "items: expected an integer <= 1000000000"));
    bench_run_fini(&r);
}

/* An option given twice is refused by every command, whichever way it is
 * written: the last one winning would silently drop the first. */
static const struct {
    const char *option;
    const char *args[10];
} twice_cases[] = {
    {"workload", {"--workload", "@tiny.json", "--workload", "bottleneck"}},
    {"cores", {"--workload", "@tiny.json", "--cores", "1", "--cores=2"}},
    {"policy", {"--workload", "@tiny.json", "--policy", "adams", "--policy", "adams"}},
    {"strategy", {"--workload", "@tiny.json", "--strategy", "single", "--strategy", "tbb"}},
    {"items", {"--workload", "@tiny.json", "--items", "10", "--items", "20"}},
    {"sim", {"--workload", "@tiny.json", "--sim", "--sim"}},
    {"force", {"--workload", "@tiny.json", "--force", "--force"}},
    {"out", {"--workload", "@tiny.json", "--out", "@a", "--out", "@b"}},
    {"threshold", {"compare", "@x.json", "@y.json", "--threshold", "5", "--threshold", "6"}},
    {"format", {"export", "--format", "bencher", "--format", "bencher", "@x.json"}},
    {"history", {"trend", "--history", "@h1", "--history", "@h2"}},
    {"workers", {"allocate", "--workers", "2", "--workers", "3"}},
    {"policy", {"allocate", "--policy", "dhondt", "--workers", "2", "--policy", "adams"}},
    {"cores", {"topology", "--cores", "1", "--cores", "1"}},
    {"help", {"--help", "--help"}},
};

static void test_bench_cli_repeated_option(void **state)
{
    for (size_t c = 0; c < sizeof twice_cases / sizeof twice_cases[0]; c++) {
        char want[64];
        bench_run_t r;

        run_argv(&r, NULL, twice_cases[c].args);
        snprintf(want, sizeof want, "bench: --%s: given twice\n", twice_cases[c].option);
        if (r.status != 2 || strcmp(r.err, want) != 0)
            print_error("case %zu: exit %d, stderr \"%s\"\n", c, r.status, r.err);
        assert_int_equal(r.status, 2);
        assert_string_equal(r.err, want);
        assert_string_equal(r.out, "");
        bench_run_fini(&r);
    }
    assert_nothing_left("a");
    assert_nothing_left("b");
}

static void test_bench_cli_out_parent_must_exist(void **state)
{
    bench_run_t r;

    run(&r, NULL, "--workload", "@tiny.json", "--out", "@no/such/out");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_false(exists(path_in_tmp("no")));
    bench_run_fini(&r);
    write_file(path_in_tmp("afile"), "x");
    run(&r, NULL, "--workload", "@tiny.json", "--out", "@afile", "--force");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
    run(&r, NULL, "--workload", "@tiny.json", "--out", "@afile");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_non_null(strstr(r.err, "not a directory"));
    bench_run_fini(&r);
    unlink(path_in_tmp("afile"));
}

/* A parent the process cannot write in: a read-only directory for users;
 * root writes anywhere permissions allow, so /sys (which takes no new
 * directories) stands in for it. Exit 2 before anything runs. */
static void test_bench_cli_out_parent_unwritable(void **state)
{
    bench_run_t r;

    if (geteuid() != 0) {
        assert_int_equal(mkdir(path_in_tmp("ro"), 0555), 0);
        run(&r, NULL, "--workload", "@tiny.json", "--strategy", "single", "--repeat", "1",
            "--out", "@ro/out");
        assert_int_equal(r.status, 2);
        assert_one_error_line(&r);
        assert_false(exists(path_in_tmp("ro/out")));
        bench_run_fini(&r);
        rmdir(path_in_tmp("ro"));
        return;
    }
    if (!exists("/sys/kernel")) /* not Linux sysfs: nothing read-only to try */
        skip();
    run(&r, NULL, "--workload", "@tiny.json", "--strategy", "single", "--repeat", "1", "--out",
        "/sys/jf_cli_test_out");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_string_equal(r.out, "");
    assert_false(exists("/sys/jf_cli_test_out"));
    bench_run_fini(&r);
}

/* A directory that is neither empty nor holds results is never replaced:
 * the same line with and without --force, naming why. */
static void test_bench_cli_out_unrelated_directory(void **state)
{
    const char *force[] = {NULL, "--force"};
    char want[512];
    bench_run_t r;

    assert_int_equal(mkdir(path_in_tmp("mine"), 0777), 0);
    write_file(path_in_tmp("mine/notes.txt"), "keep me");
    snprintf(want, sizeof want, "bench: --out: \"%s\" is not empty and holds no result.json; it "
             "is never replaced, not even with --force\n", path_in_tmp("mine"));
    for (int i = 0; i < 2; i++) {
        run(&r, NULL, "--workload", "@tiny.json", "--strategy", "single", "--repeat", "1",
            "--no-history", "--out", "@mine", force[i]);
        assert_int_equal(r.status, 2);
        assert_string_equal(r.err, want);
        assert_true(exists(path_in_tmp("mine/notes.txt")));
        bench_run_fini(&r);
    }
    bench_remove_tree(path_in_tmp("mine"));
}

/* report DIR redraws into DIR: one the process cannot write in is named
 * as such (exit 2), and DIR is left as it was. Root writes in read-only
 * directories, and report needs a result.json there, so there is nothing
 * to try as root. */
static void test_bench_cli_report_unwritable(void **state)
{
    char want[512];
    bench_run_t r;

    if (geteuid() == 0) {
        print_message("skipped: root writes in read-only directories; run the tests as a "
                      "user to check report into one\n");
        skip();
    }
    run(&r, NULL, "--workload", "@tiny.json", "--strategy", "single", "--repeat", "1",
        "--no-history", "--out", "@ro");
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    char *before = bench_read_file(path_in_tmp("ro/index.html"));
    assert_non_null(before);
    assert_int_equal(chmod(path_in_tmp("ro"), 0555), 0);
    run(&r, NULL, "report", "@ro");
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "bench: report: cannot write in \"%s\": Permission denied\n",
             path_in_tmp("ro"));
    assert_string_equal(r.err, want);
    char *after = bench_read_file(path_in_tmp("ro/index.html"));
    assert_string_equal(after, before);
    free(before);
    free(after);
    bench_run_fini(&r);
    chmod(path_in_tmp("ro"), 0755);
    bench_remove_tree(path_in_tmp("ro"));
}

static void test_bench_cli_help_and_version(void **state)
{
    bench_run_t r;

    run(&r, NULL, "--help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Usage: bench"));
    assert_string_equal(r.err, "");
    bench_run_fini(&r);
    run(&r, NULL, "--version");
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "bench (jefferson) ", 18);
    bench_run_fini(&r);
}

/* `bench help` is `bench --help`. */
static void test_bench_cli_help_command(void **state)
{
    bench_run_t help, r;

    run(&help, NULL, "--help");
    run(&r, NULL, "help");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, help.out);
    assert_string_equal(r.err, "");
    bench_run_fini(&r);
    bench_run_fini(&help);
    run(&r, NULL, "help", "frob");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "bench: help: unexpected argument \"frob\"\n");
    bench_run_fini(&r);
}

#define MAX_OPTIONS 64

/* The distinct "--name" tokens of text, as offsets into it, in *n. */
static void option_tokens(const char *text, const char *tokens[MAX_OPTIONS], size_t len[],
                          size_t *n)
{
    for (const char *p = strstr(text, "--"); p; p = strstr(p + 2, "--")) {
        size_t l = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
        bool seen = l == 2;
        for (size_t i = 0; i < *n && !seen; i++)
            seen = len[i] == l && memcmp(tokens[i], p, l) == 0;
        if (!seen) {
            assert_true(*n < MAX_OPTIONS);
            tokens[*n] = p;
            len[(*n)++] = l;
        }
    }
}

/* Every option of one text is an option of the other. */
static void assert_same_options(const char *a, const char *b)
{
    const char *ta[MAX_OPTIONS], *tb[MAX_OPTIONS];
    size_t la[MAX_OPTIONS], lb[MAX_OPTIONS], na = 0, nb = 0;

    option_tokens(a, ta, la, &na);
    option_tokens(b, tb, lb, &nb);
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t j = 0; j < nb && !found; j++)
            found = la[i] == lb[j] && memcmp(ta[i], tb[j], la[i]) == 0;
        if (!found)
            fail_msg("%.*s is in one and not the other", (int)la[i], ta[i]);
    }
    assert_int_equal(na, nb);
}

/* The lines of --help that name options: the synopsis and the option list
 * (not the prose, where "--option=value" stands for any option). */
static char *help_option_lines(const char *help)
{
    char *out = calloc(strlen(help) + 1, 1);
    const char *line = help;

    assert_non_null(out);
    while (*line) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, "  --", 4) == 0 || strstr(line, "bench ") != NULL)
            strncat(out, line, len + (line[len] == '\n'));
        line += len + (line[len] == '\n');
    }
    return out;
}

/* The README's synopsis: the indented block after "## Commands". */
static char *readme_synopsis(void)
{
    char *readme = bench_read_file("README.md"), *start, *end;

    assert_non_null(readme);
    start = strstr(readme, "## Commands\n\n    ");
    assert_non_null(start);
    start += strlen("## Commands\n\n");
    for (end = start; *end == ' ' || *end == '\n';)
        end = strchr(end, '\n') + 1;
    *end = '\0';
    memmove(readme, start, (size_t)(end - start) + 1);
    return readme;
}

/* The README's synopsis and `bench --help` name the same options. */
static void test_bench_cli_readme_synopsis_matches_help(void **state)
{
    bench_run_t r;

    run(&r, NULL, "--help");
    char *help = help_option_lines(r.out), *synopsis = readme_synopsis();
    assert_same_options(help, synopsis);
    /* What has a default is optional. */
    assert_non_null(strstr(synopsis, "--workload NAME|FILE [--cores N]"));
    assert_non_null(strstr(synopsis, "allocate [--policy P] --workers W"));
    free(help);
    free(synopsis);
    bench_run_fini(&r);
}

static void test_bench_cli_allocate(void **state)
{
    bench_run_t r;

    run(&r, allocate_in, "allocate", "--policy", "dhondt", "--workers", "2");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"allocation\":{\"A\":2,\"B\":0}}\n");
    bench_run_fini(&r);
    run(&r, "{\"stages\":[{\"name\":\"A\",\"queue\":0,\"service_ns\":1,\"done\":true}]}",
        "allocate", "--workers=4");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"allocation\":null}\n");
    bench_run_fini(&r);
    run(&r, "{\"stages\":[{\"name\":\"A\",\"queue\":-1,\"service_ns\":1}]}", "allocate",
        "--workers", "2");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "bench: allocate: stages[0].queue: expected an integer >= 0\n");
    bench_run_fini(&r);
    run(&r, "{\"stages\":", "allocate", "--workers", "2");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
}

static void test_bench_cli_list_and_validate(void **state)
{
    bench_run_t r;

    run(&r, NULL, "list");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "scheduled"));
    assert_non_null(strstr(r.out, "dhondt"));
    assert_non_null(strstr(r.out, "bottleneck")); /* found through JF_WORKLOADS */
    bench_run_fini(&r);
    run(&r, NULL, "validate", "@tiny.json");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "ok "));
    bench_run_fini(&r);
    run(&r, NULL, "validate", "@tiny.json", "@schema.json");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
}

/* validate finds a workload by name as --workload does. */
static void test_bench_cli_validate_by_name(void **state)
{
    bench_run_t r;

    run(&r, NULL, "validate", "bottleneck", "@tiny.json");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "ok bottleneck\n"));
    assert_string_equal(r.err, "");
    bench_run_fini(&r);
    run(&r, NULL, "validate", "no-such-workload");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    assert_memory_equal(r.err, "bench: workload \"no-such-workload\": not found in ", 49);
    assert_string_equal(r.out, "");
    bench_run_fini(&r);
}

static void check_result_file(const char *dir)
{
    char path[600];
    cJSON *doc, *results, *res;

    snprintf(path, sizeof path, "%s/result.json", dir);
    char *text = bench_read_file(path);
    assert_non_null(text);
    doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "schema")->valuestring, "jefferson.result/1");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(doc, "interrupted")));
    results = cJSON_GetObjectItem(doc, "results");
    assert_int_equal(cJSON_GetArraySize(results), TEST_ALL_STRATEGIES);
    cJSON_ArrayForEach(res, results) {
        const char *files[] = {"svg", "trace"};
        assert_int_equal(cJSON_GetObjectItem(res, "items_in")->valuedouble, 2000);
        assert_int_equal(cJSON_GetObjectItem(res, "items_out")->valuedouble, 2000);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "order_preserved")));
        for (int i = 0; i < 2; i++) {
            const cJSON *f = cJSON_GetObjectItem(res, files[i]);
            assert_true(cJSON_IsString(f));
            snprintf(path, sizeof path, "%s/%s", dir, f->valuestring);
            assert_true(exists(path));
        }
    }
    cJSON_Delete(doc);
}

static void test_bench_cli_tiny_run(void **state)
{
    bench_run_t r;
    cJSON *doc;

    run(&r, NULL, "--workload", "@tiny.json", "--strategy", "all", "--cores", "2", "--repeat",
        "1", "--no-history", "--out", "@r", "--format", "json");
    if (r.status != 0)
        print_error("stderr: %s\n", r.err);
    assert_int_equal(r.status, 0);
    doc = cJSON_Parse(r.out);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "results")),
                     TEST_ALL_STRATEGIES);
    cJSON_Delete(doc);
    bench_run_fini(&r);
    check_result_file(path_in_tmp("r"));

    /* An existing directory is kept unless --force. */
    run(&r, NULL, "--workload", "@tiny.json", "--strategy", "single", "--repeat", "1", "--out",
        "@r");
    assert_int_equal(r.status, 2);
    assert_one_error_line(&r);
    bench_run_fini(&r);
    check_result_file(path_in_tmp("r"));
    run(&r, NULL, "--workload", "@tiny.json", "--strategy", "single", "--repeat", "1", "--out",
        "@r/", "--force", "--no-trace", "--no-history");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "results: "));
    assert_false(exists(path_in_tmp("r/scheduled.svg")));
    assert_true(exists(path_in_tmp("r/result.json")));
    bench_run_fini(&r);
    bench_remove_tree(path_in_tmp("r"));
    assert_nothing_left("r");
}

/* Whether the document at <tmp>/<dir>/result.json has a warning that
 * starts with prefix. */
static bool result_warns(const char *dir, const char *prefix)
{
    char path[600];

    snprintf(path, sizeof path, "%s/%s/result.json", tmp, dir);
    char *text = bench_read_file(path);
    cJSON *doc = text ? cJSON_Parse(text) : NULL, *w;
    bool found = false;

    free(text);
    assert_non_null(doc);
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(doc, "warnings"))
        found |= strncmp(w->valuestring, prefix, strlen(prefix)) == 0;
    cJSON_Delete(doc);
    return found;
}

/* A simulated run of tiny.json into <tmp>/w with args; then whether a
 * warning starting with `option` was printed (one line, "bench: warning: ")
 * and kept in result.json, as `warned` says it must be. */
static void check_warning(const char *option, bool warned, const char *const *args)
{
    const char *argv[24] = {"--workload", "@tiny.json", "--sim", "--no-trace", "--no-history",
                            "--format", "json", "--out", "@w"};
    char line[64];
    bench_run_t r;
    int n = 9;

    for (; *args; args++)
        argv[n++] = *args;
    run_argv(&r, NULL, argv);
    snprintf(line, sizeof line, "bench: warning: %s", option);
    if (r.status != 0 || (strstr(r.err, line) != NULL) != warned)
        print_error("%s: exit %d, stderr \"%s\"\n", option, r.status, r.err);
    assert_int_equal(r.status, 0);
    assert_int_equal(strstr(r.err, line) != NULL, warned);
    assert_int_equal(result_warns("w", option), warned);
    if (warned)
        assert_non_null(strchr(strstr(r.err, line), '\n'));
    bench_run_fini(&r);
    bench_remove_tree(path_in_tmp("w"));
}

#define WARNS(option, warned, ...) \
    check_warning((option), (warned), (const char *const[]){__VA_ARGS__, NULL})

/* An option that changes nothing about the strategies run is not ignored
 * silently: it gets a warning, on stderr and in result.json. */
static void test_bench_cli_ineffective_option_warns(void **state)
{
    bench_run_t r;

    WARNS("--policy adams: ", true, "--strategy", "per-stage,single", "--policy", "adams");
    WARNS("--policy", false, "--strategy", "scheduled", "--policy", "adams");
    WARNS("--no-baseline: ", true, "--strategy", "single,scheduled", "--no-baseline");
    WARNS("--no-baseline", false, "--strategy", "scheduled", "--no-baseline");
    WARNS("--cores 2: ", true, "--strategy", "single", "--cores", "2");
    WARNS("--cores", false, "--strategy", "single,per-stage", "--cores", "2");
    WARNS("--warmup: ", true, "--strategy", "scheduled", "--warmup", "1");
    /* --confirm reruns a suspected regression: a simulation reruns exactly. */
    run(&r, NULL, "--workload", "@tiny.json", "--sim", "--strategy", "scheduled",
        "--no-baseline", "--no-trace", "--no-history", "--out", "@base");
    assert_int_equal(r.status, 0);
    bench_run_fini(&r);
    WARNS("--confirm: ", true, "--strategy", "scheduled", "--no-baseline", "--compare",
          "@base/result.json", "--confirm", "2");
    bench_remove_tree(path_in_tmp("base"));
}

static void test_bench_cli_failing_kernel(void **state)
{
    bench_run_t r;

    run(&r, NULL, "--workload", "@failing.json", "--cores", "2", "--repeat", "1", "--out",
        "@f");
    assert_int_equal(r.status, 1);
    assert_one_error_line(&r);
    assert_non_null(strstr(r.err, "stage \"enrich\""));
    assert_non_null(strstr(r.err, "item 123"));
    assert_nothing_left("f");
    bench_run_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_cli_usage_errors),
        cmocka_unit_test(test_bench_cli_messages_name_the_problem),
        cmocka_unit_test(test_bench_cli_repeated_option),
        cmocka_unit_test(test_bench_cli_items_limit_of_workloads),
        cmocka_unit_test(test_bench_cli_out_parent_must_exist),
        cmocka_unit_test(test_bench_cli_out_parent_unwritable),
        cmocka_unit_test(test_bench_cli_out_unrelated_directory),
        cmocka_unit_test(test_bench_cli_report_unwritable),
        cmocka_unit_test(test_bench_cli_help_and_version),
        cmocka_unit_test(test_bench_cli_help_command),
        cmocka_unit_test(test_bench_cli_readme_synopsis_matches_help),
        cmocka_unit_test(test_bench_cli_allocate),
        cmocka_unit_test(test_bench_cli_list_and_validate),
        cmocka_unit_test(test_bench_cli_validate_by_name),
        cmocka_unit_test(test_bench_cli_tiny_run),
        cmocka_unit_test(test_bench_cli_ineffective_option_warns),
        cmocka_unit_test(test_bench_cli_failing_kernel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
