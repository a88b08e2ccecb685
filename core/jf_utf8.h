/* jf_utf8.h - UTF-8 well-formedness: checking text from outside, repairing text for output. */
#ifndef JF_UTF8_H
#define JF_UTF8_H

#include <stddef.h>

/* What jf_utf8_check returns for well-formed text. */
#define JF_UTF8_VALID ((size_t)-1)

/* The bytes that replace an ill-formed sequence: U+FFFD REPLACEMENT CHARACTER. */
#define JF_UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Length (1 to 4) of the well-formed UTF-8 sequence that starts s[0, avail),
 * or 0 when none does: a stray continuation byte, C0/C1 or F5..FF, an
 * overlong form (E0 80..9F, F0 80..8F), a surrogate (ED A0..BF), a code
 * point above U+10FFFF (F4 90..), or a sequence cut short by avail. The
 * table is Unicode's (chapter 3, "Well-Formed UTF-8 Byte Sequences"). A NUL
 * byte is a well-formed sequence of 1. avail 0 returns 0. Thread-safe. */
size_t jf_utf8_seq_len(const unsigned char *s, size_t avail);

/* When s[0, avail) does not start a well-formed sequence: the length (1 to
 * 3) of the maximal ill-formed subpart there, the longest prefix of a
 * sequence that could have begun a well-formed one (else the one byte):
 * the bytes one U+FFFD stands for. 0 when a well-formed sequence starts
 * there or avail is 0. For writers that stream. Thread-safe. */
size_t jf_utf8_bad_len(const unsigned char *s, size_t avail);

/* Offset of the first byte of the first ill-formed sequence in s[0, len)
 * (from 0), or JF_UTF8_VALID when all of it is well-formed UTF-8. s may
 * hold NULs; len 0 is valid. Thread-safe. */
size_t jf_utf8_check(const char *s, size_t len);

/* Writes s[0, len) to out as well-formed UTF-8: each maximal ill-formed
 * subpart (jf_utf8_bad_len) becomes U+FFFD, as Unicode recommends;
 * the rest is copied. Only bytes >= 0x80 are ever replaced, so JSON, XML
 * and CSV syntax survive. Writes at most cap - 1 bytes, never cutting a
 * character, and a NUL (nothing when cap is 0, so out may then be NULL).
 * Returns the length of the whole repaired text, as snprintf does: the
 * output was complete when that is below cap. Thread-safe. */
size_t jf_utf8_repair(char *out, size_t cap, const char *s, size_t len);

#endif /* JF_UTF8_H */
