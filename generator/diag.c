/* diag.c: diagnostics with source line and caret (chibicc's verror_at). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nerrors;
static int dropped;

void diag_init_src(Src *s)
{
    int n = 1;
    for (size_t i = 0; i < s->len; i++)
        n += s->text[i] == '\n';
    s->lines = malloc(sizeof *s->lines * (size_t)(n + 1));
    if (!s->lines) {
        fputs("acc: out of memory\n", stderr);
        exit(1);
    }
    s->nlines = 0;
    s->lines[s->nlines++] = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n')
            s->lines[s->nlines++] = (int)i + 1;
}

void diag_free_src(Src *s)
{
    free(s->lines);
    s->lines = NULL;
}

void diag_loc(const Src *s, int off, int *line, int *col)
{
    int lo = 0, hi = s->nlines - 1;
    while (lo < hi) { /* last line start <= off */
        int mid = (lo + hi + 1) / 2;
        if (s->lines[mid] <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    *line = lo + 1;
    *col = off - s->lines[lo] + 1;
}

/* The source line, then a caret under [off, off+len) on the same line. */
static void show_line(const Src *s, int off, int len)
{
    int line, col;
    diag_loc(s, off, &line, &col);
    const char *start = s->text + s->lines[line - 1];
    const char *end = start;
    while (*end && *end != '\n')
        end++;
    fprintf(stderr, "%5d | %.*s\n", line, (int)(end - start), start);
    fputs("      | ", stderr);
    for (int i = 0; i < col - 1; i++)
        fputc(start[i] == '\t' ? '\t' : ' ', stderr);
    fputc('^', stderr);
    for (int i = 1; i < len && start + col - 1 + i < end; i++)
        fputc('~', stderr);
    fputc('\n', stderr);
}

static void report(const Src *s, int off, int len, const char *kind,
                   const char *fmt, va_list ap)
{
    int line, col;
    diag_loc(s, off, &line, &col);
    fprintf(stderr, "%s:%d:%d: %s: ", s->name, line, col, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    show_line(s, off, len);
}

void diag_error(const Src *s, int off, int len, const char *fmt, ...)
{
    if (nerrors >= DIAG_MAX_ERRORS) {
        if (!dropped++)
            fprintf(stderr, "%s: note: too many errors, stopping\n", s->name);
        nerrors++;
        return;
    }
    nerrors++;
    va_list ap;
    va_start(ap, fmt);
    report(s, off, len, "error", fmt, ap);
    va_end(ap);
}

void diag_warning(const Src *s, int off, int len, const char *fmt, ...)
{
    if (nerrors >= DIAG_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(s, off, len, "warning", fmt, ap);
    va_end(ap);
}

void diag_note(const Src *s, int off, int len, const char *fmt, ...)
{
    if (nerrors > DIAG_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(s, off, len, "note", fmt, ap);
    va_end(ap);
}

void diag_fatal(const char *fmt, ...)
{
    nerrors++;
    va_list ap;
    va_start(ap, fmt);
    fputs("acc: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int diag_errors(void)
{
    return nerrors;
}

void diag_reset(void)
{
    nerrors = 0;
    dropped = 0;
}
