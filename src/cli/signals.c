/* signals.c - SIGINT and SIGTERM stop a long run cleanly.
 *
 * The handler only records the signal; the simulation loop polls the flag
 * (sim->interrupt) at every event and returns CS_EINTR, the command then
 * drops its temporary outputs (nothing half-written appears, the previous
 * complete outputs stay) and exits with 128 + the signal number (130 for
 * SIGINT). SA_RESETHAND makes a second Ctrl-C kill the process at once. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

/* The one process-wide variable of capsim: a signal handler has no other
 * place to leave its news. Commands read it through cs_cli_interrupt(). */
static volatile sig_atomic_t cs_cli_signal;

const volatile sig_atomic_t *cs_cli_interrupt(void)
{
    return &cs_cli_signal;
}

static void on_signal(int signo)
{
    cs_cli_signal = signo;
}

void cs_cli_signals_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cs_cli_interrupted(const char *what)
{
    int signo = cs_cli_signal;

    fflush(stdout);
    fprintf(stderr,
            "capsim: %s%sinterrupted by %s; no outputs written (any previous "
            "complete ones are untouched)\n",
            what ? what : "", what ? ": " : "",
            signo == SIGTERM ? "SIGTERM" : "SIGINT");
    return 128 + (signo ? signo : SIGINT);
}
