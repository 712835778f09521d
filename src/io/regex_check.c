/* regex_check.c - RE2's limits before POSIX regcomp (see regex_check.h). */
#include "io/regex_check.h"

#include "core/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEPTH_MAX 1000 /* Go's maximum nesting depth */

/* A {n}, {n,} or {n,m} at s (s[0] == '{'): 1 with *max (n when m is
 * absent) and *len, 0 when it is not a repetition (a literal brace). */
static int braces(const char *s, long *max, size_t *len, int *big)
{
    const char *p = s + 1;
    long lo = 0, hi;
    int digits = 0;

    *big = 0;
    while (*p >= '0' && *p <= '9') {
        lo = lo < 100000 ? lo * 10 + (*p - '0') : lo;
        p++;
        digits++;
    }
    if (digits == 0)
        return 0;
    hi = lo;
    if (*p == ',') {
        p++;
        if (*p >= '0' && *p <= '9') {
            hi = 0;
            while (*p >= '0' && *p <= '9') {
                hi = hi < 100000 ? hi * 10 + (*p - '0') : hi;
                p++;
            }
        }
    }
    if (*p != '}')
        return 0;
    *big = lo > 1000 || hi > 1000;
    *max = hi > lo ? hi : lo;
    *len = (size_t)(p - s) + 1;
    return 1;
}

int cs_regex_check(const char *re, char *why, size_t n)
{
    double total[DEPTH_MAX + 1];
    double atom = 0; /* size of the last atom, 0: none to repeat */
    int depth = 0, repeated = 0;
    const char *last_op = re; /* start of the last repetition operator */

    total[0] = 0;
    for (const char *s = re; *s != '\0';) {
        long max = 0;
        size_t len = 1;
        int big = 0, op = *s == '*' || *s == '+' || *s == '?' ||
                          (*s == '{' && braces(s, &max, &len, &big));

        if (op) {
            double mult = *s == '+' ? 2.0 : *s == '{' ? (double)max + 1.0 : 1.0;

            if (repeated && *s == '?' && repeated == 1) {
                repeated = 2; /* a lazy suffix: "a*?" */
                s++;
                continue;
            }
            if (repeated) {
                snprintf(why, n, "invalid nested repetition operator: %.*s",
                         (int)(s + len - last_op), last_op);
                return CS_EINVAL;
            }
            if (big) {
                snprintf(why, n, "invalid repeat count: %.*s", (int)len, s);
                return CS_EINVAL;
            }
            total[depth] += atom * (mult - 1.0);
            atom *= mult;
            repeated = 1;
            last_op = s;
            s += len;
        } else if (*s == '(') {
            if (depth == DEPTH_MAX) {
                snprintf(why, n, "expression nests too deeply");
                return CS_EINVAL;
            }
            total[++depth] = 0;
            atom = 0;
            repeated = 0;
            s++;
        } else if (*s == ')' && depth > 0) {
            atom = total[depth--] + 1.0;
            total[depth] += atom;
            repeated = 0;
            s++;
        } else if (*s == '|') {
            atom = 0; /* nothing to repeat after an alternation */
            repeated = 0;
            s++;
        } else {
            if (*s == '[') { /* a bracket expression is one atom */
                const char *p = s + 1;

                if (*p == '^')
                    p++;
                if (*p == ']')
                    p++;
                while (*p != '\0' && *p != ']')
                    p++;
                s = *p == ']' ? p + 1 : p;
            } else if (*s == '\\' && s[1] != '\0') {
                s += 2;
            } else {
                s++;
            }
            atom = 1.0;
            total[depth] += 1.0;
            repeated = 0;
        }
        if (total[depth] + atom > CS_REGEX_MAX_SIZE) {
            snprintf(why, n, "expression too large");
            return CS_EINVAL;
        }
    }
    return 0;
}
