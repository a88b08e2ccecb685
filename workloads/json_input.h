/* json_input.h - JSON text from outside bench, parsed with exact reasons for refusing it. */
#ifndef WORKLOAD_JSON_INPUT_H
#define WORKLOAD_JSON_INPUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Deepest nesting of arrays and objects the parser accepts: cJSON's limit
 * (its parse of level 1001 fails like a syntax error; this names it). */
#define WORKLOAD_JSON_INPUT_MAX_DEPTH CJSON_NESTING_LIMIT

/* Parses text[0, len), one JSON value with nothing after it but white
 * space, into *doc, and checks every string in it, member names included,
 * as UTF-8 (jf_utf8_check: no overlong forms, surrogates or code points
 * above U+10FFFF), because what bench reads it writes again. Returns 0 and
 * *doc (free with cJSON_Delete), or leaves *doc NULL, writes one line into
 * why[0, size) and returns:
 *   JF_EPARSE  "not valid JSON near line N" (N counts from 1; the reason
 *              follows in parentheses for a NUL byte or text after the value)
 *   JF_ERANGE  "nested deeper than 1000 levels" (WORKLOAD_JSON_INPUT_MAX_DEPTH)
 *   JF_EINVAL  "<path>: invalid UTF-8 at byte offset K" for a string value,
 *              "<path>: member name: invalid UTF-8 at byte offset K" for a
 *              member name, where <path> is the JSON path of the value or of
 *              the object ("stages[0].name"; empty at the top level, then the
 *              line starts at what follows it) and K counts the bytes of
 *              the decoded string before the first bad one, from 0
 * (cJSON running out of memory looks like a syntax error: JF_EPARSE.)
 * Thread-safe: cJSON's process-wide error state is written under a lock. */
int workload_json_input_parse(const char *text, size_t len, cJSON **doc, char *why, size_t size);

#endif /* WORKLOAD_JSON_INPUT_H */
