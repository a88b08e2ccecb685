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

int jf_confirm_precheck(const jf_cmp_doc_t *base, const jf_bench_args_t *a,
                        const cJSON *workload, unsigned cores)
{
    cJSON *doc = cJSON_CreateObject();
    jf_cmp_doc_t head;
    char why[WHY_MAX];
    bool ok = doc != NULL;

    jf_json_add_string(doc, "schema", "jefferson.result/1", &ok);
    jf_json_add(doc, "workload", cJSON_Duplicate(workload, true), &ok);
    jf_json_add_bool(doc, "sim", a->sim, &ok);
    jf_json_add_number(doc, "cores", cores, &ok);
    jf_results_add_batch(doc, a->batch, &ok);
    jf_json_add_array(doc, "results", &ok);
    if (!ok) {
        cJSON_Delete(doc);
        return jf_diag_fail(JF_EXIT_FAILED, "compare: out of memory");
    }
    int rc = jf_cmp_doc_take(doc, "(this run)", &head, why, sizeof why);
    if (rc == 0)
        rc = jf_cmp_check(base, &head, why, sizeof why);
    jf_cmp_doc_fini(&head);
    if (rc == JF_ENOMEM)
        return jf_diag_fail(JF_EXIT_FAILED, "compare: out of memory");
    return rc ? jf_diag_fail(JF_EXIT_USAGE, "--compare: %s: %s", base->path, why) : 0;
}

/* The series of one strategy of a rerun set, named as in documents. */
static int series_of(const jf_strategy_run_t *r, jf_policy_t policy, jf_cmp_series_t *s)
{
    memset(s, 0, sizeof *s);
    if (jf_bench_strategy_uses_policy(r->strategy))
        snprintf(s->key, sizeof s->key, "%s/%s", jf_bench_strategy_name(r->strategy),
                 jf_policy_name(policy));
    else
        snprintf(s->key, sizeof s->key, "%s", jf_bench_strategy_name(r->strategy));
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
static int rerun(const jf_confirm_t *c, jf_cmp_row_t *row, bool *again)
{
    jf_run_plan_t plan = *c->plan;
    char name[JF_CMP_KEY_MAX];
    jf_run_set_t set;
    jf_cmp_series_t s = {0};
    jf_cmp_row_t judged;

    snprintf(name, sizeof name, "%s", row->head->key);
    name[strcspn(name, "/")] = '\0';
    int st = jf_bench_strategy_parse(name);
    if (st < 0 || !jf_bench_strategy_available((jf_bench_strategy_t)st))
        return jf_diag_fail(JF_EXIT_FAILED, "--confirm: %s: unknown strategy", name);
    memset(plan.requested, 0, sizeof plan.requested);
    plan.requested[st] = true;
    plan.baseline = false;
    plan.trace = false;
    int rc = jf_run_measure(&plan, &set);
    if (rc == 0 && (set.n != 1 || set.interrupted))
        rc = JF_EXIT_INTERRUPTED;
    if (rc == 0 && series_of(&set.runs[0], plan.policy, &s) != 0)
        rc = jf_diag_fail(JF_EXIT_FAILED, "--confirm: out of memory");
    if (rc == 0 && jf_cmp_judge(row->base, &s, false, &c->opt, &judged) != 0)
        rc = jf_diag_fail(JF_EXIT_FAILED, "--confirm: out of memory");
    if (rc == 0)
        *again = judged.regression;
    jf_cmp_series_fini(&s);
    jf_run_set_fini(&set);
    return rc;
}

/* Reruns one suspected regression up to c->confirm times. */
static int confirm_row(const jf_confirm_t *c, jf_cmp_row_t *row)
{
    for (unsigned k = 0; k < c->confirm && row->regression; k++) {
        bool again = false;
        jf_diag_progress("--confirm: %s: rerun %u of %u", row->head->key, k + 1, c->confirm);
        int rc = rerun(c, row, &again);
        if (rc == JF_EXIT_INTERRUPTED)
            return 0; /* stays suspected: a signal is no evidence either way */
        if (rc)
            return rc;
        row->reruns++;
        row->confirmed += again;
        row->regression = again;
    }
    jf_diag_progress_clear();
    return 0;
}

static int print(const jf_confirm_t *c, const jf_cmp_report_t *r)
{
    switch (c->format) {
    case JF_CLI_FORMAT_MARKDOWN: return jf_cmp_print_markdown(c->out, r);
    case JF_CLI_FORMAT_JSON: return jf_cmp_print_json(c->out, r);
    default: return jf_cmp_print_table(c->out, r);
    }
}

int jf_confirm_run(const jf_confirm_t *c)
{
    cJSON *copy = cJSON_Duplicate(c->doc, true);
    char why[WHY_MAX];
    jf_cmp_doc_t head;
    jf_cmp_report_t r = {0};
    int rc;

    if (!copy)
        return jf_diag_fail(JF_EXIT_FAILED, "compare: out of memory");
    if ((rc = jf_cmp_doc_take(copy, c->path, &head, why, sizeof why)) != 0)
        return jf_diag_fail(rc == JF_ENOMEM ? JF_EXIT_FAILED : JF_EXIT_USAGE, "compare: %s: %s",
                            c->path, why);
    if (jf_cmp_check(c->base, &head, why, sizeof why) != 0)
        rc = jf_diag_fail(JF_EXIT_USAGE, "--compare: %s: %s", c->base->path, why);
    else if (jf_cmp_report_build(c->base, &head, &c->opt, &r) != 0)
        rc = jf_diag_fail(JF_EXIT_FAILED, "compare: out of memory");
    for (size_t i = 0; rc == 0 && i < r.n; i++)
        if (r.rows[i].regression && !r.rows[i].det)
            rc = confirm_row(c, &r.rows[i]);
    if (rc == 0) {
        jf_cmp_report_recount(&r);
        if (print(c, &r) != 0)
            rc = jf_diag_fail(JF_EXIT_FAILED, "compare: write failed");
        else
            rc = r.regressions ? JF_EXIT_FAILED : JF_EXIT_OK;
    }
    jf_cmp_report_fini(&r);
    jf_cmp_doc_fini(&head);
    return rc;
}
