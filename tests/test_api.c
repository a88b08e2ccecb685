/* test_api.c - the public API as a program outside the tree sees it: jefferson/jefferson.h only. */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "jefferson/jefferson.h"

#define NITEMS 3000

/* A stage of the user's own: adds its ctx to the number in the payload. */
static int add_stage(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    uint64_t v;

    memcpy(&v, in->payload, sizeof v);
    v += (uint64_t)(uintptr_t)ctx;
    memcpy(out->payload, &v, sizeof v);
    return 0;
}

static int source(void *ctx, jf_item_t *item)
{
    memcpy(item->payload, &item->seq, sizeof item->seq);
    return 0;
}

/* Every item arrives with seq + 1 + 2 + 3 and in order; counts them. */
static int sink(void *ctx, const jf_item_t *item)
{
    uint64_t v, *seen = ctx;

    memcpy(&v, item->payload, sizeof v);
    if (v != item->seq + 6 || item->seq != *seen)
        return 1;
    (*seen)++;
    return 0;
}

/* Runs three user stages under `strategy` with tracing into *result. */
static void run_three(jf_strategy_t strategy, uint64_t *seen, jf_run_result_t *result)
{
    const jf_stage_spec_t stages[] = {
        {.name = "one", .fn = add_stage, .ctx = (void *)1},
        {.name = "two", .fn = add_stage, .ctx = (void *)2},
        {.name = "three", .fn = add_stage, .ctx = (void *)3},
    };
    jf_run_options_t opt = {.strategy = strategy, .policy = JF_POLICY_DHONDT, .cores = 2,
                            .items = NITEMS, .trace = true, .source = source,
                            .sink = sink, .sink_ctx = seen};
    jf_pipeline_t *p = NULL;

    *seen = 0;
    assert_int_equal(jf_pipeline_create(stages, 3, &opt, &p), 0);
    assert_int_equal(jf_pipeline_run(p, result), 0);
    jf_pipeline_destroy(p);
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    buf = calloc((size_t)n + 1, 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

static void remove_tree(const char *dir)
{
    char cmd[256];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The runtime version is the headers' (the library and the headers agree). */
static void test_api_version_matches_headers(void **state)
{
    char want[32];

    snprintf(want, sizeof want, "%d.%d.%d", JF_VERSION_MAJOR, JF_VERSION_MINOR,
             JF_VERSION_PATCH);
    assert_string_equal(jf_version(), want);
    assert_string_equal(JF_VERSION_STRING, want);
    assert_int_equal(JF_VERSION_HEX,
                     (JF_VERSION_MAJOR << 16) | (JF_VERSION_MINOR << 8) | JF_VERSION_PATCH);
}

/* Every error code has its own message and name. */
static void test_api_every_error_has_a_message(void **state)
{
#define XX(name, code, msg)                                                  \
    assert_string_equal(jf_strerror(JF_E##name), msg);                       \
    assert_string_equal(jf_err_name(JF_E##name), "JF_E" #name);
    JF_ERRNO_MAP(XX)
#undef XX
    assert_string_equal(jf_strerror(-12345), "unknown error");
}

/* One run of the user's own stages becomes a page: index.html (naming the
 * workload, the timeline and the host) and timeline.svg, nothing else left
 * in the directory. */
static void test_api_write_html_single_run(void **state)
{
    char dir[] = "/tmp/jf-api-XXXXXX", path[64];
    jf_run_result_t result = {0};
    jf_viz_meta_t meta = {.workload = "three-adds", .strategy = "scheduled",
                          .policy = "dhondt", .cores = 2, .efficiency = -1};
    uint64_t seen;
    char *html, *svg, host[256];

    run_three(JF_STRATEGY_SCHEDULED, &seen, &result);
    assert_int_equal(seen, NITEMS);
    assert_true(result.order_preserved);
    assert_non_null(mkdtemp(dir));
    assert_int_equal(jf_viz_write_html(&result, &meta, dir), 0);
    assert_int_equal(entries(dir), 2);
    snprintf(path, sizeof path, "%s/index.html", dir);
    html = slurp(path);
    snprintf(path, sizeof path, "%s/timeline.svg", dir);
    svg = slurp(path);
    assert_non_null(strstr(html, "three-adds"));
    assert_int_equal(gethostname(host, sizeof host), 0);
    host[sizeof host - 1] = '\0';
    assert_non_null(strstr(html, host)); /* where it ran, in the provenance line */
    assert_non_null(strstr(html, "timeline.svg"));
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "three"));
    free(html);
    free(svg);
    jf_run_result_fini(&result);
    remove_tree(dir);
}

/* No trace, no page: JF_EINVAL and nothing written. */
static void test_api_write_html_needs_a_trace(void **state)
{
    char dir[] = "/tmp/jf-api-XXXXXX";
    jf_run_result_t result = {.wall_ns = 1, .threads = 1};

    assert_non_null(mkdtemp(dir));
    assert_int_equal(jf_viz_write_html(&result, NULL, dir), JF_EINVAL);
    assert_int_equal(jf_viz_write_html(NULL, NULL, dir), JF_EINVAL);
    assert_int_equal(entries(dir), 0);
    remove_tree(dir);
}

/* A directory that does not exist: JF_EIO, and the result is still whole. */
static void test_api_write_html_missing_dir(void **state)
{
    jf_run_result_t result = {0};
    uint64_t seen;

    run_three(JF_STRATEGY_PER_STAGE, &seen, &result);
    assert_int_equal(jf_viz_write_html(&result, NULL, "/nonexistent/jf-api"), JF_EIO);
    jf_run_result_fini(&result);
}

typedef struct svg_job {
    const jf_trace_t *trace;
    char path[64];
    int err;
} svg_job_t;

static void *write_svg(void *arg)
{
    svg_job_t *job = arg;

    job->err = jf_viz_write_svg(job->trace, NULL, job->path);
    return NULL;
}

/* A program's threads may draw at once, each its own file, without
 * initialising anything first (the first write is one of them). */
static void test_api_write_svg_from_threads(void **state)
{
    enum { THREADS = 4 };
    char dir[] = "/tmp/jf-api-XXXXXX";
    jf_run_result_t result = {0};
    pthread_t threads[THREADS];
    svg_job_t jobs[THREADS];
    uint64_t seen;

    run_three(JF_STRATEGY_N_PER_STAGE, &seen, &result);
    assert_non_null(mkdtemp(dir));
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (svg_job_t){.trace = result.trace, .err = -1};
        snprintf(jobs[i].path, sizeof jobs[i].path, "%s/%d.svg", dir, i);
        assert_int_equal(pthread_create(&threads[i], NULL, write_svg, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(jobs[i].err, 0);
    }
    assert_int_equal(entries(dir), THREADS);
    jf_run_result_fini(&result);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_version_matches_headers),
        cmocka_unit_test(test_api_every_error_has_a_message),
        cmocka_unit_test(test_api_write_svg_from_threads),
        cmocka_unit_test(test_api_write_html_single_run),
        cmocka_unit_test(test_api_write_html_needs_a_trace),
        cmocka_unit_test(test_api_write_html_missing_dir),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
