/*
 * plot_render.c - run gnuplot on a run directory's plot.gp (see plot.h).
 *
 * gnuplot is a child process started with an argument list, never through
 * a shell. The parent finds the program first ($CAPSIM_GNUPLOT, else
 * "gnuplot" in PATH), so that "not installed" (a warning) is told apart
 * from "failed" (an error). Then:
 *
 *   parent: pipe (close-on-exec) -- fork --> child: chdir(run_dir),
 *           |                                stdin = /dev/null,
 *           |                                execv(gnuplot, "plot.gp")
 *           |                                on failure: errno -> pipe,
 *           |                                _exit(127)
 *           read pipe: 0 bytes = exec succeeded, else the child's errno
 *           waitpid: exit status 0 = rendered
 *
 * The child changes directory itself, so the script's relative file names
 * work whatever the run directory's path holds (spaces, quotes...), and
 * between fork and exec it calls only async-signal-safe functions. gnuplot
 * inherits stdout and stderr: its own messages reach the user unchanged.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG_MAX 4096
#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

static int executable(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

/* Absolute path of the program `name` (a path, or searched in PATH) into
 * out. 0, or -1 when there is none. */
static int find_program(const char *name, char *out, size_t n)
{
    const char *path = getenv("PATH"), *seg;
    char cwd[PROG_MAX];

    if (getcwd(cwd, sizeof(cwd)) == NULL)
        cwd[0] = '\0';
    if (strchr(name, '/') != NULL) {
        if (!executable(name))
            return -1;
        if (name[0] == '/')
            return (size_t)snprintf(out, n, "%s", name) < n ? 0 : -1;
        return (size_t)snprintf(out, n, "%s/%s", cwd, name) < n ? 0 : -1;
    }
    if (path == NULL || path[0] == '\0')
        path = DEFAULT_PATH;
    for (seg = path;; seg++) {
        const char *end = strchr(seg, ':');
        int len = end ? (int)(end - seg) : (int)strlen(seg);
        size_t m;

        if (len == 0) /* an empty entry is the current directory */
            m = (size_t)snprintf(out, n, "%s/%s", cwd, name);
        else if (seg[0] == '/')
            m = (size_t)snprintf(out, n, "%.*s/%s", len, seg, name);
        else
            m = (size_t)snprintf(out, n, "%s/%.*s/%s", cwd, len, seg, name);
        if (m < n && executable(out))
            return 0;
        if (end == NULL)
            return -1;
        seg = end;
    }
}

static int not_found(const char *env, const char *name, struct cs_err *err)
{
    if (env != NULL)
        return cs_err_set(err, CS_PLOT_NO_GNUPLOT, NULL, 0, 0,
                          "gnuplot not found: %s=%s is not an executable "
                          "file; wrote %s without drawing it. Install "
                          "gnuplot (apt install gnuplot-nox) or set %s to "
                          "its path",
                          CS_PLOT_ENV, env, name, CS_PLOT_ENV);
    return cs_err_set(err, CS_PLOT_NO_GNUPLOT, NULL, 0, 0,
                      "gnuplot not found in PATH; wrote %s without drawing "
                      "it. Install gnuplot (apt install gnuplot-nox) or set "
                      "%s=/path/to/gnuplot",
                      name, CS_PLOT_ENV);
}

enum { STAGE_CHDIR = 1, STAGE_EXEC = 2 };

/* In the child: report {stage, errno} to the parent and leave. */
static void child_fail(int fd, int stage)
{
    int msg[2] = {stage, errno};
    ssize_t w = write(fd, msg, sizeof(msg));

    (void)w;
    _exit(127);
}

static void child(const char *prog, const char *dir, const char *name, int fd)
{
    char *const argv[] = {(char *)"gnuplot", (char *)name, NULL};
    int in;

    if (chdir(dir) != 0)
        child_fail(fd, STAGE_CHDIR);
    in = open("/dev/null", O_RDONLY);
    if (in >= 0 && in != STDIN_FILENO) {
        dup2(in, STDIN_FILENO);
        close(in);
    }
    execv(prog, argv);
    child_fail(fd, STAGE_EXEC);
}

/* The child's {stage, errno} from the pipe into msg; {0, 0} when exec
 * succeeded (the pipe closed on exec with nothing written). */
static void read_child_msg(int fd, int msg[2])
{
    ssize_t r;

    msg[0] = msg[1] = 0;
    do
        r = read(fd, msg, 2 * sizeof(int));
    while (r < 0 && errno == EINTR);
    if (r != (ssize_t)(2 * sizeof(int)))
        msg[0] = msg[1] = 0;
}

static int wait_child(pid_t pid, int *status)
{
    pid_t r;

    do
        r = waitpid(pid, status, 0);
    while (r < 0 && errno == EINTR);
    return r == pid ? 0 : -1;
}

int cs_plot_render(const char *run_dir, const struct cs_plot_opts *o,
                   struct cs_err *err)
{
    const char *env = getenv(CS_PLOT_ENV);
    const char *name = o && o->script ? o->script : CS_PLOT_SCRIPT;
    char prog[PROG_MAX], script[CS_ERR_PATH_MAX];
    int fds[2], status = 0, e, msg[2];
    pid_t pid;

    if (env != NULL && env[0] == '\0')
        env = NULL;
    if (find_program(env ? env : "gnuplot", prog, sizeof(prog)) < 0)
        return not_found(env, name, err);
    snprintf(script, sizeof(script), "%s/%s", run_dir, name);
    if (pipe(fds) != 0)
        return cs_err_set(err, CS_EIO, NULL, 0, 0, "pipe: %s", strerror(errno));
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(prog, run_dir, name, fds[1]);
    }
    e = errno;
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return cs_err_set(err, CS_EIO, NULL, 0, 0, "cannot start %s: %s", prog,
                          strerror(e));
    }
    read_child_msg(fds[0], msg);
    close(fds[0]);
    if (wait_child(pid, &status) < 0)
        return cs_err_set(err, CS_EIO, NULL, 0, 0, "waiting for %s: %s", prog,
                          strerror(errno));
    if (msg[0] == STAGE_CHDIR)
        return cs_err_set(err, CS_EIO, run_dir, 0, 0,
                          "cannot enter the run directory: %s",
                          strerror(msg[1]));
    if (msg[0] == STAGE_EXEC)
        return cs_err_set(err, CS_EIO, NULL, 0, 0, "cannot run %s: %s", prog,
                          strerror(msg[1]));
    if (WIFSIGNALED(status))
        return cs_err_set(err, CS_EIO, script, 0, 0,
                          "gnuplot (%s) was killed by signal %d", prog,
                          WTERMSIG(status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return cs_err_set(err, CS_EIO, script, 0, 0,
                          "gnuplot (%s) failed with exit status %d; its "
                          "messages are above",
                          prog, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
