/*
 * fuzz_expect.c - libFuzzer target for the assertion language (expect.h).
 *
 * The input, as text up to its first NUL, is parsed by cs_expect_parse().
 * A parsed assertion must give back its text unchanged and is evaluated
 * against a small fixed run directory (timeline, nodes, summary and events
 * CSV files written once per process under /tmp with mkdtemp, removed at
 * exit). Invariants: a failed parse fills the message and leaves *out NULL;
 * an evaluation of readable files returns 0 with a known outcome, a
 * NUL-terminated "actual" text, and a message exactly when it is an ERROR.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_util.h"

#include "core/err.h"
#include "io/expect.h"

static const char *const fe_files[][2] = {
    {"timeline.csv",
     "time_s,workload,rps,replicas,ready_replicas,desired_replicas,"
     "pending_pods,cpu_utilization_pct,memory_utilization_pct,"
     "latency_p95_ms,dropped_rps,demand_replicas\n"
     "0,web,10,1,1,1,0,50,30,100,0,1\n"
     "0,backend,5,2,2,2,0,40,20,500,0,2\n"
     "60,web,20,2,1,2,1,90,30,,5,2\n"
     "60,backend,5,2,2,2,0,42,20,600,0,2\n"
     "120,web,30,2,2,2,0,70,35,300,0,2\n"},
    {"nodes.csv", "time_s,pool,nodes,nodes_ready,cpu_requested_pct,"
                  "memory_requested_pct,cost_usd_total\n"
                  "60,cpu,2,2,50,40,0.1\n"
                  "60,gpu,1,1,80,70,0.5\n"
                  "120,cpu,3,2,60,50,0.3\n"},
    {"summary.csv", "workload,peak_replicas,replica_hours,dropped_requests,"
                    "latency_p95_ms,pending_p95_s,time_to_capacity_s,"
                    "cost_usd,scale_ups,flaps\n"
                    "web,4,0.3,300,295,60,120,3.5,3,1\n"
                    "backend,2,0.2,0,975,0,,1.5,0,0\n"
                    "(all),7,0.5,300,900,60,500,5,3,1\n"},
    {"events.csv", "time_s,kind,object,reason,message\n"
                   "60,HorizontalPodAutoscaler,web,SuccessfulRescale,"
                   "\"New size: 2\"\n"
                   "120,Deployment,web,ScalingReplicaSet,Scaled up\n"},
};

#define FE_NFILES (sizeof(fe_files) / sizeof(fe_files[0]))

static char fe_dir[64];

static void fe_path(char *buf, size_t n, size_t i)
{
    snprintf(buf, n, "%s/%s", fe_dir, fe_files[i][0]);
}

static void fe_cleanup(void)
{
    char p[128];

    for (size_t i = 0; i < FE_NFILES; i++) {
        fe_path(p, sizeof(p), i);
        unlink(p);
    }
    rmdir(fe_dir);
}

/* Writes the run directory once; 0 or -1. */
static int fe_init(void)
{
    char p[128];

    snprintf(fe_dir, sizeof(fe_dir), "/tmp/capsim-fuzz-run-XXXXXX");
    if (mkdtemp(fe_dir) == NULL) {
        perror("fuzz_expect: mkdtemp");
        return -1;
    }
    atexit(fe_cleanup);
    for (size_t i = 0; i < FE_NFILES; i++) {
        FILE *f;

        fe_path(p, sizeof(p), i);
        f = fopen(p, "w");
        if (f == NULL || fputs(fe_files[i][1], f) == EOF || fclose(f) != 0) {
            perror(p);
            return -1;
        }
    }
    return 0;
}

static void fe_eval(struct cs_expect *e)
{
    struct cs_expect_result res;
    struct cs_err err;
    int rc;

    if (fe_dir[0] == '\0' && fe_init() < 0)
        abort();
    memset(&res, 0x5a, sizeof(res));
    cs_err_clear(&err);
    rc = cs_expect_eval_dir(&e, 1, fe_dir, &res, &err);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(res.outcome == CS_EXPECT_PASS || res.outcome == CS_EXPECT_FAIL ||
               res.outcome == CS_EXPECT_ERROR);
    FUZZ_CHECK(memchr(res.actual, '\0', sizeof(res.actual)) != NULL);
    FUZZ_CHECK(memchr(res.err.msg, '\0', sizeof(res.err.msg)) != NULL);
    FUZZ_CHECK((res.outcome == CS_EXPECT_ERROR) == (res.err.msg[0] != '\0'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cs_expect *e = (struct cs_expect *)&e; /* must become NULL */
    struct cs_err err;
    char *text;
    int rc;

    if (size > 4096) /* linear parser; long inputs add nothing */
        return 0;
    text = fuzz_strndup(data, size);
    if (text == NULL)
        return 0;
    cs_err_clear(&err);
    rc = cs_expect_parse(text, "fuzz.yaml", 3, 5, &e, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == CS_EPARSE || rc == CS_ENOMEM);
        FUZZ_CHECK(e == NULL && err.msg[0] != '\0');
        FUZZ_CHECK(err.line >= 3 && err.col >= 1);
    } else {
        FUZZ_CHECK(e != NULL && err.msg[0] == '\0');
        FUZZ_CHECK(strcmp(cs_expect_text(e), text) == 0);
        fe_eval(e);
    }
    cs_expect_destroy(e);
    free(text);
    return 0;
}
