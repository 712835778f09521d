/*
 * test_kubectl_vpa.c - kubectl patch of a VerticalPodAutoscaler in a
 * CronJob container: every spelling of the VPA runbook's updateMode switch
 * gives its exact action, every rejected patch its exact message at its
 * exact LINE:COL of c.yaml, and the mode names parse exactly as the API
 * spells them. The fixture (kubectl_fixture.h) is test_kubectl.c's.
 */
#include "kubectl_fixture.h"

/* The VPA runbook's switch from Off to Auto, in every spelling kubectl
 * takes for a custom resource (merge or JSON patches only). */
static void test_vpa_patch(void **state)
{
#define VPA_P(mode)                                                            \
    "'{\"spec\":{\"updatePolicy\":{\"updateMode\":\"" mode "\"}}}'"
    static const struct ok_case t[] = {
        {"[kubectl, patch, vpa, shop, --type, merge, -p, " VPA_P("Auto") "]",
         "vpa shop Auto"},
        {"[kubectl, patch, vpa/shop, --type=merge, "
         "'--patch={\"spec\":{\"updatePolicy\":{\"updateMode\":\"Off\"}}}']",
         "vpa shop Off"},
        {"[kubectl, -n, prod, patch, verticalpodautoscaler, shop, --type=merge,"
         " -p, " VPA_P("Initial") "]",
         "vpa shop Initial"},
        {"[kubectl, patch, --namespace=prod, VerticalPodAutoscalers/shop, "
         "--type=merge, -p, " VPA_P("InPlace") "]",
         "vpa shop InPlace"},
        {"[kubectl, patch, verticalpodautoscaler.autoscaling.k8s.io/shop, "
         "--type=merge, -p, " VPA_P("InPlaceOrRecreate") "]",
         "vpa shop InPlaceOrRecreate"},
        /* YAML patches; a quoted Off is the mode */
        {"[kubectl, patch, vpa.v1.autoscaling.k8s.io, shop, --type=merge, -p,"
         " \"spec:\\n  updatePolicy:\\n    updateMode: Recreate\\n\"]",
         "vpa shop Recreate"},
        {"[kubectl, patch, vpa/shop, --type=merge, -p,"
         " '{spec: {updatePolicy: {updateMode: \"Off\"}}}']",
         "vpa shop Off"},
        /* a JSON patch; a later operation on the same field wins */
        {"[kubectl, patch, vpa/shop, --type=json, -p, '[{\"op\":\"replace\","
         "\"path\":\"/spec/updatePolicy/updateMode\",\"value\":\"Auto\"},"
         "{\"op\":\"add\",\"path\":\"/spec/updatePolicy/updateMode\","
         "\"value\":\"Recreate\"}]']",
         "vpa shop Recreate"},
        /* the runbook's CronJob script, with an HPA change after it */
        {"command: [sh, -c]\nargs:\n  - >-\n    kubectl patch vpa catalog "
         "--type merge\n    -p '{\"spec\":{\"updatePolicy\":{\"updateMode\":"
         "\"Auto\"}}}' &&\n    kubectl patch hpa catalog -p "
         "'{\"spec\":{\"minReplicas\":2}}'\n",
         "vpa catalog Auto; hpa catalog min=2"},
    };

    (void)state;
    CHECK(check_ok, t);
}

/* The mode names: exactly as the API spells them, both ways, and in the
 * order of the message's list (CS_VPA_MODES: "A, B, ... or F"). */
static void test_vpa_mode_parse(void **state)
{
    char list[] = CS_VPA_MODES, *p = list;
    int m = 0;

    (void)state;
    while (*p != '\0') {
        size_t n = strcspn(p, ", ");
        int last = p[n] == '\0';

        p[n] = '\0';
        assert_int_equal(cs_vpa_mode_parse(p), m);
        assert_string_equal(cs_vpa_mode_name(m), p);
        m++;
        if (last)
            break;
        p += n + 1 + strspn(p + n + 1, ", ");
        if (strncmp(p, "or ", 3) == 0)
            p += 3;
    }
    assert_int_equal(m, CS_VPA_IN_PLACE + 1);
    assert_int_equal(cs_vpa_mode_parse("Auto"), CS_VPA_AUTO);
    assert_int_equal(cs_vpa_mode_parse("InPlace"), CS_VPA_IN_PLACE);
    assert_string_equal(cs_vpa_mode_name(m), "Unknown");
    assert_string_equal(cs_vpa_mode_name(-1), "Unknown");
    assert_int_equal(cs_vpa_mode_parse("auto"), -1);
    assert_int_equal(cs_vpa_mode_parse("Off "), -1);
    assert_int_equal(cs_vpa_mode_parse("On"), -1);
    assert_int_equal(cs_vpa_mode_parse(""), -1);
}

/* Every rejected VPA patch: its code and exact message. */
static const struct err_case vpa_errors[] = {
    {"[kubectl, patch, vpa, shop, -p, " VPA_P("Auto") "]", CS_EPARSE,
     "1:11: \"kubectl patch vpa shop -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}\": a "
     "VerticalPodAutoscaler needs --type=merge or --type=json: it is "
     "a custom resource, and the API server refuses the strategic "
     "merge patch kubectl sends by default"},
    {"[kubectl, patch, vpa/shop, --type=strategic, -p, " VPA_P("Auto") "]",
     CS_EPARSE,
     "1:28: \"kubectl patch vpa/shop --type=strategic -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}\": "
     "--type must be merge or json for a VerticalPodAutoscaler: it is "
     "a custom resource, and the API server refuses strategic merge "
     "patches"},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, " VPA_P("On") "]", CS_EPARSE,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"On\"}}}\": "
     "--patch (column 39): spec.updatePolicy.updateMode must be Off, "
     "Initial, Recreate, Auto, InPlaceOrRecreate or InPlace, got "
     "\"On\""},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, " VPA_P("auto") "]",
     CS_EPARSE,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"auto\"}}}\": "
     "--patch (column 39): spec.updatePolicy.updateMode must be Off, "
     "Initial, Recreate, Auto, InPlaceOrRecreate or InPlace, got "
     "\"auto\""},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, "
     "'{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\","
     "\"minReplicas\":1}}}']",
     CS_EINVAL,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\","
     "\"minReplicas\":1}...\": --patch (column 46): cannot patch "
     "spec.updatePolicy.minReplicas "
     "(capsim patches spec.updatePolicy.updateMode of a "
     "VerticalPodAutoscaler)"},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, "
     "'{\"spec\":{\"resourcePolicy\":{}}}']",
     CS_EINVAL,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"spec\":{\"resourcePolicy\":{}}}\": --patch (column 10): "
     "cannot patch spec.resourcePolicy (capsim patches "
     "spec.updatePolicy.updateMode of a VerticalPodAutoscaler)"},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, "
     "'{\"metadata\":{\"labels\":{}}}']",
     CS_EINVAL,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"metadata\":{\"labels\":{}}}\": --patch (column 2): cannot "
     "patch metadata (capsim patches spec.updatePolicy.updateMode of "
     "a VerticalPodAutoscaler)"},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, "
     "'{\"spec\":{\"updatePolicy\":\"Auto\"}}']",
     CS_EPARSE,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"spec\":{\"updatePolicy\":\"Auto\"}}\": --patch (column 25): "
     "spec.updatePolicy must be a mapping"},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, "
     "'{\"spec\":{\"updatePolicy\":{}}}']",
     CS_EINVAL,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"spec\":{\"updatePolicy\":{}}}\": --patch (column 1): the "
     "patch changes nothing"},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, "
     "'{spec: {updatePolicy: {updateMode: Off}}}']",
     CS_EPARSE,
     "1:46: \"kubectl patch vpa/shop --type=merge -p {spec: "
     "{updatePolicy: {updateMode: Off}}}\": --patch (column 36): "
     "spec.updatePolicy.updateMode: kubectl reads a plain Off as "
     "false; write \"Off\""},
    {"[kubectl, patch, vpa/shop, --type=merge, -p, "
     "'{\"spec\":{\"updatePolicy\":{\"updateMode\":null}}}']",
     CS_EPARSE,
     "1:46: \"kubectl patch vpa/shop --type=merge -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":null}}}\": --patch "
     "(column 39): spec.updatePolicy.updateMode must not be empty"},
    {"[kubectl, patch, vpa/shop, --type=json, -p, '[{\"op\":\"replace\","
     "\"path\":\"/spec/updatePolicy\",\"value\":{\"updateMode\":"
     "\"Auto\"}}]']",
     CS_EINVAL,
     "1:45: \"kubectl patch vpa/shop --type=json -p "
     "[{\"op\":\"replace\",\"path\":\"/spec/"
     "updatePolicy\",\"value\":{\"updateM...\": "
     "--patch (column 25): cannot patch /spec/updatePolicy (capsim "
     "patches /spec/updatePolicy/updateMode of a "
     "VerticalPodAutoscaler)"},
    {"[kubectl, patch, vpa/shop, --type=json, -p, '[{\"op\":\"replace\","
     "\"path\":\"/spec/updatePolicy/updateMode\",\"value\":\"Always\"}]']",
     CS_EPARSE,
     "1:45: \"kubectl patch vpa/shop --type=json -p "
     "[{\"op\":\"replace\",\"path\":\"/spec/updatePolicy/"
     "updateMode\",\"value...\": "
     "--patch (column 65): patch[0].value must be Off, Initial, "
     "Recreate, Auto, InPlaceOrRecreate or InPlace, got \"Always\""},
    {"[kubectl, patch, vpa.autoscaling/shop, --type=merge, -p, " VPA_P(
         "Auto") "]",
     CS_EINVAL,
     "1:18: \"kubectl patch vpa.autoscaling/shop --type=merge -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}\": "
     "capsim patches HorizontalPodAutoscalers, VerticalPodAutoscalers "
     "and Deployments only (got vpa.autoscaling)"},
    {"[kubectl, patch, vpa, a, b, --type=merge, -p, " VPA_P("Auto") "]",
     CS_EPARSE,
     "1:11: \"kubectl patch vpa a b --type=merge -p "
     "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Auto\"}}}\": "
     "kubectl patch needs exactly one object (hpa NAME, vpa NAME or "
     "deployment NAME), got 2"},
#undef VPA_P
};

static void test_vpa_patch_errors(void **state)
{
    (void)state;
    CHECK(check_errors, vpa_errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vpa_patch),
        cmocka_unit_test(test_vpa_mode_parse),
        cmocka_unit_test(test_vpa_patch_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
