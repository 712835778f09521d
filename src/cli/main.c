/* main.c - capsim's entry point: global options and subcommand dispatch. */
#include "cli/cli.h"

#include "core/err.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: capsim [--help] [--version] COMMAND [ARGS]\n"
    "\n"
    "Discrete-event simulation of Kubernetes autoscaling.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO [-o DIR] [--seed N] [--plot] [--quiet]\n"
    "                      simulate a scenario and write timeline.csv,\n"
    "                      events.csv, nodes.csv and summary.csv into DIR\n"
    "  check SCENARIO... [--expect EXPR] [--junit FILE]\n"
    "                      run scenarios and evaluate their assertions (CI)\n"
    "  table SCENARIO [--at T,...] [--format md|csv]\n"
    "                      the HPA's decisions as a runbook table\n"
    "  plot RUN_DIR        draw a run with gnuplot (PNG and SVG)\n"
    "  diff RUN_A RUN_B [--tol X]\n"
    "                      compare two runs; exit 1 when they differ\n"
    "  validate SCENARIO...  load and check scenarios without running them\n"
    "  sweep SWEEP [-o DIR] [-j N] [--shard K/N] [--where EXPR]\n"
    "        [--minimize FIG] [--plot]\n"
    "                      run every combination of a sweep's axes; write\n"
    "                      results.csv and rank the runs (docs/sweeps.md)\n"
    "  merge DIR... -o DIR join the results of a sweep's shards\n"
    "  conformance FILE.csv...\n"
    "                      run HPA and cluster autoscaler test vectors "
    "(docs/hpa.md)\n"
    "\n"
    "exit status: 0 success, 1 failure, 2 bad usage or bad input\n"
    "Run 'capsim COMMAND --help' for a command's options.\n";

void cs_cli_print_err(const struct cs_err *e)
{
    char buf[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

    cs_err_format(e, buf, sizeof(buf));
    fflush(stdout); /* keep the order of stdout and stderr lines */
    fprintf(stderr, "capsim: %s\n", buf);
}

int main(int argc, char **argv)
{
    /* Every GSL return code is checked; never abort inside the library. */
    gsl_set_error_handler_off();
    if (argc < 2) {
        fputs(usage, stderr);
        return CS_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return CS_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("capsim %s\n", CAPSIM_VERSION);
        return CS_EXIT_OK;
    }
    if (strcmp(argv[1], "run") == 0)
        return cs_cli_run(argc - 1, argv + 1);
    if (strcmp(argv[1], "validate") == 0)
        return cs_cli_validate(argc - 1, argv + 1);
    if (strcmp(argv[1], "conformance") == 0)
        return cs_cli_conformance(argc - 1, argv + 1);
    if (strcmp(argv[1], "plot") == 0)
        return cs_cli_plot(argc - 1, argv + 1);
    if (strcmp(argv[1], "diff") == 0)
        return cs_cli_diff(argc - 1, argv + 1);
    if (strcmp(argv[1], "table") == 0)
        return cs_cli_table(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return cs_cli_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "sweep") == 0)
        return cs_cli_sweep(argc - 1, argv + 1);
    if (strcmp(argv[1], "merge") == 0)
        return cs_cli_merge(argc - 1, argv + 1);
    fprintf(stderr, "capsim: unknown command '%s'\n\n%s", argv[1], usage);
    return CS_EXIT_USAGE;
}
