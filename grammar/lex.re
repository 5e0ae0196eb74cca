/* lex.re: the lexer of the AC dialect (C11 tokens), for re2c 3.0.
 *
 * The input is read whole and NUL-terminated, so the scanner needs no
 * refilling: every negated class excludes NUL and the NUL rule ends the
 * input.  Preprocessor lines become one TK_PPLINE token each (the generator
 * passes them through untouched), with backslash continuations. */
#include "lex.h"
#include "parse.h"

#include <string.h>

typedef struct Lexer {
    const Src *src;
    const unsigned char *base;
    Token *tok;
    int n, cap;
    Arena *arena;
    int line;      /* current line */
    int line_off;  /* offset where the current line starts */
} Lexer;

static void push(Lexer *lx, int kind, int off, int len, int ws)
{
    if (lx->n == lx->cap) {
        int cap = lx->cap ? lx->cap * 2 : 1024;
        Token *t = mem_alloc(lx->arena, sizeof *t * (size_t)cap);
        if (lx->n)
            memcpy(t, lx->tok, sizeof *t * (size_t)lx->n);
        lx->tok = t;
        lx->cap = cap;
    }
    Token *t = &lx->tok[lx->n++];
    t->kind = kind;
    t->off = off;
    t->len = len;
    t->ws = ws;
    t->line = lx->line;
}

/* Advance the line counter over [from, to). */
static void count_lines(Lexer *lx, const unsigned char *from, const unsigned char *to)
{
    for (; from < to; from++)
        if (*from == '\n') {
            lx->line++;
            lx->line_off = (int)(from + 1 - lx->base);
        }
}

/* Is everything between the start of the line and p blank? */
static int at_line_start(const Lexer *lx, const unsigned char *p)
{
    for (const unsigned char *q = lx->base + lx->line_off; q < p; q++)
        if (*q != ' ' && *q != '\t' && *q != '\f' && *q != '\v' && *q != '\r')
            return 0;
    return 1;
}

/* End of a preprocessor line that starts at p: the newline that is not
 * escaped by a backslash and not inside a comment. */
static const unsigned char *pp_end(const unsigned char *p)
{
    for (;;) {
        if (!*p || *p == '\n')
            return p;
        if (p[0] == '\\' && p[1] == '\n')
            p += 2;
        else if (p[0] == '\\' && p[1] == '\r' && p[2] == '\n')
            p += 3;
        else if (p[0] == '/' && p[1] == '*') {
            const unsigned char *q = (const unsigned char *)strstr((const char *)p + 2, "*/");
            if (!q)
                return p + strlen((const char *)p);
            p = q + 2;
        } else if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
        } else
            p++;
    }
}

Token *lex_file(const Src *s, Arena *a, int *ntok)
{
    Lexer lx = {s, (const unsigned char *)s->text, NULL, 0, 0, a, 1, 0};
    const unsigned char *cur = lx.base, *mar, *tok;
    int ws = 0;
    for (;;) {
        tok = cur;
#define PUSH(k) do { push(&lx, (k), (int)(tok - lx.base), (int)(cur - tok), ws); \
                     ws = (int)(cur - lx.base); goto next; } while (0)
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = cur;
        re2c:define:YYMARKER = mar;
        re2c:yyfill:enable = 0;

        any    = [^\x00];
        L      = [a-zA-Z_$];
        D      = [0-9];
        ppnum  = ("." D | D) (D | L | "." | [eEpP] [+-])*;
        esc    = "\\" ([^\x00] | "\r\n"); /* a backslash-newline splices the line */
        strlit = ("L" | "u8" | "u" | "U")? ["] ([^"\\\n\x00] | esc)* ["];
        chrlit = ("L" | "u" | "U")? ['] ([^'\\\n\x00] | esc)+ ['];

        "\x00"  { if (cur - 1 != lx.base + s->len) { PUSH(TK_OTHER); } break; }
        [ \t\v\f\r]+ { goto next; }
        "\n"    { count_lines(&lx, tok, cur); goto next; }
        "/*" ([^*\x00] | "*"+ [^*/\x00])* "*"+ "/" { count_lines(&lx, tok, cur); goto next; }
        "/*"    { diag_error(s, (int)(tok - lx.base), 2, "unterminated comment");
                  cur = tok + strlen((const char *)tok); count_lines(&lx, tok, cur); goto next; }
        "//" [^\n\x00]* { goto next; }
        "#"     { if (!at_line_start(&lx, tok)) PUSH(TK_OTHER);
                  cur = pp_end(cur); push(&lx, TK_PPLINE, (int)(tok - lx.base), (int)(cur - tok), ws);
                  ws = (int)(cur - lx.base); count_lines(&lx, tok, cur); goto next; }

        "auto" { PUSH(TK_AUTO); }            "break" { PUSH(TK_BREAK); }
        "case" { PUSH(TK_CASE); }            "char" { PUSH(TK_CHAR); }
        "const" { PUSH(TK_CONST); }          "continue" { PUSH(TK_CONTINUE); }
        "default" { PUSH(TK_DEFAULT); }      "do" { PUSH(TK_DO); }
        "double" { PUSH(TK_DOUBLE); }        "else" { PUSH(TK_ELSE); }
        "enum" { PUSH(TK_ENUM); }            "extern" { PUSH(TK_EXTERN); }
        "float" { PUSH(TK_FLOAT); }          "for" { PUSH(TK_FOR); }
        "goto" { PUSH(TK_GOTO); }            "if" { PUSH(TK_IF); }
        "inline" { PUSH(TK_INLINE); }        "int" { PUSH(TK_INT); }
        "long" { PUSH(TK_LONG); }            "register" { PUSH(TK_REGISTER); }
        "restrict" { PUSH(TK_RESTRICT); }    "return" { PUSH(TK_RETURN); }
        "short" { PUSH(TK_SHORT); }          "signed" { PUSH(TK_SIGNED); }
        "sizeof" { PUSH(TK_SIZEOF); }        "static" { PUSH(TK_STATIC); }
        "struct" { PUSH(TK_STRUCT); }        "switch" { PUSH(TK_SWITCH); }
        "typedef" { PUSH(TK_TYPEDEF); }      "union" { PUSH(TK_UNION); }
        "unsigned" { PUSH(TK_UNSIGNED); }    "void" { PUSH(TK_VOID); }
        "volatile" { PUSH(TK_VOLATILE); }    "while" { PUSH(TK_WHILE); }
        "_Alignas" { PUSH(TK_ALIGNAS); }     "_Alignof" { PUSH(TK_ALIGNOF); }
        "_Atomic" { PUSH(TK_ATOMIC); }       "_Bool" { PUSH(TK_BOOL); }
        "_Complex" { PUSH(TK_COMPLEX); }     "_Generic" { PUSH(TK_GENERIC); }
        "_Noreturn" { PUSH(TK_NORETURN); }   "_Static_assert" { PUSH(TK_STATIC_ASSERT); }
        "_Thread_local" { PUSH(TK_THREAD_LOCAL); }

        L (L | D)*  { PUSH(TK_IDENT); }
        ppnum       { PUSH(TK_NUMBER); }
        strlit      { push(&lx, TK_STRING, (int)(tok - lx.base), (int)(cur - tok), ws);
                      ws = (int)(cur - lx.base); count_lines(&lx, tok, cur); goto next; }
        chrlit      { push(&lx, TK_CHARLIT, (int)(tok - lx.base), (int)(cur - tok), ws);
                      ws = (int)(cur - lx.base); count_lines(&lx, tok, cur); goto next; }

        "..." { PUSH(TK_ELLIPSIS); }  ">>=" { PUSH(TK_SHRASSIGN); } "<<=" { PUSH(TK_SHLASSIGN); }
        "+=" { PUSH(TK_ADDASSIGN); }  "-=" { PUSH(TK_SUBASSIGN); }  "*=" { PUSH(TK_MULASSIGN); }
        "/=" { PUSH(TK_DIVASSIGN); }  "%=" { PUSH(TK_MODASSIGN); }  "&=" { PUSH(TK_ANDASSIGN); }
        "^=" { PUSH(TK_XORASSIGN); }  "|=" { PUSH(TK_ORASSIGN); }   ">>" { PUSH(TK_SHR); }
        "<<" { PUSH(TK_SHL); }        "++" { PUSH(TK_INC); }        "--" { PUSH(TK_DEC); }
        "->" { PUSH(TK_ARROW); }      "&&" { PUSH(TK_ANDAND); }     "||" { PUSH(TK_OROR); }
        "<=" { PUSH(TK_LE); }         ">=" { PUSH(TK_GE); }         "==" { PUSH(TK_EQ); }
        "!=" { PUSH(TK_NE); }         ";" { PUSH(TK_SEMI); }        "{" { PUSH(TK_LC); }
        "}" { PUSH(TK_RC); }          "," { PUSH(TK_COMMA); }       ":" { PUSH(TK_COLON); }
        "=" { PUSH(TK_ASSIGN); }      "(" { PUSH(TK_LP); }          ")" { PUSH(TK_RP); }
        "[" { PUSH(TK_LB); }          "]" { PUSH(TK_RB); }          "." { PUSH(TK_DOT); }
        "&" { PUSH(TK_AMP); }         "!" { PUSH(TK_NOT); }         "~" { PUSH(TK_TILDE); }
        "-" { PUSH(TK_MINUS); }       "+" { PUSH(TK_PLUS); }        "*" { PUSH(TK_STAR); }
        "/" { PUSH(TK_SLASH); }       "%" { PUSH(TK_PERCENT); }     "<" { PUSH(TK_LT); }
        ">" { PUSH(TK_GT); }          "^" { PUSH(TK_XOR); }         "|" { PUSH(TK_OR); }
        "?" { PUSH(TK_QUEST); }       "@" { PUSH(TK_AT); }

        ["] | ['] { diag_error(s, (int)(tok - lx.base), 1, "missing terminating %c character", *tok);
                    while (*cur && *cur != '\n') cur++;
                    PUSH(TK_OTHER); }
        any     { PUSH(TK_OTHER); }
        */
    next:;
#undef PUSH
    }
    push(&lx, 0, (int)s->len, 0, ws);
    *ntok = lx.n - 1;
    return lx.tok;
}

int lex_is(const Src *s, const Token *t, const char *w)
{
    size_t n = strlen(w);
    return (size_t)t->len == n && memcmp(s->text + t->off, w, n) == 0;
}

char *lex_text(const Src *s, const Token *toks, Arena *a, int first, int last)
{
    Buf b = {0};
    for (int i = first; i <= last; i++) {
        if (i > first && toks[i].ws < toks[i].off)
            buf_puts(&b, " ");
        buf_put(&b, s->text + toks[i].off, (size_t)toks[i].len);
    }
    char *r = mem_strndup(a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}
