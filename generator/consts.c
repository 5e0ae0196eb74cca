/* consts.c: the values of the simplest integer constant expressions (see
 * consts.h). */
#include "consts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* An integer literal: its value, and whether C may give it an unsigned
 * type (a 'u' suffix, or an octal or hexadecimal value past INT_MAX), in
 * which a '-' in front wraps around. */
static int integer(const char *p, int len, long long *v, int *maybe_unsigned)
{
    int n = len;
    while (n > 0 && strchr("uUlL", p[n - 1]))
        n--;
    char buf[64];
    if (n == 0 || n >= (int)sizeof buf || memchr(p, '.', (size_t)n))
        return 0;
    memcpy(buf, p, (size_t)n);
    buf[n] = 0;
    char *end;
    errno = 0;
    unsigned long long u = strtoull(buf, &end, 0);
    if (errno || *end || u > (unsigned long long)0x7fffffffffffffffLL)
        return 0;
    *v = (long long)u;
    *maybe_unsigned = memchr(p + n, 'u', (size_t)(len - n)) ||
                      memchr(p + n, 'U', (size_t)(len - n)) || (buf[0] == '0' && u > 0x7fffffff);
    return 1;
}

/* A character literal of one ASCII character, plain or a simple escape
 * (`'a'`, `'\n'`, `'\0'`): its value is that of the character, whatever
 * the signedness of char. */
static int character(const char *p, int len, long long *v)
{
    static const char esc[] = "n\nt\tr\ra\ab\bf\fv\v0\0\\\\''\"\"??";
    if (len == 3 && p[0] == '\'' && p[2] == '\'' && p[1] != '\\' && (unsigned char)p[1] < 128) {
        *v = p[1];
        return 1;
    }
    if (len != 4 || p[0] != '\'' || p[1] != '\\' || p[3] != '\'')
        return 0;
    for (size_t k = 0; k + 1 < sizeof esc; k += 2)
        if (esc[k] == p[2]) {
            *v = (unsigned char)esc[k + 1];
            return 1;
        }
    return 0;
}

static int literal(const Src *s, const Token *t, long long *v, int *maybe_unsigned)
{
    const char *p = s->text + t->off;
    *maybe_unsigned = 0;
    if (t->kind == TK_CHARLIT)
        return character(p, t->len, v);
    return t->kind == TK_NUMBER && integer(p, t->len, v, maybe_unsigned);
}

static int value(const Src *s, const Token *toks, const Node *e, long long *v, int *maybe_unsigned)
{
    switch (e ? e->kind : E_IDENT) {
    case E_CONST:
        return literal(s, &toks[e->tok], v, maybe_unsigned);
    case E_PAREN:
        return value(s, toks, e->a, v, maybe_unsigned);
    case E_PRE:
        if ((e->op != TK_PLUS && e->op != TK_MINUS) || !value(s, toks, e->a, v, maybe_unsigned) ||
            (e->op == TK_MINUS && *maybe_unsigned))
            return 0;
        *v = e->op == TK_MINUS ? -*v : *v; /* no overflow: |*v| <= LLONG_MAX */
        return 1;
    default:
        return 0;
    }
}

int consts_value(const Src *s, const Token *toks, const Node *e, long long *v)
{
    int maybe_unsigned;
    long long r;
    if (!value(s, toks, e, &r, &maybe_unsigned))
        return 0;
    *v = r;
    return 1;
}
