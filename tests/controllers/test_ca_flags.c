/*
 * test_ca_flags.c - the cluster autoscaler's flag table and value parser
 * (src/controllers/ca_flags.c).
 *
 * The table: every name unique and undashed, every default parses, the
 * defaults equal the spec's tables 7.1 and 7.2 (read from the spec itself
 * when /work/shared is there) and, by value, the upstream defaults of every
 * stored flag; docs/cluster-autoscaler.md names every flag. The parser:
 * each type, lists appending, the expander chain rules of spec 2.5, and
 * the exact message of every rejection.
 */
#include "test_util.h"

#include "controllers/ca.h"

#define SEC 1000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)

static void *test_alloc(void *ctx, size_t n)
{
    void **list = ctx; /* list[0] counts, list[1..] hold the blocks */
    size_t k = (size_t)list[0];
    void *p = calloc(1, n);

    assert_true(k < 63);
    list[1 + k] = p;
    list[0] = (void *)(k + 1);
    return p;
}

static void free_all(void **list)
{
    for (size_t i = 0; i < (size_t)list[0]; i++)
        free(list[1 + i]);
    list[0] = 0;
}

static const struct cs_ca_flag *flag(const char *name)
{
    for (size_t i = 0; i < cs_ca_nflags; i++)
        if (strcmp(cs_ca_flags[i].name, name) == 0)
            return &cs_ca_flags[i];
    return NULL;
}

static void test_table(void **state)
{
    struct cs_ca_config cfg;
    struct cs_err err;
    void *list[64] = {0};

    (void)state;
    assert_true(cs_ca_nflags >= 140);
    for (size_t i = 0; i < cs_ca_nflags; i++) {
        const struct cs_ca_flag *f = &cs_ca_flags[i];

        assert_true(f->name[0] != '-' && f->name[0] != '\0');
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->name, cs_ca_flags[j].name) == 0)
                fail_msg("flag %s is listed twice", f->name);
        /* stored flags are simulated; only estimator is simulated and
         * stored nowhere (binpacking is the only estimator) */
        if (f->offset != SIZE_MAX)
            assert_int_equal(f->simulated, 1);
        else if (f->simulated)
            assert_string_equal(f->name, "estimator");
        assert_true(f->type >= CS_CAF_BOOL && f->type <= CS_CAF_LIST);
        if (f->type == CS_CAF_LIST) {
            assert_string_equal(f->dflt, "[]");
            continue;
        }
        cs_ca_config_defaults(&cfg);
        cs_err_clear(&err);
        if (cs_ca_config_set(&cfg, f->name, f->dflt, test_alloc, list, &err) <
            0)
            fail_msg("default of %s: %s", f->name, err.msg);
    }
    free_all(list);
}

/* Every stored default, by value (spec table 7.1). */
static void test_defaults(void **state)
{
    struct cs_ca_config c;

    (void)state;
    memset(&c, 0x5a, sizeof(c));
    cs_ca_config_defaults(&c);
    assert_int_equal(c.enabled, 0);
    assert_int_equal(c.scan_interval, 10 * SEC);
    assert_int_equal(c.frequent_loops, 1);
    assert_int_equal(c.max_nodes_total, 0);
    assert_int_equal(c.cores_min, 0);
    assert_int_equal(c.cores_max, 320000);
    assert_int_equal(c.memory_min, 0);
    assert_int_equal(c.memory_max, 6400000);
    assert_int_equal(c.nexpander, 1);
    assert_int_equal(c.expander[0], CS_EXP_LEAST_WASTE);
    assert_null(c.priorities);
    assert_int_equal(c.npriorities, 0);
    assert_int_equal(c.new_pod_scale_up_delay, 0);
    assert_int_equal(c.max_nodes_per_scaleup, 1000);
    assert_int_equal(c.fastpath_binpacking, 0);
    assert_int_equal(c.balance_similar, 0);
    assert_null(c.balancing_ignore_labels);
    assert_int_equal(c.nbalancing_ignore_labels, 0);
    assert_null(c.balancing_labels);
    assert_int_equal(c.nbalancing_labels, 0);
    assert_true(c.memory_difference_ratio == 0.015);
    assert_true(c.max_allocatable_difference_ratio == 0.05);
    assert_true(c.max_free_difference_ratio == 0.05);
    assert_int_equal(c.max_node_provision_time, 15 * MIN);
    assert_int_equal(c.max_node_startup_time, 15 * MIN);
    assert_int_equal(c.backoff.initial, 5 * MIN);
    assert_int_equal(c.backoff.max, 30 * MIN);
    assert_int_equal(c.backoff.reset, 3 * HOUR);
    assert_int_equal(c.max_total_unready_percentage, 45);
    assert_int_equal(c.ok_total_unready_count, 3);
    assert_int_equal(c.scale_up_from_zero, 1);
    assert_int_equal(c.enforce_node_group_min_size, 0);
    assert_int_equal(c.expendable_pods_priority_cutoff, -10);
    assert_int_equal(c.scale_down_enabled, 1);
    assert_int_equal(c.delay_after_add, 10 * MIN);
    assert_int_equal(c.delay_after_delete, 0);
    assert_int_equal(c.delay_after_failure, 3 * MIN);
    assert_int_equal(c.delay_type_local, 0);
    assert_int_equal(c.unneeded_time, 10 * MIN);
    assert_int_equal(c.unready_time, 20 * MIN);
    assert_int_equal(c.unready_enabled, 1);
    assert_true(c.utilization_threshold == 0.5);
    assert_true(c.gpu_utilization_threshold == 0.5);
    assert_int_equal(c.ignore_daemonsets_utilization, 0);
    assert_int_equal(c.ignore_mirror_pods_utilization, 0);
    assert_int_equal(c.non_empty_candidates_count, 30);
    assert_true(c.candidates_pool_ratio == 0.1);
    assert_int_equal(c.candidates_pool_min_count, 50);
    assert_int_equal(c.unremovable_recheck, 5 * MIN);
    assert_int_equal(c.max_scale_down_parallelism, 10);
    assert_int_equal(c.max_drain_parallelism, 1);
    assert_int_equal(c.max_graceful_termination_s, 600);
    assert_int_equal(c.max_pod_eviction_time, 2 * MIN);
    assert_int_equal(c.delete_delay_after_taint, 5 * SEC);
    assert_int_equal(c.cordon_before_terminating, 1);
    assert_int_equal(c.ds_eviction_empty, 0);
    assert_int_equal(c.ds_eviction_occupied, 1);
    assert_int_equal(c.skip_nodes_with_system_pods, 1);
    assert_int_equal(c.blocking_system_pod_timeout, HOUR);
    assert_int_equal(c.skip_nodes_with_local_storage, 1);
    assert_int_equal(c.skip_nodes_with_custom_controller_pods, 1);
    assert_int_equal(c.min_replica_count, 0);
    assert_int_equal(c.max_bulk_soft_taint_count, 10);
    assert_int_equal(c.force_delete_unregistered, 0);
}

/* A spec table cell as the table's default text: "—" is empty, a
 * parenthesis ("0 (no limit)", "15m (per NG)") is dropped, U+2212 is a
 * minus sign. */
static void spec_default(const char *cell, char *out, size_t n)
{
    const char *paren = strstr(cell, " (");
    size_t len = paren ? (size_t)(paren - cell) : strlen(cell);

    if (strcmp(cell, "\xe2\x80\x94") == 0)
        len = 0;
    if (len >= 3 && memcmp(cell, "\xe2\x88\x92", 3) == 0) {
        snprintf(out, n, "-%.*s", (int)len - 3, cell + 3);
        return;
    }
    snprintf(out, n, "%.*s", (int)len, cell);
}

/* One row "| a / b | d1 / d2 | ..." of table 7.1 or 7.2: each name must
 * be in the table with the matching default (one default for all names
 * when the cell has no " / "). Returns the names checked. */
static int check_row(char *row)
{
    char *cells[3] = {0}, *p = row + 1, names[256], dflts[256], want[128];
    int nc = 0, checked = 0;

    while (nc < 3 && (cells[nc] = p) != NULL) {
        char *bar = strstr(p, " |");

        if (bar == NULL)
            break;
        *bar = '\0';
        p = bar + 2;
        nc++;
    }
    if (nc < 2)
        return 0;
    snprintf(names, sizeof(names), "%s", cells[0] + 1);
    snprintf(dflts, sizeof(dflts), "%s", cells[1] + 1);
    for (char *nm = names, *df = dflts; nm != NULL;) {
        char *nsep = strstr(nm, " / "), *dsep = strstr(df, " / ");
        const struct cs_ca_flag *f;

        if (nsep == NULL && (nsep = strstr(nm, ", ")) != NULL)
            *nsep = '\0', nsep += 2;
        else if (nsep != NULL)
            *nsep = '\0', nsep += 3;
        if (dsep != NULL)
            *dsep = '\0';
        spec_default(df, want, sizeof(want));
        f = flag(nm);
        if (f == NULL)
            fail_msg("spec flag %s is not in cs_ca_flags", nm);
        if (strcmp(f->dflt, want) != 0)
            fail_msg("--%s: table default \"%s\", spec \"%s\"", nm, f->dflt,
                     want);
        checked++;
        nm = nsep;
        if (dsep != NULL)
            df = dsep + 3;
    }
    return checked;
}

static void test_spec_tables(void **state)
{
    const char *shared = getenv("CAPSIM_SHARED_DIR");
    char path[512], *text, *line, *end;
    int in = 0, checked = 0;

    (void)state;
    if (shared == NULL)
        skip();
    snprintf(path, sizeof(path), "%s/specs/CLUSTER_AUTOSCALER_SPEC.md", shared);
    if (access(path, R_OK) != 0)
        skip();
    text = tu_slurp(path, NULL);
    for (line = text; *line; line = end + 1) {
        end = strchr(line, '\n');
        if (end == NULL)
            break;
        *end = '\0';
        if (strncmp(line, "### 7.1", 7) == 0 ||
            strncmp(line, "### 7.2", 7) == 0)
            in = 1;
        else if (strncmp(line, "### 7.3", 7) == 0 ||
                 strncmp(line, "Leader-election", 15) == 0)
            in = 0;
        else if (in && line[0] == '|' && strncmp(line, "| Flag", 6) != 0 &&
                 strncmp(line, "|---", 4) != 0)
            checked += check_row(line);
    }
    free(text);
    assert_int_equal(checked, 136);
}

/* docs/cluster-autoscaler.md lists every flag as `name`. */
static void test_doc_lists_every_flag(void **state)
{
    char *doc, want[128];

    (void)state;
    doc = tu_slurp("docs/cluster-autoscaler.md", NULL);
    for (size_t i = 0; i < cs_ca_nflags; i++) {
        snprintf(want, sizeof(want), "`%s`", cs_ca_flags[i].name);
        if (strstr(doc, want) == NULL)
            fail_msg("docs/cluster-autoscaler.md does not list %s", want);
    }
    free(doc);
}

static int set(struct cs_ca_config *c, const char *name, const char *value,
               void **list, struct cs_err *err)
{
    cs_err_clear(err);
    return cs_ca_config_set(c, name, value, test_alloc, list, err);
}

static void test_set_values(void **state)
{
    struct cs_ca_config c;
    struct cs_err err;
    void *list[64] = {0};

    (void)state;
    cs_ca_config_defaults(&c);
    assert_int_equal(set(&c, "scan-interval", "1h30m", list, &err), 0);
    assert_int_equal(c.scan_interval, 90 * MIN);
    assert_int_equal(set(&c, "scale-down-delay-after-add", "0s", list, &err),
                     0);
    assert_int_equal(c.delay_after_add, 0);
    assert_int_equal(set(&c, "scale-down-enabled", "false", list, &err), 0);
    assert_int_equal(c.scale_down_enabled, 0);
    assert_int_equal(set(&c, "scale-down-enabled", "T", list, &err), 0);
    assert_int_equal(c.scale_down_enabled, 1);
    assert_int_equal(
        set(&c, "expendable-pods-priority-cutoff", "-100", list, &err), 0);
    assert_int_equal(c.expendable_pods_priority_cutoff, -100);
    assert_int_equal(
        set(&c, "scale-down-utilization-threshold", "0.65", list, &err), 0);
    assert_true(c.utilization_threshold == 0.65);
    assert_int_equal(set(&c, "cores-total", "8:64", list, &err), 0);
    assert_int_equal(c.cores_min, 8);
    assert_int_equal(c.cores_max, 64);
    assert_int_equal(set(&c, "memory-total", "16:256", list, &err), 0);
    assert_int_equal(c.memory_min, 16);
    assert_int_equal(c.memory_max, 256);
    /* lists append, repeated or comma-separated */
    assert_int_equal(
        set(&c, "balancing-ignore-label", "a.io/x,b.io/y", list, &err), 0);
    assert_int_equal(set(&c, "balancing-ignore-label", "c", list, &err), 0);
    assert_int_equal(c.nbalancing_ignore_labels, 3);
    assert_string_equal(c.balancing_ignore_labels[0], "a.io/x");
    assert_string_equal(c.balancing_ignore_labels[1], "b.io/y");
    assert_string_equal(c.balancing_ignore_labels[2], "c");
    /* accepted, stored nowhere */
    assert_int_equal(set(&c, "cloud-provider", "aws", list, &err), 0);
    assert_int_equal(set(&c, "kube-client-qps", "20", list, &err), 0);
    assert_int_equal(set(&c, "nodes", "1:10:my-asg", list, &err), 0);
    assert_int_equal(set(&c, "estimator", "binpacking", list, &err), 0);
    /* klog's flags */
    assert_int_equal(set(&c, "v", "4", list, &err), 0);
    assert_int_equal(set(&c, "logtostderr", "true", list, &err), 0);
    free_all(list);
}

static void test_expander_chain(void **state)
{
    struct cs_ca_config c;
    struct cs_err err;

    (void)state;
    cs_ca_config_defaults(&c);
    assert_int_equal(set(&c, "expander", "priority,least-waste", NULL, &err),
                     0);
    assert_int_equal(c.nexpander, 2);
    assert_int_equal(c.expander[0], CS_EXP_PRIORITY);
    assert_int_equal(c.expander[1], CS_EXP_LEAST_WASTE);
    assert_int_equal(set(&c, "expander",
                         "price,priority,most-pods,least-nodes,least-waste,"
                         "random",
                         NULL, &err),
                     0);
    assert_int_equal(c.nexpander, 6);
    assert_int_equal(c.expander[5], CS_EXP_RANDOM);
    assert_int_equal(set(&c, "expander", "random", NULL, &err), 0);
    assert_int_equal(c.nexpander, 1);
    assert_int_equal(c.expander[0], CS_EXP_RANDOM);
}

struct reject {
    const char *name, *value, *msg;
};

static void test_rejections(void **state)
{
    static const struct reject t[] = {
        {"scan-intervall", "10s",
         "unknown cluster-autoscaler flag \"--scan-intervall\" (did you mean "
         "\"--scan-interval\"?)"},
        {"turbo", "true", "unknown cluster-autoscaler flag \"--turbo\""},
        {"max-empty-bulk-delete", "10",
         "cluster-autoscaler flag \"--max-empty-bulk-delete\" was removed "
         "upstream (use --max-scale-down-parallelism)"},
        {"scale-down-enabled", "yes",
         "--scale-down-enabled must be true or false, got \"yes\""},
        {"max-nodes-total", "1.5",
         "--max-nodes-total must be an integer, got \"1.5\""},
        {"max-nodes-total", "3000000000",
         "--max-nodes-total must be an integer, got \"3000000000\""},
        {"scale-down-utilization-threshold", "-0.1",
         "--scale-down-utilization-threshold must be a non-negative number, "
         "got \"-0.1\""},
        {"scale-down-unneeded-time", "ten",
         "--scale-down-unneeded-time must be a duration (e.g. 10s, 1m30s), "
         "got \"ten\""},
        {"scan-interval", "0s", "--scan-interval must be positive, got \"0s\""},
        {"cores-total", "10",
         "--cores-total must be min:max with 0 <= min <= "
         "max (e.g. 0:320000), got \"10\""},
        {"memory-total", "64:16",
         "--memory-total must be min:max with 0 <= "
         "min <= max (e.g. 0:320000), got \"64:16\""},
        {"expander", "fastest",
         "--expander: unknown expander \"fastest\" (use random, most-pods, "
         "least-nodes, least-waste, price or priority)"},
        {"expander", "",
         "--expander: unknown expander \"\" (use random, most-pods, "
         "least-nodes, least-waste, price or priority)"},
        {"expander", "least-waste,priority,least-waste",
         "--expander: \"least-waste\" is named twice"},
        {"expander", "random,least-waste",
         "--expander: nothing may follow \"random\" (it always picks one "
         "option), got \"least-waste\" after it"},
        {"expander", "priority,grpc",
         "--expander: the grpc expander is not simulated"},
        {"estimator", "oldbinpacking",
         "--estimator must be binpacking (the only estimator), got "
         "\"oldbinpacking\""},
    };
    struct cs_ca_config c, before;
    struct cs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        cs_ca_config_defaults(&c);
        assert_int_equal(set(&c, t[i].name, t[i].value, NULL, &err), CS_EINVAL);
        assert_string_equal(err.msg, t[i].msg);
        assert_int_equal(err.line, 0);
    }
    /* a rejected expander chain leaves the old one */
    cs_ca_config_defaults(&c);
    before = c;
    assert_int_equal(set(&c, "expander", "priority,random,price", NULL, &err),
                     CS_EINVAL);
    assert_int_equal(c.nexpander, before.nexpander);
    assert_int_equal(c.expander[0], before.expander[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_spec_tables),
        cmocka_unit_test(test_doc_lists_every_flag),
        cmocka_unit_test(test_set_values),
        cmocka_unit_test(test_expander_chain),
        cmocka_unit_test(test_rejections),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
