/*
 * test_vpa_evict_admit.c - updatePolicy.evictionRequirements, the
 * updater's scaling-direction admission (upstream
 * updater/priority/scaling_direction_pod_eviction_admission_test.go,
 * TestAdmitForSingleContainer / TestAdmitForMultipleContainer): a pod
 * requesting 500m and 10Gi per container against various targets.
 */
#include "test_util.h"

#include "controllers/vpa_algo.h"

#define GI (1024LL * 1024 * 1024 * 1000) /* milli-bytes */
#define CPU (1u << CS_RES_CPU)
#define MEM (1u << CS_RES_MEMORY)

static struct cs_vpa_pod_container ctr(int64_t cpu_m, int64_t mem_gi)
{
    struct cs_vpa_pod_container c;

    memset(&c, 0, sizeof(c));
    c.req[CS_RES_CPU] = 500;
    c.req[CS_RES_MEMORY] = 10 * GI;
    c.req_set = CPU | MEM;
    c.target[CS_RES_CPU] = cpu_m;
    c.target[CS_RES_MEMORY] = mem_gi * GI;
    c.rec_set = CPU | MEM;
    return c;
}

static int admit1(int64_t cpu_m, int64_t mem_gi, const struct cs_vpa_evreq *r,
                  int nr)
{
    struct cs_vpa_pod_container c = ctr(cpu_m, mem_gi);

    return cs_vpa_eviction_admit(&c, 1, r, nr);
}

static void test_single_container(void **state)
{
    const struct cs_vpa_evreq cpu_up = {CPU, 1}, cpu_down = {CPU, 0};
    const struct cs_vpa_evreq mem_up = {MEM, 1}, mem_down = {MEM, 0};
    const struct cs_vpa_evreq both_up = {CPU | MEM, 1};
    const struct cs_vpa_evreq up_down[] = {cpu_up, mem_down};
    const struct cs_vpa_evreq up_up[] = {cpu_up, mem_up};
    struct cs_vpa_pod_container none;

    (void)state;
    /* no requirement: always */
    assert_true(admit1(600, 10, NULL, 0));
    /* a container without requests: always */
    memset(&none, 0, sizeof(none));
    none.target[CS_RES_CPU] = 600;
    none.rec_set = CPU | MEM;
    assert_true(cs_vpa_eviction_admit(&none, 1, &cpu_up, 1));
    assert_true(admit1(600, 10, &cpu_up, 1));
    assert_true(admit1(400, 10, &cpu_down, 1));
    assert_false(admit1(500, 10, &both_up, 1)); /* nothing goes up */
    assert_true(admit1(500, 11, &mem_up, 1));
    assert_true(admit1(500, 9, &mem_down, 1));
    assert_false(admit1(500, 9, &both_up, 1));
    assert_true(admit1(600, 9, up_down, 2));
    assert_false(admit1(1000, 9, &cpu_down, 1));
    assert_false(admit1(600, 9, up_up, 2)); /* memory goes down */
    /* one resource of a requirement is enough: upstream's code
     * ("passes if at least one of its resources satisfies") */
    assert_true(admit1(500, 11, &both_up, 1));
}

static void test_multiple_containers(void **state)
{
    const struct cs_vpa_evreq cpu_up = {CPU, 1};
    struct cs_vpa_pod_container c[2] = {ctr(400, 10), ctr(600, 10)};

    (void)state;
    /* the second container scales up: the pod is admitted */
    assert_true(cs_vpa_eviction_admit(c, 2, &cpu_up, 1));
    c[1] = ctr(500, 10);
    assert_false(cs_vpa_eviction_admit(c, 2, &cpu_up, 1));
    /* a resource without a recommendation has target 0 */
    c[0].rec_set = MEM;
    assert_false(cs_vpa_eviction_admit(c, 2, &cpu_up, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_container),
        cmocka_unit_test(test_multiple_containers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
