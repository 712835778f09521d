/*
 * conformance_behavior.c - rows of hpa_behavior.csv, one normalization step
 * each (see conformance_int.h).
 *
 * The kind of step is read off which columns a row fills:
 *
 *   notes "INPUT policies=..."        API defaulting of one direction
 *   no current, no prenormalized      scale-event bookkeeping (notes hold
 *                                     the expectations)
 *   no prenormalized                  scale-up or scale-down limit alone
 *   max_replicas given                whole normalization
 *   otherwise                         stabilization alone
 *
 * and the path from the behavior columns: any scale_up_* column or a
 * scale_down policy/select makes it the behavior path, else legacy. The
 * legacy path uses factor 8 (upstream test binary) unless the case name
 * starts with "DERIVED" (production factor 2). An expected reason is
 * compared with AbleToScale when it is a stabilization reason and with
 * ScalingLimited otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/conformance_int.h"
#include "io/quantity.h"

#define TEXT 512

struct brow {
    int64_t current, pre, min, max;
    bool has_current, has_pre, has_min, has_max;
    bool behavior;
    struct cs_hpa_rules up, down; /* as given (not defaulted) */
    struct cs_hpa_config cfg;
    struct cs_hpa_state st;
};

static int select_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        const char *col, const char *s, enum cs_hpa_select *out)
{
    if (s[0] == '\0')
        *out = CS_HPA_SELECT_UNSET;
    else if (strcmp(s, "Max") == 0)
        *out = CS_HPA_SELECT_MAX;
    else if (strcmp(s, "Min") == 0)
        *out = CS_HPA_SELECT_MIN;
    else if (strcmp(s, "Disabled") == 0)
        *out = CS_HPA_SELECT_DISABLED;
    else
        return cs_conf_bad(c, r, "%s: unknown select policy '%s'", col, s);
    return 0;
}

static const char *select_name(enum cs_hpa_select s)
{
    static const char *const names[] = {"", "Max", "Min", "Disabled"};

    return names[s];
}

/* Rules from text: policies, window (seconds, "" = unset), select. */
static int rules_from(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      const char *policies, const char *window,
                      const char *select, struct cs_hpa_rules *out)
{
    int64_t w;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = cs_conf_policies(c, r, "policies", policies, out);
    if (rc == 0)
        rc = select_parse(c, r, "select", select, &out->select);
    if (rc == 0 && window[0] != '\0') {
        rc = cs_conf_int(c, r, "window", window, &w);
        out->has_window = true;
        out->window_s = (int32_t)w;
    }
    return rc;
}

static int brow_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct brow *b)
{
    const char *g[5] = {"scale_up_stabilization_s", "scale_up_policies",
                        "scale_up_select", "scale_down_policies",
                        "scale_down_select"};
    int rc;

    memset(b, 0, sizeof(*b));
    cs_hpa_state_init(&b->st);
    cs_hpa_config_init_test(&b->cfg);
    if (strncmp(cs_conf_get(r, "case_name"), "DERIVED", 7) == 0)
        b->cfg.scale_up_limit_factor = 2.0;
    for (size_t i = 0; i < 5; i++)
        b->behavior = b->behavior || cs_conf_get(r, g[i])[0] != '\0';
    rc =
        cs_conf_int_col(c, r, "current_replicas", &b->current, &b->has_current);
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "prenormalized_desired", &b->pre,
                             &b->has_pre);
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "min_replicas", &b->min, &b->has_min);
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "max_replicas", &b->max, &b->has_max);
    if (rc == 0)
        rc = rules_from(c, r, cs_conf_get(r, g[1]), cs_conf_get(r, g[0]),
                        cs_conf_get(r, g[2]), &b->up);
    if (rc == 0)
        rc = rules_from(c, r, cs_conf_get(r, g[3]),
                        cs_conf_get(r, "scale_down_stabilization_s"),
                        cs_conf_get(r, g[4]), &b->down);
    if (rc == 0)
        rc = cs_conf_history(c, r, "recommendations_history", -1, &b->st);
    if (rc == 0)
        rc = cs_conf_history(c, r, "scale_up_events", 1, &b->st);
    if (rc == 0)
        rc = cs_conf_history(c, r, "scale_down_events", 0, &b->st);
    if (b->down.has_window)
        b->cfg.downscale_window = b->down.window_s * CS_MS_PER_S;
    return rc;
}

static bool is_stabilization_reason(const char *reason)
{
    return strcmp(reason, "ReadyForNewScale") == 0 ||
           strcmp(reason, "ScaleUpStabilized") == 0 ||
           strcmp(reason, "ScaleDownStabilized") == 0;
}

/* Stored recommendation values "a;b;c" of st. */
static void recs_text(const struct cs_hpa_state *st, char *buf, size_t n)
{
    size_t k = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < st->n_recs && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%d", i ? ";" : "",
                              (int)st->recs[i].replicas);
}

/* Optional history checks stated in the notes of stabilization rows. */
static bool notes_history(const struct cs_conf_row *r,
                          const struct cs_hpa_state *st, char *exp, char *got)
{
    const char *notes = cs_conf_get(r, "notes");
    const char *values = strstr(notes, "afterwards (order kept): ");
    const char *len = strstr(notes, "history length afterwards = ");
    char stored[TEXT];
    bool ok = true;

    recs_text(st, stored, sizeof(stored));
    if (values != NULL) {
        values += strlen("afterwards (order kept): ");
        size_t n = strcspn(values, ". ");
        ok = strlen(stored) == n && strncmp(values, stored, n) == 0;
        snprintf(exp + strlen(exp), TEXT - strlen(exp), ", history %.*s",
                 (int)n, values);
        snprintf(got + strlen(got), TEXT - strlen(got), ", history %s", stored);
    }
    if (len != NULL) {
        long want =
            strtol(len + strlen("history length afterwards = "), NULL, 10);
        ok = ok && want == (long)st->n_recs;
        snprintf(exp + strlen(exp), TEXT - strlen(exp), ", history length %ld",
                 want);
        snprintf(got + strlen(got), TEXT - strlen(got), ", history length %zu",
                 st->n_recs);
    }
    return ok;
}

/* Compare replicas (and reason, when the row gives one). */
static void judge(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  int32_t replicas, const char *able, const char *limit,
                  const struct cs_hpa_state *st)
{
    const char *want_r = cs_conf_get(r, "expected_replicas");
    const char *want_reason = cs_conf_get(r, "expected_condition_reason");
    const char *reason = is_stabilization_reason(want_reason) ? able : limit;
    char exp[TEXT], got[TEXT];
    int64_t v = 0;
    bool ok =
        want_r[0] == '\0' || (cs_parse_int64(want_r, &v) == 0 && v == replicas);

    snprintf(exp, sizeof(exp), "%s", want_r[0] ? want_r : "(unchecked)");
    snprintf(got, sizeof(got), "%d", (int)replicas);
    if (want_reason[0] != '\0') {
        ok = ok && reason != NULL && strcmp(reason, want_reason) == 0;
        snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp), " (%s)",
                 want_reason);
        snprintf(got + strlen(got), sizeof(got) - strlen(got), " (%s)",
                 reason != NULL ? reason : "-");
    }
    ok = notes_history(r, st, exp, got) && ok;
    cs_conf_report(c, ok, cs_conf_get(r, "case_name"), exp, got);
}

/* ---------------------------------------------------------------------- */
/* Row kinds                                                              */
/* ---------------------------------------------------------------------- */

static void policies_text(const struct cs_hpa_rules *rl, char *buf, size_t n)
{
    size_t k = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < rl->n_policies && k < n; i++)
        k += (size_t)snprintf(
            buf + k, n - k, "%s%s:%d:%d", i ? ";" : "",
            rl->policies[i].type == CS_HPA_POLICY_PODS ? "Pods" : "Percent",
            (int)rl->policies[i].value, (int)rl->policies[i].period_s);
}

static void rules_text(const struct cs_hpa_rules *rl, char *buf, size_t n)
{
    char pol[256], win[32] = "unset";

    policies_text(rl, pol, sizeof(pol));
    if (rl->has_window)
        snprintf(win, sizeof(win), "%d", (int)rl->window_s);
    snprintf(buf, n, "policies %s window %s select %s", pol, win,
             select_name(rl->select));
}

/* The quoted value of key='...' in the notes. */
static void quoted(const char *notes, const char *key, char *buf, size_t n)
{
    const char *p = strstr(notes, key);
    size_t len;

    buf[0] = '\0';
    if (p == NULL)
        return;
    p += strlen(key);
    len = strcspn(p, "'");
    snprintf(buf, n, "%.*s", (int)len, p);
}

static int eval_defaults(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                         const struct brow *b)
{
    const char *notes = cs_conf_get(r, "notes");
    bool up = cs_conf_get(r, "scale_up_policies")[0] != '\0' ||
              cs_conf_get(r, "scale_up_select")[0] != '\0';
    char pol[256], win[32], sel[32], exp[TEXT], got[TEXT];
    struct cs_hpa_rules in;
    int rc;

    quoted(notes, "INPUT policies='", pol, sizeof(pol));
    quoted(notes, "window='", win, sizeof(win));
    quoted(notes, "select='", sel, sizeof(sel));
    rc = rules_from(c, r, pol, win, sel, &in);
    if (rc < 0)
        return rc;
    if (up)
        cs_hpa_rules_default_up(&in);
    else
        cs_hpa_rules_default_down(&in);
    rules_text(up ? &b->up : &b->down, exp, sizeof(exp));
    rules_text(&in, got, sizeof(got));
    cs_conf_report(c, strcmp(exp, got) == 0, cs_conf_get(r, "case_name"), exp,
                   got);
    return 0;
}

static void deltas_text(const struct cs_hpa_scale_events *l, char *buf,
                        size_t n)
{
    size_t k = (size_t)snprintf(buf, n, "[");

    for (size_t i = 0; i < l->n && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%d", i ? ", " : "",
                              (int)l->v[i].delta);
    if (k < n)
        snprintf(buf + k, n - k, "]");
}

static int eval_store(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct brow *b)
{
    const char *notes = cs_conf_get(r, "notes");
    const char *chg = strstr(notes, "counted in the last ");
    const char *change = strstr(notes, "a change of ");
    const char *after = strstr(notes, "deltas after:");
    int period, before, p[4];
    char want[64], got_up[64], got_down[64], exp[TEXT], got[TEXT];
    int32_t c_up, c_down;
    struct cs_hpa_rules up = b->up, down = b->down;
    bool has_behavior = b->up.n_policies > 0 || b->down.n_policies > 0;

    if (chg == NULL || change == NULL || after == NULL ||
        sscanf(chg, "counted in the last %d s BEFORE storing = %d", &period,
               &before) != 2 ||
        sscanf(strchr(change, '(') ? strchr(change, '(') : "",
               "(%d->%d up / %d->%d down)", &p[0], &p[1], &p[2], &p[3]) != 4 ||
        strchr(after, '[') == NULL)
        return cs_conf_bad(c, r,
                           "notes: event bookkeeping row without "
                           "'counted in the last', 'a change of (a->b "
                           "up / c->d down)' or 'deltas after: [...]'");
    snprintf(want, sizeof(want), "%.*s",
             (int)strcspn(strchr(after, '['), "]") + 1, strchr(after, '['));
    cs_hpa_rules_default_up(&up);
    cs_hpa_rules_default_down(&down);
    c_up = cs_hpa_scale_events_change(&b->st.up, CS_CONF_NOW, period);
    c_down = cs_hpa_scale_events_change(&b->st.down, CS_CONF_NOW, period);
    if (cs_hpa_state_store_scale(&b->st, has_behavior ? &up : NULL,
                                 has_behavior ? &down : NULL, CS_CONF_NOW, p[0],
                                 p[1]) < 0 ||
        cs_hpa_state_store_scale(&b->st, has_behavior ? &up : NULL,
                                 has_behavior ? &down : NULL, CS_CONF_NOW, p[2],
                                 p[3]) < 0)
        return cs_err_set(c->err, CS_ENOMEM, r->path, r->line, 0,
                          "out of memory");
    deltas_text(&b->st.up, got_up, sizeof(got_up));
    deltas_text(&b->st.down, got_down, sizeof(got_down));
    snprintf(exp, sizeof(exp), "change %d then %s (both directions)", before,
             want);
    snprintf(got, sizeof(got), "change %d/%d then %s/%s", (int)c_up,
             (int)c_down, got_up, got_down);
    cs_conf_report(c,
                   c_up == before && c_down == before &&
                       strcmp(got_up, want) == 0 && strcmp(got_down, want) == 0,
                   cs_conf_get(r, "case_name"), exp, got);
    return 0;
}

static int eval_limit(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct brow *b)
{
    int32_t limit;

    if (b->up.n_policies > 0) {
        cs_hpa_rules_default_up(&b->up);
        limit = cs_hpa_scale_up_limit(&b->st, &b->up, CS_CONF_NOW,
                                      (int32_t)b->current);
    } else {
        cs_hpa_rules_default_down(&b->down);
        limit = cs_hpa_scale_down_limit(&b->st, &b->down, CS_CONF_NOW,
                                        (int32_t)b->current);
    }
    judge(c, r, limit, NULL, NULL, &b->st);
    return 0;
}

static int eval_normalize(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                          struct brow *b)
{
    int32_t min = b->has_min ? (int32_t)b->min : 1;
    struct cs_hpa_normalized nz;
    int rc;

    cs_hpa_rules_default_up(&b->up);
    cs_hpa_rules_default_down(&b->down);
    if (b->behavior)
        rc = cs_hpa_normalize_behavior(
            &b->cfg, &b->st, &b->up, &b->down, CS_CONF_NOW, (int32_t)b->current,
            (int32_t)b->pre, min, (int32_t)b->max, &nz);
    else
        rc = cs_hpa_normalize_legacy(&b->cfg, &b->st, CS_CONF_NOW,
                                     (int32_t)b->current, (int32_t)b->pre, min,
                                     (int32_t)b->max, &nz);
    if (rc < 0)
        return cs_err_set(c->err, rc, r->path, r->line, 0, "out of memory");
    judge(c, r, nz.desired, nz.able_reason, nz.limit.reason, &b->st);
    return 0;
}

static int eval_stabilize(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                          struct brow *b)
{
    int32_t cur = (int32_t)b->current, pre = (int32_t)b->pre, out;
    const char *reason, *msg;
    int rc;

    if (b->behavior)
        rc = cs_hpa_stabilize_behavior(
            &b->st, CS_CONF_NOW,
            b->up.has_window ? b->up.window_s * CS_MS_PER_S : 0,
            b->cfg.downscale_window, cur, pre, &out);
    else
        rc = cs_hpa_stabilize_legacy(&b->st, CS_CONF_NOW,
                                     b->cfg.downscale_window, pre, &out);
    if (rc < 0)
        return cs_err_set(c->err, rc, r->path, r->line, 0, "out of memory");
    cs_hpa_stabilized_reason(b->behavior, cur, pre, out, &reason, &msg);
    judge(c, r, out, reason, NULL, &b->st);
    return 0;
}

static int eval_kind(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     struct brow *b)
{
    if (strstr(cs_conf_get(r, "notes"), "INPUT policies=") != NULL)
        return eval_defaults(c, r, b);
    if (!b->has_current && !b->has_pre)
        return eval_store(c, r, b);
    if (!b->has_pre)
        return eval_limit(c, r, b);
    if (b->has_max)
        return eval_normalize(c, r, b);
    return eval_stabilize(c, r, b);
}

int cs_conf_eval_behavior(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct brow b;
    int rc = brow_parse(c, r, &b);

    if (rc == 0)
        rc = eval_kind(c, r, &b);
    cs_hpa_state_fini(&b.st);
    return rc;
}
