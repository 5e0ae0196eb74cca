/* test_check.c: check_fn (check.c) on parsed async functions: which
 * variables live in the frame, unique field names, name resolution, the
 * rejections of the dialect, and the resume points lower_fn writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ast.h"
#include "check.h"
#include "diag.h"
#include "emit.h"
#include "frame.h"
#include "lower.h"
#include "mem.h"
#include "parse.h"
#include "unit.h"
#include "fixture.h"

/* Lex and scan text as the file t.ac; it must have no syntax errors. */
static void scan(Fx *f, const char *text)
{
    int errs = diag_errors();
    fx_scan(f, text);
    assert_int_equal(diag_errors(), errs);
}


/* The definition of the async function `name`. */
static AsyncFn *defn(Fx *f, const char *name)
{
    for (Item *it = f->u.items; it; it = it->next)
        if (it->fn && it->fn->body && strcmp(it->fn->name, name) == 0)
            return it->fn;
    fail_msg("no definition of %s", name);
    return NULL;
}

/* Scan text and check its function f, which must pass. */
static FnInfo *ok(Fx *f, const char *text)
{
    scan(f, text);
    int errs = diag_errors();
    FnInfo *fi = check_fn(&f->u, defn(f, "f"));
    assert_int_equal(diag_errors(), errs);
    assert_non_null(fi);
    return fi;
}

/* Scan text and check its function f, which must be rejected with an error. */
static void rejected(Fx *f, const char *text)
{
    scan(f, text);
    int errs = diag_errors();
    FnInfo *fi = check_fn(&f->u, defn(f, "f"));
    if (fi || diag_errors() == errs)
        print_error("not rejected:\n%s", text);
    assert_null(fi);
    assert_true(diag_errors() > errs);
}

/* The nth (from 0) node of kind k naming `name`, in tree order. */
static Node *find_in(Fx *f, Node *n, NodeKind k, const char *name, int *nth)
{
    for (; n; n = n->next) {
        if (n->kind == k && n->tok >= 0 && lex_is(&f->src, &f->u.toks[n->tok], name) &&
            (*nth)-- == 0)
            return n;
        Node *kids[] = {n->a, n->b, n->c, n->d};
        for (int i = 0; i < 4; i++) {
            Node *r = find_in(f, kids[i], k, name, nth);
            if (r)
                return r;
        }
    }
    return NULL;
}

static Node *find(Fx *f, NodeKind k, const char *name, int nth)
{
    Node *n = find_in(f, defn(f, "f")->body, k, name, &nth);
    if (!n)
        fail_msg("no %s '%s'", ast_kind_name(k), name);
    return n;
}

/* The local declared by the nth declaration of `name` in f's body. */
static Sym *var(Fx *f, const char *name, int nth)
{
    Node *d = find(f, D_VAR, name, nth);
    assert_non_null(d->sym);
    return d->sym;
}

static Sym *param(FnInfo *fi, const char *name)
{
    for (Sym *p = fi->params; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    fail_msg("no parameter %s", name);
    return NULL;
}

/* All frame fields, each followed by ';'. */
static void fields(const Scope *s, Buf *b)
{
    for (; s; s = s->next) {
        for (const Field *fl = s->fields; fl; fl = fl->next)
            buf_printf(b, "%s;", fl->text);
        fields(s->kids, b);
    }
}

static int has_field(Fx *f, FnInfo *fi, const char *text)
{
    Buf b = {0};
    fields(fi->root, &b);
    const char *want = mem_printf(f->a, "%s;", text);
    int r = b.p && strstr(b.p, want) != NULL;
    buf_free(&b);
    return r;
}

/* Lower the checked function into the fixture's Emit; returns its text. */
static const char *lower(Fx *f, FnInfo *fi)
{
    buf_free(&f->e.out);
    memset(&f->e, 0, sizeof f->e);
    int errs = diag_errors();
    lower_fn(&f->u, fi, &f->e);
    assert_int_equal(diag_errors(), errs);
    assert_non_null(f->e.out.p);
    return f->e.out.p;
}

#define ASYNC_G "async int g(void);\nasync void h(int);\n"

/* A local declared before an await in its scope is in the frame; parameters always. */
static void test_frame_across_await(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async int f(int p, int unused) {\n"
                    "    int a = p;\n"
                    "    { int t = a * 2; use(t); }\n"
                    "    static int s = 0;\n"
                    "    extern int e;\n"
                    "    s++;\n"
                    "    await g();\n"
                    "    int after = a + s + e;\n"
                    "    return after;\n"
                    "}\n");
    assert_true(var(f, "a", 0)->in_frame);
    assert_false(var(f, "t", 0)->in_frame);
    assert_false(var(f, "s", 0)->in_frame);
    assert_true(var(f, "s", 0)->is_static);
    assert_false(var(f, "e", 0)->in_frame);
    assert_true(var(f, "e", 0)->is_static);
    assert_false(var(f, "after", 0)->in_frame);
    assert_true(param(fi, "p")->in_frame);
    assert_true(param(fi, "unused")->in_frame);
    assert_int_equal(fi->nawaits, 1);
    assert_true(has_field(f, fi, "int a"));
    assert_false(has_field(f, fi, "int t"));
    assert_false(has_field(f, fi, "int after"));
    assert_false(has_field(f, fi, "int s"));
}

/* Without any await nothing but the parameters is in the frame. */
static void test_no_await_no_frame_locals(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, "async int f(int p) {\n"
                       "    int a = p;\n"
                       "    for (int i = 0; i < a; i++) { int k = i; use(k); }\n"
                       "    return a;\n"
                       "}\n");
    assert_true(param(fi, "p")->in_frame);
    assert_false(var(f, "a", 0)->in_frame);
    assert_false(var(f, "i", 0)->in_frame);
    assert_false(var(f, "k", 0)->in_frame);
    assert_int_equal(fi->nawaits, 0);
    Buf b = {0};
    fields(fi->root, &b);
    assert_null(b.p);
    buf_free(&b);
}

/* Loop variables live across an await in the loop; one declared after it does not. */
static void test_frame_loops(void **state)
{
    Fx *f = *state;
    ok(f, ASYNC_G
       "async void f(int n) {\n"
       "    for (int i = 0; i < n; i++) { int k = i; await g(); use(k); }\n"
       "    while (n--) { await g(); int j = n; use(j); }\n"
       "    for (int m = 0; m < await g(); m++) ;\n"
       "    { int v = await g(); use(v); }\n"
       "    int w1 = 1, w2 = await g();\n"
       "    use(w1 + w2);\n"
       "}\n");
    assert_true(var(f, "i", 0)->in_frame);
    assert_true(var(f, "k", 0)->in_frame);
    assert_false(var(f, "j", 0)->in_frame);
    assert_true(var(f, "m", 0)->in_frame);
    /* the await is in v's own initialiser and v's block has no other: v is set after it */
    assert_false(var(f, "v", 0)->in_frame);
    /* w1 is declared before the await in w2's initialiser */
    assert_true(var(f, "w1", 0)->in_frame);
    assert_false(var(f, "w2", 0)->in_frame);
}

/* A catch parameter is in the frame only if its handler awaits; defers count as awaits. */
static void test_frame_catch_and_defer(void **state)
{
    Fx *f = *state;
    ok(f, ASYNC_G
       "async void f(void) {\n"
       "    try { await g(); } catch (ac_error *e) { await g(); log(e); }\n"
       "    try { x(); } catch (ac_error *e2) { log(e2); }\n"
       "    {\n"
       "        int y = 1;\n"
       "        defer { await g(); }\n"
       "        int z = 2;\n"
       "        use(y, z);\n"
       "    }\n"
       "    {\n"
       "        int u = 1;\n"
       "        defer use(u);\n"
       "        defer { await g(); }\n"
       "    }\n"
       "}\n");
    assert_true(var(f, "e", 0)->in_frame);
    assert_false(var(f, "e2", 0)->in_frame);
    /* the deferred await runs when the block ends: y is live across it... */
    assert_true(var(f, "y", 0)->in_frame);
    /* ...z is out of the deferred statement's reach */
    assert_false(var(f, "z", 0)->in_frame);
    /* u is used by a defer that runs after the awaiting one */
    assert_true(var(f, "u", 0)->in_frame);
}

/* Shadowing variables get distinct field names; uses resolve to the innermost one. */
static void test_shadowing_unique_names(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async void f(int x) {\n"
                    "    await g();\n"
                    "    { int x = 1; await g(); use(x); { int x = 2; await g(); use(x); } }\n"
                    "    { int x = 3; await g(); use(x); }\n"
                    "    int hdr = 0;\n"
                    "    await g();\n"
                    "    use(hdr, x);\n"
                    "}\n");
    Sym *p = param(fi, "x");
    Sym *x1 = var(f, "x", 0), *x2 = var(f, "x", 1), *x3 = var(f, "x", 2);
    assert_string_equal(p->cname, "x");
    assert_true(x1->in_frame && x2->in_frame && x3->in_frame);
    assert_string_not_equal(x1->cname, p->cname);
    assert_string_not_equal(x2->cname, p->cname);
    assert_string_not_equal(x2->cname, x1->cname);
    assert_string_not_equal(x3->cname, p->cname);
    assert_string_not_equal(x3->cname, x1->cname);
    assert_string_not_equal(x3->cname, x2->cname);
    assert_string_equal(x1->name, "x");
    assert_string_equal(x1->cname, "x_2");
    /* the frame header's member is called hdr */
    assert_string_not_equal(var(f, "hdr", 0)->cname, "hdr");
    /* use(x) in each block names that block's x; the last names the parameter */
    assert_ptr_equal(find(f, E_IDENT, "x", 0)->sym, x1);
    assert_ptr_equal(find(f, E_IDENT, "x", 1)->sym, x2);
    assert_ptr_equal(find(f, E_IDENT, "x", 2)->sym, x3);
    assert_ptr_equal(find(f, E_IDENT, "x", 3)->sym, p);
    /* fields use the unique names */
    assert_true(has_field(f, fi, "int x_2"));
    assert_true(has_field(f, fi, "int x_3"));
}

/* A name used before a shadowing declaration in the same block is the outer one. */
static void test_use_before_shadowing_declaration(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async void f(int x) {\n"
                    "    { use(x); int x = 5; await g(); use(x); }\n"
                    "    use(unknown);\n"
                    "}\n");
    assert_ptr_equal(find(f, E_IDENT, "x", 0)->sym, param(fi, "x"));
    assert_ptr_equal(find(f, E_IDENT, "x", 1)->sym, var(f, "x", 0));
    assert_null(find(f, E_IDENT, "unknown", 0)->sym);
}

/* A declarator is in scope in its own initialiser: `struct node n = {&n}` names n. */
static void test_self_reference_in_initializer(void **state)
{
    Fx *f = *state;
    ok(f, ASYNC_G
       "async void f(void) {\n"
       "    struct node n = { &n };\n"
       "    await g();\n"
       "    use(n.next);\n"
       "}\n");
    assert_ptr_equal(find(f, E_IDENT, "n", 0)->sym, var(f, "n", 0));
}

/* Awaits are counted per function and per node; the callee is recorded. */
static void test_await_bookkeeping(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async void f(void) {\n"
                    "    int r = await g() + await g();\n"
                    "    if (r) await h(r);\n"
                    "    use(r);\n"
                    "}\n"
                    "async int later(void) { return 1; }\n");
    assert_int_equal(fi->nawaits, 3);
    AsyncFn *g = unit_find(&f->u, "g", 1);
    AsyncFn *h = unit_find(&f->u, "h", 1);
    assert_true(g->awaited);
    assert_true(h->awaited);
    assert_false(unit_find(&f->u, "later", 5)->awaited);
    assert_int_equal(fi->nuses, 2);
    Node *d = find(f, D_VAR, "r", 0);
    assert_int_equal(d->awaits, 2);
    Node *aw = d->a->a;
    assert_int_equal(aw->kind, E_AWAIT);
    assert_ptr_equal(aw->fn, g);
    assert_int_equal(aw->a->kind, E_CALL);
    Node *s = find(f, E_IDENT, "r", 0);
    assert_int_equal(s->awaits, 0);
}

/* An async function defined later in the file may be awaited. */
static void test_await_of_later_definition(void **state)
{
    Fx *f = *state;
    ok(f, "async void f(void) { await later(); }\n"
          "async void later(void) { }\n");
}

/* await needs a call of a declared async function. */
static void test_await_non_async_rejected(void **state)
{
    Fx *f = *state;
    rejected(f, "int plain(void);\nasync void f(void) { await plain(); }\n");
    rejected(f, "async void f(void) { await undeclared(); }\n");
    rejected(f, ASYNC_G "async void f(void) { int x = 0; x = await x; }\n");
    /* a local function pointer shadows the async function */
    rejected(f, ASYNC_G "async void f(void) { int (*g)(void) = 0; await g(); }\n");
    rejected(f, ASYNC_G "async void f(void) { await (1 + 2); }\n");
}

/* await inside sizeof is rejected. */
static void test_await_in_sizeof_rejected(void **state)
{
    Fx *f = *state;
    rejected(f, ASYNC_G "async void f(void) { int n = sizeof (await g()); use(n); }\n");
    rejected(f, ASYNC_G "async void f(void) { int n = sizeof await g(); use(n); }\n");
    rejected(f, ASYNC_G "async void f(void) { use(sizeof (1 + await g())); }\n");
}

/* await inside the type name of sizeof or a cast (an array size) is rejected. */
static void test_await_in_type_name_rejected(void **state)
{
    Fx *f = *state;
    rejected(f, ASYNC_G "async void f(void) { int n = sizeof (char[await g()]); use(n); }\n");
}

/* return, break and continue cannot leave a deferred statement; loops inside it may. */
static void test_jump_out_of_defer_rejected(void **state)
{
    Fx *f = *state;
    rejected(f, "async void f(void) { defer { return; } }\n");
    rejected(f, "async int f(void) { errdefer return 1; return 0; }\n");
    rejected(f, "async void f(void) { while (1) { defer { break; } } }\n");
    rejected(f, "async void f(void) { for (;;) { defer continue; } }\n");
    rejected(f, "async void f(int n) { switch (n) { case 1: { defer break; } } }\n");
    rejected(f, "async void f(void) { defer { goto out; } out: ; }\n");
    rejected(f, "async void f(void) { goto in; defer { in: ; } }\n");
    ok(f, "async void f(int n) {\n"
          "    defer { for (;;) break; }\n"
          "    defer { while (n) { if (n--) continue; } }\n"
          "    defer switch (n) { case 1: break; }\n"
          "    defer { again: if (n--) goto again; }\n"
          "    while (n) { if (n == 3) break; n--; }\n"
          "    return;\n"
          "}\n");
}

/* goto may not jump into or out of a scope with pending defers. */
static void test_goto_across_defer_rejected(void **state)
{
    Fx *f = *state;
    rejected(f, "async void f(void) { goto out; defer x(); out: ; }\n");
    rejected(f, "async void f(void) { { defer x(); goto out; } out: ; }\n");
    rejected(f, "async void f(void) { goto in; { defer x(); in: ; } }\n");
    rejected(f, "async void f(void) { top: ; defer x(); goto top; }\n");
    rejected(f, "async void f(void) { { errdefer x(); goto out; } out: ; }\n");
    rejected(f, "async void f(void) { try { } catch (ac_error *e) { goto out; } out: ; }\n");
    ok(f, "async void f(int n) {\n"
          "    again: n--;\n"
          "    if (n) goto again;\n"
          "    goto skip;\n"
          "    skip: ;\n"
          "    { goto inner; inner: ; }\n"
          "    defer x();\n"
          "    { defer y(); loop: if (n++ < 3) goto loop; }\n"
          "    if (n) goto end;\n"
          "    end: ;\n"
          "}\n");
}

/* A variable-length array is rejected. */
static void test_vla_rejected(void **state)
{
    Fx *f = *state;
    rejected(f, "async void f(int n) { int a[n]; a[0] = 1; }\n");
    rejected(f, "async void f(int n) { int m = n; char a[2][m]; a[0][0] = 1; }\n");
    ok(f, "enum { N = 4 };\n"
          "async void f(void) { int a[4]; int b[N]; int c[sizeof (int)]; int d[] = {1, 2};"
          " use(a, b, c, d); }\n");
}

/* Any array size computed from a local or parameter is a VLA, not only a bare name. */
static void test_vla_expression_rejected(void **state)
{
    Fx *f = *state;
    rejected(f, "async void f(int n) { int a[n + 1]; a[0] = 1; }\n");
    rejected(f, "async void f(int n) { int a[2 * n]; a[0] = 1; }\n");
    rejected(f, "async void f(void) { static int m = 3; int a[m]; a[0] = 1; }\n");
}

/* setjmp, longjmp and alloca are rejected, so are variadic and unnamed parameters. */
static void test_forbidden_constructs(void **state)
{
    Fx *f = *state;
    rejected(f, "async void f(void) { char *p = alloca(4); use(p); }\n");
    rejected(f, "async void f(void) { jmp_buf b; if (setjmp(b)) return; }\n");
    rejected(f, "async void f(void) { longjmp(b, 1); }\n");
    rejected(f, "async void f(int n, ...) { use(n); }\n");
    rejected(f, "async void f(int) { }\n");
    rejected(f, "async void f(void) { try { } catch (ac_error *) { } }\n");
    rejected(f, ASYNC_G "async void f(void) { static int s = await g(); use(s); }\n");
    rejected(f, "async void f(int n) { switch (n) { defer x(); case 1: ; } }\n");
    ok(f, "async void f(void) { use(my_setjmp_wrapper); }\n");
}

/* Frame fields drop register and const-before-a-name, and size T a[] from its initialiser. */
static void test_field_text(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async void f(const char *s) {\n"
                    "    register int r = 1;\n"
                    "    const int c = 2;\n"
                    "    char *const p = 0;\n"
                    "    int a[] = {1, 2, 3};\n"
                    "    char m[] = \"hi\";\n"
                    "    await g();\n"
                    "    use(r, c, p, a, m, s);\n"
                    "}\n");
    assert_string_equal(check_field_text(&f->u, param(fi, "s")), "const char *s");
    assert_true(has_field(f, fi, "int r"));
    assert_true(has_field(f, fi, "int c"));
    assert_true(has_field(f, fi, "char * p"));
    assert_true(has_field(f, fi, "int a[3]"));
    assert_true(has_field(f, fi, "char m[sizeof(\"hi\") / sizeof(\"hi\")[0]]"));
}

/* A frame field keeps the GNU attributes of its variable, before and after
 * the declarator, but for those of a C object's storage; the size report
 * reads through them and takes the alignment they ask for. */
static void test_field_text_attributes(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async void f(int s __attribute__((unused))) {\n"
                    "    __attribute__((aligned(32))) int a = 1;\n"
                    "    int b __attribute__((used, __aligned__(64), uninitialized)) = 2;\n"
                    "    char c[4] __attribute__((section(\"x\")));\n"
                    "    await g();\n"
                    "    use(a, b, c, s);\n"
                    "}\n");
    assert_string_equal(check_field_text(&f->u, param(fi, "s")), "int s __attribute__((unused))");
    assert_true(has_field(f, fi, "__attribute__((aligned(32))) int a"));
    assert_true(has_field(f, fi, "int b __attribute__((__aligned__(64)))"));
    assert_true(has_field(f, fi, "char c[4]"));
    long align = 0;
    assert_int_equal(frame_field_size("int b __attribute__((__aligned__(64)))", &align), 4);
    assert_int_equal(align, 64);
    assert_int_equal(frame_field_size("_Alignas ( 32 ) char v[3]", &align), 3);
    assert_int_equal(align, 32);
    assert_int_equal(frame_field_size("__attribute__((unused)) long *p", &align), 8);
    assert_int_equal(align, 8);
}

/* Only the const that qualifies the variable itself is dropped from a field. */
static void test_field_text_keeps_inner_const(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async void f(char *const *argv) {\n"
                    "    const int *const *pp = 0;\n"
                    "    await g();\n"
                    "    use(argv, pp);\n"
                    "}\n");
    assert_non_null(strstr(check_field_text(&f->u, param(fi, "argv")), "const"));
    assert_true(has_field(f, fi, "const int *const *pp"));
}

/* A type of the body that a frame field needs moves before the frame,
 * renamed for the function, with what it names; one that nothing in the
 * frame needs stays in the body as written. */
static void test_local_types_move(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async void f(void) {\n"
                    "    struct s { int v; } a;\n"
                    "    typedef struct s S;\n"
                    "    enum { N = 2 };\n"
                    "    int arr[N];\n"
                    "    await g();\n"
                    "    struct kept { int k; } b = {1};\n"
                    "    use(a, arr, b);\n"
                    "}\n");
    assert_true(has_field(f, fi, "struct ac_f__s a"));
    assert_true(has_field(f, fi, "int arr[N]"));
    const char *c = lower(f, fi);
    assert_non_null(strstr(c, "struct ac_f__s { int v; }; /* line 4, hoisted for the frame */"));
    assert_non_null(strstr(c, "typedef struct ac_f__s ac_f__S;"));
    assert_non_null(strstr(c, "enum ac_f__enum { N = 2 };"));
    assert_non_null(strstr(c, "struct kept { int k; } b = {1};"));
    assert_null(strstr(c, "struct s {"));
}

/* Lowering writes one resume label and pending return per await, and frame accesses. */
static void test_lowering_resume_points(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, ASYNC_G
                    "async int f(int p) {\n"
                    "    int a = p;\n"
                    "    int b = await g();\n"
                    "    await h(a + b);\n"
                    "    int c = a + 1;\n"
                    "    return c;\n"
                    "}\n");
    const char *c = lower(f, fi);
    assert_non_null(strstr(c, "struct f__frame {"));
    assert_non_null(strstr(c, "static int f__resume(ac_frame *ac_self)"));
    assert_non_null(strstr(c, "ac_r1:"));
    assert_non_null(strstr(c, "ac_r2:"));
    assert_null(strstr(c, "ac_r3:"));
    assert_non_null(strstr(c, "goto ac_r2;"));
    assert_non_null(strstr(c, "g__await("));
    assert_non_null(strstr(c, "h__await("));
    /* a plain function's frames hold f__resume from their push on */
    assert_non_null(strstr(c, "return ac__pending_state(&F->hdr, 1)"));
    assert_non_null(strstr(c, "return ac__pending_state(&F->hdr, 2)"));
    assert_non_null(strstr(c, "ac__frame_push_fast(ac_caller, sizeof *F,\n        _Alignof(struct f__frame), f__resume, ac_ret)"));
    assert_non_null(strstr(c, "F->a"));
    assert_non_null(strstr(c, "int f__await(ac_frame *ac_caller, void *ac_ret, int p)"));
    /* it awaits: a chain of direct starts through it is bounded by the
       C-stack check */
    assert_non_null(strstr(c, "return ac__frame_start_fn(&F->hdr, f__resume);"));
    assert_non_null(strstr(c, "ac_coro *f(int p)"));
    /* b is only read in the arguments of h, before h can suspend, and c is
       declared after the last await: both stay plain locals */
    assert_false(var(f, "b", 0)->in_frame);
    assert_false(var(f, "c", 0)->in_frame);
    assert_null(strstr(c, "F->c"));
    assert_null(strstr(c, "F->b"));
}

/* A function without awaits has no resume label and starts without a
 * C-stack check; a body naming F gets ac_F. */
static void test_lowering_no_await_and_frame_pointer(void **state)
{
    Fx *f = *state;
    FnInfo *fi = ok(f, "async int f(int F) { return F + 1; }\n");
    assert_string_equal(fi->fp, "ac_F");
    const char *c = lower(f, fi);
    assert_null(strstr(c, "ac_r1:"));
    assert_null(strstr(c, "ac__pending"));
    assert_non_null(strstr(c, "ac_F->F"));
    /* it never suspends, so awaits nothing: started without the check */
    assert_non_null(strstr(c, "return f__resume(&ac_F->hdr);"));
    assert_null(strstr(c, "ac__frame_start_fn"));
    fi = ok(f, "async void f(void) { }\n");
    assert_string_equal(fi->fp, "F");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_frame_across_await, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_await_no_frame_locals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_loops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_catch_and_defer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shadowing_unique_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_use_before_shadowing_declaration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_self_reference_in_initializer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_await_bookkeeping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_await_of_later_definition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_await_non_async_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_await_in_sizeof_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_await_in_type_name_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jump_out_of_defer_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_goto_across_defer_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vla_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vla_expression_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forbidden_constructs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_text_keeps_inner_const, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_text_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_local_types_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lowering_resume_points, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lowering_no_await_and_frame_pointer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
