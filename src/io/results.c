/*
 * results.c - the results table of a sweep: building it, results.csv and
 * sweep-info.csv on disk, and the merge of shards (results.h).
 *
 * Design
 * ------
 * The table is one row-major array of owned strings, cells[i * ncols + c],
 * with the parsed run numbers beside it in run[i]: a row is appended by
 * copying its cells, and a table of ten thousand runs of fifty columns is
 * one array of half a million pointers, not a tree of rows.
 *
 * Invariants (kept by construction: rows enter only through
 * cs_results_add)
 *  1. cols[0] is "run" and, for every row i, cells[i * ncols] is the
 *     decimal text of run[i], so writing and re-reading a table gives the
 *     same rows.
 *  2. No cell is NULL: an empty cell is "".
 *
 * Files. results.csv is written cell by cell through cs_outbuf_csv_field(),
 * which quotes exactly what libcsv would not read back unchanged (a comma,
 * a quote, CR, LF, or a space at either end), so read + write is the
 * identity on the bytes of a file capsim wrote. Both files go through
 * io/ofile.h and are committed as one set.
 *
 * Merge. Every part is checked against parts[0] (identity, then header),
 * then each row is placed by run number in part[] and row[] (the part and
 * row that hold run R); a second claim on R is an overlap, an empty slot
 * at the end a gap. The output is built in run order from them, so it
 * needs no sort: O(total rows + runs).
 */
#define _POSIX_C_SOURCE 200809L
#include "io/results.h"

#include "io/csvread.h"
#include "io/ofile.h"
#include "io/outbuf.h"
#include "io/quantity.h"
#include "io/results_int.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MISSING_LISTED 10 /* run numbers named in the "missing" message */

static int oom(struct cs_err *err)
{
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

static char *dup_str(const char *s)
{
    return strdup(s != NULL ? s : "");
}

/* dir + "/" + name, malloc'd; NULL when out of memory. */
static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);

    if (p == NULL)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* ---- the table ---------------------------------------------------------- */

int cs_results_init(struct cs_results *r, const char *sweep,
                    uint64_t fingerprint, size_t runs, size_t shard_k,
                    size_t shard_n, const char *const *cols, size_t ncols)
{
    assert(ncols > 0 && strcmp(cols[0], "run") == 0);
    memset(r, 0, sizeof(*r));
    r->fingerprint = fingerprint;
    r->runs = runs;
    r->shard_k = shard_k;
    r->shard_n = shard_n;
    r->sweep = dup_str(sweep);
    r->cols = calloc(ncols ? ncols : 1, sizeof(*r->cols));
    if (r->sweep == NULL || r->cols == NULL)
        return CS_ENOMEM;
    for (; r->ncols < ncols; r->ncols++)
        if ((r->cols[r->ncols] = dup_str(cols[r->ncols])) == NULL)
            return CS_ENOMEM;
    return 0;
}

void cs_results_fini(struct cs_results *r)
{
    for (size_t i = 0; r->cells != NULL && i < r->nrows * r->ncols; i++)
        free(r->cells[i]);
    for (size_t c = 0; r->cols != NULL && c < r->ncols; c++)
        free(r->cols[c]);
    free(r->cells);
    free(r->cols);
    free(r->run);
    free(r->sweep);
    memset(r, 0, sizeof(*r));
}

static int grow(struct cs_results *r)
{
    size_t cap = r->caprows ? r->caprows * 2 : 16;
    char **cells;
    size_t *run;

    if (r->ncols > 0 && cap > SIZE_MAX / sizeof(*cells) / r->ncols)
        return CS_ENOMEM;
    run = realloc(r->run, cap * sizeof(*run));
    if (run == NULL)
        return CS_ENOMEM;
    r->run = run;
    cells = realloc(r->cells, cap * (r->ncols ? r->ncols : 1) * sizeof(*cells));
    if (cells == NULL)
        return CS_ENOMEM;
    r->cells = cells;
    r->caprows = cap;
    return 0;
}

int cs_results_add(struct cs_results *r, size_t run, const char *const *cells)
{
    char num[32], **row;
    size_t c;

    if (r->nrows == r->caprows && grow(r) < 0)
        return CS_ENOMEM;
    row = r->cells + r->nrows * r->ncols;
    snprintf(num, sizeof(num), "%zu", run);
    for (c = 0; c < r->ncols; c++) {
        row[c] = dup_str(c == 0 ? num : cells != NULL ? cells[c] : NULL);
        if (row[c] == NULL) {
            while (c-- > 0)
                free(row[c]);
            return CS_ENOMEM;
        }
    }
    r->run[r->nrows++] = run;
    return 0;
}

long res_col(const struct cs_results *r, const char *name)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (strcmp(r->cols[c], name) == 0)
            return (long)c;
    return -1;
}

/* ---- sort --------------------------------------------------------------- */

struct key {
    size_t run, row;
};

static int cmp_key(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;

    if (a->run != b->run)
        return a->run < b->run ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static void swap_rows(struct cs_results *r, size_t i, size_t j)
{
    size_t t = r->run[i];

    r->run[i] = r->run[j];
    r->run[j] = t;
    for (size_t c = 0; c < r->ncols; c++) {
        char *s = r->cells[i * r->ncols + c];

        r->cells[i * r->ncols + c] = r->cells[j * r->ncols + c];
        r->cells[j * r->ncols + c] = s;
    }
}

/* Stable insertion sort in place: only when memory for the fast path is
 * lacking (cs_results_sort cannot fail). */
static void sort_in_place(struct cs_results *r)
{
    for (size_t i = 1; i < r->nrows; i++)
        for (size_t j = i; j > 0 && r->run[j - 1] > r->run[j]; j--)
            swap_rows(r, j - 1, j);
}

void cs_results_sort(struct cs_results *r)
{
    struct key *k;
    char **cells;
    size_t i, nc = r->ncols;

    for (i = 1; i < r->nrows && r->run[i - 1] <= r->run[i]; i++)
        ;
    if (i >= r->nrows)
        return; /* already in order, the usual case */
    k = malloc(r->nrows * sizeof(*k));
    cells = malloc(r->caprows * (nc ? nc : 1) * sizeof(*cells));
    if (k == NULL || cells == NULL) {
        free(k);
        free(cells);
        sort_in_place(r);
        return;
    }
    for (i = 0; i < r->nrows; i++)
        k[i] = (struct key){r->run[i], i};
    qsort(k, r->nrows, sizeof(*k), cmp_key); /* ties by row: stable */
    for (i = 0; i < r->nrows; i++) {
        memcpy(cells + i * nc, r->cells + k[i].row * nc, nc * sizeof(*cells));
        r->run[i] = k[i].run;
    }
    free(r->cells);
    r->cells = cells;
    free(k);
}

/* ---- write -------------------------------------------------------------- */

static void put_row(struct cs_outbuf *b, char *const *cells, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (c > 0)
            cs_outbuf_putc(b, ',');
        cs_outbuf_csv_field(b, cells[c]);
    }
    cs_outbuf_putc(b, '\n');
}

static void put_info(struct cs_outbuf *b, const struct cs_results *r)
{
    char hex[24];

    snprintf(hex, sizeof(hex), "%016" PRIx64, r->fingerprint);
    cs_outbuf_puts(b, "key,value\nsweep,");
    cs_outbuf_csv_field(b, r->sweep);
    cs_outbuf_puts(b, "\nfingerprint,");
    cs_outbuf_puts(b, hex);
    cs_outbuf_puts(b, "\nruns,");
    cs_outbuf_int(b, (int64_t)r->runs);
    cs_outbuf_puts(b, "\nshard,");
    cs_outbuf_int(b, (int64_t)r->shard_k);
    cs_outbuf_putc(b, '/');
    cs_outbuf_int(b, (int64_t)r->shard_n);
    cs_outbuf_putc(b, '\n');
}

int cs_results_write(const struct cs_results *r, const char *dir,
                     struct cs_err *err)
{
    struct cs_ofile f[2];
    struct cs_outbuf *b;
    int rc;

    if ((rc = cs_mkdir_p(dir, err)) < 0)
        return rc;
    if ((rc = cs_ofile_open(&f[0], dir, CS_RESULTS_FILE, err)) < 0)
        return rc;
    if ((rc = cs_ofile_open(&f[1], dir, CS_RESULTS_INFO, err)) < 0) {
        cs_ofile_abort(&f[0]);
        return rc;
    }
    b = cs_ofile_buf(&f[0]);
    put_row(b, r->cols, r->ncols);
    for (size_t i = 0; i < r->nrows; i++) {
        put_row(b, r->cells + i * r->ncols, r->ncols);
        cs_ofile_flush_if(&f[0]); /* errors are sticky: commit reports */
    }
    put_info(cs_ofile_buf(&f[1]), r);
    return cs_ofile_commit_all(f, 2, err);
}

/* ---- read --------------------------------------------------------------- */

/* What sweep-info.csv says, before the table exists. */
struct info {
    char *sweep; /* owned */
    uint64_t fingerprint;
    size_t runs, shard_k, shard_n;
    int line[4]; /* line of each key (KEY_*), 0 while not seen */
};

enum { KEY_SWEEP, KEY_FINGERPRINT, KEY_RUNS, KEY_SHARD, KEY_COUNT };

static const char *const info_keys[KEY_COUNT] = {"sweep", "fingerprint", "runs",
                                                 "shard"};

/* A whole decimal number of digits only, within 1..max; 0 or -1. */
static int parse_count(const char *s, size_t max, size_t *out)
{
    int64_t v;

    if (s[0] < '0' || s[0] > '9' || cs_parse_int64(s, &v) != 0 || v < 1 ||
        (uint64_t)v > (uint64_t)max)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int parse_hex16(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; s[i] != '\0'; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;

        if (d < 0 || i >= 16)
            return -1;
        v = v << 4 | (uint64_t)d;
    }
    if (i != 16)
        return -1;
    *out = v;
    return 0;
}

/* "K/N" with 1 <= K <= N. */
static int parse_shard(const char *s, size_t *k, size_t *n)
{
    const char *slash = strchr(s, '/');
    char kbuf[24];
    size_t len = slash ? (size_t)(slash - s) : 0;

    if (slash == NULL || len == 0 || len >= sizeof(kbuf))
        return -1;
    memcpy(kbuf, s, len);
    kbuf[len] = '\0';
    if (parse_count(kbuf, SIZE_MAX, k) < 0 ||
        parse_count(slash + 1, SIZE_MAX, n) < 0 || *k > *n)
        return -1;
    return 0;
}

/* One "key,value" row into in. */
static int info_row(struct cs_csv_reader *rd, const struct cs_csv_row *row,
                    struct info *in, struct cs_err *err)
{
    const char *path = cs_csv_name(rd), *key = row->field[0];
    const char *val = row->field[row->nfields > 1 ? 1 : 0];
    int k, col = (int)row->len[0] + 2;

    if (row->nfields != 2)
        return cs_err_set(err, CS_EPARSE, path, row->line, 1,
                          "row has %zu fields, the header has 2", row->nfields);
    for (k = 0; k < KEY_COUNT && strcmp(key, info_keys[k]) != 0; k++)
        ;
    if (k == KEY_COUNT)
        return cs_err_set(err, CS_EPARSE, path, row->line, 1,
                          "unknown key \"%.64s\" (keys: sweep, fingerprint, "
                          "runs, shard)",
                          key);
    if (in->line[k] != 0)
        return cs_err_set(err, CS_EPARSE, path, row->line, 1,
                          "key \"%s\" is given twice (first on line %d)", key,
                          in->line[k]);
    in->line[k] = row->line;
    if (k == KEY_SWEEP) {
        if (val[0] == '\0')
            return cs_err_set(err, CS_EPARSE, path, row->line, col,
                              "sweep: the name is empty");
        return (in->sweep = strdup(val)) != NULL ? 0 : oom(err);
    }
    if (k == KEY_FINGERPRINT && parse_hex16(val, &in->fingerprint) < 0)
        return cs_err_set(err, CS_EPARSE, path, row->line, col,
                          "fingerprint must be 16 hex digits, got \"%.64s\"",
                          val);
    if (k == KEY_RUNS && parse_count(val, SIZE_MAX, &in->runs) < 0)
        return cs_err_set(err, CS_EPARSE, path, row->line, col,
                          "runs must be a whole number >= 1, got \"%.64s\"",
                          val);
    if (k == KEY_SHARD && parse_shard(val, &in->shard_k, &in->shard_n) < 0)
        return cs_err_set(err, CS_EPARSE, path, row->line, col,
                          "shard must be K/N with 1 <= K <= N, got \"%.64s\"",
                          val);
    return 0;
}

static int read_info(const char *path, struct info *in, struct cs_err *err)
{
    struct cs_csv_reader *rd = cs_csv_open(path, err);
    struct cs_csv_row row;
    int rc;

    if (rd == NULL)
        return CS_EIO;
    rc = cs_csv_next(rd, &row, err);
    if (rc == 0)
        rc = cs_err_set(err, CS_EPARSE, path, 0, 0,
                        "empty file: the header row is missing");
    else if (rc > 0 && (row.nfields != 2 || strcmp(row.field[0], "key") != 0 ||
                        strcmp(row.field[1], "value") != 0))
        rc = cs_err_set(err, CS_EPARSE, path, row.line, 1,
                        "the header must be \"key,value\"");
    while (rc > 0 && (rc = cs_csv_next(rd, &row, err)) > 0)
        if ((rc = info_row(rd, &row, in, err)) == 0)
            rc = 1;
    cs_csv_close(rd);
    for (int k = 0; rc == 0 && k < KEY_COUNT; k++)
        if (in->line[k] == 0)
            rc = cs_err_set(err, CS_EPARSE, path, 0, 0, "missing key \"%s\"",
                            info_keys[k]);
    return rc;
}

/* The header row: cols of *r, initialised with in's identity. */
static int table_header(struct cs_csv_reader *rd, struct cs_results *r,
                        const struct info *in, struct cs_err *err)
{
    const char *path = cs_csv_name(rd);
    struct cs_csv_row row;
    int rc = cs_csv_next(rd, &row, err);

    if (rc < 0)
        return rc;
    if (rc == 0)
        return cs_err_set(err, CS_EPARSE, path, 0, 0,
                          "empty file: the header row is missing");
    if (strcmp(row.field[0], "run") != 0)
        return cs_err_set(err, CS_EPARSE, path, row.line, 1,
                          "the first column must be \"run\", got \"%.64s\"",
                          row.field[0]);
    if (cs_results_init(r, in->sweep, in->fingerprint, in->runs, in->shard_k,
                        in->shard_n, row.field, row.nfields) < 0)
        return oom(err);
    return 0;
}

static int table_rows(struct cs_csv_reader *rd, struct cs_results *r,
                      struct cs_err *err)
{
    const char *path = cs_csv_name(rd);
    struct cs_csv_row row;
    size_t run;
    int rc;

    while ((rc = cs_csv_next(rd, &row, err)) > 0) {
        if (row.nfields != r->ncols)
            return cs_err_set(err, CS_EPARSE, path, row.line, 1,
                              "row has %zu fields, the header has %zu",
                              row.nfields, r->ncols);
        if (parse_count(row.field[0], r->runs, &run) < 0)
            return cs_err_set(err, CS_EPARSE, path, row.line, 1,
                              "bad run number \"%.32s\": expected a whole "
                              "number from 1 to %zu",
                              row.field[0], r->runs);
        if (cs_results_add(r, run, row.field) < 0)
            return oom(err);
    }
    return rc;
}

int cs_results_read(struct cs_results *r, const char *dir, struct cs_err *err)
{
    struct info in;
    struct cs_csv_reader *rd = NULL;
    char *info_path = join(dir, CS_RESULTS_INFO);
    char *path = join(dir, CS_RESULTS_FILE);
    int rc;

    memset(&in, 0, sizeof(in));
    memset(r, 0, sizeof(*r));
    if (info_path == NULL || path == NULL)
        rc = oom(err);
    else if ((rc = read_info(info_path, &in, err)) == 0 &&
             (rd = cs_csv_open(path, err)) == NULL)
        rc = CS_EIO;
    if (rc == 0 && (rc = table_header(rd, r, &in, err)) == 0)
        rc = table_rows(rd, r, err);
    cs_csv_close(rd);
    if (rc < 0)
        cs_results_fini(r);
    free(in.sweep);
    free(info_path);
    free(path);
    return rc;
}

/* ---- merge -------------------------------------------------------------- */

/* parts[i] has parts[0]'s identity and header; 0 or CS_EINVAL. */
static int same_table(const struct cs_results *parts, const char *const *dirs,
                      size_t i, struct cs_err *err)
{
    const struct cs_results *a = &parts[0], *p = &parts[i];
    size_t c;

    if (strcmp(p->sweep, a->sweep) != 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "%s: not the same sweep as %s (sweep \"%s\", "
                          "expected \"%s\")",
                          dirs[i], dirs[0], p->sweep, a->sweep);
    if (p->fingerprint != a->fingerprint)
        return cs_err_set(
            err, CS_EINVAL, NULL, 0, 0,
            "%s: not the same sweep as %s (fingerprint %016" PRIx64
            ", expected %016" PRIx64 ")",
            dirs[i], dirs[0], p->fingerprint, a->fingerprint);
    if (p->runs != a->runs)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "%s: not the same sweep as %s (runs %zu, expected "
                          "%zu)",
                          dirs[i], dirs[0], p->runs, a->runs);
    for (c = 0; c < p->ncols && c < a->ncols; c++)
        if (strcmp(p->cols[c], a->cols[c]) != 0)
            break;
    if (c == p->ncols && c == a->ncols)
        return 0;
    return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                      "%s/%s: its columns differ from %s/%s's (column %zu is "
                      "\"%s\", expected \"%s\")",
                      dirs[i], CS_RESULTS_FILE, dirs[0], CS_RESULTS_FILE, c + 1,
                      c < p->ncols ? p->cols[c] : "",
                      c < a->ncols ? a->cols[c] : "");
}

/* "M of N runs are missing: 3, 7, 11 (and K more); merge every shard". */
static int missing(const size_t *part, size_t runs, struct cs_err *err)
{
    char list[CS_ERR_MSG_MAX];
    size_t m = 0, len = 0;

    list[0] = '\0';
    for (size_t run = 1; run <= runs; run++) {
        if (part[run] != 0)
            continue;
        if (m < MISSING_LISTED && len < sizeof(list))
            len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%zu",
                                    m ? ", " : "", run);
        m++;
    }
    if (m == 0)
        return 0;
    if (m > MISSING_LISTED)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "%zu of %zu runs are missing: %s (and %zu more); "
                          "merge every shard",
                          m, runs, list, m - MISSING_LISTED);
    return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                      "%zu of %zu runs are missing: %s; merge every shard", m,
                      runs, list);
}

/* Place every row by run: part[R] = 1 + the part holding run R, row[R] its
 * row. 0, or CS_EINVAL on a run claimed twice. */
static int place(const struct cs_results *parts, const char *const *dirs,
                 size_t n, size_t *part, size_t *row, struct cs_err *err)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < parts[i].nrows; j++) {
            size_t run = parts[i].run[j];

            if (run < 1 || run > parts[0].runs)
                return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                                  "%s: run %zu is not a run of the sweep "
                                  "(1 to %zu)",
                                  dirs[i], run, parts[0].runs);
            if (part[run] == i + 1)
                return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                                  "run %zu is twice in %s", run, dirs[i]);
            if (part[run] != 0)
                return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                                  "run %zu is in both %s and %s", run,
                                  dirs[part[run] - 1], dirs[i]);
            part[run] = i + 1;
            row[run] = j;
        }
    return 0;
}

static int join_rows(const struct cs_results *parts, const size_t *part,
                     const size_t *row, struct cs_results *out,
                     struct cs_err *err)
{
    const struct cs_results *a = &parts[0];
    int rc = cs_results_init(out, a->sweep, a->fingerprint, a->runs, 1, 1,
                             (const char *const *)a->cols, a->ncols);

    for (size_t run = 1; rc == 0 && run <= a->runs; run++) {
        const struct cs_results *p = &parts[part[run] - 1];

        rc = cs_results_add(
            out, run, (const char *const *)p->cells + row[run] * p->ncols);
    }
    return rc < 0 ? oom(err) : 0;
}

int cs_results_merge(const struct cs_results *parts, const char *const *dirs,
                     size_t n, struct cs_results *out, struct cs_err *err)
{
    size_t *part = NULL, *row = NULL;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0, "nothing to merge");
    for (size_t i = 1; i < n && rc == 0; i++)
        rc = same_table(parts, dirs, i, err);
    if (rc == 0 && parts[0].runs >= SIZE_MAX / sizeof(*part))
        rc = oom(err);
    if (rc == 0) {
        part = calloc(parts[0].runs + 1, sizeof(*part));
        row = calloc(parts[0].runs + 1, sizeof(*row));
        if (part == NULL || row == NULL)
            rc = oom(err);
    }
    if (rc == 0 && (rc = place(parts, dirs, n, part, row, err)) == 0 &&
        (rc = missing(part, parts[0].runs, err)) == 0)
        rc = join_rows(parts, part, row, out, err);
    if (rc < 0)
        cs_results_fini(out);
    free(part);
    free(row);
    return rc;
}
