/* lex.re: the lexer of the AC dialect (C11 tokens), for re2c 3.0.
 *
 * The input is read whole and NUL-terminated, so the scanner needs no
 * refilling: every negated class excludes NUL and the NUL rule ends the
 * input.  Preprocessor lines become one TK_PPLINE token each (the generator
 * passes them through untouched), with backslash continuations; `%:` opens
 * one as `#` does.
 *
 * A backslash before a newline splices two lines into one before anything
 * else is read (C11 5.1.1.2, phase 2), so it may stand anywhere: between
 * tokens, inside one, at the end of a `//` comment (which then goes on).
 * When the input holds one, the scanner reads a copy without them (`base`)
 * and maps every position back to the source.  A token whose text is not
 * what the compiler reads (a splice inside it, a digraph) is respelled, in
 * a copy of the source that becomes s->text (lex.h). */
#include "lex.h"
#include "parse.h"

#include <string.h>

typedef struct Lexer {
    Src *src;
    const char *orig;          /* the source as read */
    const unsigned char *base; /* the text scanned: orig, or a copy without splices */
    int *map;                  /* the source offset of each byte of base and of its
                                  NUL; NULL when base is orig */
    int len;                   /* the length of base */
    char *spelled;             /* the copy of orig where tokens are respelled, once one is */
    Token *tok;
    int n, cap;
    Arena *arena;
    int line;    /* the line of source offset line_at */
    int line_at;
} Lexer;

/* The length of the line splice at p (a backslash, then a newline or CR LF),
 * or 0 if none starts there. */
static int splice_at(const char *p)
{
    if (p[0] != '\\')
        return 0;
    return p[1] == '\n' ? 2 : p[1] == '\r' && p[2] == '\n' ? 3 : 0;
}

/* Scan a copy of the source without its line splices, if it has any. */
static void unsplice(Lexer *lx)
{
    const char *s = lx->orig;
    size_t len = lx->src->len, i = 0;
    lx->base = (const unsigned char *)s;
    lx->len = (int)len;
    while (i < len && !splice_at(s + i))
        i++;
    if (i == len)
        return;
    unsigned char *b = mem_alloc(lx->arena, len + 1);
    lx->map = mem_alloc(lx->arena, sizeof *lx->map * (len + 1));
    int j = 0;
    for (i = 0; i < len;) {
        int n = splice_at(s + i);
        if (n) {
            i += (size_t)n;
            continue;
        }
        lx->map[j] = (int)i;
        b[j++] = (unsigned char)s[i++];
    }
    b[j] = 0;
    lx->map[j] = (int)len;
    lx->base = b;
    lx->len = j;
}

/* The source offset of scanned position p. */
static int src_off(const Lexer *lx, const unsigned char *p)
{
    int i = (int)(p - lx->base);
    return lx->map ? lx->map[i] : i;
}

/* The source offset just past the scanned text that ends at p. */
static int src_end(const Lexer *lx, const unsigned char *p)
{
    return p > lx->base ? src_off(lx, p - 1) + 1 : 0;
}

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
    for (; lx->line_at < off; lx->line_at++)
        lx->line += lx->orig[lx->line_at] == '\n';
    Token *t = &lx->tok[lx->n++];
    t->kind = kind;
    t->off = off;
    t->len = len;
    t->ws = ws;
    t->line = lx->line;
}

/* Spell the last token as the n bytes of w, no more than its text: in the
 * copy of the source, the bytes left over become blanks that belong to no
 * token and to no trivia (the next token's trivia starts after them). */
static void respell(Lexer *lx, const char *w, int n)
{
    Token *t = &lx->tok[lx->n - 1];
    if (!lx->spelled) {
        lx->spelled = mem_alloc(lx->arena, lx->src->len + 1);
        memcpy(lx->spelled, lx->orig, lx->src->len);
    }
    memmove(lx->spelled + t->off, w, (size_t)n);
    memset(lx->spelled + t->off + n, ' ', (size_t)(t->len - n));
    t->len = n;
}

/* Push the token scanned as [tok, cur); *ws is where its trivia starts in
 * the source, and becomes where the next token's does.  A splice inside it
 * is respelled away, except in preprocessor lines and literals, which are
 * copied as written (the compiler splices them again, and acc does not read
 * into them). */
static void token(Lexer *lx, int kind, const unsigned char *tok, const unsigned char *cur, int *ws)
{
    int off = src_off(lx, tok), end = src_end(lx, cur);
    push(lx, kind, off, end - off, *ws);
    *ws = end;
    if (end - off != cur - tok && kind != TK_PPLINE && kind != TK_STRING && kind != TK_CHARLIT)
        respell(lx, (const char *)tok, (int)(cur - tok));
}

/* Is everything between the start of the line and p blank? */
static int at_line_start(const Lexer *lx, const unsigned char *p)
{
    while (p > lx->base && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\f' || p[-1] == '\v' ||
                            p[-1] == '\r'))
        p--;
    return p == lx->base || p[-1] == '\n';
}

/* End of a preprocessor line that starts at p: the newline that is not
 * inside a comment (splices are gone from the scanned text). */
static const unsigned char *pp_end(const unsigned char *p)
{
    for (;;) {
        if (!*p || *p == '\n')
            return p;
        if (p[0] == '/' && p[1] == '*') {
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

Token *lex_file(Src *s, Arena *a, int *ntok)
{
    Lexer lx = {0};
    lx.src = s;
    lx.orig = s->orig ? s->orig : s->text;
    lx.arena = a;
    lx.line = 1;
    unsplice(&lx);
    const unsigned char *cur = lx.base, *mar, *tok;
    int ws = 0;
    for (;;) {
        tok = cur;
#define PUSH(k) do { token(&lx, (k), tok, cur, &ws); goto next; } while (0)
#define SPELL(k, w) do { token(&lx, (k), tok, cur, &ws); respell(&lx, (w), 1); goto next; } while (0)
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = cur;
        re2c:define:YYMARKER = mar;
        re2c:yyfill:enable = 0;

        any    = [^\x00];
        L      = [a-zA-Z_$];
        D      = [0-9];
        ppnum  = ("." D | D) (D | L | "." | [eEpP] [+-])*;
        esc    = "\\" [^\n\x00];
        strlit = ("L" | "u8" | "u" | "U")? ["] ([^"\\\n\x00] | esc)* ["];
        chrlit = ("L" | "u" | "U")? ['] ([^'\\\n\x00] | esc)+ ['];

        "\x00"  { if (cur - 1 != lx.base + lx.len) { PUSH(TK_OTHER); } break; }
        [ \t\v\f\r\n]+ { goto next; }
        "/*" ([^*\x00] | "*"+ [^*/\x00])* "*"+ "/" { goto next; }
        "/*"    { diag_error(s, src_off(&lx, tok), 2, "unterminated comment");
                  cur = tok + strlen((const char *)tok); goto next; }
        "//" [^\n\x00]* { goto next; }
        "#" | "%:" { if (!at_line_start(&lx, tok)) PUSH(TK_OTHER);
                  cur = pp_end(cur); PUSH(TK_PPLINE); }

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
        strlit      { PUSH(TK_STRING); }
        chrlit      { PUSH(TK_CHARLIT); }

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
        /* digraphs: the tokens they spell, respelled so (C11 6.4.6p3) */
        "<:" { SPELL(TK_LB, "["); }   ":>" { SPELL(TK_RB, "]"); }   "<%" { SPELL(TK_LC, "{"); }
        "%>" { SPELL(TK_RC, "}"); }

        ["] | ['] { diag_error(s, src_off(&lx, tok), 1, "missing terminating %c character", *tok);
                    while (*cur && *cur != '\n') cur++;
                    PUSH(TK_OTHER); }
        any     { PUSH(TK_OTHER); }
        */
    next:;
#undef PUSH
#undef SPELL
    }
    push(&lx, 0, (int)s->len, 0, ws);
    if (lx.spelled) {
        s->orig = lx.orig;
        s->text = lx.spelled;
    }
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
