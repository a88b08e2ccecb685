/* jf_numfmt.h - numbers as text: JSON numbers that read back exactly, figures rounded once. */
#ifndef JF_NUMFMT_H
#define JF_NUMFMT_H

#include <stddef.h>

/* Room for any text these functions write. */
#define JF_NUMFMT_MAX 64

/* Writes the shortest decimal form of v that reads back (strtod) as the
 * same double: "0.9855", "20000", "1e-05". Integers up to 2^53 come out
 * exactly, without a fraction; a v that is not finite gives "null". Uses
 * "." whatever the locale. Returns buf (size >= JF_NUMFMT_MAX). */
char *jf_numfmt_shortest(char *buf, size_t size, double v);

/* Writes v * 10^exp10 with `decimals` digits after the point (at most 9),
 * rounded once, half away from zero, from v's shortest form above: so
 * 0.9855 with exp10 2 and 1 decimal is "98.6" wherever it is shown, and a
 * figure read back from result.json prints as it did when it was
 * measured. exp10 shifts the point without arithmetic (2: a ratio as a
 * percentage, -6: ns as ms). Returns buf (size >= JF_NUMFMT_MAX), or NULL
 * when v is not finite or too large to write (|v * 10^exp10| >= 10^30);
 * the caller shows what its format uses for a missing figure. */
char *jf_numfmt_fixed(char *buf, size_t size, double v, int exp10, unsigned decimals);

#endif /* JF_NUMFMT_H */
