/* json.h - cJSON building with one failure flag, and atomic file writes. */
#ifndef BENCH_JSON_H
#define BENCH_JSON_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* The bench_json_add* helpers add a member to object o. On failure (out of
 * memory, o NULL) they set *ok = false and leave o as it was, so a builder
 * checks *ok once at the end instead of after every member. Numbers are
 * doubles: integers up to 2^53 are exact and print without a fraction. */
/* Reading: o's member key as a number (NaN when missing or not a number)
 * or a string (NULL when missing or not a string). o may be NULL. */
double bench_json_number(const cJSON *o, const char *key);
const char *bench_json_string(const cJSON *o, const char *key);

void bench_json_add(cJSON *o, const char *key, cJSON *item, bool *ok); /* takes item */
void bench_json_add_number(cJSON *o, const char *key, double v, bool *ok);
void bench_json_add_string(cJSON *o, const char *key, const char *s, bool *ok); /* NULL: null */
void bench_json_add_bool(cJSON *o, const char *key, bool v, bool *ok);

/* Adds and returns a new empty object / array member, or NULL (*ok false). */
cJSON *bench_json_add_object(cJSON *o, const char *key, bool *ok);
cJSON *bench_json_add_array(cJSON *o, const char *key, bool *ok);

/* Append a number / string / item (taken) to array a; *ok as above. */
void bench_json_push_number(cJSON *a, double v, bool *ok);
void bench_json_push_string(cJSON *a, const char *s, bool *ok);
void bench_json_push(cJSON *a, cJSON *item, bool *ok);

/* doc as JSON text, formatted (cJSON_Print) or on one line
 * (cJSON_PrintUnformatted), with two guarantees cJSON does not give:
 * - every number in its shortest form that reads back as the same double
 *   (jf_numfmt_shortest): integers exactly, other figures at full precision;
 * - well-formed UTF-8: cJSON prints a string's bytes as they are, and strings
 *   that did not come from checked input (argv, the host name,
 *   /proc/cpuinfo, paths) may hold any; each ill-formed sequence becomes
 *   U+FFFD (jf_utf8_repair).
 * Every JSON document bench writes goes through here. Returns text to
 * free(), or NULL when out of memory. */
char *bench_json_print(const cJSON *doc, bool formatted);

/* Writes doc (bench_json_print), formatted and newline-terminated, to
 * path.tmp.<pid>, then renames it to path, so path is either absent, the
 * old file or the complete new one. Returns 0 or a negative errno (nothing left behind). */
int bench_json_write_file(const cJSON *doc, const char *path);

#endif /* BENCH_JSON_H */
