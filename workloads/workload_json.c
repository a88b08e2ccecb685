/* workload_json.c - the normalised workload as a cJSON document. */
#include "workload.h"
#include "kernels.h"

/* One stage with every default spelled out; fields a kernel does not take
 * are left out, as the loader would reject them. */
static cJSON *stage_json(const workload_stage_t *s)
{
    const jf__kernel_def_t *def = jf__kernel_find(s->kernel);
    cJSON *o = cJSON_CreateObject();
    int ok = o != NULL;

    ok = ok && cJSON_AddStringToObject(o, "name", s->name) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "kernel", s->kernel) != NULL;
    /* A measured cost is this run's, not the workload's: leaving it out
     * keeps the document the same from run to run (compare, history). */
    if (!s->ns_measured)
        ok = ok && cJSON_AddNumberToObject(o, "ns", s->ns) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "dist", workload_dist_name(s->dist)) != NULL;
    if (def != NULL && (def->fields & WORKLOAD__KF_BYTES))
        ok = ok && cJSON_AddNumberToObject(o, "bytes", (double)s->bytes) != NULL;
    if (def != NULL && (def->fields & WORKLOAD__KF_FAIL_AT))
        ok = ok && cJSON_AddNumberToObject(o, "fail_at", (double)s->fail_at) != NULL;
    if (def != NULL && (def->fields & WORKLOAD__KF_RECORDS))
        ok = ok && cJSON_AddNumberToObject(o, "records", (double)s->records) != NULL;
    if (def != NULL && (def->fields & WORKLOAD__KF_PLUGIN)) {
        ok = ok && cJSON_AddStringToObject(o, "library", s->library ? s->library : "") != NULL;
        ok = ok && cJSON_AddStringToObject(o, "symbol", s->symbol ? s->symbol : "") != NULL;
        ok = ok && cJSON_AddStringToObject(o, "arg", s->arg ? s->arg : "") != NULL;
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Regroups the flattened changes into the file's phases: consecutive sets
 * with the same phase index form one {"after_items", "set"} object. */
static int add_phases(const workload_t *w, cJSON *arr)
{
    cJSON *set = NULL;

    for (size_t i = 0; i < w->nsets; i++) {
        const workload_phase_set_t *s = &w->sets[i];
        cJSON *change;

        if (i == 0 || s->phase != w->sets[i - 1].phase) {
            cJSON *ph = cJSON_CreateObject();

            if (ph == NULL || !cJSON_AddItemToArray(arr, ph)) {
                cJSON_Delete(ph);
                return -1;
            }
            if (cJSON_AddNumberToObject(ph, "after_items", (double)s->after_items) == NULL ||
                (set = cJSON_AddObjectToObject(ph, "set")) == NULL)
                return -1;
        }
        if (s->stage >= w->nstages)
            return -1;
        change = cJSON_AddObjectToObject(set, w->stages[s->stage].name);
        if (change == NULL || cJSON_AddNumberToObject(change, "ns", s->ns) == NULL)
            return -1;
    }
    return 0;
}

cJSON *workload_to_json(const workload_t *w)
{
    cJSON *o = cJSON_CreateObject(), *stages = NULL, *phases = NULL;
    int ok = o != NULL && w != NULL;

    ok = ok && cJSON_AddStringToObject(o, "name", w->name ? w->name : "") != NULL;
    ok = ok && cJSON_AddStringToObject(o, "description",
                                       w->description ? w->description : "") != NULL;
    ok = ok && cJSON_AddNumberToObject(o, "items", (double)w->items) != NULL;
    ok = ok && cJSON_AddNumberToObject(o, "item_bytes", (double)w->item_bytes) != NULL;
    ok = ok && cJSON_AddNumberToObject(o, "seed", (double)w->seed) != NULL;
    /* No arrival means items arrive as fast as the source takes them:
     * there is no value to spell out, so the field is left out. */
    if (ok && w->arrival_rate_per_s > 0) {
        cJSON *a = cJSON_AddObjectToObject(o, "arrival");

        ok = a != NULL && cJSON_AddNumberToObject(a, "rate_per_s", w->arrival_rate_per_s) != NULL &&
             cJSON_AddNumberToObject(a, "burst", w->arrival_burst ? w->arrival_burst : 1) != NULL;
    }
    ok = ok && (stages = cJSON_AddArrayToObject(o, "stages")) != NULL;
    for (size_t i = 0; ok && i < w->nstages; i++) {
        cJSON *s = stage_json(&w->stages[i]);
        ok = s != NULL && cJSON_AddItemToArray(stages, s);
        if (!ok)
            cJSON_Delete(s);
    }
    ok = ok && (phases = cJSON_AddArrayToObject(o, "phases")) != NULL;
    ok = ok && add_phases(w, phases) == 0;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
