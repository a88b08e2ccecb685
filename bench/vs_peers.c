/* vs_peers.c - scheduled against the best configuration of each peer, on every workload.
 *
 * A fair fight: each peer is tried in the configurations its users would
 * tune (oneTBB: items per token and live tokens per thread; OpenMP: the
 * loop's schedule and chunk), every variant once per round in rotating
 * order so that the machine's drift spreads over all of them, and
 * scheduled is compared with each peer's best median, not a weak one.
 * `make vs-peers`; docs/performance.md keeps the figures. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/mb_common.h"
#include "jefferson/error.h"
#include "jefferson/pipeline.h"
#include "jefferson/topology.h"
#include "workloads/workload.h"
#ifdef JF_HAVE_TBB
#include "harness/peers/tbb/peer_tbb.h"
#endif
#ifdef JF_HAVE_OMP
#include "harness/peers/omp/omp_peer.h"
#endif

#define MAX_REPS 32
#define MAX_VARIANTS 24
#define ADAPTIVE 0 /* items per token or chunk: sized from the workload's costs */
#define TARGET_NS 16000.0 /* the engine's batch target (core/options.h) */

typedef enum kind { K_SINGLE, K_SCHEDULED, K_TBB, K_OMP } kind_t;

typedef struct variant {
    kind_t kind;
    unsigned items;     /* tbb: items per token, omp: chunk; ADAPTIVE */
    unsigned per_thread; /* tbb: live tokens per thread */
    int schedule;       /* omp: peer_omp_schedule_t */
    char name[40];
} variant_t;

/* Whether peer `name` is wanted: all of them, unless JF_VS_PEERS names
 * some (`make vs-tbb` sets it to "tbb"). */
static bool wanted(const char *name)
{
    const char *only = getenv("JF_VS_PEERS");

    return only == NULL || *only == '\0' || strstr(only, name) != NULL;
}

static size_t variants(variant_t *v)
{
    static const unsigned items[] = {1, 16, ADAPTIVE};
    size_t n = 0;

    v[n++] = (variant_t){K_SINGLE, 0, 0, 0, "single"};
    v[n++] = (variant_t){K_SCHEDULED, 0, 0, 0, "scheduled"};
#ifdef JF_HAVE_TBB
    static const unsigned tokens[] = {2, 4, 8};
    for (size_t i = 0; i < 3 && wanted("tbb"); i++)
        for (size_t k = 0; k < 3; k++) {
            v[n] = (variant_t){K_TBB, items[i], tokens[k], 0, ""};
            if (items[i])
                snprintf(v[n].name, sizeof v[n].name, "tbb %u x %ut", items[i], tokens[k]);
            else
                snprintf(v[n].name, sizeof v[n].name, "tbb adaptive x %ut", tokens[k]);
            n++;
        }
#endif
#ifdef JF_HAVE_OMP
    for (int s = PEER_OMP_DYNAMIC; s <= PEER_OMP_GUIDED && wanted("omp"); s++)
        for (size_t i = 0; i < 3; i++) {
            v[n] = (variant_t){K_OMP, items[i], 0, s, ""};
            if (items[i])
                snprintf(v[n].name, sizeof v[n].name, "omp %s %u",
                         peer_omp_schedule_name((peer_omp_schedule_t)s), items[i]);
            else
                snprintf(v[n].name, sizeof v[n].name, "omp %s adaptive",
                         peer_omp_schedule_name((peer_omp_schedule_t)s));
            n++;
        }
#endif
    return n;
}

/* Items a token or chunk carries when adaptive: TARGET_NS of work at the
 * mean stage cost the workload states (an oracle the engine does without:
 * it measures), between 1 and 256. */
static unsigned adaptive_items(const workload_t *w)
{
    double sum = 0;

    for (size_t s = 0; s < w->nstages; s++)
        sum += w->stages[s].ns;
    double mean = w->nstages ? sum / (double)w->nstages : 1000;
    double k = TARGET_NS / (mean > 1 ? mean : 1);
    return k < 1 ? 1 : k > 256 ? 256 : (unsigned)(k + 0.5);
}

static int run_variant(const variant_t *v, const workload_binding_t *b, unsigned adaptive,
                       const jf_run_options_t *base, double *wall, double *kernel, double *path)
{
    jf_run_options_t opt = *base;
    jf_run_result_t r = {0};
    jf_pipeline_t *p = NULL;
    unsigned items = v->items ? v->items : adaptive;
    int rc = JF_EINVAL;

    opt.strategy = v->kind == K_SINGLE ? JF_STRATEGY_SINGLE : JF_STRATEGY_SCHEDULED;
    if (v->kind == K_SINGLE || v->kind == K_SCHEDULED) {
        rc = jf_pipeline_create(b->specs, b->nstages, &opt, &p);
        if (rc == 0)
            rc = jf_pipeline_run(p, &r);
        jf_pipeline_destroy(p);
    }
#ifdef JF_HAVE_TBB
    if (v->kind == K_TBB) {
        peer_tbb_options_t t = {.batch = items, .tokens = v->per_thread * opt.cores};
        rc = peer_tbb_run_ex(b->specs, b->nstages, &opt, &t, &r);
    }
#endif
#ifdef JF_HAVE_OMP
    if (v->kind == K_OMP) {
        peer_omp_options_t o = {.chunk = items, .schedule = (peer_omp_schedule_t)v->schedule};
        rc = peer_omp_run_ex(b->specs, b->nstages, &opt, &o, &r);
    }
#endif
    (void)items;
    if (rc == 0 && (r.items_out != opt.items || r.items_in != opt.items || !r.order_preserved))
        rc = JF_EORDER; /* every run checks loss and order */
    if (rc == 0) {
        *wall = (double)r.wall_ns;
        *kernel = (double)r.kernel_cpu_ns;
        *path = (double)r.path_ns;
    }
    jf_run_result_fini(&r);
    return rc;
}

/* What one workload gave: each variant's median wall, scheduled's efficiency. */
typedef struct figures {
    double wall[MAX_VARIANTS];
    double eff;
    int best_tbb, best_omp; /* variant index, -1: none */
} figures_t;

/* The lower bound as harness/run.c computes it, from single's kernel time. */
static double lower_bound(double kernel_single, double path_single, unsigned threads)
{
    double lb = kernel_single / threads;
    return path_single > lb ? path_single : lb;
}

static int best_of(const variant_t *v, size_t n, kind_t kind, const double *wall)
{
    int best = -1;

    for (size_t i = 0; i < n; i++)
        if (v[i].kind == kind && (best < 0 || wall[i] < wall[best]))
            best = (int)i;
    return best;
}

/* One workload: every variant once per round, in an order that rotates each
 * round. Prints a line per variant and fills *fig. */
static int compare(const char *name, unsigned reps, unsigned cores, const jf_topology_t *topo,
                   const variant_t *v, size_t nv, figures_t *fig)
{
    char err[WORKLOAD_ERR_MAX];
    workload_t *w = NULL;
    workload_binding_t b;
    static double wall[MAX_VARIANTS][MAX_REPS], kern[MAX_VARIANTS][MAX_REPS],
        path[MAX_VARIANTS][MAX_REPS];
    int rc;

    if ((rc = workload_find(name, getenv("JF_WORKLOADS"), &w, err)) != 0 ||
        (rc = workload_bind(w, &b, err)) != 0) {
        fprintf(stderr, "vs_peers: %s\n", err);
        workload_destroy(w);
        return rc;
    }
    jf_run_options_t base = {.policy = JF_POLICY_DHONDT, .cores = cores,
                             .items = mb_scaled(w->items), .item_bytes = w->item_bytes,
                             .topology = topo, .source = b.source, .source_ctx = b.source_ctx,
                             .check = b.check, .check_ctx = b.check_ctx};
    unsigned adaptive = adaptive_items(w);
    for (unsigned r = 0; r < reps && rc == 0; r++)
        for (size_t k = 0; k < nv && rc == 0; k++) {
            size_t i = (k + r) % nv;
            rc = run_variant(&v[i], &b, adaptive, &base, &wall[i][r], &kern[i][r], &path[i][r]);
            if (rc != 0)
                fprintf(stderr, "vs_peers: %s: %s: %s\n", name, v[i].name, jf_strerror(rc));
        }
    if (rc == 0) {
        double lb = lower_bound(mb_median(kern[0], reps), mb_median(path[0], reps), cores);
        for (size_t i = 0; i < nv; i++)
            fig->wall[i] = mb_median(wall[i], reps);
        fig->eff = lb / fig->wall[1];
        fig->best_tbb = best_of(v, nv, K_TBB, fig->wall);
        fig->best_omp = best_of(v, nv, K_OMP, fig->wall);
        for (size_t i = 0; i < nv; i++)
            printf("   %-13s %-22s %9.2f %9.2f %9.2f %7.3f %9.3f%s\n", i ? "" : name, v[i].name,
                   fig->wall[i] / 1e6, mb_min(wall[i], reps) / 1e6, mb_max(wall[i], reps) / 1e6,
                   lb / fig->wall[i], fig->wall[i] / fig->wall[1],
                   (int)i == fig->best_tbb || (int)i == fig->best_omp ? "  best of its peer" : "");
        printf("   %-13s (adaptive = %u items)\n", "", adaptive);
        fflush(stdout);
    }
    workload_unbind(&b);
    workload_destroy(w);
    return rc;
}

/* The targets scheduled is held to (docs/performance.md). */
static double min_efficiency(const char *w)
{
    static const char *const high[] = {"bottleneck", "balanced", "skewed", "phase-shift",
                                       "many-stages", "memory-bound", "mixed"};
    for (size_t i = 0; i < sizeof high / sizeof *high; i++)
        if (strcmp(w, high[i]) == 0)
            return 0.95;
    return strcmp(w, "tiny-items") == 0 ? 0.80 : strcmp(w, "xml-docs") == 0 ? 0.93 : 0;
}

static double min_vs_tbb(const char *w)
{
    return strcmp(w, "many-stages") == 0 ? 1.05 : 1.00;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every built-in workload: the .json files of JF_WORKLOADS, by name. */
static size_t builtins(char **names, size_t max)
{
    char cmd[600];
    const char *dir = getenv("JF_WORKLOADS");
    size_t n = 0;

    snprintf(cmd, sizeof cmd, "ls '%s' 2>/dev/null", dir ? dir : "workloads");
    FILE *ls = popen(cmd, "r");
    char line[256];
    while (ls != NULL && n < max && fgets(line, sizeof line, ls) != NULL) {
        char *dot = strstr(line, ".json");
        if (dot != NULL && dot[5] == '\n') {
            *dot = '\0';
            names[n++] = strdup(line);
        }
    }
    if (ls != NULL)
        pclose(ls);
    qsort(names, n, sizeof *names, by_name);
    return n;
}

static void summary(char **names, size_t n, const variant_t *v, const figures_t *fig)
{
    printf("\n   %-13s %9s %7s %-20s %9s %7s %-22s %9s\n", "summary", "sched eff", "target",
           "best tbb", "tbb/sched", "target", "best omp", "omp/sched");
    for (size_t i = 0; i < n; i++) {
        const figures_t *f = &fig[i];
        double me = min_efficiency(names[i]), mt = min_vs_tbb(names[i]);
        char eff_t[16] = "-", tbb_t[16] = "-";
        if (me > 0)
            snprintf(eff_t, sizeof eff_t, "%s", f->eff >= me ? "met" : "missed");
        printf("   %-13s %9.3f %7s ", names[i], f->eff, eff_t);
        if (f->best_tbb >= 0) {
            double r = f->wall[f->best_tbb] / f->wall[1];
            snprintf(tbb_t, sizeof tbb_t, "%s", r >= mt ? "met" : "missed");
            printf("%-20s %9.3f %7s ", v[f->best_tbb].name, r, tbb_t);
        } else {
            printf("%-20s %9s %7s ", "(no oneTBB)", "-", "-");
        }
        if (f->best_omp >= 0)
            printf("%-22s %9.3f\n", v[f->best_omp].name, f->wall[f->best_omp] / f->wall[1]);
        else
            printf("%-22s %9s\n", "(no OpenMP)", "-");
    }
    printf("   peer/sched = the peer's median wall over scheduled's (> 1: scheduled is faster)\n");
}

int main(int argc, char **argv)
{
    variant_t v[MAX_VARIANTS];
    size_t nv = variants(v), n = 0;
    char *names[32];
    static figures_t fig[32];
    jf_topology_t *topo = NULL;
    unsigned reps = mb_repeat(5);
    int rc = 0;

    if (reps > MAX_REPS)
        reps = MAX_REPS;
    for (int i = 1; i < argc && n < 32; i++)
        names[n++] = strdup(argv[i]);
    if (n == 0)
        n = builtins(names, 32);
    if (jf_topology_create(&topo) != 0)
        topo = NULL;
    unsigned cores = topo ? jf_topology_cores(topo) : 2;
    mb_header("scheduled vs the best configuration of each peer",
              "engine: dhondt, adaptive batches; oneTBB parallel_pipeline: 1, 16 or adaptive "
              "items per token x 2, 4 or 8 live tokens per thread; OpenMP ordered loop: "
              "dynamic, static or guided schedule x chunks of 1, 16 or adaptive items; all "
              "pinned, every run checks loss and order");
    printf("   %u cores; median of %u rounds, each round runs every variant once in rotating "
           "order\n   eff = lower bound (single's kernel time over the cores) / wall; "
           "/sched = wall / scheduled's wall\n\n", cores, reps);
    printf("   %-13s %-22s %9s %9s %9s %7s %9s\n", "workload", "run", "wall ms", "min", "max",
           "eff", "/sched");
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = compare(names[i], reps, cores, topo, v, nv, &fig[i]);
    if (rc == 0)
        summary(names, n, v, fig);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    jf_topology_destroy(topo);
    return rc ? 1 : 0;
}
