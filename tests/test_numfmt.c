/* test_numfmt.c - numbers as text: exact round trips and figures rounded once. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "viz/jf_numfmt.h"

static double from_bits(uint64_t bits)
{
    double v;

    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Every finite double reads back as itself, also those whose 15-digit
 * form is one unit in the last place off (2.3850000000000002). */
static void test_numfmt_shortest_round_trips(void **state)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    char buf[JF_NUMFMT_MAX];
    (void)state;

    assert_string_equal(jf_numfmt_shortest(buf, sizeof buf, 2.3850000000000002),
                        "2.3850000000000002");
    assert_string_equal(jf_numfmt_shortest(buf, sizeof buf, 0.9855), "0.9855");
    assert_string_equal(jf_numfmt_shortest(buf, sizeof buf, 20292500), "20292500");
    assert_string_equal(jf_numfmt_shortest(buf, sizeof buf, 9007199254740992.0),
                        "9007199254740992");
    assert_string_equal(jf_numfmt_shortest(buf, sizeof buf, -0.5), "-0.5");
    assert_string_equal(jf_numfmt_shortest(buf, sizeof buf, NAN), "null");
    assert_string_equal(jf_numfmt_shortest(buf, sizeof buf, -INFINITY), "null");
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v = from_bits(x);
        if (!isfinite(v))
            continue;
        jf_numfmt_shortest(buf, sizeof buf, v);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &v, sizeof v) != 0)
            fail_msg("%.17g printed as %s", v, buf);
    }
}

/* Rounding happens once, half away from zero, on the digits the stored
 * value is written with: 0.9005 is 90.1 % although 0.9005 * 100 is
 * 90.04999999999999 in binary. */
static void test_numfmt_fixed_rounds_once(void **state)
{
    static const struct {
        double v;
        int exp10;
        unsigned decimals;
        const char *text;
    } cases[] = {
        {0.9005, 2, 1, "90.1"},        {0.98549999999999993, 2, 1, "98.5"},
        {0.9855, 2, 1, "98.6"},        {2.385, 0, 2, "2.39"},
        {2.3849999, 0, 2, "2.38"}, {0.9999, 2, 1, "100.0"},
        {0.99999, 2, 1, "100.0"},      {0.0004, 2, 1, "0.0"},
        {0.0005, 2, 1, "0.1"},         {12345000, -6, 2, "12.35"},
        {12344999, -6, 2, "12.34"},    {1500000, -6, 3, "1.500"},
        {0, 2, 1, "0.0"},              {98558.58, 0, 0, "98559"},
        {-0.00004, 2, 1, "0.0"},       {-1.25, 0, 1, "-1.3"},
        {1e-300, 2, 1, "0.0"},         {1.5, 0, 0, "2"},
        {999.96, 0, 1, "1000.0"},      {1e25, 0, 0, "10000000000000000000000000"},
    };
    char buf[JF_NUMFMT_MAX];
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = jf_numfmt_fixed(buf, sizeof buf, cases[i].v, cases[i].exp10,
                                          cases[i].decimals);
        assert_non_null(got);
        if (strcmp(got, cases[i].text) != 0)
            fail_msg("%.17g (10^%d, %u decimals): \"%s\", expected \"%s\"", cases[i].v,
                     cases[i].exp10, cases[i].decimals, got, cases[i].text);
    }
    assert_null(jf_numfmt_fixed(buf, sizeof buf, NAN, 2, 1));
    assert_null(jf_numfmt_fixed(buf, sizeof buf, INFINITY, 0, 1));
    assert_null(jf_numfmt_fixed(buf, sizeof buf, 1e40, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numfmt_shortest_round_trips),
        cmocka_unit_test(test_numfmt_fixed_rounds_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
