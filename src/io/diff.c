/*
 * diff.c - compare two runs cell by cell (see diff.h, docs/diff.md); one
 * side's reading is in diff_side.c.
 *
 * A struct pair compares one file of A with one of B. Each side reads its
 * file with the pull reader and keeps, in one byte arena, the rows of the
 * current instant (its "block") plus one look-ahead row, the first of the
 * next instant. The merge loop takes the smaller next time of the two
 * sides, fills that instant's block on each side that has it (an empty
 * block on the other), matches the rows of the two blocks by key, compares
 * them, and drops the blocks (the look-ahead moves to the arena's front):
 *
 *   primed --cs_diff_side_fill--> block+lookahead --cs_diff_side_drop--> primed
 *      \--(no look-ahead on either side)--> flush open ranges, done
 *
 * Invariants:
 *   1. Times on a side never decrease (checked; else CS_EPARSE).
 *   2. Each key (text, occurrence) is stored once per pair, with an open
 *      "only in A/B" range and one open value range per compared column;
 *      a row matched in both blocks closes the only-ranges of its key.
 *   3. A value range is open iff its last sample of that key differed; an
 *      equal sample, or the end of the files, closes and reports it.
 * Matching is O(1) per row: key ids come from a hash table, with a cache
 * of the id found at the same block position in the previous instant.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/diff.h"

#include "io/csvread.h"
#include "io/diff_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CELL_MAX 40 /* bytes of a cell kept for a message */

struct only_range {
    int open;
    long n;        /* rows */
    double t0, t1; /* s */
};

struct vrange {
    int open;
    long n;                /* unequal samples */
    double t0, t1;         /* s */
    double wt, wabs;       /* worst sample: time (s) and |a-b| */
    char wa[CELL_MAX + 4]; /* its A cell (cut, "..." appended) */
    char wb[CELL_MAX + 4]; /* its B cell */
};

struct key {
    char *text;             /* owned; key column value, "" without key column */
    int occ;                /* occurrence at an instant (0 = first) */
    unsigned long stamp[2]; /* block number when last seen per side */
    size_t row[2];          /* its row in that block */
    int count[2];           /* rows with this text in that block (occ 0) */
    struct only_range only[2];
    struct vrange *v; /* owned; one per compared column */
};

struct pair {
    const char *label;
    const struct cs_diff_opts *o;
    struct cs_diff_side s[2];
    cs_diff_fn fn;
    void *ctx;
    struct cs_diff_totals *tot;
    size_t ncmp;   /* compared columns */
    size_t *ci[2]; /* their index in each side */
    double *atol, *rtol;
    char *differed; /* column already counted in tot->columns */
    struct key *keys;
    size_t nkeys, keys_cap;
    size_t *hash; /* key id + 1; 0 = empty */
    size_t hash_cap;
    unsigned long blockno;
};

static int oom(struct cs_err *err)
{
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- options ------------------------------------------------------- */

static int selected(const struct cs_diff_opts *o, const char *c)
{
    if (o->nonly == 0)
        return 1;
    for (size_t i = 0; i < o->nonly; i++)
        if (strcmp(o->only[i], c) == 0)
            return 1;
    return 0;
}

/* ---- keys ----------------------------------------------------------- */

static size_t key_hash(const char *s, int occ)
{
    uint64_t h = 1469598103934665603u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)((h ^ (uint64_t)occ) * 1099511628211u);
}

static int rehash(struct pair *p)
{
    size_t cap = p->hash_cap ? p->hash_cap * 2 : 64;
    size_t *h = calloc(cap, sizeof(*h));

    if (h == NULL)
        return -1;
    for (size_t id = 0; id < p->nkeys; id++) {
        size_t i = key_hash(p->keys[id].text, p->keys[id].occ) & (cap - 1);

        while (h[i] != 0)
            i = (i + 1) & (cap - 1);
        h[i] = id + 1;
    }
    free(p->hash);
    p->hash = h;
    p->hash_cap = cap;
    return 0;
}

/* Id of key (text, occ), added if new; NOROW when out of memory. */
static size_t key_get(struct pair *p, const char *text, int occ)
{
    size_t i, id;
    struct key *k;

    if (2 * (p->nkeys + 1) > p->hash_cap && rehash(p) < 0)
        return NOROW;
    i = key_hash(text, occ) & (p->hash_cap - 1);
    for (; p->hash[i] != 0; i = (i + 1) & (p->hash_cap - 1)) {
        k = &p->keys[p->hash[i] - 1];
        if (k->occ == occ && strcmp(k->text, text) == 0)
            return p->hash[i] - 1;
    }
    if (cs_diff_grow((void **)&p->keys, &p->keys_cap, p->nkeys + 1, sizeof(*k)))
        return NOROW;
    id = p->nkeys;
    k = &p->keys[id];
    memset(k, 0, sizeof(*k));
    k->occ = occ;
    k->text = strdup(text);
    k->v = calloc(p->ncmp ? p->ncmp : 1, sizeof(*k->v));
    if (k->text == NULL || k->v == NULL) {
        free(k->text);
        free(k->v);
        return NOROW;
    }
    p->nkeys++;
    p->hash[i] = id + 1;
    return id;
}

/* Give each block row of side `w` its key id and stamp the keys. The id
 * the same position had at the last instant is tried first. */
static int block_keys(struct pair *p, int w, struct cs_err *err)
{
    struct cs_diff_side *s = &p->s[w];

    for (size_t r = 0; r < s->nblock; r++) {
        const char *text =
            s->kcol >= 0 ? cs_diff_cell(s, r, (size_t)s->kcol) : "";
        size_t id = s->row[r].kid;
        struct key *k;
        int occ = 0;

        if (id == NOROW || p->keys[id].occ != 0 ||
            strcmp(p->keys[id].text, text) != 0)
            if ((id = key_get(p, text, 0)) == NOROW)
                return oom(err);
        k = &p->keys[id];
        occ = k->stamp[w] == p->blockno ? k->count[w] : 0;
        k->count[w] = occ + 1;
        k->stamp[w] = p->blockno;
        if (occ > 0 && (id = key_get(p, text, occ)) == NOROW)
            return oom(err);
        p->keys[id].stamp[w] = p->blockno;
        p->keys[id].row[w] = r;
        s->row[r].kid = id;
    }
    return 0;
}

/* ---- reporting ranges ----------------------------------------------- */

static void emit(struct pair *p, struct cs_diff *d, const struct key *k)
{
    const struct cs_diff_side *a = &p->s[0];

    d->file = p->label;
    d->key_name = a->kcol >= 0 ? a->name[a->kcol] : NULL;
    d->key = a->kcol >= 0 && k != NULL ? k->text : NULL;
    d->occurrence = k ? k->occ : 0;
    d->has_time = a->tcol >= 0;
    p->tot->differences++;
    if (p->fn != NULL)
        p->fn(d, p->ctx);
}

static void only_close(struct pair *p, struct key *k, int w)
{
    struct only_range *o = &k->only[w];
    struct cs_diff d;

    if (!o->open)
        return;
    memset(&d, 0, sizeof(d));
    d.kind = w == 0 ? CS_DIFF_ROWS_ONLY_A : CS_DIFF_ROWS_ONLY_B;
    d.t_first = o->t0;
    d.t_last = o->t1;
    d.nsamples = o->n;
    o->open = 0;
    emit(p, &d, k);
}

static void only_add(struct pair *p, struct key *k, int w, double t)
{
    struct only_range *o = &k->only[w];

    only_close(p, k, !w);
    if (!o->open) {
        o->open = 1;
        o->n = 0;
        o->t0 = t;
    }
    o->n++;
    o->t1 = t;
    p->tot->rows_only++;
}

static void count_column(struct pair *p, size_t c)
{
    if (!p->differed[c]) {
        p->differed[c] = 1;
        p->tot->columns++;
    }
}

static void v_close(struct pair *p, struct key *k, size_t c)
{
    struct vrange *v = &k->v[c];
    struct cs_diff d;

    if (!v->open)
        return;
    memset(&d, 0, sizeof(d));
    d.kind = CS_DIFF_VALUES;
    d.column = p->s[0].name[p->ci[0][c]];
    d.t_first = v->t0;
    d.t_last = v->t1;
    d.nsamples = v->n;
    d.worst_t = v->wt;
    d.worst_abs = v->wabs;
    d.worst_a = v->wa;
    d.worst_b = v->wb;
    v->open = 0;
    count_column(p, c);
    emit(p, &d, k);
}

static void keep_cell(char *dst, const char *src)
{
    size_t n = strlen(src);

    if (n > CELL_MAX) {
        memcpy(dst, src, CELL_MAX);
        memcpy(dst + CELL_MAX, "...", 4);
    } else {
        memcpy(dst, src, n + 1);
    }
}

static void v_add(struct pair *p, struct vrange *v, double t, double abs,
                  const char *a, const char *b)
{
    if (!v->open) {
        v->open = 1;
        v->n = 0;
        v->t0 = t;
        v->wabs = -1;
    }
    v->n++;
    v->t1 = t;
    p->tot->samples++;
    if (abs > v->wabs) {
        v->wabs = abs;
        v->wt = t;
        keep_cell(v->wa, a);
        keep_cell(v->wb, b);
    }
}

/* ---- comparing ------------------------------------------------------ */

static void compare_rows(struct pair *p, struct key *k, size_t ra, size_t rb,
                         double t)
{
    for (size_t c = 0; c < p->ncmp; c++) {
        const char *a = cs_diff_cell(&p->s[0], ra, p->ci[0][c]);
        const char *b = cs_diff_cell(&p->s[1], rb, p->ci[1][c]);
        double x, y, abs = INFINITY;

        if (strcmp(a, b) == 0) {
            v_close(p, k, c);
            continue;
        }
        if (cs_csv_number(a, &x) == 0 && cs_csv_number(b, &y) == 0) {
            double m = fmax(fabs(x), fabs(y));

            abs = fabs(x - y);
            if (abs <= p->atol[c] + p->rtol[c] * m) {
                v_close(p, k, c);
                continue;
            }
        }
        v_add(p, &k->v[c], t, abs, a, b);
    }
}

static int compare_block(struct pair *p, double t, struct cs_err *err)
{
    struct cs_diff_side *a = &p->s[0], *b = &p->s[1];
    int rc;

    p->blockno++;
    if ((rc = block_keys(p, 0, err)) < 0 || (rc = block_keys(p, 1, err)) < 0)
        return rc;
    for (size_t r = 0; r < a->nblock; r++) {
        struct key *k = &p->keys[a->row[r].kid];

        if (k->stamp[1] == p->blockno) {
            only_close(p, k, 0);
            only_close(p, k, 1);
            compare_rows(p, k, r, k->row[1], t);
        } else {
            only_add(p, k, 0, t);
        }
    }
    for (size_t r = 0; r < b->nblock; r++) {
        struct key *k = &p->keys[b->row[r].kid];

        if (k->stamp[0] != p->blockno)
            only_add(p, k, 1, t);
    }
    return 0;
}

/* ---- one pair of files ---------------------------------------------- */

/* "time_s,workload", "time_s", "pool" or "position". */
static const char *key_columns(const struct cs_diff_side *s, char *buf,
                               size_t n)
{
    const char *k = s->kcol >= 0 ? s->name[s->kcol] : NULL;

    if (s->tcol >= 0)
        snprintf(buf, n, "time_s%s%s", k ? "," : "", k ? k : "");
    else
        snprintf(buf, n, "%s", k ? k : "position");
    return buf;
}

static int setup_columns(struct pair *p, struct cs_err *err)
{
    struct cs_diff_side *a = &p->s[0], *b = &p->s[1];
    size_t n = a->ncols;

    if ((a->tcol < 0) != (b->tcol < 0) || (a->kcol < 0) != (b->kcol < 0) ||
        (a->kcol >= 0 && strcmp(a->name[a->kcol], b->name[b->kcol]) != 0)) {
        char ka[96], kb[96];

        return cs_err_set(err, CS_EPARSE, b->path, 1, 1,
                          "rows are keyed by %s here but by %s in %s",
                          key_columns(b, kb, sizeof(kb)),
                          key_columns(a, ka, sizeof(ka)), a->path);
    }
    p->ci[0] = calloc(n ? n : 1, sizeof(size_t));
    p->ci[1] = calloc(n ? n : 1, sizeof(size_t));
    p->atol = calloc(n ? n : 1, sizeof(double));
    p->rtol = calloc(n ? n : 1, sizeof(double));
    p->differed = calloc(n ? n : 1, 1);
    if (!p->ci[0] || !p->ci[1] || !p->atol || !p->rtol || !p->differed)
        return oom(err);
    for (size_t i = 0; i < n; i++) {
        const char *c = a->name[i];

        if ((int)i == a->tcol || (int)i == a->kcol || !selected(p->o, c))
            continue;
        for (size_t j = 0; j < b->ncols; j++) {
            if (strcmp(b->name[j], c) != 0)
                continue;
            p->ci[0][p->ncmp] = i;
            p->ci[1][p->ncmp] = j;
            p->atol[p->ncmp] = p->o->atol;
            p->rtol[p->ncmp] = p->o->rtol;
            for (size_t t = 0; t < p->o->ntol; t++) {
                const struct cs_diff_coltol *ct = &p->o->tol[t];

                if (strcmp(ct->column, c) != 0)
                    continue;
                if (ct->has_atol)
                    p->atol[p->ncmp] = ct->atol;
                if (ct->has_rtol)
                    p->rtol[p->ncmp] = ct->rtol;
            }
            p->ncmp++;
        }
    }
    return 0;
}

/* Report the columns that only one header has. */
static void report_columns(struct pair *p)
{
    for (int w = 0; w < 2; w++) {
        const struct cs_diff_side *s = &p->s[w], *o = &p->s[!w];

        for (size_t i = 0; i < s->ncols; i++) {
            struct cs_diff d;
            const char *c = s->name[i];
            size_t j = 0;

            while (j < o->ncols && strcmp(o->name[j], c) != 0)
                j++;
            if (j < o->ncols || (int)i == s->tcol || (int)i == s->kcol ||
                !selected(p->o, c))
                continue;
            memset(&d, 0, sizeof(d));
            d.kind = w == 0 ? CS_DIFF_COLUMN_ONLY_A : CS_DIFF_COLUMN_ONLY_B;
            d.column = c;
            p->tot->columns++;
            emit(p, &d, NULL);
        }
    }
}

static int pair_run(struct pair *p, struct cs_err *err)
{
    struct cs_diff_side *a = &p->s[0], *b = &p->s[1];
    int rc;

    report_columns(p);
    p->tot->files++;
    for (;;) {
        int fa = a->has_next, fb = b->has_next;
        double t;

        if (!fa && !fb)
            break;
        t = !fa   ? b->row[0].t
            : !fb ? a->row[0].t
                  : fmin(a->row[0].t, b->row[0].t);
        fa = fa && a->row[0].t == t;
        fb = fb && b->row[0].t == t;
        if ((fa && (rc = cs_diff_side_fill(a, err)) < 0) ||
            (fb && (rc = cs_diff_side_fill(b, err)) < 0))
            return rc;
        if ((rc = compare_block(p, t, err)) < 0)
            return rc;
        cs_diff_side_drop(a);
        cs_diff_side_drop(b);
    }
    for (size_t id = 0; id < p->nkeys; id++) {
        only_close(p, &p->keys[id], 0);
        only_close(p, &p->keys[id], 1);
        for (size_t c = 0; c < p->ncmp; c++)
            v_close(p, &p->keys[id], c);
    }
    return 0;
}

/* Open both files and read their headers and first rows. */
static int pair_open(struct pair *p, const char *pa, const char *pb,
                     struct cs_err *err)
{
    int rc;

    for (int w = 0; w < 2; w++) {
        struct cs_diff_side *s = &p->s[w];

        if ((rc = cs_diff_side_open(s, w ? pb : pa, err)) < 0)
            return rc;
    }
    if ((rc = setup_columns(p, err)) < 0)
        return rc;
    for (int w = 0; w < 2; w++) {
        if ((rc = cs_diff_side_read(&p->s[w], err)) < 0)
            return rc;
        p->s[w].has_next = rc;
    }
    return 0;
}

static void pair_fini(struct pair *p)
{
    cs_diff_side_fini(&p->s[0]);
    cs_diff_side_fini(&p->s[1]);
    for (size_t i = 0; i < p->nkeys; i++) {
        free(p->keys[i].text);
        free(p->keys[i].v);
    }
    free(p->keys);
    free(p->hash);
    free(p->ci[0]);
    free(p->ci[1]);
    free(p->atol);
    free(p->rtol);
    free(p->differed);
}

/* ---- runs: directories or files ------------------------------------- */

struct job {
    char *a, *b;       /* owned paths */
    const char *label; /* file name in messages */
    int only;          /* 0 both, 1 only in A, 2 only in B */
    struct pair p;
};

static int kind_of(const char *path, int *dir, struct cs_err *err)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return cs_err_set(err, CS_EIO, path, 0, 0, "cannot open: %s",
                          strerror(errno));
    *dir = S_ISDIR(st.st_mode);
    return 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s != NULL && s[1] != '\0' ? s + 1 : path;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);

    if (s != NULL)
        snprintf(s, n, "%s/%s", dir, name);
    return s;
}

static int exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* Fill jobs[] for A and B; returns how many, or < 0. */
static int plan(const char *a, const char *b, struct job *jobs,
                struct cs_err *err)
{
    static const char *const files[] = {"timeline.csv", "nodes.csv",
                                        "summary.csv"};
    int da = 0, db = 0, n = 0, rc;

    if ((rc = kind_of(a, &da, err)) < 0 || (rc = kind_of(b, &db, err)) < 0)
        return rc;
    if (!da || !db) {
        jobs[0].label = base_name(da ? b : a);
        jobs[0].a = da ? join(a, jobs[0].label) : strdup(a);
        jobs[0].b = db ? join(b, jobs[0].label) : strdup(b);
        return jobs[0].a && jobs[0].b ? 1 : oom(err);
    }
    for (int i = 0; i < 3; i++) {
        struct job *j = &jobs[n];

        j->label = files[i];
        j->a = join(a, files[i]);
        j->b = join(b, files[i]);
        if (j->a == NULL || j->b == NULL)
            return oom(err); /* the caller frees jobs[] */
        if (i == 1 && !exists(j->a) && !exists(j->b)) {
            free(j->a);
            free(j->b);
            j->a = j->b = NULL;
            continue;
        }
        if (i == 1 && !exists(j->b))
            j->only = 1;
        else if (i == 1 && !exists(j->a))
            j->only = 2;
        n++;
    }
    return n;
}

static int has_column(const struct job *jobs, int n, const char *c)
{
    for (int i = 0; i < n; i++)
        for (int w = 0; !jobs[i].only && w < 2; w++)
            for (size_t k = 0; k < jobs[i].p.s[w].ncols; k++)
                if (strcmp(jobs[i].p.s[w].name[k], c) == 0)
                    return 1;
    return 0;
}

static int check_named(const struct job *jobs, int n,
                       const struct cs_diff_opts *o, struct cs_err *err)
{
    for (size_t i = 0; i < o->nonly + o->ntol; i++) {
        const char *c = i < o->nonly ? o->only[i] : o->tol[i - o->nonly].column;

        if (!has_column(jobs, n, c))
            return cs_err_set(err, CS_ENOENT, NULL, 0, 0,
                              "column '%s' is not in any compared file", c);
    }
    return 0;
}

int cs_diff_paths(const char *a, const char *b, const struct cs_diff_opts *o,
                  cs_diff_fn fn, void *ctx, struct cs_diff_totals *tot,
                  struct cs_err *err)
{
    struct job jobs[3];
    int n, rc = 0;

    memset(tot, 0, sizeof(*tot));
    memset(jobs, 0, sizeof(jobs));
    n = plan(a, b, jobs, err);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct pair *p = &jobs[i].p;

        p->label = jobs[i].label;
        p->o = o;
        p->fn = fn;
        p->ctx = ctx;
        p->tot = tot;
        if (!jobs[i].only)
            rc = pair_open(p, jobs[i].a, jobs[i].b, err);
    }
    if (n < 0)
        rc = n;
    if (rc == 0)
        rc = check_named(jobs, n, o, err);
    for (int i = 0; rc == 0 && i < n; i++) {
        if (jobs[i].only) {
            struct cs_diff d;

            memset(&d, 0, sizeof(d));
            d.kind =
                jobs[i].only == 1 ? CS_DIFF_FILE_ONLY_A : CS_DIFF_FILE_ONLY_B;
            d.file = jobs[i].label;
            tot->differences++;
            if (fn != NULL)
                fn(&d, ctx);
        } else {
            rc = pair_run(&jobs[i].p, err);
        }
    }
    for (int i = 0; i < 3; i++) {
        pair_fini(&jobs[i].p);
        free(jobs[i].a);
        free(jobs[i].b);
    }
    return rc;
}
