/* bench.h - the bench command as a function, so tests and main() share it. */
#ifndef BENCH_H
#define BENCH_H

/* Exit statuses of the bench command (DESIGN.md, "The bench command"). */
#define BENCH_EXIT_OK 0
#define BENCH_EXIT_FAILED 1 /* a run failed or results could not be written */
#define BENCH_EXIT_USAGE 2  /* bad usage or bad input; nothing was written */
#define BENCH_EXIT_INTERRUPTED 130 /* SIGINT or SIGTERM: what finished was written */

/* Runs the bench command line argv[0..argc-1]: parses it, runs the
 * subcommand, prints results to stdout and at most one error line
 * ("bench: <what>: <why>") to stderr. Returns the exit status. Not
 * thread-safe: call once per process. */
int bench_main(int argc, char **argv);

#endif /* BENCH_H */
