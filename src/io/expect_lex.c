/*
 * expect_lex.c - tokens of the assertion language (see expect_int.h).
 *
 * The lexer is pulled by the parser one token at a time, so the parser can
 * ask for a different kind of token where the grammar needs one: after
 * `workload=` or `[` it calls ex_lex_value(), which reads DNS-like names
 * such as `web-v2` as one word, where ex_lex_next() would see a subtraction.
 *
 * Numbers carry their unit: `12`, `0.5`, `1e3` are plain; a number followed
 * by letters is a Go duration (`500ms`, `1h30m`) converted to seconds by
 * cs_duration_parse(); a number followed by `%` is a percentage (80% is 80).
 *
 * Errors are tokens (T_ERR) with a message; the parser locates them at the
 * token's start. The lexer never allocates.
 */
#include "io/expect_int.h"

#include "io/quantity.h"

#include <stdio.h>
#include <string.h>

#define NUMBUF 64 /* longest number or duration token */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_word(char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '/' ||
           c == ':';
}

void ex_lex_init(struct ex_lexer *lx, const char *s, size_t len)
{
    memset(lx, 0, sizeof(*lx));
    lx->s = s;
    lx->len = len;
}

static void skip_blanks(struct ex_lexer *lx)
{
    while (lx->pos < lx->len && is_space(lx->s[lx->pos]))
        lx->pos++;
}

char ex_lex_peek(const struct ex_lexer *lx)
{
    size_t p = lx->pos;

    while (p < lx->len && is_space(lx->s[p]))
        p++;
    return p < lx->len ? lx->s[p] : '\0';
}

static void error(struct ex_lexer *lx, size_t end, const char *msg)
{
    lx->tok = T_ERR;
    lx->end = end;
    snprintf(lx->msg, sizeof(lx->msg), "%s", msg);
}

/* A number, a duration (letters or "µ" after the digits) or a percentage. */
static void lex_number(struct ex_lexer *lx)
{
    const char *s = lx->s;
    size_t p = lx->pos, q;
    char buf[NUMBUF];
    cs_time_ms ms;
    int rc;

    while (p < lx->len && (is_digit(s[p]) || s[p] == '.'))
        p++;
    q = p; /* an exponent only if digits follow the e */
    if (q < lx->len && (s[q] == 'e' || s[q] == 'E')) {
        q++;
        if (q < lx->len && (s[q] == '+' || s[q] == '-'))
            q++;
        if (q < lx->len && is_digit(s[q])) {
            while (q < lx->len && is_digit(s[q]))
                q++;
            p = q;
        }
    }
    lx->unit = EX_U_PLAIN;
    if (p < lx->len && (is_alpha(s[p]) || (unsigned char)s[p] == 0xc2)) {
        lx->unit = EX_U_DURATION;
        while (p < lx->len && (is_alpha(s[p]) || is_digit(s[p]) ||
                               s[p] == '.' || (unsigned char)s[p] >= 0x80))
            p++;
    }
    lx->end = p;
    if (p - lx->start >= NUMBUF) {
        error(lx, p, "number too long");
        return;
    }
    memcpy(buf, s + lx->start, p - lx->start);
    buf[p - lx->start] = '\0';
    if (lx->unit == EX_U_DURATION) {
        rc = cs_duration_parse(buf, &ms);
        if (rc < 0) {
            char m[NUMBUF + 64];

            snprintf(m, sizeof(m),
                     "bad duration '%s' (e.g. 500ms, 90s, 5m, "
                     "1h30m)",
                     buf);
            error(lx, p, m);
            return;
        }
        lx->num = (double)ms / 1000.0;
    } else {
        rc = cs_parse_double(buf, &lx->num);
        if (rc < 0) {
            char m[NUMBUF + 32];

            snprintf(m, sizeof(m), "%s '%s'",
                     rc == CS_ERANGE ? "number out of range" : "bad number",
                     buf);
            error(lx, p, m);
            return;
        }
        if (p < lx->len && s[p] == '%') {
            lx->unit = EX_U_PERCENT;
            lx->end = p + 1;
        }
    }
    lx->tok = T_NUM;
    lx->pos = lx->end;
}

static void lex_ident(struct ex_lexer *lx)
{
    size_t p = lx->pos, n;

    while (p < lx->len && (is_alpha(lx->s[p]) || is_digit(lx->s[p])))
        p++;
    lx->end = lx->pos = p;
    n = p - lx->start;
    lx->tok = T_IDENT;
    if (n == 3 && memcmp(lx->s + lx->start, "and", 3) == 0)
        lx->tok = T_AND;
    else if (n == 2 && memcmp(lx->s + lx->start, "or", 2) == 0)
        lx->tok = T_OR;
    else if (n == 3 && memcmp(lx->s + lx->start, "not", 3) == 0)
        lx->tok = T_NOT;
}

/* "..." with backslash escaping the next byte. */
static void lex_string(struct ex_lexer *lx)
{
    size_t p = lx->pos + 1;

    while (p < lx->len && lx->s[p] != '"') {
        if (lx->s[p] == '\\' && p + 1 < lx->len)
            p++;
        p++;
    }
    if (p >= lx->len) {
        error(lx, p, "unterminated string: a closing '\"' is missing");
        return;
    }
    lx->tok = T_STR;
    lx->end = lx->pos = p + 1;
}

/* Two-byte operators first, then one-byte ones. */
static int lex_operator(struct ex_lexer *lx)
{
    static const struct {
        const char *text;
        int tok;
    } ops[] = {{"<=", T_LE},  {">=", T_GE},  {"==", T_EQ},    {"!=", T_NE},
               {"<", T_LT},   {">", T_GT},   {"=", T_ASSIGN}, {"(", T_LP},
               {")", T_RP},   {"[", T_LB},   {"]", T_RB},     {",", T_COMMA},
               {"@", T_AT},   {"+", T_PLUS}, {"-", T_MINUS},  {"*", T_STAR},
               {"/", T_SLASH}};
    const char *s = lx->s + lx->pos;
    size_t left = lx->len - lx->pos;

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t n = strlen(ops[i].text);

        if (n <= left && memcmp(s, ops[i].text, n) == 0) {
            lx->tok = ops[i].tok;
            lx->end = lx->pos = lx->pos + n;
            return 1;
        }
    }
    return 0;
}

static void lex_bad_char(struct ex_lexer *lx)
{
    const char *s = lx->s + lx->pos;
    size_t left = lx->len - lx->pos;
    unsigned char c = (unsigned char)s[0];
    char m[64];

    if (left >= 2 && memcmp(s, "&&", 2) == 0)
        error(lx, lx->pos + 2, "use 'and' instead of '&&'");
    else if (left >= 2 && memcmp(s, "||", 2) == 0)
        error(lx, lx->pos + 2, "use 'or' instead of '||'");
    else if (c == '!')
        error(lx, lx->pos + 1, "use 'not' (or '!=') instead of '!'");
    else {
        if (c > 0x20 && c < 0x7f)
            snprintf(m, sizeof(m), "unexpected character '%c'", c);
        else
            snprintf(m, sizeof(m), "unexpected byte 0x%02x", c);
        error(lx, lx->pos + 1, m);
    }
}

void ex_lex_next(struct ex_lexer *lx)
{
    char c;

    skip_blanks(lx);
    lx->start = lx->end = lx->pos;
    lx->msg[0] = '\0';
    if (lx->pos >= lx->len) {
        lx->tok = T_END;
        return;
    }
    c = lx->s[lx->pos];
    if (is_digit(c) ||
        (c == '.' && lx->pos + 1 < lx->len && is_digit(lx->s[lx->pos + 1])))
        lex_number(lx);
    else if (is_alpha(c))
        lex_ident(lx);
    else if (c == '"')
        lex_string(lx);
    else if (!lex_operator(lx))
        lex_bad_char(lx);
}

void ex_lex_value(struct ex_lexer *lx)
{
    size_t p;

    skip_blanks(lx);
    if (lx->pos >= lx->len || !is_word(lx->s[lx->pos])) {
        ex_lex_next(lx);
        return;
    }
    lx->start = p = lx->pos;
    while (p < lx->len && is_word(lx->s[p]))
        p++;
    lx->tok = T_WORD;
    lx->end = lx->pos = p;
}

void ex_lex_describe(const struct ex_lexer *lx, char *buf, size_t n)
{
    size_t len = lx->end - lx->start;

    if (lx->tok == T_END) {
        snprintf(buf, n, "the end of the assertion");
        return;
    }
    if (len > 24)
        snprintf(buf, n, "'%.24s...'", lx->s + lx->start);
    else
        snprintf(buf, n, "'%.*s'", (int)len, lx->s + lx->start);
}
