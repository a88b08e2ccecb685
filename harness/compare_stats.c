/* compare_stats.c - Mann-Whitney U with exact or normal p-values, Hodges-Lehmann with Moses' CI. */
#include "compare_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jefferson/error.h"

/* One pooled observation: its value and which sample it came from. */
typedef struct obs {
    double v;
    int in_b;
} obs_t;

static int cmp_obs(const void *x, const void *y)
{
    double a = ((const obs_t *)x)->v, b = ((const obs_t *)y)->v;
    return (a > b) - (a < b);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double bench_cmp_median(const double *v, size_t n)
{
    double *s = n ? malloc(n * sizeof *s) : NULL, med;

    if (!s)
        return NAN;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    free(s);
    return med;
}

/* counts[s] = how many m-subsets of the N doubled ranks r2 sum to s, for
 * s = 0..*max_sum. Returns a new array (free()) or NULL when out of memory.
 * Counts stay exact in doubles for N <= BENCH_MWU_EXACT_MAX. */
static double *rank_sum_counts(const long *r2, size_t N, size_t m, long *max_sum)
{
    long top = 0;
    for (size_t i = 0; i < N; i++)
        top += r2[i];
    size_t width = (size_t)top + 1;
    double *c = calloc((m + 1) * width, sizeof *c);

    if (!c)
        return NULL;
    c[0] = 1.0; /* the empty subset sums to 0 */
    for (size_t i = 0; i < N; i++)
        for (size_t k = (i + 1 < m ? i + 1 : m); k >= 1; k--)
            for (long s = top; s >= r2[i]; s--)
                c[k * width + (size_t)s] += c[(k - 1) * width + (size_t)(s - r2[i])];
    double *out = malloc(width * sizeof *out);
    if (out)
        memcpy(out, c + m * width, width * sizeof *out);
    free(c);
    *max_sum = top;
    return out;
}

/* Doubled midranks of the pooled samples (sorted in place); *ties gets
 * sum(t^3 - t) over groups of t equal values. */
static void midranks(obs_t *o, size_t N, long *r2, double *ties)
{
    qsort(o, N, sizeof *o, cmp_obs);
    *ties = 0;
    for (size_t i = 0; i < N;) {
        size_t j = i;
        while (j + 1 < N && o[j + 1].v == o[i].v)
            j++;
        for (size_t k = i; k <= j; k++)
            r2[k] = (long)(i + j + 2); /* 2 * mean of ranks i+1 .. j+1 */
        double t = (double)(j - i + 1);
        *ties += t * t * t - t;
        i = j + 1;
    }
}

static double log_choose(size_t n, size_t k)
{
    return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

/* Two-sided p of the doubled rank sum w2 of m of the N observations,
 * exactly over every split. Returns -1 when out of memory. */
static double exact_p(const long *r2, size_t N, size_t m, long w2)
{
    long top;
    double *c = rank_sum_counts(r2, N, m, &top), total = 0, tail = 0;
    long e2 = (long)(m * (N + 1)), dev = labs(w2 - e2);

    if (!c)
        return -1;
    for (long s = 0; s <= top; s++) {
        total += c[s];
        if (labs(s - e2) >= dev)
            tail += c[s];
    }
    free(c);
    return total > 0 ? fmin(1.0, tail / total) : 1.0;
}

static double normal_p(double u, size_t n, size_t m, double ties)
{
    double N = (double)(n + m), nm = (double)n * (double)m;
    double var = nm / 12.0 * ((N + 1) - ties / (N * (N - 1)));
    if (!(var > 0))
        return 1.0;
    double z = (fabs(u - nm / 2.0) - 0.5) / sqrt(var);
    return z > 0 ? erfc(z / sqrt(2.0)) : 1.0;
}

int bench_mwu_test(const double *a, size_t n, const double *b, size_t m, bench_mwu_t *out)
{
    size_t N = n + m;
    obs_t *o = n && m ? malloc(N * sizeof *o) : NULL;
    long *r2 = o ? malloc(N * sizeof *r2) : NULL, w2 = 0;
    double ties;

    memset(out, 0, sizeof *out);
    if (!n || !m)
        return JF_EINVAL;
    if (!o || !r2) {
        free(o);
        return JF_ENOMEM;
    }
    for (size_t i = 0; i < N; i++)
        o[i] = (obs_t){i < n ? a[i] : b[i - n], i >= n};
    midranks(o, N, r2, &ties);
    for (size_t i = 0; i < N; i++)
        w2 += o[i].in_b ? r2[i] : 0;
    out->u = (double)w2 / 2.0 - (double)m * (double)(m + 1) / 2.0;
    out->min_p = fmin(1.0, exp(log(2.0) - log_choose(N, n)));
    out->exact = N <= BENCH_MWU_EXACT_MAX;
    out->p = out->exact ? exact_p(r2, N, m, w2) : normal_p(out->u, n, m, ties);
    free(o);
    free(r2);
    return out->p < 0 ? JF_ENOMEM : 0;
}

/* Upper quantile z with P(Z > z) = q of the standard normal, by bisection. */
static double z_upper(double q)
{
    double lo = 0, hi = 40;

    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(mid / sqrt(2.0)) > q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* Moses' rank k (1-based) of the interval's ends among the n*m sorted
 * differences, and the interval's coverage. Returns 0 or JF_ENOMEM. */
static int moses_k(size_t n, size_t m, double conf, size_t *k, double *level)
{
    size_t N = n + m, nm = n * m;
    double alpha2 = (1 - conf) / 2;

    if (N > BENCH_MWU_EXACT_MAX) {
        double sd = sqrt(nm * (N + 1.0) / 12.0), kk = floor(nm / 2.0 - z_upper(alpha2) * sd);
        *k = kk >= 1 ? (size_t)kk : 1;
        *level = kk >= 1 ? conf : 1 - erfc((nm / 2.0 - 0.5) / sd / sqrt(2.0));
        return 0;
    }
    long *r2 = malloc(N * sizeof *r2), top;
    for (size_t i = 0; r2 && i < N; i++)
        r2[i] = 2 * (long)(i + 1);
    double *c = r2 ? rank_sum_counts(r2, N, m, &top) : NULL, total = 0, cum = 0;
    free(r2);
    if (!c)
        return JF_ENOMEM;
    for (long s = 0; s <= top; s++)
        total += c[s];
    /* U = W - m(m+1)/2, so U = u is the doubled rank sum m(m+1) + 2u. */
    long base = (long)(m * (m + 1));
    *k = 1;
    *level = 1 - 2 * c[base] / total;
    for (size_t u = 0; u < nm / 2; u++) {
        cum += c[base + 2 * (long)u];
        if (cum / total > alpha2)
            break;
        *k = u + 1;
        *level = 1 - 2 * cum / total;
    }
    free(c);
    return 0;
}

int bench_hl_ratio(const double *a, size_t n, const double *b, size_t m, double conf,
                double *estimate, double *low, double *high, double *level)
{
    size_t nm = n * m, k;

    if (!n || !m || nm > BENCH_HL_MAX_PAIRS)
        return JF_EINVAL;
    double *d = malloc(nm * sizeof *d);
    if (!d)
        return JF_ENOMEM;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            d[i * m + j] = log(b[j] > 0 ? b[j] : 1) - log(a[i] > 0 ? a[i] : 1);
    qsort(d, nm, sizeof *d, cmp_double);
    int rc = moses_k(n, m, conf, &k, level);
    if (rc == 0) {
        *estimate = exp(nm % 2 ? d[nm / 2] : (d[nm / 2 - 1] + d[nm / 2]) / 2);
        *low = exp(d[k - 1]);
        *high = exp(d[nm - k]);
    }
    free(d);
    return rc;
}
