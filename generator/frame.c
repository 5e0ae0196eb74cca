/* frame.c: the --frame-sizes report (see frame.h). */
#include "frame.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long typedef_size(const char *w, size_t n)
{
    static const struct { const char *name; long size; } known[] = {
        {"size_t", 8}, {"ssize_t", 8}, {"ptrdiff_t", 8}, {"intptr_t", 8}, {"uintptr_t", 8},
        {"off_t", 8}, {"time_t", 8}, {"int8_t", 1}, {"uint8_t", 1}, {"int16_t", 2},
        {"uint16_t", 2}, {"int32_t", 4}, {"uint32_t", 4}, {"int64_t", 8}, {"uint64_t", 8},
        {"bool", 1}, {"pid_t", 4}, {"socklen_t", 4}, {"intmax_t", 8}, {"uintmax_t", 8},
        {"ac__gencm", 48}, {"ac_cm", 32}, /* asserted in runtime/src/gencm.c */
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i].name) == n && !memcmp(known[i].name, w, n))
            return known[i].size;
    return -1;
}

/* The size of the base type named by the words before the declarator. */
static long base_size(const char *t, const char *end)
{
    int nlong = 0, has_int = 0, has_char = 0, has_short = 0, has_float = 0, has_double = 0;
    int has_bool = 0, has_enum = 0, has_struct = 0, other = 0;
    long other_size = -1;
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
        else if (IS("enum")) has_enum = 1;
        else if (IS("struct") || IS("union")) has_struct = 1;
        else if (IS("const") || IS("volatile") || IS("unsigned") || IS("signed") || IS("static") ||
                 IS("register") || IS("_Atomic") || IS("restrict")) ;
        else if (!has_struct && !has_enum) { other = 1; other_size = typedef_size(w, n); }
#undef IS
    }
    if (has_struct)
        return -1;
    if (has_enum)
        return 4;
    if (has_double)
        return nlong ? 16 : 8;
    if (has_float)
        return 4;
    if (has_char || has_bool)
        return 1;
    if (has_short)
        return 2;
    if (nlong)
        return 8;
    if (has_int)
        return 4;
    return other ? other_size : 4; /* `unsigned` alone is an int */
}

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

static long plain_field_size(const char *text, long *align);

long frame_field_size(const char *text, long *align)
{
    long asked;
    char *plain = without_attributes(text, &asked);
    if (!plain)
        return -1;
    long size = plain_field_size(plain, align);
    if (asked > *align)
        *align = asked;
    free(plain);
    return size;
}

/* frame_field_size of a field without attributes. */
static long plain_field_size(const char *text, long *align)
{
    /* the declarator starts at the first '*' or '(' or at the name: find the
       name as the last identifier before any '[' */
    const char *lb = strchr(text, '[');
    const char *end = lb ? lb : text + strlen(text);
    const char *name = end;
    while (name > text && isspace((unsigned char)name[-1]))
        name--;
    while (name > text && lex_name_byte(name[-1]))
        name--;
    long size;
    if (strchr(text, '(') || memchr(text, '*', (size_t)(name - text)))
        size = 8, *align = 8; /* pointers, function pointers */
    else {
        size = base_size(text, name);
        *align = size > 0 ? (size > 8 ? 16 : size) : 1;
    }
    for (const char *p = lb; size > 0 && p && *p == '['; p = strchr(p + 1, '[')) {
        char *e;
        long n = strtol(p + 1, &e, 0);
        if (*e != ']' || n <= 0)
            return -1;
        size *= n;
    }
    return size;
}

static long align_to(long n, long a)
{
    return (n + a - 1) / a * a;
}

/* Lays out the struct body at *p until the closing "};" of this level.
 * Union members overlap.  Returns the size; *unknown counts unsized fields. */
static long layout(const char **p, int is_union, long *align, int *unknown)
{
    long size = 0;
    *align = 1;
    for (;;) {
        const char *line = *p;
        const char *nl = strchr(line, '\n');
        if (!nl)
            return size;
        *p = nl + 1;
        while (*line == ' ')
            line++;
        if (*line == '#' || !strncmp(line, "%:", 2))
            continue; /* a conditional line: its fields count as if it held */
        long fsize, falign;
        if (!strncmp(line, "};", 2))
            return align_to(size, *align);
        if (!strncmp(line, "union {", 7) || !strncmp(line, "struct {", 8)) {
            fsize = layout(p, line[0] == 'u', &falign, unknown);
        } else if (!strncmp(line, "ac_frame hdr;", 13)) {
            fsize = (long)(5 * sizeof(void *) + 8), falign = 8;
        } else {
            size_t n = (size_t)(strchr(line, ';') && strchr(line, ';') < nl ? strchr(line, ';') - line : nl - line);
            char *text = malloc(n + 1);
            if (!text)
                return size;
            memcpy(text, line, n);
            text[n] = 0;
            fsize = frame_field_size(text, &falign);
            if (fsize < 0) {
                printf("  (size unknown to acc: %s)\n", text);
                ++*unknown;
                fsize = 0, falign = 1;
            }
            free(text);
        }
        if (falign > *align)
            *align = falign;
        if (is_union)
            size = fsize > size ? fsize : size;
        else
            size = align_to(size, falign) + fsize;
    }
}

void frame_report(const char *fname, const char *def, int nawaits)
{
    const char *p = strchr(def, '\n');
    if (!p)
        return;
    p++;
    long align;
    int unknown = 0;
    printf("%s:\n", fname);
    long size = layout(&p, 0, &align, &unknown);
    printf("  frame %s%ld bytes (LP64 estimate), %d await%s\n", unknown ? "at least " : "", size,
           nawaits, nawaits == 1 ? "" : "s");
}
