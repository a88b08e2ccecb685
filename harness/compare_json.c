/* compare_json.c - a comparison as the document "jefferson.compare/1". */
#include "compare.h"

#include <math.h>
#include <stdlib.h>

#include "json.h"

/* A finite number, else null. */
static void add_num(cJSON *o, const char *key, double v, bool *ok)
{
    if (isfinite(v))
        bench_json_add_number(o, key, v, ok);
    else
        bench_json_add(o, key, cJSON_CreateNull(), ok);
}

static const char *const wall_names[] = {
    [BENCH_CMP_WALL_NONE] = "not-tested",          [BENCH_CMP_WALL_UNDECIDABLE] = "too-few-repetitions",
    [BENCH_CMP_WALL_NOISE] = "no-significant-change", [BENCH_CMP_WALL_SMALL] = "within-threshold",
    [BENCH_CMP_WALL_FASTER] = "faster",            [JF_CMP_WALL_SLOWER] = "slower",
};

static void add_wall(cJSON *o, const bench_cmp_row_t *row, bool *ok)
{
    if (row->det) {
        bench_json_add(o, "wall", cJSON_CreateNull(), ok);
        return;
    }
    cJSON *w = bench_json_add_object(o, "wall", ok);
    bench_json_add_string(w, "verdict", wall_names[row->wall], ok);
    bench_json_add_number(w, "p", row->mwu.p, ok);
    bench_json_add_bool(w, "p_exact", row->mwu.exact, ok);
    bench_json_add_number(w, "min_p", row->mwu.min_p, ok);
    bench_json_add_number(w, "u", row->mwu.u, ok);
    bench_json_add_number(w, "base_repeats", (double)row->base->n, ok);
    bench_json_add_number(w, "new_repeats", (double)row->head->n, ok);
    if (!row->has_ci) {
        bench_json_add(w, "hodges_lehmann", cJSON_CreateNull(), ok);
        return;
    }
    cJSON *hl = bench_json_add_object(w, "hodges_lehmann", ok);
    bench_json_add_number(hl, "change", row->hl, ok);
    bench_json_add_number(hl, "ci_low", row->ci_low, ok);
    bench_json_add_number(hl, "ci_high", row->ci_high, ok);
    bench_json_add_number(hl, "ci_level", row->ci_level, ok);
}

static void add_det(cJSON *o, const bench_cmp_row_t *row, bool *ok)
{
    if (!row->det) {
        bench_json_add(o, "deterministic", cJSON_CreateNull(), ok);
        return;
    }
    cJSON *d = bench_json_add_object(o, "deterministic", ok);
    bench_json_add_bool(d, "changed", row->det_changed, ok);
    add_num(d, "makespan_change", row->d_makespan, ok);
    add_num(d, "base_decisions", row->base->decisions, ok);
    add_num(d, "new_decisions", row->head->decisions, ok);
    add_num(d, "decisions_change", row->d_decisions, ok);
    add_num(d, "base_reallocations", row->base->reallocations, ok);
    add_num(d, "new_reallocations", row->head->reallocations, ok);
    add_num(d, "reallocations_change", row->d_reallocations, ok);
}

static cJSON *row_json(const bench_cmp_report_t *r, const bench_cmp_row_t *row, bool *ok)
{
    cJSON *o = cJSON_CreateObject();
    char line[1024];

    *ok = *ok && o;
    bench_json_add_string(o, "name", row->head->key, ok);
    bench_json_add_number(o, "base_median_ns", row->base->median_ns, ok);
    bench_json_add_number(o, "new_median_ns", row->head->median_ns, ok);
    add_num(o, "change", row->change, ok);
    add_wall(o, row, ok);
    add_det(o, row, ok);
    if (row->reruns) {
        cJSON *c = bench_json_add_object(o, "confirm", ok);
        bench_json_add_number(c, "reruns", row->reruns, ok);
        bench_json_add_number(c, "confirmed", row->confirmed, ok);
    } else {
        bench_json_add(o, "confirm", cJSON_CreateNull(), ok);
    }
    bench_json_add_bool(o, "regression", row->regression, ok);
    bench_cmp_sentence(r, row, line, sizeof line);
    bench_json_add_string(o, "summary", line, ok);
    return o;
}

static void add_side(cJSON *doc, const char *key, const bench_cmp_doc_t *d, bool *ok)
{
    cJSON *o = bench_json_add_object(doc, key, ok);

    bench_json_add_string(o, "path", d->path, ok);
    bench_json_add_string(o, "commit", d->commit, ok);
    bench_json_add_string(o, "date", d->date, ok);
    bench_json_add_string(o, "host", d->host, ok);
}

int bench_cmp_print_json(FILE *f, const bench_cmp_report_t *r)
{
    cJSON *doc = cJSON_CreateObject();
    bool ok = doc != NULL;

    bench_json_add_string(doc, "schema", "jefferson.compare/1", &ok);
    bench_json_add_string(doc, "workload", r->head->workload, &ok);
    bench_json_add_bool(doc, "sim", r->head->sim, &ok);
    add_side(doc, "base", r->base, &ok);
    add_side(doc, "new", r->head, &ok);
    bench_json_add_number(doc, "threshold", r->opt.threshold, &ok);
    bench_json_add_number(doc, "alpha", r->opt.alpha, &ok);
    bench_json_add_number(doc, "det_tolerance", r->opt.det_tolerance, &ok);
    cJSON *rows = bench_json_add_array(doc, "results", &ok);
    for (size_t i = 0; i < r->n && ok; i++)
        bench_json_push(rows, row_json(r, &r->rows[i], &ok), &ok);
    bench_json_add_number(doc, "regressions", (double)r->regressions, &ok);
    cJSON *warnings = bench_json_add_array(doc, "warnings", &ok);
    for (size_t i = 0; i < r->warnings.n; i++)
        bench_json_push_string(warnings, r->warnings.msg[i], &ok);
    char *text = ok ? bench_json_print(doc, true) : NULL;
    cJSON_Delete(doc);
    if (!text)
        return -1;
    int rc = fprintf(f, "%s\n", text) < 0 || fflush(f) != 0 ? -1 : 0;
    free(text);
    return rc;
}
