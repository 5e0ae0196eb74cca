/* lex.re: the lexer of the AC dialect (C11 tokens), for re2c 3.0.
 *
 * The input is read whole and NUL-terminated, so the scanner needs no
 * refilling: every negated class excludes NUL and the NUL rule ends the
 * input.  A NUL byte in the source is an error, and a blank to the
 * scanner.  Preprocessor lines become one TK_PPLINE token each (the
 * generator passes them through untouched), with backslash continuations;
 * `%:` opens one as `#` does.
 *
 * A backslash before a newline splices two lines into one before anything
 * else is read (C11 5.1.1.2, phase 2), so it may stand anywhere: between
 * tokens, inside one, at the end of a `//` comment (which then goes on).
 * When the input holds one, the scanner reads a copy without them (`base`)
 * and maps every position back to the source.  A token whose text is not
 * what the compiler reads (a splice inside it, a digraph, a universal
 * character name in an identifier) is respelled, in a copy of the source
 * that becomes s->text (lex.h).
 *
 * Names may hold the characters beyond ASCII that C11 allows in them
 * (Annex D), as universal character names or in UTF-8. */
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
    Token *tok;                /* on the heap until lex_file returns it */
    int n, cap;
    Arena *arena;
    int line;    /* the line of source offset line_at, which only grows */
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

/* Report each run of NUL bytes in the source, and say whether there is
 * one.  The scanner reads them as blanks, as gcc does (where it warns):
 * the input ends at the NUL after it, and a NUL inside a comment or a
 * literal would otherwise end the comment or the literal there. */
static int report_nuls(const Lexer *lx)
{
    const char *s = lx->orig, *end = s + lx->src->len, *p = s;
    int found = 0;
    while ((p = memchr(p, 0, (size_t)(end - p))) != NULL) {
        const char *q = p;
        while (q < end && !*q)
            q++;
        diag_error(lx->src, (int)(p - s), (int)(q - p), "NUL byte in source");
        found = 1;
        p = q;
    }
    return found;
}

/* Scan a copy of the source without its line splices and with blanks for
 * its NUL bytes, if it has any. */
static void unsplice(Lexer *lx)
{
    const char *s = lx->orig;
    size_t len = lx->src->len, i = 0;
    lx->base = (const unsigned char *)s;
    lx->len = (int)len;
    int nuls = report_nuls(lx);
    while (i < len && !splice_at(s + i))
        i++;
    if (i == len && !nuls)
        return;
    unsigned char *b = mem_alloc(lx->arena, len + 1);
    if (i < len)
        lx->map = mem_alloc(lx->arena, sizeof *lx->map * (len + 1));
    int j = 0;
    for (i = 0; i < len;) {
        int n = splice_at(s + i);
        if (n) {
            i += (size_t)n;
            continue;
        }
        if (lx->map)
            lx->map[j] = (int)i;
        b[j++] = s[i] ? (unsigned char)s[i] : ' ';
        i++;
    }
    b[j] = 0;
    if (lx->map)
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

/* Append a token at source offset off (lines come from the source). */
static void push(Lexer *lx, int kind, int off, int len, int ws)
{
    if (lx->n == lx->cap) { /* on the heap: see lex_file */
        lx->cap = lx->cap ? lx->cap * 2 : 1024;
        lx->tok = mem_realloc(lx->tok, sizeof *lx->tok * (size_t)lx->cap);
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

/* May code point c stand in an identifier (C11 Annex D.1), and at its
 * start (D.2)?  The compiler reads the others as stray characters. */
static int ident_char(unsigned c, int first)
{
    static const unsigned allowed[][2] = {
        {0xa8, 0xa8}, {0xaa, 0xaa}, {0xad, 0xad}, {0xaf, 0xaf}, {0xb2, 0xb5}, {0xb7, 0xba},
        {0xbc, 0xbe}, {0xc0, 0xd6}, {0xd8, 0xf6}, {0xf8, 0xff}, {0x100, 0x167f},
        {0x1681, 0x180d}, {0x180f, 0x1fff}, {0x200b, 0x200d}, {0x202a, 0x202e},
        {0x203f, 0x2040}, {0x2054, 0x2054}, {0x2060, 0x206f}, {0x2070, 0x218f},
        {0x2460, 0x24ff}, {0x2776, 0x2793}, {0x2c00, 0x2dff}, {0x2e80, 0x2fff},
        {0x3004, 0x3007}, {0x3021, 0x302f}, {0x3031, 0x303f}, {0x3040, 0xd7ff},
        {0xf900, 0xfd3d}, {0xfd40, 0xfdcf}, {0xfdf0, 0xfe44}, {0xfe47, 0xfffd}};
    static const unsigned not_first[][2] = {
        {0x300, 0x36f}, {0x1dc0, 0x1dff}, {0x20d0, 0x20ff}, {0xfe20, 0xfe2f}};
    if (first)
        for (size_t i = 0; i < sizeof not_first / sizeof not_first[0]; i++)
            if (c >= not_first[i][0] && c <= not_first[i][1])
                return 0;
    if (c >= 0x10000) /* planes 1 to 14, but for each plane's last two */
        return c <= 0xefffd && (c & 0xffff) <= 0xfffd;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (c >= allowed[i][0] && c <= allowed[i][1])
            return 1;
    return 0;
}

/* The value of the n hexadecimal digits at p. */
static unsigned hex(const unsigned char *p, int n)
{
    unsigned c = 0;
    for (int i = 0; i < n; i++)
        c = c << 4 | (unsigned)(p[i] <= '9' ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
    return c;
}

/* The character at p, which the scanner matched as a universal character
 * name or a UTF-8 sequence (or as any other byte): its code point, and its
 * length in *n. */
static unsigned ext_char(const unsigned char *p, int *n)
{
    if (p[0] == '\\') {
        *n = p[1] == 'u' ? 6 : 10;
        return hex(p + 2, *n - 2);
    }
    *n = p[0] < 0x80 ? 1 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
    unsigned c = *n == 1 ? p[0] : p[0] & (0x7fu >> *n);
    for (int i = 1; i < *n; i++)
        c = c << 6 | (p[i] & 0x3fu);
    return c;
}

/* Where the identifier [tok, end) the scanner matched stops being one: at
 * its first character that C11 does not allow there, or at end. */
static const unsigned char *ident_end(const unsigned char *tok, const unsigned char *end)
{
    for (const unsigned char *p = tok; p < end;) {
        int n = 1;
        if ((*p == '\\' || *p >= 0x80) && !ident_char(ext_char(p, &n), p == tok))
            return p;
        p += n;
    }
    return end;
}

/* Respell the last token, the identifier [tok, end) as scanned, with its
 * universal character names in UTF-8: `caf\u00e9` and `café` are one name
 * (C11 6.4.2.1p3), and acc compares names by their text. */
static void respell_ucns(Lexer *lx, const unsigned char *tok, const unsigned char *end)
{
    char *w = mem_alloc(lx->arena, (size_t)(end - tok));
    int k = 0;
    for (const unsigned char *p = tok; p < end;) {
        if (*p != '\\') {
            w[k++] = (char)*p++;
            continue;
        }
        int n;
        unsigned c = ext_char(p, &n);
        p += n;
        if (c < 0x800) {
            w[k++] = (char)(0xc0 | c >> 6);
        } else if (c < 0x10000) {
            w[k++] = (char)(0xe0 | c >> 12);
            w[k++] = (char)(0x80 | (c >> 6 & 0x3f));
        } else {
            w[k++] = (char)(0xf0 | c >> 18);
            w[k++] = (char)(0x80 | (c >> 12 & 0x3f));
            w[k++] = (char)(0x80 | (c >> 6 & 0x3f));
        }
        w[k++] = (char)(0x80 | (c & 0x3f));
    }
    respell(lx, w, k);
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

/* The word after the `#` (or `%:`) of a directive at p, skipping blanks:
 * its start, its length in *n. */
static const unsigned char *pp_word(const unsigned char *p, int *n)
{
    while (*p == ' ' || *p == '\t')
        p++;
    *n = 0;
    while (p[*n] >= 'a' && p[*n] <= 'z')
        ++*n;
    return p;
}

/* Is the directive after the `#` at p `#if 0` or `#elif 0` (blanks and a
 * comment may follow)?  Its group is never compiled. */
static int pp_if0(const unsigned char *p)
{
    int n;
    const unsigned char *w = pp_word(p, &n);
    if (!((n == 2 && !memcmp(w, "if", 2)) || (n == 4 && !memcmp(w, "elif", 4))))
        return 0;
    p = w + n;
    if (*p != ' ' && *p != '\t')
        return 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '0')
        return 0;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return !*p || *p == '\n' || (p[0] == '/' && (p[1] == '*' || p[1] == '/'));
}

/* The end of the text on the line at p that the compiler skips with a
 * group: comments may go on to later lines, and a quote opens a literal
 * only if it closes on the line (an apostrophe in prose does not, and the
 * compiler takes it for a lone character, as here). */
static const unsigned char *dead_line_end(const unsigned char *p)
{
    while (*p && *p != '\n') {
        if (p[0] == '/' && p[1] == '*') {
            const unsigned char *q = (const unsigned char *)strstr((const char *)p + 2, "*/");
            p = q ? q + 2 : p + strlen((const char *)p);
        } else if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
        } else if (*p == '"' || *p == '\'') {
            const unsigned char *q = p + 1;
            while (*q && *q != '\n' && *q != *p)
                q += q[0] == '\\' && q[1] && q[1] != '\n' ? 2 : 1;
            p = *q == *p ? q + 1 : p + 1;
        } else
            p++;
    }
    return p;
}

/* The group of an `#if 0` whose line ends at p: where the line of the
 * `#elif`, `#else` or `#endif` that ends it starts (or the end of the
 * input).  Nothing in it is C (C11 6.10.1p6): prose with an apostrophe,
 * code put aside half-written; it becomes the next token's trivia, copied
 * as written where acc copies the source. */
static const unsigned char *dead_group_end(const unsigned char *p)
{
    int depth = 0;
    while (*p) {
        const unsigned char *line = ++p; /* past the newline */
        while (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\v' || *p == '\r')
            p++;
        if (*p == '#' || (p[0] == '%' && p[1] == ':')) {
            int n;
            const unsigned char *w = pp_word(p + (*p == '#' ? 1 : 2), &n);
            int kind = lex_pp_kind((const char *)w, (size_t)n);
            if (kind == LEX_PP_OPEN)
                depth++;
            else if (kind != LEX_PP_NONE && depth == 0) /* #elif, #else, #endif */
                return line;
            else if (kind == LEX_PP_CLOSE)
                depth--;
        }
        p = dead_line_end(p);
    }
    return p;
}

int lex_pp_kind(const char *d, size_t n)
{
    if ((n == 2 && !memcmp(d, "if", 2)) || (n == 5 && !memcmp(d, "ifdef", 5)) ||
        (n == 6 && !memcmp(d, "ifndef", 6)))
        return LEX_PP_OPEN;
    if (n == 4 && (!memcmp(d, "elif", 4) || !memcmp(d, "else", 4)))
        return LEX_PP_BRANCH;
    return n == 5 && !memcmp(d, "endif", 5) ? LEX_PP_CLOSE : LEX_PP_NONE;
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
        H      = [0-9a-fA-F];
        ucn    = "\\u" H{4} | "\\U" H{8};
        utf8   = [\xc2-\xdf] [\x80-\xbf] | "\xe0" [\xa0-\xbf] [\x80-\xbf]
               | [\xe1-\xec\xee\xef] [\x80-\xbf]{2} | "\xed" [\x80-\x9f] [\x80-\xbf]
               | "\xf0" [\x90-\xbf] [\x80-\xbf]{2} | [\xf1-\xf3] [\x80-\xbf]{3}
               | "\xf4" [\x80-\x8f] [\x80-\xbf]{2};
        X      = ucn | utf8; /* a character beyond ASCII, which names may hold */
        ppnum  = ("." D | D) (D | L | X | "." | [eEpP] [+-])*;
        esc    = "\\" [^\n\x00];
        strlit = ("L" | "u8" | "u" | "U")? ["] ([^"\\\n\x00] | esc)* ["];
        chrlit = ("L" | "u" | "U")? ['] ([^'\\\n\x00] | esc)+ ['];

        "\x00"  { break; } /* the end: the source's NUL bytes are blanks here */
        [ \t\v\f\r\n]+ { goto next; }
        "/*" ([^*\x00] | "*"+ [^*/\x00])* "*"+ "/" { goto next; }
        "/*"    { diag_error(s, src_off(&lx, tok), 2, "unterminated comment");
                  cur = tok + strlen((const char *)tok); goto next; }
        "//" [^\n\x00]* { goto next; }
        "#" | "%:" { if (!at_line_start(&lx, tok)) PUSH(TK_OTHER);
                  int dead = pp_if0(cur); /* #if 0, #elif 0 */
                  cur = pp_end(cur);
                  token(&lx, TK_PPLINE, tok, cur, &ws);
                  if (dead) /* its group: the next token's trivia */
                      cur = dead_group_end(cur);
                  goto next; }

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
        (L | X) (L | D | X)* { /* a name beyond ASCII, up to a character C11
                      does not allow there: that one is a stray character (the
                      name before it stays a name, even a keyword's letters) */
                      cur = ident_end(tok, cur);
                      if (cur == tok) {
                          int n;
                          ext_char(tok, &n);
                          cur = tok + n;
                          PUSH(TK_OTHER);
                      }
                      token(&lx, TK_IDENT, tok, cur, &ws);
                      if (memchr(tok, '\\', (size_t)(cur - tok)))
                          respell_ucns(&lx, tok, cur);
                      goto next; }
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
        utf8 | any { PUSH(TK_OTHER); } /* a character, not a byte of one */
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
    /* The array grew on the heap, as an arena keeps every old copy (with a
     * token per byte they took 56 bytes per byte of input, against 20 for
     * the tokens): cut to its size, it goes to the arena. */
    lx.tok = mem_realloc(lx.tok, sizeof *lx.tok * (size_t)lx.n);
    mem_adopt(a, lx.tok);
    *ntok = lx.n - 1;
    return lx.tok;
}

int lex_name_byte(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || (c & 0xff) >= 0x80;
}

int lex_is(const Src *s, const Token *t, const char *w)
{
    size_t n = strlen(w);
    return (size_t)t->len == n && memcmp(s->text + t->off, w, n) == 0;
}

void lex_copy(const Src *s, const Token *toks, int first, int last, Buf *b)
{
    for (int i = first; i <= last; i++) {
        if (i > first)
            buf_put(b, s->text + toks[i].ws, (size_t)(toks[i].off - toks[i].ws));
        buf_put(b, s->text + toks[i].off, (size_t)toks[i].len);
    }
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
