/* diag.h: diagnostics in the gcc format, with the source line and a caret.
 *
 *     x.ac:3:5: error: 'await' outside an async function
 *         3 |     await f();
 *           |     ^~~~~
 *
 * Stages report and keep going; the driver checks diag_errors() between
 * stages.  Past the limits (DIAG_MAX_ERRORS errors, DIAG_MAX_WARNINGS
 * warnings a run, unless diag_set_limits changes them) further ones, and
 * their notes, are counted but not written; at exit one line a kind says
 * how many were not:
 *
 *     x.ac: note: 9980 more warnings not shown (--max-warnings N shows N, 0 all) */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

typedef struct Src {
    const char *name; /* as given on the command line */
    const char *text; /* NUL-terminated contents; lex_file may respell tokens
                         in a copy of them (lex.h) */
    const char *orig; /* the contents as read, once text is such a copy */
    size_t len;
    int *lines; /* byte offset of the start of each line */
    int nlines;
} Src;

/* The contents as read: what diagnostics quote and plain code copies. */
static inline const char *diag_src_text(const Src *s)
{
    return s->orig ? s->orig : s->text;
}

enum { DIAG_MAX_ERRORS = 20, DIAG_MAX_WARNINGS = 20 };
/* The most errors and warnings written (0: no limit). */
void diag_set_limits(int errors, int warnings);
/* The length of the well-formed UTF-8 sequence at p (end: where the text
 * stops), with its code point in *c; 0 if the byte at p starts none. */
int diag_utf8_len(const unsigned char *p, const unsigned char *end, unsigned *c);

void diag_init_src(Src *s); /* fills lines/nlines (malloc'd; diag_free_src) */
void diag_free_src(Src *s);
void diag_loc(const Src *s, int off, int *line, int *col);

void diag_error(const Src *s, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_warning(const Src *s, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_note(const Src *s, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* An error without a location (a file that cannot be read, bad options). */
void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The errors so far; diag_errors also writes the kept diagnostics (in
 * source order), so a stage counts with diag_count while it walks. */
int diag_errors(void);
int diag_count(void);
/* Write the diagnostics kept and the count of those not shown, and forget
 * the errors and warnings counted so far (a fuzz target compiles many
 * inputs). */
void diag_reset(void);

#endif /* DIAG_H */
