/* fuzz_report_result.c - libFuzzer target: the result.json reader of `bench report`
 * (harness/report_index.c) and the report it writes from what it read. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>

#include "core/jf_alloc.h"
#include "jefferson/error.h"
#include "harness/report.h"
#include "jefferson/render.h"

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond))                                                                           \
            __builtin_trap();                                                                  \
    } while (0)

/* Every result that names a trace gets this one, so timelines are drawn. */
static const char trace_text[] =
    "{\"traceEvents\":[\n"
    "{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"cat\":\"batch\",\"name\":\"a\",\"ts\":1.000,"
    "\"dur\":2.500,\"args\":{\"stage\":0,\"items\":4,\"done\":4,\"kernel_ns\":2000}},\n"
    "{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"cat\":\"park\",\"name\":\"parked\",\"ts\":3.500,"
    "\"dur\":1.000,\"args\":{\"stage\":null}},\n"
    "{\"ph\":\"C\",\"pid\":1,\"tid\":2,\"cat\":\"queue\",\"name\":\"queue b\",\"stage\":1,"
    "\"ts\":4.000,\"args\":{\"depth\":3}}],\n"
    "\"otherData\":{\"jefferson_trace\":1,\"wall_ns\":6000,\"stages\":[\"a\",\"b\"],"
    "\"lanes\":[{\"core\":0,\"home_stage\":-1,\"events\":4,\"dropped\":0},"
    "{\"core\":1,\"home_stage\":1,\"events\":1,\"dropped\":0}]}}\n";

#define MAX_TRACES 65 /* report_index.c reads at most 64 results */

static char dir[64];
static int lax; /* JF_FUZZ_LAX is set: tolerate the open bugs of docs/fuzzing.md */
static jf_trace_t *trace;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Removes every file the report left in dir (names come from the input,
 * so they differ from one input to the next). */
static void empty_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    CHECK(d != NULL);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

static void cleanup(void)
{
    empty_dir();
    rmdir(dir);
    jf_trace_destroy(trace);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char path[96], why[JF_VIZ_WHY_MAX];
    FILE *f;

    snprintf(dir, sizeof dir, "%s/jf-fuzz-report.XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("fuzz_report_result: mkdtemp");
        exit(1);
    }
    snprintf(path, sizeof path, "%s/seed.trace.json", dir);
    f = fopen(path, "w");
    CHECK(f != NULL && fputs(trace_text, f) >= 0 && fclose(f) == 0);
    if (jf_viz_read_chrome_trace(path, &trace, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_report_result: built-in trace: %s\n", why);
        exit(1);
    }
    unlink(path);
    atexit(cleanup);
    lax = getenv("JF_FUZZ_LAX") != NULL;
    xmlInitParser();
    return 0;
}

/* `why` is one line (report.h); with JF_FUZZ_LAX set the line check is
 * skipped, to fuzz on past that open bug (docs/fuzzing.md). */
static void check_why(const char *why, size_t size)
{
    CHECK(why[0] != '\0' && strnlen(why, size) < size);
    if (!lax)
        CHECK(strpbrk(why, "\r\n") == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const jf_trace_t *traces[MAX_TRACES];
    char why[BENCH_REPORT_WHY_MAX];
    const char **names = NULL;
    size_t n = 0;
    long live = jf_alloc_live();
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    int err;

    if (doc == NULL)
        return 0;
    why[0] = '\0';
    err = bench_report_trace_names(doc, &names, &n, why, sizeof why);
    if (err != 0) {
        CHECK(err == JF_EPARSE || err == JF_ERANGE || err == JF_ENOMEM);
        check_why(why, sizeof why);
    } else {
        CHECK(n < MAX_TRACES);
        for (size_t i = 0; i < n; i++) {
            traces[i] = names[i] != NULL ? trace : NULL;
            if (names[i] != NULL)
                CHECK(strchr(names[i], '/') == NULL && names[i][0] != '.');
        }
    }
    free(names);
    why[0] = '\0';
    err = bench_report_write(doc, err == 0 ? traces : NULL, err == 0 ? n : 0, dir, why, sizeof why);
    if (err != 0) {
        /* JF_EIO: open bugs (docs/fuzzing.md), names the report cannot write. */
        CHECK(err == JF_EPARSE || err == JF_ERANGE || err == JF_ENOMEM || err == JF_EINVAL ||
              (lax && err == JF_EIO));
        check_why(why, sizeof why);
    }
    cJSON_Delete(doc);
    empty_dir();
    CHECK(jf_alloc_live() == live);
    return 0;
}
