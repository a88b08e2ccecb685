/* bench_run.h - run the built bench (JF_BENCH) as a child process and capture what it prints. */
#ifndef JF_TEST_BENCH_RUN_H
#define JF_TEST_BENCH_RUN_H

#include <fcntl.h>
#include <stdbool.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct bench_run {
    int status; /* exit status; -1 when killed by a signal */
    char *out;  /* stdout, NUL-terminated (free with bench_run_fini) */
    char *err;  /* stderr */
} bench_run_t;

/* The whole file at path as a new NUL-terminated string, or NULL. */
static inline char *bench_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = calloc((size_t)n + 1, 1)) != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

/* "<dir>/<name>" in one of 8 rotating buffers: the last 8 results stay valid. */
static inline char *bench_path(const char *dir, const char *name)
{
    static char buf[8][512];
    static unsigned next;
    char *p = buf[next++ % 8];

    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

/* Whether err is exactly one line, "bench: ...\n": how bench reports errors. */
static inline bool bench_one_error_line(const char *err)
{
    size_t len = strlen(err);

    return len >= 8 && memcmp(err, "bench: ", 7) == 0 && err[len - 1] == '\n' &&
           memchr(err, '\n', len - 1) == NULL;
}

static inline int bench_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0;
    return (f && fclose(f) == 0 && ok) ? 0 : -1;
}

/* Runs prog with argv (NULL-terminated, argv[0] included) and the extra
 * environment entries env (NULL-terminated, may be NULL) on top of ours,
 * stdin from the file `in` (NULL: /dev/null), stdout and stderr into
 * <dir>/stdout, <dir>/stderr. Returns 0, or -1 when the child could not be
 * started. */
static inline int bench_spawn_in(bench_run_t *r, const char *dir, const char *prog,
                                 char *const argv[], char *const env[], const char *in)
{
    char out[512], err[512];
    size_t n = 0, extra = 0;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status;

    while (environ[n])
        n++;
    while (env && env[extra])
        extra++;
    char **envp = calloc(n + extra + 1, sizeof *envp);
    if (!envp)
        return -1;
    memcpy(envp, environ, n * sizeof *envp);
    if (extra)
        memcpy(envp + n, env, extra * sizeof *envp);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = posix_spawn(&pid, prog, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    free(envp);
    if (rc != 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r->out = bench_read_file(out);
    r->err = bench_read_file(err);
    return r->out && r->err ? 0 : -1;
}

/* bench_spawn_in with stdin from /dev/null. */
static inline int bench_spawn(bench_run_t *r, const char *dir, const char *prog,
                              char *const argv[], char *const env[])
{
    return bench_spawn_in(r, dir, prog, argv, env, NULL);
}

/* bench_spawn with argv {prog, args...}; args is NULL-terminated, at most
 * 30 of them (-1 beyond). */
static inline int bench_spawn_args(bench_run_t *r, const char *dir, const char *prog,
                                   char *const env[], const char *const *args)
{
    char *argv[32] = {(char *)prog};
    int n = 1;

    for (; args[n - 1] != NULL; n++) {
        if (n == 31)
            return -1;
        argv[n] = (char *)args[n - 1];
    }
    return bench_spawn(r, dir, prog, argv, env);
}

static inline void bench_run_fini(bench_run_t *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

static inline int bench_remove_entry(const char *path, const struct stat *st, int flag,
                                     struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* rm -rf path. */
static inline void bench_remove_tree(const char *path)
{
    nftw(path, bench_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Finds the bench under test ($JF_BENCH, set by `make test`) and makes a
 * scratch directory $TMPDIR/<prefix>.XXXXXX into tmp. Returns 0, or -1
 * after saying why on stderr. */
static inline int bench_test_setup(const char **bench, char *tmp, size_t size,
                                   const char *prefix)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

    *bench = getenv("JF_BENCH");
    if (!*bench || !(*bench)[0]) {
        fprintf(stderr, "JF_BENCH is not set: run through `make test`\n");
        return -1;
    }
    snprintf(tmp, size, "%s/%s.XXXXXX", dir, prefix);
    return mkdtemp(tmp) ? 0 : -1;
}

#endif /* JF_TEST_BENCH_RUN_H */
