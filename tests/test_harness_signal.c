/* test_harness_signal.c - SIGINT/SIGTERM during a run, and the progress line on a
 * terminal, seen from outside the bench process. Needs JF_BENCH. No timing is
 * asserted beyond generous limits that only catch a hang. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bench_run.h"

extern char **environ;

#define HANG_LIMIT_MS 60000 /* only a hang takes this long */

static char tmp[256];
static const char *bench;

/* Three spin stages and five million items: far longer than any test waits. */
static const char long_run[] =
    "{\"name\": \"long\", \"items\": 5000000, \"stages\": ["
    "{\"name\": \"a\", \"kernel\": \"spin\", \"ns\": 1000},"
    "{\"name\": \"b\", \"kernel\": \"spin\", \"ns\": 1000},"
    "{\"name\": \"c\", \"kernel\": \"spin\", \"ns\": 1000}]}\n";

static char *in_tmp(const char *name)
{
    return bench_path(tmp, name);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static int setup(void **state)
{
    FILE *f;

    if (bench_test_setup(&bench, tmp, sizeof tmp, "jf_sig") != 0 || !(f = fopen(in_tmp("long.json"), "w")))
        return -1;
    fputs(long_run, f);
    return fclose(f);
}

static int teardown(void **state)
{
    nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* Starts bench on the long workload with --cores `cores`, writing to
 * <tmp>/<out>, stdout to a file, stderr to err_fd (-1: a file), with up to two extra arguments
 * (NULL: none). SIGINT and SIGTERM are reset to their defaults in the
 * child: a test runner may have them ignored. */
static pid_t start(const char *out, const char *cores, int err_fd, const char *extra,
                   const char *extra2)
{
    char *argv[] = {(char *)bench, "--workload", in_tmp("long.json"), "--cores", (char *)cores,
                    "--repeat", "3", "--no-trace", "--out", in_tmp(out), (char *)extra,
                    (char *)extra2, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t def, none;
    pid_t pid;

    sigemptyset(&none);
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, in_tmp("stdout"), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    if (err_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    else
        posix_spawn_file_actions_addopen(&fa, 2, in_tmp("stderr"),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_int_equal(posix_spawn(&pid, bench, &fa, &attr, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return pid;
}

/* Whether <tmp> holds an entry "<out>.<anything>" (a temporary sibling). */
static bool sibling_exists(const char *out)
{
    size_t len = strlen(out);
    struct dirent *e;
    bool found = false;
    DIR *d = opendir(tmp);

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, out, len) == 0 && e->d_name[len] == '.') {
            print_error("temporary sibling: %s\n", e->d_name);
            found = true;
        }
    closedir(d);
    return found;
}

/* Waits until bench has created its temporary directory, or up to 5 s. */
static void wait_for_tmp_dir(const char *out)
{
    char prefix[64];
    size_t len = (size_t)snprintf(prefix, sizeof prefix, "%s.tmp.", out);

    for (int waited = 0; waited < 5000; waited += 10) {
        DIR *d = opendir(tmp);
        struct dirent *e;
        bool found = false;

        assert_non_null(d);
        while ((e = readdir(d)) != NULL)
            found |= strncmp(e->d_name, prefix, len) == 0;
        closedir(d);
        if (found)
            return;
        sleep_ms(10);
    }
}

/* Exit status of pid, or -1 when a signal ended it. Fails after
 * HANG_LIMIT_MS (and kills the process). */
static int wait_exit(pid_t pid)
{
    int status;

    for (int waited = 0; waited < HANG_LIMIT_MS; waited += 10) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        assert_int_not_equal(r, -1);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    fail_msg("bench did not exit after the signal");
    return -1;
}

/* The file's text in a static buffer, or NULL. */
static const char *slurp(const char *path)
{
    static char text[1 << 20];
    FILE *f = fopen(path, "r");

    if (!f)
        return NULL;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

static cJSON *load_result(const char *out)
{
    char path[600];

    snprintf(path, sizeof path, "%s/result.json", in_tmp(out));
    const char *text = slurp(path);
    return text ? cJSON_Parse(text) : NULL;
}

/* stderr is a file: no progress line, only the one line saying where the
 * results went. */
static void assert_quiet_stderr(void)
{
    const char *err = slurp(in_tmp("stderr"));

    assert_non_null(err);
    if (strncmp(err, "bench: interrupted: ", 20) != 0 || strchr(err, '\r') ||
        strchr(err, '\n') != err + strlen(err) - 1)
        fail_msg("stderr: \"%s\"", err);
}

static void interrupt_once(const char *out, int sig)
{
    pid_t pid = start(out, "2", -1, NULL, NULL);

    wait_for_tmp_dir(out);
    assert_int_equal(kill(pid, sig), 0);
    assert_int_equal(wait_exit(pid), 130);
    assert_quiet_stderr();
    cJSON *doc = load_result(out);
    assert_non_null(doc);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "interrupted")));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(doc, "results")));
    /* The repetition that was running is dropped: none of 5M items finished. */
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "results"))
        assert_int_equal(cJSON_GetObjectItem(r, "items_out")->valuedouble, 5000000);
    cJSON_Delete(doc);
    assert_false(sibling_exists(out));
    nftw(in_tmp(out), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A scaling run stopped during its first count: that count's results and
 * scaling.json are written, flagged interrupted; no later count starts. */
static void test_harness_signal_sigint_stops_a_scaling_run(void **state)
{
    char path[600];
    (void)state;
    pid_t pid = start("scaling", "1,2", -1, "--no-history", NULL);

    wait_for_tmp_dir("scaling");
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(wait_exit(pid), 130);
    assert_quiet_stderr();
    snprintf(path, sizeof path, "%s/scaling.json", in_tmp("scaling"));
    cJSON *doc = cJSON_Parse(slurp(path));
    assert_non_null(doc);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "interrupted")));
    const cJSON *counts = cJSON_GetObjectItem(doc, "counts");
    assert_int_equal(cJSON_GetArraySize(counts), 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(counts, 0), "interrupted")));
    cJSON_Delete(doc);
    doc = load_result("scaling/cores-1");
    assert_non_null(doc);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "interrupted")));
    cJSON_Delete(doc);
    snprintf(path, sizeof path, "%s/cores-2", in_tmp("scaling"));
    assert_int_equal(access(path, F_OK), -1);
    assert_non_null(strstr(slurp(in_tmp("stdout")), "scaling.json (interrupted)"));
    assert_false(sibling_exists("scaling"));
    nftw(in_tmp("scaling"), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The oneTBB peer stops on SIGINT as the engine does: exit 130, the
 * document written and flagged, the repetition that ran dropped. */
static void test_harness_signal_sigint_stops_tbb(void **state)
{
    (void)state;
#ifndef JF_HAVE_TBB
    skip();
#endif
    pid_t pid = start("tbb", "2", -1, "--strategy=tbb", "--no-baseline");

    wait_for_tmp_dir("tbb");
    sleep_ms(300); /* well inside the 5M-item repetition */
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(wait_exit(pid), 130);
    assert_quiet_stderr();
    cJSON *doc = load_result("tbb");
    assert_non_null(doc);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "interrupted")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "results")), 0);
    cJSON_Delete(doc);
    assert_false(sibling_exists("tbb"));
    nftw(in_tmp("tbb"), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_harness_signal_sigint_writes_what_finished(void **state)
{
    interrupt_once("int", SIGINT);
}

static void test_harness_signal_sigterm_writes_what_finished(void **state)
{
    interrupt_once("term", SIGTERM);
}

/* A second signal quits at once: either nothing is left, or (when the
 * first one's results were already in place) a complete directory. */
static void test_harness_signal_second_signal_quits(void **state)
{
    pid_t pid = start("two", "2", -1, NULL, NULL);

    wait_for_tmp_dir("two");
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(wait_exit(pid), 130);
    assert_false(sibling_exists("two"));
    if (access(in_tmp("two"), F_OK) == 0) {
        cJSON *doc = load_result("two");
        assert_non_null(doc);
        cJSON_Delete(doc);
        nftw(in_tmp("two"), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
}

/* Reads what is available on fd into buf (NUL-terminated). */
static void drain(int fd, char *buf, size_t size, size_t *len)
{
    ssize_t n;

    while (*len + 1 < size && (n = read(fd, buf + *len, size - 1 - *len)) > 0)
        *len += (size_t)n;
    buf[*len] = '\0';
}

/* On a terminal the progress line names strategy, repetition and items;
 * interrupting then still works. */
static void test_harness_signal_progress_on_terminal(void **state)
{
    static char seen[1 << 16];
    size_t len = 0;
    int master = posix_openpt(O_RDWR | O_NOCTTY);

    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    pid_t pid = start("tty", "2", slave, NULL, NULL);
    for (int waited = 0; waited < HANG_LIMIT_MS && !strstr(seen, " items"); waited += 10) {
        drain(master, seen, sizeof seen, &len);
        sleep_ms(10);
    }
    assert_int_equal(kill(pid, SIGINT), 0);
    int status = -2;
    for (int waited = 0; waited < HANG_LIMIT_MS && status == -2; waited += 10) {
        drain(master, seen, sizeof seen, &len); /* never let the terminal fill up */
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        sleep_ms(10);
    }
    drain(master, seen, sizeof seen, &len);
    close(slave);
    close(master);
    assert_int_equal(status, 130);
    if (!strstr(seen, "single: repetition 1/3: ") || !strstr(seen, "/5000000 items") ||
        !strstr(seen, "\r\033[K"))
        fail_msg("no progress line on the terminal: \"%s\"", seen);
    nftw(in_tmp("tty"), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_harness_signal_sigint_writes_what_finished),
        cmocka_unit_test(test_harness_signal_sigterm_writes_what_finished),
        cmocka_unit_test(test_harness_signal_second_signal_quits),
        cmocka_unit_test(test_harness_signal_progress_on_terminal),
        cmocka_unit_test(test_harness_signal_sigint_stops_tbb),
        cmocka_unit_test(test_harness_signal_sigint_stops_a_scaling_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
