/* wordfreq.c - word frequencies over text files, one line per item.
 *
 *   wordfreq [options] FILE...
 *
 * The files are read into memory and cut into lines; every line is an item
 * that flows through three stages of this program's own:
 *
 *   read   copy the line out of the file, lower-cased, every byte that is
 *          not an ASCII letter or digit made a space
 *   split  cut it into words
 *   count  sort the words and count each one: (word, n) pairs per line
 *
 * and the sink merges each line's pairs into one table, in file order. The
 * output is "COUNT WORD" per word, most frequent first, ties by word in
 * byte order: what `tr -cs '[:alnum:]' '\n' | tr A-Z a-z | sort | uniq -c
 * | sort -k1,1nr -k2,2` gives in the C locale. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"

/* A line of the input, where it is in the loaded files. */
typedef struct line {
    const char *text;
    size_t len;
} line_t;

typedef struct word_count {
    char *word;
    uint64_t n;
} word_count_t;

/* The payload of one item: the line, then what each stage made of it.
 * Every stage owns what it allocates until the sink frees it. */
typedef struct line_item {
    const line_t *line;
    char *text;           /* read: the normalised copy */
    char **words;         /* split: pointers into text */
    size_t nwords;
    word_count_t *counts; /* count: distinct words of the line */
    size_t ncounts;
} line_item_t;

typedef struct corpus {
    char **files;
    size_t nfiles;
    line_t *lines;
    size_t nlines;
} corpus_t;

/* The merged counts: open addressing, the capacity a power of two. */
typedef struct table {
    word_count_t *slots;
    size_t cap, used;
} table_t;

static line_item_t *payload(const jf_item_t *item)
{
    return item->payload;
}

/* source: item seq is line seq of the corpus. */
static int source_line(void *ctx, jf_item_t *item)
{
    const corpus_t *c = ctx;

    memset(item->payload, 0, sizeof(line_item_t));
    payload(item)->line = &c->lines[item->seq];
    return 0;
}

static int stage_read(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    line_item_t *li = payload(in);
    size_t len = li->line->len;

    li->text = malloc(len + 1);
    if (li->text == NULL)
        return 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)li->line->text[i];

        li->text[i] = c < 0x80 && isalnum(c) ? (char)tolower(c) : ' ';
    }
    li->text[len] = '\0';
    return 0;
}

static int stage_split(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    line_item_t *li = payload(in);
    size_t n = 0, cap = 0;

    for (char *save = NULL, *p = strtok_r(li->text, " ", &save); p != NULL;
         p = strtok_r(NULL, " ", &save)) {
        if (n == cap) {
            char **more = realloc(li->words, (cap = cap ? 2 * cap : 8) * sizeof *more);

            if (more == NULL)
                return 1;
            li->words = more;
        }
        li->words[n++] = p;
    }
    li->nwords = n;
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int stage_count(void *ctx, const jf_item_t *in, jf_item_t *out)
{
    line_item_t *li = payload(in);

    if (li->nwords == 0)
        return 0;
    qsort(li->words, li->nwords, sizeof *li->words, by_string);
    li->counts = calloc(li->nwords, sizeof *li->counts);
    if (li->counts == NULL)
        return 1;
    for (size_t i = 0; i < li->nwords; i++) {
        if (li->ncounts == 0 || strcmp(li->counts[li->ncounts - 1].word, li->words[i]) != 0)
            li->counts[li->ncounts++].word = li->words[i];
        li->counts[li->ncounts - 1].n++;
    }
    return 0;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */

    while (*s != '\0')
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static int table_grow(table_t *t)
{
    table_t bigger = {.cap = t->cap ? 2 * t->cap : 1024, .used = t->used};

    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (bigger.slots == NULL)
        return 1;
    for (size_t i = 0; i < t->cap; i++) {
        size_t j = hash(t->slots[i].word ? t->slots[i].word : "") & (bigger.cap - 1);

        if (t->slots[i].word == NULL)
            continue;
        while (bigger.slots[j].word != NULL)
            j = (j + 1) & (bigger.cap - 1);
        bigger.slots[j] = t->slots[i];
    }
    free(t->slots);
    *t = bigger;
    return 0;
}

static int table_add(table_t *t, const char *word, uint64_t n)
{
    size_t j;

    if (2 * (t->used + 1) > t->cap && table_grow(t) != 0)
        return 1;
    for (j = hash(word) & (t->cap - 1); t->slots[j].word != NULL; j = (j + 1) & (t->cap - 1))
        if (strcmp(t->slots[j].word, word) == 0) {
            t->slots[j].n += n;
            return 0;
        }
    if ((t->slots[j].word = strdup(word)) == NULL)
        return 1;
    t->slots[j].n = n;
    t->used++;
    return 0;
}

/* sink "merge": one line at a time, in file order. */
static int sink_merge(void *ctx, const jf_item_t *item)
{
    line_item_t *li = payload(item);
    int rc = 0;

    for (size_t i = 0; i < li->ncounts && rc == 0; i++)
        rc = table_add(ctx, li->counts[i].word, li->counts[i].n);
    free(li->counts);
    free(li->words);
    free(li->text);
    return rc;
}

static int by_count_then_word(const void *a, const void *b)
{
    const word_count_t *x = a, *y = b;

    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->word, y->word);
}

/* Packs the table's words to its front, sorted, and writes them. */
static int table_print(table_t *t, FILE *out)
{
    size_t n = 0;

    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].word != NULL)
            t->slots[n++] = t->slots[i];
    for (size_t i = n; i < t->cap; i++)
        t->slots[i].word = NULL;
    if (n > 0)
        qsort(t->slots, n, sizeof *t->slots, by_count_then_word);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%llu %s\n", (unsigned long long)t->slots[i].n, t->slots[i].word);
    return ferror(out) ? 1 : 0;
}

static void table_free(table_t *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].word);
    free(t->slots);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        return NULL;
    do {
        if (n == cap) {
            char *more = realloc(buf, (cap = cap ? 2 * cap : 65536));

            if (more == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = more;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Indexes the lines of text[len] into c->lines. Returns 0 or 1. */
static int add_lines(corpus_t *c, const char *text, size_t len, size_t *cap)
{
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;

        if (c->nlines == *cap) {
            line_t *more = realloc(c->lines, (*cap = *cap ? 2 * *cap : 1024) * sizeof *more);

            if (more == NULL)
                return 1;
            c->lines = more;
        }
        c->lines[c->nlines++] = (line_t){.text = text + start, .len = end - start};
        start = end + 1;
    }
    return 0;
}

static int load(corpus_t *c, char **paths, size_t n, const char *program)
{
    size_t cap = 0, len;

    c->files = calloc(n, sizeof *c->files);
    if (c->files == NULL)
        return 1;
    for (size_t i = 0; i < n; i++) {
        if ((c->files[i] = read_file(paths[i], &len)) == NULL) {
            fprintf(stderr, "%s: %s: cannot read\n", program, paths[i]);
            return 1;
        }
        c->nfiles++;
        if (add_lines(c, c->files[i], len, &cap) != 0)
            return 1;
    }
    return 0;
}

static void corpus_free(corpus_t *c)
{
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    free(c->lines);
}

static const jf_stage_spec_t stages[] = {
    {.name = "read", .fn = stage_read},
    {.name = "split", .fn = stage_split},
    {.name = "count", .fn = stage_count},
};

static int usage(FILE *to, int code)
{
    fprintf(to, "Usage: wordfreq [options] FILE...\n"
                "Counts the words of the files (ASCII letters and digits, lower-cased),\n"
                "one line per item, and prints \"COUNT WORD\", most frequent first.\n%s",
            ex_usage);
    return code;
}

int main(int argc, char **argv)
{
    ex_options_t o;
    corpus_t corpus = {0};
    table_t table = {0};
    FILE *out = stdout;
    int first = 0, rc = 1, r;

    ex_options_init(&o, "wordfreq");
    for (int i = 1; i < argc && first == 0; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if ((r = ex_parse_option(&o, argc, argv, &i)) < 0)
            return 2;
        if (r == 0 && argv[i][0] == '-' && argv[i][1] != '\0')
            return usage(stderr, 2);
        if (r == 0)
            first = i;
    }
    if (first == 0)
        return usage(stderr, 2);
    if (load(&corpus, argv + first, (size_t)(argc - first), o.program) != 0)
        goto out;
    o.run.items = corpus.nlines;
    o.run.item_bytes = sizeof(line_item_t);
    o.run.source = source_line;
    o.run.source_ctx = &corpus;
    o.run.sink = sink_merge;
    o.run.sink_ctx = &table;
    /* No lines, no words: an empty output. */
    if (corpus.nlines > 0 && ex_run(&o, "wordfreq", stages, 3) != 0)
        goto out;
    if (o.out != NULL && (out = fopen(o.out, "w")) == NULL) {
        fprintf(stderr, "%s: %s: cannot write\n", o.program, o.out);
        goto out;
    }
    rc = table_print(&table, out);
    if ((out != stdout && fclose(out) != 0) || rc != 0) {
        fprintf(stderr, "%s: %s: write failed\n", o.program, o.out ? o.out : "stdout");
        rc = 1;
    }
out:
    table_free(&table);
    corpus_free(&corpus);
    return rc;
}
