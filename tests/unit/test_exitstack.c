/* test_exitstack.c: the exit stack (ac/exitstack.h), BEHAVIOURS section 1
 * (XS) and BX-01, BX-03, BX-08(b), BX-09.  Scenarios run as one task
 * through the script runner of cm_fixture.c: OP_UNWIND is the stack's exit
 * as `async with` calls it (the body's error in flight), and OP_HANDLE
 * before it marks that error as handled in the calling frame, as the
 * generated `async with` does. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ac/primitive.h"
#include "cm_fixture.h"
#include "internal.h"

static script S; /* the test's script, its stacks made by setup */

static int setup(void **state)
{
    (void)state;
    tlog_reset();
    memset(&S, 0, sizeof S);
    S.st[0] = ac_exit_stack_new();
    return S.st[0] ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tkeep_release();
    ac_exit_stack_free(S.st[0]);
    ac_exit_stack_free(S.st[1]);
    return 0;
}

#define RUN(...) SCRIPT_RUN(&S, __VA_ARGS__)
#define CB(obj) {.kind = OP_CB, .o = (obj)}
#define ACB(obj) {.kind = OP_ACB, .o = (obj)}
#define EXIT(obj) {.kind = OP_EXIT, .o = (obj)}
#define AEXIT(obj) {.kind = OP_AEXIT, .o = (obj)}
#define PUSH(i) {.kind = OP_PUSH, .mi = (i)}
#define ENTER(i) {.kind = OP_ENTER, .mi = (i)}
#define HANDLE(e) {.kind = OP_HANDLE, .err = (e)}
#define UNWIND(e) {.kind = OP_UNWIND, .err = (e)}
#define ACLOSE(i) {.kind = OP_ACLOSE, .st = (i)}

/* ---------------------------------------------------------- callbacks with arguments */

/* A callback's arguments: `len` payload bytes, pattern (len * 7 + j). */
typedef struct blob {
    int len;
    unsigned char bytes[60];
} blob;

static blob shared = {100, {0}}; /* registered with size 0: passed itself */

static blob make_blob(int len)
{
    blob b = {len, {0}};
    for (int j = 0; j < len; j++)
        b.bytes[j] = (unsigned char)(len * 7 + j);
    return b;
}

/* Log the blob's len if its payload is intact, else -1; -2 for none. */
static void blob_check(const blob *b)
{
    if (!b) {
        tlog_add(-2);
        return;
    }
    int ok = b == &shared || b->len <= 60;
    for (int j = 0; ok && b != &shared && j < b->len; j++)
        ok = b->bytes[j] == (unsigned char)(b->len * 7 + j);
    tlog_add(ok ? b->len : -1);
}

static void blob_cb(void *args, ac_error **raise)
{
    (void)raise;
    blob_check(args);
}

typedef struct blob_frame {
    ac_frame hdr;
    void *args;
} blob_frame;

/* The async callback checks its arguments after a suspension: the copy
 * lives until the callback has finished. */
static int blob_resume(ac_frame *hdr)
{
    blob_frame *f = (blob_frame *)(void *)hdr;
    if (hdr->state == 0) {
        hdr->state = 1;
        if (ac_sleep__await(hdr, NULL, 0))
            return ac__pending(hdr, blob_resume);
    }
    blob_check(f->args);
    return ac__frame_return(hdr);
}

static ac_coro *blob_acb(void *args)
{
    blob_frame *f = AC_CORO_NEW(blob_frame, blob_resume);
    if (f)
        f->args = args;
    return (ac_coro *)f;
}

/* Register the seven blobs of XS-02/XS-03, sync or async, through the
 * coroutine objects; each handle is new and never 0. */
static void register_blobs(ac_exit_stack *st, bool async)
{
    static const int lens[] = {0, 1, 3, 8, 17, 60};
    ac_exit_handle h, prev = 0;
    for (size_t k = 0; k <= 6; k++) {
        blob b = make_blob(k < 6 ? lens[k] : 0);
        const void *args = k < 6 ? (const void *)&b : (const void *)&shared;
        size_t size = k == 0 ? 0 : k < 6 ? offsetof(blob, bytes) + (size_t)b.len : 0;
        if (k == 0)
            args = NULL; /* no arguments at all */
        ac_error *e = async ? ac_run(ac_exit_stack_callback(st, blob_acb, args, size), &h)
                            : ac_run(ac_exit_stack_callback(st, blob_cb, args, size), &h);
        assert_null(e);
        assert_true(h > prev);
        prev = h;
        memset(&b, 0xee, sizeof b); /* the stack kept its own copy */
    }
}

/* A NULL function is refused with EINVAL and registers nothing. */
static void expect_null_fn_refused(ac_exit_stack *st)
{
    ac_exit_handle h = 1;
    size_t before = ac_exit_stack_size(st);
    ac_error *e = ac_run(ac_exit_stack_callback(st, (ac_callback_fn)NULL, NULL, 0), &h);
    assert_int_equal(ac_error_code(e), EINVAL);
    assert_int_equal(h, 0);
    ac_error_release(e);
    e = ac_run(ac_exit_stack_callback(st, (ac_acallback_fn)NULL, NULL, 0), &h);
    assert_int_equal(ac_error_code(e), EINVAL);
    ac_error_release(e);
    assert_int_equal(ac_exit_stack_size(st), before);
}

/* XS-01: an empty stack unwinds without running or throwing anything. */
static void test_XS_01_empty(void **state)
{
    (void)state;
    assert_null(RUN(UNWIND(NULL), ACLOSE(0)));
    assert_false(S.suppressed);
    assert_int_equal(ntlog, 0);
}

/* XS-02: seven sync callbacks run once each, LIFO, with exactly their
 * arguments (copied; size 0 passes the pointer itself); NULL is EINVAL. */
static void test_XS_02_callbacks(void **state)
{
    (void)state;
    register_blobs(S.st[0], false);
    expect_null_fn_refused(S.st[0]);
    assert_null(ac_run(ac_exit_stack_aclose(S.st[0]), NULL));
    TLOG_EXPECT(100, 60, 17, 8, 3, 1, -2);
}

/* XS-03: the same with async callbacks, awaited in LIFO order. */
static void test_XS_03_async_callbacks(void **state)
{
    (void)state;
    register_blobs(S.st[0], true);
    expect_null_fn_refused(S.st[0]);
    assert_null(ac_run(ac_exit_stack_aclose(S.st[0]), NULL));
    TLOG_EXPECT(100, 60, 17, 8, 3, 1, -2);
}

/* ---------------------------------------------------------- push */

/* XS-04, XS-05: pushed exit functions and manager values, the body's E1:
 * F, E, D see the same E1, C suppresses it, B and A then see none; B's
 * enter is never called; the block ends normally. */
static void push_scenario(bool async)
{
    tobj a = {.id = 1}, b = {.id = 2}, c = {.id = 3, .suppress = true}, d = {.id = 4},
         e = {.id = 5}, f = {.id = 6};
    tobj *objs[] = {&a, &b, &c, &d, &e, &f};
    for (size_t i = 0; i < 6; i++)
        objs[i]->suspend = async;
    ac_error *e1 = ac_error_new(E1, "body");
    S.m[0] = AC_CM(async ? &t_async_coro : &t_plain, &b);
    S.m[1] = AC_CM(async ? &t_async_await : &t_plain, &d);
    int x = async ? OP_AEXIT : OP_EXIT;
    assert_null(RUN({.kind = x, .o = &a}, PUSH(0), {.kind = x, .o = &c}, PUSH(1),
                    {.kind = x, .o = &e}, {.kind = x, .o = &f}, HANDLE(e1), UNWIND(e1)));
    assert_true(S.suppressed);
    TLOG_EXPECT(6, 5, 4, 3, 2, 1);
    assert_ptr_equal(f.seen, e1);
    assert_ptr_equal(e.seen, e1);
    assert_ptr_equal(d.seen, e1);
    assert_ptr_equal(c.seen, e1);
    assert_null(b.seen);
    assert_null(a.seen);
    assert_int_equal(b.entered + d.entered, 0);
    assert_int_equal(b.dropped + d.dropped, 0);
    ac_error_release(e1);
}

/* XS-04: sync push. */
static void test_XS_04_push(void **state)
{
    (void)state;
    push_scenario(false);
}

/* XS-05: async push. */
static void test_XS_05_async_push(void **state)
{
    (void)state;
    push_scenario(true);
}

/* ---------------------------------------------------------- enter */

/* XS-06, XS-07: a callback, then a manager entered through the stack: the
 * record is [1, 2, 3, 4] and the stack's enter returns the entered value. */
static void test_XS_06_07_enter(void **state)
{
    (void)state;
    int v;
    for (int async = 0; async < 2; async++) {
        tobj cb = {.id = 4, .suspend = async}, m = {.enter_id = 1, .id = 3, .value = &v, .suspend = async};
        tlog_reset();
        S.m[0] = AC_CM(async ? &t_async_coro : &t_plain, &m);
        assert_null(RUN({.kind = async ? OP_ACB : OP_CB, .o = &cb}, ENTER(0)));
        assert_ptr_equal(S.value[1], &v);
        tlog_add(2); /* the body */
        assert_null(RUN(UNWIND(NULL)));
        TLOG_EXPECT(1, 2, 3, 4);
    }
}

/* XS-08, XS-09, XS-28: values that are not managers (zeroed, NULL class,
 * no exit) are refused by enter and push with EINVAL: nothing registered,
 * nothing called; inside a `catch` of E1 the EINVAL has E1 as context.
 * A NULL stack is EINVAL too. */
static void test_XS_08_09_28_not_a_manager(void **state)
{
    (void)state;
    tobj o = {0};
    ac_error *e1 = ac_error_new(E1, "caught");
    S.m[1] = AC_CM(NULL, &o);
    S.m[2] = AC_CM(&t_no_exit, &o);
    for (int i = 0; i < 3; i++) {
        for (int kind = OP_PUSH; kind <= OP_ENTER; kind++) {
            ac_error *e = RUN({.kind = kind, .mi = i});
            assert_int_equal(ac_error_code(e), EINVAL);
            assert_non_null(strstr(ac_error_message(e), "not a context manager"));
            assert_null(ac_error_context(e));
            ac_error_release(e);
            e = RUN(HANDLE(e1), {.kind = kind, .mi = i}); /* XS-28 */
            CHAIN_EXPECT(e, EINVAL, E1);
            ac_error_release(e);
        }
    }
    assert_int_equal(ac_exit_stack_size(S.st[0]), 0);
    assert_int_equal(o.entered + o.exited + o.dropped, 0);
    S.m[0] = AC_CM(&t_plain, &o);
    ac_error *e = RUN({.kind = OP_ENTER, .st = 1});
    assert_int_equal(ac_error_code(e), EINVAL);
    ac_error_release(e);
    e = RUN({.kind = OP_CB, .st = 1, .o = &o});
    assert_int_equal(ac_error_code(e), EINVAL);
    ac_error_release(e);
    assert_int_equal(o.entered, 0);
    ac_error_release(e1);
}

/* XS-31: a manager whose enter throws E1: E1 propagates from the stack's
 * enter and its exit is not registered. */
static void test_XS_31_enter_fails(void **state)
{
    (void)state;
    for (int async = 0; async < 2; async++) {
        tobj o = {.enter_code = E1, .suspend = async};
        S.m[0] = AC_CM(async ? &t_async_coro : &t_plain, &o);
        ac_error *e = RUN(ENTER(0));
        assert_ptr_equal(e, o.thrown);
        ac_error_release(e);
        assert_int_equal(ac_exit_stack_size(S.st[0]), 0);
        assert_null(RUN(UNWIND(NULL)));
        assert_int_equal(o.exited + o.dropped, 0);
    }
}

/* XS-24: ac_nullcontext(v) entered through the stack returns exactly v. */
static void test_XS_24_nullcontext_values(void **state)
{
    (void)state;
    int i0 = 0, i1 = 1;
    void *vs[] = {NULL, "a string", &i0, &i1};
    for (int k = 0; k < 4; k++)
        S.m[k] = ac_nullcontext(vs[k]);
    assert_null(RUN(ENTER(0), ENTER(1), ENTER(2), ENTER(3), UNWIND(NULL)));
    for (int k = 0; k < 4; k++)
        assert_ptr_equal(S.value[k], vs[k]);
}

/* ---------------------------------------------------------- aclose, pop_all */

/* XS-10, XS-32: aclose runs the registrations now and removes them: leaving
 * the block, or a second aclose, runs nothing again. */
static void test_XS_10_32_aclose(void **state)
{
    (void)state;
    tobj a = {.id = 1}, b = {.id = 3, .suspend = true};
    assert_null(RUN(CB(&a), ACB(&b), ACLOSE(0)));
    TLOG_EXPECT(3, 1);
    assert_int_equal(ac_exit_stack_size(S.st[0]), 0);
    tlog_add(2);
    assert_null(RUN(ACLOSE(0), UNWIND(NULL)));
    TLOG_EXPECT(3, 1, 2);
}

/* XS-11: pop_all moves the registrations to a new stack: the original's
 * exit runs only what was registered after; aclose of the new one runs the
 * rest. */
static void test_XS_11_pop_all(void **state)
{
    (void)state;
    tobj three = {.id = 3}, five = {.id = 5};
    assert_null(RUN(CB(&three), {.kind = OP_POP_ALL}));
    assert_non_null(S.st[1]);
    assert_int_equal(ac_exit_stack_size(S.st[0]), 0);
    assert_int_equal(ac_exit_stack_size(S.st[1]), 1);
    tlog_add(1);
    assert_null(RUN(CB(&five), UNWIND(NULL)));
    tlog_add(2);
    assert_null(RUN(ACLOSE(1)));
    TLOG_EXPECT(1, 5, 2, 3);
}

/* XS-12: ten managers, alternately sync and async, entered as 0..9, then
 * pop_all: the original's exit exits none; aclose of the new stack exits
 * all ten, last entered first. */
static void test_XS_12_pop_all_managers(void **state)
{
    (void)state;
    int values[10];
    tobj o[10];
    op ops[13];
    for (int i = 0; i < 10; i++) {
        o[i] = (tobj){.id = 10 + i, .value = &values[i], .suspend = i % 2};
        S.m[i] = AC_CM(i % 2 ? &t_async_coro : &t_plain, &o[i]);
        ops[i] = (op){.kind = OP_ENTER, .mi = i};
    }
    ops[10] = (op){.kind = OP_POP_ALL};
    ops[11] = (op){.kind = OP_UNWIND};
    ops[12] = (op){.kind = OP_ACLOSE, .st = 1};
    assert_null(script_run(&S, ops, 12));
    for (int i = 0; i < 10; i++) {
        assert_ptr_equal(S.value[i], &values[i]);
        assert_int_equal(o[i].entered, 1);
        assert_int_equal(o[i].exited, 0);
    }
    assert_null(script_run(&S, ops + 12, 1));
    TLOG_EXPECT(19, 18, 17, 16, 15, 14, 13, 12, 11, 10);
}

/* ---------------------------------------------------------- suppression and context */

/* XS-13, XS-14: an exit returning false lets the same E1 go on; one
 * returning true suppresses it and the block ends normally. */
static void test_XS_13_14_exit_raise_suppress(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    tobj no = {0}, yes = {.suppress = true};
    assert_null(RUN(EXIT(&no), UNWIND(e1)));
    assert_false(S.suppressed);
    assert_ptr_equal(no.seen, e1);
    assert_null(RUN(EXIT(&yes), UNWIND(e1)));
    assert_true(S.suppressed);
    ac_error_release(e1);
}

/* XS-15: R1..R3 throw E2..E4, S suppresses, R4 throws E5; body E1: R4's E5
 * has context E1 and S sees it; after the suppression E4 has no context:
 * the final error is E2 -> E3 -> E4.  For sync and async forms, with the
 * body's error handled in the calling frame as `async with` does. */
static void test_XS_15_chaining(void **state)
{
    (void)state;
    for (int k = 0; k < 4; k++) {
        bool async = k & 1, handled = k & 2;
        tobj r1 = {.code = E2, .suspend = async}, r2 = {.code = E3}, r3 = {.code = E4, .suspend = async};
        tobj s = {.suppress = true, .suspend = async}, r4 = {.code = E5, .suspend = async};
        ac_error *e1 = ac_error_new(E1, "body");
        int cb = async ? OP_ACB : OP_CB;
        ac_error *e = RUN({.kind = cb, .o = &r1}, {.kind = OP_EXIT, .o = &r2}, {.kind = cb, .o = &r3},
                          {.kind = async ? OP_AEXIT : OP_EXIT, .o = &s}, {.kind = cb, .o = &r4},
                          HANDLE(handled ? e1 : NULL), UNWIND(e1));
        assert_ptr_equal(s.seen, r4.thrown);
        CHAIN_EXPECT(r4.thrown, E5, E1);
        assert_ptr_equal(e, r1.thrown);
        CHAIN_EXPECT(e, E2, E3, E4);
        assert_false(S.suppressed);
        ac_error_release(e);
        ac_error_release(e1);
    }
}

/* XS-15, nested-`async with` equivalence: an enclosing `catch` of Y stays
 * visible to entries that throw while nothing came from the body. */
static void test_XS_15_outer_catch(void **state)
{
    (void)state;
    ac_error *y = ac_error_new(E0, "caught outside");
    tobj r = {.code = E2, .suspend = true}, p = {.code = E3};
    ac_error *e = RUN(HANDLE(y), ACB(&r), CB(&p), UNWIND(NULL));
    CHAIN_EXPECT(e, E2, E3, E0);
    ac_error_release(e);
    ac_error_release(y);
}

/* XS-16, BX-02: an error whose context was cleared explicitly keeps none,
 * thrown by a callback, a pushed exit or an entered manager's exit. */
static void test_XS_16_BX_02_cleared_context(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    for (int k = 0; k < 6; k++) {
        tobj o = {.code = E2, .clear = true, .suspend = k % 2};
        S.m[0] = AC_CM(k % 2 ? &t_async_coro : &t_plain, &o);
        op reg = k < 2 ? (op){.kind = k ? OP_ACB : OP_CB, .o = &o}
               : k < 4 ? (op){.kind = k % 2 ? OP_AEXIT : OP_EXIT, .o = &o}
                       : (op){.kind = OP_ENTER};
        ac_error *e = RUN(reg, HANDLE(e1), UNWIND(e1));
        CHAIN_EXPECT(e, E2);
        ac_error_release(e);
    }
    ac_error_release(e1);
}

/* XS-17: (a) a callback's error propagates although a later one returns
 * normally; (b) E1 is suppressed by the exit, then E2 is thrown (no
 * context) and propagates. */
static void test_XS_17_non_suppressing(void **state)
{
    (void)state;
    tobj quiet = {0}, t1 = {.code = E1};
    ac_error *e = RUN(CB(&quiet), CB(&t1), UNWIND(NULL));
    assert_ptr_equal(e, t1.thrown);
    CHAIN_EXPECT(e, E1);
    ac_error_release(e);
    tobj t2 = {.code = E2}, s = {.suppress = true}, u1 = {.code = E1};
    e = RUN(CB(&t2), EXIT(&s), CB(&u1), UNWIND(NULL));
    assert_ptr_equal(s.seen, u1.thrown);
    assert_ptr_equal(e, t2.thrown);
    CHAIN_EXPECT(e, E2);
    ac_error_release(e);
}

/* XS-19: links made inside a callback are kept, the error in flight goes
 * at the end: E5 -> E4 -> E3 -> E2 -> E1. */
static void test_XS_19_existing_context(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body"), *e4 = ac_error_new(E4, NULL), *e2 = ac_error_new(E2, NULL);
    tobj outer = {.code = E5, .ctx = e4}, inner = {.code = E3, .ctx = e2, .suspend = true};
    ac_error *e = RUN(CB(&outer), ACB(&inner), HANDLE(e1), UNWIND(e1));
    CHAIN_EXPECT(e, E5, E4, E3, E2, E1);
    ac_error_release(e);
    ac_error_release(e1);
    ac_error_release(e2);
    ac_error_release(e4);
}

/* XS-20: E1 is thrown, then E2 with context E1, which the first exit
 * suppresses: the block ends normally. */
static void test_XS_20_chaining_suppress(void **state)
{
    (void)state;
    tobj s = {.suppress = true}, t2 = {.code = E2, .suspend = true}, t1 = {.code = E1};
    assert_null(RUN(EXIT(&s), AEXIT(&t2), EXIT(&t1), UNWIND(NULL)));
    assert_ptr_equal(s.seen, t2.thrown);
    assert_ptr_equal(t2.seen, t1.thrown);
    CHAIN_EXPECT(t2.thrown, E2, E1);
    assert_false(S.suppressed); /* it received no error (XS-30) */
}

/* XS-25: async callbacks returning true never suppress: they run 4..0 and
 * E1 still propagates. */
static void test_XS_25_callbacks_never_suppress(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    tobj o[5];
    op ops[6];
    for (int i = 0; i < 5; i++) {
        o[i] = (tobj){.id = 10 + i, .suspend = i % 2};
        ops[i] = (op)ACB(&o[i]);
    }
    ops[5] = (op)UNWIND(e1);
    assert_null(script_run(&S, ops, 6));
    assert_false(S.suppressed);
    TLOG_EXPECT(14, 13, 12, 11, 10);
    ac_error_release(e1);
}

/* XS-26: exit functions, an async manager that swallows (standing in for
 * the @contextmanager one) and a sync one that records share one order:
 * E1 seen by (5) and (4); (3) sees E2 (context E1) and suppresses; (2)
 * sees nothing and throws E3; (1) sees E3 and throws E4: E4 -> E3. */
static void test_XS_26_mixed_push(void **state)
{
    (void)state;
    for (int handled = 0; handled < 2; handled++) {
        ac_error *e1 = ac_error_new(E1, "body");
        tobj o1 = {.code = E4}, o2 = {.code = E3, .suspend = true}, o3 = {.suppress = true, .suspend = true};
        tobj o4 = {.code = E2}, o5 = {0};
        S.m[0] = AC_CM(&t_async_coro, &o3);
        S.m[1] = AC_CM(&t_plain, &o5);
        ac_error *e = RUN(EXIT(&o1), AEXIT(&o2), ENTER(0), EXIT(&o4), ENTER(1),
                          HANDLE(handled ? e1 : NULL), UNWIND(e1));
        assert_ptr_equal(o5.seen, e1);
        assert_ptr_equal(o4.seen, e1);
        assert_ptr_equal(o3.seen, o4.thrown);
        CHAIN_EXPECT(o4.thrown, E2, E1);
        assert_null(o2.seen);
        assert_ptr_equal(o1.seen, o2.thrown);
        assert_ptr_equal(e, o1.thrown);
        CHAIN_EXPECT(e, E4, E3);
        ac_error_release(e);
        ac_error_release(e1);
    }
}

/* XS-29: sync and async registrations of all three forms form one LIFO
 * order; a sync exit's and an async exit's `true` count alike. */
static void test_XS_29_mixed_forms(void **state)
{
    (void)state;
    for (int async_sup = 0; async_sup < 2; async_sup++) {
        ac_error *e1 = ac_error_new(E1, "body");
        tobj o[8];
        for (int i = 0; i < 8; i++)
            o[i] = (tobj){.id = i + 1, .suspend = i % 2};
        o[7].suppress = true;
        S.m[0] = AC_CM(&t_plain, &o[4]);
        S.m[1] = AC_CM(&t_async_await, &o[5]);
        S.m[2] = AC_CM(&t_async_coro, &o[6]);
        tlog_reset();
        assert_null(RUN(CB(&o[0]), ACB(&o[1]), EXIT(&o[2]), AEXIT(&o[3]), ENTER(0), PUSH(1),
                        ENTER(2), {.kind = async_sup ? OP_AEXIT : OP_EXIT, .o = &o[7]}, UNWIND(e1)));
        assert_true(S.suppressed);
        TLOG_EXPECT(8, 7, 6, 5, 4, 3, 2, 1);
        assert_ptr_equal(o[7].seen, e1);
        assert_null(o[6].seen); /* after the suppression */
        ac_error_release(e1);
    }
}

/* XS-30: the stack's exit reports "suppressed" only when it received an
 * error and nothing is in flight at the end; a final error is thrown with
 * the context the stack set up. */
static void test_XS_30_stack_exit_reports(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    tobj s = {.suppress = true}, t = {.code = E2};
    assert_null(RUN(EXIT(&s), UNWIND(e1)));
    assert_true(S.suppressed);
    assert_null(RUN(EXIT(&s), CB(&t), UNWIND(NULL))); /* thrown, then suppressed */
    assert_false(S.suppressed);
    ac_error *e = RUN(CB(&t), UNWIND(e1));
    assert_false(S.suppressed);
    assert_ptr_equal(e, t.thrown);
    CHAIN_EXPECT(e, E2, E1);
    ac_error_release(e);
    ac_error_release(e1);
}

/* ---------------------------------------------------------- BX-01, BX-08 */

/* BX-01 (a), (b): three throwing callbacks: E1 -> E2 -> E3, then the
 * body's E0 if there was one. */
static void test_BX_01_ab_every_error_kept(void **state)
{
    (void)state;
    ac_error *e0 = ac_error_new(E0, "body");
    tobj a = {.code = E1}, b = {.code = E2, .suspend = true}, c = {.code = E3};
    ac_error *e = RUN(CB(&a), ACB(&b), CB(&c), UNWIND(NULL));
    CHAIN_EXPECT(e, E1, E2, E3);
    ac_error_release(e);
    e = RUN(CB(&a), ACB(&b), CB(&c), HANDLE(e0), UNWIND(e0));
    CHAIN_EXPECT(e, E1, E2, E3, E0);
    ac_error_release(e);
    ac_error_release(e0);
}

/* Register o as form i % 6 through the coroutine objects. */
static void register_form(ac_exit_stack *st, tobj *o, ac_cm *m, int i)
{
    void *v;
    switch (i % 6) {
    case 0: assert_null(ac_run(ac_exit_stack_callback(st, t_cb, &o, sizeof o), NULL)); break;
    case 1: assert_null(ac_run(ac_exit_stack_callback(st, t_acb, &o, sizeof o), NULL)); break;
    case 2: assert_null(ac_run(ac_exit_stack_push_exit(st, t_exit, o), NULL)); break;
    case 3: assert_null(ac_run(ac_exit_stack_push_exit(st, t_aexit, o), NULL)); break;
    case 4:
        *m = AC_CM(&t_plain, o);
        assert_null(ac_run(ac_exit_stack_enter(st, *m), &v));
        break;
    default:
        *m = AC_CM(&t_async_coro, o);
        assert_null(ac_run(ac_exit_stack_push(st, *m), NULL));
    }
}

/* BX-01 (d): one hundred registrations of mixed forms each throwing its own
 * error: the final chain holds all of them, newest first, each once, then
 * the body's error. */
static void test_BX_01_d_hundred(void **state)
{
    (void)state;
    static tobj o[100];
    ac_cm m;
    int codes[101];
    for (int i = 0; i < 100; i++) {
        o[i] = (tobj){.code = 1000 + i, .suspend = i % 3 == 0};
        register_form(S.st[0], &o[i], &m, i);
        codes[i] = 1000 + i;
    }
    codes[100] = E0;
    ac_error *e0 = ac_error_new(E0, "body");
    ac_error *e = RUN(HANDLE(e0), UNWIND(e0));
    chain_expect(e, codes, 101);
    ac_error_release(e);
    ac_error_release(e0);
}

typedef struct many_case {
    bool throw;
    ac_error *body;
    bool ok;
} many_case;

/* 100,000 callbacks, alternately sync and async, unwound once. */
static void many_unwind(void *arg)
{
    many_case *c = arg;
    script s = {.st = {ac_exit_stack_new()}};
    many_next = 100000;
    many_throw = c->throw;
    ac_error *e = SCRIPT_RUN(&s, {.kind = OP_MANY, .n = 100000}, HANDLE(c->body), UNWIND(c->body));
    c->ok = many_in_order() && ac_exit_stack_size(s.st[0]) == 0;
    if (c->throw) /* every error once, newest first, then the body's */
        c->ok = c->ok && chain_len(e) == 100000 + (c->body != NULL) && ac_error_code(e) == E1;
    else
        c->ok = c->ok && !e;
    ac_error_release(e);
    ac_exit_stack_free(s.st[0]);
}

/* XS-21, BX-08 (b): 100,000 mixed sync and async callbacks unwind in LIFO
 * order on a 256 KiB stack, also when every one throws (the 100,000-long
 * chain is built and released without recursion). */
static void test_XS_21_BX_08_many_callbacks(void **state)
{
    (void)state;
    ac_error *e0 = ac_error_new(E0, "body");
    many_case cases[] = {{false, NULL, false}, {true, NULL, false}, {true, e0, false}};
    for (size_t k = 0; k < 3; k++) {
        on_small_stack(many_unwind, &cases[k]);
        assert_true(cases[k].ok);
    }
    ac_error_release(e0);
}

/* ---------------------------------------------------------- BX-03: handles */

/* BX-03: handles are never 0 and unique on the thread, across stacks;
 * ac_exit_stack_last gives the newest; sizes follow. */
static void test_BX_03_handles(void **state)
{
    (void)state;
    tobj o = {0};
    S.st[1] = ac_exit_stack_new();
    S.m[0] = AC_CM(&t_plain, &o);
    assert_int_equal(ac_exit_stack_last(S.st[0]), 0);
    assert_null(RUN(CB(&o), {.kind = OP_CB, .st = 1, .o = &o}, ENTER(0), EXIT(&o)));
    assert_true(S.h[0] && S.h[1] > S.h[0] && S.h[2] > S.h[1] && S.h[3] > S.h[2]);
    assert_int_equal(ac_exit_stack_last(S.st[0]), S.h[3]);
    assert_int_equal(ac_exit_stack_last(S.st[1]), S.h[1]);
    assert_int_equal(ac_exit_stack_size(S.st[0]), 3);
    assert_int_equal(ac_exit_stack_size(S.st[1]), 1);
    assert_int_equal(ac_exit_stack_size(NULL), 0);
    assert_int_equal(ac_exit_stack_last(NULL), 0);
    ac_exit_stack_free(S.st[0]); /* drops o's manager while o lives */
    S.st[0] = NULL;
    assert_int_equal(o.dropped, 1);
}

/* BX-03: removing one registration of each form before unwinding: it never
 * runs, the others run in order; a removed entered manager is neither
 * exited nor dropped (the caller has it), a removed pushed one is dropped;
 * removing twice, 0, another stack's handle or through NULL is EINVAL. */
static void test_BX_03_remove(void **state)
{
    (void)state;
    tobj o[7];
    for (int i = 0; i < 7; i++)
        o[i] = (tobj){.id = i + 1, .suspend = i % 2};
    S.m[0] = AC_CM(&t_plain, &o[4]);
    S.m[1] = AC_CM(&t_async_coro, &o[5]);
    S.m[2] = AC_CM(&t_async_await, &o[6]);
    S.st[1] = ac_exit_stack_new();
    assert_null(RUN(CB(&o[0]), ACB(&o[1]), EXIT(&o[2]), AEXIT(&o[3]), ENTER(0), ENTER(1), PUSH(2)));
    ac_exit_handle h[7];
    memcpy(h, S.h, sizeof h);
    assert_int_equal(ac_exit_stack_remove(S.st[1], h[0]), EINVAL); /* another stack's */
    assert_int_equal(ac_exit_stack_remove(S.st[0], 0), EINVAL);
    assert_int_equal(ac_exit_stack_remove(NULL, h[0]), EINVAL);
    for (int i = 1; i < 7; i += 2) { /* ACB, AEXIT, ENTER(1) */
        assert_int_equal(ac_exit_stack_remove(S.st[0], h[i]), 0);
        assert_int_equal(ac_exit_stack_remove(S.st[0], h[i]), EINVAL);
    }
    assert_int_equal(ac_exit_stack_remove(S.st[0], h[6]), 0); /* pushed manager */
    assert_int_equal(ac_exit_stack_size(S.st[0]), 3);
    assert_int_equal(o[5].entered, 1);
    assert_int_equal(o[5].exited + o[5].dropped, 0); /* the caller's now */
    assert_int_equal(o[6].dropped, 1);
    assert_null(RUN(UNWIND(NULL)));
    TLOG_EXPECT(5, 3, 1);
    assert_int_equal(ac_exit_stack_remove(S.st[0], h[0]), EINVAL); /* already run */
    assert_int_equal(o[5].exited, 0);
}

/* BX-03: after pop_all a handle follows its entry (removed from the new
 * stack, EINVAL on the old one). */
static void test_BX_03_remove_after_pop_all(void **state)
{
    (void)state;
    tobj a = {.id = 1}, b = {.id = 2};
    assert_null(RUN(CB(&a), CB(&b), {.kind = OP_POP_ALL}));
    assert_int_equal(ac_exit_stack_remove(S.st[0], S.h[0]), EINVAL);
    assert_int_equal(ac_exit_stack_remove(S.st[1], S.h[0]), 0);
    assert_null(RUN(ACLOSE(1)));
    TLOG_EXPECT(2);
}

/* BX-03: a running callback removes an entry that has not run yet (it then
 * never runs) and tries its own handle (EINVAL: it is running). */
static void test_BX_03_remove_from_callback(void **state)
{
    (void)state;
    tobj a = {.id = 1}, b = {.id = 2}, c = {.id = 3, .suspend = true}, d = {.id = 4};
    assert_null(RUN(CB(&a), CB(&b), ACB(&c), ACB(&d)));
    c.rm_st = d.rm_st = S.st[0];
    d.rm_h = S.h[1]; /* d, running first, removes b */
    c.rm_h = S.h[2]; /* c tries itself */
    assert_null(RUN(UNWIND(NULL)));
    TLOG_EXPECT(4, 3, 1);
    assert_int_equal(d.rm_rc, 0);
    assert_int_equal(c.rm_rc, EINVAL);
    assert_int_equal(b.runs, 0);
}

/* ---------------------------------------------------------- stacks as managers */

/* ac_exit_stack_open(): entering makes a stack (the entered value), the
 * exit unwinds and frees it; entering it twice is AC_ESTATE, exiting it
 * unentered too; a stack entered through a stack nests. */
static void test_stack_open(void **state)
{
    (void)state;
    tobj a = {.id = 1}, b = {.id = 2};
    ac_exit_stack *outer = S.st[0];
    S.st[0] = NULL;
    S.m[0] = ac_exit_stack_open();
    S.m[1] = ac_exit_stack_open();
    assert_null(RUN({.kind = OP_OPEN, .mi = 0}, CB(&a)));
    assert_non_null(S.st[0]);
    ac_error *e = RUN({.kind = OP_CM_ENTER, .mi = 0});
    assert_int_equal(ac_error_code(e), AC_ESTATE);
    ac_error_release(e);
    e = RUN({.kind = OP_CM_EXIT, .mi = 1});
    assert_int_equal(ac_error_code(e), AC_ESTATE);
    ac_error_release(e);
    assert_null(RUN({.kind = OP_CM_EXIT, .mi = 0}));
    assert_null(S.m[0].data.p[0]);
    S.st[0] = outer; /* an owned stack entered through this one */
    S.m[2] = ac_exit_stack_open();
    assert_null(RUN(ENTER(2), CB(&b)));
    ac_exit_stack *inner = S.value[0];
    assert_null(ac_run(ac_exit_stack_callback(inner, t_cb, &(tobj *){&a}, sizeof(tobj *)), NULL));
    assert_null(RUN(UNWIND(NULL)));
    TLOG_EXPECT(1, 2, 1);
}

/* A stack freed, or an owned stack's value dropped, without unwinding runs
 * nothing and drops every manager it holds (entered or pushed). */
static void test_free_drops_managers(void **state)
{
    (void)state;
    tobj a = {.id = 1}, b = {.id = 2}, c = {.id = 3};
    S.m[0] = AC_CM(&t_plain, &a);
    S.m[1] = AC_CM(&t_async_coro, &b);
    assert_null(RUN(ENTER(0), PUSH(1), CB(&c)));
    ac_exit_stack_free(S.st[0]);
    S.st[0] = NULL;
    assert_int_equal(a.dropped + b.dropped, 2);
    assert_int_equal(a.exited + b.exited + c.runs, 0);
    tobj d = {.id = 4};
    S.m[2] = ac_exit_stack_open();
    S.m[3] = AC_CM(&t_plain, &d);
    assert_null(RUN({.kind = OP_OPEN, .mi = 2}, PUSH(3)));
    ac_cm_drop(&S.m[2]);
    S.st[0] = NULL;
    assert_int_equal(d.dropped, 1);
    assert_int_equal(ntlog, 0);
}

/* The coroutine objects give their results through ac_run: enter's value,
 * push's handle, pop_all's stack; aclose unwinds. */
static void test_coroutine_objects(void **state)
{
    (void)state;
    int v;
    tobj a = {.id = 1, .value = &v}, b = {.id = 2};
    ac_cm m = AC_CM(&t_async_coro, &a), n = AC_CM(&t_plain, &b);
    void *got = NULL;
    ac_exit_handle h = 0;
    ac_exit_stack *moved = NULL;
    assert_null(ac_run(ac_exit_stack_enter(S.st[0], m), &got));
    assert_ptr_equal(got, &v);
    assert_null(ac_run(ac_exit_stack_push(S.st[0], n), &h));
    assert_int_equal(h, ac_exit_stack_last(S.st[0]));
    assert_null(ac_run(ac_exit_stack_pop_all(S.st[0]), &moved));
    assert_int_equal(ac_exit_stack_size(moved), 2);
    assert_null(ac_run(ac_exit_stack_aclose(moved), NULL));
    ac_exit_stack_free(moved);
    TLOG_EXPECT(2, 1);
    ac_error *e = ac_run(ac_exit_stack_pop_all(NULL), &moved);
    assert_int_equal(ac_error_code(e), EINVAL);
    ac_error_release(e);
}

/* ---------------------------------------------------------- BX-09 */

typedef struct oom_seen {
    bool nomem, in_chain, ok;
} oom_seen;

/* Every form of registration, enter, pop_all and unwinding with a body
 * error, the n-th allocation failing; returns the allocations made. */
static unsigned long oom_stack_once(unsigned long n, oom_seen *seen)
{
    tobj o[8];
    for (int i = 0; i < 8; i++)
        o[i] = (tobj){.id = i + 1, .suspend = i % 2};
    tlog_reset();
    ac_exit_stack_free(S.st[0]);
    ac_exit_stack_free(S.st[1]);
    memset(&S, 0, sizeof S);
    S.st[0] = ac_exit_stack_new();
    S.m[0] = AC_CM(&t_plain, &o[4]);
    S.m[1] = AC_CM(&t_async_coro, &o[5]);
    S.m[2] = AC_CM(&t_async_await, &o[6]);
    S.m[3] = ac_exit_stack_open();
    ac_error *e0 = ac_error_new(E0, "body");
    ac_alloc_fail_at(n);
    ac_error *e = RUN(CB(&o[0]), ACB(&o[1]), EXIT(&o[2]), AEXIT(&o[3]), ENTER(0), ENTER(1), PUSH(2),
                      ENTER(3), {.kind = OP_POP_ALL}, ACB(&o[7]), HANDLE(e0),
                      {.kind = OP_UNWIND, .st = 1, .err = e0}, UNWIND(NULL));
    unsigned long made = ac_alloc_fail_at(0);
    if (!e) {
        seen->ok = true;
        assert_false(S.suppressed);
        TLOG_EXPECT(7, 6, 5, 4, 3, 2, 1, 8);
    } else {
        assert_int_equal(ac_error_code(e), ENOMEM);
        seen->nomem = true;
        if (S.failed_at == 11) { /* unwinding with e0 in flight */
            assert_true(chain_has(e, e0));
            seen->in_chain = true;
        }
    }
    ac_error_release(e);
    ac_exit_stack_free(S.st[0]);
    ac_exit_stack_free(S.st[1]);
    S.st[0] = S.st[1] = NULL;
    for (int i = 0; i < 8; i++) { /* each ran at most once; none both exited and dropped */
        assert_true(o[i].runs + o[i].exited + o[i].dropped <= 1);
        if (o[i].entered)
            assert_int_equal(o[i].exited + o[i].dropped, 1);
    }
    ac_error_release(e0);
    return made;
}

/* BX-09: out of memory at any allocation of registration, enter, pop_all
 * or unwinding gives ENOMEM (with the error in flight in its chain) or the
 * normal outcome; no crash, no leak, every entered manager is exited or
 * dropped exactly once. */
static void test_BX_09_oom_stack(void **state)
{
    (void)state;
    oom_seen seen = {false, false, false};
    unsigned long n;
    for (n = 1; oom_stack_once(n, &seen) >= n; n++)
        ;
    assert_true(n > 10);
    assert_true(seen.nomem && seen.in_chain && seen.ok);
    print_message("%lu allocations failed in turn\n", n - 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_XS_01_empty),
        T(test_XS_02_callbacks),
        T(test_XS_03_async_callbacks),
        T(test_XS_04_push),
        T(test_XS_05_async_push),
        T(test_XS_06_07_enter),
        T(test_XS_08_09_28_not_a_manager),
        T(test_XS_31_enter_fails),
        T(test_XS_24_nullcontext_values),
        T(test_XS_10_32_aclose),
        T(test_XS_11_pop_all),
        T(test_XS_12_pop_all_managers),
        T(test_XS_13_14_exit_raise_suppress),
        T(test_XS_15_chaining),
        T(test_XS_15_outer_catch),
        T(test_XS_16_BX_02_cleared_context),
        T(test_XS_17_non_suppressing),
        T(test_XS_19_existing_context),
        T(test_XS_20_chaining_suppress),
        T(test_XS_25_callbacks_never_suppress),
        T(test_XS_26_mixed_push),
        T(test_XS_29_mixed_forms),
        T(test_XS_30_stack_exit_reports),
        T(test_BX_01_ab_every_error_kept),
        T(test_BX_01_d_hundred),
        T(test_XS_21_BX_08_many_callbacks),
        T(test_BX_03_handles),
        T(test_BX_03_remove),
        T(test_BX_03_remove_after_pop_all),
        T(test_BX_03_remove_from_callback),
        T(test_stack_open),
        T(test_free_drops_managers),
        T(test_coroutine_objects),
        T(test_BX_09_oom_stack),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
