/*
 * junit.h - JUnit XML reports, the format CI servers (Jenkins, GitLab,
 * GitHub reporters) read test results from.
 *
 * The document written is
 *
 *   <testsuites tests= failures= errors= skipped= time=>
 *     <testsuite name= tests= failures= errors= skipped= time=>
 *       <testcase name= classname= time=/>                  (pass)
 *       <testcase ...><failure message=>text</failure></testcase>
 *       <testcase ...><error message=>text</error></testcase>
 *
 * validated by tests/io/junit.xsd. `message` holds the first line of the
 * case's message and the element's text the whole message. Text is
 * XML-escaped; control characters other than tab and newline are dropped
 * (XML 1.0 cannot carry them) and invalid UTF-8 becomes U+FFFD, so any
 * bytes give a well-formed document. Times are seconds with three decimals;
 * negative or non-finite times are written as 0.
 *
 * Ownership: the caller owns every string and array passed in; nothing is
 * kept after cs_junit_write() returns.
 */
#ifndef CS_IO_JUNIT_H
#define CS_IO_JUNIT_H

#include <stddef.h>

#include "core/err.h"

struct cs_junit_case {
    const char *name;      /* test case name; NULL reads as "" */
    const char *classname; /* NULL: the suite's name */
    double time_s;         /* seconds */
    int outcome;           /* enum cs_expect_outcome (io/expect.h) */
    const char *message;   /* failure/error message, NULL on pass */
};

struct cs_junit_suite {
    const char *name; /* NULL reads as "" */
    double time_s;    /* seconds */
    const struct cs_junit_case *cases;
    size_t ncases;
};

/* Write a JUnit XML report (<testsuites> with one <testsuite> per suite,
 * tests/failures/errors/skipped counts, <testcase> with <failure> or
 * <error>) to path atomically (io/ofile.h: a temporary name in the same
 * directory, then rename), replacing any older file. The directory must
 * exist. Returns 0, or CS_EINVAL (path names no file) / CS_EIO /
 * CS_ENOMEM with err filled and nothing left at path or beside it. */
int cs_junit_write(const char *path, const struct cs_junit_suite *suites,
                   size_t nsuites, struct cs_err *err);

#endif
