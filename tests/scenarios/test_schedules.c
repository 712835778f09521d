/*
 * test_schedules.c - scheduled scaling in whole runs (controllers/
 * schedule.c), read from the timeline and events a user gets: a `schedule:`
 * scale, an HPA undoing it once its stabilization window lets it, patchHpa on
 * minReplicas, maxReplicas and the CPU target, cron lines in time zones and
 * across DST, suspended entries, kubectl CronJobs in argv and `sh -c` form
 * against `schedule:`, and the `clock` column. Batch CronJobs are in
 * tests/controllers/test_job.c.
 */
#include "test_util.h"

/* One Deployment `api` (n pods of 500m). */
#define DEPLOYMENT(n)                                                          \
    "  - apiVersion: apps/v1\n"                                                \
    "    kind: Deployment\n"                                                   \
    "    metadata: {name: api}\n"                                              \
    "    spec:\n"                                                              \
    "      replicas: " #n "\n"                                                 \
    "      template:\n"                                                        \
    "        spec:\n"                                                          \
    "          containers:\n"                                                  \
    "            - {name: c, resources: {requests: {cpu: 500m, "               \
    "memory: 256Mi}}}\n"

static const char deployment[] = DEPLOYMENT(2);

/* ... and a CPU HPA on it (2 to 10 pods, 50%). */
static const char hpa[] =
    "  - apiVersion: autoscaling/v2\n"
    "    kind: HorizontalPodAutoscaler\n"
    "    metadata: {name: api-hpa}\n"
    "    spec:\n"
    "      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, "
    "name: api}\n"
    "      minReplicas: 2\n"
    "      maxReplicas: 10\n"
    "      metrics:\n"
    "        - type: Resource\n"
    "          resource: {name: cpu, target: {type: Utilization, "
    "averageUtilization: 50}}\n";

static const char instant[] =
    "{schedule: 0s, imagePull: 0s, containerStart: 0s, warmup: 0s}";

static void assert_events(const struct tu_run *r, const char *want)
{
    char *got = tu_dump(&r->ev, SIZE_MAX);

    assert_string_equal(got, want);
    free(got);
}

/* Assert `col` of wl at times from..to (step s) equals want. */
static void tl_range(const struct tu_run *r, const char *wl, const char *col,
                     int from, int to, int step, long want)
{
    char t[32];

    for (int s = from; s <= to; s += step) {
        snprintf(t, sizeof(t), "%d", s);
        if (tu_tl_num(r, t, wl, col) != want)
            fail_msg("%s of %s at %d s: %ld, want %ld", col, wl, s,
                     tu_tl_num(r, t, wl, col), want);
    }
}

/* ---- schedule: scale and patchHpa ------------------------------------- */

/* Without an HPA a scheduled scale is what the Deployment keeps. */
static void test_scale_sets_desired(void **state)
{
    char yaml[4096];
    struct tu_run r;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 3m\n"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: a, nodes: 1, capacity: {cpu: 8, memory: 32Gi}}\n"
             "manifests:\n%s"
             "workloads:\n  api: {startup: %s}\n"
             "schedule:\n"
             "  - {name: up, at: 1m, scale: {deployment: api, replicas: 4}}\n",
             deployment, instant);
    tu_run_yaml(&r, yaml);
    assert_events(&r, "time_s,kind,object,reason,message\n"
                      "60,Schedule,up,Scale,kubectl scale deployment/api "
                      "--replicas=4\n"
                      "60,Deployment,api,ScalingReplicaSet,Scaled up replica "
                      "set api to 4 from 2\n");
    tl_range(&r, "api", "desired_replicas", 0, 45, 15, 2);
    tl_range(&r, "api", "desired_replicas", 60, 180, 15, 4);
    tl_range(&r, "api", "replicas", 60, 180, 15, 4);
    tu_run_free(&r);
}

/* `kubectl scale --replicas=6` at 125 s on 2 idle pods (20% of 50%): the
 * first HPA sync after it (135 s) still recommends 6, since the new pods
 * have no metrics yet; every later one recommends ceil(6 x 0.4) = 3. The
 * HPA scales to 3 at the first sync when the 6 is older than the window
 * (135 s + 300 s, at a 15 s sync: 450 s), and to ceil(3 x 0.4) = 2 one
 * window after its last recommendation of 3. */
static const char undo_events[] =
    "time_s,kind,object,reason,message\n"
    "0,HorizontalPodAutoscaler,api-hpa,ScaleDownStabilized,AbleToScale=True: "
    "recent recommendations were higher than current one, applying the "
    "highest recent recommendation\n"
    "0,HorizontalPodAutoscaler,api-hpa,ValidMetricFound,ScalingActive=True: "
    "the HPA was able to successfully calculate a replica count from cpu "
    "resource utilization (percentage of request)\n"
    "0,HorizontalPodAutoscaler,api-hpa,DesiredWithinRange,ScalingLimited="
    "False: the desired count is within the acceptable range\n"
    "125,Schedule,prescale,Scale,kubectl scale deployment/api --replicas=6\n"
    "125,Deployment,api,ScalingReplicaSet,Scaled up replica set api to 6 "
    "from 2\n"
    "%d,HorizontalPodAutoscaler,api-hpa,ReadyForNewScale,AbleToScale=True: "
    "recommended size matches current size\n"
    "%d,HorizontalPodAutoscaler,api-hpa,ScaleDownStabilized,AbleToScale="
    "True: recent recommendations were higher than current one, applying "
    "the highest recent recommendation\n"
    "%d,HorizontalPodAutoscaler,api-hpa,SuccessfulRescale,New size: 3; "
    "reason: All metrics below target\n"
    "%d,HorizontalPodAutoscaler,api-hpa,SucceededRescale,AbleToScale=True: "
    "the HPA controller was able to update the target scale to 3\n"
    "%d,Deployment,api,ScalingReplicaSet,Scaled down replica set api to 3 "
    "from 6\n"
    "%d,HorizontalPodAutoscaler,api-hpa,ScaleDownStabilized,AbleToScale="
    "True: recent recommendations were higher than current one, applying "
    "the highest recent recommendation\n"
    "%d,HorizontalPodAutoscaler,api-hpa,SuccessfulRescale,New size: 2; "
    "reason: All metrics below target\n"
    "%d,HorizontalPodAutoscaler,api-hpa,SucceededRescale,AbleToScale=True: "
    "the HPA controller was able to update the target scale to 2\n"
    "%d,Deployment,api,ScalingReplicaSet,Scaled down replica set api to 2 "
    "from 3\n";

static void run_undo(const char *controllers, int sync, int window)
{
    char yaml[4096], want[4096];
    int first = 135 + (sync - 15); /* first sync after 125 s */
    int down3 = first + window + sync, down2 = down3 + window + sync;
    struct tu_run r;
    char *got;

    snprintf(yaml, sizeof(yaml),
             "duration: %ds\n%s"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: a, nodes: 2, capacity: {cpu: 8, memory: 32Gi}}\n"
             "manifests:\n%s%s"
             "workloads:\n  api: {idleCpu: 100m, startup: %s}\n"
             "schedule:\n"
             "  - name: prescale\n"
             "    at: 125s\n"
             "    kubectl: kubectl scale deployment/api --replicas=6\n",
             down2, controllers, deployment, hpa, instant);
    tu_run_yaml(&r, yaml);
    snprintf(want, sizeof(want), undo_events, first, first + sync, down3, down3,
             down3, down3 + sync, down2, down2, down2);
    got = tu_dump(&r.ev, SIZE_MAX);
    assert_string_equal(got, want);
    free(got);
    tu_run_free(&r);
}

static void test_hpa_undoes_scale(void **state)
{
    (void)state;
    run_undo("", 15, 300);
    run_undo("controllers: {hpa: {downscaleStabilization: 2m}}\n", 15, 120);
    run_undo("controllers: {hpa: {syncPeriod: 30s}}\n", 30, 300);
}

/* 4 pods at 40% of a 50% target. minReplicas 5 at 65 s scales up at the
 * 75 s sync; a 20% target at 185 s gives ceil(5 x 32 / 20) = 8 at 195 s;
 * maxReplicas 6 at 305 s scales down to 6 at 315 s at once. */
static void test_patch_hpa(void **state)
{
    char yaml[4096], p[600];
    struct tu_run r;
    struct tu_table s;
    char *got;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 6m\n"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: a, nodes: 2, capacity: {cpu: 8, memory: 32Gi}}\n"
             "manifests:\n%s%s"
             "workloads:\n"
             "  api: {idleCpu: 0m, cpuPerRequest: 10ms, startup: %s,\n"
             "        load: {constant: 80}}\n"
             "schedule:\n"
             "  - {name: floor, at: 65s, patchHpa: {hpa: api-hpa, "
             "minReplicas: 5}}\n"
             "  - {name: target, at: 185s, patchHpa: {hpa: api-hpa, "
             "cpuUtilization: 20}}\n"
             "  - {name: cap, at: 305s, patchHpa: {hpa: api-hpa, "
             "maxReplicas: 6}}\n",
             DEPLOYMENT(4), hpa, instant);
    tu_run_yaml(&r, yaml);
    got = tu_dump(&r.ev, SIZE_MAX);
    assert_non_null(strstr(
        got, "65,Schedule,floor,PatchHPA,patched HPA api-hpa: minReplicas=5\n"
             "75,HorizontalPodAutoscaler,api-hpa,SuccessfulRescale,New "
             "size: 5; reason: Current number of replicas below "
             "Spec.MinReplicas\n"));
    assert_non_null(strstr(got, "185,Schedule,target,PatchHPA,patched HPA "
                                "api-hpa: averageUtilization=20%\n"
                                "195,HorizontalPodAutoscaler,api-hpa,"
                                "SuccessfulRescale,New size: 8; reason: cpu "
                                "resource utilization (percentage of "
                                "request) above target\n"));
    assert_non_null(
        strstr(got, "305,Schedule,cap,PatchHPA,patched HPA api-hpa: "
                    "maxReplicas=6\n"
                    "315,HorizontalPodAutoscaler,api-hpa,SuccessfulRescale,"
                    "New size: 6; reason: Current number of replicas above "
                    "Spec.MaxReplicas\n"));
    free(got);
    tl_range(&r, "api", "desired_replicas", 0, 60, 15, 4);
    tl_range(&r, "api", "desired_replicas", 75, 180, 15, 5);
    tl_range(&r, "api", "desired_replicas", 195, 300, 15, 8);
    tl_range(&r, "api", "desired_replicas", 315, 360, 15, 6);
    assert_string_equal(tu_at(&r.tl, "0", "api", "cpu_utilization_pct"), "40");
    assert_string_equal(tu_at(&r.tl, "195", "api", "cpu_utilization_pct"),
                        "20");
    /* the summary reports the target in force at the end */
    snprintf(p, sizeof(p), "%s/summary.csv", r.dir);
    tu_read_csv(p, &s);
    assert_string_equal(s.rows[1][tu_col(&s, "cpu_target_pct")], "20");
    assert_string_equal(s.rows[1][tu_col(&s, "peak_replicas")], "8");
    tu_free_csv(&s);
    tu_run_free(&r);
}

/* ---- cron lines and time zones ---------------------------------------- */

/* A scenario of `duration` with clock lines `clock` and schedule `sched`
 * (list items) on the Deployment alone. */
static void run_sched(struct tu_run *r, const char *clock, const char *duration,
                      const char *sched)
{
    char yaml[4096];

    snprintf(yaml, sizeof(yaml),
             "duration: %s\n%s"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: a, nodes: 1, capacity: {cpu: 8, memory: 32Gi}}\n"
             "manifests:\n%s"
             "workloads:\n  api: {startup: %s}\n"
             "schedule:\n%s",
             duration, clock, deployment, instant, sched);
    tu_run_yaml(r, yaml);
}

/* The instants (time_s) at which entry `name` fired, as "a b c". */
static void firings(const struct tu_run *r, const char *name, char *out,
                    size_t n)
{
    size_t co = tu_col(&r->ev, "object"), cr = tu_col(&r->ev, "reason");
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 1; i < r->ev.nrows; i++)
        if (strcmp(r->ev.rows[i][co], name) == 0 &&
            (strcmp(r->ev.rows[i][cr], "Scale") == 0 ||
             strcmp(r->ev.rows[i][cr], "PatchHPA") == 0))
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? " " : "",
                                    r->ev.rows[i][0]);
}

/* Every 30 minutes on the wall clock: from 09:10, at 09:30, 10:00, 10:30
 * and 11:00; from 09:00, also at the start and at the end; from 09:10 in
 * the year 1013, as from 09:10 in 2026. */
static void test_cron_every_30m(void **state)
{
    static const char sched[] = "  - {name: half, cron: \"*/30 * * * *\", "
                                "scale: {deployment: api, replicas: 3}}\n";
    struct tu_run r;
    char got[256];

    (void)state;
    run_sched(&r, "start: 2026-11-27T09:10:00\ntimeZone: America/New_York\n",
              "2h", sched);
    firings(&r, "half", got, sizeof(got));
    assert_string_equal(got, "1200 3000 4800 6600");
    assert_string_equal(tu_at(&r.ev, "1200", NULL, "clock"),
                        "2026-11-27T09:30:00-05:00");
    tu_run_free(&r);
    run_sched(&r, "start: 2026-11-27T09:00:00\ntimeZone: America/New_York\n",
              "2h", sched);
    firings(&r, "half", got, sizeof(got));
    assert_string_equal(got, "0 1800 3600 5400 7200");
    tu_run_free(&r);
    /* a start before 1970 fires the same (fuzz_run found the bound on the
     * next firing overflowing for a negative start) */
    run_sched(&r, "start: 1013-11-23T09:10:00Z\n", "2h", sched);
    firings(&r, "half", got, sizeof(got));
    assert_string_equal(got, "1200 3000 4800 6600");
    assert_string_equal(tu_at(&r.ev, "1200", NULL, "clock"),
                        "1013-11-23T09:30:00+00:00");
    tu_run_free(&r);
}

/* "30 11 * * *" in Paris fires at 11:30 local on each side of the
 * 2026-03-29 spring-forward (a 23-hour day in between); an entry with its
 * own timeZone reads its line there (09:00 New York, already on EDT, is
 * 14:00 CET and then 15:00 CEST). */
static void test_cron_dst_and_zone(void **state)
{
    struct tu_run r;
    char got[256];

    (void)state;
    run_sched(&r, "start: 2026-03-27T00:00:00\ntimeZone: Europe/Paris\n", "72h",
              "  - {name: daily, cron: \"30 11 * * *\", "
              "scale: {deployment: api, replicas: 3}}\n"
              "  - {name: ny, cron: \"0 9 * * *\", timeZone: "
              "America/New_York, scale: {deployment: api, replicas: 2}}\n");
    firings(&r, "daily", got, sizeof(got));
    assert_string_equal(got, "41400 127800 210600");
    assert_string_equal(tu_at(&r.ev, "127800", NULL, "clock"),
                        "2026-03-28T11:30:00+01:00");
    assert_string_equal(tu_at(&r.ev, "210600", NULL, "clock"),
                        "2026-03-29T11:30:00+02:00");
    firings(&r, "ny", got, sizeof(got));
    assert_string_equal(got, "50400 136800 223200");
    assert_string_equal(tu_at(&r.ev, "223200", NULL, "clock"),
                        "2026-03-29T15:00:00+02:00");
    tu_run_free(&r);
}

/* A suspended entry or CronJob never fires; the run says so at t = 0. */
static void test_suspend(void **state)
{
    char yaml[4096];
    struct tu_run r;
    char *got;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 10m\n"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: a, nodes: 1, capacity: {cpu: 8, memory: 32Gi}}\n"
             "manifests:\n%s"
             "  - apiVersion: batch/v1\n"
             "    kind: CronJob\n"
             "    metadata: {name: paused}\n"
             "    spec:\n"
             "      schedule: \"* * * * *\"\n"
             "      suspend: true\n"
             "      jobTemplate:\n"
             "        spec:\n"
             "          template:\n"
             "            spec:\n"
             "              containers:\n"
             "                - {name: k, command: [kubectl, scale, "
             "deployment/api, --replicas=7]}\n"
             "workloads:\n  api: {startup: %s}\n"
             "schedule:\n"
             "  - {name: off, cron: \"* * * * *\", suspend: true,\n"
             "     scale: {deployment: api, replicas: 9}}\n",
             deployment, instant);
    tu_run_yaml(&r, yaml);
    got = tu_dump(&r.ev, SIZE_MAX);
    assert_string_equal(got, "time_s,kind,object,reason,message\n"
                             "0,Schedule,off,Suspended,the schedule is "
                             "suspended and will not fire\n"
                             "0,CronJob,paused,Suspended,the schedule is "
                             "suspended and will not fire\n");
    free(got);
    tl_range(&r, "api", "desired_replicas", 0, 600, 15, 2);
    tu_run_free(&r);
}

/* ---- kubectl CronJobs ------------------------------------------------- */

static const char sched_form[] =
    "schedule:\n"
    "  - name: up\n"
    "    cron: \"0 10 * * *\"\n"
    "    kubectl: kubectl scale deployment/api --replicas=5\n"
    "  - name: floor\n"
    "    cron: \"30 10 * * *\"\n"
    "    kubectl: kubectl patch hpa api-hpa --type=merge -p "
    "'{\"spec\":{\"minReplicas\":4}}'\n";

#define CRONJOB(name, line, container)                                         \
    "  - apiVersion: batch/v1\n"                                               \
    "    kind: CronJob\n"                                                      \
    "    metadata: {name: " name "}\n"                                         \
    "    spec:\n"                                                              \
    "      schedule: \"" line "\"\n"                                           \
    "      jobTemplate:\n"                                                     \
    "        spec:\n"                                                          \
    "          template:\n"                                                    \
    "            spec:\n"                                                      \
    "              containers:\n"                                              \
    "                - name: kubectl\n"                                        \
    "                  image: bitnami/kubectl:1.31\n" container

static const char argv_form[] =
    CRONJOB("up", "0 10 * * *",
            "                  command: [kubectl, scale, deployment, api, "
            "--replicas=5]\n")
        CRONJOB("floor", "30 10 * * *",
                "                  command: [kubectl, patch, hpa, api-hpa, "
                "-p, '{\"spec\":{\"minReplicas\":4}}']\n");

static const char sh_form[] =
    CRONJOB("up", "0 10 * * *",
            "                  command: [/bin/sh, -c]\n"
            "                  args: [\"kubectl scale deployment/api "
            "--replicas=5 && echo scaled\"]\n")
        CRONJOB("floor", "30 10 * * *",
                "                  command: [sh, -c, \"kubectl patch hpa "
                "api-hpa --type=merge -p '{\\\"spec\\\":{\\\"minReplicas\\\":"
                "4}}'\"]\n");

static void run_forms(struct tu_run *r, const char *manifests,
                      const char *sched)
{
    char yaml[8192];

    snprintf(yaml, sizeof(yaml),
             "duration: 1h\n"
             "start: 2026-11-23T09:45:00\n"
             "timeZone: Europe/Paris\n"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: a, nodes: 2, capacity: {cpu: 8, memory: 32Gi}}\n"
             "manifests:\n%s%s%s"
             "workloads:\n  api: {idleCpu: 100m, startup: %s}\n%s",
             deployment, hpa, manifests, instant, sched);
    tu_run_yaml(r, yaml);
}

/* A CronJob running kubectl (argv or sh -c) does what the same command in
 * `schedule:` does: the same timeline, the same events but for their
 * kind. */
static void test_cronjob_forms(void **state)
{
    struct tu_run s, a, c;
    char *ts, *ta, *tc, *es, *ea, *ec;
    size_t kind;

    (void)state;
    run_forms(&s, "", sched_form);
    run_forms(&a, argv_form, "");
    run_forms(&c, sh_form, "");
    assert_string_equal(tu_at(&s.ev, "900", NULL, "message"),
                        "kubectl scale deployment/api --replicas=5");
    assert_string_equal(tu_at(&s.ev, "900", NULL, "kind"), "Schedule");
    assert_string_equal(tu_at(&a.ev, "900", NULL, "kind"), "CronJob");
    assert_string_equal(tu_at(&s.ev, "2700", NULL, "message"),
                        "patched HPA api-hpa: minReplicas=4");
    assert_string_equal(tu_at(&s.ev, "2700", NULL, "clock"),
                        "2026-11-23T10:30:00+01:00");
    ts = tu_dump(&s.tl, SIZE_MAX);
    ta = tu_dump(&a.tl, SIZE_MAX);
    tc = tu_dump(&c.tl, SIZE_MAX);
    assert_string_equal(ta, ts);
    assert_string_equal(tc, ts);
    kind = tu_col(&s.ev, "kind");
    es = tu_dump(&s.ev, kind);
    ea = tu_dump(&a.ev, kind);
    ec = tu_dump(&c.ev, kind);
    assert_string_equal(ea, es);
    assert_string_equal(ec, es);
    /* the floor holds 4 replicas from the 10:30 sync on */
    tl_range(&s, "api", "desired_replicas", 2700, 3600, 60, 4);
    free(ts);
    free(ta);
    free(tc);
    free(es);
    free(ea);
    free(ec);
    tu_run_free(&s);
    tu_run_free(&a);
    tu_run_free(&c);
}

/* ---- the clock column ------------------------------------------------- */

static void header_of(const char *dir, const char *file, char *out, size_t n)
{
    char p[600];
    FILE *f;

    snprintf(p, sizeof(p), "%s/%s", dir, file);
    f = fopen(p, "r");
    assert_non_null(f);
    assert_non_null(fgets(out, (int)n, f));
    fclose(f);
}

/* With `start`, every time-indexed output has a clock column in local
 * time with its offset, which changes when the clocks do; without, none. */
static void test_clock_column(void **state)
{
    static const char *const spring[] = {
        "2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00",
        "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00",
        "2026-03-29T04:00:00+02:00"};
    static const char *const autumn[] = {
        "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
        "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00",
        "2026-10-25T03:00:00+01:00"};
    struct tu_run r;
    char h[512], t[16];

    (void)state;
    run_sched(&r,
              "start: 2026-03-29T01:00:00\ntimeZone: Europe/Paris\n"
              "sampleStep: 30m\n",
              "2h", "  - {at: 1h, scale: {deployment: api, replicas: 3}}\n");
    header_of(r.dir, "timeline.csv", h, sizeof(h));
    assert_memory_equal(h, "time_s,clock,workload,rps,", 26);
    header_of(r.dir, "events.csv", h, sizeof(h));
    assert_string_equal(h, "time_s,clock,kind,object,reason,message\n");
    header_of(r.dir, "nodes.csv", h, sizeof(h));
    assert_memory_equal(h, "time_s,clock,pool,", 18);
    assert_int_equal(r.tl.nrows, 1 + 5);
    for (int i = 0; i < 5; i++) {
        snprintf(t, sizeof(t), "%d", i * 1800);
        assert_string_equal(tu_at(&r.tl, t, "api", "clock"), spring[i]);
    }
    assert_string_equal(tu_at(&r.ev, "3600", NULL, "clock"),
                        "2026-03-29T03:00:00+02:00");
    tu_run_free(&r);
    /* clocks go back: 02:00 is read as the first one (CEST) */
    run_sched(&r,
              "start: 2026-10-25T02:00:00\ntimeZone: Europe/Paris\n"
              "sampleStep: 30m\n",
              "2h", "  - {at: 1h, scale: {deployment: api, replicas: 3}}\n");
    for (int i = 0; i < 5; i++) {
        snprintf(t, sizeof(t), "%d", i * 1800);
        assert_string_equal(tu_at(&r.tl, t, "api", "clock"), autumn[i]);
    }
    tu_run_free(&r);
    /* UTC start: +00:00 */
    run_sched(&r, "start: 2026-11-23T09:00:00Z\n", "1m",
              "  - {at: 30s, scale: {deployment: api, replicas: 3}}\n");
    assert_string_equal(tu_at(&r.tl, "30", "api", "clock"),
                        "2026-11-23T09:00:30+00:00");
    tu_run_free(&r);
    /* no start: no clock column, even with a zone */
    run_sched(&r, "timeZone: Europe/Paris\n", "1m",
              "  - {at: 30s, scale: {deployment: api, replicas: 3}}\n");
    header_of(r.dir, "timeline.csv", h, sizeof(h));
    assert_memory_equal(h, "time_s,workload,rps,", 20);
    header_of(r.dir, "events.csv", h, sizeof(h));
    assert_string_equal(h, "time_s,kind,object,reason,message\n");
    header_of(r.dir, "nodes.csv", h, sizeof(h));
    assert_memory_equal(h, "time_s,pool,", 12);
    tu_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_sets_desired),
        cmocka_unit_test(test_hpa_undoes_scale),
        cmocka_unit_test(test_patch_hpa),
        cmocka_unit_test(test_cron_every_30m),
        cmocka_unit_test(test_cron_dst_and_zone),
        cmocka_unit_test(test_suspend),
        cmocka_unit_test(test_cronjob_forms),
        cmocka_unit_test(test_clock_column),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
