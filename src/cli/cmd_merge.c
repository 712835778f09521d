/*
 * cmd_merge.c - `capsim merge`: join the results of a sweep's shards
 * (`capsim sweep --shard K/N`, run on other machines) into one
 * results.csv, refusing shards of another sweep, runs found twice and runs
 * missing (io/results.h, cs_results_merge).
 */
#include "cli/cli.h"

#include "io/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char merge_usage[] =
    "usage: capsim merge DIR... -o DIR [--quiet] [choosing options]\n"
    "\n"
    "Join the results.csv of every shard of a sweep (capsim sweep --shard\n"
    "K/N -o DIR) into OUT/results.csv, in run order, as if the sweep had run\n"
    "on one machine. Refused (exit status 2, nothing written) when the\n"
    "directories hold different sweeps, a run twice, or not every run.\n"
    "\n"
    "  -o, --output DIR   where to write results.csv and sweep-info.csv\n"
    "  -q, --quiet        print nothing but errors\n"
    "  --where, --minimize, --maximize, --top, --show, --format, --plot,\n"
    "  --pareto           as for `capsim sweep` (capsim sweep --help)\n";

struct merge_opts {
    const char **dirs;
    size_t n;
    const char *out;
    int quiet;
    struct cs_cli_choose choose;
};

static int parse_opts(int argc, char **argv, struct merge_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(merge_usage, stdout);
            return 1;
        }
        if ((rc = cs_cli_choose_opt(&o->choose, argc, argv, &i)) != 0) {
            if (rc < 0)
                return -1;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "capsim: %s needs a directory\n", a);
                return -1;
            }
            o->out = argv[i];
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "capsim: merge: unknown option '%s'\n", a);
            return -1;
        } else {
            o->dirs[o->n++] = a;
        }
    }
    if (o->n == 0 || o->out == NULL) {
        fputs(merge_usage, stderr);
        return -1;
    }
    return 0;
}

/* Read, merge and write; the merged table into *all (uninitialised). */
static int merge(const struct merge_opts *o, struct cs_results *all)
{
    struct cs_results *parts = calloc(o->n, sizeof(*parts));
    struct cs_err err;
    size_t nread = 0;
    int rc = 0;

    memset(all, 0, sizeof(*all));
    if (parts == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_FAIL;
    }
    cs_err_clear(&err);
    for (; nread < o->n; nread++) {
        if (cs_results_read(&parts[nread], o->dirs[nread], &err) < 0) {
            rc = CS_EXIT_USAGE;
            break;
        }
    }
    if (rc == 0 && cs_results_merge(parts, o->dirs, o->n, all, &err) < 0)
        rc = CS_EXIT_USAGE;
    if (rc == 0 && cs_results_write(all, o->out, &err) < 0)
        rc = CS_EXIT_FAIL;
    if (rc != 0)
        cs_cli_print_err(&err);
    for (size_t i = 0; i < nread; i++)
        cs_results_fini(&parts[i]);
    free(parts);
    return rc;
}

int cs_cli_merge(int argc, char **argv)
{
    struct merge_opts o;
    struct cs_results all;
    int rc;

    memset(&o, 0, sizeof(o));
    o.dirs = calloc((size_t)argc, sizeof(*o.dirs));
    if (o.dirs == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_FAIL;
    }
    rc = parse_opts(argc, argv, &o);
    if (rc != 0) {
        free(o.dirs);
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    }
    rc = merge(&o, &all);
    if (rc == 0) {
        if (!o.quiet)
            printf("merged %zu director%s: %zu runs of sweep %s\n"
                   "results: %s/%s\n",
                   o.n, o.n == 1 ? "y" : "ies", all.nrows, all.sweep, o.out,
                   CS_RESULTS_FILE);
        rc = cs_cli_choose(&o.choose, &all, o.out, o.quiet);
    }
    cs_results_fini(&all);
    free(o.dirs);
    return rc;
}
