/* history.c - build, append and read the lines of history.jsonl. */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jefferson/error.h"
#include "json.h"
#include "workloads/json_input.h"

/* Copies member key of from (if present) into to. */
static void copy(cJSON *to, const cJSON *from, const char *key, const char *as, bool *ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    bench_json_add(to, as ? as : key, v ? cJSON_Duplicate(v, true) : cJSON_CreateNull(), ok);
}

static void add_result(cJSON *arr, const cJSON *r, bool *ok)
{
    cJSON *o = cJSON_CreateObject();

    bench_json_push(arr, o, ok);
    if (!*ok)
        return;
    copy(o, r, "strategy", NULL, ok);
    copy(o, r, "policy", NULL, ok);
    copy(o, cJSON_GetObjectItemCaseSensitive(r, "wall_ns"), "median", "median_ns", ok);
    copy(o, r, "efficiency", NULL, ok);
    copy(o, r, "decisions", NULL, ok);
    copy(o, r, "reallocations", NULL, ok);
    copy(o, r, "samples_ns", NULL, ok);
}

char *bench_history_line(const cJSON *doc, const char *dir)
{
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(doc, "context");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "workload"), *r;
    cJSON *line = cJSON_CreateObject();
    bool ok = line != NULL;

    bench_json_add_string(line, "schema", BENCH_HISTORY_SCHEMA, &ok);
    copy(line, ctx, "commit", NULL, &ok);
    copy(line, ctx, "date", NULL, &ok);
    copy(line, ctx, "host", NULL, &ok);
    copy(line, w, "name", "workload", &ok);
    copy(line, doc, "sim", NULL, &ok);
    copy(line, doc, "cores", NULL, &ok);
    copy(line, doc, "batch", NULL, &ok);
    copy(line, doc, "batch_max", NULL, &ok);
    copy(line, w, "items", NULL, &ok);
    copy(line, w, "seed", NULL, &ok);
    bench_json_add_string(line, "dir", dir, &ok);
    cJSON *results = bench_json_add_array(line, "results", &ok);
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "results"))
        if (ok)
            add_result(results, r, &ok);
    char *text = ok ? bench_json_print(line, false) : NULL;
    cJSON_Delete(line);
    return text;
}

int bench_history_append(const char *path, const char *line)
{
    size_t len = strlen(line);
    char *buf = malloc(len + 1);
    int err = 0;

    if (!buf)
        return -ENOMEM;
    /* results/ is made on first use, as for the default results directory. */
    if (strcmp(path, BENCH_HISTORY_DEFAULT) == 0 && mkdir(BENCH_HISTORY_DIR, 0777) != 0 &&
        errno != EEXIST) {
        err = -errno;
        free(buf);
        return err;
    }
    memcpy(buf, line, len);
    buf[len] = '\n';
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        err = -errno;
        free(buf);
        return err;
    }
    ssize_t n = write(fd, buf, len + 1);
    if (n < 0)
        err = -errno;
    else if ((size_t)n != len + 1)
        err = -EIO;
    if (fsync(fd) != 0 && !err)
        err = -errno;
    if (close(fd) != 0 && !err)
        err = -errno;
    free(buf);
    return err;
}

static bool is_history_line(const cJSON *o)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "schema");
    return cJSON_IsString(s) && strcmp(s->valuestring, BENCH_HISTORY_SCHEMA) == 0 &&
           cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "workload")) &&
           cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "results"));
}

/* Keeps line number lineno, parsed, or counts it as skipped. */
static int keep(bench_history_t *h, const char *text, size_t lineno, size_t *cap)
{
    cJSON *o = NULL;

    /* Not JSON, nested too deep or not UTF-8: a bad line like any other. */
    if (workload_json_input_parse(text, strlen(text), &o, NULL, 0) != 0 || !is_history_line(o)) {
        cJSON_Delete(o);
        if (h->skipped++ == 0)
            h->first_skipped = lineno;
        return 0;
    }
    if (h->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        cJSON **more = realloc(h->lines, ncap * sizeof *more);
        if (!more) {
            cJSON_Delete(o);
            return JF_ENOMEM;
        }
        h->lines = more;
        *cap = ncap;
    }
    h->lines[h->n++] = o;
    return 0;
}

int bench_history_read(const char *path, bench_history_t *h, char *why, size_t size)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t textcap = 0, cap = 0, lineno = 0;
    int rc = 0;

    memset(h, 0, sizeof *h);
    if (!f) {
        snprintf(why, size, "%s", strerror(errno));
        return JF_EIO;
    }
    while (rc == 0 && getline(&text, &textcap, f) >= 0) {
        lineno++;
        if (text[strspn(text, " \t\r\n")] != '\0') /* blank lines are no records, nor bad */
            rc = keep(h, text, lineno, &cap);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(why, size, "read error");
        rc = JF_EIO;
    }
    free(text);
    fclose(f);
    return rc;
}

void bench_history_fini(bench_history_t *h)
{
    for (size_t i = 0; i < h->n; i++)
        cJSON_Delete(h->lines[i]);
    free(h->lines);
    memset(h, 0, sizeof *h);
}
