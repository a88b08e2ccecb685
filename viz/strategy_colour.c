/* strategy_colour.c - one colour per strategy, the same in every chart that compares them. */
#include <string.h>

#include "jf_viz_report.h"

/* Tableau 10 hues: told apart from each other at a glance, and each
 * strategy keeps its colour however many strategies a chart shows (a
 * colour by position would repaint scheduled when single is left out). */
static const struct {
    const char *strategy;
    const char *colour;
} colours[] = {
    {"single", "#7f7f7f"},      /* grey: the baseline */
    {"per-stage", "#9467bd"},   /* purple */
    {"n-per-stage", "#ff7f0e"}, /* orange */
    {"scheduled", "#1f77b4"},   /* blue */
    {"tbb", "#2ca02c"},         /* green */
};

#define OTHER "#8c564b" /* brown: a strategy this build does not know */

const char *jf_viz_strategy_colour(const char *strategy)
{
    size_t len;

    if (strategy == NULL)
        return OTHER;
    len = strcspn(strategy, "/");
    for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++)
        if (strlen(colours[i].strategy) == len && strncmp(colours[i].strategy, strategy, len) == 0)
            return colours[i].colour;
    return OTHER;
}
