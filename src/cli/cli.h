/*
 * cli.h - subcommands of the capsim executable. Only src/cli may call exit;
 * each subcommand returns the process exit status:
 *   0 success, 1 the run or check failed, 2 bad usage or bad input.
 */
#ifndef CS_CLI_CLI_H
#define CS_CLI_CLI_H

#define CS_EXIT_OK 0
#define CS_EXIT_FAIL 1
#define CS_EXIT_USAGE 2

int cs_cli_run(int argc, char **argv);
int cs_cli_validate(int argc, char **argv);
int cs_cli_conformance(int argc, char **argv);

/* Print "capsim: FILE:LINE:COL: message" to stderr. */
struct cs_err;
void cs_cli_print_err(const struct cs_err *e);

#endif
