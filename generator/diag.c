/* diag.c: diagnostics with source line and caret (chibicc's verror_at).
 *
 * A stage finds errors in the order it walks the tree, not the order of the
 * file: diagnostics are kept and written in source order (a note stays with
 * the error before it) when the driver asks for the count between stages,
 * as gcc lists them top down. */
#define _POSIX_C_SOURCE 200809L
#include "diag.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static int nerrors, nwarnings;
static int max_errors = DIAG_MAX_ERRORS, max_warnings = DIAG_MAX_WARNINGS; /* 0: none */
static int hidden_errors, hidden_warnings; /* over the limits, not written */
static char *hidden_file;                 /* the file of the first one hidden (a copy:
                                             the summary is written at exit) */
static int hiding;                        /* the last error or warning was hidden
                                             (and so are its notes) */

/* A diagnostic waiting to be written, with its notes. */
typedef struct Record {
    const Src *src;
    int src_seq; /* seq of the first record of src: files keep their order */
    int off;     /* where in src (INT_MAX: after everything) */
    int seq;     /* order of arrival, for equal places */
    char *text;
    size_t len;
} Record;

static Record *recs;
static int nrecs, caprecs, nseq;

static void oom(void)
{
    fputs("acc: out of memory\n", stderr);
    exit(1);
}

static int record_cmp(const void *a, const void *b)
{
    const Record *x = a, *y = b;
    if (x->src_seq != y->src_seq)
        return x->src_seq < y->src_seq ? -1 : 1;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write the kept diagnostics in source order and forget them. */
static void flush(void)
{
    if (!nrecs)
        return;
    qsort(recs, (size_t)nrecs, sizeof *recs, record_cmp);
    for (int i = 0; i < nrecs; i++)
        fwrite(recs[i].text, 1, recs[i].len, stderr);
    for (int i = 0; i < nrecs; i++)
        free(recs[i].text);
    free(recs); /* (nothing is left for a leak checker at exit) */
    recs = NULL;
    nrecs = caprecs = 0;
}

/* The diagnostics over the limits, counted on one line each after the
 * others, then forgotten. */
static void summary(void)
{
    static const struct {
        int *n;
        const char *what, *option;
    } kinds[] = {{&hidden_errors, "error", "--max-errors"},
                 {&hidden_warnings, "warning", "--max-warnings"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        int n = *kinds[i].n;
        if (n)
            fprintf(stderr, "%s: note: %d more %s%s not shown (%s N shows N, 0 all)\n",
                    hidden_file ? hidden_file : "acc", n, kinds[i].what, n == 1 ? "" : "s",
                    kinds[i].option);
        *kinds[i].n = 0;
    }
    free(hidden_file);
    hidden_file = NULL;
}

static void at_exit(void)
{
    flush();
    summary();
}

static void at_exit_once(void)
{
    static int registered;
    if (!registered++)
        atexit(at_exit);
}

/* A new record at (s, off), or the last one (a note), opened for writing. */
static FILE *record_open(const Src *s, int off, int is_note, Record **out)
{
    Record *r = NULL;
    if (is_note && nrecs) {
        r = &recs[nrecs - 1];
    } else {
        if (nrecs == caprecs) {
            caprecs = caprecs ? 2 * caprecs : 16;
            recs = realloc(recs, sizeof *recs * (size_t)caprecs);
            if (!recs)
                oom();
        }
        at_exit_once();
        r = &recs[nrecs++];
        *r = (Record){s, nseq, off, nseq, NULL, 0};
        for (int i = 0; i < nrecs - 1; i++)
            if (recs[i].src == s) {
                r->src_seq = recs[i].src_seq;
                break;
            }
        nseq++;
    }
    *out = r;
    char *old = r->text;
    size_t oldlen = r->len;
    r->text = NULL;
    FILE *f = open_memstream(&r->text, &r->len);
    if (!f)
        oom();
    if (old) {
        fwrite(old, 1, oldlen, f);
        free(old);
    }
    return f;
}

void diag_init_src(Src *s)
{
    /* A UTF-8 byte order mark, as some editors write: the C compiler skips
       it only at the very start of its input, which the generated file's
       own lines come before, so it is no part of the source here. */
    if (!s->orig && s->len >= 3 && !memcmp(s->text, "\xef\xbb\xbf", 3)) {
        s->text += 3;
        s->len -= 3;
    }
    const char *text = diag_src_text(s);
    int n = 1;
    for (size_t i = 0; i < s->len; i++)
        n += text[i] == '\n';
    s->lines = malloc(sizeof *s->lines * (size_t)(n + 1));
    if (!s->lines) {
        fputs("acc: out of memory\n", stderr);
        exit(1);
    }
    s->nlines = 0;
    s->lines[s->nlines++] = 0;
    for (size_t i = 0; i < s->len; i++)
        if (text[i] == '\n')
            s->lines[s->nlines++] = (int)i + 1;
}

void diag_free_src(Src *s)
{
    free(s->lines);
    s->lines = NULL;
}

/* The length of the well-formed UTF-8 sequence at p (end: where the text
 * stops), with its code point in *c; 0 if the byte at p starts none. */
int diag_utf8_len(const unsigned char *p, const unsigned char *end, unsigned *c)
{
    int n = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
          : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    if (!n || end - p < n)
        return 0;
    *c = n == 1 ? p[0] : p[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        *c = *c << 6 | (p[i] & 0x3f);
    }
    static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (*c < least[n] || *c > 0x10ffff || (*c >= 0xd800 && *c <= 0xdfff))
        return 0; /* overlong, out of range, a surrogate */
    return n;
}

/* The columns a character takes on a terminal: 0 for combining marks, 2
 * for the wide characters of East Asian scripts and for emoji, else 1 (a
 * rough wcwidth for the characters C11 allows in names). */
static int char_width(unsigned c)
{
    static const unsigned zero[][2] = {
        {0x300, 0x36f}, {0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x20d0, 0x20ff}, {0xfe20, 0xfe2f}};
    static const unsigned wide[][2] = {
        {0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf}, {0x4e00, 0x9fff},
        {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe30, 0xfe4f}, {0xff00, 0xff60},
        {0xffe0, 0xffe6}, {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff}, {0x20000, 0x3fffd}};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (c >= zero[i][0] && c <= zero[i][1])
            return 0;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (c >= wide[i][0] && c <= wide[i][1])
            return 2;
    return 1;
}

/* One character of [p, end): its length in bytes, and its width in *w as
 * shown (a byte that is not UTF-8 shows as "<xx>"). */
static int next_char(const unsigned char *p, const unsigned char *end, int *w)
{
    unsigned c;
    int n = *p ? diag_utf8_len(p, end, &c) : 0; /* a NUL shows as <00> too */
    *w = n ? char_width(c) : 4;
    return n ? n : 1;
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
    const unsigned char *p = (const unsigned char *)diag_src_text(s) + s->lines[lo];
    const unsigned char *at = (const unsigned char *)diag_src_text(s) + off;
    int w;
    for (*col = 1; p < at; ++*col) /* characters, not bytes */
        p += next_char(p, at, &w);
}

/* Write [p, end), UTF-8 as it is and every other byte as `bad` prints it:
 * a diagnostic never holds a broken UTF-8 sequence (nor a NUL). */
static void put_text(FILE *out, const char *p, const char *end, const char *bad)
{
    const unsigned char *q = (const unsigned char *)p, *e = (const unsigned char *)end;
    while (q < e) {
        unsigned c;
        int n = *q ? diag_utf8_len(q, e, &c) : 0;
        if (n)
            fwrite(q, 1, (size_t)n, out);
        else
            fprintf(out, bad, *q);
        q += n ? n : 1;
    }
}

/* The length as written of [off, off + len) of s->text: a token respelled
 * in a copy of the source (lex.h) is followed there by blanks where the
 * source still has the rest of it. */
static int written_len(const Src *s, int off, int len)
{
    if (!s->orig || off < 0 || (size_t)off + (size_t)len >= s->len)
        return len;
    size_t q = (size_t)off + (size_t)len;
    while (q < s->len && s->text[q] != s->orig[q])
        q++;
    return (int)(q - (size_t)off);
}

/* The source line, then a caret under [off, off+len) on the same line (not
 * under the backslash of a line splice that ends it), each character as
 * wide as the line shows it. */
static void show_line(FILE *out, const Src *s, int off, int len)
{
    int line, col;
    diag_loc(s, off, &line, &col);
    const char *start = diag_src_text(s) + s->lines[line - 1];
    const char *end = start, *limit = diag_src_text(s) + s->len;
    while (end < limit && *end != '\n') /* a NUL byte does not end the line */
        end++;
    fprintf(out, "%5d | ", line);
    /* the CR of a CRLF line ending is not shown (it would reach the
     * terminal, or an editor's compilation buffer, as a stray ^M) */
    put_text(out, start, end > start && end[-1] == '\r' ? end - 1 : end, "<%02x>");
    fputs("\n      | ", out);
    const unsigned char *p = (const unsigned char *)start, *e = (const unsigned char *)end;
    const unsigned char *at = (const unsigned char *)diag_src_text(s) + off;
    int w;
    while (p < at) {
        if (*p == '\t') {
            fputc('\t', out);
            p++;
            continue;
        }
        p += next_char(p, e, &w);
        fprintf(out, "%*s", w, "");
    }
    const unsigned char *stop = e, *to = at + written_len(s, off, len);
    if (stop > p && stop[-1] == '\r')
        stop--;
    if (*e == '\n' && stop > p && stop[-1] == '\\')
        stop--;
    int width = 0;
    for (const unsigned char *q = p; q < stop && q < to; width += w)
        q += next_char(q, stop, &w);
    fputc('^', out);
    for (int i = 1; i < width; i++)
        fputc('~', out);
    fputc('\n', out);
}

static void report(const Src *s, int off, int len, const char *kind,
                   const char *fmt, va_list ap)
{
    int line, col;
    diag_loc(s, off, &line, &col);
    Record *r;
    FILE *out = record_open(s, off, !strcmp(kind, "note"), &r);
    fprintf(out, "%s:%d:%d: %s: ", s->name, line, col, kind);
    Buf msg = {0};
    buf_vprintf(&msg, fmt, ap);
    if (msg.p)
        put_text(out, msg.p, msg.p + msg.len, "\\x%02x");
    buf_free(&msg);
    fputc('\n', out);
    show_line(out, s, off, len);
    if (fclose(out))
        oom();
}

void diag_set_limits(int errors, int warnings)
{
    max_errors = errors;
    max_warnings = warnings;
}

/* Is a diagnostic of a kind that has had n before it over the limit max?
 * Then it is counted, to be summed up at the end, and not written. */
static int hidden(const Src *s, int n, int max, int *hidden_n)
{
    hiding = max > 0 && n >= max;
    if (hiding) {
        if (!hidden_file)
            hidden_file = strdup(s->name); /* (NULL without memory: "acc") */
        ++*hidden_n;
        at_exit_once();
    }
    return hiding;
}

void diag_error(const Src *s, int off, int len, const char *fmt, ...)
{
    if (hidden(s, nerrors++, max_errors, &hidden_errors))
        return;
    va_list ap;
    va_start(ap, fmt);
    report(s, off, len, "error", fmt, ap);
    va_end(ap);
}

void diag_warning(const Src *s, int off, int len, const char *fmt, ...)
{
    if (hidden(s, nwarnings++, max_warnings, &hidden_warnings))
        return;
    va_list ap;
    va_start(ap, fmt);
    report(s, off, len, "warning", fmt, ap);
    va_end(ap);
}

void diag_note(const Src *s, int off, int len, const char *fmt, ...)
{
    if (hiding)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(s, off, len, "note", fmt, ap);
    va_end(ap);
}

void diag_fatal(const char *fmt, ...)
{
    flush();
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
    flush();
    return nerrors;
}

int diag_count(void)
{
    return nerrors;
}

void diag_reset(void)
{
    flush();
    summary();
    nerrors = nwarnings = 0;
    hiding = 0;
}
