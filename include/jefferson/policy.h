/* jefferson/policy.h - scheduler policies: how many workers each stage deserves. */
#ifndef JF_POLICY_H
#define JF_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "jefferson/api.h"

/* Most stages a policy apportions over (the engine's JF_MAX_STAGES). */
#define JF_POLICY_MAX_STAGES 64

typedef enum jf_policy {
    JF_POLICY_EXHAUSTIVE = 0, /* minimise sum q*t/(w+1) over every configuration */
    JF_POLICY_DHONDT,         /* greedy largest quotient q*t/(w+1) */
    JF_POLICY_SAINTE_LAGUE,   /* greedy largest quotient q*t/(2w+1) */
    JF_POLICY_ADAMS,          /* greedy largest drain time q*t/w: minimises the
                                 longest drain time; every stage with work gets
                                 a worker before any gets a second */
    JF_POLICY_COUNT
} jf_policy_t;

/* What a policy sees of one stage. */
typedef struct jf_stage_view {
    double queue;      /* items waiting at the stage's input */
    double service_ns; /* mean service time per item; see jf_policy_prior */
    bool done;         /* no more input can arrive: gets no workers */
} jf_stage_view_t;

/* Computes an allocation of `workers` workers over `n` stages into alloc[n].
 * Done stages get 0. When every stage is done, all of alloc is 0 and the
 * call returns 0 with *score = 0. Ties go to the earlier stage. *score (may
 * be NULL) receives the policy's figure of merit for the result: the
 * sum-score for exhaustive, the last seat's quotient for the greedy ones.
 * The allocation is the one handing out workers one at a time to the
 * largest merit reaches, bit for bit, but found by threshold: O(n log n)
 * whatever `workers` (for votes in the normal double range).
 * Returns 0, or JF_EINVAL for an unknown policy, n == 0 or
 * n > JF_POLICY_MAX_STAGES. Pure function: thread-safe, allocates nothing. */
JF_API int jf_policy_allocate(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                       unsigned workers, unsigned *alloc, double *score);

/* Where one worker goes, given the target allocation alloc[n] and how
 * many *other* workers each stage has now (others[n]); `at` is the
 * worker's current stage or -1. Stays at `at` if that stage still wants a
 * worker (moving costs caches); else the stage with the largest shortfall
 * alloc - others, ties to the earlier stage. Stages with an empty queue
 * are skipped: a worker sent there would only idle. Returns the stage, or
 * -1 when no stage with input wants a worker. Pure, thread-safe. Shared by
 * the engine and the simulator so both decide alike. */
JF_API int jf_policy_pick(const jf_stage_view_t *stages, size_t n, const unsigned *alloc,
                   const unsigned *others, int at);

/* Sum-score of DESIGN.md for a given allocation:
 * sum over stages of queue * service_ns / (alloc + 1), done stages skipped.
 * Here and in jf_policy_allocate a product queue * service_ns that is NaN
 * (0 * inf, or a NaN in a view) counts as 0. */
JF_API double jf_policy_score(const jf_stage_view_t *stages, size_t n, const unsigned *alloc);

/* The service time assumed for a stage with no measurement yet: the mean of
 * the measured stages (measured[i] < 0 means not measured), or
 * JF_POLICY_DEFAULT_PRIOR_NS when no stage has been measured. Assuming the
 * unknown stage costs what the others cost on average neither starves it
 * nor lets it capture every worker before its first batch is timed. */
#define JF_POLICY_DEFAULT_PRIOR_NS 1000.0
JF_API double jf_policy_prior(const double *measured, size_t n);

/* Name <-> enum ("exhaustive", "dhondt", "sainte-lague", "adams"):
 * jf_policy_name returns a static string, jf_policy_parse the enum value
 * or -1 for an unknown name. Pure, thread-safe. */
JF_API const char *jf_policy_name(jf_policy_t policy);
JF_API int jf_policy_parse(const char *name);

#endif /* JF_POLICY_H */
