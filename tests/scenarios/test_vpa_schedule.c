/*
 * test_vpa_schedule.c - the VPA runbook "recommendation mode (Off) first,
 * then Auto" as a scheduled action (controllers/schedule.c), in whole runs:
 * a `kubectl patch vpa` line of `schedule:`, a `patchVpa:` entry and a
 * CronJob running kubectl all switch the VPA's updateMode at their instant
 * (cs_vpa_mode after the run, the PatchVPA and ModeChanged events), the
 * updater evicts nothing while the VPA is Off and starts once it may, and
 * names and modes are checked at load time with located messages.
 */
#include "test_util.h"

#include "controllers/vpa.h"

/* A Deployment `api` (2 pods of 1 CPU / 1Gi) and its VPA `api-vpa` in
 * updateMode Off, then `extra` manifests and the scenario's `tail`. */
static const char head[] =
    "name: vpa-schedule\n"
    "start: 2026-11-02T00:00:00Z\n"
    "duration: 40m\n"
    "sampleStep: 10m\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: general, nodes: 2, capacity: {cpu: 16, memory: 64Gi, "
    "pods: 110}}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: api}\n"
    "    spec:\n"
    "      replicas: 2\n"
    "      selector: {matchLabels: {app: api}}\n"
    "      template:\n"
    "        metadata: {labels: {app: api}}\n"
    "        spec:\n"
    "          containers:\n"
    "            - name: app\n"
    "              resources:\n"
    "                requests: {cpu: \"1\", memory: 1Gi}\n"
    "                limits: {cpu: \"2\", memory: 2Gi}\n"
    "  - apiVersion: autoscaling.k8s.io/v1\n"
    "    kind: VerticalPodAutoscaler\n"
    "    metadata: {name: api-vpa}\n"
    "    spec:\n"
    "      targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n"
    "      updatePolicy:\n"
    "        updateMode: \"Off\"\n";

static const char model[] =
    "workloads:\n"
    "  api:\n"
    "    cpuPerRequest: 5ms\n"
    "    idleCpu: 20m\n"
    "    startup: {imagePull: 3s, containerStart: 1s}\n";

/* The runbook's switch, as vpa-week.yaml writes it. */
static const char kubectl_auto[] =
    "schedule:\n"
    "  - name: vpa-auto\n"
    "    at: 30m\n"
    "    kubectl: >-\n"
    "      kubectl patch vpa api-vpa --type merge\n"
    "      -p '{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}'\n";

static char *scenario(const char *extra, const char *tail)
{
    size_t n = strlen(head) + strlen(extra) + strlen(model) + strlen(tail) + 1;
    char *s = malloc(n);

    assert_non_null(s);
    snprintf(s, n, "%s%s%s%s", head, extra, model, tail);
    return s;
}

struct vrun {
    char *dir;
    struct tu_table ev; /* events.csv */
    int mode;           /* cs_vpa_mode of VPA 0 at the end */
};

/* Runs head + extra + model + tail with seed 1 into a fresh directory,
 * keeping the VPA's final mode and the events. */
static void run_vpa(struct vrun *r, const char *extra, const char *tail)
{
    char *yaml = scenario(extra, tail), p[600];
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);
    struct cs_report *rep;
    struct cs_sim *sim;

    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    assert_int_equal(sc->nvpas, 1);
    r->dir = tu_tmpdir();
    sim = cs_sim_create(sc, 1, &err);
    if (sim == NULL)
        fail_msg("sim: %s", err.msg);
    assert_non_null(sim->vpa);
    assert_int_equal(cs_vpa_mode(sim, 0), CS_VPA_OFF);
    rep = cs_report_create(r->dir, sim, &err);
    assert_non_null(rep);
    sim->report = rep;
    assert_int_equal(cs_sim_run(sim), 0);
    assert_true(cs_sim_check(sim));
    r->mode = cs_vpa_mode(sim, 0);
    assert_int_equal(cs_report_commit(rep, sim, &err), 0);
    cs_report_destroy(rep);
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
    free(yaml);
    snprintf(p, sizeof(p), "%s/events.csv", r->dir);
    tu_read_csv(p, &r->ev);
}

static void vrun_free(struct vrun *r)
{
    tu_free_csv(&r->ev);
    tu_rmdir(r->dir);
    free(r->dir);
}

/* The PatchVPA and ModeChanged rows as "time,kind,object,reason,message"
 * lines; the EvictedByVPA rows before t_s and from t_s on in ev[0], ev[1]. */
static void vpa_rows(const struct vrun *r, long t_s, char *buf, size_t n,
                     int ev[2])
{
    const struct tu_table *t = &r->ev;
    size_t kind = tu_col(t, "kind"), obj = tu_col(t, "object");
    size_t reason = tu_col(t, "reason"), msg = tu_col(t, "message"), o = 0;

    buf[0] = '\0';
    ev[0] = ev[1] = 0;
    for (size_t i = 1; i < t->nrows; i++) {
        char **row = t->rows[i];

        if (strcmp(row[reason], "EvictedByVPA") == 0)
            ev[strtol(row[0], NULL, 10) >= t_s]++;
        if (strcmp(row[reason], "PatchVPA") != 0 &&
            strcmp(row[reason], "ModeChanged") != 0)
            continue;
        o += (size_t)snprintf(buf + o, n - o, "%s,%s,%s,%s,%s\n", row[0],
                              row[kind], row[obj], row[reason], row[msg]);
        assert_true(o < n);
    }
}

/* ---- the runbook -------------------------------------------------------- */

/* Off for 30 minutes, then Auto at 1800 s by `kubectl patch vpa`: the
 * schedule's row, then the VPA's own; nothing is evicted while Off, and
 * the updater evicts from 1800 s on (its loop at 1800 s runs after the
 * schedule). */
static void test_kubectl_off_to_auto(void **state)
{
    char rows[1024];
    struct vrun r;
    int ev[2];

    (void)state;
    run_vpa(&r, "", kubectl_auto);
    assert_int_equal(r.mode, CS_VPA_AUTO);
    vpa_rows(&r, 1800, rows, sizeof(rows), ev);
    assert_string_equal(rows, "1800,Schedule,vpa-auto,PatchVPA,patched VPA "
                              "api-vpa: updateMode=Auto\n"
                              "1800,VerticalPodAutoscaler,api-vpa,ModeChanged,"
                              "updateMode changed from Off to Auto\n");
    assert_int_equal(ev[0], 0);
    assert_true(ev[1] >= 1); /* the updater acts once Auto */
    vrun_free(&r);
}

/* Without the schedule the VPA stays Off and logs no change. */
static void test_no_schedule_stays_off(void **state)
{
    char rows[1024];
    struct vrun r;
    int ev[2];

    (void)state;
    run_vpa(&r, "", "");
    assert_int_equal(r.mode, CS_VPA_OFF);
    vpa_rows(&r, 2400, rows, sizeof(rows), ev);
    assert_string_equal(rows, "");
    assert_int_equal(ev[0] + ev[1], 0);
    vrun_free(&r);
}

/* `patchVpa:` entries: a patch to the mode the VPA already has is logged
 * by the schedule but changes nothing (no ModeChanged). */
static void test_patch_vpa_entries(void **state)
{
    static const char tail[] =
        "schedule:\n"
        "  - {name: same, at: 5m, patchVpa: {vpa: api-vpa, updateMode: Off}}\n"
        "  - name: initial\n"
        "    at: 10m\n"
        "    patchVpa: {vpa: api-vpa, updateMode: Initial}\n"
        "  - {at: 20m, patchVpa: {vpa: api-vpa, updateMode: Recreate}}\n";
    char rows[2048];
    struct vrun r;
    int ev[2];

    (void)state;
    run_vpa(&r, "", tail);
    assert_int_equal(r.mode, CS_VPA_RECREATE);
    vpa_rows(&r, 1200, rows, sizeof(rows), ev);
    assert_string_equal(
        rows,
        "300,Schedule,same,PatchVPA,patched VPA api-vpa: updateMode=Off\n"
        "600,Schedule,initial,PatchVPA,patched VPA api-vpa: "
        "updateMode=Initial\n"
        "600,VerticalPodAutoscaler,api-vpa,ModeChanged,updateMode changed "
        "from Off to Initial\n"
        "1200,Schedule,schedule[2],PatchVPA,patched VPA api-vpa: "
        "updateMode=Recreate\n"
        "1200,VerticalPodAutoscaler,api-vpa,ModeChanged,updateMode changed "
        "from Initial to Recreate\n");
    assert_int_equal(ev[0], 0); /* Off, then Initial: no updater */
    assert_true(ev[1] >= 1);    /* Recreate: the updater evicts */
    vrun_free(&r);
}

/* A CronJob whose container runs the kubectl line (argv form) at 00:30. */
static void test_cronjob(void **state)
{
    static const char cronjob[] =
        "  - apiVersion: batch/v1\n"
        "    kind: CronJob\n"
        "    metadata: {name: vpa-auto}\n"
        "    spec:\n"
        "      schedule: \"30 0 * * *\"\n"
        "      jobTemplate:\n"
        "        spec:\n"
        "          template:\n"
        "            spec:\n"
        "              containers:\n"
        "                - name: kubectl\n"
        "                  image: bitnami/kubectl:1.31\n"
        "                  command: [kubectl, -n, shop, patch, "
        "verticalpodautoscaler/api-vpa, --type=json, -p, "
        "'[{\"op\":\"replace\",\"path\":\"/spec/updatePolicy/updateMode\","
        "\"value\":\"Auto\"}]']\n";
    char rows[1024];
    struct vrun r;
    int ev[2];

    (void)state;
    run_vpa(&r, cronjob, "");
    assert_int_equal(r.mode, CS_VPA_AUTO);
    vpa_rows(&r, 1800, rows, sizeof(rows), ev);
    assert_string_equal(rows, "1800,CronJob,vpa-auto,PatchVPA,patched VPA "
                              "api-vpa: updateMode=Auto\n"
                              "1800,VerticalPodAutoscaler,api-vpa,ModeChanged,"
                              "updateMode changed from Off to Auto\n");
    assert_int_equal(ev[0], 0);
    assert_true(ev[1] >= 1);
    vrun_free(&r);
}

/* ---- load-time errors --------------------------------------------------- */

/* The scenario fails to load with exactly `want` ("inline.yaml:L:C: ..."). */
static void load_fails(const char *extra, const char *tail, const char *want)
{
    char *yaml = scenario(extra, tail), got[1024];
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);

    if (sc != NULL)
        fail_msg("loaded, want %s", want);
    cs_err_format(&err, got, sizeof(got));
    assert_string_equal(got, want);
    free(yaml);
}

static void test_load_errors(void **state)
{
    (void)state;
    /* line 35 is the first line of tail */
    load_fails("",
               "schedule:\n"
               "  - {at: 1h, patchVpa: {vpa: api, updateMode: Auto}}\n",
               "inline.yaml:36:24: schedule[0]: no VerticalPodAutoscaler "
               "named \"api\" in manifests");
    load_fails("",
               "schedule:\n"
               "  - name: typo\n"
               "    at: 1h\n"
               "    kubectl: kubectl patch vpa/ap --type=merge -p "
               "'{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}'\n",
               "inline.yaml:38:14: typo: no VerticalPodAutoscaler named "
               "\"ap\" in manifests");
    load_fails("",
               "schedule:\n"
               "  - {at: 1h, patchVpa: {vpa: api-vpa, updateMode: auto}}\n",
               "inline.yaml:36:51: schedule[0].patchVpa.updateMode must be "
               "Off, Initial, Recreate, Auto, InPlaceOrRecreate or InPlace, "
               "got \"auto\"");
    load_fails("",
               "schedule:\n"
               "  - {at: 1h, patchVpa: {vpa: api-vpa}}\n",
               "inline.yaml:36:24: schedule[0].patchVpa: missing required "
               "key \"updateMode\"");
    load_fails("",
               "schedule:\n"
               "  - {at: 1h, patchVpa: {vpa: api-vpa, updateMode: Auto, "
               "minReplicas: 2}}\n",
               "inline.yaml:36:57: unknown key \"minReplicas\" in "
               "schedule[0].patchVpa");
    load_fails("",
               "schedule:\n"
               "  - at: 1h\n"
               "    kubectl: kubectl patch vpa api-vpa -p "
               "'{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}'\n",
               "inline.yaml:37:14: \"kubectl patch vpa api-vpa -p "
               "'{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}'\": a "
               "VerticalPodAutoscaler needs --type=merge or --type=json: it is "
               "a custom resource, and the API server refuses the strategic "
               "merge patch kubectl sends by default");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kubectl_off_to_auto),
        cmocka_unit_test(test_no_schedule_stays_off),
        cmocka_unit_test(test_patch_vpa_entries),
        cmocka_unit_test(test_cronjob),
        cmocka_unit_test(test_load_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
