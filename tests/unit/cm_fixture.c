/* cm_fixture.c: test objects and the script runner (cm_fixture.h). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ac/primitive.h"
#include "cm_fixture.h"
#include "internal.h"

/* ---------------------------------------------------------- the log */

int tlog[LOG_MAX];
size_t ntlog;

void tlog_reset(void)
{
    ntlog = 0;
}

void tlog_add(int id)
{
    if (ntlog < LOG_MAX)
        tlog[ntlog++] = id;
}

void tlog_expect(const int *ids, size_t n)
{
    assert_int_equal(ntlog, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tlog[i], ids[i]);
}

/* ---------------------------------------------------------- test objects */

enum { ACT_ENTER, ACT_EXIT, ACT_CB, ACT_CLOSE };

#define KEEP_MAX 4096
static ac_error *kept[KEEP_MAX];
static size_t nkept;

void tkeep_release(void)
{
    while (nkept)
        ac_error_release(kept[--nkept]);
}

static ac_error *make_error(tobj *o, int code)
{
    ac_error *e = ac_error_new(code, "thrown by test object %d", o->id);
    if (o->ctx)
        ac_error_set_context(e, o->ctx);
    if (o->clear)
        ac_error_set_context(e, NULL);
    o->thrown = e;
    if (nkept < KEEP_MAX)
        kept[nkept++] = ac_error_retain(e);
    return e;
}

/* What member `what` of o does when it runs: count, log, maybe remove a
 * registration; returns the error to throw, or NULL. */
static ac_error *act(tobj *o, int what, ac_error *err)
{
    if (what == ACT_ENTER) {
        o->entered++;
        if (o->enter_id)
            tlog_add(o->enter_id);
        return o->enter_code ? make_error(o, o->enter_code) : NULL;
    }
    if (what == ACT_EXIT) {
        o->exited++;
        o->seen = err;
    } else {
        o->runs++;
    }
    if (o->id)
        tlog_add(o->id);
    if (o->rm_st)
        o->rm_rc = ac_exit_stack_remove(o->rm_st, o->rm_h);
    return o->code ? make_error(o, o->code) : NULL;
}

/* The async form of every member: suspends first if asked to. */
typedef struct act_frame {
    ac_frame hdr;
    tobj *o;
    ac_error *err;
    int what;
    union {
        void *value;
        bool b;
    } result;
} act_frame;

static int act_resume(ac_frame *hdr)
{
    act_frame *f = (act_frame *)(void *)hdr;
    if (hdr->state == 0 && f->o->suspend) {
        hdr->state = 1;
        if (ac_sleep__await(hdr, NULL, 0))
            return ac__pending(hdr, act_resume);
    }
    if (hdr->err) /* the sleep failed (ENOMEM) */
        return ac__frame_return(hdr);
    ac_error *e = act(f->o, f->what, f->err);
    if (e) {
        ac__throw(hdr, e, __FILE__, __LINE__);
        return ac__frame_return(hdr);
    }
    if (f->what == ACT_ENTER && hdr->ret)
        *(void **)hdr->ret = f->o->value;
    else if (f->what == ACT_EXIT && hdr->ret)
        *(bool *)hdr->ret = f->o->suppress;
    else if (f->what == ACT_CB && hdr->ret)
        *(bool *)hdr->ret = true; /* callbacks never suppress, whatever they return */
    return ac__frame_return(hdr);
}

static ac_coro *act_coro(tobj *o, int what, ac_error *err)
{
    act_frame *f = AC_CORO_NEW_RESULT(act_frame, act_resume, result);
    if (f) {
        f->o = o;
        f->what = what;
        f->err = err;
    }
    return (ac_coro *)f;
}

static int act_await(ac_frame *caller, void *ret, tobj *o, int what, ac_error *err)
{
    act_frame *f = AC_FRAME_PUSH(act_frame, caller, ret, act_resume);
    if (!f)
        return AC_DONE;
    f->o = o;
    f->what = what;
    f->err = err;
    return ac__frame_start_fn(&f->hdr, act_resume);
}

static int t_aenter__await(ac_frame *caller, void *value, void *self)
{
    ((tobj *)self)->self_seen = self;
    return act_await(caller, value, self, ACT_ENTER, NULL);
}

static int t_aexit__await(ac_frame *caller, void *sup, void *self, ac_error *err)
{
    ((tobj *)self)->self_seen = self;
    return act_await(caller, sup, self, ACT_EXIT, err);
}

static ac_coro *t_aenter(void *self)
{
    ((tobj *)self)->self_seen = self;
    return act_coro(self, ACT_ENTER, NULL);
}

ac_coro *t_aexit(void *arg, ac_error *err)
{
    ((tobj *)arg)->self_seen = arg;
    return act_coro(arg, ACT_EXIT, err);
}

static void *t_enter(void *self, ac_error **raise)
{
    tobj *o = self;
    o->self_seen = self;
    *raise = act(o, ACT_ENTER, NULL);
    return o->value;
}

bool t_exit(void *arg, ac_error *err, ac_error **raise)
{
    tobj *o = arg;
    o->self_seen = arg;
    *raise = act(o, ACT_EXIT, err);
    return o->suppress; /* ignored by the runtime when it raises */
}

static void t_drop(void *self)
{
    ((tobj *)self)->dropped++;
}

/* AC_CM_WHOLE: self is the ac_cm; the tobj is its `self`. */
static void *t_whole_enter(void *self, ac_error **raise)
{
    tobj *o = ((ac_cm *)self)->self;
    void *v = t_enter(o, raise);
    o->self_seen = self;
    return v;
}

static bool t_whole_exit(void *self, ac_error *err, ac_error **raise)
{
    tobj *o = ((ac_cm *)self)->self;
    bool s = t_exit(o, err, raise);
    o->self_seen = self;
    return s;
}

static void t_whole_drop(void *self)
{
    t_drop(((ac_cm *)self)->self);
}

void t_cb(void *args, ac_error **raise)
{
    tobj *o;
    memcpy(&o, args, sizeof o);
    *raise = act(o, ACT_CB, NULL);
}

ac_coro *t_acb(void *args)
{
    tobj *o;
    memcpy(&o, args, sizeof o);
    return act_coro(o, ACT_CB, NULL);
}

void t_close(void *obj)
{
    act(obj, ACT_CLOSE, NULL);
}

ac_coro *t_aclose(void *obj)
{
    return act_coro(obj, ACT_CLOSE, NULL);
}

const ac_cm_class t_async_await = {
    .name = "t_async_await",
    .aenter_await = t_aenter__await,
    .aexit_await = t_aexit__await,
    .drop = t_drop,
};
const ac_cm_class t_async_coro = {
    .name = "t_async_coro", .aenter = t_aenter, .aexit = t_aexit, .drop = t_drop};
const ac_cm_class t_plain = {.name = "t_plain", .enter = t_enter, .exit = t_exit, .drop = t_drop};
const ac_cm_class t_default = {.name = "t_default", .exit = t_exit, .drop = t_drop};
const ac_cm_class t_whole = {
    .name = "t_whole",
    .enter = t_whole_enter,
    .exit = t_whole_exit,
    .drop = t_whole_drop,
    .flags = AC_CM_WHOLE,
};
const ac_cm_class t_no_exit = {.name = "t_no_exit", .enter = t_enter, .drop = t_drop};

/* ---------------------------------------------------------- counting callbacks */

size_t many_next;
bool many_throw;
static bool many_bad; /* one ran out of LIFO order */

static ac_error *many_run(size_t i)
{
    if (i + 1 != many_next)
        many_bad = true;
    many_next = i;
    return many_throw ? ac_error_new(E1, "many %zu", i) : NULL;
}

static void many_cb(void *args, ac_error **raise)
{
    size_t i;
    memcpy(&i, args, sizeof i);
    *raise = many_run(i);
}

typedef struct many_frame {
    ac_frame hdr;
    size_t i;
} many_frame;

/* Every 1000th suspends once, so that unwinding is resumed by the
 * trampoline too. */
static int many_resume(ac_frame *hdr)
{
    many_frame *f = (many_frame *)(void *)hdr;
    if (hdr->state == 0 && f->i % 1000 == 0) {
        hdr->state = 1;
        if (ac_sleep__await(hdr, NULL, 0))
            return ac__pending(hdr, many_resume);
    }
    if (!hdr->err) {
        ac_error *e = many_run(f->i);
        if (e)
            ac__throw(hdr, e, __FILE__, __LINE__);
    }
    return ac__frame_return(hdr);
}

static ac_coro *many_acb(void *args)
{
    many_frame *f = AC_CORO_NEW(many_frame, many_resume);
    if (f)
        memcpy(&f->i, args, sizeof f->i);
    return (ac_coro *)f;
}

/* ---------------------------------------------------------- scripts */

typedef struct script_frame {
    ac_frame hdr;
    ac_error *handled; /* (ac__hframe: OP_HANDLE) */
    script *s;
    size_t pc;
    ac_cm xm; /* OP_UNWIND's manager */
} script_frame;

static int register_many(ac_frame *hdr, ac_exit_stack *st, size_t n)
{
    many_bad = false;
    for (size_t i = 0; i < n && !hdr->err; i++) {
        if (i % 2)
            ac_exit_stack_callback__await(hdr, NULL, st, many_acb, &i, sizeof i);
        else
            ac_exit_stack_callback__await(hdr, NULL, st, many_cb, &i, sizeof i);
    }
    return AC_DONE;
}

static int op_start(script_frame *f, const op *p)
{
    script *s = f->s;
    ac_frame *hdr = &f->hdr;
    ac_exit_stack *st = s->st[p->st];
    ac_exit_handle *h = &s->h[f->pc];
    switch (p->kind) {
    case OP_CB: return ac_exit_stack_callback__await(hdr, h, st, t_cb, &p->o, sizeof p->o);
    case OP_ACB: return ac_exit_stack_callback__await(hdr, h, st, t_acb, &p->o, sizeof p->o);
    case OP_EXIT: return ac_exit_stack_push_exit__await(hdr, h, st, t_exit, p->o);
    case OP_AEXIT: return ac_exit_stack_push_exit__await(hdr, h, st, t_aexit, p->o);
    case OP_PUSH: return ac_exit_stack_push__await(hdr, h, st, s->m[p->mi]);
    case OP_ENTER: return ac_exit_stack_enter__await(hdr, &s->value[f->pc], st, s->m[p->mi]);
    case OP_POP_ALL: return ac_exit_stack_pop_all__await(hdr, &s->st[1], s->st[0]);
    case OP_ACLOSE: return ac_exit_stack_aclose__await(hdr, NULL, st);
    case OP_UNWIND:
        f->xm = ac_exit_stack_cm(st);
        return ac_cm_exit__await(hdr, &s->suppressed, &f->xm, p->err);
    case OP_CM_ENTER:
    case OP_OPEN: return ac_cm_enter__await(hdr, &s->value[f->pc], &s->m[p->mi]);
    case OP_CM_EXIT: return ac_cm_exit__await(hdr, &s->suppressed, &s->m[p->mi], p->err);
    case OP_HANDLE: ac__handle(hdr, p->err); return AC_DONE;
    case OP_MANY: return register_many(hdr, st, p->n);
    case OP_REMOVE: s->rc = ac_exit_stack_remove(st, s->h[p->n]); return AC_DONE;
    }
    fail_msg("bad op %d", p->kind);
    return AC_DONE;
}

/* After op pc succeeded: what it leaves in the script. */
static void op_done(script *s, size_t pc)
{
    const op *p = &s->ops[pc];
    if (p->kind == OP_ENTER)
        s->h[pc] = ac_exit_stack_last(s->st[p->st]);
    else if (p->kind == OP_OPEN)
        s->st[p->st] = s->value[pc];
}

static int script_resume(ac_frame *hdr)
{
    script_frame *f = (script_frame *)(void *)hdr;
    script *s = f->s;
    if (hdr->state == 1)
        goto resumed;
    hdr->state = 1;
    s->started = true;
    for (; f->pc < s->nops; f->pc++) {
        if (op_start(f, &s->ops[f->pc]))
            return ac__pending(hdr, script_resume);
    resumed:
        if (hdr->err) {
            s->failed_at = f->pc;
            break;
        }
        op_done(s, f->pc);
    }
    return ac__frame_return(hdr);
}

ac_error *script_run(script *s, const op *ops, size_t nops)
{
    s->ops = ops;
    s->nops = nops;
    s->failed_at = nops;
    s->started = false;
    script_frame *f = AC_CORO_NEW(script_frame, script_resume);
    if (f)
        f->s = s;
    return ac_run((ac_coro *)f, NULL);
}

/* ---------------------------------------------------------- checks */

void chain_expect(const ac_error *e, const int *codes, size_t n)
{
    for (size_t i = 0; i < n; i++, e = ac_error_context(e)) {
        assert_non_null(e);
        assert_int_equal(ac_error_code(e), codes[i]);
    }
    assert_null(e);
}

bool chain_has(const ac_error *e, const ac_error *x)
{
    for (; e; e = ac_error_context(e))
        if (e == x)
            return true;
    return false;
}

size_t chain_len(const ac_error *e)
{
    size_t n = 0;
    for (; e; e = ac_error_context(e))
        n++;
    return n;
}

typedef struct thread_call {
    void (*fn)(void *);
    void *arg;
} thread_call;

static void *thread_main(void *p)
{
    thread_call *c = p;
    c->fn(c->arg);
    return NULL;
}

void on_small_stack(void (*fn)(void *), void *arg)
{
    pthread_attr_t a;
    pthread_t th;
    thread_call c = {fn, arg};
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 * 1024);
    assert_int_equal(pthread_create(&th, &a, thread_main, &c), 0);
    pthread_join(th, NULL);
    pthread_attr_destroy(&a);
}

bool many_in_order(void)
{
    return !many_bad && many_next == 0;
}
