/* cmd_check.c - `capsim check SCENARIO...`: run each scenario and evaluate
 * its `expect:` assertions (and --expect ones) against the run, for CI.
 * The language is in io/expect.h and docs/expectations.md. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "io/expect.h"
#include "io/junit.h"
#include "io/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Load-time warnings (sc->warnings) on stderr; they leave the exit
 * status alone. */
static void print_warnings(const struct cs_scenario *sc)
{
    for (int i = 0; i < sc->nwarnings; i++)
        fprintf(stderr, "capsim: warning: %s\n", sc->warnings[i]);
}

static const char check_usage[] =
    "usage: capsim check SCENARIO... [--expect EXPR]... [-o DIR]\n"
    "                    [--set PATH=VALUE]... [--junit FILE] [--seed N] "
    "[-q]\n"
    "\n"
    "Run each SCENARIO and evaluate its `expect:` assertions, plus every\n"
    "--expect EXPR, against the run. One line per assertion with the values\n"
    "behind the verdict, then 'N passed, N failed'.\n"
    "\n"
    "  --expect EXPR   an extra assertion, e.g. 'max(pending_pods) == 0'\n"
    "  -o, --output DIR  where runs go (DIR/<scenario name> when several;\n"
    "                  default out/<scenario name>)\n"
    "  --set PATH=VALUE  change a value of every SCENARIO before it runs,\n"
    "                  as `capsim run --set` does (repeatable)\n"
    "  --junit FILE    also write a JUnit XML report for CI systems\n"
    "  --seed N        override the scenarios' seeds\n"
    "  -q, --quiet     print only failures and the closing line\n"
    "\n"
    "exit status: 0 every assertion passed, 1 one failed, 2 bad usage or\n"
    "bad input (including an assertion naming something the run lacks)\n";

struct check_opts {
    const char **scenarios;
    int nscenarios;
    const char **expects;
    int nexpects;
    const char *out;
    const char *junit;
    struct cs_cli_sets sets;
    int has_seed;
    uint64_t seed;
    int quiet;
};

static int parse_opts(int argc, char **argv, struct check_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->scenarios = calloc((size_t)argc, sizeof(*o->scenarios));
    o->expects = calloc((size_t)argc, sizeof(*o->expects));
    if (o->scenarios == NULL || o->expects == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return -1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int64_t v;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(check_usage, stdout);
            return 1;
        }
        if (strcmp(a, "--expect") == 0 || strcmp(a, "-o") == 0 ||
            strcmp(a, "--output") == 0 || strcmp(a, "--junit") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "capsim: check: %s needs a value\n", a);
                return -1;
            }
            if (strcmp(a, "--expect") == 0)
                o->expects[o->nexpects++] = argv[i];
            else if (strcmp(a, "--junit") == 0)
                o->junit = argv[i];
            else
                o->out = argv[i];
        } else if (strcmp(a, "--set") == 0) {
            if (cs_cli_sets_add(&o->sets, i + 1 < argc ? argv[++i] : NULL) < 0)
                return -1;
        } else if (strcmp(a, "--seed") == 0) {
            if (cs_cli_parse_count(a, i + 1 < argc ? argv[++i] : NULL,
                                   INT64_MAX, &v))
                return -1;
            o->has_seed = 1;
            o->seed = (uint64_t)v;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "capsim: check: unknown option '%s'\n", a);
            return -1;
        } else {
            o->scenarios[o->nscenarios++] = a;
        }
    }
    if (o->nscenarios == 0) {
        fputs(check_usage, stderr);
        return -1;
    }
    return 0;
}

/* One scenario's assertions and their outcome. */
struct suite {
    const char *name;
    struct cs_expect **e;
    struct cs_expect_result *res;
    struct cs_junit_case *cases;
    size_t n;
    double wall_s;
    int status; /* exit status of this scenario */
};

static void suite_fini(struct suite *s)
{
    for (size_t i = 0; i < s->n; i++)
        cs_expect_destroy(s->e[i]);
    free(s->e);
    free(s->res);
    free(s->cases);
}

/* Parse the scenario's and the command line's assertions. */
static int collect(const struct check_opts *o, const struct cs_scenario *sc,
                   struct suite *s)
{
    size_t total = (size_t)sc->nexpects + (size_t)o->nexpects;
    struct cs_err err;

    s->e = calloc(total ? total : 1, sizeof(*s->e));
    s->res = calloc(total ? total : 1, sizeof(*s->res));
    s->cases = calloc(total ? total : 1, sizeof(*s->cases));
    if (s->e == NULL || s->res == NULL || s->cases == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return -1;
    }
    for (size_t i = 0; i < total; i++) {
        int rc;

        cs_err_clear(&err);
        if (i < (size_t)sc->nexpects) {
            const struct cs_scenario_expect *x = &sc->expects[i];

            rc = cs_expect_parse(x->text, sc->path, x->line, x->col, &s->e[i],
                                 &err);
        } else {
            rc = cs_expect_parse(o->expects[i - (size_t)sc->nexpects],
                                 "<command line>", 1, 1, &s->e[i], &err);
        }
        if (rc < 0) {
            cs_cli_print_err(&err);
            return -1;
        }
        s->n++;
    }
    return 0;
}

static const char *const verdict[] = {"PASS", "FAIL", "ERROR"};

static void report(const struct check_opts *o, struct suite *s, int *passed,
                   int *failed)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct cs_expect_result *r = &s->res[i];
        struct cs_junit_case *c = &s->cases[i];
        char msg[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

        c->name = cs_expect_text(s->e[i]);
        c->classname = s->name;
        c->outcome = r->outcome;
        c->message = NULL;
        if (r->outcome == CS_EXPECT_PASS)
            (*passed)++;
        else
            (*failed)++;
        if (r->outcome == CS_EXPECT_ERROR) {
            cs_err_format(&r->err, msg, sizeof(msg));
            s->status = CS_EXIT_USAGE;
            fprintf(stdout, "ERROR %s\n      %s\n", c->name, msg);
            c->message = strdup(msg);
            continue;
        }
        if (r->outcome == CS_EXPECT_FAIL && s->status == CS_EXIT_OK)
            s->status = CS_EXIT_FAIL;
        if (r->outcome == CS_EXPECT_FAIL || !o->quiet)
            fprintf(stdout, "%-5s %s\n      %s\n", verdict[r->outcome], c->name,
                    r->actual[0] ? r->actual : "");
        if (r->outcome == CS_EXPECT_FAIL)
            c->message = strdup(r->actual);
    }
}

static double since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Run scenario `path` into its directory and evaluate its assertions. */
static void check_one(const struct check_opts *o, const char *path,
                      struct suite *s, int *passed, int *failed)
{
    struct cs_err err;
    struct cs_scenario *sc;
    struct cs_run_opts ro;
    char dir[1024];
    struct timespec t0;
    int rc;

    memset(s, 0, sizeof(*s));
    s->name = path;
    cs_err_clear(&err);
    sc = cs_scenario_load_with(path, o->sets.ov, o->sets.n, &err);
    if (sc == NULL) {
        cs_cli_print_err(&err);
        s->status = CS_EXIT_USAGE;
        return;
    }
    print_warnings(sc);
    if (collect(o, sc, s) < 0) {
        s->status = CS_EXIT_USAGE;
        cs_scenario_destroy(sc);
        return;
    }
    if (s->n == 0)
        fprintf(stderr, "capsim: check: %s has no expect: assertions\n", path);
    memset(&ro, 0, sizeof(ro));
    ro.has_seed = o->has_seed;
    ro.seed = o->seed;
    ro.quiet = 1;
    if (o->out != NULL && o->nscenarios > 1)
        snprintf(dir, sizeof(dir), "%s/%s", o->out, sc->name);
    else if (o->out != NULL)
        snprintf(dir, sizeof(dir), "%s", o->out);
    else
        snprintf(dir, sizeof(dir), "out/%s", sc->name);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!o->quiet)
        printf("%s: running into %s\n", path, dir);
    rc = cs_cli_run_into(&ro, sc, dir);
    cs_scenario_destroy(sc);
    if (rc != CS_EXIT_OK) {
        s->status = rc;
        return;
    }
    cs_err_clear(&err);
    if (cs_expect_eval_dir(s->e, s->n, dir, s->res, &err) < 0) {
        cs_cli_print_err(&err);
        s->status = CS_EXIT_USAGE;
        return;
    }
    s->wall_s = since(&t0);
    report(o, s, passed, failed);
}

static int write_junit(const char *path, struct suite *s, int n)
{
    struct cs_junit_suite *js = calloc((size_t)n, sizeof(*js));
    struct cs_err err;
    int rc;

    if (js == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        js[i].name = s[i].name;
        js[i].time_s = s[i].wall_s;
        js[i].cases = s[i].cases;
        js[i].ncases = s[i].res != NULL ? s[i].n : 0;
    }
    cs_err_clear(&err);
    rc = cs_junit_write(path, js, (size_t)n, &err);
    if (rc < 0)
        cs_cli_print_err(&err);
    free(js);
    return rc;
}

int cs_cli_check(int argc, char **argv)
{
    struct check_opts o;
    struct suite *s = NULL;
    int passed = 0, failed = 0, status = CS_EXIT_OK;
    int rc = parse_opts(argc, argv, &o);

    if (rc == 0 && (s = calloc((size_t)o.nscenarios, sizeof(*s))) == NULL)
        rc = -1;
    if (rc != 0) {
        cs_cli_sets_fini(&o.sets);
        free(o.scenarios);
        free(o.expects);
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    }
    cs_cli_signals_install();
    if (!o.quiet)
        cs_cli_sets_print(&o.sets);
    for (int i = 0; i < o.nscenarios; i++) {
        check_one(&o, o.scenarios[i], &s[i], &passed, &failed);
        if (s[i].status > status)
            status = s[i].status;
        if (status > CS_EXIT_USAGE) /* interrupted: stop, report nothing */
            break;
    }
    if (status <= CS_EXIT_USAGE) {
        printf("%d passed, %d failed\n", passed, failed);
        if (o.junit != NULL && write_junit(o.junit, s, o.nscenarios) < 0)
            status = CS_EXIT_USAGE;
    }
    for (int i = 0; i < o.nscenarios; i++) {
        for (size_t c = 0; c < s[i].n && s[i].cases != NULL; c++)
            free((char *)s[i].cases[c].message);
        suite_fini(&s[i]);
    }
    free(s);
    cs_cli_sets_fini(&o.sets);
    free(o.scenarios);
    free(o.expects);
    return status;
}
