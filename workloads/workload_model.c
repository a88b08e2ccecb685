/* workload_model.c - the workload object: freeing it, distribution names, per-item costs. */
#include <math.h>
#include <string.h>

#include "../core/jf_alloc.h"
#include "hash.h"
#include "workload.h"

/* The exponential's tail is cut at this many means: one item costing 1000x
 * the mean would dominate a short run's wall time and make runs differ by
 * luck rather than by strategy. The cut lowers the mean by a factor of
 * e^-50, i.e. not at all. */
#define EXP_CAP 50.0

static const char *const dist_names[] = {"fixed", "uniform", "exponential", "bimodal"};

#define NDISTS (sizeof dist_names / sizeof dist_names[0])

const char *workload_dist_name(workload_dist_t dist)
{
    return (unsigned)dist < NDISTS ? dist_names[dist] : "?";
}

int workload_dist_parse(const char *name)
{
    for (size_t i = 0; name != NULL && i < NDISTS; i++)
        if (strcmp(dist_names[i], name) == 0)
            return (int)i;
    return -1;
}

void workload_destroy(workload_t *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; w->stages != NULL && i < w->nstages; i++) {
        jf_free(w->stages[i].name);
        jf_free(w->stages[i].kernel);
        jf_free(w->stages[i].library);
        jf_free(w->stages[i].symbol);
        jf_free(w->stages[i].arg);
    }
    jf_free(w->stages);
    jf_free(w->sets);
    jf_free(w->name);
    jf_free(w->description);
    jf_free(w->source);
    jf_free(w);
}

/* The stage's mean cost for item seq: the phase change with the largest
 * after_items <= seq wins, ties to the later one in the file; with none,
 * the stage's own ns. Scans every change (at most 64 per phase, 256
 * phases), which keeps the struct a plain list in file order. */
static double mean_ns(const workload_t *w, size_t stage, uint64_t seq)
{
    double ns = w->stages[stage].ns;
    uint64_t best = 0;
    int found = 0;

    for (size_t i = 0; i < w->nsets; i++) {
        const workload_phase_set_t *s = &w->sets[i];

        if (s->stage == stage && s->after_items <= seq && (!found || s->after_items >= best)) {
            ns = s->ns;
            best = s->after_items;
            found = 1;
        }
    }
    return ns;
}

double workload_item_ns(const workload_t *w, size_t stage, uint64_t seq)
{
    double ns, u;

    if (w == NULL || stage >= w->nstages)
        return 0.0;
    ns = mean_ns(w, stage, seq);
    if (w->stages[stage].dist == WORKLOAD_DIST_FIXED)
        return ns;
    u = jf__unit(jf__hash3(w->seed, stage, seq));
    switch (w->stages[stage].dist) {
    case WORKLOAD_DIST_UNIFORM:
        return 2.0 * ns * u;
    case WORKLOAD_DIST_EXPONENTIAL:
        /* Inversion; 1 - u is in (0, 1], so the log is finite. */
        return fmin(-ns * log1p(-u), EXP_CAP * ns);
    case JF_DIST_BIMODAL:
        return u < 0.9 ? 0.5 * ns : 5.5 * ns;
    default:
        return ns;
    }
}
