/*
 * test_kubectl.c - the kubectl commands of a CronJob container into
 * actions: every accepted form of kubectl scale, patch and set resources,
 * directly or in sh -c scripts, gives its exact actions; every rejected
 * form gives its exact message at its exact LINE:COL of c.yaml. Patches
 * of a VerticalPodAutoscaler are in test_kubectl_vpa.c.
 *
 * The words are loaded from small YAML documents (a sequence of words, or
 * a container mapping with command and args), so locations are real
 * (kubectl_fixture.h). The tables are data-driven: a document and the
 * actions it gives, written as describe() prints them, or the error it
 * gives.
 */
#include "kubectl_fixture.h"

/* Message parts that many cases share. */
#define SUPPORTED                                                              \
    "capsim reads kubectl scale, kubectl patch and kubectl set resources"
#define PATHS                                                                  \
    "(capsim patches /spec/minReplicas, /spec/maxReplicas and "                \
    "/spec/metrics/N/resource/target/averageUtilization)"
#define HINT "(write deployment/NAME or deployment NAME)"

static void test_scale(void **state)
{
    static const struct ok_case t[] = {
        {"[kubectl, scale, deployment/shop, --replicas=6]", "scale shop 6"},
        {"[kubectl, scale, deployment, shop, --replicas, '6']", "scale shop 6"},
        {"[kubectl, scale, deploy/shop, --replicas=6]", "scale shop 6"},
        {"[kubectl, scale, deployments/shop, --replicas=6]", "scale shop 6"},
        {"[kubectl, scale, deployment.apps/shop, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, scale, deployments.apps, shop, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, scale, deployment.v1.apps/shop, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, scale, Deployment/shop, --replicas=6]", "scale shop 6"},
        {"[kubectl, scale, --replicas=6, deploy/shop]", "scale shop 6"},
        {"[kubectl, scale, deploy/shop, --replicas=5, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, scale, deploy/shop, --replicas=+6]", "scale shop 6"},
        {"[/usr/local/bin/kubectl, scale, deploy/shop, --replicas=6]",
         "scale shop 6"},
        {"[/usr/bin/env, kubectl, scale, deploy/shop, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, scale, deploy/shop, --replicas=0]", "scale shop 0"},
        {"[kubectl, scale, deploy/shop, --replicas=2147483647]",
         "scale shop 2147483647"},
        /* several names: one action each, in order */
        {"[kubectl, scale, deploy, a, b, c, --replicas=2]",
         "scale a 2; scale b 2; scale c 2"},
        {"[kubectl, scale, deploy/a, deployment.apps/b, --replicas=4]",
         "scale a 4; scale b 4"},
        /* global flags anywhere, in every spelling */
        {"[kubectl, -n, prod, scale, deploy/shop, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, scale, deploy/shop, --replicas=6, --namespace=prod]",
         "scale shop 6"},
        {"[kubectl, --namespace, prod, scale, deploy/shop, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, scale, -nprod, deploy/shop, -n=prod, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, --context, c1, --kubeconfig=/k, scale, deploy/shop,"
         " --request-timeout, 5s, --replicas=6]",
         "scale shop 6"},
        {"[kubectl, -v, '6', scale, deploy/shop, -v=2, --v=4, -v9,"
         " --replicas=6]",
         "scale shop 6"},
    };

    (void)state;
    CHECK(check_ok, t);
}

static void test_patch(void **state)
{
    static const struct ok_case t[] = {
        {"[kubectl, patch, hpa, shop, -p,"
         " '{\"spec\":{\"minReplicas\":6,\"maxReplicas\":20}}']",
         "hpa shop min=6 max=20"},
        {"[kubectl, patch, hpa/shop, --type=merge,"
         " '--patch={\"spec\":{\"maxReplicas\":9}}']",
         "hpa shop max=9"},
        {"[kubectl, patch, horizontalpodautoscaler, shop, --type, strategic,"
         " '-p={\"spec\":{\"minReplicas\":0}}']",
         "hpa shop min=0"},
        /* YAML patches, as kubectl takes them */
        {"[kubectl, patch, horizontalpodautoscalers.autoscaling, shop, -p,"
         " \"spec:\\n  minReplicas: 2\\n  maxReplicas: 3\\n\"]",
         "hpa shop min=2 max=3"},
        {"[kubectl, patch, hpa.autoscaling/shop, -p, '{spec: {maxReplicas: "
         "4}}']",
         "hpa shop max=4"},
        {"[kubectl, patch, HPA.v2.autoscaling/shop, -p,"
         " '{\"spec\":{\"minReplicas\":3,\"maxReplicas\":3}}']",
         "hpa shop min=3 max=3"},
        /* JSON patches; a later operation on the same field wins */
        {"[kubectl, patch, hpa/shop, --type=json, -p, '[{\"op\":\"replace\","
         "\"path\":\"/spec/metrics/1/resource/target/averageUtilization\","
         "\"value\":60},{\"op\":\"add\",\"path\":\"/spec/maxReplicas\","
         "\"value\":30}]']",
         "hpa shop max=30 util=60@1"},
        {"[kubectl, patch, hpa, shop, --type, json, -p, '[{\"op\":\"replace\","
         "\"path\":\"/spec/minReplicas\",\"value\":2},{\"op\":\"replace\","
         "\"path\":\"/spec/minReplicas\",\"value\":5},{\"op\":\"replace\","
         "\"path\":\"/spec/metrics/0/resource/target/averageUtilization\","
         "\"value\":70},{\"op\":\"replace\","
         "\"path\":\"/spec/metrics/0/resource/target/averageUtilization\","
         "\"value\":75}]']",
         "hpa shop min=5 util=75@0"},
        {"[kubectl, patch, hpa, shop, --type, json, -p, '[{\"op\":\"add\","
         "\"path\":\"/spec/metrics/12/resource/target/averageUtilization\","
         "\"value\":1000000}]']",
         "hpa shop util=1000000@12"},
        /* a Deployment's spec.replicas: a scale */
        {"[kubectl, patch, deployment, shop, -p,"
         " '{\"spec\":{\"replicas\":3}}']",
         "scale shop 3"},
        {"[kubectl, patch, deploy/shop, --type=merge, -p,"
         " '{\"spec\":{\"replicas\":0}}']",
         "scale shop 0"},
        {"[kubectl, patch, deployment/shop, --type=json, -p,"
         " '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]']",
         "scale shop 4"},
    };

    (void)state;
    CHECK(check_ok, t);
}

static void test_set_resources(void **state)
{
    static const struct ok_case t[] = {
        {"[kubectl, set, resources, deployment, shop, -c, app,"
         " '--requests=cpu=500m,memory=512Mi']",
         "resources shop app req:cpu=500,memory=536870912000"},
        {"[kubectl, set, resources, deploy/a, deployment/b, --containers=app,"
         " --limits, 'cpu=2,nvidia.com/gpu=1', --requests, cpu=0]",
         "resources a app req:cpu=0 lim:cpu=2000,nvidia.com/gpu=1000; "
         "resources b app req:cpu=0 lim:cpu=2000,nvidia.com/gpu=1000"},
        /* -c '*' and no -c both mean every container */
        {"[kubectl, set, resources, deploy/a, -c, '*', --limits=memory=1Gi]",
         "resources a * lim:memory=1073741824000"},
        {"[kubectl, set, resources, deploy/a,"
         " '--requests=a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8m']",
         "resources a * req:a=1000,b=2000,c=3000,d=4000,e=5000,f=6000,"
         "g=7000,h=8"},
    };

    (void)state;
    CHECK(check_ok, t);
}

/* The three examples of a pre-scaling CronJob, and every way of starting a
 * shell on a script. */
static void test_shells(void **state)
{
    static const struct ok_case t[] = {
        {"name: scale\n"
         "image: bitnami/kubectl\n"
         "command: [\"kubectl\", \"scale\", \"deployment/shop\","
         " \"--replicas=6\"]\n",
         "scale shop 6"},
        {"command: [\"/bin/sh\", \"-c\"]\n"
         "args: [\"kubectl patch hpa shop -p "
         "'{\\\"spec\\\":{\\\"minReplicas\\\":6,\\\"maxReplicas\\\":20}}' "
         "&& echo done\"]\n",
         "hpa shop min=6 max=20"},
        {"args: [\"kubectl\", \"set\", \"resources\", \"deployment\", \"shop\","
         " \"-c\", \"app\", \"--requests=cpu=500m,memory=512Mi\"]\n",
         "resources shop app req:cpu=500,memory=536870912000"},
        {"[sh, -c, kubectl scale deploy/shop --replicas=6]", "scale shop 6"},
        {"[bash, -c, kubectl scale deploy/shop --replicas=6]", "scale shop 6"},
        {"[/bin/sh, -ec, kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
        {"[/bin/bash, -xc, kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
        {"[/bin/sh, -euc, kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
        {"[sh, -ce, kubectl scale deploy/shop --replicas=6]", "scale shop 6"},
        {"[/usr/bin/env, sh, -c, kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
        {"[env, bash, -e, -c, kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
        {"[bash, -o, pipefail, -c, kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
        {"[bash, --login, +x, -c, kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
        {"[sh, -c, kubectl scale deploy/shop --replicas=6, sh, extra]",
         "scale shop 6"},
        {"[dash, -c, /usr/local/bin/kubectl scale deploy/shop --replicas=6]",
         "scale shop 6"},
    };

    (void)state;
    CHECK(check_ok, t);
}

/* ; && newline run the next command, || skips it, comments and
 * continuations are blanks, ignored programs may expand anything; actions
 * come in the order the commands run. Quotes and escapes as sh removes
 * them. */
static void test_scripts(void **state)
{
    static const struct ok_case t[] = {
        {"command: [sh, -c]\n"
         "args:\n"
         "  - |\n"
         "    set -euo pipefail   # strict\n"
         "    date\n"
         "    # scale the shop up for the sale\n"
         "    kubectl scale deploy/a --replicas=1; kubectl scale deploy/b \\\n"
         "        --replicas=2 && echo \"at $(date) by $USER\" `hostname` *\n"
         "\n"
         "    kubectl scale deploy/c --replicas=3 || kubectl scale deploy/x "
         "--replicas=9 || exit 1\n"
         "    true && kubectl scale deploy/d --replicas=4 &&\n"
         "      echo ok\n",
         "scale a 1; scale b 2; scale c 3; scale d 4"},
        {"[sh, -c, 'kubectl scale deploy/a --replicas=1 || "
         "kubectl scale deploy/b --replicas=2 && "
         "kubectl scale deploy/c --replicas=3']",
         "scale a 1; scale c 3"},
        {"[sh, -c, \"kubectl scale 'deploy'/\\\"shop\\\" --replicas='6'\"]",
         "scale shop 6"},
        {"[sh, -c, 'kubectl scale de\\ploy/sh\"\"op --replicas=\\6']",
         "scale shop 6"},
        /* in "...", only \" \\ \$ \` and \newline are escapes, and a $
         * before a non-name is literal */
        {"[sh, -c, 'kubectl scale \"deploy/a\\$b\\\\c\\`d\\e$\" "
         "--replicas=1']",
         "scale a$b\\c`d\\e$ 1"},
        {"[sh, -c, 'kubectl scale deploy/a#b --replicas=1 #--replicas=2']",
         "scale a#b 1"},
        {"[sh, -c, \"kubectl scale deploy/x --replicas=\\\"1\\\\\\n2\\\"\"]",
         "scale x 12"},
    };

    (void)state;
    CHECK(check_ok, t);
}

/* At most max actions; *nout is set only on success. */
static void test_limit(void **state)
{
    struct run r;

    (void)state;
    run(&r, "[kubectl, scale, deploy, a, b, c, --replicas=1]", 3);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 3);
    done(&r);
    run(&r, "[kubectl, scale, deploy, a, b, c, --replicas=1]", 2);
    assert_int_equal(r.rc, CS_ELIMIT);
    assert_int_equal(r.n, NOUT_UNSET);
    assert_string_equal(r.msg, "c.yaml:1:32: \"kubectl scale deploy a b c "
                               "--replicas=1\": more than 2 actions in one "
                               "CronJob");
    done(&r);
    run(&r,
        "[sh, -c, 'kubectl scale deploy/a --replicas=1\n\n"
        "  kubectl scale deploy/b --replicas=1']",
        1);
    assert_int_equal(r.rc, CS_ELIMIT);
    assert_string_equal(r.msg, "c.yaml:1:10: \"kubectl scale deploy/b "
                               "--replicas=1\": more than 1 actions in one "
                               "CronJob");
    done(&r);
}

static void test_no_words(void **state)
{
    struct cs_action out[1];
    struct cs_err err;
    char buf[512];
    size_t n = NOUT_UNSET;

    (void)state;
    assert_int_equal(cs_kubectl_parse(NULL, NULL, 0, out, 1, &n, &err),
                     CS_EINVAL);
    assert_int_equal(n, NOUT_UNSET);
    cs_err_format(&err, buf, sizeof(buf));
    assert_string_equal(buf, "the container has no command or args; capsim "
                             "needs the kubectl command it runs");
}

/* Every rejected form: its code and exact message. */
static const struct err_case errors[] = {
    {"[kubectl, scale, statefulset/db, --replicas=3]", CS_EINVAL,
     "1:18: \"kubectl scale statefulset/db --replicas=3\": capsim models "
     "Deployments only (got statefulset)"},
    {"[kubectl, scale, sts, db, --replicas=3]", CS_EINVAL,
     "1:18: \"kubectl scale sts db --replicas=3\": capsim models Deployments "
     "only (got sts)"},
    {"[kubectl, scale, deploy/shop]", CS_EPARSE,
     "1:11: \"kubectl scale deploy/shop\": --replicas is required"},
    {"[kubectl, scale, deploy/shop, --replicas=-1]", CS_EPARSE,
     "1:31: \"kubectl scale deploy/shop --replicas=-1\": --replicas must not "
     "be negative, got \"-1\""},
    {"[kubectl, scale, deploy/shop, --replicas, three]", CS_EPARSE,
     "1:43: \"kubectl scale deploy/shop --replicas three\": --replicas must be "
     "an integer, got \"three\""},
    {"[kubectl, scale, deploy/shop, --replicas=2.5]", CS_EPARSE,
     "1:31: \"kubectl scale deploy/shop --replicas=2.5\": --replicas must be "
     "an integer, got \"2.5\""},
    {"[kubectl, scale, deploy/shop, --replicas=2147483648]", CS_EPARSE,
     "1:31: \"kubectl scale deploy/shop --replicas=2147483648\": --replicas is "
     "out of range, got \"2147483648\""},
    {"[kubectl, scale, deploy/shop, --replicas=]", CS_EPARSE,
     "1:31: \"kubectl scale deploy/shop --replicas=\": --replicas must be an "
     "integer, got \"\""},
    {"[kubectl, scale, deploy/shop, --replicas]", CS_EPARSE,
     "1:31: \"kubectl scale deploy/shop --replicas\": --replicas needs a "
     "value"},
    {"[kubectl, scale, deploy/shop, --replicas=3, --current-replicas=2]",
     CS_EINVAL,
     "1:45: \"kubectl scale deploy/shop --replicas=3 --current-replicas=2\": "
     "--current-replicas is not supported (capsim scales unconditionally)"},
    {"[kubectl, scale, deploy/shop, --replicas=3, --resource-version, '42']",
     CS_EINVAL,
     "1:65: \"kubectl scale deploy/shop --replicas=3 --resource-version 42\": "
     "--resource-version is not supported (capsim scales unconditionally)"},
    {"[kubectl, scale, deploy, --replicas=3]", CS_EPARSE,
     "1:11: \"kubectl scale deploy --replicas=3\": no Deployment named " HINT},
    {"[kubectl, scale, --replicas=3]", CS_EPARSE,
     "1:11: \"kubectl scale --replicas=3\": no Deployment named " HINT},
    {"[kubectl, scale, deploy/a, b, --replicas=3]", CS_EPARSE,
     "1:28: \"kubectl scale deploy/a b --replicas=3\": expected TYPE/NAME, got "
     "\"b\""},
    {"[kubectl, scale, deploy, a/b, --replicas=3]", CS_EPARSE,
     "1:26: \"kubectl scale deploy a/b --replicas=3\": expected a name, got "
     "\"a/b\""},
    {"[kubectl, scale, deploy/, --replicas=3]", CS_EPARSE,
     "1:18: \"kubectl scale deploy/ --replicas=3\": expected TYPE/NAME, got "
     "\"deploy/\""},
    {"[kubectl, scale, deploy/shop, --all, --replicas=3]", CS_EINVAL,
     "1:31: \"kubectl scale deploy/shop --all --replicas=3\": unknown or "
     "unsupported flag --all"},
    {"[kubectl, scale, deploy/shop, -l, app=shop, --replicas=3]", CS_EINVAL,
     "1:31: \"kubectl scale deploy/shop -l app=shop --replicas=3\": unknown or "
     "unsupported flag -l"},
    {"[kubectl, --replicas=3, scale, deploy/shop]", CS_EINVAL,
     "1:11: \"kubectl --replicas=3 scale deploy/shop\": unknown or unsupported "
     "flag --replicas"},
    {"[kubectl, scale, deploy/$(APP), --replicas=3]", CS_EINVAL,
     "1:18: \"kubectl scale deploy/$(APP) --replicas=3\": capsim cannot expand "
     "$(APP)"},
    {"[kubectl, annotate, deploy/shop, a=b]", CS_EINVAL,
     "1:11: \"kubectl annotate deploy/shop a=b\": kubectl annotate is not "
     "supported; " SUPPORTED},
    {"[kubectl, rollout, restart, deployment/shop]", CS_EINVAL,
     "1:11: \"kubectl rollout restart deployment/shop\": kubectl rollout "
     "restart is not supported; " SUPPORTED},
    {"[kubectl, set, image, deployment/shop, app=shop:2]", CS_EINVAL,
     "1:16: \"kubectl set image deployment/shop app=shop:2\": kubectl set "
     "image is not supported; " SUPPORTED},
    {"[kubectl, set]", CS_EINVAL,
     "1:11: \"kubectl set\": kubectl set needs a subcommand; " SUPPORTED},
    {"[kubectl, -n, prod]", CS_EINVAL,
     "1:2: \"kubectl -n prod\": no kubectl command; " SUPPORTED},
    {"[kubectl, patch, hpa, shop, -p, '{\"spec\":{\"metrics\":[]}}']",
     CS_EINVAL,
     "1:33: \"kubectl patch hpa shop -p {\"spec\":{\"metrics\":[]}}\": --patch "
     "(column 10): patching spec.metrics replaces the whole list; use "
     "--type=json with /spec/metrics/N/resource/target/averageUtilization"},
    {"[kubectl, patch, hpa, shop, -p, '{\"spec\":{\"behavior\":{}}}']",
     CS_EINVAL,
     "1:33: \"kubectl patch hpa shop -p {\"spec\":{\"behavior\":{}}}\": "
     "--patch (column 10): cannot patch spec.behavior (capsim patches "
     "spec.minReplicas and spec.maxReplicas)"},
    {"[kubectl, patch, hpa, shop, -p, '{\"metadata\":{\"labels\":{}}}']",
     CS_EINVAL,
     "1:33: \"kubectl patch hpa shop -p {\"metadata\":{\"labels\":{}}}\": "
     "--patch (column 2): cannot patch metadata (capsim patches "
     "spec.minReplicas and spec.maxReplicas)"},
    {"[kubectl, patch, hpa, shop, -p, "
     "'{\"spec\":{\"minReplicas\":5,\"maxReplicas\":3}}']",
     CS_EINVAL,
     "1:33: \"kubectl patch hpa shop -p "
     "{\"spec\":{\"minReplicas\":5,\"maxReplicas\":3}}\": --patch (column 40): "
     "spec.maxReplicas must be >= spec.minReplicas (got 3 < 5)"},
    {"[kubectl, patch, hpa, shop, -p, '{\"spec\":{\"minReplicas\":\"five\"}}']",
     CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p "
     "{\"spec\":{\"minReplicas\":\"five\"}}\": --patch (column 24): "
     "spec.minReplicas must be an integer, got \"five\""},
    {"[kubectl, patch, hpa, shop, -p, '{\"spec\":{\"maxReplicas\":0}}']",
     CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p {\"spec\":{\"maxReplicas\":0}}\": "
     "--patch (column 24): spec.maxReplicas must be between 1 and 2147483647, "
     "got 0"},
    {"[kubectl, patch, hpa, shop, -p, '{\"spec\":5}']", CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p {\"spec\":5}\": --patch (column 9): "
     "spec must be a mapping"},
    {"[kubectl, patch, hpa, shop, -p, '{}']", CS_EINVAL,
     "1:33: \"kubectl patch hpa shop -p {}\": --patch (column 1): the patch "
     "changes nothing"},
    {"[kubectl, patch, hpa, shop, -p, '']", CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p\": --patch: the patch is empty"},
    {"[kubectl, patch, hpa, shop, -p, '{\"spec\":{']", CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p {\"spec\":{\": --patch (line 2, column "
     "1): did not find expected node content (while parsing a flow node at "
     "line 2, column 1)"},
    {"[kubectl, patch, hpa, shop, -p, '[]']", CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p []\": --patch (column 1): a list of "
     "operations needs --type=json"},
    {"[kubectl, patch, hpa, shop, -p, '3']", CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p 3\": --patch (column 1): the patch "
     "must be a JSON object"},
    {"[kubectl, patch, hpa, shop, -p, \"{}\\n---\\n{}\"]", CS_EPARSE,
     "1:33: \"kubectl patch hpa shop -p {} --- {}\": --patch (line 3, column "
     "1): the patch has more than one document"},
    {"[kubectl, patch, hpa, shop]", CS_EPARSE,
     "1:11: \"kubectl patch hpa shop\": --patch (-p) is required"},
    {"[kubectl, patch, hpa, shop, -p, '{}', --type=xml]", CS_EPARSE,
     "1:39: \"kubectl patch hpa shop -p {} --type=xml\": --type must be "
     "strategic, merge or json, got \"xml\""},
    {"[kubectl, patch, hpa, a, b, -p, '{}']", CS_EPARSE,
     "1:11: \"kubectl patch hpa a b -p {}\": kubectl patch needs exactly one "
     "object (hpa NAME, vpa NAME or deployment NAME), got 2"},
    {"[kubectl, patch, hpa, -p, '{}']", CS_EPARSE,
     "1:11: \"kubectl patch hpa -p {}\": kubectl patch needs exactly one "
     "object (hpa NAME, vpa NAME or deployment NAME), got 0"},
    {"[kubectl, patch, statefulset/db, -p, '{}']", CS_EINVAL,
     "1:18: \"kubectl patch statefulset/db -p {}\": capsim patches "
     "HorizontalPodAutoscalers, VerticalPodAutoscalers and Deployments only "
     "(got statefulset)"},
    {"[kubectl, patch, hpa, shop, --patch-file, p.json]", CS_EINVAL,
     "1:29: \"kubectl patch hpa shop --patch-file p.json\": unknown or "
     "unsupported flag --patch-file"},
    {"[kubectl, patch, hpa/shop, --type=json, -p, '{\"spec\":{}}']", CS_EPARSE,
     "1:45: \"kubectl patch hpa/shop --type=json -p {\"spec\":{}}\": --patch "
     "(column 1): a JSON patch (--type=json) must be a list of operations"},
    {"[kubectl, patch, hpa/shop, --type=json, -p, '[]']", CS_EINVAL,
     "1:45: \"kubectl patch hpa/shop --type=json -p []\": --patch (column 1): "
     "the patch changes nothing"},
    {"[kubectl, patch, hpa/shop, --type=json, -p, '[5]']", CS_EPARSE,
     "1:45: \"kubectl patch hpa/shop --type=json -p [5]\": --patch (column 2): "
     "patch[0] must be a mapping"},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"remove\",\"path\":\"/spec/minReplicas\"}]']",
     CS_EINVAL,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"remove\",\"path\":\"/spec/minReplicas\"}]\": --patch (column "
     "8): patch[0].op: capsim applies only replace and add, got \"remove\""},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"path\":\"/spec/minReplicas\",\"value\":1}]']",
     CS_EPARSE,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"path\":\"/spec/minReplicas\",\"value\":1}]\": --patch (column 2): "
     "patch[0]: missing required key \"op\""},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"value\":1}]']",
     CS_EPARSE,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"value\":1}]\": --patch (column 2): patch[0]: missing "
     "required key \"path\""},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/minReplicas\"}]']",
     CS_EPARSE,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/minReplicas\"}]\": --patch (column 2): "
     "patch[0]: missing required key \"value\""},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/minReplicas\",\"value\":1,\"from\":\"/"
     "x\"}]']",
     CS_EPARSE,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/minReplicas\",\"value\":1,\"from\":\"/"
     "x\"}...\": --patch (column 51): unknown key \"from\" in patch[0]"},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/behavior\",\"value\":{}}]']",
     CS_EINVAL,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/behavior\",\"value\":{}}]\": --patch "
     "(column 21): cannot patch /spec/behavior " PATHS},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/metrics/0/resource/target/"
     "averageValue\",\"value\":1}]']",
     CS_EINVAL,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/metrics/0/resource/target/"
     "averageVa...\": --patch (column 21): cannot patch "
     "/spec/metrics/0/resource/target/averageValue " PATHS},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/metrics/-/resource/target/"
     "averageUtilization\",\"value\":1}]']",
     CS_EINVAL,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/metrics/-/resource/target/"
     "averageUt...\": --patch (column 21): cannot patch "
     "/spec/metrics/-/resource/target/averageUtilization " PATHS},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/metrics/0/resource/target/"
     "averageUtilization\",\"value\":0}]']",
     CS_EPARSE,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/metrics/0/resource/target/"
     "averageUt...\": --patch (column 82): patch[0].value must be between 1 "
     "and 1000000, got 0"},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/metrics/0/resource/target/"
     "averageUtilization\",\"value\":50},{\"op\":\"add\",\"path\":\"/spec/"
     "metrics/1/resource/target/averageUtilization\",\"value\":60}]']",
     CS_EINVAL,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/metrics/0/resource/target/"
     "averageUt...\": --patch (column 105): patch[1].path: one patch may "
     "change the target of one metric only (got metrics 0 and 1)"},
    {"[kubectl, patch, hpa/shop, --type=json, -p, "
     "'[{\"op\":\"add\",\"path\":\"/spec/"
     "minReplicas\",\"value\":9},{\"op\":\"add\",\"path\":\"/spec/"
     "maxReplicas\",\"value\":4}]']",
     CS_EINVAL,
     "1:45: \"kubectl patch hpa/shop --type=json -p "
     "[{\"op\":\"add\",\"path\":\"/spec/"
     "minReplicas\",\"value\":9},{\"op\":\"add\"...\": --patch (column 99): "
     "spec.maxReplicas must be >= spec.minReplicas (got 4 < 9)"},
    {"[kubectl, patch, deployment/shop, -p, '{\"spec\":{\"template\":{}}}']",
     CS_EINVAL,
     "1:39: \"kubectl patch deployment/shop -p {\"spec\":{\"template\":{}}}\": "
     "--patch (column 10): cannot patch spec.template (capsim patches "
     "spec.replicas of a Deployment)"},
    {"[kubectl, patch, deployment/shop, -p, '{\"spec\":{\"replicas\":-2}}']",
     CS_EPARSE,
     "1:39: \"kubectl patch deployment/shop -p {\"spec\":{\"replicas\":-2}}\": "
     "--patch (column 21): spec.replicas must be between 0 and 2147483647, got "
     "-2"},
    {"[kubectl, patch, deployment/shop, -p, '{\"metadata\":{}}']", CS_EINVAL,
     "1:39: \"kubectl patch deployment/shop -p {\"metadata\":{}}\": --patch "
     "(column 2): cannot patch metadata (capsim patches spec.replicas of a "
     "Deployment)"},
    {"[kubectl, patch, deployment/shop, -p, '{\"spec\":{}}']", CS_EINVAL,
     "1:39: \"kubectl patch deployment/shop -p {\"spec\":{}}\": --patch "
     "(column 1): the patch changes nothing"},
    {"[kubectl, patch, deployment/shop, --type=json, -p, "
     "'[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":1}]']",
     CS_EINVAL,
     "1:52: \"kubectl patch deployment/shop --type=json -p "
     "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":1}]\": "
     "--patch (column 25): cannot patch /spec/template (capsim patches "
     "/spec/replicas of a Deployment)"},
    {"[kubectl, set, resources, statefulset/db, --requests=cpu=1]", CS_EINVAL,
     "1:27: \"kubectl set resources statefulset/db --requests=cpu=1\": capsim "
     "models Deployments only (got statefulset)"},
    {"[kubectl, set, resources, deploy/shop]", CS_EPARSE,
     "1:16: \"kubectl set resources deploy/shop\": --requests or --limits is "
     "required"},
    {"[kubectl, set, resources, deploy, --requests=cpu=1]", CS_EPARSE,
     "1:16: \"kubectl set resources deploy --requests=cpu=1\": no Deployment "
     "named " HINT},
    {"[kubectl, set, resources, deploy/shop, --requests=cpu]", CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop --requests=cpu\": --requests: "
     "expected NAME=QUANTITY, got \"cpu\""},
    {"[kubectl, set, resources, deploy/shop, '--requests=cpu=1,']", CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop --requests=cpu=1,\": "
     "--requests: expected NAME=QUANTITY, got \"\""},
    {"[kubectl, set, resources, deploy/shop, --requests==1]", CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop --requests==1\": --requests: "
     "expected NAME=QUANTITY, got \"=1\""},
    {"[kubectl, set, resources, deploy/shop, --requests=cpu=lots]", CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop --requests=cpu=lots\": "
     "--requests: cpu must be a Kubernetes quantity (e.g. 250m, 1.5, 512Mi), "
     "got \"lots\""},
    {"[kubectl, set, resources, deploy/shop, --limits=memory=-1Gi]", CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop --limits=memory=-1Gi\": "
     "--limits: memory must not be negative, got \"-1Gi\""},
    {"[kubectl, set, resources, deploy/shop, --limits=memory=99999999999E]",
     CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop "
     "--limits=memory=99999999999E\": --limits: memory is out of range, got "
     "\"99999999999E\""},
    {"[kubectl, set, resources, deploy/shop, '--requests=cpu=1,cpu=2']",
     CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop --requests=cpu=1,cpu=2\": "
     "--requests sets cpu twice"},
    {"[kubectl, set, resources, deploy/shop, "
     "'--requests=a=1,b=1,c=1,d=1,e=1,f=1,g=1,h=1,i=1']",
     CS_EINVAL,
     "1:40: \"kubectl set resources deploy/shop "
     "--requests=a=1,b=1,c=1,d=1,e=1,f=1,g=1,h=1,i=1\": --requests sets more "
     "than 8 resources"},
    {"[kubectl, set, resources, deploy/shop, -c, app*, --requests=cpu=1]",
     CS_EINVAL,
     "1:44: \"kubectl set resources deploy/shop -c app* --requests=cpu=1\": "
     "capsim matches containers by name or *, got \"app*\""},
    {"[kubectl, set, resources, deploy/shop, --containers=, --requests=cpu=1]",
     CS_EPARSE,
     "1:40: \"kubectl set resources deploy/shop --containers= "
     "--requests=cpu=1\": --containers must not be empty"},
    {"[kubectl, set, resources, deploy/shop, --requests=cpu=1, --all]",
     CS_EINVAL,
     "1:58: \"kubectl set resources deploy/shop --requests=cpu=1 --all\": "
     "unknown or unsupported flag --all"},
    {"[python, scale.py]", CS_EINVAL,
     "1:2: \"python scale.py\": capsim reads kubectl commands, run directly or "
     "with sh -c, got \"python\""},
    {"[sh, scale.sh]", CS_EINVAL,
     "1:6: \"sh scale.sh\": capsim reads only inline scripts (sh -c SCRIPT)"},
    {"[sh, -c]", CS_EPARSE, "1:6: \"sh -c\": -c needs a script"},
    {"[/usr/bin/env, python3, -c, x]", CS_EINVAL,
     "1:16: \"/usr/bin/env python3 -c x\": capsim reads kubectl commands, run "
     "directly or with sh -c, got \"python3\""},
    {"[sh, -x, scale.sh]", CS_EINVAL,
     "1:10: \"sh -x scale.sh\": capsim reads only inline scripts (sh -c "
     "SCRIPT)"},
    {"[kubectl, scale, \"deploy/a\\0b\", --replicas=1]", CS_EPARSE,
     "1:18: command and args items must not contain NUL"},
    {"[kubectl, {a: 1}]", CS_EPARSE,
     "1:11: command and args items must be strings"},
    {"[sh, -c, kubectl scale deploy/$APP --replicas=2]", CS_EINVAL,
     "1:10: \"kubectl scale deploy/$APP --replicas=2\": capsim cannot expand "
     "$APP"},
    {"[sh, -c, 'kubectl scale deploy/shop --replicas=${N}']", CS_EINVAL,
     "1:10: \"kubectl scale deploy/shop --replicas=${N}\": capsim cannot "
     "expand ${N}"},
    {"[sh, -c, kubectl scale deploy/shop --replicas=$(cat n)]", CS_EINVAL,
     "1:10: \"kubectl scale deploy/shop --replicas=$(cat n)\": capsim cannot "
     "expand $(cat n)"},
    {"[sh, -c, kubectl scale deploy/shop --replicas=`cat n`]", CS_EINVAL,
     "1:10: \"kubectl scale deploy/shop --replicas=`cat n`\": capsim cannot "
     "expand `cat n`"},
    {"[sh, -c, 'kubectl scale \"deploy/$APP\" --replicas=2']", CS_EINVAL,
     "1:10: \"kubectl scale \"deploy/$APP\" --replicas=2\": capsim cannot "
     "expand $APP"},
    {"[sh, -c, kubectl set resources deploy/shop -c * --requests=cpu=1]",
     CS_EINVAL,
     "1:10: \"kubectl set resources deploy/shop -c * --requests=cpu=1\": "
     "capsim cannot expand *"},
    {"[sh, -c, $KUBECTL scale deploy/shop --replicas=2]", CS_EINVAL,
     "1:10: \"$KUBECTL scale deploy/shop --replicas=2\": capsim cannot expand "
     "$KUBECTL"},
    {"[sh, -c, kubectl get hpa | grep shop]", CS_EINVAL,
     "1:10: \"kubectl get hpa | grep shop\": pipes (|) are not supported"},
    {"[sh, -c, kubectl scale deploy/shop --replicas=2 &]", CS_EINVAL,
     "1:10: \"kubectl scale deploy/shop --replicas=2 &\": background jobs (&) "
     "are not supported"},
    {"[sh, -c, (kubectl scale deploy/shop --replicas=2)]", CS_EINVAL,
     "1:10: \"(kubectl scale deploy/shop --replicas=2)\": subshells ( ... ) "
     "are not supported"},
    {"[sh, -c, kubectl scale deploy/shop --replicas=2 >/dev/null]", CS_EINVAL,
     "1:10: \"kubectl scale deploy/shop --replicas=2 >/dev/null\": "
     "redirections (>) are not supported"},
    {"[sh, -c, sleep 30 && kubectl scale deploy/shop --replicas=2]", CS_EINVAL,
     "1:10: \"sleep 30\": capsim runs only kubectl, echo, set, true and date "
     "in a script, got \"sleep\""},
    {"[sh, -c, echo scaling; date]", CS_EINVAL,
     "1:10: \"echo scaling; date\": the script runs no kubectl command"},
    /* once a fuzz finding: '' first, before the word buffer exists */
    {"[sh, -c, \"''\"]", CS_EINVAL,
     "1:10: \"''\": capsim runs only kubectl, echo, set, true and date in a "
     "script, got \"\""},
    {"[sh, -c, '']", CS_EINVAL,
     "1:10: \"\": the script runs no kubectl command"},
    {"[sh, -c, true || kubectl scale deploy/shop --replicas=2]", CS_EINVAL,
     "1:10: \"true || kubectl scale deploy/shop --replicas=2\": the script "
     "runs no kubectl command"},
    {"[sh, -c, kubectl scale deploy/shop --replicas=2 &&]", CS_EPARSE,
     "1:10: \"kubectl scale deploy/shop --replicas=2 &&\": && is not followed "
     "by a command"},
    {"[sh, -c, \"kubectl scale deploy/shop --replicas=2 ||\\n\"]", CS_EPARSE,
     "1:10: \"kubectl scale deploy/shop --replicas=2 ||\": || is not followed "
     "by a command"},
    {"[sh, -c, ; kubectl scale deploy/shop --replicas=2]", CS_EPARSE,
     "1:10: \"; kubectl scale deploy/shop --replicas=2\": ; without a command "
     "before it"},
    {"[sh, -c, kubectl scale deploy/a --replicas=2;;]", CS_EPARSE,
     "1:10: \";\": ; without a command before it"},
    {"[sh, -c, \"kubectl scale deploy/shop --replicas='2\"]", CS_EPARSE,
     "1:10: \"kubectl scale deploy/shop --replicas='2\": unterminated single "
     "quote"},
    {"[sh, -c, 'kubectl scale deploy/shop --replicas=\"2']", CS_EPARSE,
     "1:10: \"kubectl scale deploy/shop --replicas=\"2\": unterminated double "
     "quote"},
    {"[sh, -c, kubectl scale deploy/shop --replicas=$(echo 2]", CS_EPARSE,
     "1:10: \"kubectl scale deploy/shop --replicas=$(echo 2\": unterminated "
     "$("},
    {"[sh, -c, 'kubectl scale deploy/shop --replicas=${N']", CS_EPARSE,
     "1:10: \"kubectl scale deploy/shop --replicas=${N\": unterminated ${"},
    {"[sh, -c, kubectl scale deploy/shop --replicas=`echo 2]", CS_EPARSE,
     "1:10: \"kubectl scale deploy/shop --replicas=`echo 2\": unterminated "
     "backquote"},
    {"[sh, -c, \"kubectl scale deploy/a --replicas=1\\nkubectl scale sts/b "
     "--replicas=1\"]",
     CS_EINVAL,
     "1:10: \"kubectl scale sts/b --replicas=1\": capsim models Deployments "
     "only (got sts)"},
    {"[sh, -c, 'kubectl scale deploy/a --replicas=1 || echo \"$(date']",
     CS_EPARSE, "1:10: \"echo \"$(date\": unterminated $("},
    {"[sh, -c, 'echo ''it''''s'' \"q\\\"\" && kubectl annotate deploy/a x=y']",
     CS_EINVAL,
     "1:10: \"kubectl annotate deploy/a x=y\": kubectl annotate is not "
     "supported; " SUPPORTED},
    {"[sh, -c, kubectl scale "
     "deploy/averyveryveryveryveryveryveryveryveryveryveryveryverylongname "
     "--replicas=1 --current-replicas=2]",
     CS_EINVAL,
     "1:10: \"kubectl scale "
     "deploy/averyveryveryveryveryveryveryveryveryveryveryveryverylongname "
     "--replicas=1 --cu...\": --current-replicas is not supported (capsim "
     "scales unconditionally)"},
    /* a script in a block scalar: errors point at the script */
    {"command:\n  - /bin/sh\n  - -c\nargs:\n  - |\n    echo start\n    kubectl "
     "scale statefulset/db \\\n      --replicas=3\n",
     CS_EINVAL,
     "5:5: \"kubectl scale statefulset/db --replicas=3\": capsim models "
     "Deployments only (got statefulset)"},
    {"command: [bash, -c]\nargs:\n  - >-\n    kubectl scale deploy/a "
     "--replicas=1 &&\n    kubectl scale deploy/b --replicas=$N\n",
     CS_EINVAL,
     "3:5: \"kubectl scale deploy/b --replicas=$N\": capsim cannot expand $N"},
};

static void test_errors(void **state)
{
    (void)state;
    CHECK(check_errors, errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale),         cmocka_unit_test(test_patch),
        cmocka_unit_test(test_set_resources), cmocka_unit_test(test_shells),
        cmocka_unit_test(test_scripts),       cmocka_unit_test(test_limit),
        cmocka_unit_test(test_no_words),      cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
