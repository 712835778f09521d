/* cmd_conformance.c - `capsim conformance FILE.csv...` (io/conformance.h). */
#include "cli/cli.h"

#include "io/conformance.h"

#include <stdio.h>
#include <string.h>

static const char conformance_usage[] =
    "usage: capsim conformance FILE.csv...\n"
    "\n"
    "Run test vectors through capsim and print one line per row. The\n"
    "shape is read from the header: the upstream HPA vectors\n"
    "(hpa_group_pods, hpa_replica_calc, hpa_behavior, hpa_controller) go\n"
    "through the HPA, the cluster autoscaler ones (ca_expanders,\n"
    "ca_backoff, ca_balance, ca_similarity, ca_utilization,\n"
    "ca_eligibility, ca_binpacking) through its decision rules, and\n"
    "ca_timing rows are whole simulations whose event times are checked\n"
    "(run in a temporary directory under $TMPDIR, removed afterwards).\n"
    "\n"
    "  PASS|FAIL <case_name>: expected <x>, got <y>\n"
    "\n"
    "then 'N passed, N failed'. Exit status: 0 all rows pass, 1 a row\n"
    "fails, 2 bad usage or an unreadable or malformed file.\n";

int cs_cli_conformance(int argc, char **argv)
{
    struct cs_conformance_totals tot = {0, 0};
    int status = CS_EXIT_OK, nfiles = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(conformance_usage, stdout);
            return CS_EXIT_OK;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "capsim: conformance: unknown option '%s'\n\n%s",
                    argv[i], conformance_usage);
            return CS_EXIT_USAGE;
        }
    }
    for (int i = 1; i < argc; i++) {
        struct cs_err err;

        cs_err_clear(&err);
        nfiles++;
        if (cs_conformance_run_file(argv[i], stdout, &tot, &err) < 0) {
            fflush(stdout);
            cs_cli_print_err(&err);
            status = CS_EXIT_USAGE;
        }
    }
    if (nfiles == 0) {
        fputs(conformance_usage, stderr);
        return CS_EXIT_USAGE;
    }
    printf("%d passed, %d failed\n", tot.passed, tot.failed);
    if (status == CS_EXIT_OK && tot.failed > 0)
        status = CS_EXIT_FAIL;
    return status;
}
