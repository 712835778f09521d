/*
 * kubectl_sh.c - the commands of a `sh -c SCRIPT` container (see
 * kubectl_int.h): a small POSIX sh tokenizer, and which commands run.
 *
 * Design
 * ------
 * The lexer reads one command at a time: blanks, `#` comments, quotes
 * ('...', and "..." where only \" \\ \$ \` and \newline are escapes),
 * unquoted backslashes, backslash-newline continuations, and the
 * operators ; && || and newline between commands. The words of a command
 * are copied into the arena, since actions borrow their targets.
 *
 * Nothing is expanded: $VAR, ${...}, $(...), $((...)), `...` and unquoted
 * * or ? are kept as written and the first one of each word is noted, and
 * only a word whose value capsim needs (a kubectl command's, or a program
 * name) refuses it, so that `echo "scaled at $(date)"` is fine.
 *
 * Every command is assumed to succeed, as kubectl's do in a simulation: a
 * command after && or ; runs, a command after || never does: it is still
 * read (a syntax error is one) but not run. Pipes, &, ( ), < and > are refused
 * rather than guessed at.
 *
 *   command(): token()* --words--> run(): kubectl --> cs_kubectl_command()
 *                                         echo set true date --> ignored
 *                                         anything else --> error
 *
 * Invariants
 *  1. L.buf and L.w are malloc'd and freed by script() on every path.
 *  2. L.start <= L.wend <= L.pos <= L.len; the command quoted in messages
 *     is s[start..wend), or for a lexing error s[start..end of line).
 */
#include "io/kubectl_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAMS "kubectl, echo, set, true and date"

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(struct kp *kp, int code, const struct cs_ynode *at, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cs_kubectl_vfail(kp, code, at, fmt, ap);
    va_end(ap);
    return rc;
}

/* c is one of set (and not NUL: strchr finds the terminator). */
static int in(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

enum tok { T_END, T_WORD, T_SEMI, T_NL, T_AND, T_OR };

struct lex {
    struct kp *kp;
    const struct cs_ynode *at; /* the script */
    const char *s;
    size_t len, pos;
    size_t start, wend;      /* the command's first byte, its last word's end */
    size_t prev;             /* the previous command's first byte */
    enum tok op;             /* what ended the previous command */
    char *buf;               /* the word being read (malloc) */
    size_t blen, bcap;       /* bytes in buf, its size */
    size_t exp_off, exp_len; /* its first expansion in s; exp_len 0: none */
    struct word *w;          /* the command's words (malloc) */
    size_t nw, wcap;
};

/* A script error: the command from its start to the end of the line the
 * error is on is quoted. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
lex_fail(struct lex *L, int code, const char *fmt, ...)
{
    const char *nl = memchr(L->s + L->pos, '\n', L->len - L->pos);
    size_t end = nl != NULL ? (size_t)(nl - L->s) : L->len;
    struct cmd c = {NULL, 0, L->s + L->start, end - L->start};
    const struct cmd *was = L->kp->cmd;
    va_list ap;
    int rc;

    L->kp->cmd = &c;
    va_start(ap, fmt);
    rc = cs_kubectl_vfail(L->kp, code, L->at, fmt, ap);
    va_end(ap);
    L->kp->cmd = was;
    return rc;
}

static int put(struct lex *L, const char *s, size_t n)
{
    if (n == 0)
        return 0; /* '' before anything was put: buf may still be NULL */
    if (L->bcap - L->blen < n) {
        size_t cap = L->bcap ? L->bcap : 64;
        char *b;

        while (cap - L->blen < n)
            cap *= 2;
        if ((b = realloc(L->buf, cap)) == NULL)
            return cs_kubectl_nomem(L->kp);
        L->buf = b;
        L->bcap = cap;
    }
    memcpy(L->buf + L->blen, s, n);
    L->blen += n;
    return 0;
}

/* s[from..to) is an expansion: kept as written, the first one noted. */
static int expansion(struct lex *L, size_t from, size_t to)
{
    if (L->exp_len == 0) {
        L->exp_off = from;
        L->exp_len = to - from;
    }
    L->pos = to;
    return put(L, L->s + from, to - from);
}

/* Index of the first unescaped q at or after p, or len. */
static size_t find_close(const struct lex *L, size_t p, char q)
{
    for (; p < L->len && L->s[p] != q; p++)
        if (L->s[p] == '\\' && q != '\'')
            p++;
    return p < L->len ? p : L->len;
}

/* End (past the closer) of the ( or { group at p, quotes skipped; 0 if it
 * is not closed. */
static size_t group_end(const struct lex *L, size_t p)
{
    char open = L->s[p], close = open == '(' ? ')' : '}';
    size_t depth = 0;

    for (; p < L->len; p++) {
        char c = L->s[p];

        if (c == '\\')
            p++;
        else if (c == '\'' || c == '"' || c == '`')
            p = find_close(L, p + 1, c);
        else if (c == open)
            depth++;
        else if (c == close && --depth == 0)
            return p + 1;
    }
    return 0;
}

/* $ at L->pos: $NAME, $1, $?, ${...}, $(...), $((...)), or a literal $. */
static int dollar(struct lex *L)
{
    size_t p = L->pos + 1, end;
    char c = p < L->len ? L->s[p] : '\0';

    if (c == '(' || c == '{') {
        if ((end = group_end(L, p)) == 0)
            return lex_fail(L, CS_EPARSE, "unterminated %s",
                            c == '(' ? "$(" : "${");
    } else if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        for (end = p; end < L->len && (in(L->s[end], "_0123456789") ||
                                       (L->s[end] >= 'A' && L->s[end] <= 'Z') ||
                                       (L->s[end] >= 'a' && L->s[end] <= 'z'));
             end++)
            ;
    } else if (in(c, "0123456789@*#?-$!")) {
        end = p + 1;
    } else {
        L->pos++;
        return put(L, "$", 1);
    }
    return expansion(L, L->pos, end);
}

static int backquote(struct lex *L)
{
    size_t end = find_close(L, L->pos + 1, '`');

    if (end == L->len)
        return lex_fail(L, CS_EPARSE, "unterminated backquote");
    return expansion(L, L->pos, end + 1);
}

static int squote(struct lex *L)
{
    size_t end = find_close(L, L->pos + 1, '\'');
    int rc;

    if (end == L->len)
        return lex_fail(L, CS_EPARSE, "unterminated single quote");
    rc = put(L, L->s + L->pos + 1, end - L->pos - 1);
    L->pos = end + 1;
    return rc;
}

static int dquote(struct lex *L)
{
    int rc = 0;

    for (L->pos++; L->pos < L->len && rc == 0;) {
        char c = L->s[L->pos];

        if (c == '"') {
            L->pos++;
            return 0;
        }
        if (c == '\\' && L->pos + 1 < L->len &&
            in(L->s[L->pos + 1], "\"\\$`\n")) {
            if (L->s[L->pos + 1] != '\n')
                rc = put(L, L->s + L->pos + 1, 1);
            L->pos += 2;
        } else if (c == '$') {
            rc = dollar(L);
        } else if (c == '`') {
            rc = backquote(L);
        } else {
            rc = put(L, &c, 1);
            L->pos++;
        }
    }
    return rc < 0 ? rc : lex_fail(L, CS_EPARSE, "unterminated double quote");
}

/* The word at L->pos, appended to L->w. */
static int word(struct lex *L)
{
    int rc = 0;
    char *s;

    L->blen = L->exp_len = 0;
    while (rc == 0 && L->pos < L->len && !in(L->s[L->pos], " \t\n;&|()<>")) {
        char c = L->s[L->pos];

        if (c == '\\' && L->pos + 1 < L->len) {
            if (L->s[L->pos + 1] != '\n')
                rc = put(L, L->s + L->pos + 1, 1);
            L->pos += 2;
        } else if (c == '\'') {
            rc = squote(L);
        } else if (c == '"') {
            rc = dquote(L);
        } else if (c == '$') {
            rc = dollar(L);
        } else if (c == '`') {
            rc = backquote(L);
        } else if (c == '*' || c == '?') {
            rc = expansion(L, L->pos, L->pos + 1);
        } else {
            rc = put(L, &c, 1);
            L->pos++;
        }
    }
    if (rc < 0)
        return rc;
    if (L->nw == L->wcap) {
        size_t cap = L->wcap ? 2 * L->wcap : 16;
        struct word *w = realloc(L->w, cap * sizeof(*w));

        if (w == NULL)
            return cs_kubectl_nomem(L->kp);
        L->w = w;
        L->wcap = cap;
    }
    s = cs_yarena_strndup(L->kp->a, L->buf, L->blen);
    L->w[L->nw] = (struct word){s, L->at, NULL};
    if (L->exp_len > 0)
        L->w[L->nw].exp =
            cs_yarena_strndup(L->kp->a, L->s + L->exp_off, L->exp_len);
    if (s == NULL || (L->exp_len > 0 && L->w[L->nw].exp == NULL))
        return cs_kubectl_nomem(L->kp);
    L->nw++;
    L->wend = L->pos;
    return 0;
}

/* The next token; words go to L->w. */
static int token(struct lex *L, enum tok *t)
{
    char c, next;

    while (L->pos < L->len) {
        c = L->s[L->pos];
        if (c == ' ' || c == '\t')
            L->pos++;
        else if (c == '\\' && L->pos + 1 < L->len && L->s[L->pos + 1] == '\n')
            L->pos += 2;
        else if (c == '#')
            while (L->pos < L->len && L->s[L->pos] != '\n')
                L->pos++;
        else
            break;
    }
    if (L->nw == 0)
        L->start = L->pos;
    if (L->pos == L->len) {
        *t = T_END;
        return 0;
    }
    c = L->s[L->pos];
    next = L->pos + 1 < L->len ? L->s[L->pos + 1] : '\0';
    if (c == '\n' || c == ';') {
        *t = c == '\n' ? T_NL : T_SEMI;
        L->pos++;
        return 0;
    }
    if ((c == '&' || c == '|') && next == c) {
        *t = c == '&' ? T_AND : T_OR;
        L->pos += 2;
        return 0;
    }
    if (c == '&')
        return lex_fail(L, CS_EINVAL, "background jobs (&) are not supported");
    if (c == '|')
        return lex_fail(L, CS_EINVAL, "pipes (|) are not supported");
    if (c == '(' || c == ')')
        return lex_fail(L, CS_EINVAL, "subshells ( ... ) are not supported");
    if (c == '<' || c == '>')
        return lex_fail(L, CS_EINVAL, "redirections (%c) are not supported", c);
    *t = T_WORD;
    return word(L);
}

/* The next command into L->w[0..nw): 1, or 0 at the end of the script.
 * *skip: it follows || and so never runs. */
static int command(struct lex *L, int *skip)
{
    static const char *const names[] = {"", "", ";", "newline", "&&", "||"};
    enum tok t = T_WORD;
    int rc;

    L->nw = 0;
    for (;;) {
        if ((rc = token(L, &t)) < 0)
            return rc;
        if (t == T_WORD)
            continue;
        if (L->nw > 0) {
            *skip = L->op == T_OR;
            L->op = t;
            L->prev = L->start;
            return 1;
        }
        if (t == T_END && (L->op == T_AND || L->op == T_OR)) {
            L->start = L->prev;
            return lex_fail(L, CS_EPARSE, "%s is not followed by a command",
                            names[L->op]);
        }
        if (t == T_END)
            return 0;
        if (t != T_NL)
            return lex_fail(L, CS_EPARSE, "%s without a command before it",
                            names[t]);
    }
}

/* One command of a script: kubectl, ignored, or an error. */
static int run(struct kp *kp, const struct word *w, size_t n)
{
    static const char *const ignored[] = {"echo", "set", "true", "date", NULL};
    const char *prog = cs_kubectl_base(w[0].s);

    if (w[0].exp != NULL)
        return fail(kp, CS_EINVAL, w[0].at, "capsim cannot expand %s",
                    w[0].exp);
    if (strcmp(prog, "kubectl") == 0)
        return cs_kubectl_command(kp, w, n);
    for (const char *const *p = ignored; *p != NULL; p++)
        if (strcmp(prog, *p) == 0)
            return 0;
    return fail(kp, CS_EINVAL, w[0].at,
                "capsim runs only " PROGRAMS " in a script, got \"%s\"",
                w[0].s);
}

static int script(struct kp *kp, const struct cs_ynode *at)
{
    struct lex L = {.kp = kp, .at = at, .s = at->str, .len = at->len};
    struct cmd c = {NULL, 0, at->str, at->len};
    const struct cmd *was = kp->cmd;
    int rc, skip = 0;

    L.op = T_NL;
    while ((rc = command(&L, &skip)) == 1) {
        c = (struct cmd){L.w, L.nw, L.s + L.start, L.wend - L.start};
        kp->cmd = &c;
        if (!skip && (rc = run(kp, L.w, L.nw)) < 0)
            break;
    }
    if (rc == 0 && kp->nkubectl == 0) {
        c = (struct cmd){NULL, 0, at->str, at->len};
        kp->cmd = &c;
        rc = fail(kp, CS_EINVAL, at, "the script runs no kubectl command");
    }
    kp->cmd = was;
    free(L.buf);
    free(L.w);
    return rc;
}

static int letters(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
            return 0;
    return 1;
}

int cs_kubectl_shell(struct kp *kp, const struct word *w, size_t n, size_t i)
{
    size_t j;

    for (j = i + 1; j < n; j++) {
        const char *s = w[j].s;

        if (s[0] == '-' && s[1] == '-' && s[2] != '\0')
            continue; /* --login, --noprofile */
        if ((s[0] != '-' && s[0] != '+') || !letters(s + 1))
            break;
        if (s[0] == '-' && strchr(s, 'c') != NULL) {
            if (j + 1 == n)
                return fail(kp, CS_EPARSE, w[j].at, "%s needs a script", s);
            return script(kp, w[j + 1].at);
        }
        if (strcmp(s + 1, "o") == 0)
            j++; /* -o pipefail */
    }
    return fail(kp, CS_EINVAL, w[j < n ? j : i].at,
                "capsim reads only inline scripts (%s -c SCRIPT)", w[i].s);
}
