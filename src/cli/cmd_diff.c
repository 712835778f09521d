/*
 * cmd_diff.c - `capsim diff RUN_A RUN_B`: compare two runs (io/diff.h,
 * docs/diff.md). Parses the options into a struct cs_diff_opts, prints
 * each difference as one line (the first --max-lines of them), then the
 * closing line. Exit status: 0 no differences, 1 differences, 2 bad usage
 * or an unreadable or malformed file.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "io/diff.h"
#include "io/quantity.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char diff_usage[] =
    "usage: capsim diff RUN_A RUN_B [--tol X] [--atol [COL=]X]...\n"
    "                   [--rtol [COL=]X]... [--column COL[,COL...]]...\n"
    "                   [--max-lines N] [--quiet]\n"
    "\n"
    "Compare two run directories (timeline.csv, nodes.csv, summary.csv) or\n"
    "two CSV files, matching rows by time_s and workload (or pool), and\n"
    "print the differences as time ranges, one line per file, column and\n"
    "workload, then a closing line. Cells a and b are equal when\n"
    "|a-b| <= atol + rtol * max(|a|,|b|); an empty cell equals only an\n"
    "empty cell.\n"
    "\n"
    "  --tol X             relative tolerance for every column (0.05 = 5%)\n"
    "  --atol [COL=]X      absolute tolerance of COL (or of every column)\n"
    "  --rtol [COL=]X      relative tolerance of COL (or of every column)\n"
    "  --column COL        compare only these columns (repeat or COL,COL)\n"
    "  --max-lines N       print at most N difference lines (default 50)\n"
    "  -q, --quiet         print nothing; the exit status says it all\n"
    "\n"
    "exit status: 0 no differences, 1 differences, 2 bad usage or input\n";

struct diff_cli {
    const char *a, *b;
    struct cs_diff_opts o;
    struct cs_diff_coltol *tol; /* argc entries */
    const char **only;          /* one entry per name on the line */
    char **owned;               /* column names cut out of argv */
    size_t nowned;
    long max_lines;
    int quiet;
};

static void cli_fini(struct diff_cli *c)
{
    for (size_t i = 0; i < c->nowned; i++)
        free(c->owned[i]);
    free(c->owned);
    free(c->tol);
    free(c->only);
}

/* A copy of s[0, n) kept until cli_fini; NULL when out of memory. */
static const char *keep(struct diff_cli *c, const char *s, size_t n)
{
    char *k = malloc(n + 1);

    if (k == NULL)
        return NULL;
    memcpy(k, s, n);
    k[n] = '\0';
    c->owned[c->nowned++] = k;
    return k;
}

static int bad(const char *opt, const char *arg, const char *what)
{
    fprintf(stderr, "capsim: diff: %s needs %s, got '%s'\n", opt, what,
            arg ? arg : "");
    return -1;
}

/* --tol X, --atol [COL=]X, --rtol [COL=]X. */
static int parse_tol(struct diff_cli *c, const char *opt, const char *arg)
{
    const char *eq = arg ? strrchr(arg, '=') : NULL;
    const char *num = eq ? eq + 1 : arg;
    int rel = strcmp(opt, "--atol") != 0;
    struct cs_diff_coltol *t = NULL;
    const char *col;
    double v;

    if (num == NULL || cs_parse_double(num, &v) < 0 || v < 0 ||
        (eq != NULL && (eq == arg || strcmp(opt, "--tol") == 0)))
        return bad(opt, arg,
                   strcmp(opt, "--tol") == 0 ? "a number >= 0"
                                             : "[COLUMN=]NUMBER with NUMBER "
                                               ">= 0");
    if (eq == NULL) {
        *(rel ? &c->o.rtol : &c->o.atol) = v;
        return 0;
    }
    for (size_t i = 0; i < c->o.ntol; i++)
        if (strncmp(c->tol[i].column, arg, (size_t)(eq - arg)) == 0 &&
            c->tol[i].column[eq - arg] == '\0')
            t = &c->tol[i];
    if (t == NULL) {
        if ((col = keep(c, arg, (size_t)(eq - arg))) == NULL)
            return bad(opt, arg, "memory");
        t = &c->tol[c->o.ntol++];
        memset(t, 0, sizeof(*t));
        t->column = col;
    }
    *(rel ? &t->rtol : &t->atol) = v;
    *(rel ? &t->has_rtol : &t->has_atol) = 1;
    return 0;
}

/* --column COL[,COL...] */
static int parse_columns(struct diff_cli *c, const char *arg)
{
    const char *s = arg;

    if (arg == NULL || arg[0] == '\0')
        return bad("--column", arg, "a column name");
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        const char *col;

        if (n > 0) {
            if ((col = keep(c, s, n)) == NULL)
                return bad("--column", arg, "memory");
            c->only[c->o.nonly++] = col;
        }
        if (comma == NULL)
            return 0;
        s = comma + 1;
    }
}

static int parse_opts(int argc, char **argv, struct diff_cli *c)
{
    size_t cap = (size_t)argc + 1; /* names: arguments plus commas */

    for (int i = 1; i < argc; i++)
        for (const char *s = argv[i]; (s = strchr(s, ',')) != NULL; s++)
            cap++;
    memset(c, 0, sizeof(*c));
    c->max_lines = 50;
    c->tol = calloc(cap, sizeof(*c->tol));
    c->only = calloc(cap, sizeof(*c->only));
    c->owned = calloc(2 * cap, sizeof(*c->owned));
    if (c->tol == NULL || c->only == NULL || c->owned == NULL)
        return bad("diff", "", "memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t v;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(diff_usage, stdout);
            return 1;
        } else if (strcmp(a, "--tol") == 0 || strcmp(a, "--atol") == 0 ||
                   strcmp(a, "--rtol") == 0) {
            if (parse_tol(c, a, next) < 0)
                return -1;
            i++;
        } else if (strcmp(a, "--column") == 0) {
            if (parse_columns(c, next) < 0)
                return -1;
            i++;
        } else if (strcmp(a, "--max-lines") == 0) {
            if (next == NULL || cs_parse_int64(next, &v) < 0 || v < 0 ||
                v > 1000000000)
                return bad(a, next, "a number from 0 to 1000000000");
            c->max_lines = (long)v;
            i++;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c->quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "capsim: diff: unknown option '%s'\n", a);
            return -1;
        } else if (c->a == NULL) {
            c->a = a;
        } else if (c->b == NULL) {
            c->b = a;
        } else {
            fprintf(stderr, "capsim: diff: two runs, got a third: '%s'\n", a);
            return -1;
        }
    }
    if (c->b == NULL) {
        fputs(diff_usage, stderr);
        return -1;
    }
    c->o.tol = c->tol;
    c->o.only = c->only;
    return 0;
}

struct printer {
    long max, printed, more;
};

static void print_line(const struct cs_diff *d, void *ctx)
{
    struct printer *pr = ctx;
    char line[1024], *big = NULL;
    int n;

    if (pr->printed >= pr->max) {
        pr->more++;
        return;
    }
    n = cs_diff_format(d, line, sizeof(line));
    if ((size_t)n >= sizeof(line) && (big = malloc((size_t)n + 1)) != NULL)
        cs_diff_format(d, big, (size_t)n + 1);
    puts(big != NULL ? big : line);
    free(big);
    pr->printed++;
}

int cs_cli_diff(int argc, char **argv)
{
    struct diff_cli c;
    struct cs_diff_totals tot;
    struct printer pr = {0, 0, 0};
    struct cs_err err;
    char line[2048];
    int rc = parse_opts(argc, argv, &c);

    if (rc != 0) {
        cli_fini(&c);
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    }
    cs_err_clear(&err);
    pr.max = c.max_lines;
    rc = cs_diff_paths(c.a, c.b, &c.o, c.quiet ? NULL : print_line, &pr, &tot,
                       &err);
    if (rc < 0) {
        fflush(stdout);
        cs_cli_print_err(&err);
        cli_fini(&c);
        return CS_EXIT_USAGE;
    }
    if (!c.quiet) {
        if (pr.more > 0)
            printf("... and %ld more\n", pr.more);
        cs_diff_format_totals(&tot, &c.o, line, sizeof(line));
        puts(line);
    }
    cli_fini(&c);
    return tot.differences > 0 ? CS_EXIT_FAIL : CS_EXIT_OK;
}
