/* policy_apportion.c - the policies' greedy apportionment, found by threshold, not seat by seat. */
#include <float.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy_internal.h"

#define MAX_LIVE JF_POLICY_MAX_STAGES

/* What one more worker on a stage with votes v and w workers is worth:
 * its merit, v / ((a w + b)(c w + d)).
 * exhaustive: the drop in the sum-score, v/(w+1) - v/(w+2). The score is a
 * sum of per-stage terms, each convex and decreasing in w, so handing out
 * workers one at a time by largest marginal gain reaches the global minimum
 * that enumerating every configuration would find (tests check this
 * against the brute force). dhondt: v/(w+1). sainte-lague: v/(2w+1).
 * adams: v/w, the stage's drain time with its workers so far; handing the
 * next worker to the longest drain time minimises the longest one (the
 * makespan bound of the queued work). An empty-handed stage (w = 0) with
 * work has an infinite drain time: the tiny offset keeps those first yet
 * ordered among themselves by votes.
 * The products by 1 and the terms 0 w + 1 are exact: each merit is the
 * same double as its plain expression, e.g. v / (2.0 * w + 1.0). */
typedef struct divisor {
    double a, b, c, d;
} divisor_t;

static const divisor_t divisors[JF_POLICY_COUNT] = {
    [JF_POLICY_EXHAUSTIVE] = {1, 1, 1, 2},
    [JF_POLICY_DHONDT] = {1, 1, 0, 1},
    [JF_POLICY_SAINTE_LAGUE] = {2, 1, 0, 1},
    [JF_POLICY_ADAMS] = {1, 1e-9, 0, 1},
};

/* The divisor of seat `seats`: the very double merit() divides by. */
static double divisor_at(const divisor_t *d, unsigned seats)
{
    double w = seats;

    return (d->a * w + d->b) * (d->c * w + d->d);
}

static double merit(const divisor_t *d, double votes, unsigned seats)
{
    return votes / divisor_at(d, seats);
}

/* Handing seats out one at a time, each to the stage whose next seat has
 * the largest merit, ties to the earlier stage, costs O(W log S). The same
 * allocation, without a loop over the seats:
 *
 * For votes v > 0 every policy's merit v/d(w) falls as w grows (d grows,
 * and a correctly rounded division is monotone). So the greedy's W seats
 * are the first W of all stages' seats sorted by (merit descending, stage,
 * seat): the greedy merges sorted sequences. A threshold L > 0 cuts each
 * stage's sequence after its seats with merit > L; the policy's closed form
 * says where in O(1), checked so that the cut is exactly where merit()
 * would put it (cut_all). The seats above L lead the sorted order. When there are fewer than W of
 * them the greedy carries on from there (add_seats); when there are more,
 * its W seats are among them and the surplus, last in sorted order, comes
 * off (drop_seats). L is guessed from the votes so that the cut misses W
 * by about one seat per stage at most: the fix costs O(S log S).
 *
 * Stages whose votes are 0 (or negative) hold no seat above L > 0; they
 * only take part in add_seats, which is the greedy itself. Runs of seats
 * of equal merit (no votes, infinite votes) go to a stage at once: within
 * one stage nothing can come between them. */

/* The live stages of one decision, in stage order: index i is the i-th
 * live stage, so comparing i compares stages. */
typedef struct tally {
    jf_policy_t policy;
    divisor_t div;
    size_t n, npos;          /* live stages; those with votes > 0 */
    size_t stage[MAX_LIVE];  /* the stage index of each */
    double votes[MAX_LIVE];
    double size[MAX_LIVE]; /* see size_of; 0 without votes */
    double size_sum, size_scale; /* sum of size / size_scale, which cannot overflow */
    unsigned seats[MAX_LIVE];
    double head[MAX_LIVE]; /* add_seats: merit of seat seats[i], the next one */
    double tail[MAX_LIVE]; /* drop_seats: merit of seat seats[i] - 1, the last; NaN if none */
} tally_t;

static double seat_merit(const tally_t *t, size_t i, unsigned seat)
{
    return merit(&t->div, t->votes[i], seat);
}

/* A stage's seats above a threshold L grow as its votes (divisor
 * methods) or as their square root (exhaustive): its "size". */
static double size_of(jf_policy_t policy, double votes)
{
    return policy == JF_POLICY_EXHAUSTIVE ? sqrt(votes) : votes;
}

/* A guess of the W-th seat's merit L: the L for which the sum over stages
 * of the closed forms below, each ceiling counted as +1/2, is W. Sets
 * *per_size to what multiplies a stage's size to give the closed form's
 * argument. Returns 0 when W is within the number of stages with votes
 * (the greedy from nothing is as cheap) or the guess is not a normal
 * finite double. */
static double guess_threshold(const tally_t *t, unsigned workers, double *per_size)
{
    double m = (double)t->npos, w = workers, l;

    if (t->npos == 0 || workers <= t->npos)
        return 0;
    switch (t->policy) {
    case JF_POLICY_EXHAUSTIVE: /* sum of sqrt(v/L) - 1 = W */
        l = t->size_sum * (t->size_scale / (w + m));
        *per_size = 1 / l;
        l *= l;
        break;
    case JF_POLICY_SAINTE_LAGUE: /* sum of v/(2L) = W */
        l = t->size_sum * (t->size_scale / (2 * w));
        *per_size = 1 / l;
        break;
    case JF_POLICY_ADAMS: /* sum of v/L + 1/2 = W */
        l = t->size_sum * (t->size_scale / (w - m / 2));
        *per_size = 1 / l;
        break;
    case JF_POLICY_DHONDT:
    default: /* sum of v/L - 1/2 = W */
        l = t->size_sum * (t->size_scale / (w + m / 2));
        *per_size = 1 / l;
        break;
    }
    return l >= DBL_MIN && l <= DBL_MAX && isfinite(*per_size) ? l : 0;
}

/* How many seats w >= 0 have merit > L, by the closed form, where y is
 * the stage's size times per_size: a guess that cut_at checks. At most
 * `cap`. For exhaustive, y = sqrt(v/L) and (w+1)(w+2) < y^2 means
 * w < sqrt(y^2 + 1/4) - 3/2; the 1/4 is left out, which moves the guess
 * only for stages of a seat or two, and saves a square root per stage. */
static unsigned closed_form_seats(jf_policy_t policy, double y, unsigned cap)
{
    double below;

    switch (policy) {
    case JF_POLICY_EXHAUSTIVE:
        below = y - 1.5;
        break;
    case JF_POLICY_SAINTE_LAGUE: /* 2w+1 < v/L */
        below = (y - 1) / 2;
        break;
    case JF_POLICY_ADAMS: /* w + 1e-9 < v/L */
        below = y - 1e-9;
        break;
    case JF_POLICY_DHONDT:
    default: /* w+1 < v/L */
        below = y - 1;
        break;
    }
    below = below > 0 ? below : 0; /* no branches: stages without votes are common */
    below = below < cap ? below : cap;
    unsigned whole = (unsigned)below;
    return whole + (whole < below); /* the ceiling */
}

/* The number of seats of stage i (votes > 0) with merit > L, at most
 * `cap`, exactly as merit() computes them: the first seat in [0, cap)
 * with merit <= L, or cap. Gallops from the guess, then bisects: O(log
 * cap) at worst. For the rare guess cut_all cannot vouch for. */
static unsigned cut_at(const tally_t *t, size_t i, double l, unsigned guess, unsigned cap)
{
    long long lo, hi, step = 1; /* the cut is in (lo, hi] */

    if (guess < cap && seat_merit(t, i, guess) > l) {
        lo = guess;
        hi = lo + 1;
        while (hi < cap && seat_merit(t, i, (unsigned)hi) > l) {
            lo = hi;
            step *= 2;
            hi = lo + step;
        }
        if (hi > cap)
            hi = cap;
    } else {
        hi = guess;
        lo = hi - 1;
        while (lo >= 0 && seat_merit(t, i, (unsigned)lo) <= l) {
            hi = lo;
            step *= 2;
            lo = hi - step;
        }
        if (lo < -1)
            lo = -1;
    }
    while (hi - lo > 1) {
        long long mid = lo + (hi - lo) / 2;
        if (seat_merit(t, i, (unsigned)mid) > l)
            lo = mid;
        else
            hi = mid;
    }
    return (unsigned)hi;
}

/* How many seats of stage i from seats[i] on have the merit m, at most
 * `limit`; seat seats[i] has it. O(log limit). A stage's merits are
 * monotone, so a run of equal ones is contiguous. */
static unsigned run_length(const tally_t *t, size_t i, double m, unsigned limit)
{
    unsigned long long lo = 1, hi = limit + 1ull, step = 1; /* lo seats have it, hi do not */
    unsigned first = t->seats[i]; /* the k-th seat of the run is first + k - 1 */

    while (lo < limit) {
        unsigned long long probe = limit - lo > step ? lo + step : limit;
        if (seat_merit(t, i, first + (unsigned)probe - 1) != m) {
            hi = probe;
            break;
        }
        lo = probe;
        step *= 2;
    }
    while (hi - lo > 1) {
        unsigned long long mid = lo + (hi - lo) / 2;
        if (seat_merit(t, i, first + (unsigned)mid - 1) == m)
            lo = mid;
        else
            hi = mid;
    }
    return (unsigned)lo;
}

/* A tournament over the live stages: node k holds the stage that wins
 * its subtree and that stage's key, a merit; node 1 the overall winner.
 * In seat order the key is the next seat's merit and the largest wins; in
 * drop order it is the last seat's merit and the smallest wins. Every
 * stage of a left subtree comes before every stage of the right one, so
 * ties go to the left in seat order (the earlier stage gets the seat) and
 * to the right in drop order (the later stage's seat was given last). The
 * leaves are padded to a power of two with keys that always lose: -inf in
 * seat order (a tie goes left, to the real stage), NaN in drop order, as
 * for a stage with no seat to drop. O(S) to build, O(log S) to update. */
typedef struct tourney {
    bool drop;
    size_t leaves;
    double key[2 * MAX_LIVE];
    uint8_t stage[2 * MAX_LIVE];
} tourney_t;

/* Whether the right contestant, with key `right`, beats the left one. */
static bool right_wins(const tourney_t *c, double left, double right)
{
    return c->drop ? right <= left || isnan(left) : right > left;
}

static void tourney_init(tourney_t *c, const double *key, size_t n, bool drop)
{
    c->drop = drop;
    c->leaves = 1;
    while (c->leaves < n)
        c->leaves *= 2;
    for (size_t i = 0; i < c->leaves; i++) {
        c->key[c->leaves + i] = i < n ? key[i] : drop ? NAN : -INFINITY;
        c->stage[c->leaves + i] = (uint8_t)i;
    }
    for (size_t k = c->leaves - 1; k >= 1; k--) {
        size_t w = 2 * k + right_wins(c, c->key[2 * k], c->key[2 * k + 1]);
        c->key[k] = c->key[w];
        c->stage[k] = c->stage[w];
    }
}

/* Stage i's key is now `key`: replays its matches up to the root. The
 * climbing contestant stays in registers; only its rivals are loaded. */
static void tourney_update(tourney_t *c, size_t i, double key)
{
    size_t k = c->leaves + i;
    uint8_t stage = (uint8_t)i;

    c->key[k] = key;
    for (; k > 1; k /= 2) {
        size_t rival = k ^ 1;
        bool climber_left = (k & 1) == 0;
        double rival_key = c->key[rival];
        bool rights = climber_left ? right_wins(c, key, rival_key) : right_wins(c, rival_key, key);
        if (rights == climber_left) {
            key = rival_key;
            stage = c->stage[rival];
        }
        c->key[k / 2] = key;
        c->stage[k / 2] = stage;
    }
}

/* Up to this many seats to add or drop, scanning the stages for each is
 * cheaper than building the tournament. */
#define FEW_SEATS 2

/* The stage whose next seat comes first: the largest head, ties to the
 * earlier stage. */
static size_t first_head(const tally_t *t)
{
    size_t best = 0;
    double top = t->head[0];

    for (size_t i = 1; i < t->n; i++) {
        bool better = t->head[i] > top; /* no branch: the data decide it at random */
        best = better ? i : best;
        top = better ? t->head[i] : top;
    }
    return best;
}

/* The stage whose last seat came last: the smallest tail among stages
 * with seats, ties to the later stage. */
static size_t last_tail(const tally_t *t)
{
    size_t last = 0;
    double low = INFINITY;

    for (size_t i = 0; i < t->n; i++) {
        bool later = t->tail[i] <= low; /* false for NaN: no seat */
        last = later ? i : last;
        low = later ? t->tail[i] : low;
    }
    return last;
}

/* The greedy from the current seats: `left` (> 0) more, each to the
 * largest head. A stage whose next seats tie with the one it gets takes
 * them all at once: nothing can come between them. Returns the merit of
 * the last seat given. */
static double add_seats(tally_t *t, unsigned left)
{
    tourney_t c;
    double last = 0;

    bool few = left <= FEW_SEATS;

    for (size_t i = 0; i < t->n; i++)
        t->head[i] = seat_merit(t, i, t->seats[i]);
    if (!few)
        tourney_init(&c, t->head, t->n, false);
    while (left > 0) {
        size_t i = few ? first_head(t) : c.stage[1];
        last = t->head[i];
        t->seats[i]++;
        left--;
        t->head[i] = seat_merit(t, i, t->seats[i]);
        if (t->head[i] == last && left > 0) {
            unsigned run = run_length(t, i, last, left);
            t->seats[i] += run;
            left -= run;
            t->head[i] = seat_merit(t, i, t->seats[i]);
        }
        if (!few)
            tourney_update(&c, i, t->head[i]);
    }
    return last;
}

/* Takes back the `extra` seats last in seat order. Returns the merit of
 * the last seat kept: the seat the greedy would have given last. */
static double drop_seats(tally_t *t, unsigned long long extra)
{
    tourney_t c;
    bool few = extra <= FEW_SEATS;

    for (size_t i = 0; i < t->n; i++)
        t->tail[i] = t->seats[i] > 0 ? seat_merit(t, i, t->seats[i] - 1) : NAN;
    if (!few)
        tourney_init(&c, t->tail, t->n, true);
    for (; extra > 0; extra--) {
        size_t i = few ? last_tail(t) : c.stage[1];
        t->tail[i] = --t->seats[i] > 0 ? seat_merit(t, i, t->seats[i] - 1) : NAN;
        if (!few)
            tourney_update(&c, i, t->tail[i]);
    }
    return t->tail[few ? last_tail(t) : c.stage[1]];
}

/* How far from the cut the closed form must put a seat for cut_all to
 * trust the real arithmetic: far above the rounding of x (3 units in the
 * last place) and of the merit (1), yet too small to matter to a guess. */
#define TRUST 1e-12

/* Cuts every stage with votes at the threshold L, a normal positive
 * double: seats[i] is the number of seats with merit > L, exactly as
 * merit() computes them. The closed form's guess g is vouched for without
 * a division: with x = v/L, merit(w) = v/d(w) rounded is above L when
 * d(w) < x (1 - TRUST) and at most L when d(w) > x (1 + TRUST) (a
 * correctly rounded division is monotone, and L is a double). Seat g - 1
 * must be above and seat g not; a guess within TRUST of the cut, rare,
 * is searched for with merit() itself. Returns the seats given. */
static unsigned long long cut_all(tally_t *t, double l, double per_size, unsigned cap)
{
    unsigned long long seated = 0;
    double per_vote = 1 / l;

    for (size_t i = 0; i < t->n; i++) {
        /* Votes <= 0 have size 0, so g = 0, and x <= 0: vouched for. */
        unsigned g = closed_form_seats(t->policy, t->size[i] * per_size, cap);
        double x = t->votes[i] * per_vote;
        bool above = g == 0 || divisor_at(&t->div, g - 1) < x * (1 - TRUST);
        bool below = g == cap || divisor_at(&t->div, g) > x * (1 + TRUST);
        t->seats[i] = above && below ? g : cut_at(t, i, l, g, cap);
        seated += t->seats[i];
    }
    return seated;
}

double jf__policy_apportion(jf_policy_t policy, const jf_stage_view_t *stages, size_t n,
                            unsigned workers, unsigned *alloc)
{
    tally_t t;
    unsigned long long seated = 0;
    double last;

    t.policy = policy;
    t.div = divisors[policy];
    t.n = t.npos = 0;
    t.size_sum = 0;
    t.size_scale = (double)n;
    double per_stage = 1 / t.size_scale;
    for (size_t s = 0; s < n; s++) {
        /* Without branches (done stages and empty queues come in no
         * order): a done stage's entry is overwritten by the next one. */
        double v = jf__policy_votes(&stages[s]), size = size_of(policy, v > 0 ? v : 0);
        bool live = !stages[s].done;
        t.stage[t.n] = s;
        t.votes[t.n] = v;
        t.size[t.n] = size;
        t.size_sum += live ? size * per_stage : 0;
        t.npos += live & (v > 0);
        t.n += live;
    }
    if (t.n == 0 || workers == 0)
        return 0;
    double per_size, l = guess_threshold(&t, workers, &per_size);
    if (l > 0) {
        seated = cut_all(&t, l, per_size, workers);
    } else {
        for (size_t i = 0; i < t.n; i++)
            t.seats[i] = 0;
    }
    if (seated < workers)
        last = add_seats(&t, workers - (unsigned)seated);
    else
        last = drop_seats(&t, seated - workers);
    for (size_t i = 0; i < t.n; i++)
        alloc[t.stage[i]] = t.seats[i];
    return last;
}
