/* json.c - null-safe cJSON member helpers and the atomic JSON file writer. */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jf_utf8.h"
#include "viz/jf_numfmt.h"

void bench_json_add(cJSON *o, const char *key, cJSON *item, bool *ok)
{
    if (!item || !cJSON_AddItemToObject(o, key, item)) {
        cJSON_Delete(item);
        *ok = false;
    }
}

void bench_json_add_number(cJSON *o, const char *key, double v, bool *ok)
{
    bench_json_add(o, key, cJSON_CreateNumber(v), ok);
}

void bench_json_add_string(cJSON *o, const char *key, const char *s, bool *ok)
{
    bench_json_add(o, key, s ? cJSON_CreateString(s) : cJSON_CreateNull(), ok);
}

void bench_json_add_bool(cJSON *o, const char *key, bool v, bool *ok)
{
    bench_json_add(o, key, cJSON_CreateBool(v), ok);
}

cJSON *bench_json_add_object(cJSON *o, const char *key, bool *ok)
{
    cJSON *item = cJSON_CreateObject();
    bench_json_add(o, key, item, ok);
    return *ok ? item : NULL;
}

cJSON *bench_json_add_array(cJSON *o, const char *key, bool *ok)
{
    cJSON *item = cJSON_CreateArray();
    bench_json_add(o, key, item, ok);
    return *ok ? item : NULL;
}

void bench_json_push(cJSON *a, cJSON *item, bool *ok)
{
    if (!item || !a || !cJSON_AddItemToArray(a, item)) {
        cJSON_Delete(item);
        *ok = false;
    }
}

void bench_json_push_number(cJSON *a, double v, bool *ok)
{
    bench_json_push(a, cJSON_CreateNumber(v), ok);
}

void bench_json_push_string(cJSON *a, const char *s, bool *ok)
{
    bench_json_push(a, cJSON_CreateString(s), ok);
}

/* Turns every finite number under item into raw text in its shortest exact
 * form: cJSON's own printer accepts a form that reads back one unit in the
 * last place off, so a figure would not survive a round trip. */
static bool exact_numbers(cJSON *item)
{
    char buf[JF_NUMFMT_MAX];

    for (; item != NULL; item = item->next) {
        if (cJSON_IsNumber(item) && isfinite(item->valuedouble)) {
            char *raw = cJSON_malloc(JF_NUMFMT_MAX);
            if (raw == NULL)
                return false;
            snprintf(raw, JF_NUMFMT_MAX, "%s", jf_numfmt_shortest(buf, sizeof buf,
                                                                   item->valuedouble));
            item->type = cJSON_Raw;
            item->valuestring = raw;
        } else if (!exact_numbers(item->child)) {
            return false;
        }
    }
    return true;
}

/* text, made well-formed UTF-8: the same pointer when it already is, else
 * a repaired copy (text is freed). NULL stays NULL. */
static char *valid_utf8(char *text)
{
    size_t len = text != NULL ? strlen(text) : 0, need;
    char *fixed;

    if (text == NULL || jf_utf8_check(text, len) == JF_UTF8_VALID)
        return text;
    need = jf_utf8_repair(NULL, 0, text, len) + 1;
    if ((fixed = malloc(need)) != NULL)
        jf_utf8_repair(fixed, need, text, len);
    free(text);
    return fixed;
}

char *bench_json_print(const cJSON *doc, bool formatted)
{
    cJSON *copy = cJSON_Duplicate(doc, true);
    char *text = NULL;

    if (copy != NULL && exact_numbers(copy))
        text = formatted ? cJSON_Print(copy) : cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    return valid_utf8(text);
}

int bench_json_write_file(const cJSON *doc, const char *path)
{
    char tmp[4096];
    char *text = bench_json_print(doc, true);
    int err = 0;

    if (!text)
        return -ENOMEM;
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        free(text);
        return -ENAMETOOLONG;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        err = -errno;
        free(text);
        return err;
    }
    size_t len = strlen(text);
    if (fwrite(text, 1, len, f) != len || fputc('\n', f) == EOF || fflush(f) != 0)
        err = -(errno ? errno : EIO);
    /* fsync so that a crash after the rename cannot leave an empty file. */
    if (fsync(fileno(f)) != 0 && !err)
        err = -errno;
    if (fclose(f) != 0 && !err)
        err = -errno;
    free(text);
    if (!err && rename(tmp, path) != 0)
        err = -errno;
    if (err)
        unlink(tmp);
    return err;
}

double bench_json_number(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *bench_json_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}
