/* logfilter.c - filter JSON log lines by a field and print them as logfmt.
 *
 *   logfilter [options] --where FIELD=VALUE FILE
 *
 * Every line of FILE is one JSON object, e.g.
 *   {"ts":"2026-12-07T12:00:00Z","level":"error","service":"api","msg":"timeout"}
 * and one item, through three stages of this program's own:
 *
 *   parse   scan the object's top-level fields (strings are unescaped;
 *           numbers, true, false, null, objects and arrays are kept as
 *           written); a line that is not an object is counted and dropped
 *   filter  keep the line when FIELD is VALUE
 *   format  write a kept line as logfmt: key=value in the line's order, a
 *           value quoted when it is empty or holds a space, '=' or '"'
 *
 * and the sink writes the kept lines in input order. Plain string scanning,
 * no JSON library: the point is the pipeline, not the parser. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"

#define MAX_FIELDS 32

typedef struct field {
    char *key, *value;
} field_t;

/* The payload of one item; the sink frees what the stages allocated. */
typedef struct log_item {
    const char *line;
    size_t len;
    char *text;       /* parse: the decoded keys and values, NUL-separated */
    field_t fields[MAX_FIELDS];
    size_t nfields;
    int bad;          /* parse: not a JSON object of fields */
    int keep;         /* filter */
    char *logfmt;     /* format: the output line, with its newline */
} log_item_t;

typedef struct input {
    char *data;
    const char **lines;
    size_t *lens;
    size_t nlines;
} input_t;

typedef struct where {
    const char *field, *value;
} where_t;

typedef struct output {
    FILE *out;
    uint64_t kept, bad;
} output_t;

static log_item_t *payload(const jf_item_t *item)
{
    return item->payload;
}

static int source_line(void *ctx, jf_item_t *item)
{
    const input_t *in = ctx;
    log_item_t *li = item->payload;

    memset(li, 0, sizeof *li);
    li->line = in->lines[item->seq];
    li->len = in->lens[item->seq];
    return 0;
}

/* The scanner over one line: p moves, end is the line's end, w writes
 * decoded text into the item's buffer. */
typedef struct scan {
    const char *p, *end;
    char *w;
} scan_t;

static void skip_space(scan_t *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r'))
        s->p++;
}

static int hex4(const char *p)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                               : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A JSON string at s->p, decoded into s->w; returns its start or NULL.
 * \uXXXX outside ASCII becomes '?': logfmt output here is ASCII. */
static char *scan_string(scan_t *s)
{
    char *start = s->w;

    if (s->p >= s->end || *s->p++ != '"')
        return NULL;
    while (s->p < s->end && *s->p != '"') {
        char c = *s->p++;

        if (c == '\\') {
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *k;

            if (s->p >= s->end)
                return NULL;
            c = *s->p++;
            if (c == 'u') {
                int v = s->end - s->p >= 4 ? hex4(s->p) : -1;

                if (v < 0)
                    return NULL;
                s->p += 4;
                c = v < 0x80 ? (char)v : '?';
            } else if (c != '\0' && (k = strchr(from, c)) != NULL) {
                c = to[k - from];
            } else {
                return NULL;
            }
        }
        *s->w++ = c;
    }
    if (s->p >= s->end)
        return NULL;
    s->p++;
    *s->w++ = '\0';
    return start;
}

/* A value that is not a string, copied as written: up to the ',' or '}'
 * that ends it outside brackets and strings. */
static char *scan_raw(scan_t *s)
{
    char *start = s->w;
    int depth = 0, in_string = 0;

    for (; s->p < s->end; s->p++) {
        char c = *s->p;

        if (in_string) {
            if (c == '\\' && s->p + 1 < s->end)
                *s->w++ = *s->p++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                break; /* the object's end: not part of the value */
            depth--;
        } else if (c == ',' && depth == 0) {
            break;
        }
        *s->w++ = c;
    }
    while (s->w > start && (s->w[-1] == ' ' || s->w[-1] == '\t'))
        s->w--;
    *s->w++ = '\0';
    return s->w - 1 > start && !in_string && depth == 0 ? start : NULL;
}

/* One "key": value pair into li->fields. Returns 0 or -1. */
static int scan_field(scan_t *s, log_item_t *li)
{
    field_t *f = &li->fields[li->nfields];

    if (li->nfields == MAX_FIELDS || (f->key = scan_string(s)) == NULL)
        return -1;
    skip_space(s);
    if (s->p >= s->end || *s->p++ != ':')
        return -1;
    skip_space(s);
    f->value = s->p < s->end && *s->p == '"' ? scan_string(s) : scan_raw(s);
    if (f->value == NULL)
        return -1;
    li->nfields++;
    skip_space(s);
    return 0;
}

static int stage_parse(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    log_item_t *li = payload(in);
    scan_t s = {.p = li->line, .end = li->line + li->len};

    /* Decoded text is never longer than the line, plus a NUL per value. */
    if ((li->text = malloc(li->len + 2 * MAX_FIELDS + 1)) == NULL)
        return 1;
    s.w = li->text;
    skip_space(&s);
    li->bad = s.p >= s.end || *s.p++ != '{';
    skip_space(&s);
    if (!li->bad && s.p < s.end && *s.p == '}')
        s.p++;
    else
        while (!li->bad) {
            li->bad = scan_field(&s, li) != 0 || s.p >= s.end || (*s.p != ',' && *s.p != '}');
            if (li->bad || *s.p++ == '}')
                break;
            skip_space(&s);
        }
    skip_space(&s);
    li->bad = li->bad || s.p != s.end;
    return 0;
}

static int stage_filter(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    const where_t *w = ctx;
    log_item_t *li = payload(in);

    for (size_t i = 0; !li->bad && i < li->nfields; i++)
        if (strcmp(li->fields[i].key, w->field) == 0)
            li->keep = strcmp(li->fields[i].value, w->value) == 0;
    return 0;
}

static int needs_quotes(const char *v)
{
    if (*v == '\0')
        return 1;
    for (; *v != '\0'; v++)
        if ((unsigned char)*v <= ' ' || *v == '=' || *v == '"' || *v == '\\')
            return 1;
    return 0;
}

/* Appends v at w, quoted and escaped when logfmt needs it; returns the end. */
static char *put_value(char *w, const char *v)
{
    int quote = needs_quotes(v);

    if (quote)
        *w++ = '"';
    for (; *v != '\0'; v++) {
        char c = *v, e = c == '"' ? '"' : c == '\\' ? '\\' : c == '\n' ? 'n'
                                  : c == '\t' ? 't' : c == '\r' ? 'r' : 0;
        if (quote && e != 0) {
            *w++ = '\\';
            *w++ = e;
        } else {
            *w++ = (unsigned char)c < ' ' ? '?' : c;
        }
    }
    if (quote)
        *w++ = '"';
    return w;
}

static int stage_format(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    log_item_t *li = payload(in);
    char *w;

    if (li->bad || !li->keep)
        return 0;
    /* At worst every byte is escaped (2), plus quotes, '=', ' ' per field. */
    if ((li->logfmt = malloc(2 * li->len + 4 * li->nfields + 2)) == NULL)
        return 1;
    w = li->logfmt;
    for (size_t i = 0; i < li->nfields; i++) {
        if (i > 0)
            *w++ = ' ';
        w = put_value(w, li->fields[i].key);
        *w++ = '=';
        w = put_value(w, li->fields[i].value);
    }
    *w++ = '\n';
    *w = '\0';
    return 0;
}

static int sink_write(void *ctx, const jf_item_t *item)
{
    output_t *o = ctx;
    log_item_t *li = payload(item);
    int rc = 0;

    o->bad += li->bad != 0;
    if (li->logfmt != NULL) {
        rc = fputs(li->logfmt, o->out) < 0;
        o->kept++;
    }
    free(li->logfmt);
    free(li->text);
    return rc;
}

/* Reads the file and indexes its lines (empty lines are skipped). */
static int load(input_t *in, const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        return 1;
    do {
        if (n == cap) {
            char *more = realloc(in->data, (cap = cap ? 2 * cap : 65536));

            if (more == NULL)
                break;
            in->data = more;
        }
        n += got = fread(in->data + n, 1, cap - n, f);
    } while (got > 0);
    if (ferror(f) || n == cap) {
        fclose(f);
        return 1;
    }
    fclose(f);
    in->lines = malloc((n + 1) * sizeof *in->lines);
    in->lens = malloc((n + 1) * sizeof *in->lens);
    if (in->lines == NULL || in->lens == NULL)
        return 1;
    for (size_t start = 0; start < n;) {
        const char *nl = memchr(in->data + start, '\n', n - start);
        size_t end = nl != NULL ? (size_t)(nl - in->data) : n;

        if (end > start) {
            in->lines[in->nlines] = in->data + start;
            in->lens[in->nlines++] = end - start;
        }
        start = end + 1;
    }
    return 0;
}

static int usage(FILE *to, int code)
{
    fprintf(to, "Usage: logfilter [options] --where FIELD=VALUE FILE\n"
                "Prints the JSON log lines of FILE whose FIELD is VALUE, as logfmt.\n%s",
            ex_usage);
    return code;
}

/* Parses the command line into *o, *where and *file. Returns -1 when it
 * is right, else the exit status (after the usage or a message). */
static int parse_args(int argc, char **argv, ex_options_t *o, where_t *where, const char **file)
{
    static char where_buf[256];
    char *eq;
    int r;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if ((r = ex_parse_option(o, argc, argv, &i)) < 0)
            return 2;
        if (r > 0)
            continue;
        if (strcmp(argv[i], "--where") == 0 && i + 1 < argc) {
            snprintf(where_buf, sizeof where_buf, "%s", argv[++i]);
            if ((eq = strchr(where_buf, '=')) == NULL || eq == where_buf)
                return usage(stderr, 2);
            *eq = '\0';
            *where = (where_t){.field = where_buf, .value = eq + 1};
        } else if (argv[i][0] == '-' || *file != NULL) {
            return usage(stderr, 2);
        } else {
            *file = argv[i];
        }
    }
    return *file == NULL || where->field == NULL ? usage(stderr, 2) : -1;
}

/* Runs the pipeline over the lines of in into out. Returns 0 or 1. */
static int filter(ex_options_t *o, const input_t *in, const where_t *where, FILE *out)
{
    const jf_stage_spec_t stages[] = {
        {.name = "parse", .fn = stage_parse},
        {.name = "filter", .fn = stage_filter, .ctx = (void *)where},
        {.name = "format", .fn = stage_format},
    };
    output_t output = {.out = out};
    int rc;

    if (in->nlines == 0)
        return 0;
    o->run.items = in->nlines;
    o->run.item_bytes = sizeof(log_item_t);
    o->run.source = source_line;
    o->run.source_ctx = (void *)in;
    o->run.sink = sink_write;
    o->run.sink_ctx = &output;
    rc = ex_run(o, "logfilter", stages, 3);
    if (output.bad > 0)
        fprintf(stderr, "%s: %llu lines are not JSON objects of fields: skipped\n", o->program,
                (unsigned long long)output.bad);
    return rc;
}

int main(int argc, char **argv)
{
    ex_options_t o;
    input_t in = {0};
    where_t where = {0};
    const char *file = NULL;
    char tmp[4096];
    FILE *out = stdout;
    int rc;

    ex_options_init(&o, "logfilter");
    if ((rc = parse_args(argc, argv, &o, &where, &file)) >= 0)
        return rc;
    rc = 1;
    if (load(&in, file) != 0) {
        fprintf(stderr, "%s: %s: cannot read\n", o.program, file);
        goto out;
    }
    /* Into FILE.tmp, renamed when complete: never a partial output. */
    snprintf(tmp, sizeof tmp, "%s.tmp", o.out != NULL ? o.out : "");
    if (o.out != NULL && (out = fopen(tmp, "w")) == NULL) {
        fprintf(stderr, "%s: %s: cannot write\n", o.program, tmp);
        goto out;
    }
    rc = filter(&o, &in, &where, out);
    if (out != stdout && (fclose(out) != 0 || (rc == 0 && rename(tmp, o.out) != 0))) {
        fprintf(stderr, "%s: %s: write failed\n", o.program, o.out);
        rc = 1;
    }
    if (out != stdout && rc != 0)
        remove(tmp);
out:
    free(in.data);
    free(in.lines);
    free(in.lens);
    return rc;
}
