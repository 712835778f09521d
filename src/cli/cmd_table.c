/* cmd_table.c - `capsim table SCENARIO`: the expected-behaviour table of a
 * runbook, from a run of the scenario (io/table.h). Nothing is written to
 * disk: the run is simulated in memory and the table goes to stdout. */
#include "cli/cli.h"

#include "core/sim.h"
#include "io/quantity.h"
#include "io/scenario.h"
#include "io/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT_MAX 1000

static const char table_usage[] =
    "usage: capsim table SCENARIO [--hpa NAME] [--at T,T,...] [--format "
    "md|csv]\n"
    "                    [--set PATH=VALUE]... [--seed N]\n"
    "\n"
    "Simulate SCENARIO and print what its HPA does, as the table a runbook\n"
    "shows: time, the HPA's metric (e.g. CPU usage as a percentage of the\n"
    "request), replicas, and the decision in plain words.\n"
    "\n"
    "  --hpa NAME       the HPA to describe, by its name or its target\n"
    "                   Deployment's (default: the first HPA)\n"
    "  --at T,T,...     rows at these times (durations: 0,30s,45s,1m) instead\n"
    "                   of one row at every decision\n"
    "  --format FMT     md (Markdown, default) or csv\n"
    "  --set PATH=VALUE change a value of the scenario first, as `capsim\n"
    "                   run --set` does (repeatable; said on stderr)\n"
    "  --seed N         override the scenario's seed\n";

struct table_opts {
    const char *scenario;
    const char *hpa;
    const char *at;
    struct cs_cli_sets sets;
    int csv;
    int has_seed;
    uint64_t seed;
};

static int parse_opts(int argc, char **argv, struct table_opts *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int64_t v;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(table_usage, stdout);
            return 1;
        }
        if (strcmp(a, "--hpa") == 0 || strcmp(a, "--at") == 0 ||
            strcmp(a, "--format") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "capsim: table: %s needs a value\n", a);
                return -1;
            }
            if (strcmp(a, "--hpa") == 0)
                o->hpa = argv[i];
            else if (strcmp(a, "--at") == 0)
                o->at = argv[i];
            else if (strcmp(argv[i], "csv") == 0)
                o->csv = 1;
            else if (strcmp(argv[i], "md") != 0 &&
                     strcmp(argv[i], "markdown") != 0) {
                fprintf(stderr,
                        "capsim: table: --format is md or csv, got '%s'\n",
                        argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--set") == 0) {
            if (cs_cli_sets_add(&o->sets, i + 1 < argc ? argv[++i] : NULL) < 0)
                return -1;
        } else if (strcmp(a, "--seed") == 0) {
            if (cs_cli_parse_count(a, i + 1 < argc ? argv[++i] : NULL,
                                   INT64_MAX, &v))
                return -1;
            o->has_seed = 1;
            o->seed = (uint64_t)v;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "capsim: table: unknown option '%s'\n", a);
            return -1;
        } else if (o->scenario == NULL) {
            o->scenario = a;
        } else {
            fprintf(stderr, "capsim: table: one scenario at a time\n");
            return -1;
        }
    }
    if (o->scenario == NULL) {
        fputs(table_usage, stderr);
        return -1;
    }
    return 0;
}

/* "0,30s,1m" into at[]; -1 with a message on a bad item. */
static int parse_times(const char *list, cs_time_ms *at, size_t *n)
{
    char item[64];
    const char *p = list;

    *n = 0;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);

        if (len == 0 || len >= sizeof(item) || *n == AT_MAX) {
            fprintf(stderr, "capsim: table: bad --at list '%s'%s\n", list,
                    *n == AT_MAX ? " (at most 1000 times)" : "");
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (cs_duration_parse(item, &at[*n]) < 0) {
            fprintf(stderr,
                    "capsim: table: --at: '%s' is not a duration (e.g. 0, "
                    "30s, 1m30s)\n",
                    item);
            return -1;
        }
        (*n)++;
        p += len + (c != NULL);
    }
    return 0;
}

static int find_hpa(const struct cs_scenario *sc, const char *name)
{
    if (sc->nhpas == 0) {
        fprintf(stderr, "capsim: table: %s has no HorizontalPodAutoscaler\n",
                sc->path);
        return -1;
    }
    if (name == NULL)
        return 0;
    for (int i = 0; i < sc->nhpas; i++)
        if (strcmp(sc->hpas[i].spec.name, name) == 0 ||
            strcmp(sc->workloads[sc->hpas[i].workload].name, name) == 0)
            return i;
    fprintf(stderr, "capsim: table: no HPA or target named '%s' in %s\n", name,
            sc->path);
    return -1;
}

static int run_table(const struct table_opts *o, struct cs_scenario *sc,
                     const cs_time_ms *at, size_t nat)
{
    struct cs_err err;
    struct cs_table t;
    struct cs_sim *sim;
    int hpa = find_hpa(sc, o->hpa), rc;

    if (hpa < 0)
        return CS_EXIT_USAGE;
    cs_err_clear(&err);
    sim = cs_sim_create(sc, o->has_seed ? o->seed : sc->seed, &err);
    if (sim == NULL) {
        cs_cli_print_err(&err);
        return CS_EXIT_FAIL;
    }
    cs_table_init(&t, sc, hpa);
    sim->on_hpa_pass = cs_table_hook;
    sim->hook_ctx = &t;
    sim->interrupt = cs_cli_interrupt();
    rc = cs_sim_run(sim);
    if (rc == CS_EINTR) {
        cs_table_fini(&t);
        cs_sim_destroy(sim);
        return cs_cli_interrupted("table");
    }
    if (rc < 0)
        cs_cli_print_err(&sim->errinfo);
    else if ((rc = cs_table_write(&t, at, nat,
                                  o->csv ? CS_TABLE_CSV : CS_TABLE_MARKDOWN,
                                  stdout)) < 0)
        fprintf(stderr, "capsim: table: %s\n", cs_strerror(rc));
    cs_table_fini(&t);
    cs_sim_destroy(sim);
    return rc < 0 ? CS_EXIT_FAIL : CS_EXIT_OK;
}

int cs_cli_table(int argc, char **argv)
{
    struct table_opts o;
    struct cs_err err;
    struct cs_scenario *sc;
    cs_time_ms *at = NULL;
    size_t nat = 0;
    int rc = parse_opts(argc, argv, &o);

    if (rc != 0) {
        cs_cli_sets_fini(&o.sets);
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    }
    cs_cli_signals_install();
    if (o.at != NULL) {
        at = malloc(AT_MAX * sizeof(*at));
        if (at == NULL || parse_times(o.at, at, &nat) < 0) {
            cs_cli_sets_fini(&o.sets);
            free(at);
            return CS_EXIT_USAGE;
        }
    }
    cs_err_clear(&err);
    sc = cs_scenario_load_with(o.scenario, o.sets.ov, o.sets.n, &err);
    if (sc != NULL)
        cs_cli_sets_print(&o.sets);
    cs_cli_sets_fini(&o.sets);
    if (sc == NULL) {
        cs_cli_print_err(&err);
        free(at);
        return CS_EXIT_USAGE;
    }
    rc = run_table(&o, sc, at, nat);
    cs_scenario_destroy(sc);
    free(at);
    return rc;
}
