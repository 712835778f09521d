/*
 * fuzz_run.c - libFuzzer target that runs whole scenarios (core/sim.h).
 *
 * fuzz_scenario stops once a scenario is validated; this target goes on
 * and simulates it, so the controllers, the scheduler, the service model
 * and the report meet whatever a valid scenario can ask for. The input is
 * a scenario file loaded by cs_scenario_load_buffer() (manifest and trace
 * paths resolved against the repository's scenarios/ directory). One that
 * loads is bounded so that one input stays well under libFuzzer's timeout:
 * at most FR_MAX_DURATION of simulated time, FR_MAX_PODS live pods,
 * FR_MAX_NODES nodes and FR_INSTANT_EVENTS events at one instant. A user
 * can write those bounds in the scenario itself (duration:, limits:), so
 * nothing reached here is out of a user's reach. The report keeps its
 * figures in memory (no files, as in a sweep).
 *
 * Invariants: the run ends with 0 or an error message; the sim's and the
 * event queue's consistency checks hold at the end (cs_sim_run asserts
 * them, and this build keeps asserts); a completed run commits a summary
 * that starts with summary.csv's header and has one record per workload
 * and one for the whole run; a second run of the same scenario has the
 * same outcome byte for byte (capsim's determinism); nothing leaks.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_util.h"

#include "core/err.h"
#include "core/sim.h"
#include "io/report.h"
#include "io/scenario.h"

#define FR_MAX_DURATION (2 * 3600 * 1000) /* ms of simulated time */
#define FR_MAX_PODS 1000u
#define FR_MAX_NODES 200u
#define FR_INSTANT_EVENTS 200000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Records of the RFC 4180 text[0..len): line ends outside quotes. */
static size_t fr_records(const char *text, size_t len)
{
    size_t n = 0;
    int quoted = 0;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (text[i] == '\n' && !quoted)
            n++;
    }
    return n;
}

static void fr_bound(struct cs_scenario *sc)
{
    if (sc->duration > FR_MAX_DURATION)
        sc->duration = FR_MAX_DURATION;
    if (sc->max_pods > FR_MAX_PODS)
        sc->max_pods = FR_MAX_PODS;
    if (sc->max_nodes > FR_MAX_NODES)
        sc->max_nodes = FR_MAX_NODES;
}

/* One run of sc: its outcome as a heap string, the committed summary or
 * "error: MESSAGE"; NULL when the simulation could not be created. */
static char *fr_run(const struct cs_scenario *sc)
{
    struct cs_sim *sim;
    struct cs_report *rep;
    struct cs_err err;
    const char *text, *hdr;
    char *out;
    size_t len;
    int rc;

    cs_err_clear(&err);
    sim = cs_sim_create(sc, sc->seed, &err);
    if (sim == NULL) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return NULL;
    }
    if (sim->limits.instant_events > FR_INSTANT_EVENTS)
        sim->limits.instant_events = FR_INSTANT_EVENTS;
    rep = cs_report_create(NULL, sim, &err);
    FUZZ_CHECK(rep != NULL);
    sim->report = rep;
    rc = cs_sim_run(sim);
    FUZZ_CHECK(rc <= 0);
    if (rc == 0) {
        FUZZ_CHECK(sim->now == sim->end);
        rc = cs_report_commit(rep, sim, &err);
        FUZZ_CHECK(rc <= 0);
    } else {
        err = sim->errinfo;
    }
    if (rc < 0) {
        FUZZ_CHECK(err.msg[0] != '\0');
        len = strlen(err.msg);
        out = malloc(len + 8);
        FUZZ_CHECK(out != NULL);
        memcpy(out, "error: ", 7);
        memcpy(out + 7, err.msg, len + 1);
    } else {
        text = cs_report_summary_text(rep, &len);
        FUZZ_CHECK(text != NULL);
        hdr = cs_report_summary_header();
        FUZZ_CHECK(len >= strlen(hdr) && memcmp(text, hdr, strlen(hdr)) == 0);
        FUZZ_CHECK(fr_records(text, len) == 2 + (size_t)sim->nwl);
        out = fuzz_strndup((const uint8_t *)text, len);
        FUZZ_CHECK(out != NULL);
    }
    cs_report_destroy(rep);
    cs_sim_destroy(sim);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cs_scenario *sc;
    struct cs_err err;
    char *first, *second;

    cs_err_clear(&err);
    sc = cs_scenario_load_buffer("fuzz.yaml", (const char *)data, size,
                                 fuzz_scenarios_dir(), &err);
    if (sc == NULL)
        return 0;
    fr_bound(sc);
    first = fr_run(sc);
    if (first != NULL) {
        /* same scenario, same seed: the same outcome, byte for byte */
        second = fr_run(sc);
        FUZZ_CHECK(second != NULL && strcmp(first, second) == 0);
        free(second);
    }
    free(first);
    cs_scenario_destroy(sc);
    return 0;
}
