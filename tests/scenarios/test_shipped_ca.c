/*
 * test_shipped_ca.c - the shipped node and cluster-autoscaler scenarios
 * end as their header comments say:
 *
 *   ca-scale-up-1000   one scale-up of 1000 nodes; 1001 Ready nodes, all
 *                      full, no pod Pending
 *   ca-two-bursts      700 nodes after the first burst, 1000 after the
 *                      second, no pod Pending
 *   flash-sale-ca      the group grows for the sale and shrinks after it
 *   gpu-inference      the GPU group scales from zero
 *   spot-fallback      the reclaim at 14:00, the stockout's failed creates,
 *                      and the on-demand fallback
 */
#include "test_util.h"

struct out {
    char *dir;
    struct tu_table ev, nodes, tl;
};

static void run(struct out *o, const char *name)
{
    tu_run_shipped(name, &o->dir, &o->tl, &o->ev, &o->nodes);
}

static void done(struct out *o)
{
    tu_free_csv(&o->ev);
    tu_free_csv(&o->nodes);
    tu_free_csv(&o->tl);
    tu_rmdir(o->dir);
    free(o->dir);
}

/* Column col of the last nodes.csv row of pool. */
static long last_node(const struct out *o, const char *pool, const char *col)
{
    size_t cp = tu_col(&o->nodes, "pool"), cc = tu_col(&o->nodes, col);
    const char *v = NULL;

    for (size_t i = 1; i < o->nodes.nrows; i++)
        if (strcmp(o->nodes.rows[i][cp], pool) == 0)
            v = o->nodes.rows[i][cc];
    assert_non_null(v);
    return strtol(v, NULL, 10);
}

/* Max of col over pool's rows. */
static long max_node(const struct out *o, const char *pool, const char *col)
{
    size_t cp = tu_col(&o->nodes, "pool"), cc = tu_col(&o->nodes, col);
    long m = -1;

    for (size_t i = 1; i < o->nodes.nrows; i++)
        if (strcmp(o->nodes.rows[i][cp], pool) == 0 &&
            strtol(o->nodes.rows[i][cc], NULL, 10) > m)
            m = strtol(o->nodes.rows[i][cc], NULL, 10);
    return m;
}

/* Events with this reason (and object prefix, "" for any). */
static int count_events(const struct out *o, const char *reason,
                        const char *object)
{
    size_t cr = tu_col(&o->ev, "reason"), co = tu_col(&o->ev, "object");
    int n = 0;

    for (size_t i = 1; i < o->ev.nrows; i++)
        n += strcmp(o->ev.rows[i][cr], reason) == 0 &&
             strncmp(o->ev.rows[i][co], object, strlen(object)) == 0;
    return n;
}

/* The last timeline value of col summed over workloads. */
static long last_pending(const struct out *o)
{
    size_t ct = tu_col(&o->tl, "time_s"), cc = tu_col(&o->tl, "pending_pods");
    const char *t = o->tl.rows[o->tl.nrows - 1][ct];
    long sum = 0;

    for (size_t i = 1; i < o->tl.nrows; i++)
        if (strcmp(o->tl.rows[i][ct], t) == 0)
            sum += strtol(o->tl.rows[i][cc], NULL, 10);
    return sum;
}

static void test_scale_up_1000(void **state)
{
    struct out o;

    (void)state;
    run(&o, "ca-scale-up-1000");
    assert_int_equal(count_events(&o, "ScaledUpGroup", "general"), 1);
    assert_int_equal(last_node(&o, "general", "nodes_ready"), 1001);
    assert_int_equal(last_node(&o, "general", "cpu_requested_pct"), 100);
    assert_int_equal(last_pending(&o), 0);
    done(&o);
}

static void test_two_bursts(void **state)
{
    struct out o;
    size_t ct, cp, cc;
    long at19 = -1;

    (void)state;
    run(&o, "ca-two-bursts");
    ct = tu_col(&o.nodes, "time_s");
    cp = tu_col(&o.nodes, "pool");
    cc = tu_col(&o.nodes, "nodes_ready");
    for (size_t i = 1; i < o.nodes.nrows; i++)
        if (strcmp(o.nodes.rows[i][ct], "1140") == 0 &&
            strcmp(o.nodes.rows[i][cp], "general") == 0)
            at19 = strtol(o.nodes.rows[i][cc], NULL, 10);
    assert_int_equal(at19, 700);
    assert_int_equal(last_node(&o, "general", "nodes_ready"), 1000);
    assert_int_equal(last_pending(&o), 0);
    done(&o);
}

static void test_flash_sale_ca(void **state)
{
    struct out o;

    (void)state;
    run(&o, "flash-sale-ca");
    assert_true(count_events(&o, "ScaledUpGroup", "general") >= 1);
    assert_true(max_node(&o, "general", "nodes") > 2);
    assert_true(last_node(&o, "general", "nodes") <
                max_node(&o, "general", "nodes"));
    assert_true(count_events(&o, "NodeDeleted", "general-") >= 1);
    assert_int_equal(last_pending(&o), 0);
    done(&o);
}

static void test_gpu_inference(void **state)
{
    struct out o;
    size_t cp, cc;

    (void)state;
    run(&o, "gpu-inference");
    cp = tu_col(&o.nodes, "pool");
    cc = tu_col(&o.nodes, "nodes");
    /* the first row of the GPU pool: empty */
    for (size_t i = 1; i < o.nodes.nrows; i++)
        if (strcmp(o.nodes.rows[i][cp], "gpu-a10") == 0) {
            assert_string_equal(o.nodes.rows[i][cc], "0");
            break;
        }
    assert_true(max_node(&o, "gpu-a10", "nodes") >= 3);
    assert_int_equal(count_events(&o, "ScaledUpGroup", "system"), 0);
    assert_int_equal(last_pending(&o), 0);
    done(&o);
}

static void test_spot_fallback(void **state)
{
    struct out o;

    (void)state;
    run(&o, "spot-fallback");
    assert_true(count_events(&o, "SpotInterruption", "spot-a-") >= 3);
    assert_true(count_events(&o, "ScaleUpFailed", "spot-a") >= 1);
    assert_true(count_events(&o, "ScaledUpGroup", "on-demand") >= 1);
    assert_true(max_node(&o, "on-demand", "nodes_ready") >= 1);
    assert_int_equal(last_pending(&o), 0);
    done(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_up_1000),
        cmocka_unit_test(test_two_bursts),
        cmocka_unit_test(test_flash_sale_ca),
        cmocka_unit_test(test_gpu_inference),
        cmocka_unit_test(test_spot_fallback),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
