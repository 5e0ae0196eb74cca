/* frame.c: the --frame-sizes report (see frame.h). */
#include "frame.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the base type ------------------------------------------------------ */

/* Typedefs whose LP64 size and alignment acc knows. */
static long typedef_size(const char *w, size_t n, long *align)
{
    static const struct { const char *name; long size, align; } known[] = {
        {"size_t", 8, 8}, {"ssize_t", 8, 8}, {"ptrdiff_t", 8, 8}, {"intptr_t", 8, 8},
        {"uintptr_t", 8, 8}, {"off_t", 8, 8}, {"time_t", 8, 8}, {"int8_t", 1, 1},
        {"uint8_t", 1, 1}, {"int16_t", 2, 2}, {"uint16_t", 2, 2}, {"int32_t", 4, 4},
        {"uint32_t", 4, 4}, {"int64_t", 8, 8}, {"uint64_t", 8, 8}, {"bool", 1, 1},
        {"pid_t", 4, 4}, {"socklen_t", 4, 4}, {"intmax_t", 8, 8}, {"uintmax_t", 8, 8},
        /* structs of pointers and ints: asserted in runtime/src/gencm.c */
        {"ac__gencm", 48, 8}, {"ac_cm", 32, 8},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i].name) == n && !memcmp(known[i].name, w, n)) {
            *align = known[i].align;
            return known[i].size;
        }
    *align = 1;
    return -1;
}

/* The size of the base type named by the words in [t, end) (specifiers and
 * qualifiers), -1 if acc cannot tell; *align: its alignment (at least 1
 * when the size is unknown). */
static long base_size(const char *t, const char *end, long *align)
{
    int nlong = 0, has_int = 0, has_char = 0, has_short = 0, has_float = 0, has_double = 0;
    int has_bool = 0, has_enum = 0, has_struct = 0, other = 0, complex = 0;
    long other_size = -1, other_align = 1;
    *align = 1;
    for (const char *p = t; p < end;) {
        if (!lex_name_byte(*p) || isdigit((unsigned char)*p)) {
            if (*p == '{')
                return -1; /* an inline struct body: not sized here */
            p++;
            continue;
        }
        const char *w = p;
        while (p < end && lex_name_byte(*p))
            p++;
        size_t n = (size_t)(p - w);
#define IS(s) (n == strlen(s) && !memcmp(w, s, n))
        if (IS("long")) nlong++;
        else if (IS("int")) has_int = 1;
        else if (IS("char")) has_char = 1;
        else if (IS("short")) has_short = 1;
        else if (IS("float")) has_float = 1;
        else if (IS("double")) has_double = 1;
        else if (IS("_Bool")) has_bool = 1;
        else if (IS("_Complex") || IS("complex")) complex = 1;
        else if (IS("enum")) has_enum = 1;
        else if (IS("struct") || IS("union")) has_struct = 1;
        else if (IS("const") || IS("volatile") || IS("unsigned") || IS("signed") || IS("static") ||
                 IS("register") || IS("_Atomic") || IS("restrict")) ;
        else if (!has_struct && !has_enum) { other = 1; other_size = typedef_size(w, n, &other_align); }
#undef IS
    }
    long size;
    if (has_struct)
        return -1;
    else if (has_enum)
        size = 4;
    else if (has_double)
        size = nlong ? 16 : 8;
    else if (has_float)
        size = 4;
    else if (has_char || has_bool)
        size = 1;
    else if (has_short)
        size = 2;
    else if (nlong)
        size = 8;
    else if (has_int || !other)
        size = 4; /* `unsigned` alone is an int */
    else {
        *align = other_align;
        return other_size;
    }
    *align = size;
    return complex ? 2 * size : size; /* _Complex: two of its real type */
}

/* ---- attributes --------------------------------------------------------- */

/* The alignment a GNU attribute or an alignment specifier [w, close]
 * asks for in numbers (`aligned(64)`, `_Alignas(32)`; `aligned` alone is
 * the largest, 16), or 0: `unused`, `_Alignas(T)`, a macro. */
static long asked_alignment(const char *w, const char *open, const char *close)
{
    const char *num = open + 1;
    if (!strncmp(w, "__attribute", 11)) { /* find its aligned */
        const char *a = strstr(open, "aligned");
        if (!a || a > close)
            return 0;
        for (a += 7; *a == '_' || isspace((unsigned char)*a); a++)
            ;
        if (*a != '(')
            return 16;
        num = a + 1;
    }
    while (isspace((unsigned char)*num))
        num++;
    return isdigit((unsigned char)*num) ? strtol(num, NULL, 0) : 0;
}

/* Is [w, w + n) a word that opens an attribute or alignment specifier? */
static int attribute_word(const char *w, size_t n)
{
    static const char *const words[] = {"__attribute__", "__attribute", "_Alignas", "alignas"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], w, n))
            return 1;
    return 0;
}

/* text without its attributes and alignment specifiers, whose parentheses
 * would read as a declarator's (malloc'd); *align: the largest alignment
 * they ask for, or 0. */
static char *without_attributes(const char *text, long *align)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    *align = 0;
    for (const char *p = text; out && *p;) {
        const char *w = p;
        while (lex_name_byte(*p))
            p++;
        const char *open = p;
        while (isspace((unsigned char)*open))
            open++;
        if (p > w && *open == '(' && attribute_word(w, (size_t)(p - w))) {
            const char *close = open;
            for (int depth = 0; *close && (depth += (*close == '(') - (*close == ')')) > 0;)
                close++;
            long a = asked_alignment(w, open, close);
            *align = a > *align ? a : *align;
            p = *close ? close + 1 : close;
            continue;
        }
        memcpy(o, w, (size_t)(p - w));
        o += p - w;
        if (p == w)
            *o++ = *p++;
    }
    if (out)
        *o = 0;
    return out;
}

/* ---- the declarator ----------------------------------------------------- */

/* A token of a field's text: a word, a string literal or one character. */
typedef struct Tk {
    const char *p;
    int n;
} Tk;

enum { FIELD_MAX_TOKENS = 128 };

static int tokenize(const char *s, Tk *t, int max)
{
    int n = 0;
    while (*s) {
        if (isspace((unsigned char)*s)) {
            s++;
            continue;
        }
        if (n == max)
            return -1;
        const char *b = s;
        if (lex_name_byte(*s))
            while (lex_name_byte(*s))
                s++;
        else if (*s == '"' || *s == '\'') {
            for (s++; *s && *s != *b; s++)
                if (*s == '\\' && s[1])
                    s++;
            s += *s != 0;
        } else
            s++;
        t[n].p = b;
        t[n++].n = (int)(s - b);
    }
    return n;
}

static int tk_is(const Tk *t, const char *s)
{
    return t->n == (int)strlen(s) && !memcmp(t->p, s, strlen(s));
}

static int tk_word(const Tk *t)
{
    return lex_name_byte(*t->p) && !isdigit((unsigned char)*t->p);
}

static int tk_qualifier(const Tk *t)
{
    return tk_is(t, "const") || tk_is(t, "volatile") || tk_is(t, "restrict") ||
           tk_is(t, "_Atomic") || tk_is(t, "__restrict");
}

/* The value of an integer literal token (`16`, `0x10`, `4u`), or -1 (a
 * macro, a name). */
static long tk_count(const Tk *t)
{
    char *e;
    long v = isdigit((unsigned char)*t->p) ? strtol(t->p, &e, 0) : -1;
    for (; v >= 0 && e < t->p + t->n; e++)
        if (!strchr("uUlL", *e))
            return -1;
    return v;
}

/* The token that closes the bracket at t[i], or n. */
static int tk_closing(const Tk *t, int i, int n)
{
    char open = *t[i].p, close = open == '(' ? ')' : ']';
    for (int d = 0; i < n; i++) {
        d += (t[i].n == 1 && *t[i].p == open) - (t[i].n == 1 && *t[i].p == close);
        if (!d)
            return i;
    }
    return n;
}

/* The declared name among t[0..n): where the declarator starts with a
 * '*' or a '(' that a '*' or '(' follows (`(*fp)(int)`), the first word
 * after it that is no qualifier; otherwise the last word of the words
 * that begin the text (`int x[3]`, `int f(int)`).  *start: the
 * declarator's first token.  -1 if there is no name. */
static int declared_name(const Tk *t, int n, int *start)
{
    int i = 0;
    for (; i < n && tk_word(&t[i]); i++)
        if (tk_is(&t[i], "_Atomic") && i + 1 < n && tk_is(&t[i + 1], "("))
            i = tk_closing(t, i + 1, n); /* the specifier _Atomic(T) */
    if (i < n && (tk_is(&t[i], "*") ||
                  (tk_is(&t[i], "(") && i + 1 < n &&
                   (tk_is(&t[i + 1], "*") || tk_is(&t[i + 1], "("))))) {
        *start = i;
        for (; i < n && !tk_is(&t[i], "[") && !tk_is(&t[i], ")"); i++)
            if (tk_word(&t[i]) && !tk_qualifier(&t[i]))
                return i;
        return -1;
    }
    *start = i - 1;
    return i > 0 && tk_word(&t[i - 1]) ? i - 1 : -1;
}

/* What the declarator makes of the base type, read from the name outward
 * (C's right-left rule): array, pointer or function, one letter each. */
static int derivations(const Tk *t, int n, int name, int start, char *out, long *dims, int max)
{
    int k = 0, l = name - 1, r = name + 1;
    for (;;) {
        while (r < n && k < max && (tk_is(&t[r], "[") || tk_is(&t[r], "("))) {
            int close = tk_closing(t, r, n);
            dims[k] = tk_is(&t[r], "[") && close == r + 2 ? tk_count(&t[r + 1]) : -1;
            out[k++] = tk_is(&t[r], "[") ? 'a' : 'f';
            r = close + 1;
        }
        for (; l >= start && k < max && (tk_is(&t[l], "*") || tk_qualifier(&t[l])); l--)
            if (tk_is(&t[l], "*"))
                out[k++] = 'p';
        if (l >= start && r < n && tk_is(&t[l], "(") && tk_is(&t[r], ")")) {
            l--;
            r++;
            continue;
        }
        return k < max && l < start && r >= n ? k : -1;
    }
}

static long plain_field_size(const char *text, long *align);

long frame_field_size(const char *text, long *align)
{
    long asked;
    char *plain = without_attributes(text, &asked);
    if (!plain) {
        *align = 1;
        return -1;
    }
    long size = plain_field_size(plain, align);
    if (asked > *align)
        *align = asked;
    free(plain);
    return size;
}

enum { FIELD_MAX_DERIVATIONS = 16 };

/* frame_field_size of a field without attributes. */
static long plain_field_size(const char *text, long *align)
{
    Tk t[FIELD_MAX_TOKENS];
    char d[FIELD_MAX_DERIVATIONS];
    long dims[FIELD_MAX_DERIVATIONS], size = 1;
    int start, n = tokenize(text, t, FIELD_MAX_TOKENS);
    int name = n > 0 ? declared_name(t, n, &start) : -1;
    int nd = name >= 0 ? derivations(t, n, name, start, d, dims, FIELD_MAX_DERIVATIONS) : -1;
    *align = 1;
    if (nd < 0)
        return -1;
    int i = 0;
    for (; i < nd && d[i] == 'a'; i++) /* arrays of arrays: their counts */
        size = dims[i] > 0 && size > 0 ? size * dims[i] : -1;
    long elem;
    if (i < nd && d[i] == 'f')
        return -1; /* a function is no field */
    if (i < nd) /* a pointer */
        elem = *align = 8;
    else
        elem = base_size(text, t[start].p, align);
    return size > 0 && elem >= 0 ? size * elem : -1;
}

/* ---- the layout --------------------------------------------------------- */

static long align_to(long n, long a)
{
    return (n + a - 1) / a * a;
}

/* The size and alignment of the field declared on `line` (up to its ';'
 * or the end of the line at nl), reported when unknown. */
static long field_line(const char *line, const char *nl, long *align, FrameSize *r, FILE *out)
{
    const char *semi = memchr(line, ';', (size_t)(nl - line));
    size_t n = (size_t)((semi ? semi : nl) - line);
    char *text = malloc(n + 1);
    if (!text) {
        *align = 1;
        r->unknown++;
        return 0;
    }
    memcpy(text, line, n);
    text[n] = 0;
    long size = frame_field_size(text, align);
    if (size < 0) { /* one byte at least, as any C object, at the alignment
                       acc knows of */
        r->unknown++;
        if (out && *align > 1)
            fprintf(out, "  (size unknown to acc, aligned to at least %ld: %s)\n", *align, text);
        else if (out)
            fprintf(out, "  (size unknown to acc: %s)\n", text);
        size = 1;
    }
    free(text);
    return size;
}

/* Is `line` (its blanks skipped) a line directive, `#line N "file"` or
 * `# N "file"`, which the lowering puts before the fields of variables? */
static int line_directive(const char *line)
{
    if (*line != '#')
        return 0;
    for (line++; *line == ' ' || *line == '\t'; line++)
        ;
    return isdigit((unsigned char)*line) || !strncmp(line, "line", 4);
}

void frame_print(const char *def, const char *end)
{
    for (const char *p = def; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl + 1 : end, *text = p;
        while (text < stop && (*text == ' ' || *text == '\t'))
            text++;
        if (!line_directive(text))
            fwrite(p, 1, (size_t)(stop - p), stdout);
        p = stop;
    }
}

/* Lays out the struct body at *p until the closing "};" of this level.
 * Union members overlap.  Returns the size; *align: the alignment. */
static long layout(const char **p, int is_union, long *align, FrameSize *r, FILE *out)
{
    long size = 0;
    *align = 1;
    for (;;) {
        const char *line = *p;
        const char *nl = strchr(line, '\n');
        if (!nl)
            return size;
        *p = nl + 1;
        while (*line == ' ' || *line == '\t') /* a field after its declaration's blanks */
            line++;
        if (line_directive(line))
            continue;
        if (*line == '#' || !strncmp(line, "%:", 2)) {
            r->conditional = 1; /* its fields count as if every group held */
            continue;
        }
        long fsize, falign;
        if (!strncmp(line, "};", 2))
            return align_to(size, *align);
        if (!strncmp(line, "union {", 7) || !strncmp(line, "struct {", 8))
            fsize = layout(p, line[0] == 'u', &falign, r, out);
        else if (!strncmp(line, "ac_frame hdr;", 13))
            fsize = 48, falign = 8; /* five pointers and two uint32_t */
        else
            fsize = field_line(line, nl, &falign, r, out);
        if (falign > *align)
            *align = falign;
        if (is_union)
            size = fsize > size ? fsize : size;
        else
            size = align_to(size, falign) + fsize;
    }
}

FrameSize frame_layout(const char *def, FILE *out)
{
    FrameSize r = {0, 1, 0, 0};
    const char *p = strchr(def, '\n');
    if (p) {
        p++;
        r.size = layout(&p, 0, &r.align, &r, out);
    }
    return r;
}

void frame_report(const char *fname, const char *def, int nawaits)
{
    printf("%s:\n", fname);
    FrameSize r = frame_layout(def, stdout);
    const char *awaits = nawaits == 1 ? "" : "s";
    if (r.unknown && r.conditional)
        printf("  frame size unknown (fields acc cannot size, fields under #if), %d await%s\n",
               nawaits, awaits);
    else
        printf("  frame %s%ld bytes (LP64 estimate%s), %d await%s\n",
               r.unknown ? "at least " : r.conditional ? "at most " : "", r.size,
               r.conditional ? ", every #if group counted" : "", nawaits, awaits);
}
