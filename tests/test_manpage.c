/* test_manpage.c - docs/bench.1 documents what `bench --help` offers. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bench_run.h"

static const char *bench;
static char tmp[256];
static char *man; /* docs/bench.1 */

static int setup(void **state)
{
    const char *workloads = getenv("JF_WORKLOADS");

    if (bench_test_setup(&bench, tmp, sizeof tmp, "jf-manpage") != 0 || workloads == NULL)
        return -1;
    man = bench_read_file(bench_path(workloads, "../docs/bench.1"));
    return man != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    bench_remove_tree(tmp);
    free(man);
    return 0;
}

/* `word` as roff writes it: every '-' escaped as "\-". */
static int in_man(const char *word)
{
    char roff[128];
    size_t n = 0;

    for (; *word != '\0' && n + 3 < sizeof roff; word++) {
        if (*word == '-')
            roff[n++] = '\\';
        roff[n++] = *word;
    }
    roff[n] = '\0';
    return strstr(man, roff) != NULL;
}

/* Every --option and every subcommand of the usage is in the man page. */
static void test_manpage_lists_every_option_and_command(void **state)
{
    static const char *const commands[] = {"list", "validate", "topology", "allocate",
                                           "report", "compare", "export", "trend"};
    bench_run_t r = {0};
    size_t options = 0;

    assert_int_equal(bench_spawn_args(&r, tmp, bench, NULL, (const char *const[]){"--help", NULL}),
                     0);
    assert_int_equal(r.status, 0);
    for (const char *p = strstr(r.out, "--"); p != NULL; p = strstr(p + 2, "--")) {
        char word[64];
        size_t n = 0;

        while (n + 1 < sizeof word && (isalnum((unsigned char)p[n]) || p[n] == '-'))
            word[n] = p[n], n++;
        word[n] = '\0';
        if (n <= 2)
            continue;
        if (!in_man(word))
            fail_msg("bench --help has %s, docs/bench.1 does not", word);
        options++;
    }
    assert_true(options >= 20);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char usage[64], entry[64];

        snprintf(usage, sizeof usage, "bench %s", commands[i]);
        snprintf(entry, sizeof entry, ".B bench %s", commands[i]);
        assert_non_null(strstr(r.out, usage));
        if (strstr(man, entry) == NULL && !in_man(usage))
            fail_msg("docs/bench.1 has no %s", usage);
    }
    bench_run_fini(&r);
}

/* The exit statuses of the usage are the man page's. */
static void test_manpage_lists_exit_statuses(void **state)
{
    static const char *const codes[] = {".B 0\n", ".B 1\n", ".B 2\n", ".B 130\n"};

    assert_non_null(strstr(man, ".SH EXIT STATUS"));
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_non_null(strstr(strstr(man, ".SH EXIT STATUS"), codes[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manpage_lists_every_option_and_command),
        cmocka_unit_test(test_manpage_lists_exit_statuses),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
