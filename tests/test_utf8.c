/* test_utf8.c - UTF-8 checks and repair against Unicode's table and a decoder written apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/jf_utf8.h"

#define FFFD JF_UTF8_REPLACEMENT

/* jf_utf8_check over a string literal (which may hold NULs). */
#define CHECK(lit) jf_utf8_check((lit), sizeof(lit) - 1)

/* The reference: decodes the sequence at s by the bit patterns and calls it
 * well-formed when the code point is the shortest form's, not a surrogate
 * and at most U+10FFFF. Returns its length, or 0. */
static size_t reference_len(const unsigned char *s, size_t avail)
{
    static const uint32_t shortest[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t n = (s[0] & 0x80) == 0 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
             : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    uint32_t cp;

    if (n == 0 || n > avail)
        return 0;
    cp = n == 1 ? s[0] : s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < shortest[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return n;
}

static void test_utf8_accepts_well_formed_text(void **state)
{
    (void)state;
    assert_int_equal(jf_utf8_check("", 0), JF_UTF8_VALID);
    assert_int_equal(CHECK("plain ASCII, with \x7f"), JF_UTF8_VALID);
    assert_int_equal(CHECK("a\0b"), JF_UTF8_VALID); /* a NUL is a character */
    assert_int_equal(CHECK("\xc2\x80 \xdf\xbf"), JF_UTF8_VALID);             /* U+0080, U+07FF */
    assert_int_equal(CHECK("\xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80"), JF_UTF8_VALID); /* around
                                                                      the surrogates */
    assert_int_equal(CHECK("\xef\xbf\xbd \xef\xbf\xbf"), JF_UTF8_VALID);     /* U+FFFD, U+FFFF */
    assert_int_equal(CHECK("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"), JF_UTF8_VALID); /* U+10000,
                                                                          U+10FFFF */
    assert_int_equal(CHECK("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), JF_UTF8_VALID);
}

/* The offset is that of the first byte of the first bad sequence. */
static void test_utf8_finds_the_first_ill_formed_byte(void **state)
{
    (void)state;
    assert_int_equal(CHECK("ab\xff\xfe"), 2);
    assert_int_equal(CHECK("\x80"), 0);                /* a stray continuation byte */
    assert_int_equal(CHECK("ok\xc3\xa9\xc0\xaf"), 4);  /* overlong '/' */
    assert_int_equal(CHECK("\xc1\xbf"), 0);            /* overlong U+007F */
    assert_int_equal(CHECK("\xe0\x80\xaf"), 0);        /* overlong, three bytes */
    assert_int_equal(CHECK("\xe0\x9f\xbf"), 0);        /* overlong U+07FF */
    assert_int_equal(CHECK("\xf0\x8f\xbf\xbf"), 0);    /* overlong U+FFFF */
    assert_int_equal(CHECK("x\xed\xa0\x80"), 1);       /* surrogate U+D800 */
    assert_int_equal(CHECK("\xed\xbf\xbf"), 0);        /* surrogate U+DFFF */
    assert_int_equal(CHECK("\xf4\x90\x80\x80"), 0);    /* U+110000 */
    assert_int_equal(CHECK("\xf5\x80\x80\x80"), 0);    /* lead byte of nothing */
    assert_int_equal(CHECK("\xfe"), 0);
    assert_int_equal(CHECK("abc\xe2\x82"), 3);         /* cut short by the end */
    assert_int_equal(CHECK("\xe2\x82x"), 0);           /* cut short by an ASCII byte */
    assert_int_equal(CHECK("\xc3\0"), 0);              /* a NUL is never a continuation */
    assert_int_equal(jf_utf8_check("\xe2\x82\xac", 2), 0); /* len bounds the sequence */
}

static void test_utf8_seq_len_matches_a_decoder_everywhere(void **state)
{
    unsigned char s[4];
    (void)state;

    assert_int_equal(jf_utf8_seq_len((const unsigned char *)"a", 0), 0);
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (unsigned char)a;
        assert_int_equal(jf_utf8_seq_len(s, 1), reference_len(s, 1));
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            assert_int_equal(jf_utf8_seq_len(s, 2), reference_len(s, 2));
            if (a < 0xe0 || a > 0xf4)
                continue;
            for (unsigned c = 0; c < 256; c++) {
                s[2] = (unsigned char)c;
                size_t got = jf_utf8_seq_len(s, 3);
                if (got != reference_len(s, 3))
                    fail_msg("%02x %02x %02x: %zu", a, b, c, got);
                s[3] = (unsigned char)(c & 1 ? 0x80 + (c >> 2) : c); /* both kinds of 4th */
                got = jf_utf8_seq_len(s, 4);
                if (got != reference_len(s, 4))
                    fail_msg("%02x %02x %02x %02x: %zu", a, b, c, s[3], got);
            }
        }
    }
}

/* Repairs into a buffer of cap and checks the text and the returned length. */
static void repaired(const char *in, size_t len, size_t cap, const char *want, size_t total)
{
    char out[64];

    assert_true(cap <= sizeof out);
    memset(out, '#', sizeof out);
    assert_int_equal(jf_utf8_repair(out, cap, in, len), total);
    assert_string_equal(out, want);
    assert_int_equal(jf_utf8_check(out, strlen(out)), JF_UTF8_VALID);
}

#define REPAIRED(lit, cap, want, total) repaired((lit), sizeof(lit) - 1, (cap), (want), (total))

/* Each maximal ill-formed subpart is one U+FFFD (Unicode's "U+FFFD
 * Substitution of Maximal Subparts"). */
static void test_utf8_repair_replaces_maximal_subparts(void **state)
{
    (void)state;
    REPAIRED("caf\xc3\xa9", 64, "caf\xc3\xa9", 5);
    REPAIRED("ab\xff\xfe", 64, "ab" FFFD FFFD, 8);
    REPAIRED("\xe2\x82x", 64, FFFD "x", 4);              /* E2 82 could have begun one */
    REPAIRED("\xe0\x80", 64, FFFD FFFD, 6);              /* E0 80 could not */
    REPAIRED("\xed\xa0\x80", 64, FFFD FFFD FFFD, 9);     /* nor a surrogate */
    REPAIRED("\xf4\x90\x80\x80", 64, FFFD FFFD FFFD FFFD, 12);
    REPAIRED("\xf0\x9f\x98", 64, FFFD, 3);               /* cut short: one subpart */
    REPAIRED("\"k\xc3\": 1", 64, "\"k" FFFD "\": 1", 9); /* ASCII syntax stays */
}

static void test_utf8_bad_len_is_the_maximal_subpart(void **state)
{
    (void)state;
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"\xc3\xa9", 2), 0);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"a", 1), 0);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"\xff", 1), 1);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"\x80\x80", 2), 1);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"\xe2\x82x", 3), 2);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"\xf0\x9f\x98x", 4), 3);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"\xf0\x8f\x98", 3), 1);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"\xe2\x82\xac", 2), 2);
    assert_int_equal(jf_utf8_bad_len((const unsigned char *)"", 0), 0);
}

static void test_utf8_repair_truncates_like_snprintf(void **state)
{
    (void)state;
    assert_int_equal(jf_utf8_repair(NULL, 0, "a\xff", 2), 4);
    REPAIRED("a\xff", 1, "", 4);
    REPAIRED("a\xff", 4, "a", 4);                        /* never half a character */
    REPAIRED("a\xff", 5, "a" FFFD, 4);
    REPAIRED("a\xffz", 5, "a" FFFD, 5);                  /* nothing after what did not fit */
    REPAIRED("\xc3\xa9\xc3\xa9", 4, "\xc3\xa9", 4);
    REPAIRED("", 1, "", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_accepts_well_formed_text),
        cmocka_unit_test(test_utf8_finds_the_first_ill_formed_byte),
        cmocka_unit_test(test_utf8_seq_len_matches_a_decoder_everywhere),
        cmocka_unit_test(test_utf8_repair_replaces_maximal_subparts),
        cmocka_unit_test(test_utf8_bad_len_is_the_maximal_subpart),
        cmocka_unit_test(test_utf8_repair_truncates_like_snprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
