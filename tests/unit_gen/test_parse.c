/* test_parse.c: the file scan (unit.c), the classifier and the lemon grammar
 * (syntax.c, grammar/parse.y): items, signatures, statement and expression
 * trees, type-name decisions, and syntax errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ast.h"
#include "diag.h"
#include "mem.h"
#include "parse.h"
#include "unit.h"
#include "fixture.h"

static Unit *scan(Fx *f, const char *text)
{
    return fx_scan(f, text);
}


static int nitems(const Fx *f)
{
    int n = 0;
    for (const Item *it = f->u.items; it; it = it->next)
        n++;
    return n;
}

static Item *item(Fx *f, int i)
{
    Item *it = f->u.items;
    while (it && i--)
        it = it->next;
    assert_non_null(it);
    return it;
}

/* The only (or first) item's function, which must have parsed. */
static AsyncFn *fn0(Fx *f, const char *text)
{
    int errs = diag_errors();
    scan(f, text);
    assert_int_equal(diag_errors(), errs);
    AsyncFn *fn = item(f, 0)->fn;
    assert_non_null(fn);
    return fn;
}

/* The text of token i. */
static const char *tok(Fx *f, int i)
{
    assert_true(i >= 0 && i < f->u.ntok);
    return mem_strndup(f->a, f->src.text + f->u.toks[i].off, (size_t)f->u.toks[i].len);
}

/* The text of tokens [first, last], blanks folded. */
static const char *range(Fx *f, int first, int last)
{
    return lex_text(&f->src, f->u.toks, f->a, first, last);
}

/* Statement i of the function's body. */
static Node *st(AsyncFn *fn, int i)
{
    assert_non_null(fn->body);
    assert_int_equal(fn->body->kind, S_BLOCK);
    Node *s = fn->body->a;
    while (s && i--)
        s = s->next;
    assert_non_null(s);
    return s;
}

static int count(const Node *n)
{
    int k = 0;
    for (; n; n = n->next)
        k++;
    return k;
}

#define assert_kind(n, k)                                                      \
    do {                                                                       \
        const Node *n_ = (n);                                                  \
        assert_non_null(n_);                                                   \
        if (n_->kind != (k))                                                   \
            print_error("kind %s, expected %s\n", ast_kind_name(n_->kind), #k); \
        assert_int_equal(n_->kind, (k));                                       \
    } while (0)

/* An async definition: name, return type text, storage, parameters and body. */
static void test_signature(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async int f(int a, char *b) { return a; }\n");
    assert_int_equal(nitems(f), 1);
    assert_string_equal(fn->name, "f");
    assert_string_equal(tok(f, fn->name_tok), "f");
    assert_string_equal(fn->ret, "int");
    assert_false(fn->is_void);
    assert_false(fn->is_static);
    assert_int_equal(count(fn->params_list), 2);
    Node *a = fn->params_list, *b = a->next;
    assert_kind(a, D_PARAM);
    assert_string_equal(tok(f, a->tok), "a");
    assert_string_equal(range(f, a->first, a->last), "int a");
    assert_string_equal(tok(f, b->tok), "b");
    assert_string_equal(range(f, b->first, b->last), "char *b");
    assert_kind(b->a, D_VAR);
    assert_kind(st(fn, 0), S_RETURN);
    assert_kind(st(fn, 0)->a, E_IDENT);
    assert_null(st(fn, 0)->next);
    assert_int_equal(item(f, 0)->first, 0);
    assert_int_equal(item(f, 0)->last, f->u.ntok - 1);
    assert_ptr_equal(unit_find(&f->u, "f", 1), fn);
}

/* A static declaration with a pointer return type: text with qualifiers, no body. */
static void test_static_declaration(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "static async const char * volatile *g(void);\n");
    assert_string_equal(fn->name, "g");
    assert_string_equal(fn->ret, "const char * volatile *");
    assert_true(fn->is_static);
    assert_false(fn->is_void);
    assert_null(fn->body);
    assert_int_equal(count(fn->params_list), 1);
    assert_int_equal(fn->params_list->tok, -1); /* (void): no name */
}

/* void is_void only without a pointer; extern and empty parameter lists parse. */
static void test_void_and_extern(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void h(void) {}\nextern async void *k();\n");
    assert_string_equal(fn->ret, "void");
    assert_true(fn->is_void);
    assert_kind(fn->body, S_BLOCK);
    assert_null(fn->body->a);
    AsyncFn *k = item(f, 1)->fn;
    assert_non_null(k);
    assert_string_equal(k->ret, "void *");
    assert_false(k->is_void);
    assert_false(k->is_static);
    assert_null(k->params_list);
}

/* Only async items are items; plain code passes, plain prototypes are remembered. */
static void test_plain_code_and_attributes(void **state)
{
    Fx *f = *state;
    scan(f, "#include <stdio.h>\n"
            "int x;\n"
            "static inline unsigned long helper(int y) { return y; }\n"
            "struct s { int async; };\n"
            "@contextmanager @with(64) async void f(void) {}\n"
            "const char *name(void);\n"
            "async int g(void);\n");
    assert_int_equal(nitems(f), 2);
    Item *it = item(f, 0);
    assert_string_equal(it->fn->name, "f");
    assert_string_equal(tok(f, it->first), "@");
    assert_non_null(it->attrs);
    assert_non_null(it->attrs->next);
    assert_null(it->attrs->next->next);
    /* the list is in reverse order */
    assert_string_equal(tok(f, it->attrs->name), "with");
    assert_kind(it->attrs->arg, E_CONST);
    assert_string_equal(tok(f, it->attrs->next->name), "contextmanager");
    assert_null(it->attrs->next->arg);
    assert_true(it->fn->is_cm);
    /* @with(64) wraps the body: { async with (64) {} } */
    assert_kind(it->fn->body, S_BLOCK);
    assert_kind(it->fn->body->a, S_WITH);
    assert_kind(it->fn->body->a->a->a, E_CONST);
    assert_string_equal(item(f, 1)->fn->name, "g");
    const PlainFn *h = unit_find_plain(&f->u, "helper", 6);
    assert_non_null(h);
    assert_string_equal(h->ret, "unsigned long");
    const PlainFn *nm = unit_find_plain(&f->u, "name", 4);
    assert_non_null(nm);
    assert_string_equal(nm->ret, "const char *");
    assert_null(unit_find_plain(&f->u, "f", 1));
    assert_int_equal(f->u.nincludes, 1);
}

/* defer, errdefer, try/catch, throw and await build their own nodes. */
static void test_dialect_statements(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async int g(int);\n"
                         "async int f(ac_error *e0) {\n"
                         "    defer cleanup();\n"
                         "    errdefer { undo(); log(1); }\n"
                         "    try { x = 1; } catch (ac_error *e) { log(e); }\n"
                         "    throw e0;\n"
                         "    y = await g(1) + 1;\n"
                         "    await g(3);\n"
                         "    return await g(2);\n"
                         "}\n");
    fn = item(f, 1)->fn;
    Node *s = st(fn, 0);
    assert_kind(s, S_DEFER);
    assert_kind(s->a, S_EXPR);
    assert_kind(s->a->a, E_CALL);
    s = st(fn, 1);
    assert_kind(s, S_ERRDEFER);
    assert_kind(s->a, S_BLOCK);
    assert_int_equal(count(s->a->a), 2);
    s = st(fn, 2);
    assert_kind(s, S_TRY);
    assert_kind(s->a, S_BLOCK);
    assert_kind(s->b, D_PARAM);
    assert_string_equal(tok(f, s->b->tok), "e");
    assert_string_equal(range(f, s->b->first, s->b->last), "ac_error *e");
    assert_kind(s->c, S_BLOCK);
    s = st(fn, 3);
    assert_kind(s, S_THROW);
    assert_kind(s->a, E_IDENT);
    assert_string_equal(tok(f, s->a->tok), "e0");
    s = st(fn, 4);
    assert_kind(s, S_EXPR);
    assert_kind(s->a, E_ASSIGN);
    assert_kind(s->a->b, E_BINARY);
    assert_int_equal(s->a->b->op, TK_PLUS);
    assert_kind(s->a->b->a, E_AWAIT);
    assert_kind(s->a->b->a->a, E_CALL);
    assert_string_equal(tok(f, s->a->b->a->a->a->tok), "g");
    s = st(fn, 5);
    assert_kind(s, S_EXPR);
    assert_kind(s->a, E_AWAIT);
    s = st(fn, 6);
    assert_kind(s, S_RETURN);
    assert_kind(s->a, E_AWAIT);
    assert_null(s->next);
}

/* await is a keyword only before an operand; elsewhere it names a variable. */
static void test_await_contexts(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(void) {\n"
                         "    int await = 0;\n"
                         "    y = await;\n"
                         "    if (await g()) h(await g(), await k());\n"
                         "    T v = await g();\n"
                         "    n = await (g)();\n"
                         "}\n");
    Node *s = st(fn, 0);
    assert_kind(s, S_DECL);
    assert_string_equal(tok(f, s->a->tok), "await");
    s = st(fn, 1);
    assert_kind(s->a->b, E_IDENT);
    s = st(fn, 2);
    assert_kind(s, S_IF);
    assert_kind(s->a, E_AWAIT);
    assert_kind(s->b->a, E_CALL);
    assert_kind(s->b->a->b, E_AWAIT);
    assert_kind(s->b->a->b->next, E_AWAIT);
    s = st(fn, 3);
    assert_kind(s, S_DECL);
    assert_string_equal(tok(f, s->a->tok), "v");
    assert_kind(s->a->a, E_AWAIT);
    s = st(fn, 4);
    assert_kind(s->a->b, E_AWAIT);
    assert_kind(s->a->b->a, E_CALL);
    assert_kind(s->a->b->a->a, E_PAREN);
}

/* The dangling else binds to the nearest if. */
static void test_dangling_else(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(void) {\n"
                         "    if (a) if (b) x(); else y();\n"
                         "    if (a) { if (b) x(); } else y();\n"
                         "}\n");
    Node *s = st(fn, 0);
    assert_kind(s, S_IF);
    assert_null(s->c);
    assert_kind(s->b, S_IF);
    assert_non_null(s->b->c);
    assert_string_equal(tok(f, s->b->c->a->a->tok), "y");
    s = st(fn, 1);
    assert_kind(s, S_IF);
    assert_non_null(s->c);
    assert_null(s->b->a->c);
}

/* Control statements: loops, switch with labels, goto, for with a declaration. */
static void test_control_statements(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(int n) {\n"
                         "    for (int i = 0, j; i < n; i++) continue;\n"
                         "    for (;;) break;\n"
                         "    while (n) n--;\n"
                         "    do { n++; } while (n < 3);\n"
                         "    switch (n) { case 1: case 2: x(); break; default: ; }\n"
                         "    goto out;\n"
                         "out:\n"
                         "    ;\n"
                         "    #pragma inside\n"
                         "    _Static_assert(1, \"s\");\n"
                         "}\n");
    Node *s = st(fn, 0);
    assert_kind(s, S_FOR);
    assert_kind(s->d, S_DECL);
    assert_int_equal(count(s->d->a), 2);
    assert_kind(s->a, E_BINARY);
    assert_kind(s->c, E_POST);
    assert_kind(s->b, S_CONTINUE);
    s = st(fn, 1);
    assert_kind(s, S_FOR);
    assert_null(s->d);
    assert_null(s->a);
    assert_null(s->c);
    assert_kind(st(fn, 2), S_WHILE);
    assert_kind(st(fn, 3), S_DO);
    assert_kind(st(fn, 3)->a, E_BINARY);
    s = st(fn, 4);
    assert_kind(s, S_SWITCH);
    assert_kind(s->b->a, S_CASE);
    assert_kind(s->b->a->b, S_CASE);
    assert_kind(s->b->a->b->b, S_EXPR);
    assert_kind(s->b->a->next, S_BREAK);
    assert_kind(s->b->a->next->next, S_DEFAULT);
    s = st(fn, 5);
    assert_kind(s, S_GOTO);
    assert_string_equal(tok(f, s->first), "out");
    s = st(fn, 6);
    assert_kind(s, S_LABEL);
    assert_string_equal(tok(f, s->tok), "out");
    assert_kind(s->b, S_EMPTY);
    assert_kind(st(fn, 7), S_PP);
    s = st(fn, 8);
    assert_kind(s, S_STATIC_ASSERT);
    assert_kind(s->a, E_CONST);
    assert_kind(s->b, E_STRING);
}

/* T x; and T *p = q; are declarations; x * 2; and n = a * b; are expressions. */
static void test_declaration_or_expression(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(void) {\n"
                         "    T x;\n"
                         "    T *p = q;\n"
                         "    a * b;\n"
                         "    x * 2;\n"
                         "    n = a * b;\n"
                         "    T2 **pp, *r[4];\n"
                         "    const T c = 1;\n"
                         "    g(x);\n"
                         "    static struct node *head;\n"
                         "    void (*fp)(int);\n"
                         "}\n");
    Node *s = st(fn, 0);
    assert_kind(s, S_DECL);
    assert_string_equal(range(f, s->first, s->last), "T");
    assert_kind(s->a, D_VAR);
    assert_string_equal(tok(f, s->a->tok), "x");
    assert_null(s->a->a);
    s = st(fn, 1);
    assert_kind(s, S_DECL);
    assert_string_equal(tok(f, s->a->tok), "p");
    assert_string_equal(range(f, s->a->first, s->a->last), "*p");
    assert_kind(s->a->a, E_IDENT);
    assert_string_equal(tok(f, s->a->a->tok), "q");
    /* with nothing known about a, `a * b;` reads as a declaration of b */
    s = st(fn, 2);
    assert_kind(s, S_DECL);
    assert_string_equal(tok(f, s->a->tok), "b");
    s = st(fn, 3);
    assert_kind(s, S_EXPR);
    assert_kind(s->a, E_BINARY);
    assert_int_equal(s->a->op, TK_STAR);
    s = st(fn, 4);
    assert_kind(s, S_EXPR);
    assert_kind(s->a->b, E_BINARY);
    s = st(fn, 5);
    assert_kind(s, S_DECL);
    assert_int_equal(count(s->a), 2);
    assert_string_equal(tok(f, s->a->tok), "pp");
    assert_string_equal(tok(f, s->a->next->tok), "r");
    assert_string_equal(range(f, s->a->next->first, s->a->next->last), "*r[4]");
    s = st(fn, 6);
    assert_kind(s, S_DECL);
    assert_string_equal(range(f, s->first, s->last), "const T");
    assert_kind(st(fn, 7), S_EXPR);
    s = st(fn, 8);
    assert_kind(s, S_DECL);
    assert_int_equal(s->op, DS_STATIC);
    assert_string_equal(tok(f, s->a->tok), "head");
    s = st(fn, 9);
    assert_kind(s, S_DECL);
    assert_string_equal(tok(f, s->a->tok), "fp");
}

/* A name declared as a parameter is not a type: `a * b;` multiplies, `x_t + 1` adds. */
static void test_known_variable_is_not_a_type(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async int f(int a, int b, int start_t) {\n"
                         "    a * b;\n"
                         "    return start_t + 1;\n"
                         "}\n");
    assert_kind(st(fn, 0), S_EXPR);
    assert_kind(st(fn, 1)->a, E_BINARY);
}

/* Every declarator of a declaration declares its name, not only the
 * first: after `int a, T;` (T a typedef of the file) `T * c;` multiplies,
 * in a block and in a `for (`; the parameter names of a declarator or a
 * cast (`int (*fp)(int h)`) hide nothing; in `async for (size_t i, h v :
 * ...)` h is a type; the names of a for, catch or async with head go
 * with its statement, braced or not. */
static void test_several_declarators(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "typedef int T;\n"
                         "typedef int h;\n"
                         "async void f(void) {\n"
                         "    int a, T, *p, v[2], (*fp)(int h);\n"
                         "    T * c;\n"
                         "    h * q;\n"
                         "    { T * c; }\n"
                         "    for (int i = 0, h = 2; i < h; i++) { h * q; }\n"
                         "    h * r;\n"
                         "    async for (size_t i, h v : aenumerate(g())) ;\n"
                         "    x = m(a, h);\n"
                         "    h * r2;\n"
                         "    fp = (int (*)(int h))0;\n"
                         "    h * r3;\n"
                         "    for (int h = 0; h < 2; h++) h * q;\n"
                         "    h * r4;\n"
                         "    try { } catch (ac_error *h) { h * q; }\n"
                         "    h * r5;\n"
                         "    async with (int *h = m()) h * q;\n"
                         "    h * r6;\n"
                         "}\n");
    Node *s = st(fn, 1);
    assert_int_equal(count(st(fn, 0)->a), 5);
    assert_kind(s, S_EXPR);
    assert_kind(s->a, E_BINARY);
    assert_kind(st(fn, 2), S_DECL); /* h is still a type */
    assert_kind(st(fn, 3)->a, S_EXPR);
    s = st(fn, 4);
    assert_kind(s, S_FOR);
    assert_int_equal(count(s->d->a), 2);
    assert_kind(s->b->a, S_EXPR);
    assert_kind(st(fn, 5), S_DECL); /* the for's h has gone */
    s = st(fn, 6); /* the ',' of aenumerate's binding is no declarator's */
    assert_kind(s, S_AFOR);
    assert_string_equal(tok(f, s->a->a->tok), "v");
    assert_kind(st(fn, 8), S_DECL); /* the head's declarations ended there */
    assert_kind(st(fn, 10), S_DECL); /* a cast's parameter name hides nothing */
    assert_kind(st(fn, 11)->b, S_EXPR); /* an unbraced body sees the head's h */
    assert_kind(st(fn, 12), S_DECL);    /* ... which ends with it */
    assert_kind(st(fn, 13)->c->a, S_EXPR); /* so do a catch's and a with's */
    assert_kind(st(fn, 14), S_DECL);
    assert_kind(st(fn, 16), S_DECL);
}

/* An attribute right before `async` is an attribute, not a type name. */
static void test_attribute_before_async(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "@contextmanager async void f(void) {}\n");
    assert_string_equal(fn->name, "f");
    assert_non_null(item(f, 0)->attrs);
    assert_string_equal(tok(f, item(f, 0)->attrs->name), "contextmanager");
}

/* An unknown attribute is an error naming it; the item is not parsed. */
static void test_unknown_attribute(void **state)
{
    Fx *f = *state;
    int errs = diag_errors();
    scan(f, "@export async void f(void) {}\n");
    assert_int_equal(diag_errors(), errs + 1);
    assert_null(item(f, 0)->fn);
}

/* async with: several items nest left to right; an item declares a
 * variable or is a bare expression; yield is a statement. */
static void test_async_with_and_yield(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "@contextmanager async int g(void) { yield 1; }\n"
                         "async void h(void) {\n"
                         "    async with (struct conn *c = g(), ac_cm_of(m), my_t *p = q) x = 1;\n"
                         "    int yield = 0; yield = 2;\n"
                         "}\n");
    assert_kind(fn->body->a, S_YIELD);
    assert_kind(fn->body->a->a, E_CONST);
    AsyncFn *h = item(f, 1)->fn;
    Node *w = h->body->a;
    assert_kind(w, S_WITH);
    assert_kind(w->a, S_DECL);
    assert_string_equal(tok(f, w->a->a->tok), "c");
    assert_kind(w->a->a->a, E_CALL);
    assert_kind(w->b, S_WITH);
    assert_kind(w->b->a, S_EXPR);
    assert_kind(w->b->b, S_WITH);
    assert_kind(w->b->b->a, S_DECL);
    assert_string_equal(tok(f, w->b->b->a->a->tok), "p");
    assert_kind(w->b->b->b, S_EXPR);
    /* `yield` is a plain name where an operator follows it */
    assert_kind(w->next, S_DECL);
    assert_kind(w->next->next, S_EXPR);
    /* a lone name in the head is a manager, not a cast: (g) { ... } */
    AsyncFn *k = fn0(f, "async void k(void) { async with (g) { } async with (gp) x = 1; }\n");
    assert_kind(k->body->a, S_WITH);
    assert_kind(k->body->a->a->a, E_IDENT);
    assert_kind(k->body->a->next, S_WITH);
}

/* Type names come from file typedefs, #pragma ac typedef and the _t suffix. */
static void test_known_type_names(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "typedef int myint;\n"
                         "typedef struct { int a; } pt, *ptp;\n"
                         "typedef void (*cb)(int);\n"
                         "#pragma ac typedef handle, other_h\n"
                         "async void f(void) {\n"
                         "    n = sizeof (myint);\n"
                         "    n = sizeof (unknown);\n"
                         "    n = sizeof (handle);\n"
                         "    n = sizeof (other_h);\n"
                         "    n = sizeof (thing_t);\n"
                         "    n = sizeof (pt);\n"
                         "    n = sizeof (ptp);\n"
                         "    n = sizeof (cb);\n"
                         "    n = (myint) -x;\n"
                         "    n = (unknown) -x;\n"
                         "    n = (thing_t) -x;\n"
                         "    n = sizeof (FILE);\n"
                         "    n = sizeof (_t);\n"
                         "}\n");
    static const NodeKind want[] = {E_SIZEOF_T, E_SIZEOF, E_SIZEOF_T, E_SIZEOF_T, E_SIZEOF_T,
                                    E_SIZEOF_T, E_SIZEOF_T, E_SIZEOF_T, E_CAST, E_BINARY,
                                    E_CAST, E_SIZEOF_T, E_SIZEOF};
    for (int i = 0; i < (int)(sizeof want / sizeof *want); i++) {
        Node *s = st(fn, i);
        assert_kind(s, S_EXPR);
        if (s->a->b->kind != want[i])
            print_error("statement %d\n", i);
        assert_kind(s->a->b, want[i]);
    }
    assert_kind(st(fn, 1)->a->b->a, E_PAREN);
    assert_kind(st(fn, 9)->a->b->a, E_PAREN);
    Node *c = st(fn, 8)->a->b;
    assert_string_equal(range(f, c->first, c->last), "myint");
    assert_kind(c->a, E_PRE);
    assert_true(types_has(f->u.types, "handle", 6));
    assert_true(types_has(f->u.types, "other_h", 7));
    assert_true(types_has(f->u.types, "cb", 2));
    assert_false(types_has(f->u.types, "int", 3));
}

/* A local typedef's names are types from their declarators to the end of
 * the block, whatever the declarator; a variable hides one in an inner
 * block, and the names never leak into the file's type names. */
static void test_local_typedef_names(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(void) {\n"
                         "    typedef struct { int v; } T, *TP;\n"
                         "    typedef int *IP, A3[3];\n"
                         "    typedef void (*cb)(int);\n"
                         "    typedef int fn(int);\n"
                         "    TP p;\n"
                         "    IP q;\n"
                         "    cb c;\n"
                         "    fn *g;\n"
                         "    { int T = 1; T * 2; }\n"
                         "    T * r;\n"
                         "    n = (A3 *)x;\n"
                         "}\n");
    Node *s = st(fn, 0);
    assert_kind(s, S_DECL);
    assert_int_equal(s->op, DS_TYPEDEF);
    assert_int_equal(count(s->a), 2);
    assert_string_equal(tok(f, s->a->next->tok), "TP");
    assert_int_equal(count(st(fn, 1)->a), 2);
    assert_string_equal(tok(f, st(fn, 2)->a->tok), "cb");
    assert_string_equal(tok(f, st(fn, 3)->a->tok), "fn");
    for (int i = 4; i <= 7; i++)
        assert_kind(st(fn, i), S_DECL);
    Node *b = st(fn, 8)->a->next; /* T is the block's variable there */
    assert_kind(b, S_EXPR);
    assert_kind(b->a, E_BINARY);
    assert_kind(st(fn, 9), S_DECL); /* a type again: r is a pointer */
    assert_string_equal(tok(f, st(fn, 9)->a->tok), "r");
    assert_kind(st(fn, 10)->a->b, E_CAST);
    assert_false(types_has(f->u.types, "T", 1));
    assert_false(types_has(f->u.types, "cb", 2));
    /* the locals: six typedef names, the struct body */
    int typedefs = 0, tags = 0;
    for (int i = 0; i < f->u.locals.n; i++) {
        typedefs += f->u.locals.v[i].kind == LOCAL_TYPEDEF;
        tags += f->u.locals.v[i].kind == LOCAL_TAG;
    }
    assert_int_equal(typedefs, 6);
    assert_int_equal(tags, 1);
}

/* Tags and enumerators of a body are resolved block by block; a tag named
 * first (`typedef struct node node;`) is the one its body completes. */
static void test_local_tags_and_enumerators(void **state)
{
    Fx *f = *state;
    fn0(f, "async void f(void) {\n"
           "    typedef struct node node;\n"
           "    struct node { node *next; enum { A, B = A } e; };\n"
           "    { struct node { int x; } inner; use(B); }\n"
           "    struct node *p;\n"
           "    struct stat st;\n"
           "}\n");
    const Locals *L = &f->u.locals;
    int first = -1, inner = -1, later = -1, stat = -1, b_use = -1;
    for (int i = 0; i < f->u.ntok; i++) {
        if (!lex_is(&f->src, &f->u.toks[i], "node") && !lex_is(&f->src, &f->u.toks[i], "stat") &&
            !lex_is(&f->src, &f->u.toks[i], "B"))
            continue;
        int line = f->u.toks[i].line;
        if (line == 2 && first < 0)
            first = L->of[i];
        if (line == 4 && lex_is(&f->src, &f->u.toks[i], "node"))
            inner = L->of[i];
        if (line == 4 && lex_is(&f->src, &f->u.toks[i], "B"))
            b_use = L->of[i];
        if (line == 5)
            later = L->of[i];
        if (line == 6)
            stat = L->of[i];
    }
    assert_true(first >= 0);
    assert_int_equal(L->v[first].kind, LOCAL_TAG);
    assert_true(L->v[first].lc >= 0); /* completed by the body of line 3 */
    assert_int_equal(L->v[first].implicit, 0);
    assert_int_equal(later, first);
    assert_true(inner >= 0 && inner != first);
    assert_true(stat >= 0);
    assert_true(L->v[stat].implicit); /* a header's tag, as far as acc knows */
    assert_true(b_use >= 0);
    assert_int_equal(L->v[b_use].kind, LOCAL_ENUMERATOR);
}

/* An unknown #pragma ac directive is an error; other pragmas are not acc's. */
static void test_pragma_errors(void **state)
{
    Fx *f = *state;
    int errs = diag_errors();
    scan(f, "#pragma ac bogus\n#pragma once\n#pragma acme x\n");
    assert_int_equal(diag_errors(), errs + 1);
    assert_true(unit_is_ac_pragma(&f->src, &f->u.toks[0]));
    assert_false(unit_is_ac_pragma(&f->src, &f->u.toks[1]));
    assert_false(unit_is_ac_pragma(&f->src, &f->u.toks[2]));
}

/* _Pragma("...") between block items is a directive of its own (S_PP up to
 * its ')'), and what follows it starts a statement: `T x` declares; a
 * function named _Pragma elsewhere is a call. */
static void test_pragma_operator(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(void) {\n"
                         "    _Pragma(\"GCC diagnostic push\") T x = 1;\n"
                         "    _Pragma(\"once\")\n"
                         "    y = g(_Pragma(\"x\"));\n"
                         "}\n");
    assert_kind(st(fn, 0), S_PP);
    assert_string_equal(range(f, st(fn, 0)->tok, st(fn, 0)->last),
                        "_Pragma(\"GCC diagnostic push\")");
    assert_kind(st(fn, 1), S_DECL);
    assert_string_equal(range(f, st(fn, 1)->first, st(fn, 1)->last), "T");
    assert_kind(st(fn, 2), S_PP);
    assert_kind(st(fn, 3), S_EXPR);
    assert_kind(st(fn, 3)->a->b->b, E_CALL);
}

/* `_Atomic (` opens the type specifier _Atomic(T), whose T is a type name
 * even when unknown; `_Atomic` before anything else is the qualifier. */
static void test_atomic_type_specifier(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(_Atomic(int) *p) {\n"
                         "    _Atomic(T) x = 1;\n"
                         "    _Atomic(U *) *q, y;\n"
                         "    _Atomic long z;\n"
                         "    n = sizeof(_Atomic(V));\n"
                         "    x * y;\n"
                         "}\n");
    assert_string_equal(range(f, fn->params_list->first, fn->params_list->last),
                        "_Atomic(int) *p");
    assert_kind(st(fn, 0), S_DECL);
    assert_string_equal(range(f, st(fn, 0)->first, st(fn, 0)->last), "_Atomic(T)");
    assert_string_equal(tok(f, st(fn, 0)->a->tok), "x");
    assert_kind(st(fn, 1), S_DECL);
    assert_string_equal(range(f, st(fn, 1)->first, st(fn, 1)->last), "_Atomic(U *)");
    assert_int_equal(count(st(fn, 1)->a), 2);
    assert_kind(st(fn, 2), S_DECL);
    assert_kind(st(fn, 3)->a->b, E_SIZEOF_T);
    /* x and y are variables now: this multiplies */
    assert_kind(st(fn, 4), S_EXPR);
    assert_kind(st(fn, 4)->a, E_BINARY);
}

/* The names of #pragma ac typedef may go on over a line splice, and be
 * spelled beyond ASCII. */
static void test_pragma_typedef_names(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "#pragma ac typedef a_ty \\\n    gr\xc3\xb6\xc3\x9f" "e, c_ty\n"
                         "async void f(void) {\n"
                         "    n = sizeof (gr\xc3\xb6\xc3\x9f" "e);\n"
                         "    n = sizeof (c_ty);\n"
                         "    n = sizeof (d_ty);\n"
                         "}\n");
    assert_kind(st(fn, 0)->a->b, E_SIZEOF_T);
    assert_kind(st(fn, 1)->a->b, E_SIZEOF_T);
    assert_kind(st(fn, 2)->a->b, E_SIZEOF);
}

/* Casts and compound literals: a lone name in parentheses before an operand is a type. */
static void test_casts(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(void) {\n"
                         "    y = (T)x;\n"
                         "    y = (T *)p;\n"
                         "    y = (T * const *)p;\n"
                         "    y = (T){1, 2};\n"
                         "    y = (T)!x;\n"
                         "    y = (T)~x;\n"
                         "    y = (T)1;\n"
                         "    y = (T)'c';\n"
                         "    y = (T)\"s\";\n"
                         "    y = (T)sizeof x;\n"
                         "    y = (g)(x);\n"
                         "    y = (x) - 1;\n"
                         "    y = (a) * b;\n"
                         "    if (a) b = 1;\n"
                         "    while (a) b();\n"
                         "    y = sizeof (x) + 1;\n"
                         "}\n");
    static const NodeKind want[] = {E_CAST, E_CAST, E_CAST, E_COMPLIT, E_CAST, E_CAST, E_CAST,
                                    E_CAST, E_CAST, E_CAST, E_CALL, E_BINARY, E_BINARY};
    for (int i = 0; i < (int)(sizeof want / sizeof *want); i++) {
        Node *s = st(fn, i);
        assert_kind(s, S_EXPR);
        if (s->a->b->kind != want[i])
            print_error("statement %d\n", i);
        assert_kind(s->a->b, want[i]);
    }
    Node *c = st(fn, 0)->a->b;
    assert_string_equal(range(f, c->first, c->last), "T");
    assert_kind(c->a, E_IDENT);
    c = st(fn, 1)->a->b;
    assert_string_equal(range(f, c->first, c->last), "T *");
    c = st(fn, 2)->a->b;
    assert_string_equal(range(f, c->first, c->last), "T * const *");
    c = st(fn, 3)->a->b;
    assert_kind(c->a, E_INITLIST);
    assert_int_equal(count(c->a->a), 2);
    Node *s = st(fn, 13);
    assert_kind(s, S_IF);
    assert_kind(s->a, E_IDENT);
    s = st(fn, 14);
    assert_kind(s, S_WHILE);
    assert_kind(s->a, E_IDENT);
    s = st(fn, 15);
    assert_kind(s->a->b, E_BINARY);
    assert_kind(s->a->b->a, E_SIZEOF);
}

/* defer and try are plain names as struct members and as a called function. */
static void test_dialect_words_as_names(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(struct s *p) {\n"
                         "    p->defer = 1;\n"
                         "    s.defer = 2;\n"
                         "    defer = 3;\n"
                         "    try(1);\n"
                         "    x = try(2);\n"
                         "    struct t { int defer; int try; } v;\n"
                         "    v.try = 4;\n"
                         "    throw_it(p->defer);\n"
                         "    s.defer();\n"
                         "    errdefer++;\n"
                         "}\n");
    for (int i = 0; i < 10; i++) {
        Node *s = st(fn, i);
        if (i == 5) {
            assert_kind(s, S_DECL);
            assert_string_equal(tok(f, s->a->tok), "v");
            continue;
        }
        assert_kind(s, S_EXPR);
    }
    assert_kind(st(fn, 0)->a->a, E_MEMBER);
    assert_int_equal(st(fn, 0)->a->a->op, TK_ARROW);
    assert_string_equal(tok(f, st(fn, 0)->a->a->tok), "defer");
    assert_kind(st(fn, 1)->a->a, E_MEMBER);
    assert_int_equal(st(fn, 1)->a->a->op, TK_DOT);
    assert_kind(st(fn, 2)->a->a, E_IDENT);
    assert_kind(st(fn, 3)->a, E_CALL);
    assert_string_equal(tok(f, st(fn, 3)->a->a->tok), "try");
    assert_kind(st(fn, 4)->a->b, E_CALL);
    assert_kind(st(fn, 8)->a, E_CALL);
    assert_kind(st(fn, 8)->a->a, E_MEMBER);
    assert_kind(st(fn, 9)->a, E_POST);
}

/* complex and imaginary (<complex.h>'s macros) are type specifiers where
 * no name can stand, and complex is one anywhere once <complex.h> is
 * included; elsewhere both are names. */
static void test_complex_words(void **state)
{
    Fx *f = *state;
    AsyncFn *fn = fn0(f, "async void f(double complex z) {\n"
                         "    complex float w;\n"
                         "    double imaginary = 1;\n"
                         "    complex = imaginary * 2;\n"
                         "    long double imaginary *p;\n"
                         "    n = sizeof (complex);\n"
                         "}\n");
    assert_string_equal(tok(f, fn->params_list->tok), "z");
    assert_kind(st(fn, 0), S_DECL);
    assert_string_equal(tok(f, st(fn, 0)->a->tok), "w");
    assert_kind(st(fn, 1), S_DECL);
    assert_string_equal(tok(f, st(fn, 1)->a->tok), "imaginary");
    assert_kind(st(fn, 2)->a, E_ASSIGN);
    assert_kind(st(fn, 2)->a->a, E_IDENT);
    assert_kind(st(fn, 3), S_DECL);
    assert_string_equal(tok(f, st(fn, 3)->a->tok), "p");
    assert_kind(st(fn, 4)->a->b, E_SIZEOF); /* sizeof (a variable named complex) */
    fn = fn0(f, "#include <complex.h>\n"
                "async void f(void) {\n"
                "    n = sizeof (double complex);\n"
                "    n = (float complex)x;\n"
                "}\n");
    assert_kind(st(fn, 0)->a->b, E_SIZEOF_T);
    assert_kind(st(fn, 1)->a->b, E_CAST);
}

/* Syntax errors are reported and the item has no function; the next item still parses. */
static void test_syntax_error_recovery(void **state)
{
    Fx *f = *state;
    int errs = diag_errors();
    scan(f, "async void f(void) { x = ; y = 1; }\n"
            "int plain;\n"
            "async void g(void) { }\n");
    assert_true(diag_errors() > errs);
    assert_int_equal(nitems(f), 2);
    assert_null(item(f, 0)->fn);
    assert_non_null(item(f, 1)->fn);
    assert_string_equal(item(f, 1)->fn->name, "g");
    /* f still names an async function (without a body), so awaits of it
       elsewhere do not cascade into more errors */
    assert_non_null(unit_find(&f->u, "f", 1));
    assert_null(unit_find(&f->u, "f", 1)->body);
}

/* Broken items of every shape give errors and no crash. */
static void test_syntax_errors(void **state)
{
    Fx *f = *state;
    static const char *const bad[] = {
        "async void f(void) { if (x) }\n",
        "async void f(void) { x = 1;\n",
        "async void f(void\n",
        "async void f(int a,\n",
        "async ;\n",
        "async\n",
        "async int f(void) int y;\n",
        "async void f(void) { ` ; }\n",
        "async void f(void) { try { } catch () { } }\n",
        "async void f(void) { defer }\n",
        "async void f(void) { a = await + ; }\n",
        "async void f(void) { case }\n",
        "async void f(void) { struct { int x; } }\n",
        "async void f(void) { ((((x)); }\n",
        "static async f(void) { }\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int errs = diag_errors();
        scan(f, bad[i]);
        if (diag_errors() == errs)
            print_error("no error for: %s", bad[i]);
        assert_true(diag_errors() > errs);
        for (Item *it = f->u.items; it; it = it->next)
            assert_null(it->fn);
    }
}

/* Nesting deeper than the parser can take is reported, not silently dropped. */
static void test_deep_nesting(void **state)
{
    Fx *f = *state;
    static const char *const shape[][3] = {
        {"(", "1", ")"},          /* parentheses */
        {"-", "1", ""},           /* unary operators */
        {"a = ", "1", ""},        /* right-associative assignments */
        {"if (a) ", "x()", ""},   /* statements */
        {"{", "", "}"},           /* blocks */
    };
    enum { DEPTH = 3000 };
    for (size_t k = 0; k < sizeof shape / sizeof *shape; k++) {
        Buf b = {0};
        buf_puts(&b, "async void f(void) {\n");
        for (int i = 0; i < DEPTH; i++)
            buf_printf(&b, "%s\n", shape[k][0]);
        buf_puts(&b, shape[k][1]);
        for (int i = 0; i < DEPTH; i++)
            buf_printf(&b, "%s\n", shape[k][2]);
        buf_puts(&b, ";\n}\n");
        int errs = diag_errors();
        scan(f, b.p);
        assert_int_equal(nitems(f), 1);
        int parsed = item(f, 0)->fn != NULL;
        int reported = diag_errors() > errs;
        diag_free_src(&f->src);
        buf_free(&b);
        if (!parsed && !reported)
            print_error("shape %zu dropped without an error\n", k);
        assert_true(parsed || reported);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_static_declaration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_void_and_extern, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_code_and_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dialect_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_await_contexts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dangling_else, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declaration_or_expression, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known_variable_is_not_a_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_several_declarators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attribute_before_async, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_attribute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_async_with_and_yield, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known_type_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_local_typedef_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_local_tags_and_enumerators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pragma_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pragma_operator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atomic_type_specifier, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pragma_typedef_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_casts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dialect_words_as_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complex_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_error_recovery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
