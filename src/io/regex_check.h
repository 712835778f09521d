/*
 * regex_check.h - refuse regular expressions that POSIX regcomp() would
 * take unbounded memory or time to compile.
 *
 * The cluster autoscaler compiles its priority expander's patterns with
 * Go's regexp (RE2 syntax), which rejects nested repetition operators
 * ("a++", "a*{2}"), repeat counts above 1000 and expressions that expand
 * too far. glibc's regcomp accepts them and duplicates the repeated
 * subtree for every "+" and {n,m}, so "x++++++++++++++++++++++++" or
 * "((a{100}){100}){100}" exhausts memory. capsim applies RE2's rules
 * before regcomp: what it refuses, the real autoscaler refuses too.
 */
#ifndef CS_IO_REGEX_CHECK_H
#define CS_IO_REGEX_CHECK_H

#include <stddef.h>

/* Largest expansion (atoms after repetitions are expanded) accepted. */
#define CS_REGEX_MAX_SIZE 10000

/* 0 if re may be compiled, else CS_EINVAL with the reason in why (n
 * bytes), in the words of Go's regexp/syntax errors. O(length). */
int cs_regex_check(const char *re, char *why, size_t n);

#endif
