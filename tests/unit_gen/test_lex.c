/* test_lex.c: the re2c lexer (grammar/lex.re): token kinds, longest match,
 * literals, preprocessor lines, trivia, lines, errors, lex_is and lex_text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "lex.h"
#include "mem.h"
#include "parse.h"

#include "fixture.h"

/* Lex len bytes of text (text[len] must be the terminating NUL). */
static Token *lexn(Fx *f, const char *text, size_t len)
{
    return fx_lex(f, text, len);
}

static Token *lex(Fx *f, const char *text)
{
    return lexn(f, text, strlen(text));
}

/* The text of token i. */
static const char *tx(Fx *f, int i)
{
    return mem_strndup(f->a, f->src.text + f->t[i].off, (size_t)f->t[i].len);
}

static void assert_kinds(Fx *f, const char *text, const int *kinds, int n)
{
    lex(f, text);
    assert_int_equal(f->n, n);
    for (int i = 0; i < n; i++) {
        if (f->t[i].kind != kinds[i])
            print_error("token %d ('%s') of \"%s\"\n", i, tx(f, i), text);
        assert_int_equal(f->t[i].kind, kinds[i]);
    }
    assert_int_equal(f->t[n].kind, 0);
}

#define KINDS(f, text, ...)                                                   \
    do {                                                                      \
        static const int k_[] = {__VA_ARGS__};                                \
        assert_kinds((f), (text), k_, (int)(sizeof k_ / sizeof *k_));         \
    } while (0)

/* Empty input gives no tokens, only the kind-0 end token at offset len. */
static void test_empty(void **state)
{
    Fx *f = *state;
    lex(f, "");
    assert_int_equal(f->n, 0);
    assert_int_equal(f->t[0].kind, 0);
    lex(f, "  \n\t/* only trivia */ // here\n");
    assert_int_equal(f->n, 0);
    assert_int_equal(f->t[0].kind, 0);
    assert_int_equal(f->t[0].off, (int)f->src.len);
    assert_int_equal(f->t[0].ws, 0);
}

/* C keywords get their own kinds; longer words that start with one don't. */
static void test_keywords(void **state)
{
    Fx *f = *state;
    KINDS(f, "int while return sizeof struct typedef _Bool _Static_assert _Thread_local",
          TK_INT, TK_WHILE, TK_RETURN, TK_SIZEOF, TK_STRUCT, TK_TYPEDEF, TK_BOOL,
          TK_STATIC_ASSERT, TK_THREAD_LOCAL);
    KINDS(f, "integer int2 _int doo iff returned Int", TK_IDENT, TK_IDENT, TK_IDENT,
          TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT);
}

/* The words of the dialect are plain identifiers to the lexer. */
static void test_dialect_words_are_idents(void **state)
{
    Fx *f = *state;
    KINDS(f, "async await defer errdefer throw try catch yield spawn", TK_IDENT, TK_IDENT,
          TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT);
    KINDS(f, "a_b $x _ L u8 u U", TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT,
          TK_IDENT);
}

/* Names may hold the characters C11 allows in them (Annex D), in UTF-8 or as
 * universal character names, which are respelled in UTF-8; another
 * character beyond ASCII is one TK_OTHER token, whole. */
static void test_extended_identifiers(void **state)
{
    Fx *f = *state;
    KINDS(f, "na\xc3\xafve \xe6\xbc\xa2\xe5\xad\x97 x\xcc\x80 caf\\u00e9 \\U0001F600s",
          TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT);
    assert_string_equal(tx(f, 0), "na\xc3\xafve");
    assert_string_equal(tx(f, 3), "caf\xc3\xa9");
    assert_string_equal(tx(f, 4), "\xf0\x9f\x98\x80s");
    assert_int_equal(f->t[4].off, 28);
    assert_int_equal(f->t[4].len, 5);
    assert_string_equal(lex_text(&f->src, f->t, f->a, 3, 4), "caf\xc3\xa9 \xf0\x9f\x98\x80s");
    /* not allowed first (a combining mark), nor at all (U+00A0, an em dash,
       U+0041 as a UCN), not UTF-8 (a lone byte): stray characters */
    KINDS(f, "\\u0300x a\xc2\xa0" "b a\xe2\x80\x94" "b a\\u0041 a\xe9", TK_OTHER, TK_IDENT,
          TK_IDENT, TK_OTHER, TK_IDENT, TK_IDENT, TK_OTHER, TK_IDENT, TK_IDENT, TK_OTHER,
          TK_IDENT, TK_OTHER);
    assert_string_equal(tx(f, 0), "\\u0300");
    assert_string_equal(tx(f, 3), "\xc2\xa0");
    assert_string_equal(tx(f, 6), "\xe2\x80\x94");
    assert_string_equal(tx(f, 9), "\\u0041");
    /* a number may hold one too (a preprocessing number), and a string any */
    KINDS(f, "1\\u00e9 \"\xe9\"", TK_NUMBER, TK_STRING);
}

/* Punctuators take the longest match: >>= over >> over >, ... over ., -> over -. */
static void test_punctuators_longest_match(void **state)
{
    Fx *f = *state;
    KINDS(f, "a>>=b", TK_IDENT, TK_SHRASSIGN, TK_IDENT);
    KINDS(f, "a>>b>c>=d", TK_IDENT, TK_SHR, TK_IDENT, TK_GT, TK_IDENT, TK_GE, TK_IDENT);
    KINDS(f, "a<<=b<<c", TK_IDENT, TK_SHLASSIGN, TK_IDENT, TK_SHL, TK_IDENT);
    KINDS(f, "f(int, ...)", TK_IDENT, TK_LP, TK_INT, TK_COMMA, TK_ELLIPSIS, TK_RP);
    KINDS(f, "p->x.y", TK_IDENT, TK_ARROW, TK_IDENT, TK_DOT, TK_IDENT);
    KINDS(f, "x---y", TK_IDENT, TK_DEC, TK_MINUS, TK_IDENT);
    KINDS(f, "a-->b", TK_IDENT, TK_DEC, TK_GT, TK_IDENT);
    KINDS(f, "..", TK_DOT, TK_DOT);
    KINDS(f, "&&&|||", TK_ANDAND, TK_AMP, TK_OROR, TK_OR);
    KINDS(f, "+= -= *= /= %= &= ^= |= == != <= ++ --", TK_ADDASSIGN, TK_SUBASSIGN,
          TK_MULASSIGN, TK_DIVASSIGN, TK_MODASSIGN, TK_ANDASSIGN, TK_XORASSIGN, TK_ORASSIGN,
          TK_EQ, TK_NE, TK_LE, TK_INC, TK_DEC);
    KINDS(f, "{}[]();:,?~!^%@", TK_LC, TK_RC, TK_LB, TK_RB, TK_LP, TK_RP, TK_SEMI, TK_COLON,
          TK_COMMA, TK_QUEST, TK_TILDE, TK_NOT, TK_XOR, TK_PERCENT, TK_AT);
    lex(f, "a>>=b");
    assert_int_equal(f->t[1].len, 3);
}

/* Digraphs are the punctuators they spell, and are respelled so; `%:` at
 * the start of a line opens a directive as '#' does. */
static void test_digraphs(void **state)
{
    Fx *f = *state;
    KINDS(f, "a<:1:> <%%> <::> %:>", TK_IDENT, TK_LB, TK_NUMBER, TK_RB, TK_LC, TK_RC, TK_LB,
          TK_RB, TK_OTHER, TK_GT);
    assert_string_equal(tx(f, 1), "[");
    assert_string_equal(tx(f, 3), "]");
    assert_string_equal(tx(f, 4), "{");
    assert_string_equal(tx(f, 5), "}");
    assert_string_equal(lex_text(&f->src, f->t, f->a, 0, 5), "a[1] {}");
    assert_int_equal(f->t[5].off, 9);
    assert_int_equal(f->t[6].ws, 11);
    /* longest match: <%= is <% then =, %>= is %> then = */
    KINDS(f, "<%= %>=", TK_LC, TK_ASSIGN, TK_RC, TK_ASSIGN);
    /* with a line splice inside */
    KINDS(f, "x<\\\n:0:\\\n>", TK_IDENT, TK_LB, TK_NUMBER, TK_RB);
    assert_string_equal(tx(f, 3), "]");
    KINDS(f, "  %:define A <:\n%:%:", TK_PPLINE, TK_PPLINE);
    assert_string_equal(tx(f, 0), "%:define A <:");
}

/* Numbers are preprocessing numbers: hex, floats with signed exponents, suffixes. */
static void test_numbers(void **state)
{
    Fx *f = *state;
    static const char *const one[] = {"0",      "42",      "0x1Fu",  "0XffULL", "1.5e+10f",
                                      "1e-3",   ".5",      "3.",     "0x1p-3",  "10UL",
                                      "1.0L",   "0777",    "1E+5L",  "0b101",   "6.02E23"};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
        lex(f, one[i]);
        assert_int_equal(f->n, 1);
        assert_int_equal(f->t[0].kind, TK_NUMBER);
        assert_string_equal(tx(f, 0), one[i]);
    }
    /* a sign belongs to the number only after an exponent letter */
    KINDS(f, "1+2", TK_NUMBER, TK_PLUS, TK_NUMBER);
    KINDS(f, "1e+2", TK_NUMBER);
    KINDS(f, "x[1]-0x2", TK_IDENT, TK_LB, TK_NUMBER, TK_RB, TK_MINUS, TK_NUMBER);
    KINDS(f, "s.a1", TK_IDENT, TK_DOT, TK_IDENT);
}

/* String literals with escapes and encoding prefixes are one token each. */
static void test_strings(void **state)
{
    Fx *f = *state;
    lex(f, "\"a\\\"b\\\\\" \"\" L\"w\" u8\"x\" u\"y\" U\"z\" \"\\n\\t\\x41\\0\"");
    assert_int_equal(f->n, 7);
    for (int i = 0; i < f->n; i++)
        assert_int_equal(f->t[i].kind, TK_STRING);
    assert_string_equal(tx(f, 0), "\"a\\\"b\\\\\"");
    assert_string_equal(tx(f, 1), "\"\"");
    assert_string_equal(tx(f, 2), "L\"w\"");
    assert_string_equal(tx(f, 3), "u8\"x\"");
    assert_string_equal(tx(f, 6), "\"\\n\\t\\x41\\0\"");
    /* comment openers and '//' inside strings are text */
    KINDS(f, "f(\"/* no */ // no\");", TK_IDENT, TK_LP, TK_STRING, TK_RP, TK_SEMI);
    /* a prefix word that is not a prefix stays an identifier */
    KINDS(f, "x\"s\"", TK_IDENT, TK_STRING);
}

/* Character literals, escaped quotes and backslashes and prefixes included. */
static void test_chars(void **state)
{
    Fx *f = *state;
    lex(f, "'a' '\\'' '\\\\' '\\n' L'x' u'y' U'z' '\"' 'ab'");
    assert_int_equal(f->n, 9);
    for (int i = 0; i < f->n; i++)
        assert_int_equal(f->t[i].kind, TK_CHARLIT);
    assert_string_equal(tx(f, 1), "'\\''");
    assert_string_equal(tx(f, 2), "'\\\\'");
    assert_string_equal(tx(f, 4), "L'x'");
    KINDS(f, "c=='/'", TK_IDENT, TK_EQ, TK_CHARLIT);
}

/* A preprocessor line is one TK_PPLINE token, backslash continuations included. */
static void test_pplines(void **state)
{
    Fx *f = *state;
    KINDS(f, "#include <stdio.h>\nint x;", TK_PPLINE, TK_INT, TK_IDENT, TK_SEMI);
    assert_string_equal(tx(f, 0), "#include <stdio.h>");
    assert_int_equal(f->t[1].line, 2);

    const char *def = "#define M(a) \\\n  ((a) + \\\r\n  1)\nM(2)";
    lex(f, def);
    assert_int_equal(f->n, 5);
    assert_int_equal(f->t[0].kind, TK_PPLINE);
    assert_string_equal(tx(f, 0), "#define M(a) \\\n  ((a) + \\\r\n  1)");
    assert_int_equal(f->t[0].line, 1);
    assert_int_equal(f->t[1].kind, TK_IDENT);
    assert_int_equal(f->t[1].line, 4);

    /* leading blanks are allowed; a comment may carry the line over a newline */
    KINDS(f, "  #  pragma once\n#define X /* a\n b */ 1\ny", TK_PPLINE, TK_PPLINE, TK_IDENT);
    assert_string_equal(tx(f, 1), "#define X /* a\n b */ 1");
    assert_int_equal(f->t[2].line, 4);
    /* a '//' comment ends with the line, and a '#' inside it does not start one */
    KINDS(f, "#if A // x\n#endif", TK_PPLINE, TK_PPLINE);
    /* a '#' that does not start a line is not a directive */
    KINDS(f, "a # b", TK_IDENT, TK_OTHER, TK_IDENT);
    /* the last line needs no newline */
    KINDS(f, "x\n#endif", TK_IDENT, TK_PPLINE);
    assert_string_equal(tx(f, 1), "#endif");
}

/* Comments and blanks are not tokens but trivia: ws < off marks them. */
static void test_trivia(void **state)
{
    Fx *f = *state;
    lex(f, "a /* c */ b // d\nc+d");
    assert_int_equal(f->n, 5);
    assert_int_equal(f->t[0].ws, 0);
    assert_int_equal(f->t[0].off, 0);
    /* b's trivia starts right after a and holds the comment */
    assert_int_equal(f->t[1].ws, 1);
    assert_int_equal(f->t[1].off, 10);
    assert_int_equal(f->t[2].ws, 11);
    assert_true(f->t[2].ws < f->t[2].off);
    assert_memory_equal(f->src.text + f->t[2].ws, " // d\n", 6);
    /* adjacent tokens have no trivia */
    assert_int_equal(f->t[3].ws, f->t[3].off);
    assert_int_equal(f->t[4].ws, f->t[4].off);
    /* the end token keeps the trailing trivia */
    lex(f, "x /* tail */");
    assert_int_equal(f->t[1].kind, 0);
    assert_int_equal(f->t[1].ws, 1);
    /* an empty comment separates two tokens; a slash and a star apart open none */
    KINDS(f, "a/**/b", TK_IDENT, TK_IDENT);
    KINDS(f, "a/ *b", TK_IDENT, TK_SLASH, TK_STAR, TK_IDENT);
    KINDS(f, "/* ** / **/x", TK_IDENT);
}

/* Tokens carry 1-based lines, counted through comments and continuations. */
static void test_lines(void **state)
{
    Fx *f = *state;
    lex(f, "a\nb\n\n/* 1\n2\n*/ c\r\n  d \"s\"\n#x \\\n y\ne");
    assert_int_equal(f->n, 7);
    assert_int_equal(f->t[0].line, 1);
    assert_int_equal(f->t[1].line, 2);
    assert_int_equal(f->t[2].line, 6);
    assert_int_equal(f->t[3].line, 7);
    assert_int_equal(f->t[4].line, 7);
    assert_int_equal(f->t[5].kind, TK_PPLINE);
    assert_int_equal(f->t[5].line, 8);
    assert_int_equal(f->t[6].line, 10);
}

/* A line splice is nothing between tokens; inside a token the token is
 * respelled without it in a copy of the source (literals and preprocessor
 * lines keep it); a `//` comment goes on over it.  Offsets and lines stay
 * the source's. */
static void test_line_splices(void **state)
{
    Fx *f = *state;
    static const char text[] = "in\\\nt x = 4\\\r\n1 +\\\n 2; // c \\\n d\ne";
    lex(f, text);
    assert_int_equal(f->n, 8);
    assert_int_equal(f->t[0].kind, TK_INT);
    assert_string_equal(tx(f, 0), "int");
    assert_int_equal(f->t[0].off, 0);
    assert_int_equal(f->t[0].line, 1);
    assert_int_equal(f->t[1].kind, TK_IDENT);
    assert_int_equal(f->t[1].ws, 5); /* right after the token as written */
    assert_int_equal(f->t[1].line, 2);
    assert_int_equal(f->t[3].kind, TK_NUMBER);
    assert_string_equal(tx(f, 3), "41");
    assert_int_equal(f->t[4].kind, TK_PLUS);
    assert_int_equal(f->t[5].kind, TK_NUMBER);
    assert_true(f->t[5].ws < f->t[5].off);
    assert_int_equal(f->t[7].kind, TK_IDENT); /* `d` is in the comment */
    assert_string_equal(tx(f, 7), "e");
    assert_int_equal(f->t[7].line, 6);
    assert_string_equal(lex_text(&f->src, f->t, f->a, 0, 6), "int x = 41 + 2;");
    /* the source as read is kept for diagnostics and plain code */
    assert_memory_equal(f->src.orig, text, sizeof text);
    assert_memory_equal(f->src.text + f->t[1].ws, " x = ", 5); /* trivia as written */

    /* literals and preprocessor lines are copied as written */
    lex(f, "s = \"a\\\nb\";\n#define M \\\n 1\nx");
    assert_int_equal(f->n, 6);
    assert_int_equal(f->t[2].kind, TK_STRING);
    assert_string_equal(tx(f, 2), "\"a\\\nb\"");
    assert_int_equal(f->t[4].kind, TK_PPLINE);
    assert_string_equal(tx(f, 4), "#define M \\\n 1");
    assert_null(f->src.orig); /* nothing respelled */
    /* a splice before a line's first token leaves a directive a directive;
       after a token it does not */
    KINDS(f, "  \\\n#if X\n#endif", TK_PPLINE, TK_PPLINE);
    KINDS(f, "x \\\n# y", TK_IDENT, TK_OTHER, TK_IDENT);
}

/* An unterminated comment is an error, swallows the rest, and ends cleanly. */
static void test_unterminated_comment(void **state)
{
    Fx *f = *state;
    int errs = diag_errors();
    lex(f, "a /* never\nclosed b");
    assert_int_equal(diag_errors(), errs + 1);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->t[0].kind, TK_IDENT);
    assert_int_equal(f->t[1].kind, 0);
}

/* An unterminated string or char is an error and a TK_OTHER up to the end of line. */
static void test_unterminated_literals(void **state)
{
    Fx *f = *state;
    int errs = diag_errors();
    lex(f, "x = \"abc\ny;");
    assert_int_equal(diag_errors(), errs + 1);
    assert_int_equal(f->n, 5);
    assert_int_equal(f->t[2].kind, TK_OTHER);
    assert_string_equal(tx(f, 2), "\"abc");
    assert_int_equal(f->t[3].kind, TK_IDENT);
    assert_int_equal(f->t[3].line, 2);

    errs = diag_errors();
    lex(f, "c = 'a;\n");
    assert_int_equal(diag_errors(), errs + 1);
    assert_int_equal(f->n, 3);
    assert_int_equal(f->t[2].kind, TK_OTHER);

    /* at the very end of the input, without a newline */
    errs = diag_errors();
    lex(f, "\"");
    assert_int_equal(diag_errors(), errs + 1);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->t[1].kind, 0);

    /* the empty character literal is not one */
    errs = diag_errors();
    lex(f, "''");
    assert_true(diag_errors() > errs);
}

/* A NUL byte inside the input is an error (one per run of them) and a
 * blank to the scanner; only the final NUL ends the input. */
static void test_embedded_nul(void **state)
{
    Fx *f = *state;
    int errs = diag_count();
    static const char text[] = "a\0\0b ";
    lexn(f, text, sizeof text - 1);
    assert_int_equal(diag_count(), errs + 1);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->t[0].kind, TK_IDENT);
    assert_int_equal(f->t[1].kind, TK_IDENT);
    assert_int_equal(f->t[1].off, 3);
    assert_int_equal(f->t[2].kind, 0);
    assert_int_equal(f->t[2].off, 5);
    /* a NUL as the last byte of the input too */
    errs = diag_count();
    static const char last[] = "x\0";
    lexn(f, last, sizeof last - 1);
    assert_int_equal(diag_count(), errs + 1);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->t[1].kind, 0);
    /* inside a string or a comment: the literal or the comment goes on */
    errs = diag_count();
    static const char in_str[] = "\"a\0b\"\nx";
    lexn(f, in_str, sizeof in_str - 1);
    assert_int_equal(diag_count(), errs + 1);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->t[0].kind, TK_STRING);
    assert_int_equal(f->t[0].len, 5);
    assert_int_equal(f->t[1].kind, TK_IDENT);
    assert_int_equal(f->t[1].line, 2);
    errs = diag_count();
    static const char in_comment[] = "/* a\0 */\ny";
    lexn(f, in_comment, sizeof in_comment - 1);
    assert_int_equal(diag_count(), errs + 1);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->t[0].kind, TK_IDENT);
    /* with a line splice, whose copy of the source the NUL is a blank in */
    errs = diag_count();
    static const char spliced[] = "a\\\nb\0c";
    lexn(f, spliced, sizeof spliced - 1);
    assert_int_equal(diag_count(), errs + 1);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->t[0].len, 2); /* the name ab, spliced */
    assert_int_equal(f->t[1].off, 5);
}

/* Stray characters become TK_OTHER tokens without an error. */
static void test_other(void **state)
{
    Fx *f = *state;
    int errs = diag_errors();
    KINDS(f, "a ` \\ b", TK_IDENT, TK_OTHER, TK_OTHER, TK_IDENT);
    assert_int_equal(diag_errors(), errs);
}

/* lex_is compares the whole token with a word. */
static void test_lex_is(void **state)
{
    Fx *f = *state;
    lex(f, "await awaits aw");
    assert_true(lex_is(&f->src, &f->t[0], "await"));
    assert_false(lex_is(&f->src, &f->t[1], "await"));
    assert_false(lex_is(&f->src, &f->t[2], "await"));
    assert_false(lex_is(&f->src, &f->t[0], "awai"));
}

/* lex_text folds each run of blanks and comments into one space and keeps adjacency. */
static void test_lex_text(void **state)
{
    Fx *f = *state;
    lex(f, "const  char\n\t * /* c */ const*p[ 3 ]");
    assert_int_equal(f->n, 9);
    assert_string_equal(lex_text(&f->src, f->t, f->a, 0, f->n - 1), "const char * const*p[ 3 ]");
    assert_string_equal(lex_text(&f->src, f->t, f->a, 1, 2), "char *");
    assert_string_equal(lex_text(&f->src, f->t, f->a, 3, 3), "const");
    lex(f, "f(x,y)");
    assert_string_equal(lex_text(&f->src, f->t, f->a, 0, f->n - 1), "f(x,y)");
    /* a preprocessor line's inner text is copied as is */
    lex(f, "#define A  1\nx");
    assert_string_equal(lex_text(&f->src, f->t, f->a, 0, 1), "#define A  1 x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keywords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dialect_words_are_idents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extended_identifiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_punctuators_longest_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digraphs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pplines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trivia, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_splices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unterminated_comment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unterminated_literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_embedded_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lex_is, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lex_text, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
