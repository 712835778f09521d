/*
 * test_job.c - the Job controller of batch CronJobs (src/controllers/
 * job.c, job.h).
 *
 * First the controller alone: a sim is built from a scenario whose
 * CronJob never fires during the run, and cs_job_fire / cs_job_pod_done
 * are called by hand (pods still Pending are removed the way the API
 * server removes them), checking the runs and pods left behind. Then
 * whole runs, read from the timeline and events a user gets:
 * parallelism and completions, retries backed off 10 s, 20 s, 40 s ... up
 * to 6 minutes, backoffLimit, activeDeadlineSeconds, the three
 * concurrency policies, the 8-run limit, and job pods left Pending when
 * they compete with a Deployment for a full node.
 */
#include "test_util.h"

#include "controllers/job.h"

/* ---- the controller alone --------------------------------------------- */

/* A CronJob firing only on 1 January (t = 0 is 5 January): 3 completions,
 * 2 at a time. */
static const char never_fires[] =
    "duration: 1h\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: a, nodes: 1, capacity: {cpu: 16, memory: 32Gi}}\n"
    "manifests:\n"
    "  - apiVersion: batch/v1\n"
    "    kind: CronJob\n"
    "    metadata: {name: report}\n"
    "    spec:\n"
    "      schedule: \"0 0 1 1 *\"\n"
    "      jobTemplate:\n"
    "        spec:\n"
    "          parallelism: 2\n"
    "          completions: 3\n"
    "          backoffLimit: 1\n"
    "          template:\n"
    "            spec:\n"
    "              containers:\n"
    "                - {name: r, resources: {requests: {cpu: \"1\"}}}\n";

struct fx {
    struct cs_scenario *sc;
    struct cs_sim *sim;
    struct cs_workload *wl;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct cs_err err;

    assert_non_null(f);
    f->sc = tu_load_string(never_fires, &err);
    if (f->sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    f->sim = cs_sim_create(f->sc, 1, &err);
    if (f->sim == NULL)
        fail_msg("sim: %s", err.msg);
    assert_int_equal(f->sim->nwl, 1);
    f->wl = &f->sim->wl[0];
    assert_int_equal(f->wl->is_job, 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    cs_sim_destroy(f->sim);
    cs_scenario_destroy(f->sc);
    free(f);
    return 0;
}

/* Pods of the workload in run `slot`. */
static int pods_in(const struct fx *f, int slot)
{
    int n = 0;

    for (uint32_t i = 0; i < f->wl->npods; i++)
        n += f->sim->pods[f->wl->pods[i]].job_run == slot;
    return n;
}

/* The first pod of run `slot` finishes (ok: succeeds). */
static void finish_one(struct fx *f, int slot, int ok)
{
    for (uint32_t i = 0; i < f->wl->npods; i++) {
        uint32_t p = f->wl->pods[i];

        if (f->sim->pods[p].job_run == slot) {
            cs_sim_pod_delete(f->sim, p); /* Pending: removed at once */
            cs_job_pod_done(f->sim, 0, slot, ok);
            assert_true(cs_sim_check(f->sim));
            return;
        }
    }
    fail_msg("no pod in run %d", slot);
}

/* The spec as the loader read it. */
static void test_spec(void **state)
{
    struct fx *f = *state;

    assert_int_equal(f->wl->job.parallelism, 2);
    assert_int_equal(f->wl->job.completions, 3);
    assert_int_equal(f->wl->job.backoff_limit, 1);
    assert_int_equal(f->wl->job.concurrency, CS_CONC_ALLOW);
    assert_int_equal(f->wl->job.deadline, 0);
    assert_int_equal(f->wl->npods, 0);
}

/* min(parallelism, completions left) pods at a time until 3 succeed. */
static void test_completions(void **state)
{
    struct fx *f = *state;
    const struct cs_job_run *r = &f->wl->runs[0];

    cs_job_fire(f->sim, 0);
    assert_true(cs_sim_check(f->sim));
    assert_int_equal(r->active, 1);
    assert_int_equal(r->id, 1);
    assert_int_equal(r->pods, 2);
    assert_int_equal(pods_in(f, 0), 2);
    assert_int_equal(f->wl->job_runs, 1);
    finish_one(f, 0, 1); /* 1 done, 2 left: a replacement */
    assert_int_equal(r->succeeded, 1);
    assert_int_equal(r->pods, 2);
    assert_int_equal(f->wl->npods, 2);
    finish_one(f, 0, 1); /* 2 done, 1 left and 1 running: none */
    assert_int_equal(r->pods, 1);
    assert_int_equal(f->wl->npods, 1);
    finish_one(f, 0, 1);
    assert_int_equal(r->active, 0);
    assert_int_equal(r->succeeded, 3);
    assert_int_equal(f->wl->npods, 0);
}

/* A failure is replaced only after the backoff (an event), and the second
 * failure is more than backoffLimit 1: the run fails, its pods go. */
static void test_failures(void **state)
{
    struct fx *f = *state;
    const struct cs_job_run *r = &f->wl->runs[0];

    cs_job_fire(f->sim, 0);
    finish_one(f, 0, 0);
    assert_int_equal(r->failed, 1);
    assert_int_equal(r->retry_pending, 1);
    assert_int_equal(r->pods, 1);
    assert_int_equal(f->wl->npods, 1);
    finish_one(f, 0, 0);
    assert_int_equal(r->active, 0);
    assert_int_equal(r->failed, 2);
    assert_int_equal(f->wl->npods, 0);
}

/* Forbid skips a firing, Allow adds a run, Replace ends every active run
 * (deleting its pods) and starts one in slot 0. */
static void test_concurrency(void **state)
{
    struct fx *f = *state;

    cs_job_fire(f->sim, 0);
    f->wl->job.concurrency = CS_CONC_FORBID;
    cs_job_fire(f->sim, 0);
    assert_int_equal(f->wl->job_runs, 1);
    assert_int_equal(f->wl->npods, 2);
    f->wl->job.concurrency = CS_CONC_ALLOW;
    cs_job_fire(f->sim, 0);
    assert_int_equal(f->wl->job_runs, 2);
    assert_int_equal(f->wl->runs[1].active, 1);
    assert_int_equal(f->wl->runs[1].id, 2);
    assert_int_equal(pods_in(f, 1), 2);
    assert_int_equal(f->wl->npods, 4);
    f->wl->job.concurrency = CS_CONC_REPLACE;
    cs_job_fire(f->sim, 0);
    assert_true(cs_sim_check(f->sim));
    assert_int_equal(f->wl->job_runs, 3);
    assert_int_equal(f->wl->runs[0].active, 1);
    assert_int_equal(f->wl->runs[0].id, 3);
    assert_int_equal(f->wl->runs[1].active, 0);
    assert_int_equal(pods_in(f, 0), 2);
    assert_int_equal(f->wl->npods, 2);
}

/* ---- whole runs -------------------------------------------------------- */

static const char instant[] =
    "{schedule: 0s, imagePull: 0s, containerStart: 0s, warmup: 0s}";

/* events.csv as "a,b,c\n" lines, header included. */
static void assert_events(const struct tu_run *r, const char *want)
{
    char *got = tu_dump(&r->ev, SIZE_MAX);

    assert_string_equal(got, want);
    free(got);
}

/* Assert column `col` of workload wl at times from..to (step s) is want. */
static void tl_range(const struct tu_run *r, const char *wl, const char *col,
                     int from, int to, int step, long want)
{
    char t[32];

    for (int s = from; s <= to; s += step) {
        const char *v;

        snprintf(t, sizeof(t), "%d", s);
        v = tu_at(&r->tl, t, wl, col);
        if (v == NULL)
            fail_msg("no timeline row at %s for %s", t, wl);
        if (strtol(v, NULL, 10) != want)
            fail_msg("%s of %s at %d s: %s, want %ld", col, wl, s, v, want);
    }
}

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

/* A batch CronJob `report` (pods of 1 CPU) on one node of `cpu` CPUs. */
struct batch {
    const char *duration, *step, *cpu, *cron;
    const char *cj;   /* lines of the CronJob spec (6 spaces) */
    const char *job;  /* lines of the Job spec (10 spaces) */
    const char *work; /* the workload's keys (flow) */
    const char *more; /* other manifests */
    const char *wls;  /* other workloads' lines */
};

static void run_batch(struct tu_run *r, const struct batch *b)
{
    char yaml[8192];

    snprintf(yaml, sizeof(yaml),
             "duration: %s\n"
             "sampleStep: %s\n"
             "cluster:\n"
             "  nodePools:\n"
             "    - {name: a, nodes: 1, capacity: {cpu: %s, memory: 32Gi}}\n"
             "manifests:\n%s"
             "  - apiVersion: batch/v1\n"
             "    kind: CronJob\n"
             "    metadata: {name: report}\n"
             "    spec:\n"
             "      schedule: \"%s\"\n%s"
             "      jobTemplate:\n"
             "        spec:\n%s"
             "          template:\n"
             "            spec:\n"
             "              restartPolicy: Never\n"
             "              containers:\n"
             "                - {name: r, image: x, resources: {requests: "
             "{cpu: \"1\", memory: 1Gi}}}\n"
             "workloads:\n"
             "  report: {startup: %s, %s}\n%s",
             b->duration, b->step, b->cpu ? b->cpu : "8",
             b->more ? b->more : "", b->cron, b->cj ? b->cj : "",
             b->job ? b->job : "", instant, b->work, b->wls ? b->wls : "");
    tu_run_yaml(r, yaml);
}

/* 5 completions 2 at a time, 10 minutes each: 2, 2, then 1 pod; complete
 * at 30 minutes. */
static void test_job_parallelism(void **state)
{
    struct batch b = {.duration = "50m",
                      .step = "1m",
                      .cron = "0 * * * *",
                      .job = "          parallelism: 2\n"
                             "          completions: 5\n",
                      .work = "duration: 10m"};
    struct tu_run r;

    (void)state;
    run_batch(&r, &b);
    assert_events(&r, "time_s,kind,object,reason,message\n"
                      "0,CronJob,report,SuccessfulCreate,Created job "
                      "report-1\n"
                      "1800,Job,report-1,Completed,Job completed in 30m0s "
                      "(5 succeeded, 0 failed)\n");
    tl_range(&r, "report", "replicas", 0, 1140, 60, 2);
    tl_range(&r, "report", "replicas", 1200, 1740, 60, 1);
    tl_range(&r, "report", "replicas", 1800, 3000, 60, 0);
    tl_range(&r, "report", "pending_pods", 0, 3000, 60, 0);
    tu_run_free(&r);
}

/* Every pod fails after its minute: retries 10 s, 20 s, 40 s after each
 * failure, and the run fails at the (backoffLimit + 1)th failure. */
static void test_job_backoff(void **state)
{
    struct batch b = {.duration = "6m",
                      .step = "10s",
                      .cron = "0 * * * *",
                      .job = "          backoffLimit: 3\n",
                      .work = "duration: 1m, failureProbability: 1"};
    struct tu_run r;

    (void)state;
    run_batch(&r, &b);
    assert_events(&r, "time_s,kind,object,reason,message\n"
                      "0,CronJob,report,SuccessfulCreate,Created job "
                      "report-1\n"
                      "310,Job,report-1,BackoffLimitExceeded,Job has reached "
                      "the specified backoff limit\n");
    /* pods run [0, 60), [70, 130), [150, 210), [250, 310) */
    tl_range(&r, "report", "replicas", 0, 50, 10, 1);
    tl_range(&r, "report", "replicas", 60, 60, 10, 0);
    tl_range(&r, "report", "replicas", 70, 120, 10, 1);
    tl_range(&r, "report", "replicas", 130, 140, 10, 0);
    tl_range(&r, "report", "replicas", 150, 200, 10, 1);
    tl_range(&r, "report", "replicas", 210, 240, 10, 0);
    tl_range(&r, "report", "replicas", 250, 300, 10, 1);
    tl_range(&r, "report", "replicas", 310, 360, 10, 0);
    tu_run_free(&r);
}

/* activeDeadlineSeconds: 300 stops 15-minute pods at 5 minutes, every
 * run. */
static void test_job_deadline(void **state)
{
    struct batch b = {.duration = "20m",
                      .step = "1m",
                      .cron = "*/10 * * * *",
                      .job = "          activeDeadlineSeconds: 300\n",
                      .work = "duration: 15m"};
    struct tu_run r;

    (void)state;
    run_batch(&r, &b);
    assert_events(&r, "time_s,kind,object,reason,message\n"
                      "0,CronJob,report,SuccessfulCreate,Created job "
                      "report-1\n"
                      "300,Job,report-1,DeadlineExceeded,Job was active "
                      "longer than specified deadline\n"
                      "600,CronJob,report,SuccessfulCreate,Created job "
                      "report-2\n"
                      "900,Job,report-2,DeadlineExceeded,Job was active "
                      "longer than specified deadline\n"
                      "1200,CronJob,report,SuccessfulCreate,Created job "
                      "report-3\n");
    tl_range(&r, "report", "replicas", 0, 240, 60, 1);
    tl_range(&r, "report", "replicas", 300, 540, 60, 0);
    tl_range(&r, "report", "replicas", 600, 840, 60, 1);
    tl_range(&r, "report", "replicas", 900, 1140, 60, 0);
    tu_run_free(&r);
}

static const char *const conc_events[] = {
    /* Forbid */
    "time_s,kind,object,reason,message\n"
    "0,CronJob,report,SuccessfulCreate,Created job report-1\n"
    "600,CronJob,report,JobAlreadyActive,Not starting job because prior "
    "execution is running and concurrency policy is Forbid\n"
    "900,Job,report-1,Completed,Job completed in 15m0s (1 succeeded, 0 "
    "failed)\n"
    "1200,CronJob,report,SuccessfulCreate,Created job report-2\n",
    /* Replace */
    "time_s,kind,object,reason,message\n"
    "0,CronJob,report,SuccessfulCreate,Created job report-1\n"
    "600,Job,report-1,Replaced,Deleted job: replaced by a newer run "
    "(concurrency policy Replace)\n"
    "600,CronJob,report,SuccessfulCreate,Created job report-2\n"
    "1200,Job,report-2,Replaced,Deleted job: replaced by a newer run "
    "(concurrency policy Replace)\n"
    "1200,CronJob,report,SuccessfulCreate,Created job report-3\n",
    /* Allow */
    "time_s,kind,object,reason,message\n"
    "0,CronJob,report,SuccessfulCreate,Created job report-1\n"
    "600,CronJob,report,SuccessfulCreate,Created job report-2\n"
    "900,Job,report-1,Completed,Job completed in 15m0s (1 succeeded, 0 "
    "failed)\n"
    "1200,CronJob,report,SuccessfulCreate,Created job report-3\n"
    "1500,Job,report-2,Completed,Job completed in 15m0s (1 succeeded, 0 "
    "failed)\n",
};

/* 15-minute runs every 10 minutes under each concurrencyPolicy. */
static void test_job_concurrency(void **state)
{
    static const char *const cj[] = {"      concurrencyPolicy: Forbid\n",
                                     "      concurrencyPolicy: Replace\n",
                                     "      concurrencyPolicy: Allow\n"};
    struct tu_run r;

    (void)state;
    for (int i = 0; i < 3; i++) {
        struct batch b = {.duration = "25m",
                          .step = "1m",
                          .cron = "*/10 * * * *",
                          .cj = cj[i],
                          .work = "duration: 15m"};

        run_batch(&r, &b);
        assert_events(&r, conc_events[i]);
        if (i == 0) { /* idle between 15 and 20 minutes */
            tl_range(&r, "report", "replicas", 900, 1140, 60, 0);
            tl_range(&r, "report", "replicas", 1200, 1500, 60, 1);
        } else if (i == 1) { /* always exactly one run */
            tl_range(&r, "report", "replicas", 0, 1500, 60, 1);
        } else { /* two runs overlap from 10 to 15 minutes */
            tl_range(&r, "report", "replicas", 0, 540, 60, 1);
            tl_range(&r, "report", "replicas", 600, 840, 60, 2);
            tl_range(&r, "report", "replicas", 900, 1140, 60, 1);
            tl_range(&r, "report", "replicas", 1200, 1440, 60, 2);
        }
        tu_run_free(&r);
    }
}

/* 1-second pods that always fail, backoffLimit 8: the retries wait 10,
 * 20, 40, 80, 160, 320, then 360 (the cap) and 360 s; the 9th failure, at
 * 1 + 11 + 21 + 41 + 81 + 161 + 321 + 361 + 361 = 1359 s, ends the run. */
static void test_job_backoff_cap(void **state)
{
    struct batch b = {.duration = "30m",
                      .step = "1m",
                      .cron = "0 * * * *",
                      .job = "          backoffLimit: 8\n",
                      .work = "duration: 1s, failureProbability: 1"};
    struct tu_run r;

    (void)state;
    run_batch(&r, &b);
    assert_events(&r, "time_s,kind,object,reason,message\n"
                      "0,CronJob,report,SuccessfulCreate,Created job "
                      "report-1\n"
                      "1359,Job,report-1,BackoffLimitExceeded,Job has reached "
                      "the specified backoff limit\n");
    tu_run_free(&r);
}

/* Allow, every minute, 10-minute runs: 8 runs at once at most; the
 * firings at 8 and 9 minutes are refused, and from 10 minutes on each
 * completion frees a slot for that minute's run. */
static void test_job_runs_limit(void **state)
{
    struct batch b = {.duration = "11m",
                      .step = "1m",
                      .cron = "* * * * *",
                      .cj = "      concurrencyPolicy: Allow\n",
                      .work = "duration: 10m"};
    struct tu_run r;

    (void)state;
    run_batch(&r, &b);
    assert_events(
        &r, "time_s,kind,object,reason,message\n"
            "0,CronJob,report,SuccessfulCreate,Created job report-1\n"
            "60,CronJob,report,SuccessfulCreate,Created job report-2\n"
            "120,CronJob,report,SuccessfulCreate,Created job report-3\n"
            "180,CronJob,report,SuccessfulCreate,Created job report-4\n"
            "240,CronJob,report,SuccessfulCreate,Created job report-5\n"
            "300,CronJob,report,SuccessfulCreate,Created job report-6\n"
            "360,CronJob,report,SuccessfulCreate,Created job report-7\n"
            "420,CronJob,report,SuccessfulCreate,Created job report-8\n"
            "480,CronJob,report,TooManyActiveJobs,Not starting job: 8 runs "
            "are still active\n"
            "540,CronJob,report,TooManyActiveJobs,Not starting job: 8 runs "
            "are still active\n"
            "600,Job,report-1,Completed,Job completed in 10m0s (1 succeeded, "
            "0 failed)\n"
            "600,CronJob,report,SuccessfulCreate,Created job report-9\n"
            "660,Job,report-2,Completed,Job completed in 10m0s (1 succeeded, "
            "0 failed)\n"
            "660,CronJob,report,SuccessfulCreate,Created job report-10\n");
    tl_range(&r, "report", "replicas", 420, 660, 60, 8);
    tu_run_free(&r);
}

/* parallelism without completions (a work queue): done when a pod has
 * succeeded and none is left running. */
static void test_job_no_completions(void **state)
{
    struct batch b = {.duration = "10m",
                      .step = "1m",
                      .cron = "0 * * * *",
                      .job = "          parallelism: 3\n",
                      .work = "duration: 5m"};
    struct tu_run r;

    (void)state;
    run_batch(&r, &b);
    assert_events(&r, "time_s,kind,object,reason,message\n"
                      "0,CronJob,report,SuccessfulCreate,Created job "
                      "report-1\n"
                      "300,Job,report-1,Completed,Job completed in 5m0s (3 "
                      "succeeded, 0 failed)\n");
    tl_range(&r, "report", "replicas", 0, 240, 60, 3);
    tl_range(&r, "report", "replicas", 300, 600, 60, 0);
    tu_run_free(&r);
}

/* On a 4-CPU node holding 2 api pods of 1 CPU, 4 job pods of 1 CPU: two
 * run and two wait until 10 minutes; a kubectl scale of api to 3 at 12
 * minutes then waits for the job to finish at 15. */
static void test_job_competes(void **state)
{
    struct batch b = {
        .duration = "20m",
        .step = "1m",
        .cpu = "4",
        .cron = "5 * * * *",
        .job = "          parallelism: 4\n"
               "          completions: 4\n",
        .work = "duration: 5m",
        .more = "  - apiVersion: apps/v1\n"
                "    kind: Deployment\n"
                "    metadata: {name: api}\n"
                "    spec:\n"
                "      replicas: 2\n"
                "      template:\n"
                "        spec:\n"
                "          containers:\n"
                "            - {name: c, resources: {requests: {cpu: \"1\", "
                "memory: 256Mi}}}\n" CRONJOB("api-up", "12 * * * *",
                                             "                  command: "
                                             "[kubectl, scale, "
                                             "deployment/api, "
                                             "--replicas=3]\n"),
        .wls = "  api: {startup: "
               "{schedule: 0s, imagePull: 0s, containerStart: 0s, "
               "warmup: 0s}}\n"};
    struct tu_run r;

    (void)state;
    run_batch(&r, &b);
    assert_events(&r, "time_s,kind,object,reason,message\n"
                      "300,CronJob,report,SuccessfulCreate,Created job "
                      "report-1\n"
                      "720,CronJob,api-up,Scale,kubectl scale "
                      "deployment/api --replicas=3\n"
                      "720,Deployment,api,ScalingReplicaSet,Scaled up "
                      "replica set api to 3 from 2\n"
                      "900,Job,report-1,Completed,Job completed in 10m0s "
                      "(4 succeeded, 0 failed)\n");
    tl_range(&r, "report", "replicas", 300, 540, 60, 4);
    tl_range(&r, "report", "pending_pods", 300, 540, 60, 2);
    tl_range(&r, "report", "ready_replicas", 300, 540, 60, 2);
    tl_range(&r, "report", "pending_pods", 600, 1200, 60, 0);
    tl_range(&r, "api", "pending_pods", 0, 660, 60, 0);
    tl_range(&r, "api", "pending_pods", 720, 840, 60, 1);
    tl_range(&r, "api", "ready_replicas", 900, 1200, 60, 3);
    tu_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_completions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrency, setup, teardown),
        cmocka_unit_test(test_job_parallelism),
        cmocka_unit_test(test_job_backoff),
        cmocka_unit_test(test_job_backoff_cap),
        cmocka_unit_test(test_job_deadline),
        cmocka_unit_test(test_job_concurrency),
        cmocka_unit_test(test_job_runs_limit),
        cmocka_unit_test(test_job_no_completions),
        cmocka_unit_test(test_job_competes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
