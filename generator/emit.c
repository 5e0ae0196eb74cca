/* emit.c: indented output with #line tracking (see emit.h). */
#include "emit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append(Emit *e, const char *s, size_t n)
{
    buf_put(&e->out, s, n);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') {
            e->oline++;
            if (e->cur)
                e->cur++;
        }
}

static void directive(Emit *e, int line, const char *file)
{
    if (e->out.len && e->out.p[e->out.len - 1] != '\n')
        append(e, "\n", 1);
    Buf b = {0};
    buf_printf(&b, "#line %d \"%s\"\n", line, file);
    append(e, b.p, b.len);
    buf_free(&b);
    e->cur = line;
}

int emit_map(const Emit *e, int srcline, const char **file)
{
    int lo = 0, hi = e->nmarks; /* the first mark at srcline or after */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (e->marks[mid].at < srcline)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo) {
        *file = e->file;
        return srcline;
    }
    *file = e->marks[lo - 1].file;
    return e->marks[lo - 1].line + srcline - e->marks[lo - 1].at - 1;
}

/* Before a line of .ac code: tell the compiler where it comes from, unless
 * it already believes so. */
static void sync_line(Emit *e)
{
    e->pending = 0;
    if (!e->lines || !e->want)
        return;
    const char *file;
    int line = emit_map(e, e->want, &file);
    if (e->in_ac && e->cur == line && e->cur_file == file)
        return;
    directive(e, line, file);
    e->in_ac = 1;
    e->cur_file = file;
}

void emit_at(Emit *e, int srcline)
{
    e->want = srcline;
    e->pending = 1;
}

void emit_glue(Emit *e)
{
    e->want = 0;
    if (!e->lines || !e->cfile || !e->in_ac)
        return;
    directive(e, e->oline + 2, e->cfile);
    e->in_ac = 0;
}

/* A line that holds the line breaks of a statement spanning several
 * (lower.c keeps them) ends none of them with blanks. */
static void drop_trailing_blanks(Buf *b)
{
    size_t w = 0;
    for (size_t r = 0; r < b->len; r++) {
        if (b->p[r] == '\n')
            while (w > 0 && b->p[w - 1] == ' ')
                w--;
        b->p[w++] = b->p[r];
    }
    b->len = w;
}

static void put_line(Emit *e, int extra_indent, int main, const char *fmt, va_list ap)
{
    if (main || e->pending)
        sync_line(e);
    Buf b = {0};
    for (int i = 0; i < e->indent + extra_indent; i++)
        buf_puts(&b, "    ");
    buf_vprintf(&b, fmt, ap);
    buf_puts(&b, "\n");
    drop_trailing_blanks(&b);
    append(e, b.p, b.len);
    buf_free(&b);
}

void emit_line(Emit *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_line(e, 0, 0, fmt, ap);
    va_end(ap);
}

void emit_stmt(Emit *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_line(e, 0, 1, fmt, ap);
    va_end(ap);
}

/* Labels stand one level left of the code, as in hand-written C. */
void emit_label(Emit *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_line(e, e->indent ? -1 : 0, 0, fmt, ap);
    va_end(ap);
}

/* Does a line of [s, s + n) begin a line directive (`#line`, `# 12`)? */
static int has_line_directive(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && s[i - 1] != '\n')
            continue;
        size_t j = i;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j == n || s[j] != '#')
            continue;
        for (j++; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
            ;
        if (j < n && ((s[j] >= '0' && s[j] <= '9') || (n - j >= 4 && !memcmp(s + j, "line", 4))))
            return 1;
    }
    return 0;
}

void emit_raw(Emit *e, const char *s, size_t n)
{
    sync_line(e);
    append(e, s, n);
    if (has_line_directive(s, n))
        e->cur = 0;
}

void emit_cond(Emit *e, const char *s, size_t n)
{
    e->pending = 0;
    append(e, s, n);
    append(e, "\n", 1);
    e->cur = 0; /* unknown: a #line goes before the next .ac line */
}

/* If the line [p, stop) is `#line N "cfile"`, the length of its text up
 * to the name (and *n = N); else 0.  (Not sscanf: it measures the whole
 * rest of the text each time, which made long functions quadratic.) */
static int glue_line(const char *p, const char *stop, const char *cfile, int *n)
{
    if (!cfile || stop - p < 6 || memcmp(p, "#line ", 6) != 0)
        return 0;
    char *q;
    long v = strtol(p + 6, &q, 10);
    size_t k = strlen(cfile);
    if (q == p + 6 || stop - q < (long)k + 3 || q[0] != ' ' || q[1] != '"' ||
        memcmp(q + 2, cfile, k) != 0 || q[2 + k] != '"')
        return 0;
    *n = (int)v;
    return (int)(q + 2 - p);
}

/* The part's #line directives to the .c count its own lines (its oline
 * started at 0): they move down by the lines of e before it. */
void emit_splice(Emit *e, Emit *part)
{
    const char *p = part->out.p ? part->out.p : "", *end = p + part->out.len;
    int base = e->oline;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl + 1 : end;
        int n, len = glue_line(p, stop, e->cfile, &n);
        if (len) {
            Buf b = {0};
            buf_printf(&b, "#line %d \"%s\"\n", n + base, e->cfile);
            append(e, b.p, b.len);
            buf_free(&b);
        } else {
            append(e, p, (size_t)(stop - p));
        }
        p = stop;
    }
    e->cur = part->in_ac || !part->cur ? part->cur : part->cur + base;
    e->in_ac = part->in_ac;
    e->want = part->want;
}

void emit_open(Emit *e)
{
    emit_line(e, "{");
    e->indent++;
}

void emit_unmapped(Emit *e, const char *fmt, ...)
{
    int pending = e->pending;
    e->pending = 0; /* the #line asked for is the next line's */
    va_list ap;
    va_start(ap, fmt);
    put_line(e, 0, 0, fmt, ap);
    va_end(ap);
    e->pending = pending;
}

void emit_close(Emit *e)
{
    e->indent--;
    emit_line(e, "}");
}

char *emit_cstring(Arena *a, const char *s)
{
    Buf b = {0};
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f) /* a newline in a name would end the line */
            buf_printf(&b, "\\%03o", c);
        else if (c == '"' || c == '\\' || (c == '?' && p > s && p[-1] == '?'))
            buf_printf(&b, "\\%c", c); /* `?\?`: no trigraph at -std=c11 */
        else
            buf_put(&b, p, 1);
    }
    char *r = mem_strndup(a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}
