/* test_cm.c: the context-manager protocol (ac_cm_enter, ac_cm_exit,
 * ac_cm_drop) over every form of class member, and the built-in managers
 * ac_nullcontext, ac_closing, ac_suppress, ac_suppress_if (BEHAVIOURS
 * section 3, CL).  Enter and exit run as coroutine objects under ac_run;
 * scenarios that need one task use the script runner of cm_fixture.c. */
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

static ac_error *enter(ac_cm *m, void **v)
{
    return ac_run(ac_cm_enter(m), v);
}

static ac_error *exit_with(ac_cm *m, ac_error *err, bool *sup)
{
    *sup = true; /* must be overwritten */
    return ac_run(ac_cm_exit(m, err), sup);
}

/* The classes that have an enter member, async ones suspending or not. */
static const ac_cm_class *const entering[] = {&t_async_await, &t_async_coro, &t_plain, &t_whole};
#define NENTERING (sizeof entering / sizeof entering[0])

static int setup(void **state)
{
    (void)state;
    tlog_reset();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tkeep_release();
    return 0;
}

/* ---------------------------------------------------------- dispatch */

/* Every form of enter and exit member is called once, with `self` (the
 * ac_cm itself for AC_CM_WHOLE), and enter's value comes back. */
static void test_dispatch_forms(void **state)
{
    (void)state;
    int marker;
    for (size_t k = 0; k < 2 * NENTERING; k++) {
        tobj o = {.id = 2, .enter_id = 1, .value = &marker, .suspend = k >= NENTERING};
        ac_cm m = AC_CM(entering[k % NENTERING], &o);
        void *v = NULL;
        bool sup;
        tlog_reset();
        assert_null(enter(&m, &v));
        assert_ptr_equal(v, &marker);
        assert_null(exit_with(&m, NULL, &sup));
        assert_false(sup);
        assert_int_equal(o.entered, 1);
        assert_int_equal(o.exited, 1);
        assert_null(o.seen);
        assert_ptr_equal(o.self_seen, m.cls == &t_whole ? (void *)&m : (void *)&o);
        assert_int_equal(o.dropped, 0);
        TLOG_EXPECT(1, 2);
    }
}

/* A class without an enter member enters as self (XS-08's valid case). */
static void test_default_enter(void **state)
{
    (void)state;
    tobj o = {.id = 1};
    ac_cm m = AC_CM(&t_default, &o);
    void *v = NULL;
    bool sup;
    assert_null(enter(&m, &v));
    assert_ptr_equal(v, &o);
    assert_null(exit_with(&m, NULL, &sup));
    assert_false(sup);
    assert_int_equal(o.exited, 1);
}

/* An exit returning true suppresses only when an error is in flight; it
 * receives that error itself. */
static void test_exit_suppress_needs_error(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    for (size_t k = 0; k < NENTERING; k++) {
        tobj o = {.suppress = true, .suspend = true};
        ac_cm m = AC_CM(entering[k], &o);
        bool sup;
        assert_null(exit_with(&m, NULL, &sup));
        assert_false(sup);
        assert_null(exit_with(&m, e1, &sup));
        assert_true(sup);
        assert_ptr_equal(o.seen, e1);
    }
    ac_error_release(e1);
}

/* An error thrown by an exit replaces the one in flight, which becomes its
 * context; a raise wins over a `true` returned with it. */
static void test_exit_throws_with_context(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    for (size_t k = 0; k < 2 * NENTERING; k++) {
        tobj o = {.code = E2, .suppress = true, .suspend = k >= NENTERING};
        ac_cm m = AC_CM(entering[k % NENTERING], &o);
        bool sup;
        ac_error *e = exit_with(&m, e1, &sup);
        assert_false(sup);
        assert_ptr_equal(e, o.thrown);
        CHAIN_EXPECT(e, E2, E1);
        assert_ptr_equal(ac_error_context(e), e1);
        ac_error_release(e);
    }
    ac_error_release(e1);
}

/* BX-02: an exit that clears its error's context explicitly: no runtime
 * component re-links it, whatever the form of the exit. */
static void test_BX_02_exit_cleared_context(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    for (size_t k = 0; k < 2 * NENTERING; k++) {
        tobj o = {.code = E2, .clear = true, .suspend = k >= NENTERING};
        ac_cm m = AC_CM(entering[k % NENTERING], &o);
        bool sup;
        ac_error *e = exit_with(&m, e1, &sup);
        CHAIN_EXPECT(e, E2);
        ac_error_release(e);
    }
    ac_error_release(e1);
}

/* An enter's error propagates, in every form. */
static void test_enter_throws(void **state)
{
    (void)state;
    for (size_t k = 0; k < 2 * NENTERING; k++) {
        tobj o = {.enter_code = E1, .suspend = k >= NENTERING};
        ac_cm m = AC_CM(entering[k % NENTERING], &o);
        void *v = &o;
        ac_error *e = enter(&m, &v);
        assert_ptr_equal(e, o.thrown);
        CHAIN_EXPECT(e, E1);
        assert_int_equal(o.dropped, 0); /* the enter ran: nothing to drop */
        ac_error_release(e);
    }
}

/* An error thrown by an enter or exit while the awaiting frame handles an
 * error gets that one as its context. */
static void test_context_from_caller(void **state)
{
    (void)state;
    ac_error *x = ac_error_new(E0, "handled");
    tobj a = {.enter_code = E1, .suspend = true};
    tobj b = {.code = E2};
    script s = {.m = {AC_CM(&t_async_coro, &a), AC_CM(&t_plain, &b)}};
    ac_error *e = SCRIPT_RUN(&s, {.kind = OP_HANDLE, .err = x}, {.kind = OP_CM_ENTER, .mi = 0});
    CHAIN_EXPECT(e, E1, E0);
    ac_error_release(e);
    e = SCRIPT_RUN(&s, {.kind = OP_HANDLE, .err = x}, {.kind = OP_CM_EXIT, .mi = 1});
    CHAIN_EXPECT(e, E2, E0);
    ac_error_release(e);
    ac_error_release(x);
}

/* XS-08, XS-09: NULL, a zeroed value and a class without an exit are not
 * managers: EINVAL from enter and exit, and nothing of theirs is called. */
static void test_XS_08_not_a_manager(void **state)
{
    (void)state;
    tobj o = {0};
    ac_cm bad[] = {{0}, AC_CM(NULL, &o), AC_CM(&t_no_exit, &o)};
    ac_error *e1 = ac_error_new(E1, "body");
    for (size_t k = 0; k <= 3; k++) {
        ac_cm *m = k < 3 ? &bad[k] : NULL;
        void *v = &o;
        bool sup;
        ac_error *e = enter(m, &v);
        assert_int_equal(ac_error_code(e), EINVAL);
        assert_non_null(strstr(ac_error_message(e), "not a context manager"));
        ac_error_release(e);
        e = exit_with(m, e1, &sup);
        assert_false(sup);
        CHAIN_EXPECT(e, EINVAL, E1);
        ac_error_release(e);
    }
    assert_int_equal(o.entered + o.exited + o.dropped, 0);
    ac_error_release(e1);
}

/* ac_cm_drop calls the class's drop with self (the ac_cm for WHOLE);
 * NULL-safe, and a class without drop is fine. */
static void test_drop(void **state)
{
    (void)state;
    tobj o = {0};
    ac_cm m = AC_CM(&t_plain, &o);
    ac_cm_drop(&m);
    assert_int_equal(o.dropped, 1);
    m = AC_CM(&t_whole, &o);
    ac_cm_drop(&m);
    assert_int_equal(o.dropped, 2);
    ac_cm z = {0};
    ac_cm_drop(&z);
    ac_cm_drop(NULL);
    ac_cm n = ac_nullcontext(&o);
    ac_cm_drop(&n);
    assert_int_equal(o.dropped, 2);
}

/* ---------------------------------------------------------- ac_closing, ac_nullcontext */

/* CL-01, CL-02, CL-05: ac_closing with an async close enters as obj; close
 * is awaited exactly once, at exit, with or without a body error, which it
 * never suppresses (suspending or not). */
static void test_CL_01_02_05_aclosing(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    for (int k = 0; k < 4; k++) {
        tobj o = {.id = 1, .suspend = k & 1};
        ac_cm m = ac_closing(&o, t_aclose);
        void *v = NULL;
        bool sup;
        tlog_reset();
        assert_null(enter(&m, &v));
        assert_ptr_equal(v, &o);
        assert_int_equal(ntlog, 0);
        assert_null(exit_with(&m, k & 2 ? e1 : NULL, &sup));
        assert_false(sup);
        TLOG_EXPECT(1);
        assert_int_equal(o.runs, 1);
    }
    ac_error_release(e1);
}

/* async long long close_status(void *obj): an async close with a result. */
typedef struct status_frame {
    ac_frame hdr;
    long long result;
    bool own_slot; /* its result went to its own slot */
} status_frame;


static int status_resume(ac_frame *hdr)
{
    status_frame *f = (status_frame *)(void *)hdr;
    f->own_slot = hdr->ret == &f->result;
    tlog_add(f->own_slot ? 7 : -7);
    AC_RETURN(hdr, long long, -1LL);
}

static ac_coro *close_status(void *obj)
{
    (void)obj;
    return (ac_coro *)AC_CORO_NEW_RESULT(status_frame, status_resume, result);
}

/* CL-05: an async close may have a result of any type: it is awaited with
 * its own result slot and the exit still never suppresses. */
static void test_CL_05_aclosing_with_result(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    ac_cm m = ac_closing(&m, close_status);
    bool sup;
    assert_null(exit_with(&m, e1, &sup));
    assert_false(sup);
    TLOG_EXPECT(7);
    ac_error_release(e1);
}

/* CL-04: ac_closing with a plain close: entered value obj, close called
 * once, a body error passes unchanged (not suppressed). */
static void test_CL_04_closing(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, "body");
    for (int k = 0; k < 2; k++) {
        tobj o = {.id = 1};
        ac_cm m = ac_closing(&o, t_close);
        void *v = NULL;
        bool sup;
        tlog_reset();
        assert_null(enter(&m, &v));
        assert_ptr_equal(v, &o);
        assert_int_equal(ntlog, 0);
        assert_null(exit_with(&m, k ? e1 : NULL, &sup));
        assert_false(sup);
        TLOG_EXPECT(1);
    }
    ac_error_release(e1);
}

/* CL-06: ac_nullcontext(v) enters as v (NULL too); its exit does nothing
 * and never suppresses. */
static void test_CL_06_nullcontext(void **state)
{
    (void)state;
    int x;
    ac_error *e1 = ac_error_new(E1, "body");
    void *values[] = {&x, NULL, "text"};
    for (size_t k = 0; k < 3; k++) {
        ac_cm m = ac_nullcontext(values[k]);
        void *v = &e1;
        bool sup;
        assert_null(enter(&m, &v));
        assert_ptr_equal(v, values[k]);
        assert_null(exit_with(&m, NULL, &sup));
        assert_false(sup);
        assert_null(exit_with(&m, e1, &sup));
        assert_false(sup);
    }
    ac_error_release(e1);
}

/* A NULL close function or predicate gives a value whose enter (and exit)
 * throws EINVAL. */
static void test_builtins_null_function(void **state)
{
    (void)state;
    ac_cm bad[] = {ac_closing(NULL, NULL), ac_suppress_if(NULL)};
    for (size_t k = 0; k < 2; k++) {
        void *v;
        bool sup;
        ac_error *e = enter(&bad[k], &v);
        assert_int_equal(ac_error_code(e), EINVAL);
        ac_error_release(e);
        e = exit_with(&bad[k], NULL, &sup);
        assert_int_equal(ac_error_code(e), EINVAL);
        ac_error_release(e);
    }
}

/* ---------------------------------------------------------- ac_suppress */

/* A group "msg" of fresh errors with these codes (0 ends the list). */
static ac_error *group_of(const char *msg, const int *codes)
{
    ac_error *kids[8];
    size_t n = 0;
    for (; codes[n]; n++)
        kids[n] = ac_error_new(codes[n], "member %zu", n);
    return ac_error_group(msg, kids, n);
}
#define GROUP(msg, ...) group_of((msg), (const int[]){__VA_ARGS__, 0})

/* Exit m with err in flight: whether it suppressed, its error in *thrown. */
static bool suppresses(ac_cm *m, ac_error *err, ac_error **thrown)
{
    bool sup;
    *thrown = exit_with(m, err, &sup);
    return sup;
}

/* CL-07, CL-08: ac_suppress enters as NULL; with no error it does nothing. */
static void test_CL_07_08_suppress_enter(void **state)
{
    (void)state;
    ac_cm m = ac_suppress(E1);
    void *v = &m;
    ac_error *e;
    assert_null(enter(&m, &v));
    assert_null(v);
    assert_false(suppresses(&m, NULL, &e));
    assert_null(e);
}

/* CL-09, CL-11, CL-13: the listed codes are suppressed, others go on
 * unchanged (the exit throws nothing). */
static void test_CL_09_11_13_suppress_codes(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, NULL), *e2 = ac_error_new(E2, NULL), *e;
    ac_cm one = ac_suppress(E1), two = ac_suppress(E1, E2);
    assert_true(suppresses(&one, e1, &e));   /* CL-09 */
    assert_false(suppresses(&one, e2, &e));  /* CL-11 */
    assert_null(e);
    assert_true(suppresses(&two, e1, &e));   /* CL-13 */
    assert_true(suppresses(&two, e2, &e));
    ac_error_release(e1);
    ac_error_release(e2);
}

static int pred_calls;

static bool lookup_family(const ac_error *e)
{
    pred_calls++;
    return ac_error_code(e) == E1 || ac_error_code(e) == E2;
}

/* CL-10: codes have no hierarchy; ac_suppress_if suppresses a family, its
 * predicate called once for the error. */
static void test_CL_10_suppress_if(void **state)
{
    (void)state;
    ac_error *e2 = ac_error_new(E2, NULL), *e3 = ac_error_new(E3, NULL), *e;
    ac_cm code = ac_suppress(E1), fam = ac_suppress_if(lookup_family);
    assert_false(suppresses(&code, e2, &e));
    pred_calls = 0;
    assert_true(suppresses(&fam, e2, &e));
    assert_int_equal(pred_calls, 1);
    assert_false(suppresses(&fam, e3, &e));
    assert_null(e);
    assert_false(suppresses(&fam, NULL, &e)); /* no error: not asked */
    assert_int_equal(pred_calls, 2);
    ac_error_release(e2);
    ac_error_release(e3);
}

/* CL-12: ac_suppress() with no codes suppresses nothing; zeros are not
 * codes; more than AC_SUPPRESS_MAX codes make enter throw EINVAL. */
static void test_CL_12_suppress_no_codes(void **state)
{
    (void)state;
    ac_error *e1 = ac_error_new(E1, NULL), *e;
    ac_cm none = ac_suppress(), zero = ac_suppress(0, E1), four = ac_suppress(E2, E3, E4, E1);
    ac_cm five = ac_suppress(E1, E2, E3, E4, E5);
    assert_false(suppresses(&none, e1, &e));
    assert_null(e);
    assert_true(suppresses(&zero, e1, &e));
    assert_true(suppresses(&four, e1, &e));
    void *v;
    e = enter(&five, &v);
    assert_int_equal(ac_error_code(e), EINVAL);
    ac_error_release(e);
    ac_error_release(e1);
}

/* CL-14: one ac_suppress value serves several blocks, nested in itself:
 * the inner block's E1 is suppressed, the outer body goes on, and the
 * outer block then suppresses its own E1. */
static void test_CL_14_reentrant(void **state)
{
    (void)state;
    ac_error *inner = ac_error_new(E1, "inner"), *outer = ac_error_new(E1, "outer");
    script s = {.m = {ac_suppress(E1)}};
    ac_error *e = SCRIPT_RUN(&s, {.kind = OP_CM_ENTER, .mi = 0}, {.kind = OP_CM_ENTER, .mi = 0},
                             {.kind = OP_CM_EXIT, .mi = 0, .err = inner});
    assert_null(e);
    assert_true(s.suppressed); /* the outer body goes on, then throws */
    e = SCRIPT_RUN(&s, {.kind = OP_CM_EXIT, .mi = 0, .err = outer});
    assert_null(e);
    assert_true(s.suppressed);
    ac_error_release(inner);
    ac_error_release(outer);
}

/* CL-15 (a): a group whose every member matches is suppressed. */
static void test_CL_15a_group_all_match(void **state)
{
    (void)state;
    ac_error *g1 = GROUP("g", E1, E1, E1), *g2 = GROUP("g", E1, E2, E1, E2), *e;
    ac_cm one = ac_suppress(E1), two = ac_suppress(E1, E2);
    assert_true(suppresses(&one, g1, &e));
    assert_true(suppresses(&two, g2, &e));
    ac_error_release(g1);
    ac_error_release(g2);
}

/* Check CL-15 (b)'s outcome: a new group "msg" holding exactly g's two E2
 * members (the same objects, in order), with g as its context. */
static void expect_rest_e2(ac_error *rest, const ac_error *g)
{
    assert_int_equal(ac_error_code(rest), AC_EGROUP);
    assert_ptr_not_equal(rest, g);
    assert_string_equal(ac_error_message(rest), "msg");
    assert_int_equal(ac_error_count(rest), 2);
    assert_ptr_equal(ac_error_child(rest, 0), ac_error_child(g, 1));
    assert_ptr_equal(ac_error_child(rest, 1), ac_error_child(g, 3));
    assert_ptr_equal(ac_error_context(rest), g);
    assert_int_equal(ac_error_count(g), 4); /* the original is untouched */
}

/* CL-15 (b), (c): some members match: a new group with the rest is thrown,
 * for codes and for a predicate (called once per leaf). */
static void test_CL_15bc_group_some_match(void **state)
{
    (void)state;
    ac_error *g = GROUP("msg", E1, E2, E1, E2), *rest;
    ac_cm code = ac_suppress(E1), pred = ac_suppress_if(lookup_family), only_e1 = ac_suppress(E3, E1);
    assert_false(suppresses(&code, g, &rest));
    expect_rest_e2(rest, g);
    ac_error_release(rest);
    assert_false(suppresses(&only_e1, g, &rest));
    expect_rest_e2(rest, g);
    ac_error_release(rest);
    pred_calls = 0;
    assert_true(suppresses(&pred, g, &rest)); /* (c): E1 and E2 both match */
    assert_int_equal(pred_calls, 4);
    ac_error_release(g);
}

/* CL-15 [impl]: nested groups keep their structure with matching leaves
 * removed (a rebuilt nested group keeps the original's context), groups
 * left empty are dropped, an untouched nested group is kept as it is. */
static void test_CL_15_nested_groups(void **state)
{
    (void)state;
    ac_error *x = ac_error_new(E0, "context of inner");
    ac_error *inner = GROUP("inner", E1, E2), *empty = GROUP("empty", E1, E1);
    ac_error *kept = GROUP("kept", E3, E4);
    ac_error_set_context(inner, x);
    ac_error *kids[] = {ac_error_new(E1, NULL), inner, empty, ac_error_new(E3, NULL), kept};
    ac_error *g = ac_error_group("outer", kids, 5);
    ac_cm m = ac_suppress(E1);
    ac_error *rest;
    assert_false(suppresses(&m, g, &rest));
    assert_string_equal(ac_error_message(rest), "outer");
    assert_int_equal(ac_error_count(rest), 3);
    const ac_error *in2 = ac_error_child(rest, 0);
    assert_ptr_not_equal(in2, inner);
    assert_string_equal(ac_error_message(in2), "inner");
    assert_int_equal(ac_error_count(in2), 1);
    assert_ptr_equal(ac_error_child(in2, 0), ac_error_child(inner, 1));
    assert_ptr_equal(ac_error_context(in2), x);
    assert_ptr_equal(ac_error_child(rest, 1), kids[3]);
    assert_ptr_equal(ac_error_child(rest, 2), kept);
    ac_error_release(rest);
    ac_cm grp = ac_suppress(AC_EGROUP); /* a group's own code matches it whole */
    assert_true(suppresses(&grp, g, &rest));
    ac_error_release(g);
    ac_error_release(x);
}

typedef struct deep_case {
    size_t depth;
    bool ok;
} deep_case;

/* A group nested `depth` deep, one E1 beside the group at each level and
 * an E2 at the bottom: ac_suppress(E1) rebuilds every level. */
static void deep_strip(void *arg)
{
    deep_case *c = arg;
    ac_error *g = ac_error_new(E2, "bottom");
    for (size_t i = 0; i < c->depth; i++) {
        ac_error *kids[] = {ac_error_new(E1, NULL), g};
        g = ac_error_group("level", kids, 2);
    }
    ac_cm m = ac_suppress(E1);
    bool sup = true;
    ac_error *rest = ac_run(ac_cm_exit(&m, g), &sup);
    const ac_error *r = rest;
    c->ok = !sup && ac_error_context(rest) == g;
    for (size_t i = 0; i < c->depth && c->ok; i++) {
        c->ok = ac_error_code(r) == AC_EGROUP && ac_error_count(r) == 1;
        r = ac_error_child(r, 0);
    }
    c->ok = c->ok && ac_error_code(r) == E2;
    ac_error_release(rest);
    ac_error_release(g);
}

/* CL-15, BX-08: stripping 100,000 nested levels needs no C recursion (on a
 * 256 KiB stack). */
static void test_CL_15_deep_groups(void **state)
{
    (void)state;
    deep_case c = {100000, false};
    on_small_stack(deep_strip, &c);
    assert_true(c.ok);
}

/* ---------------------------------------------------------- out of memory */

typedef struct oom_outcome {
    bool dropped_seen; /* a manager was dropped because its enter could not run */
    bool nomem_seen;
} oom_outcome;

/* One run of the manager scenario with the n-th allocation failing; returns
 * how many allocations it made. */
static unsigned long oom_cm_once(unsigned long n, oom_outcome *out)
{
    tobj a = {.id = 1, .suspend = true}, c = {.id = 2, .suspend = true};
    ac_error *e0 = ac_error_new(E0, "body");
    ac_error *g = GROUP("msg", E1, E2, E1, E2);
    script s = {.m = {AC_CM(&t_async_coro, &a), ac_suppress(E1), ac_closing(&c, t_aclose)}};
    ac_alloc_fail_at(n);
    ac_error *e = SCRIPT_RUN(&s, {.kind = OP_CM_ENTER, .mi = 0}, {.kind = OP_CM_ENTER, .mi = 2},
                             {.kind = OP_HANDLE, .err = e0}, {.kind = OP_CM_EXIT, .mi = 2, .err = e0},
                             {.kind = OP_CM_EXIT, .mi = 0, .err = e0},
                             {.kind = OP_HANDLE, .err = g}, {.kind = OP_CM_EXIT, .mi = 1, .err = g});
    unsigned long made = ac_alloc_fail_at(0);
    assert_non_null(e);
    if (ac_error_code(e) == ENOMEM) {
        out->nomem_seen = true;
        if (s.failed_at >= 3 && s.failed_at <= 4) /* an exit with e0 in flight */
            assert_true(chain_has(e, e0));
        if (s.failed_at == 6)
            assert_true(chain_has(e, g));
    } else {
        assert_true(s.failed_at == 6); /* the normal outcome: the rest of g */
        assert_int_equal(ac_error_code(e), AC_EGROUP);
        assert_ptr_equal(ac_error_context(e), g);
    }
    assert_true(a.exited + a.dropped <= 1 && c.runs <= 1); /* never both */
    out->dropped_seen |= a.dropped == 1;
    ac_error_release(e);
    ac_error_release(g);
    ac_error_release(e0);
    return made;
}

/* BX-09: out of memory at every allocation of entering and exiting async
 * managers, closing and rebuilding a group gives ENOMEM (the error in
 * flight in its chain) or the normal outcome, with no leak or crash; a
 * manager whose enter cannot be called is dropped. */
static void test_BX_09_oom_managers(void **state)
{
    (void)state;
    oom_outcome out = {false, false};
    unsigned long n;
    for (n = 1; oom_cm_once(n, &out) >= n; n++)
        ;
    assert_true(n > 5);
    assert_true(out.nomem_seen && out.dropped_seen);
    print_message("%lu allocations failed in turn\n", n - 1);
}

int main(void)
{
#define T(name, setup) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_dispatch_forms, setup),
        T(test_default_enter, setup),
        T(test_exit_suppress_needs_error, setup),
        T(test_exit_throws_with_context, setup),
        T(test_BX_02_exit_cleared_context, setup),
        T(test_enter_throws, setup),
        T(test_context_from_caller, setup),
        T(test_XS_08_not_a_manager, setup),
        T(test_drop, setup),
        T(test_CL_01_02_05_aclosing, setup),
        T(test_CL_05_aclosing_with_result, setup),
        T(test_CL_04_closing, setup),
        T(test_CL_06_nullcontext, setup),
        T(test_builtins_null_function, setup),
        T(test_CL_07_08_suppress_enter, setup),
        T(test_CL_09_11_13_suppress_codes, setup),
        T(test_CL_10_suppress_if, setup),
        T(test_CL_12_suppress_no_codes, setup),
        T(test_CL_14_reentrant, setup),
        T(test_CL_15a_group_all_match, setup),
        T(test_CL_15bc_group_some_match, setup),
        T(test_CL_15_nested_groups, setup),
        T(test_CL_15_deep_groups, setup),
        T(test_BX_09_oom_managers, setup),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
