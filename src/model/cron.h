/*
 * cron.h - Kubernetes CronJob schedules, read and evaluated as upstream does.
 *
 * A CronJob's spec.schedule is parsed by the Kubernetes API server and the
 * CronJob controller with robfig/cron v3's ParseStandard, and the controller
 * asks the schedule's Next(t) for the firing after the last one (or after
 * the CronJob's creation), in the zone of spec.timeZone (the controller
 * manager's own zone, usually UTC, when unset). This module reproduces
 * both, so that a simulated CronJob fires at exactly the seconds a cluster
 * would, DST change days included:
 *
 *   - 5 fields: minute hour day-of-month month day-of-week;
 *   - in a field: "*" or "?" (the same), lists "a,b", ranges "a-b", steps
 *     "*" "/n", "a-b/n" and "a/n" (= a to the field's maximum, step n),
 *     names JAN-DEC and SUN-SAT in any case; day-of-week is 0-6 (7 is an
 *     error, as upstream);
 *   - descriptors @yearly @annually @monthly @weekly @daily @midnight
 *     @hourly, and @every <Go duration> (whole seconds, at least 1 s);
 *   - a day matches when day-of-month AND day-of-week match if either field
 *     was written with "*" or "?" (step 1), else when EITHER matches;
 *   - a "TZ=" or "CRON_TZ=" prefix is rejected, as Kubernetes' validation
 *     rejects any schedule containing "TZ" (spec.timeZone says the zone).
 *
 * docs/clock-and-cron.md lists upstream's quirks kept here and the DST
 * behaviour with examples.
 */
#ifndef CS_MODEL_CRON_H
#define CS_MODEL_CRON_H

#include <stdint.h>

#include "core/clock.h"
#include "core/err.h"

/* A parsed schedule: a plain value, copy it freely. */
struct cs_cron {
    uint64_t minute;  /* bits 0..59 */
    uint32_t hour;    /* bits 0..23 */
    uint32_t dom;     /* bits 1..31 */
    uint16_t month;   /* bits 1..12 */
    uint8_t dow;      /* bits 0..6, 0 = Sunday */
    uint8_t star_dom; /* day-of-month written with '*' or '?' (step 1) */
    uint8_t star_dow; /* day-of-week written with '*' or '?' (step 1) */
    int64_t every_s;  /* @every: seconds between firings (>= 1); 0 for a
                       * calendar schedule (the bit sets above) */
};

/* Parse a CronJob spec.schedule into *c. Returns 0, or CS_EPARSE with
 * err->msg such as
 *   minute field "61" is out of range 0-59
 * and err->col the 1-based column in text of the offending range (or of
 * the field, descriptor or "TZ"); path and line are left for the caller.
 * *c is untouched on failure. Accepts exactly what ParseStandard accepts
 * (less a "TZ" anywhere), including its leniencies: empty list items
 * ("1,,2"), anything after a "*-" ("*-5" is "*"), a leading '+' on
 * numbers, Unicode white space between fields. */
int cs_cron_parse(struct cs_cron *c, const char *text, struct cs_err *err);

/* The first firing strictly after after_utc_s (UTC seconds since the
 * epoch), in UTC seconds, reading the schedule in zone tz (NULL = UTC); or
 * INT64_MAX when there is none within 5 years (e.g. "0 0 30 2 *"), as
 * robfig's Next gives the zero time then. The answer is robfig's
 * SpecSchedule.Next to the second, including on DST change days (a wall
 * time skipped by spring-forward does not fire that day; one repeated by
 * fall-back fires at both instants; see docs/clock-and-cron.md). For
 * @every it is after_utc_s + every_s, as ConstantDelaySchedule.Next gives:
 * chain calls from the CronJob's creation. Instants beyond
 * +-CS_CLOCK_LIMIT_S give INT64_MAX. Where robfig would never return (a
 * skipped date, Samoa's 2011-12-30) the day is passed over instead.
 * Cost: months, then days, then hours, minutes and seconds are stepped
 * as robfig does, the last three in jumps while the offset cannot change:
 * 0.1-0.5 us for common schedules, ~5 us for 29 February, ~12 us to
 * conclude "never" (docs/clock-and-cron.md). No allocation. */
int64_t cs_cron_next(const struct cs_cron *c, const struct cs_tz *tz,
                     int64_t after_utc_s);

#endif
