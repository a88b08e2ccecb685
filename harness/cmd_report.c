/* cmd_report.c - bench report DIR: redraw the timelines and index.html from saved results. */
#include "commands.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "jefferson/error.h"
#include "diag.h"
#include "outdir.h"
#include "report.h"
#include "jefferson/render.h"
#include "workloads/json_input.h"

#define MAX_RESULT_BYTES (64u << 20)
#define PATH_LEN 4352

/* The saved run being redrawn. */
typedef struct saved {
    const char *dir;
    cJSON *doc;
    const char **names;   /* trace file of each result, or NULL */
    size_t n;
    jf_trace_t **traces;  /* [n] */
} saved_t;

/* Bad input is exit 2; a machine that ran out of memory or a failed read is 1. */
static int status_of(int err)
{
    return err == JF_ENOMEM ? BENCH_EXIT_FAILED : BENCH_EXIT_USAGE;
}

static int read_doc(saved_t *s)
{
    char path[PATH_LEN];
    struct stat st;
    char *text;
    FILE *f;
    size_t got;

    snprintf(path, sizeof path, "%s/scaling.json", s->dir);
    if (access(path, F_OK) == 0) /* a scaling run: each count is a run of its own */
        return bench_diag_fail(BENCH_EXIT_USAGE, "report: %s: a scaling run (scaling.json): redraw "
                            "each count's report with bench report %s/cores-N", s->dir, s->dir);
    snprintf(path, sizeof path, "%s/result.json", s->dir);
    f = fopen(path, "rb");
    if (f == NULL)
        return bench_diag_fail(BENCH_EXIT_USAGE, "report: %s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_RESULT_BYTES) {
        fclose(f);
        return bench_diag_fail(BENCH_EXIT_USAGE, "report: %s: not a regular file of at most 64 MiB",
                            path);
    }
    text = malloc((size_t)st.st_size + 1);
    if (text == NULL) {
        fclose(f);
        return bench_diag_fail(BENCH_EXIT_FAILED, "report: out of memory");
    }
    got = fread(text, 1, (size_t)st.st_size, f);
    fclose(f);
    char why[256] = "read error";
    int rc = got == (size_t)st.st_size ? workload_json_input_parse(text, got, &s->doc, why, sizeof why)
                                       : JF_EIO;
    free(text);
    if (rc != 0)
        return bench_diag_fail(BENCH_EXIT_USAGE, "report: %s: %s", path, why);
    return 0;
}

static int read_traces(saved_t *s)
{
    char why[BENCH_REPORT_WHY_MAX], path[PATH_LEN];
    int err = bench_report_trace_names(s->doc, &s->names, &s->n, why, sizeof why);

    if (err != 0)
        return bench_diag_fail(status_of(err), "report: %s/result.json: %s", s->dir, why);
    s->traces = calloc(s->n + 1, sizeof *s->traces);
    if (s->traces == NULL)
        return bench_diag_fail(BENCH_EXIT_FAILED, "report: out of memory");
    for (size_t i = 0; i < s->n; i++) {
        if (s->names[i] == NULL)
            continue;
        snprintf(path, sizeof path, "%s/%s", s->dir, s->names[i]);
        err = jf_viz_read_chrome_trace(path, &s->traces[i], why, sizeof why);
        if (err != 0)
            return bench_diag_fail(status_of(err), "report: %s: %s", path, why);
    }
    return 0;
}

static int check_dir(const char *dir)
{
    struct stat st;

    if (stat(dir, &st) != 0)
        return bench_diag_fail(BENCH_EXIT_USAGE, "report: %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return bench_diag_fail(BENCH_EXIT_USAGE, "report: %s: not a directory", dir);
    if (strlen(dir) > PATH_LEN - 300)
        return bench_diag_fail(BENCH_EXIT_USAGE, "report: %s: path too long", dir);
    return 0;
}

int bench_cmd_report(const bench_args_t *args, const bench_env_t *env)
{
    saved_t s = {0};
    char why[BENCH_REPORT_WHY_MAX];
    int rc = bench_cli_check(args, "report", 0, true);

    (void)env;
    if (rc == 0 && args->noperands != 1)
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "report: expected one results directory (see bench "
                                         "--help)");
    if (rc == 0) {
        s.dir = args->operands[0];
        rc = check_dir(s.dir);
    }
    if (rc == 0 && (rc = read_doc(&s)) == 0 && (rc = read_traces(&s)) == 0 &&
        (rc = bench_outdir_check_writable("report", s.dir)) == 0) {
        int err = bench_report_write(s.doc, (const jf_trace_t *const *)s.traces, s.n, s.dir, why,
                                  sizeof why);
        bool bad_doc = err == JF_EPARSE || err == JF_ERANGE;

        if (err != 0)
            rc = bench_diag_fail(bad_doc ? BENCH_EXIT_USAGE : BENCH_EXIT_FAILED, "report: %s%s: %s", s.dir,
                              bad_doc ? "/result.json" : "", why);
        else
            printf("report: %s/index.html\n", s.dir);
    }
    for (size_t i = 0; s.traces != NULL && i < s.n; i++)
        jf_trace_destroy(s.traces[i]);
    free(s.traces);
    free(s.names);
    cJSON_Delete(s.doc);
    return rc;
}
