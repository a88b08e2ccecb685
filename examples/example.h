/* example.h - what the example programs share: the run options of their command
 * lines, and running a pipeline of their own stages with its timeline written. */
#ifndef EXAMPLE_H
#define EXAMPLE_H

#include <stddef.h>

#include <jefferson/jefferson.h>

/* The options every example takes, and the run they ask for. */
typedef struct ex_options {
    const char *program;
    jf_run_options_t run; /* strategy, policy, cores, batch; items, source, sink by the program */
    const char *svg;      /* write the timeline here; NULL: none */
    const char *html;     /* write the run's page into this directory; NULL: none */
    const char *out;      /* the program's output; NULL: standard output */
} ex_options_t;

/* The usage lines of the shared options, for a program's --help. */
extern const char ex_usage[];

/* Sets the defaults: scheduled, dhondt, every core, adaptive batches. */
void ex_options_init(ex_options_t *o, const char *program);

/* Parses the shared option at argv[*i] (and its value, advancing *i).
 * Returns 1 when it was one of them, 0 when it is not, -1 after printing
 * one line to stderr when its value is wrong. "--strategy list" prints the
 * engine's strategies and exits 0. */
int ex_parse_option(ex_options_t *o, int argc, char **argv, int *i);

/* Runs stages[n] under o->run (with a trace when a timeline is asked
 * for), writes the SVG and the page, and prints one summary line to
 * stderr. Returns 0, or 1 after printing why the run or a write failed. */
int ex_run(ex_options_t *o, const char *workload, const jf_stage_spec_t *stages, size_t n);

#endif /* EXAMPLE_H */
