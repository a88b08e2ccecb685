/* cmd_compare.c - bench compare BASE NEW, and bench export RESULT: read result files, print. */
#include "commands.h"

#include <stdio.h>

#include "bench.h"
#include "compare.h"
#include "jefferson/error.h"
#include "diag.h"
#include "export.h"

#define WHY_MAX 512
#define FORMAT_BIT(f) (1u << (f))

/* Loads one result file; bad input is exit 2, running out of memory 1. */
static int load(const char *what, const char *path, bench_cmp_doc_t *d)
{
    char why[WHY_MAX];
    int rc = bench_cmp_doc_load(path, d, why, sizeof why);

    if (rc == JF_ENOMEM)
        return bench_diag_fail(BENCH_EXIT_FAILED, "%s: out of memory", what);
    return rc ? bench_diag_fail(BENCH_EXIT_USAGE, "%s: %s: %s", what, path, why) : 0;
}

static int print(const bench_args_t *args, const bench_cmp_report_t *r)
{
    switch (args->format) {
    case BENCH_CLI_FORMAT_MARKDOWN: return bench_cmp_print_markdown(stdout, r);
    case BENCH_CLI_FORMAT_JSON: return bench_cmp_print_json(stdout, r);
    default: return bench_cmp_print_table(stdout, r);
    }
}

static int compare_docs(const bench_args_t *args, const bench_cmp_doc_t *base,
                        const bench_cmp_doc_t *head)
{
    char why[WHY_MAX];
    bench_cmp_options_t opt;
    bench_cmp_report_t r;

    if (bench_cmp_check(base, head, why, sizeof why) != 0)
        return bench_diag_fail(BENCH_EXIT_USAGE, "compare: %s", why);
    bench_cmp_options_default(&opt);
    opt.threshold = args->threshold_pct / 100.0;
    int rc = bench_cmp_report_build(base, head, &opt, &r);
    if (rc == 0 && r.n == 0)
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "compare: no strategy is in both %s and %s",
                          base->path, head->path);
    else if (rc)
        rc = bench_diag_fail(BENCH_EXIT_FAILED, "compare: out of memory");
    else if (print(args, &r) != 0)
        rc = bench_diag_fail(BENCH_EXIT_FAILED, "stdout: write failed");
    else
        rc = r.regressions ? BENCH_EXIT_FAILED : BENCH_EXIT_OK;
    bench_cmp_report_fini(&r);
    return rc;
}

int bench_cmd_compare(const bench_args_t *args, const bench_env_t *env)
{
    bench_cmp_doc_t base = {0}, head = {0};
    unsigned formats = FORMAT_BIT(BENCH_CLI_FORMAT_TABLE) | FORMAT_BIT(BENCH_CLI_FORMAT_MARKDOWN) |
                       FORMAT_BIT(BENCH_CLI_FORMAT_JSON);

    (void)env;
    if (args->seen & BENCH_OPT_CONFIRM)
        return bench_diag_fail(BENCH_EXIT_USAGE, "compare: --confirm reruns measurements: give it to "
                            "the run (bench --workload W ... --compare BASE.json --confirm N)");
    int rc = bench_cli_check(args, "compare", BENCH_OPT_THRESHOLD | BENCH_OPT_FORMAT, true);
    if (rc == 0)
        rc = bench_cli_check_format(args, "compare", formats);
    if (rc == 0 && args->noperands != 2)
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "compare: expected BASE.json NEW.json (see bench "
                          "--help)");
    if (rc == 0 && (rc = load("compare", args->operands[0], &base)) == 0 &&
        (rc = load("compare", args->operands[1], &head)) == 0)
        rc = compare_docs(args, &base, &head);
    bench_cmp_doc_fini(&base);
    bench_cmp_doc_fini(&head);
    return rc;
}

int bench_cmd_export(const bench_args_t *args, const bench_env_t *env)
{
    char why[WHY_MAX];
    bench_cmp_doc_t d = {0};
    unsigned formats = FORMAT_BIT(BENCH_CLI_FORMAT_GAB) | FORMAT_BIT(JF_CLI_FORMAT_BENCHER);

    (void)env;
    int rc = bench_cli_check(args, "export", BENCH_OPT_FORMAT, true);
    if (rc == 0 && !(args->seen & BENCH_OPT_FORMAT))
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "export: --format missing (github-action-benchmark, "
                          "bencher)");
    if (rc == 0)
        rc = bench_cli_check_format(args, "export", formats);
    if (rc == 0 && args->noperands != 1)
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "export: expected one RESULT.json (see bench --help)");
    if (rc == 0 && (rc = load("export", args->operands[0], &d)) == 0 &&
        bench_export_check(d.doc, d.path, why, sizeof why) != 0)
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "export: %s: %s", d.path, why);
    if (rc == 0 && bench_export_write(stdout, d.doc, args->format) != 0)
        rc = bench_diag_fail(BENCH_EXIT_FAILED, "stdout: write failed");
    bench_cmp_doc_fini(&d);
    return rc;
}
