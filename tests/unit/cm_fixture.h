/* cm_fixture.h: what test_cm.c and test_exitstack.c share.
 *
 * A test object (tobj) is a manager, an exit function or a callback, in
 * each of the forms the runtime accepts (plain, coroutine constructor,
 * await entry); it records what it is given and does what its fields say.
 * A script is a scenario run as one task: a hand-written frame performs
 * its ops in order (registrations, enters, exits...), as generated code
 * would, and stops at the first error. */
#ifndef CM_FIXTURE_H
#define CM_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "ac/cm.h"
#include "ac/exitstack.h"
#include "ac/loop.h"

enum { E0 = 100, E1, E2, E3, E4, E5, E6 }; /* user error codes */

/* ---------------------------------------------------------- the log */

#define LOG_MAX 256
extern int tlog[LOG_MAX]; /* ids recorded by test objects, in order */
extern size_t ntlog;
void tlog_reset(void);
void tlog_add(int id);
/* Assert the log is exactly the n ids given. */
void tlog_expect(const int *ids, size_t n);
#define TLOG_EXPECT(...) \
    tlog_expect((const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

/* ---------------------------------------------------------- test objects */

typedef struct tobj {
    int id;            /* logged by exits, callbacks and closes when they run */
    int enter_id;      /* logged by enter (0: not logged) */
    int code;          /* exit or callback throws a new error with this code */
    int enter_code;    /* enter throws a new error with this code */
    bool suppress;     /* what exit returns */
    bool suspend;      /* async forms suspend once (ac_sleep(0)) first */
    bool clear;        /* the error thrown gets its context cleared (BX-02) */
    void *value;       /* what enter returns */
    ac_error *ctx;     /* set as the context of the error thrown (XS-19) */
    int entered, exited, dropped, runs; /* counts */
    ac_error *seen;    /* the error the last exit received (not owned) */
    ac_error *thrown;  /* the last error it threw (kept alive until tkeep_release) */
    void *self_seen;   /* the `self` its members last received */
    /* remove this registration when run (BX-03) */
    ac_exit_stack *rm_st;
    ac_exit_handle rm_h;
    int rm_rc;
} tobj;

/* Release the references kept to the errors test objects threw (so that a
 * test may inspect one after the runtime let it go). */
void tkeep_release(void);

/* Manager classes of every form; each has a drop that counts. */
extern const ac_cm_class t_async_await; /* aenter_await, aexit_await */
extern const ac_cm_class t_async_coro;  /* aenter, aexit (coroutine constructors) */
extern const ac_cm_class t_plain;       /* enter, exit */
extern const ac_cm_class t_default;     /* exit only: enters as self */
extern const ac_cm_class t_whole;       /* enter, exit with AC_CM_WHOLE; self: the ac_cm */
extern const ac_cm_class t_no_exit;     /* enter only: not a manager */

/* Exit functions and callbacks (callbacks get a copy of a tobj pointer). */
bool t_exit(void *arg, ac_error *err, ac_error **raise);
ac_coro *t_aexit(void *arg, ac_error *err);
void t_cb(void *args, ac_error **raise);
ac_coro *t_acb(void *args);
/* Close functions for ac_closing. */
void t_close(void *obj);
ac_coro *t_aclose(void *obj);

/* ---------------------------------------------------------- scripts */

enum {
    OP_CB,       /* register callback t_cb(o) on stack st */
    OP_ACB,      /* register async callback t_acb(o) */
    OP_EXIT,     /* push exit function t_exit(o) */
    OP_AEXIT,    /* push async exit function t_aexit(o) */
    OP_PUSH,     /* push manager m[mi] */
    OP_ENTER,    /* enter manager m[mi] through stack st */
    OP_POP_ALL,  /* st[1] = pop_all(st[0]) */
    OP_ACLOSE,   /* aclose stack st */
    OP_UNWIND,   /* exit stack st as a manager (ac_exit_stack_cm) with err */
    OP_CM_ENTER, /* ac_cm_enter(&m[mi]) */
    OP_OPEN,     /* ac_cm_enter(&m[mi]) of a stack manager: the value becomes st[st] */
    OP_CM_EXIT,  /* ac_cm_exit(&m[mi], err) */
    OP_HANDLE,   /* the script's frame handles err from now on */
    OP_MANY,     /* register n counting callbacks, alternately sync and async */
    OP_REMOVE    /* remove from stack st the registration made by op n */
};

typedef struct op {
    int kind;
    tobj *o;
    int st;        /* stack index: 0 or 1 */
    int mi;        /* manager index */
    ac_error *err; /* OP_UNWIND, OP_CM_EXIT, OP_HANDLE (not owned) */
    size_t n;
} op;

#define SCRIPT_MAX 64
typedef struct script {
    ac_exit_stack *st[2];
    ac_cm m[16];
    const op *ops;
    size_t nops;
    /* results */
    ac_exit_handle h[SCRIPT_MAX]; /* handle of each op's registration */
    void *value[SCRIPT_MAX];      /* value of each OP_ENTER / OP_CM_ENTER */
    bool suppressed;              /* of the last OP_UNWIND / OP_CM_EXIT */
    int rc;                       /* of the last OP_REMOVE */
    size_t failed_at;             /* the op that failed, nops if none */
    bool started;
} script;

/* Run s->ops as one task (ac_run); returns its error. */
ac_error *script_run(script *s, const op *ops, size_t nops);
#define SCRIPT_RUN(s, ...) \
    script_run((s), (const op[]){__VA_ARGS__}, sizeof((const op[]){__VA_ARGS__}) / sizeof(op))

/* OP_MANY's callbacks check LIFO order against this counter and throw
 * their own errors when many_throw is set. */
extern size_t many_next;
extern bool many_throw;
/* Whether every counting callback ran once, in LIFO order. */
bool many_in_order(void);

/* ---------------------------------------------------------- checks */

/* Assert that e's context chain has exactly these codes (e's own first). */
void chain_expect(const ac_error *e, const int *codes, size_t n);
#define CHAIN_EXPECT(e, ...) \
    chain_expect((e), (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int))
/* Whether x is in e's context chain. */
bool chain_has(const ac_error *e, const ac_error *x);
size_t chain_len(const ac_error *e);

/* Run fn(arg) on a thread with a 256 KiB stack (BX-08). */
void on_small_stack(void (*fn)(void *), void *arg);

#endif /* CM_FIXTURE_H */
