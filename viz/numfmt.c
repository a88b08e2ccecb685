/* numfmt.c - shortest round-trip decimals and decimal rounding on their digits. */
#include "jf_numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INT_DIGITS 30
#define MAX_DECIMALS 9

/* %g writes the locale's decimal point; JSON and every format here want '.'. */
static void dot(char *s)
{
    for (; *s; s++)
        if (*s != '-' && *s != '+' && *s != 'e' && (*s < '0' || *s > '9'))
            *s = '.';
}

char *jf_numfmt_shortest(char *buf, size_t size, double v)
{
    if (!isfinite(v)) { /* JSON has no such numbers */
        snprintf(buf, size, "null");
        return buf;
    }
    if (v == trunc(v) && fabs(v) <= 9007199254740992.0) { /* 2^53: every integer exact */
        snprintf(buf, size, "%.0f", v);
        return buf;
    }
    /* 17 significant digits always read back; fewer often do. strtod reads
     * the locale's decimal point, as %g wrote it. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            dot(buf);
            return buf;
        }
    }
    dot(buf);
    return buf;
}

/* The decimal digits of a shortest form and where its point is: the value
 * is 0.<digits> * 10^point. */
typedef struct decimal {
    char digits[24];
    size_t n;
    int point;
    int negative;
} decimal_t;

static void parse(const char *s, decimal_t *d)
{
    int before = 0, seen_point = 0;

    memset(d, 0, sizeof *d);
    if (*s == '-') {
        d->negative = 1;
        s++;
    }
    for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
        if (*s == '.') {
            seen_point = 1;
        } else if (d->n == 0 && *s == '0') {
            before -= seen_point; /* leading zeros only move the point */
        } else if (d->n < sizeof d->digits - 1) {
            d->digits[d->n++] = *s;
            before += !seen_point;
        }
    }
    d->point = before + (*s == 'e' || *s == 'E' ? atoi(s + 1) : 0);
}

/* Keeps the first `keep` digits, rounding half away from zero on the next. */
static void round_at(decimal_t *d, int keep)
{
    if (keep < 0) {
        d->n = 0;
        return;
    }
    if ((size_t)keep >= d->n)
        return;
    int up = d->digits[keep] >= '5';
    d->n = (size_t)keep;
    for (int i = keep - 1; up && i >= 0; i--) {
        up = d->digits[i] == '9';
        d->digits[i] = up ? '0' : (char)(d->digits[i] + 1);
    }
    if (up) { /* 9.99 -> 10.0: one more digit in front */
        memmove(d->digits + 1, d->digits, d->n);
        d->digits[0] = '1';
        d->n++;
        d->point++;
    }
}

static char digit_at(const decimal_t *d, int i)
{
    return i >= 0 && (size_t)i < d->n ? d->digits[i] : '0';
}

char *jf_numfmt_fixed(char *buf, size_t size, double v, int exp10, unsigned decimals)
{
    char text[JF_NUMFMT_MAX], out[JF_NUMFMT_MAX];
    decimal_t d;
    size_t k = 0;
    int nonzero = 0;

    if (!isfinite(v) || decimals > MAX_DECIMALS)
        return NULL;
    parse(jf_numfmt_shortest(text, sizeof text, v), &d);
    d.point += exp10;
    if (d.n > 0 && d.point > MAX_INT_DIGITS)
        return NULL;
    round_at(&d, d.point + (int)decimals);
    for (size_t i = 0; i < d.n; i++)
        nonzero |= d.digits[i] != '0';
    if (d.negative && nonzero)
        out[k++] = '-';
    if (d.point <= 0 || d.n == 0)
        out[k++] = '0';
    for (int i = 0; i < d.point && d.n > 0; i++)
        out[k++] = digit_at(&d, i);
    if (decimals > 0)
        out[k++] = '.';
    for (int i = 0; i < (int)decimals; i++)
        out[k++] = d.n > 0 ? digit_at(&d, d.point + i) : '0';
    out[k] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}
