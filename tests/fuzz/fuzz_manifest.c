/*
 * fuzz_manifest.c - libFuzzer target for Kubernetes manifest files.
 *
 * Manifests are only read from files named by a scenario, so the input is
 * written to one temporary file per process (created with mkstemp on the
 * first input, rewritten for each input, removed at exit) and a fixed
 * scenario naming it under `manifests:` is loaded. Every kind and every
 * document of a multi-document file is thereby fuzzed: Deployments, HPAs,
 * objects that are skipped. Invariants as in fuzz_scenario.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "fuzz_util.h"

#include "core/err.h"
#include "core/sim.h"
#include "io/scenario.h"

static char fm_path[64];
static char fm_scenario[512];

static void fm_cleanup(void)
{
    if (fm_path[0] != '\0')
        unlink(fm_path);
}

/* Creates the temporary file and the scenario naming it; 0 or -1. */
static int fm_init(void)
{
    int fd;

    snprintf(fm_path, sizeof(fm_path), "/tmp/capsim-fuzz-manifest-XXXXXX");
    fd = mkstemp(fm_path);
    if (fd < 0) {
        perror("fuzz_manifest: mkstemp");
        fm_path[0] = '\0';
        return -1;
    }
    close(fd);
    atexit(fm_cleanup);
    snprintf(fm_scenario, sizeof(fm_scenario),
             "name: fuzz-manifest\n"
             "duration: 10m\n"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: general, nodes: 2,\n"
             "       capacity: {cpu: 8, memory: 32Gi, pods: 110}}\n"
             "manifests:\n"
             "  - %s\n",
             fm_path);
    return 0;
}

static int fm_write(const uint8_t *data, size_t size)
{
    FILE *f = fopen(fm_path, "wb");
    int ok;

    if (f == NULL)
        return -1;
    ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cs_scenario *sc;
    struct cs_sim *sim;
    struct cs_err err;

    if (fm_path[0] == '\0' && fm_init() < 0)
        abort();
    if (fm_write(data, size) < 0)
        abort();
    cs_err_clear(&err);
    sc = cs_scenario_load_buffer("fuzz.yaml", fm_scenario, strlen(fm_scenario),
                                 "/tmp", &err);
    if (sc == NULL) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(err.msg[0] == '\0');
    sim = cs_sim_create(sc, sc->seed, &err);
    if (sim == NULL)
        FUZZ_CHECK(err.msg[0] != '\0');
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
    return 0;
}
