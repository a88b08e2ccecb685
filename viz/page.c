/* page.c - jf_viz_write_html: one run's page, drawn by the report writer bench uses. */
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "jefferson/error.h"
#include "jefferson/render.h"
#include "jf_viz_report.h"

#define PAGE_SVG "timeline.svg"

/* The run's row of the page's table, from what the engine measured. */
static jf_viz_run_t page_run(const jf_run_result_t *result, const jf_viz_meta_t *meta)
{
    double wall_s = (double)result->wall_ns / 1e9;

    return (jf_viz_run_t){
        .strategy = meta->strategy != NULL ? meta->strategy : "run",
        .policy = meta->policy != NULL && meta->policy[0] != '\0' ? meta->policy : NULL,
        .threads = result->threads,
        .wall_ns = (double)result->wall_ns,
        .cv = -1,
        .throughput = wall_s > 0 ? (double)result->items_out / wall_s : -1,
        .speedup = -1,
        .efficiency = meta->efficiency,
        .items_in = result->items_in,
        .items_out = result->items_out,
        .order_ok = result->order_preserved ? 1 : 0,
        .svg = PAGE_SVG,
        .trace = result->trace,
        .samples_ns = &result->wall_ns,
        .nsamples = 1,
    };
}

/* The page's provenance line: when it was drawn and on which host. */
static void page_context(char *date, size_t date_size, char *host, size_t host_size)
{
    time_t now = time(NULL);
    struct tm tm;

    if (gmtime_r(&now, &tm) == NULL || strftime(date, date_size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        date[0] = '\0';
    if (gethostname(host, host_size) != 0)
        host[0] = '\0';
    host[host_size - 1] = '\0';
}

int jf_viz_write_html(const jf_run_result_t *result, const jf_viz_meta_t *meta, const char *dir)
{
    jf_viz_meta_t none = {.efficiency = -1};
    jf_viz_run_t run;
    jf_viz_report_t report;
    char date[32], host[256];

    if (result == NULL || result->trace == NULL || dir == NULL)
        return JF_EINVAL;
    if (meta == NULL)
        meta = &none;
    run = page_run(result, meta);
    page_context(date, sizeof date, host, sizeof host);
    report = (jf_viz_report_t){
        .workload = meta->workload,
        .date = date[0] != '\0' ? date : NULL,
        .host = host[0] != '\0' ? host : NULL,
        .cores = meta->cores != 0 ? meta->cores : result->threads,
        .nruns = 1,
        .runs = &run,
        .verdict = {.kind = JF_VIZ_VERDICT_NONE},
    };
    return jf_viz_write_report(&report, dir);
}
