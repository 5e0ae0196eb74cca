/* fixture.h: the fixture the generator's unit tests share: one arena, one
 * source (the file t.ac) and what the stages made of it, per test.  Lexing
 * or scanning again replaces the source.  Included by each test_*.c. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "lex.h"
#include "mem.h"
#include "unit.h"

typedef struct Fx {
    Arena *a;
    Src src;
    Token *t; /* fx_lex */
    int n;
    Unit u;   /* fx_scan */
    Emit e;   /* generated text, for tests that lower */
} Fx;

static inline int setup(void **state)
{
    Fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->a = mem_new();
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    Fx *f = *state;
    buf_free(&f->e.out);
    diag_free_src(&f->src);
    mem_free(f->a);
    free(f);
    return 0;
}

/* Lex len bytes of text (text[len] must be the terminating NUL). */
static inline Token *fx_lex(Fx *f, const char *text, size_t len)
{
    diag_free_src(&f->src);
    memset(&f->src, 0, sizeof f->src);
    f->src.name = "t.ac";
    f->src.text = text;
    f->src.len = len;
    diag_init_src(&f->src);
    f->t = lex_file(&f->src, f->a, &f->n);
    return f->t;
}

/* Lex and scan text as the driver does. */
static inline Unit *fx_scan(Fx *f, const char *text)
{
    fx_lex(f, text, strlen(text));
    memset(&f->u, 0, sizeof f->u);
    f->u.src = &f->src;
    f->u.arena = f->a;
    f->u.toks = f->t;
    f->u.ntok = f->n;
    unit_scan(&f->u);
    return &f->u;
}

#endif /* FIXTURE_H */
