/* example.c - the command line and the run that the example programs share. */
#include "example.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char ex_usage[] =
    "  --strategy S   single, per-stage, n-per-stage, scheduled (default); list: print them\n"
    "  --policy P     scheduler policy: exhaustive, dhondt (default), sainte-lague, adams\n"
    "  --cores N      cores to use (default: all of them)\n"
    "  --batch B      items per batch (default: adaptive)\n"
    "  --svg FILE     write the run's timeline as an SVG\n"
    "  --html DIR     write the run's page (index.html, timeline.svg) into DIR\n"
    "  --out FILE     write the output to FILE (default: standard output)\n";

void ex_options_init(ex_options_t *o, const char *program)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(o, 0, sizeof *o);
    o->program = program;
    o->run.strategy = JF_STRATEGY_SCHEDULED;
    o->run.policy = JF_POLICY_DHONDT;
    o->run.cores = cpus > 0 ? (unsigned)cpus : 1;
}

/* A whole number in [1, max], or 0. */
static unsigned count(const char *s, unsigned max)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    return s[0] >= '1' && s[0] <= '9' && *end == '\0' && v <= max ? (unsigned)v : 0;
}

static int list_strategies(void)
{
    for (int s = 0; s < JF_STRATEGY_COUNT; s++)
        printf("%s\n", jf_strategy_name((jf_strategy_t)s));
    exit(0);
}

static int bad(const ex_options_t *o, const char *option, const char *value)
{
    fprintf(stderr, "%s: %s: bad value '%s'\n", o->program, option, value);
    return -1;
}

static int is_shared_option(const char *opt)
{
    static const char *const names[] = {"--strategy", "--policy", "--cores", "--batch",
                                        "--svg",      "--html",   "--out"};

    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(opt, names[k]) == 0)
            return 1;
    return 0;
}

int ex_parse_option(ex_options_t *o, int argc, char **argv, int *i)
{
    const char *opt = argv[*i], *val;
    int v;

    if (!is_shared_option(opt))
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a value\n", o->program, opt);
        return -1;
    }
    val = argv[++*i];
    if (strcmp(opt, "--strategy") == 0) {
        if (strcmp(val, "list") == 0)
            return list_strategies();
        if ((v = jf_strategy_parse(val)) < 0)
            return bad(o, opt, val);
        o->run.strategy = (jf_strategy_t)v;
    } else if (strcmp(opt, "--policy") == 0) {
        if ((v = jf_policy_parse(val)) < 0)
            return bad(o, opt, val);
        o->run.policy = (jf_policy_t)v;
    } else if (strcmp(opt, "--cores") == 0) {
        if ((o->run.cores = count(val, 1024)) == 0)
            return bad(o, opt, val);
    } else if (strcmp(opt, "--batch") == 0) {
        if ((o->run.batch = count(val, 65536)) == 0)
            return bad(o, opt, val);
    } else if (strcmp(opt, "--svg") == 0) {
        o->svg = val;
    } else if (strcmp(opt, "--html") == 0) {
        o->html = val;
    } else {
        o->out = val;
    }
    return 1;
}

/* Writes the timeline and the page the options ask for. */
static int write_timeline(const ex_options_t *o, const char *workload,
                          const jf_run_result_t *result)
{
    jf_viz_meta_t meta = {
        .workload = workload,
        .strategy = jf_strategy_name(o->run.strategy),
        .policy = o->run.strategy == JF_STRATEGY_SCHEDULED ? jf_policy_name(o->run.policy) : NULL,
        .cores = o->run.cores,
        .wall_ns = result->wall_ns,
        .efficiency = -1,
    };
    int err;

    if (o->svg != NULL && (err = jf_viz_write_svg(result->trace, &meta, o->svg)) != 0) {
        fprintf(stderr, "%s: %s: %s\n", o->program, o->svg, jf_strerror(err));
        return 1;
    }
    if (o->html != NULL && (err = jf_viz_write_html(result, &meta, o->html)) != 0) {
        fprintf(stderr, "%s: %s: %s\n", o->program, o->html, jf_strerror(err));
        return 1;
    }
    return 0;
}

static void report_failure(const ex_options_t *o, const jf_stage_spec_t *stages, size_t n,
                           const jf_run_result_t *r, int err)
{
    const jf_run_failure_t *f = &r->failure;
    const char *where = f->stage < 0 ? "source" : (size_t)f->stage >= n ? "sink"
                                                                          : stages[f->stage].name;

    if (err == JF_EKERNEL)
        fprintf(stderr, "%s: stage %s failed on item %llu (code %d)\n", o->program, where,
                (unsigned long long)f->seq, f->code);
    else
        fprintf(stderr, "%s: run failed: %s\n", o->program, jf_strerror(err));
}

int ex_run(ex_options_t *o, const char *workload, const jf_stage_spec_t *stages, size_t n)
{
    jf_topology_t *topo = NULL;
    jf_pipeline_t *p = NULL;
    jf_run_result_t r = {0};
    int err, rc = 1;

    o->run.trace = o->svg != NULL || o->html != NULL;
    if (jf_topology_create(&topo) == 0)
        o->run.topology = topo; /* pinned when hwloc can; unpinned otherwise */
    err = jf_pipeline_create(stages, n, &o->run, &p);
    if (err != 0) {
        fprintf(stderr, "%s: cannot build the pipeline: %s\n", o->program, jf_strerror(err));
        goto out;
    }
    err = jf_pipeline_run(p, &r);
    if (err != 0) {
        report_failure(o, stages, n, &r, err);
        goto out;
    }
    fprintf(stderr, "%s: %s%s%s on %u cores, %u threads: %llu items in %.3f ms, order %s\n",
            o->program, jf_strategy_name(o->run.strategy),
            o->run.strategy == JF_STRATEGY_SCHEDULED ? "/" : "",
            o->run.strategy == JF_STRATEGY_SCHEDULED ? jf_policy_name(o->run.policy) : "",
            o->run.cores, r.threads, (unsigned long long)r.items_out, (double)r.wall_ns / 1e6,
            r.order_preserved ? "kept" : "LOST");
    rc = write_timeline(o, workload, &r);
out:
    jf_run_result_fini(&r);
    jf_pipeline_destroy(p);
    jf_topology_destroy(topo);
    return rc;
}
