/*
 * clock.h - wall-clock time: time zones, civil dates and ISO-8601 text.
 *
 * A scenario starts at a wall-clock instant in a time zone, so that "11:30"
 * and a CronJob's "30 11 * * *" mean what a user reads on a clock. Inside the
 * model time stays an integer offset from the start (time.h); this module
 * only converts at the edges.
 *
 * Where zone data comes from: cs_tz_load() reads the zone's TZif file (RFC
 * 8536, versions 1 to 4, the 64-bit body when there is one) from $TZDIR if
 * set, else /usr/share/zoneinfo. "UTC" and fixed offsets need no file.
 * Nothing here calls setenv("TZ"), tzset() or localtime(): a struct cs_tz is
 * an immutable value, so two simulations in one process can use different
 * zones (STYLE.md point 5).
 *
 * The footer rule: TZif files list transitions up to some year (Debian's
 * "slim" files stop at the last rule change, e.g. 2007 for New York) and end
 * with a POSIX TZ string ("EST5EDT,M3.2.0,M11.1.0") that governs every
 * instant on or after the last transition. It is evaluated here with the
 * RFC 8536 extensions (hours -167..167 in rule times, permanent DST).
 *
 * Determinism: results depend on the tzdata installed. Two machines with
 * different tzdata releases can disagree about a zone whose rules changed
 * in between (scripts/setup.sh installs Debian's tzdata). UTC and fixed
 * offsets never depend on it.
 *
 * Instants are int64 seconds (or milliseconds where the name says _ms)
 * since 1970-01-01T00:00:00Z, leap seconds not counted (POSIX time).
 * docs/clock-and-cron.md describes the semantics chosen.
 */
#ifndef CS_CORE_CLOCK_H
#define CS_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/time.h"

/* Civil conversions clamp seconds into [-CS_CLOCK_LIMIT_S,
 * CS_CLOCK_LIMIT_S] (about +-31 million years), so every int64 input is
 * defined and every year fits an int32. */
#define CS_CLOCK_LIMIT_S ((int64_t)1000000000000000)

/* Weekday (0 = Sunday) of day `days` since 1970-01-01, a Thursday. */
static inline int cs_days_wday(int64_t days)
{
    return (int)(days + 4 - cs_floor_div(days + 4, 7) * 7);
}

/* A time zone: opaque, heap-allocated, immutable after load, so it may be
 * shared by any number of readers. Every function below that takes a
 * const struct cs_tz * reads NULL as UTC. */
struct cs_tz;

/* Load a zone. name is "UTC" (also "Etc/UTC" and "Z", built in), a fixed
 * offset "+05:30", "-08:00", "+0530" or "+05" (hours 00-23), or an IANA
 * name read from $TZDIR or /usr/share/zoneinfo. Absolute paths, ".." and
 * characters outside [A-Za-z0-9/_+-] are rejected, as are "Local" and
 * "localtime" (the machine's own zone would make runs machine-dependent).
 * Returns 0 with *out set (free it with cs_tz_destroy), or a negative code
 * with *out NULL and err->msg filled (path, line and col left 0 for the
 * caller): CS_ENOENT for an unknown zone, e.g.
 *   unknown time zone "Mars/Base" (no /usr/share/zoneinfo/Mars/Base; is the
 *   tzdata package installed?)
 * CS_EPARSE for a bad name or a file that is not valid TZif (or has
 * leap-second records), CS_EIO for a file that cannot be read, CS_ENOMEM.
 * Cost: one file read; lookups never touch the file again. */
int cs_tz_load(struct cs_tz **out, const char *name, struct cs_err *err);

/* Free a zone; NULL is a no-op. */
void cs_tz_destroy(struct cs_tz *tz);

/* The name given to cs_tz_load(), owned by tz ("UTC" for NULL). */
const char *cs_tz_name(const struct cs_tz *tz);

/* Seconds east of UTC in force at utc_s. O(log transitions). */
int32_t cs_tz_offset(const struct cs_tz *tz, int64_t utc_s);

/* The offset at utc_s and an interval [*from, *to) holding utc_s over
 * which that offset is constant (INT64_MIN / INT64_MAX when unbounded;
 * the interval is not necessarily the largest one). from and to may be
 * NULL. O(log transitions). */
int32_t cs_tz_lookup(const struct cs_tz *tz, int64_t utc_s, int64_t *from,
                     int64_t *to);

/* A caller-owned memo of the last answer: O(1) while calls stay in
 * [from, to). One cache per caller and zone; it holds no pointer. */
struct cs_tz_cache {
    int64_t from, to; /* UTC s, the interval the offset holds over */
    int32_t offset;   /* s east of UTC */
};

/* Make the cache empty (the next call looks the zone up). */
void cs_tz_cache_init(struct cs_tz_cache *c);

/* cs_tz_offset() through the cache c, which must have been used with this
 * zone only (cs_tz_cache_init() before switching zones). */
int32_t cs_tz_offset_cached(const struct cs_tz *tz, struct cs_tz_cache *c,
                            int64_t utc_s);

/* The first instant > utc_s at which the offset changes, or INT64_MAX if
 * it never does (UTC, fixed offsets, zones without DST any more). */
int64_t cs_tz_next_change(const struct cs_tz *tz, int64_t utc_s);

/* A broken-down wall time. */
struct cs_civil {
    int32_t year;
    int mon, mday, hour, min, sec; /* mon 1-12, mday 1-31 */
    int wday;                      /* 0 = Sunday */
    int yday;                      /* 0-365 */
};

/* Days since 1970-01-01 of year-mon-mday in the proleptic Gregorian
 * calendar (Howard Hinnant's days_from_civil). Out-of-range months and
 * days are normalised arithmetically, as Go's time.Date does: month 13 is
 * January of the next year, day 0 the last day of the previous month. */
int64_t cs_civil_days(int32_t year, int mon, int mday);

/* Split s, seconds since the epoch of a wall time (UTC, or already shifted
 * by an offset), into *c. s is clamped to +-CS_CLOCK_LIMIT_S. */
void cs_civil_from_seconds(int64_t s, struct cs_civil *c);

/* Local wall time of utc_s in tz; *offset_out (may be NULL) gets the
 * offset used. */
void cs_tz_local(const struct cs_tz *tz, int64_t utc_s, struct cs_civil *out,
                 int32_t *offset_out);

/* Local wall time (local->year .. local->sec; wday and yday ignored, other
 * fields normalised as cs_civil_days does) to UTC seconds in *utc_s.
 * Returns
 *   0  the wall time exists once;
 *   1  it exists twice (clocks went back): *utc_s is the EARLIER instant;
 *   2  it does not exist (clocks jumped over it): *utc_s is the wall time
 *      read with the offset in force before the jump, which lands after
 *      the gap (02:30 on a New York spring-forward day is 03:30 EDT).
 * Rule 2 is what Java's ZonedDateTime and the RFC 5545 calendars do and is
 * the same on both sides of Greenwich; Go's time.Date gives this answer
 * east of UTC but the instant before the gap west of it (01:30 EST).
 * cron.c does not use this function: it reproduces Go's rule itself. */
int cs_tz_from_local(const struct cs_tz *tz, const struct cs_civil *local,
                     int64_t *utc_s);

/* Parse an ISO-8601 date-time a user writes:
 *   2026-11-27                    local midnight
 *   2026-11-27T11:30              also "2026-11-27 11:30"
 *   2026-11-27T11:30:00           seconds 00-59 (no leap second)
 *   2026-11-27T11:30:00.5         fraction of 1-9 digits, kept to the
 *                                 millisecond and rounded down
 *   ...Z  ...+01:00  ...+0100  ...+01   an explicit offset (hours 00-23;
 *                                 also +HH:MM:SS, which format_iso writes)
 * Years are 0000-9999 (4 digits) and the instant, in UTC, from
 * 0001-01-01T00:00:00Z to 9999-12-30T23:59:59Z (so that it can be written
 * in any zone and read back); every field is range-checked (month 13,
 * 30 February, hour 24 and minute 60 are errors; write 24:00 as 00:00 of
 * the next day). Without an offset the wall time is local to tz (NULL
 * meaning UTC): a time skipped by a DST change is an error, a repeated one
 * is the earlier instant. Returns 0 with *utc_ms set, or CS_EPARSE with
 * err->msg saying what is wrong and err->col the 1-based column of s where
 * it is (path and line left 0); *utc_ms is untouched on failure. */
int cs_clock_parse_iso(const char *s, const struct cs_tz *tz, int64_t *utc_ms,
                       struct cs_err *err);

/* Format utc_ms as seen at offset_s: "2026-11-27T11:30:00-05:00", with
 * ".mmm" only when the milliseconds are not 0 and "+00:00" for UTC (never
 * "Z"). An offset with seconds (local mean time before ~1900) is written
 * "+HH:MM:SS". Writes at most n bytes including the NUL (buf may be NULL
 * when n is 0) and returns the length of the full text (snprintf rules). */
int cs_clock_format_iso(char *buf, size_t n, int64_t utc_ms, int32_t offset_s);

/* A time of day "HH:MM" or "HH:MM:SS" (hour 0-23 with one or two digits,
 * minutes and seconds two digits) to seconds since local midnight. Returns
 * 0 with *sec set, or CS_EPARSE with err->msg and err->col; *sec is
 * untouched on failure. */
int cs_clock_parse_tod(const char *s, int32_t *sec, struct cs_err *err);

#endif
