/* confirm.c - compare a finished run with BASE and rerun suspected regressions. */
#include "confirm.h"

#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "jefferson/error.h"
#include "diag.h"
#include "json.h"
#include "results.h"

#define WHY_MAX 512

int bench_confirm_precheck(const bench_cmp_doc_t *base, const bench_args_t *a,
                        const cJSON *workload, unsigned cores)
{
    cJSON *doc = cJSON_CreateObject();
    bench_cmp_doc_t head;
    char why[WHY_MAX];
    bool ok = doc != NULL;

    bench_json_add_string(doc, "schema", "jefferson.result/1", &ok);
    bench_json_add(doc, "workload", cJSON_Duplicate(workload, true), &ok);
    bench_json_add_bool(doc, "sim", a->sim, &ok);
    bench_json_add_number(doc, "cores", cores, &ok);
    bench_results_add_batch(doc, a->batch, &ok);
    bench_json_add_array(doc, "results", &ok);
    if (!ok) {
        cJSON_Delete(doc);
        return bench_diag_fail(BENCH_EXIT_FAILED, "compare: out of memory");
    }
    int rc = bench_cmp_doc_take(doc, "(this run)", &head, why, sizeof why);
    if (rc == 0)
        rc = bench_cmp_check(base, &head, why, sizeof why);
    bench_cmp_doc_fini(&head);
    if (rc == JF_ENOMEM)
        return bench_diag_fail(BENCH_EXIT_FAILED, "compare: out of memory");
    return rc ? bench_diag_fail(BENCH_EXIT_USAGE, "--compare: %s: %s", base->path, why) : 0;
}

/* The series of one strategy of a rerun set, named as in documents. */
static int series_of(const bench_strategy_run_t *r, jf_policy_t policy, bench_cmp_series_t *s)
{
    memset(s, 0, sizeof *s);
    if (bench_strategy_uses_policy(r->strategy))
        snprintf(s->key, sizeof s->key, "%s/%s", bench_strategy_name(r->strategy),
                 jf_policy_name(policy));
    else
        snprintf(s->key, sizeof s->key, "%s", bench_strategy_name(r->strategy));
    s->samples = malloc((r->repeats ? r->repeats : 1) * sizeof *s->samples);
    if (!s->samples)
        return JF_ENOMEM;
    for (unsigned i = 0; i < r->repeats; i++)
        s->samples[i] = (double)r->samples_ns[i];
    s->n = r->repeats;
    s->median_ns = r->wall.median;
    s->efficiency = r->efficiency;
    s->decisions = (double)r->median.decisions;
    s->reallocations = (double)r->median.reallocations;
    return 0;
}

/* Reruns row's strategy once and judges it against BASE: *again is set
 * when it is a regression again. Returns 0 or the exit status after the
 * error line. */
static int rerun(const bench_confirm_t *c, bench_cmp_row_t *row, bool *again)
{
    bench_run_plan_t plan = *c->plan;
    char name[BENCH_CMP_KEY_MAX];
    bench_run_set_t set;
    bench_cmp_series_t s = {0};
    bench_cmp_row_t judged;

    snprintf(name, sizeof name, "%s", row->head->key);
    name[strcspn(name, "/")] = '\0';
    int st = bench_strategy_parse(name);
    if (st < 0 || !bench_strategy_available((bench_strategy_t)st))
        return bench_diag_fail(BENCH_EXIT_FAILED, "--confirm: %s: unknown strategy", name);
    memset(plan.requested, 0, sizeof plan.requested);
    plan.requested[st] = true;
    plan.baseline = false;
    plan.trace = false;
    int rc = bench_run_measure(&plan, &set);
    if (rc == 0 && (set.n != 1 || set.interrupted))
        rc = BENCH_EXIT_INTERRUPTED;
    if (rc == 0 && series_of(&set.runs[0], plan.policy, &s) != 0)
        rc = bench_diag_fail(BENCH_EXIT_FAILED, "--confirm: out of memory");
    if (rc == 0 && bench_cmp_judge(row->base, &s, false, &c->opt, &judged) != 0)
        rc = bench_diag_fail(BENCH_EXIT_FAILED, "--confirm: out of memory");
    if (rc == 0)
        *again = judged.regression;
    bench_cmp_series_fini(&s);
    bench_run_set_fini(&set);
    return rc;
}

/* Reruns one suspected regression up to c->confirm times. */
static int confirm_row(const bench_confirm_t *c, bench_cmp_row_t *row)
{
    for (unsigned k = 0; k < c->confirm && row->regression; k++) {
        bool again = false;
        bench_diag_progress("--confirm: %s: rerun %u of %u", row->head->key, k + 1, c->confirm);
        int rc = rerun(c, row, &again);
        if (rc == BENCH_EXIT_INTERRUPTED)
            return 0; /* stays suspected: a signal is no evidence either way */
        if (rc)
            return rc;
        row->reruns++;
        row->confirmed += again;
        row->regression = again;
    }
    bench_diag_progress_clear();
    return 0;
}

static int print(const bench_confirm_t *c, const bench_cmp_report_t *r)
{
    switch (c->format) {
    case BENCH_CLI_FORMAT_MARKDOWN: return bench_cmp_print_markdown(c->out, r);
    case BENCH_CLI_FORMAT_JSON: return bench_cmp_print_json(c->out, r);
    default: return bench_cmp_print_table(c->out, r);
    }
}

int bench_confirm_run(const bench_confirm_t *c)
{
    cJSON *copy = cJSON_Duplicate(c->doc, true);
    char why[WHY_MAX];
    bench_cmp_doc_t head;
    bench_cmp_report_t r = {0};
    int rc;

    if (!copy)
        return bench_diag_fail(BENCH_EXIT_FAILED, "compare: out of memory");
    if ((rc = bench_cmp_doc_take(copy, c->path, &head, why, sizeof why)) != 0)
        return bench_diag_fail(rc == JF_ENOMEM ? BENCH_EXIT_FAILED : BENCH_EXIT_USAGE, "compare: %s: %s",
                            c->path, why);
    if (bench_cmp_check(c->base, &head, why, sizeof why) != 0)
        rc = bench_diag_fail(BENCH_EXIT_USAGE, "--compare: %s: %s", c->base->path, why);
    else if (bench_cmp_report_build(c->base, &head, &c->opt, &r) != 0)
        rc = bench_diag_fail(BENCH_EXIT_FAILED, "compare: out of memory");
    for (size_t i = 0; rc == 0 && i < r.n; i++)
        if (r.rows[i].regression && !r.rows[i].det)
            rc = confirm_row(c, &r.rows[i]);
    if (rc == 0) {
        bench_cmp_report_recount(&r);
        if (print(c, &r) != 0)
            rc = bench_diag_fail(BENCH_EXIT_FAILED, "compare: write failed");
        else
            rc = r.regressions ? BENCH_EXIT_FAILED : BENCH_EXIT_OK;
    }
    bench_cmp_report_fini(&r);
    bench_cmp_doc_fini(&head);
    return rc;
}
