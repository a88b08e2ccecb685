/* test_errors.c - every error the README documents gives its exact exit code and line.
 *
 * Reads the catalogue between <!-- errors:begin --> and <!-- errors:end -->
 * in README.md (run from the repository's top directory, as `make test`
 * does), runs each command with `bench` replaced by $JF_BENCH, and checks
 * the exit status and that stderr is exactly the documented line, where
 * `*` in the documentation matches any text. So the README cannot promise
 * a message the program does not print.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define MAX_LINE 2048

typedef struct row {
    char command[MAX_LINE];
    int status;
    char message[MAX_LINE];
} row_t;

/* '*' matches any run of characters; everything else matches itself. */
static int glob_match(const char *p, const char *s)
{
    if (*p == '\0')
        return *s == '\0';
    if (*p == '*')
        return glob_match(p + 1, s) || (*s != '\0' && glob_match(p, s + 1));
    return *p == *s && glob_match(p + 1, s + 1);
}

/* Copies the text between `open` and `close` starting at *at into out;
 * advances *at past it. Returns 0 when the delimiters are not there. */
static int cell(const char **at, const char *open, const char *close, char *out, size_t size)
{
    const char *a = strstr(*at, open), *b;

    if (a == NULL)
        return 0;
    a += strlen(open);
    b = strstr(a, close);
    if (b == NULL || (size_t)(b - a) >= size)
        return 0;
    memcpy(out, a, (size_t)(b - a));
    out[b - a] = '\0';
    *at = b + strlen(close);
    return 1;
}

/* A row: | `command` | status | `` message `` | */
static int parse_row(const char *line, row_t *r)
{
    const char *at = line;
    char status[16];

    if (strncmp(line, "| `", 3) != 0)
        return 0;
    if (!cell(&at, "| `", "` |", r->command, sizeof r->command) ||
        !cell(&at, " ", " |", status, sizeof status) ||
        !cell(&at, "`` ", " ``", r->message, sizeof r->message))
        return 0;
    r->status = atoi(status);
    return 1;
}

static size_t read_catalogue(row_t *rows, size_t max)
{
    FILE *f = fopen("README.md", "r");
    char line[MAX_LINE * 2];
    size_t n = 0;
    int inside = 0;

    if (f == NULL)
        fail_msg("README.md not found: run from the repository's top directory");
    while (fgets(line, sizeof line, f) != NULL && n < max) {
        if (strstr(line, "<!-- errors:begin") != NULL)
            inside = 1;
        else if (strstr(line, "<!-- errors:end") != NULL)
            inside = 0;
        else if (inside && parse_row(line, &rows[n]))
            n++;
    }
    fclose(f);
    return n;
}

/* Runs one row; returns 1 when status and stderr are as documented. */
static int check_row(const row_t *r, const char *bench, const char *err_file)
{
    char cmd[MAX_LINE * 3], got[MAX_LINE] = "", extra[8];
    FILE *f;
    int st;

    if (strncmp(r->command, "bench ", 6) != 0)
        fail_msg("catalogue command does not start with bench: %s", r->command);
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>%s", bench, r->command + 6, err_file);
    st = system(cmd);
    st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    f = fopen(err_file, "r");
    if (f != NULL) {
        if (fgets(got, sizeof got, f) == NULL)
            got[0] = '\0';
        got[strcspn(got, "\n")] = '\0';
        if (fgets(extra, sizeof extra, f) != NULL) /* a second line breaks the promise */
            snprintf(got + strlen(got), sizeof got - strlen(got), " [and more lines]");
        fclose(f);
    }
    if (st == r->status && glob_match(r->message, got))
        return 1;
    print_error("%s\n  expected %d: %s\n  got      %d: %s\n", r->command, r->status, r->message,
                st, got);
    return 0;
}

static void test_errors_catalogue_matches_the_program(void **state)
{
    static row_t rows[128];
    const char *bench = getenv("JF_BENCH");
    char err_file[] = "/tmp/jf-errors-XXXXXX";
    size_t n, bad = 0;
    int fd;
    (void)state;

    if (bench == NULL)
        fail_msg("JF_BENCH is not set (make test sets it)");
    n = read_catalogue(rows, sizeof rows / sizeof rows[0]);
    assert_true(n >= 20);
    fd = mkstemp(err_file);
    assert_true(fd >= 0);
    close(fd);
    for (size_t i = 0; i < n; i++)
        bad += !check_row(&rows[i], bench, err_file);
    unlink(err_file);
    if (bad)
        fail_msg("%zu of %zu documented errors differ from the program", bad, n);
}

static void test_errors_glob_matches_only_star(void **state)
{
    (void)state;
    assert_true(glob_match("a*c", "abbbc"));
    assert_true(glob_match("stages[1].ns", "stages[1].ns"));
    assert_false(glob_match("stages[1].ns", "stages1.ns"));
    assert_false(glob_match("a*c", "abd"));
    assert_true(glob_match("*", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_glob_matches_only_star),
        cmocka_unit_test(test_errors_catalogue_matches_the_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
