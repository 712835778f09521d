/*
 * fuzz_scenario.c - libFuzzer target for whole scenarios (scenario.h).
 *
 * The input is a scenario file loaded end to end by
 * cs_scenario_load_buffer(), with manifest paths resolved against the
 * repository's scenarios/ directory (so `feastflow/backend.yaml` in a seed
 * is found). A scenario that loads is also turned into a simulation
 * (cs_sim_create + destroy, never run). Invariants: success leaves the error
 * empty, failure fills its message; neither leaks.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_util.h"

#include "core/err.h"
#include "core/sim.h"
#include "io/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cs_scenario *sc;
    struct cs_sim *sim;
    struct cs_err err;

    cs_err_clear(&err);
    sc = cs_scenario_load_buffer("fuzz.yaml", (const char *)data, size,
                                 fuzz_scenarios_dir(), &err);
    if (sc == NULL) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(err.msg[0] == '\0');
    FUZZ_CHECK(sc->duration > 0 && sc->name != NULL);
    sim = cs_sim_create(sc, sc->seed, &err);
    if (sim == NULL)
        FUZZ_CHECK(err.msg[0] != '\0');
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
    return 0;
}
