/*
 * test_override.c - `--set PATH=VALUE` (io/override.h): the syntax of the
 * argument and each of its errors, then overrides applied by the scenario
 * loader as a user sees them: scenario keys, list items by index and by
 * name, keys and maps created, flow values, objects inline and in a
 * manifest file (a `kind: List` too), aliases left alone, and every error
 * with its exact text and location.
 */
#include "test_util.h"

#include "io/override.h"

#include <sys/stat.h>

/* Two pools sharing their capacity through an alias, an empty
 * clusterAutoscaler block, and Deployment `web` with HPA `web` inline. */
static const char base[] =
    "name: t\n"
    "duration: 1h\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - name: general\n"
    "      nodes: 2\n"
    "      capacity: &cap {cpu: 4, memory: 16Gi, pods: 110}\n"
    "    - name: gpu\n"
    "      minSize: 1\n"
    "      maxSize: 4\n"
    "      capacity: *cap\n"
    "clusterAutoscaler: {}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      replicas: 2\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - name: app\n"
    "              resources: {requests: {cpu: 200m, memory: 256Mi}}\n"
    "  - apiVersion: autoscaling/v2\n"
    "    kind: HorizontalPodAutoscaler\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
    "      minReplicas: 2\n"
    "      maxReplicas: 10\n"
    "workloads:\n"
    "  web:\n"
    "    cpuPerRequest: 2ms\n";

/* The error e as the CLI prints it, after "capsim: ". */
static const char *fmt_err(const struct cs_err *e)
{
    static char buf[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

    cs_err_format(e, buf, sizeof(buf));
    return buf;
}

static void parse_ok(const char *arg, struct cs_override *ov)
{
    struct cs_err err;

    cs_err_clear(&err);
    if (cs_override_parse(arg, ov, &err) < 0)
        fail_msg("%s: %s", arg, fmt_err(&err));
}

/* Load yaml (base_dir for manifest files) with the overrides args[0..n);
 * NULL with err filled on failure. */
static struct cs_scenario *load_with(const char *yaml, const char *base_dir,
                                     const char *const *args, size_t n,
                                     struct cs_err *err)
{
    struct cs_override ov[8];
    struct cs_scenario *sc;

    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++)
        parse_ok(args[i], &ov[i]);
    cs_err_clear(err);
    sc = cs_scenario_load_buffer_with("t.yaml", yaml, strlen(yaml), base_dir,
                                      ov, n, err);
    for (size_t i = 0; i < n; i++)
        cs_override_fini(&ov[i]);
    return sc;
}

static struct cs_scenario *load_ok(const char *yaml, const char *const *args,
                                   size_t n)
{
    struct cs_err err;
    struct cs_scenario *sc = load_with(yaml, "scenarios", args, n, &err);

    if (sc == NULL)
        fail_msg("%s", fmt_err(&err));
    return sc;
}

/* One override on base must fail with exactly msg. */
static void load_fails(const char *arg, const char *msg)
{
    struct cs_err err;
    struct cs_scenario *sc = load_with(base, "scenarios", &arg, 1, &err);

    if (sc != NULL)
        fail_msg("%s: loaded", arg);
    assert_string_equal(fmt_err(&err), msg);
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_scenario_path(void **state)
{
    struct cs_override ov;

    (void)state;
    parse_ok("cluster.nodePools[gpu].maxSize=8", &ov);
    assert_null(ov.kind);
    assert_string_equal(ov.label, "--set cluster.nodePools[gpu].maxSize=8");
    assert_string_equal(ov.arg, "cluster.nodePools[gpu].maxSize=8");
    assert_int_equal(ov.nsegs, 4);
    assert_int_equal(ov.segs[0].kind, CS_OSEG_KEY);
    assert_string_equal(ov.segs[0].text, "cluster");
    assert_int_equal(ov.segs[1].kind, CS_OSEG_KEY);
    assert_string_equal(ov.segs[1].text, "nodePools");
    assert_int_equal(ov.segs[1].col, 9);
    assert_int_equal(ov.segs[2].kind, CS_OSEG_NAME);
    assert_string_equal(ov.segs[2].text, "gpu");
    assert_int_equal(ov.segs[2].col, 18);
    assert_string_equal(ov.segs[3].text, "maxSize");
    assert_string_equal(ov.value, "8");
    assert_int_equal(ov.value_col, 32);
    cs_override_fini(&ov);

    parse_ok("a[2][0].b=x", &ov);
    assert_int_equal(ov.nsegs, 4);
    assert_int_equal(ov.segs[1].kind, CS_OSEG_INDEX);
    assert_int_equal(ov.segs[1].index, 2);
    assert_int_equal(ov.segs[2].kind, CS_OSEG_INDEX);
    assert_int_equal(ov.segs[2].index, 0);
    cs_override_fini(&ov);

    /* '=' in the value, escapes in the path, an empty value */
    parse_ok("clusterAutoscaler.args[0]=--expander=price", &ov);
    assert_string_equal(ov.value, "--expander=price");
    cs_override_fini(&ov);
    parse_ok("labels.app\\.kubernetes\\.io/name=web", &ov);
    assert_null(ov.kind);
    assert_int_equal(ov.nsegs, 2);
    assert_string_equal(ov.segs[1].text, "app.kubernetes.io/name");
    cs_override_fini(&ov);
    parse_ok("report.flapWindow=", &ov);
    assert_string_equal(ov.value, "");
    cs_override_fini(&ov);
    /* a zeroed override and a finished one can be finished again */
    cs_override_fini(&ov);
}

static void test_parse_object_path(void **state)
{
    static const struct {
        const char *arg, *kind;
    } cases[] = {
        {"hpa/backend.spec.maxReplicas=20", "HorizontalPodAutoscaler"},
        {"horizontalpodautoscaler/backend.spec.x=1", "HorizontalPodAutoscaler"},
        {"HorizontalPodAutoscaler/backend.spec.x=1", "HorizontalPodAutoscaler"},
        {"deploy/backend.spec.replicas=3", "Deployment"},
        {"deployment/backend.spec.replicas=3", "Deployment"},
        {"pdb/backend.spec.minAvailable=1", "PodDisruptionBudget"},
        {"poddisruptionbudget/backend.spec.x=1", "PodDisruptionBudget"},
        {"ds/backend.spec.x=1", "DaemonSet"},
        {"daemonset/backend.spec.x=1", "DaemonSet"},
        {"cj/backend.spec.x=1", "CronJob"},
        {"quota/backend.spec.x=1", "ResourceQuota"},
        {"pc/backend.value=1", "PriorityClass"},
        {"cm/backend.data.x=1", "ConfigMap"},
        {"Service/backend.spec.x=1", "Service"},
    };
    struct cs_override ov;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        parse_ok(cases[i].arg, &ov);
        assert_string_equal(ov.kind, cases[i].kind);
        assert_string_equal(ov.name, "backend");
        cs_override_fini(&ov);
    }
    parse_ok("hpa/backend.spec.maxReplicas=20", &ov);
    assert_int_equal(ov.nsegs, 2);
    assert_string_equal(ov.segs[0].text, "spec");
    assert_int_equal(ov.segs[0].col, 13);
    assert_string_equal(ov.segs[1].text, "maxReplicas");
    assert_int_equal(ov.value_col, 30);
    cs_override_fini(&ov);
    /* a name with dots, escaped */
    parse_ok("deployment/my\\.app.spec.replicas=3", &ov);
    assert_string_equal(ov.name, "my.app");
    assert_int_equal(ov.nsegs, 2);
    cs_override_fini(&ov);
}

static void test_parse_errors(void **state)
{
    static const struct {
        const char *arg, *msg;
    } cases[] = {
        {"x", "--set: expected PATH=VALUE, got \"x\""},
        {"a\\=b", "--set: expected PATH=VALUE, got \"a\\=b\""},
        {"=3", "--set =3: the path is empty"},
        {"a..b=1", "--set a..b=1: empty key in the path"},
        {"a.=1", "--set a.=1: empty key in the path"},
        {".a=1", "--set .a=1: empty key in the path"},
        {"a[1=1", "--set a[1=1: \"[\" without \"]\" in the path"},
        {"a[]=1", "--set a[]=1: empty [] in the path"},
        {"a[1]b=1",
         "--set a[1]b=1: expected \".\" or \"[\" after \"]\" in the path"},
        {"[0].a=1", "--set [0].a=1: the path must start with a key"},
        {"/web.spec=1", "--set /web.spec=1: no object kind before \"/\""},
        {"hpa/.spec=1", "--set hpa/.spec=1: no object name after \"hpa/\""},
        {"hpa/web=1", "--set hpa/web=1: the path names an object; add the "
                      "field to set (hpa/web.spec...)"},
        {"duration=[1h", "--set duration=[1h:1:13: did not find expected ',' "
                         "or ']' (while parsing a flow sequence at line 1, "
                         "column 10)"},
        {"name=\"abc", "--set name=\"abc:1:10: found unexpected end of stream "
                       "(while scanning a quoted scalar at line 1, column "
                       "6)"},
        {"name=a: b",
         "--set name=a: b: the value must be a scalar, a [list] or a {map}"},
        {"name=- a",
         "--set name=- a: the value must be a scalar, a [list] or a {map}"},
    };
    struct cs_override ov;
    struct cs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cs_err_clear(&err);
        memset(&ov, 0xff, sizeof(ov));
        /* CS_EPARSE for a value libyaml refuses, else CS_EINVAL */
        assert_true(cs_override_parse(cases[i].arg, &ov, &err) < 0);
        assert_string_equal(fmt_err(&err), cases[i].msg);
        assert_null(ov.segs); /* left empty */
        assert_null(ov.buf);
    }
}

static void test_parse_too_deep(void **state)
{
    char arg[2 * CS_OVERRIDE_MAX_PARTS + 8];
    struct cs_override ov;
    struct cs_err err;
    size_t n = 0;

    (void)state;
    for (int i = 0; i < CS_OVERRIDE_MAX_PARTS; i++) {
        arg[n++] = 'a';
        arg[n++] = '.';
    }
    memcpy(arg + n, "b=1", 4);
    cs_err_clear(&err);
    assert_int_equal(cs_override_parse(arg, &ov, &err), CS_EINVAL);
    assert_string_equal(err.msg, "the path has more than 256 parts");
    arg[n - 1] = '=';
    arg[n] = '1';
    arg[n + 1] = '\0'; /* exactly 256 parts */
    parse_ok(arg, &ov);
    assert_int_equal(ov.nsegs, CS_OVERRIDE_MAX_PARTS);
    cs_override_fini(&ov);
}

/* ---- scenario keys ------------------------------------------------------ */

static void test_scenario_keys(void **state)
{
    static const char *const args[] = {
        "duration=2h",
        "cluster.nodePools[gpu].maxSize=8",
        "cluster.nodePools[0].nodes=5",
        "workloads.web.cpuPerRequest=6ms",
        "seed=7",
    };
    struct cs_scenario *sc;

    (void)state;
    sc = load_ok(base, NULL, 0);
    assert_int_equal(sc->duration, 3600 * 1000);
    assert_int_equal(sc->pools[1].max_size, 4);
    assert_int_equal(sc->pools[0].nodes, 2);
    assert_true(fabs(sc->workloads[0].svc.cpu_s - 0.002) < 1e-12);
    cs_scenario_destroy(sc);

    sc = load_ok(base, args, 5);
    assert_int_equal(sc->duration, 2 * 3600 * 1000);
    assert_string_equal(sc->pools[1].name, "gpu");
    assert_int_equal(sc->pools[1].max_size, 8);
    assert_int_equal(sc->pools[0].nodes, 5);
    assert_true(fabs(sc->workloads[0].svc.cpu_s - 0.006) < 1e-12);
    assert_int_equal(sc->seed, 7);
    cs_scenario_destroy(sc);
}

/* Keys that do not exist yet are made, with the maps on their way. */
static void test_keys_created(void **state)
{
    static const char *const args[] = {
        "clusterAutoscaler.scale-down-unneeded-time=5m",
        "controllers.hpa.syncPeriod=30s",
        "name=renamed",
    };
    const char *at = strstr(base, "clusterAutoscaler: {}\n");
    char null_ca[sizeof(base) + 32];
    struct cs_scenario *sc;

    (void)state;
    assert_non_null(at);
    sc = load_ok(base, args, 3);
    assert_int_equal(sc->ca.unneeded_time, 5 * 60 * 1000);
    assert_int_equal(sc->hpa_cfg.sync_period, 30 * 1000);
    assert_string_equal(sc->name, "renamed");
    cs_scenario_destroy(sc);
    /* `clusterAutoscaler:` with no value (null) becomes a map too */
    snprintf(null_ca, sizeof(null_ca), "%.*sclusterAutoscaler:\n%s",
             (int)(at - base), base, at + strlen("clusterAutoscaler: {}\n"));
    sc = load_ok(null_ca, args, 1);
    assert_true(sc->ca.enabled);
    assert_int_equal(sc->ca.unneeded_time, 5 * 60 * 1000);
    cs_scenario_destroy(sc);
}

/* Flow lists and maps replace whole values; later overrides see earlier
 * ones. */
static void test_flow_values_and_order(void **state)
{
    static const char *const args[] = {
        "expect=[\"max(replicas) <= 3\", \"flaps == 0\"]",
        "expect[1]=dropped_requests == 0",
        "cluster.nodePools[general].labels={pool: general, team: web}",
        "duration=3h",
        "duration=90m",
    };
    struct cs_scenario *sc;

    (void)state;
    sc = load_ok(base, args, 5);
    assert_int_equal(sc->nexpects, 2);
    assert_string_equal(sc->expects[0].text, "max(replicas) <= 3");
    assert_string_equal(sc->expects[1].text, "dropped_requests == 0");
    assert_int_equal(sc->pools[0].nlabels, 2);
    assert_string_equal(sc->pools[0].labels[1].key, "team");
    assert_string_equal(sc->pools[0].labels[1].value, "web");
    assert_int_equal(sc->duration, 90 * 60 * 1000);
    cs_scenario_destroy(sc);
}

/* The pools share `capacity` through an alias: changing one pool's copy
 * leaves the other's alone. */
static void test_alias_not_shared(void **state)
{
    static const char *const args[] = {
        "cluster.nodePools[gpu].capacity.cpu=16",
    };
    struct cs_scenario *sc;

    (void)state;
    sc = load_ok(base, args, 1);
    assert_int_equal(sc->pools[1].allocatable.v[0], 16000);
    assert_int_equal(sc->pools[0].allocatable.v[0], 4000);
    cs_scenario_destroy(sc);
}

/* ---- objects -------------------------------------------------------- */

static void test_inline_objects(void **state)
{
    static const char *const args[] = {
        "hpa/web.spec.maxReplicas=20",
        "horizontalpodautoscaler/web.spec.behavior.scaleDown."
        "stabilizationWindowSeconds=60",
        "deployment/web.spec.replicas=3",
        "Deployment/web.spec.template.spec.containers[app].resources."
        "requests.cpu=500m",
    };
    struct cs_scenario *sc;

    (void)state;
    sc = load_ok(base, args, 4);
    assert_int_equal(sc->hpas[0].spec.max_replicas, 20);
    assert_true(sc->hpas[0].spec.has_behavior);
    assert_true(sc->hpas[0].spec.down.has_window);
    assert_int_equal(sc->hpas[0].spec.down.window_s, 60);
    assert_int_equal(sc->workloads[0].spec_replicas, 3);
    assert_int_equal(sc->workloads[0].spec.requests.v[0], 500);
    cs_scenario_destroy(sc);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Objects in a manifest file the scenario names, one of them inside a
 * `kind: List`. */
static void test_file_objects(void **state)
{
    static const char app[] =
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata: {name: api, labels: {app: api}}\n"
        "spec:\n"
        "  replicas: 2\n"
        "  template:\n"
        "    metadata: {labels: {app: api}}\n"
        "    spec:\n"
        "      containers: [{name: c, resources: {requests: {cpu: 100m}}}]\n"
        "---\n"
        "apiVersion: autoscaling/v2\n"
        "kind: HorizontalPodAutoscaler\n"
        "metadata: {name: api}\n"
        "spec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: "
        "api}\n"
        "  maxReplicas: 4\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "  - apiVersion: policy/v1\n"
        "    kind: PodDisruptionBudget\n"
        "    metadata: {name: api}\n"
        "    spec: {selector: {matchLabels: {app: api}}, minAvailable: 1}\n";
    static const char scen[] = "duration: 1h\n"
                               "cluster: {nodePools: [{name: a, nodes: 2, "
                               "capacity: {cpu: 4, memory: 8Gi}}]}\n"
                               "manifests: [app.yaml]\n";
    static const char *const args[] = {
        "hpa/api.spec.maxReplicas=8",
        "deploy/api.spec.replicas=5",
        "pdb/api.spec.minAvailable=3",
    };
    static const char *const bad[] = {"hpa/api.spec.maxReplicas=-1"};
    char *dir = tu_tmpdir(), path[600];
    struct cs_scenario *sc;
    struct cs_err err;

    (void)state;
    snprintf(path, sizeof(path), "%s/app.yaml", dir);
    write_file(path, app);
    sc = load_with(scen, dir, args, 3, &err);
    if (sc == NULL)
        fail_msg("%s", fmt_err(&err));
    assert_int_equal(sc->hpas[0].spec.max_replicas, 8);
    assert_int_equal(sc->workloads[0].spec_replicas, 5);
    assert_int_equal(sc->npdbs, 1);
    assert_int_equal(sc->pdbs[0].value, 3);
    cs_scenario_destroy(sc);
    /* without overrides, the file's values */
    sc = load_with(scen, dir, NULL, 0, &err);
    assert_non_null(sc);
    assert_int_equal(sc->hpas[0].spec.max_replicas, 4);
    assert_int_equal(sc->pdbs[0].value, 1);
    cs_scenario_destroy(sc);
    /* a bad value is located in the argument, not in the file */
    assert_null(load_with(scen, dir, bad, 1, &err));
    assert_string_equal(fmt_err(&err),
                        "--set hpa/api.spec.maxReplicas=-1:1:26: "
                        "HorizontalPodAutoscaler api.spec.maxReplicas must be "
                        "between 1 and 2147483647, got -1");
    unlink(path);
    rmdir(dir);
    free(dir);
}

/* ---- errors ------------------------------------------------------------- */

static void test_apply_errors(void **state)
{
    (void)state;
    load_fails("hpa/nope.spec.maxReplicas=3",
               "--set hpa/nope.spec.maxReplicas=3: no HorizontalPodAutoscaler "
               "named \"nope\" in the manifests");
    load_fails("service/web.spec.x=3",
               "--set service/web.spec.x=3: no service named \"web\" in the "
               "manifests");
    load_fails("cluster.nodePools[5].maxSize=8",
               "--set cluster.nodePools[5].maxSize=8: index 5 is out of range: "
               "cluster.nodePools has 2 items");
    load_fails("cluster.nodePools[99999999999999999999].maxSize=8",
               "--set cluster.nodePools[99999999999999999999].maxSize=8: index "
               "99999999999999999999 is out of range: cluster.nodePools has 2 "
               "items");
    load_fails("cluster.nodePools[gpux].maxSize=8",
               "--set cluster.nodePools[gpux].maxSize=8: cluster.nodePools has "
               "no item named \"gpux\" (names: general, gpu)");
    load_fails("hpa/web.spec.scaleTargetRef[x].name=y",
               "--set hpa/web.spec.scaleTargetRef[x].name=y: "
               "hpa/web.spec.scaleTargetRef is a map, not a list");
    load_fails("expect[0]=x",
               "--set expect[0]=x: expect is not set, so it has no item [0]");
    load_fails("duration.x=1", "--set duration.x=1: duration is a scalar, not "
                               "a map");
    load_fails("duration[0]=1", "--set duration[0]=1: duration is a scalar, "
                                "not a list");
    load_fails("cluster.nodePools.gpu=1",
               "--set cluster.nodePools.gpu=1: cluster.nodePools is a list: "
               "select an item with [INDEX] or [NAME]");
    load_fails("deployment/web.spec.template.spec.containers[0].name.x=1",
               "--set deployment/web.spec.template.spec.containers[0].name.x=1:"
               " deployment/web.spec.template.spec.containers[0].name is a "
               "scalar, not a map");
    load_fails("deployment/web.spec.template.spec.containers[db].image=x",
               "--set deployment/web.spec.template.spec.containers[db].image=x:"
               " deployment/web.spec.template.spec.containers has no item "
               "named \"db\" (names: app)");
    load_fails("workloads.web.startup[0]=1",
               "--set workloads.web.startup[0]=1: workloads.web.startup is not "
               "set, so it has no item [0]");
}

/* A value that fails validation gets the message it would have in the
 * file, located at the value in the argument; a key the override made, at
 * the key. */
static void test_validation_located(void **state)
{
    (void)state;
    load_fails("hpa/web.spec.maxReplicas=0",
               "--set hpa/web.spec.maxReplicas=0:1:26: HorizontalPodAutoscaler "
               "web.spec.maxReplicas must be between 1 and 2147483647, got 0");
    load_fails("duration=soon", "--set duration=soon:1:10: duration must be a "
                                "duration (e.g. 90s, 5m, 1h30m), got \"soon\"");
    load_fails("duration=", "--set duration=:1:10: duration must be a "
                            "duration (e.g. 90s, 5m, 1h30m), got \"\"");
    load_fails("cluster.nodePools[0].colour=red",
               "--set cluster.nodePools[0].colour=red:1:22: unknown key "
               "\"colour\" in cluster.nodePools[0]");
    load_fails("nmae=x", "--set nmae=x:1:1: unknown key \"nmae\" in scenario");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_scenario_path),
        cmocka_unit_test(test_parse_object_path),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_too_deep),
        cmocka_unit_test(test_scenario_keys),
        cmocka_unit_test(test_keys_created),
        cmocka_unit_test(test_flow_values_and_order),
        cmocka_unit_test(test_alias_not_shared),
        cmocka_unit_test(test_inline_objects),
        cmocka_unit_test(test_file_objects),
        cmocka_unit_test(test_apply_errors),
        cmocka_unit_test(test_validation_located),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
