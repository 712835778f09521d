/*
 * test_interrupt.c - runs killed at random points never leave a truncated
 * output: SIGINT and SIGTERM stop `capsim run` with status 130 / 143 and
 * no temporary files; after SIGKILL only stray *.tmp-* files may remain.
 * In every case each output file present is complete: byte-identical to
 * a full run's (same scenario and seed give the same bytes), and the six
 * files (the scenario has a VPA) appear together or not at all.
 */
#define _DEFAULT_SOURCE
#include "test_util.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#define SCENARIO "tests/scenarios/data/long-run.yaml"
#define NFILES 6

static const char *const outputs[NFILES] = {
    "timeline.csv", "events.csv",          "nodes.csv",
    "summary.csv",  "recommendations.csv", "vpa.csv"};

static pid_t start_run(const char *dir)
{
    const char *bin = getenv("CAPSIM_BIN");
    pid_t pid;

    assert_non_null(bin);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *null = freopen("/dev/null", "w", stdout);

        (void)null;
        null = freopen("/dev/null", "w", stderr);
        (void)null;
        execl(bin, bin, "run", SCENARIO, "-o", dir, "-q", (char *)NULL);
        _exit(127);
    }
    return pid;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp-") != NULL)
            n++;
    closedir(d);
    return n;
}

static void remove_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[1024];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp-") != NULL) {
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(d);
}

/* Every output present equals the full run's; returns how many exist. */
static int check_outputs(const char *dir, char *const *golden,
                         const size_t *golden_len)
{
    int present = 0;

    for (int i = 0; i < NFILES; i++) {
        char p[1024];
        size_t len;
        char *b;

        snprintf(p, sizeof(p), "%s/%s", dir, outputs[i]);
        if (access(p, F_OK) != 0)
            continue;
        present++;
        b = tu_slurp(p, &len);
        if (len != golden_len[i] || memcmp(b, golden[i], len) != 0)
            fail_msg("%s differs from a complete run's (%zu bytes, want %zu)",
                     p, len, golden_len[i]);
        free(b);
    }
    return present;
}

static void test_kill_at_random_points(void **state)
{
    char *dir = tu_tmpdir();
    char *golden[NFILES];
    size_t golden_len[NFILES];
    uint64_t rng = 0x9E3779B97F4A7C15u;
    double t0, full;
    int st, stopped = 0, finished = 0;
    pid_t pid;

    (void)state;
    t0 = now_s();
    pid = start_run(dir);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    full = now_s() - t0;
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    for (int i = 0; i < NFILES; i++) {
        char p[1024];

        snprintf(p, sizeof(p), "%s/%s", dir, outputs[i]);
        golden[i] = tu_slurp(p, &golden_len[i]);
    }
    for (int round = 0; round < 36; round++) {
        static const int sigs[3] = {SIGINT, SIGTERM, SIGKILL};
        int sig = sigs[round % 3];
        double frac, delay;
        struct timespec ts;
        int present;

        rng = rng * 6364136223846793005u + 1442695040888963407u;
        frac = (double)(rng >> 11) / 9007199254740992.0;
        delay = frac * full * 1.2;
        if (round % 6 >= 3) { /* half the rounds start from an empty dir */
            tu_rmdir(dir);
            assert_int_equal(mkdir(dir, 0755), 0);
        }
        pid = start_run(dir);
        ts.tv_sec = (time_t)delay;
        ts.tv_nsec = (long)((delay - (double)ts.tv_sec) * 1e9);
        nanosleep(&ts, NULL);
        kill(pid, sig);
        assert_int_equal(waitpid(pid, &st, 0), pid);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            finished++;
        } else if (WIFEXITED(st)) {
            /* stopped by capsim itself: 128 + the signal */
            assert_int_equal(WEXITSTATUS(st), 128 + sig);
            assert_int_equal(count_tmp(dir), 0);
            stopped++;
        } else {
            /* killed before the handlers were installed, or SIGKILL */
            assert_true(WIFSIGNALED(st));
            assert_int_equal(WTERMSIG(st), sig);
            if (sig != SIGKILL)
                assert_int_equal(count_tmp(dir), 0);
            remove_tmp(dir);
        }
        present = check_outputs(dir, golden, golden_len);
        /* SIGINT/SIGTERM: the set is renamed whole or not at all; a
         * SIGKILL between two renames can leave part of a new set, every
         * file of it complete */
        assert_true(present == 0 || present == NFILES || sig == SIGKILL);
    }
    print_message("%d runs stopped cleanly, %d finished, %d killed\n", stopped,
                  finished, 36 - stopped - finished);
    /* the random points covered both outcomes */
    assert_true(stopped > 0);
    assert_true(finished > 0 || stopped + finished < 36);
    for (int i = 0; i < NFILES; i++)
        free(golden[i]);
    tu_rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_at_random_points),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
