/* test_error.c: ac_error: codes, messages, throw locations, the context
 * rules (BEHAVIOURS "Conventions: Context", BX-02), groups, iterative
 * release (BX-08), and out of memory (BX-09). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ac/ac.h"
#include "internal.h"

enum { E1 = 101, E2, E3 };

/* A frame that handles `handled`, awaited by caller. */
static ac__hframe frame_with(ac_frame *caller, ac_error *handled)
{
    ac__hframe f;
    memset(&f, 0, sizeof f);
    f.hdr.caller = caller;
    ac__handle(&f.hdr, handled);
    return f;
}

/* Throw e in f (handling what f's chain handles) and take it back. */
static ac_error *thrown(ac_frame *f, ac_error *e)
{
    ac__throw(f, e, "t.ac", 7);
    ac_error *r = f->err;
    f->err = NULL;
    return r;
}

/* A new error keeps its code and formatted message, and has no location. */
static void test_new_code_message(void **state)
{
    (void)state;
    ac_error *e = ac_error_new(E1, "bad %s %d", "thing", 42);
    assert_int_equal(ac_error_code(e), E1);
    assert_string_equal(ac_error_message(e), "bad thing 42");
    assert_null(ac_error_file(e));
    assert_int_equal(ac_error_line(e), 0);
    assert_null(ac_error_context(e));
    assert_int_equal(ac_error_count(e), 0);
    assert_null(ac_error_child(e, 0));
    ac_error_release(e);
}

/* Without a format the message is the code's default text. */
static void test_default_message(void **state)
{
    (void)state;
    ac_error *e = ac_error_new(ENOENT, NULL);
    assert_string_equal(ac_error_message(e), strerror(ENOENT));
    ac_error_release(e);
    e = ac_error_new(AC_ESTATE, NULL);
    assert_string_equal(ac_error_message(e), "invalid state");
    ac_error_release(e);
}

/* Retain adds a reference that release drops; both are NULL-safe. */
static void test_retain_release(void **state)
{
    (void)state;
    ac_error *e = ac_error_new(E1, "x");
    assert_ptr_equal(ac_error_retain(e), e);
    ac_error_release(e);
    assert_int_equal(ac_error_code(e), E1); /* still alive */
    ac_error_release(e);
    assert_null(ac_error_retain(NULL));
    ac_error_release(NULL);
}

/* The location is that of the first throw; a re-throw keeps it. */
static void test_throw_location(void **state)
{
    (void)state;
    ac__hframe f = frame_with(NULL, NULL);
    ac_error *e = ac_error_new(E1, "x");
    ac__throw(&f.hdr, e, "a.ac", 3);
    assert_ptr_equal(f.hdr.err, e);
    f.hdr.err = NULL;
    ac__throw(&f.hdr, e, "b.ac", 9);
    assert_string_equal(ac_error_file(e), "a.ac");
    assert_int_equal(ac_error_line(e), 3);
    ac_error_release(f.hdr.err);
}

/* Throwing NULL raises EINVAL "throw of a null error". */
static void test_throw_null(void **state)
{
    (void)state;
    ac__hframe f = frame_with(NULL, NULL);
    ac_error *e = thrown(&f.hdr, NULL);
    assert_int_equal(ac_error_code(e), EINVAL);
    assert_string_equal(ac_error_message(e), "throw of a null error");
    assert_string_equal(ac_error_file(e), "t.ac");
    ac_error_release(e);
}

/* An error thrown while X is handled, in a frame or any caller below it,
 * gets X as its context (Conventions: Context). */
static void test_context_from_handled(void **state)
{
    (void)state;
    ac_error *x = ac_error_new(E1, "x");
    ac__hframe root = frame_with(NULL, x);
    ac__hframe mid = frame_with(&root.hdr, NULL);
    ac__hframe top = frame_with(&mid.hdr, NULL);
    ac_error *e = thrown(&top.hdr, ac_error_new(E2, "e"));
    assert_ptr_equal(ac_error_context(e), x);
    ac_error_release(x); /* e's context keeps it */
    assert_int_equal(ac_error_code(ac_error_context(e)), E1);
    ac_error_release(e);
}

/* The nearest handled error wins over one further down the callers. */
static void test_context_nearest(void **state)
{
    (void)state;
    ac_error *far = ac_error_new(E1, "far");
    ac_error *near = ac_error_new(E2, "near");
    ac__hframe root = frame_with(NULL, far);
    ac__hframe top = frame_with(&root.hdr, near);
    ac_error *e = thrown(&top.hdr, ac_error_new(E3, "e"));
    assert_ptr_equal(ac_error_context(e), near);
    assert_null(ac_error_context(near));
    ac_error_release(e);
    ac_error_release(near);
    ac_error_release(far);
}

/* Re-throwing the handled error itself changes nothing. */
static void test_rethrow_unchanged(void **state)
{
    (void)state;
    ac_error *x = ac_error_new(E1, "x");
    ac__hframe f = frame_with(NULL, x);
    ac_error *e = thrown(&f.hdr, ac_error_retain(x));
    assert_ptr_equal(e, x);
    assert_null(ac_error_context(x));
    ac_error_release(e);
    ac_error_release(x);
}

/* X goes to the end of the thrown error's chain: E -> C -> X. */
static void test_context_end_of_chain(void **state)
{
    (void)state;
    ac_error *x = ac_error_new(E1, "x");
    ac_error *c = ac_error_new(E2, "c");
    ac_error *e = ac_error_new(E3, "e");
    ac_error_set_context(e, c);
    ac_error_release(c);
    ac__hframe f = frame_with(NULL, x);
    e = thrown(&f.hdr, e);
    assert_ptr_equal(ac_error_context(e), c);
    assert_ptr_equal(ac_error_context(c), x);
    /* Thrown again while X is still handled: X is in the chain already. */
    e = thrown(&f.hdr, e);
    assert_ptr_equal(ac_error_context(c), x);
    assert_null(ac_error_context(x));
    ac_error_release(e);
    ac_error_release(x);
}

/* BX-02: a context cleared explicitly stays cleared through throws, also
 * when the clearing is at the end of a longer chain. */
static void test_BX_02_cleared_context(void **state)
{
    (void)state;
    ac_error *x = ac_error_new(E1, "x");
    ac__hframe f = frame_with(NULL, x);
    ac_error *e = thrown(&f.hdr, ac_error_new(E2, "e"));
    assert_ptr_equal(ac_error_context(e), x);
    ac_error_set_context(e, NULL);
    assert_null(ac_error_context(e));
    for (int i = 0; i < 3; i++)
        e = thrown(&f.hdr, e);
    assert_null(ac_error_context(e));

    ac_error *head = ac_error_new(E3, "head");
    ac_error_set_context(head, e); /* head -> e(cleared) */
    head = thrown(&f.hdr, head);
    assert_ptr_equal(ac_error_context(head), e);
    assert_null(ac_error_context(e));
    ac_error_release(e);
    ac_error_release(head);
    ac_error_release(x);
}

/* BX-09: an ENOMEM that keeps errors for a group keeps every one reachable
 * from its chain: past a cleared context by going first, and when two
 * chains end in cleared contexts, the error wins over the cleared link. */
static void test_BX_09_keep_past_cleared(void **state)
{
    (void)state;
    ac_error *holder = ac_error_new(ENOMEM, NULL);
    ac_error *a = ac_error_new(E1, "a"), *b = ac_error_new(E2, "b");
    ac_error *c = ac_error_new(E3, "c"), *c0 = ac_error_new(E1, "c0");
    ac_error_set_context(a, NULL); /* cleared */
    ac_error_set_context(c, c0);   /* c -> c0 */
    ac__error_keep(holder, a);     /* holder -> a| */
    ac__error_keep(holder, c);     /* holder -> c -> c0 -> a| */
    assert_ptr_equal(ac_error_context(holder), c);
    assert_ptr_equal(ac_error_context(c0), a);
    ac_error_set_context(b, NULL);
    ac__error_keep(holder, b);     /* both cleared: holder -> c -> c0 -> a -> b| */
    assert_ptr_equal(ac_error_context(a), b);
    ac__error_keep(holder, a);     /* held already: nothing changes */
    assert_ptr_equal(ac_error_context(holder), c);
    assert_null(ac_error_context(b));
    ac_error_release(a);
    ac_error_release(b);
    ac_error_release(c);
    ac_error_release(c0);
    ac_error_release(holder);
}

/* No cycles: when X's chain holds the thrown error, X is not attached; and
 * set_context refuses a context whose chain holds the error. */
static void test_no_cycles(void **state)
{
    (void)state;
    ac_error *e = ac_error_new(E1, "e");
    ac_error *x = ac_error_new(E2, "x");
    ac_error_set_context(x, e); /* x -> e */
    ac__hframe f = frame_with(NULL, x);
    ac_error *r = thrown(&f.hdr, ac_error_retain(e));
    assert_ptr_equal(r, e);
    assert_null(ac_error_context(e));
    ac_error_release(r);

    ac_error_set_context(e, x); /* would be e -> x -> e */
    assert_null(ac_error_context(e));
    ac_error_set_context(e, e);
    assert_null(ac_error_context(e));
    ac_error_release(x);
    ac_error_release(e);
}

/* A group holds its children in order, skips NULLs, and may nest. */
static void test_group(void **state)
{
    (void)state;
    ac_error *inner_kids[] = {ac_error_new(E3, "c")};
    ac_error *inner = ac_error_group(NULL, inner_kids, 1);
    ac_error *kids[] = {ac_error_new(E1, "a"), NULL, ac_error_new(E2, "b"), inner};
    ac_error *g = ac_error_group("several", kids, 4);
    assert_int_equal(ac_error_code(g), AC_EGROUP);
    assert_string_equal(ac_error_message(g), "several");
    assert_int_equal(ac_error_count(g), 3);
    assert_int_equal(ac_error_code(ac_error_child(g, 0)), E1);
    assert_int_equal(ac_error_code(ac_error_child(g, 1)), E2);
    assert_ptr_equal(ac_error_child(g, 2), inner);
    assert_int_equal(ac_error_code(ac_error_child(inner, 0)), E3);
    assert_string_equal(ac_error_message(inner), "error group");
    assert_null(ac_error_child(g, 3));
    ac_error_release(g);
}

/* Printing a chain with a group does not crash (output to stderr). */
static void test_print(void **state)
{
    (void)state;
    ac_error *kids[] = {ac_error_new(E1, "child")};
    ac_error *g = ac_error_group("group", kids, 1);
    ac__hframe f = frame_with(NULL, g);
    ac_error *e = thrown(&f.hdr, ac_error_new(E2, "top"));
    ac_error_print(e, "test_print");
    ac_error_print(NULL, NULL);
    ac_error_release(e);
    ac_error_release(g);
}

/* ---------------------------------------------------------- BX-08 */

#define CHAIN_LEN 100000

static void *release_long_chain(void *arg)
{
    (void)arg;
    /* Built the way throwing exits build it: each new error is thrown while
     * the previous one is handled. */
    ac_error *prev = ac_error_new(E1, "first");
    for (int i = 1; i < CHAIN_LEN; i++) {
        ac__hframe f = frame_with(NULL, prev);
        ac_error *e = thrown(&f.hdr, ac_error_new(E2, "next"));
        ac_error_release(prev);
        prev = e;
    }
    size_t n = 0;
    for (const ac_error *c = prev; c; c = ac_error_context(c))
        n++;
    ac_error_release(prev);

    /* Groups nested CHAIN_LEN deep, each also with a context. */
    ac_error *g = ac_error_new(E1, "leaf");
    for (int i = 0; i < CHAIN_LEN; i++) {
        ac_error *kids[] = {g, ac_error_new(E2, "sibling")};
        g = ac_error_group(NULL, kids, 2);
        ac_error *ctx = ac_error_new(E3, "ctx");
        ac_error_set_context(g, ctx);
        ac_error_release(ctx);
    }
    ac_error_release(g);
    return (void *)(uintptr_t)n;
}

/* BX-08: a 100,000-long chain and 100,000-deep nested groups are built in
 * linear time and released without recursion, on a 256 KiB stack. */
static void test_BX_08_release_iterative(void **state)
{
    (void)state;
    pthread_attr_t a;
    pthread_t th;
    void *n;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 * 1024);
    assert_int_equal(pthread_create(&th, &a, release_long_chain, NULL), 0);
    pthread_join(th, &n);
    pthread_attr_destroy(&a);
    assert_int_equal((uintptr_t)n, CHAIN_LEN);
}

/* ---------------------------------------------------------- BX-09 */

/* One run of the error scenario: a group, then a new error thrown while the
 * group is handled.  Checks each outcome; returns 1 if ENOMEM appeared. */
static int error_scenario(void)
{
    int nomem = 0;
    ac_error *kids[] = {ac_error_new(E1, "a %d", 1), ac_error_new(E2, "b")};
    for (int i = 0; i < 2; i++)
        nomem |= ac_error_code(kids[i]) == ENOMEM;
    ac_error *g = ac_error_group("g", kids, 2);
    if (ac_error_code(g) == ENOMEM) {
        nomem = 1;
        assert_non_null(ac_error_context(g)); /* the first child is kept */
    } else {
        assert_int_equal(ac_error_count(g), 2);
    }
    ac__hframe f = frame_with(NULL, g);
    ac_error *e = thrown(&f.hdr, ac_error_new(E3, "in catch"));
    if (ac_error_code(e) == ENOMEM) {
        nomem = 1;
        /* The error in flight stays reachable from the ENOMEM error. */
        const ac_error *c = e;
        while (c && c != g)
            c = ac_error_context(c);
        assert_ptr_equal(c, g);
    } else {
        assert_int_equal(ac_error_code(e), E3);
        assert_ptr_equal(ac_error_context(e), g);
    }
    ac_error_release(e);
    ac_error_release(g);
    return nomem;
}

/* BX-09: failing allocation N = 1, 2, 3... of error creation and throwing
 * gives ENOMEM errors that keep the error in flight, and leaks nothing. */
static void test_BX_09_oom_errors(void **state)
{
    (void)state;
    unsigned long n;
    for (n = 1;; n++) {
        ac_alloc_fail_at(n);
        int nomem = error_scenario();
        unsigned long made = ac_alloc_fail_at(0);
        if (made < n) {
            assert_false(nomem);
            break;
        }
        assert_true(nomem);
    }
    assert_true(n > 3);
}

/* BX-09: the ENOMEM pool needs no allocation; when every pool error is
 * taken and the heap fails too, it shares one, and throwing the shared one
 * cannot close a cycle. */
static void test_BX_09_pool_exhausted(void **state)
{
    (void)state;
    ac_error *taken[6];
    for (int i = 0; i < 6; i++) {
        ac_alloc_fail_at(1); /* the pool takes no allocation; the heap's fails */
        taken[i] = ac__error_nomem();
        assert_int_equal(ac_error_code(taken[i]), ENOMEM);
    }
    ac_alloc_fail_at(0);
    /* taken[4] shares a pool error with an earlier one. */
    int shared = 0;
    for (int i = 0; i < 4; i++)
        shared |= taken[i] == taken[4];
    assert_true(shared);
    /* x -> taken[4]; throwing taken[4] while x is handled: no cycle. */
    ac_error *x = ac_error_new(E2, "x");
    ac_error_set_context(x, taken[4]);
    ac__hframe f = frame_with(NULL, x);
    ac_error *e = thrown(&f.hdr, ac_error_retain(taken[4]));
    for (const ac_error *c = ac_error_context(e); c; c = ac_error_context(c))
        assert_ptr_not_equal(c, e);
    ac_error_release(e);
    ac_error_release(x);
    for (int i = 0; i < 6; i++)
        ac_error_release(taken[i]);
    /* All back in the pool, fresh. */
    ac_error *p = ac__error_nomem();
    assert_null(ac_error_context(p));
    assert_null(ac_error_file(p));
    ac_error_release(p);
}

/* BX-09: with every pool error taken, a failure that has passed gives a
 * fresh ENOMEM from the heap, so that the contexts its thrower and the
 * pool errors' holders give them stay their own. */
static void test_BX_09_pool_exhausted_heap(void **state)
{
    (void)state;
    ac_error *taken[5];
    for (int i = 0; i < 5; i++) {
        ac_alloc_fail_at(1);
        taken[i] = ac_error_new(E1, "x"); /* fails, then the ENOMEM is made */
        assert_int_equal(ac_error_code(taken[i]), ENOMEM);
    }
    ac_alloc_fail_at(0);
    for (int i = 0; i < 4; i++)
        assert_ptr_not_equal(taken[i], taken[4]);
    ac_error *x = ac_error_new(E2, "x");
    ac__hframe f = frame_with(NULL, x);
    ac_error *e = thrown(&f.hdr, taken[4]);
    assert_ptr_equal(ac_error_context(e), x);
    for (int i = 0; i < 4; i++)
        assert_null(ac_error_context(taken[i])); /* untouched */
    ac_error_release(e);
    ac_error_release(x);
    for (int i = 0; i < 4; i++)
        ac_error_release(taken[i]);
}

/* ac_alloc_fail_at counts allocations and fails exactly the n-th. */
static void test_alloc_hook(void **state)
{
    (void)state;
    ac_alloc_fail_at(2);
    void *a = ac__malloc(8);
    void *b = ac__malloc(8);
    void *c = ac__malloc(8);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    assert_int_equal(ac_alloc_fail_at(0), 3);
    ac__free(a);
    ac__free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_code_message),
        cmocka_unit_test(test_default_message),
        cmocka_unit_test(test_retain_release),
        cmocka_unit_test(test_throw_location),
        cmocka_unit_test(test_throw_null),
        cmocka_unit_test(test_context_from_handled),
        cmocka_unit_test(test_context_nearest),
        cmocka_unit_test(test_rethrow_unchanged),
        cmocka_unit_test(test_context_end_of_chain),
        cmocka_unit_test(test_BX_02_cleared_context),
        cmocka_unit_test(test_BX_09_keep_past_cleared),
        cmocka_unit_test(test_no_cycles),
        cmocka_unit_test(test_group),
        cmocka_unit_test(test_print),
        cmocka_unit_test(test_BX_08_release_iterative),
        cmocka_unit_test(test_BX_09_oom_errors),
        cmocka_unit_test(test_BX_09_pool_exhausted),
        cmocka_unit_test(test_BX_09_pool_exhausted_heap),
        cmocka_unit_test(test_alloc_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
