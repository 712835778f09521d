/*
 * test_ofile.c - atomic output files.
 *
 * Each test works in a fresh directory from mkdtemp() and checks what is on
 * disk afterwards: the final file with exactly the bytes written, and no
 * temporary left behind, or nothing at all.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "core/err.h"
#include "io/ofile.h"

struct fixture {
    char dir[64];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/capsim-ofile-XXXXXX");
    if (mkdtemp(fx->dir) == NULL) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    tu_rmdir(fx->dir);
    free(fx);
    return 0;
}

/* Number of entries in dir (without . and ..); with `tmp` only those whose
 * name contains ".tmp-". */
static int count_entries(const char *dir, int tmp)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!tmp || strstr(e->d_name, ".tmp-") != NULL)
            n++;
    }
    closedir(d);
    return n;
}

static void path_in(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static int exists(const char *dir, const char *name)
{
    char p[512];
    struct stat st;

    path_in(p, sizeof(p), dir, name);
    return stat(p, &st) == 0;
}

/* Whole contents of dir/name (malloc'd, NUL-terminated) and its size. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char p[512];
    FILE *f;
    char *buf;
    long n;

    path_in(p, sizeof(p), dir, name);
    f = fopen(p, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void write_rows(struct cs_ofile *f, int rows)
{
    int i;

    for (i = 0; i < rows; i++) {
        struct cs_outbuf *b = cs_ofile_buf(f);
        cs_outbuf_int(b, i);
        cs_outbuf_putc(b, ',');
        cs_outbuf_fixed(b, i / 8.0, 3);
        cs_outbuf_putc(b, '\n');
        assert_int_equal(cs_ofile_flush_if(f), 0);
    }
}

static void check_rows(const char *dir, const char *name, int rows)
{
    struct cs_outbuf want;
    size_t len;
    char *got = slurp(dir, name, &len);
    int i;

    assert_int_equal(cs_outbuf_init(&want, 0), 0);
    for (i = 0; i < rows; i++) {
        cs_outbuf_int(&want, i);
        cs_outbuf_putc(&want, ',');
        cs_outbuf_fixed(&want, i / 8.0, 3);
        cs_outbuf_putc(&want, '\n');
    }
    assert_int_equal(len, want.len);
    assert_memory_equal(got, want.data, len);
    cs_outbuf_fini(&want);
    free(got);
}

static void test_commit_renames(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f;
    struct cs_err err;

    assert_int_equal(cs_ofile_open(&f, fx->dir, "out.csv", &err), 0);
    write_rows(&f, 20000); /* > 64 KiB: several flushes before commit */
    assert_false(exists(fx->dir, "out.csv"));
    assert_int_equal(count_entries(fx->dir, 1), 1);
    assert_int_equal(cs_ofile_commit(&f, &err), 0);
    assert_int_equal(count_entries(fx->dir, 0), 1);
    check_rows(fx->dir, "out.csv", 20000);
    assert_null(f.tmp_path);
    assert_int_equal(f.fd, -1);
    cs_ofile_abort(&f); /* no-op after commit */
    assert_true(exists(fx->dir, "out.csv"));
    /* A second commit of a closed file is an error, not a crash. */
    assert_int_equal(cs_ofile_commit(&f, &err), CS_EINVAL);
    assert_string_equal(err.msg, "output file committed twice or never opened");
}

static void test_commit_replaces_and_trailing_slash(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f;
    struct cs_err err;
    char dir[128];

    snprintf(dir, sizeof(dir), "%s/", fx->dir);
    assert_int_equal(cs_ofile_open(&f, dir, "out.csv", &err), 0);
    write_rows(&f, 10);
    assert_int_equal(cs_ofile_commit(&f, &err), 0);
    assert_int_equal(cs_ofile_open(&f, fx->dir, "out.csv", &err), 0);
    write_rows(&f, 3);
    assert_int_equal(cs_ofile_fsync(&f), 0);
    assert_int_equal(cs_ofile_commit(&f, &err), 0);
    check_rows(fx->dir, "out.csv", 3);
    assert_int_equal(count_entries(fx->dir, 0), 1);
}

static void test_abort_leaves_nothing(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f;
    struct cs_err err;

    assert_int_equal(cs_ofile_open(&f, fx->dir, "out.csv", &err), 0);
    write_rows(&f, 20000);
    assert_int_equal(count_entries(fx->dir, 0), 1);
    cs_ofile_abort(&f);
    assert_int_equal(count_entries(fx->dir, 0), 0);
    cs_ofile_abort(&f); /* twice is harmless */
    assert_int_equal(count_entries(fx->dir, 0), 0);
}

static void test_two_writers_get_distinct_temporaries(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f[2];
    struct cs_err err;

    assert_int_equal(cs_ofile_open(&f[0], fx->dir, "out.csv", &err), 0);
    assert_int_equal(cs_ofile_open(&f[1], fx->dir, "out.csv", &err), 0);
    assert_string_not_equal(f[0].tmp_path, f[1].tmp_path);
    assert_int_equal(count_entries(fx->dir, 1), 2);
    cs_ofile_abort(&f[0]);
    cs_ofile_abort(&f[1]);
    assert_int_equal(count_entries(fx->dir, 0), 0);
}

static void test_open_missing_dir(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f;
    struct cs_err err;
    char dir[128], want[256];

    snprintf(dir, sizeof(dir), "%s/missing", fx->dir);
    assert_int_equal(cs_ofile_open(&f, dir, "out.csv", &err), CS_EIO);
    snprintf(want, sizeof(want), "%s/out.csv", dir);
    assert_string_equal(err.path, want);
    assert_string_equal(err.msg,
                        "cannot create output file: No such file or directory");
    assert_null(f.tmp_path);
    cs_ofile_abort(&f); /* safe after a failed open */
}

static void test_commit_all_success(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f[3];
    struct cs_err err;
    static const char *const names[3] = {"a.csv", "b.csv", "c.csv"};
    int i;

    for (i = 0; i < 3; i++) {
        assert_int_equal(cs_ofile_open(&f[i], fx->dir, names[i], &err), 0);
        write_rows(&f[i], 100 * (i + 1));
    }
    assert_int_equal(cs_ofile_commit_all(f, 3, &err), 0);
    for (i = 0; i < 3; i++)
        check_rows(fx->dir, names[i], 100 * (i + 1));
    assert_int_equal(count_entries(fx->dir, 0), 3);
    assert_int_equal(cs_ofile_commit_all(f, 0, &err), 0);
}

/* A write error in one file (here: ENOSPC from /dev/full) means none of
 * the set is renamed and no temporary stays. */
static void test_commit_all_write_failure(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f[3];
    struct cs_err err;
    static const char *const names[3] = {"a.csv", "b.csv", "c.csv"};
    char want[256];
    int i, full;

    for (i = 0; i < 3; i++) {
        assert_int_equal(cs_ofile_open(&f[i], fx->dir, names[i], &err), 0);
        write_rows(&f[i], 50);
    }
    full = open("/dev/full", O_WRONLY);
    if (full < 0)
        skip();
    close(f[1].fd); /* the temporary stays on disk, as after a real ENOSPC */
    f[1].fd = full;
    assert_int_equal(cs_ofile_commit_all(f, 3, &err), CS_EIO);
    path_in(want, sizeof(want), fx->dir, "b.csv");
    assert_string_equal(err.path, want);
    assert_string_equal(err.msg,
                        "cannot write output: No space left on device");
    assert_int_equal(count_entries(fx->dir, 0), 0);
    for (i = 0; i < 3; i++)
        assert_null(f[i].tmp_path);
}

/* A sticky buffer error (out of memory while formatting) fails the set. */
static void test_commit_all_buffer_failure(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f[2];
    struct cs_err err;

    assert_int_equal(cs_ofile_open(&f[0], fx->dir, "a.csv", &err), 0);
    assert_int_equal(cs_ofile_open(&f[1], fx->dir, "b.csv", &err), 0);
    write_rows(&f[0], 10);
    assert_int_equal(cs_outbuf_reserve(cs_ofile_buf(&f[1]), SIZE_MAX - 8),
                     CS_ENOMEM);
    assert_int_equal(cs_ofile_flush_if(&f[1]), CS_ENOMEM);
    assert_int_equal(cs_ofile_commit_all(f, 2, &err), CS_ENOMEM);
    assert_string_equal(err.msg, "cannot write output: out of memory");
    assert_int_equal(count_entries(fx->dir, 0), 0);
}

/* A rename that fails late (target is a directory) undoes the earlier
 * renames: the set never appears half. */
static void test_commit_all_rename_failure(void **state)
{
    struct fixture *fx = *state;
    struct cs_ofile f[3];
    struct cs_err err;
    static const char *const names[3] = {"a.csv", "b.csv", "c.csv"};
    char p[256];
    int i;

    path_in(p, sizeof(p), fx->dir, "c.csv");
    assert_int_equal(mkdir(p, 0755), 0);
    path_in(p, sizeof(p), fx->dir, "c.csv/keep");
    assert_int_equal(mkdir(p, 0755), 0); /* non-empty: rename must fail */
    for (i = 0; i < 3; i++) {
        assert_int_equal(cs_ofile_open(&f[i], fx->dir, names[i], &err), 0);
        write_rows(&f[i], 10);
    }
    assert_int_equal(cs_ofile_commit_all(f, 3, &err), CS_EIO);
    assert_non_null(strstr(err.msg, "cannot rename output into place: "));
    assert_false(exists(fx->dir, "a.csv"));
    assert_false(exists(fx->dir, "b.csv"));
    assert_int_equal(count_entries(fx->dir, 0), 1); /* only c.csv/ */
}

static void test_mkdir_p(void **state)
{
    struct fixture *fx = *state;
    struct cs_err err;
    char p[256];
    FILE *f;

    snprintf(p, sizeof(p), "%s/x/y//z/", fx->dir);
    assert_int_equal(cs_mkdir_p(p, &err), 0);
    assert_true(exists(fx->dir, "x/y/z"));
    assert_int_equal(cs_mkdir_p(p, &err), 0); /* already there */
    assert_int_equal(cs_mkdir_p("/", &err), 0);
    assert_int_equal(cs_mkdir_p("", &err), CS_EINVAL);
    assert_string_equal(err.msg, "empty output directory name");
    /* A regular file in the way. */
    path_in(p, sizeof(p), fx->dir, "file");
    f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(p, sizeof(p), "%s/file/sub", fx->dir);
    assert_int_equal(cs_mkdir_p(p, &err), CS_EIO);
    snprintf(p, sizeof(p), "%s/file", fx->dir);
    assert_string_equal(err.path, p);
    assert_string_equal(err.msg, "cannot create directory: not a directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_renames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_replaces_and_trailing_slash,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_two_writers_get_distinct_temporaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_all_success, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commit_all_write_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commit_all_buffer_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commit_all_rename_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_mkdir_p, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
