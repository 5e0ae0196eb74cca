/* bridge.c: the thread bridge (ac/thread.h): ac_to_thread, its thread pool,
 * and ac_run in bridge mode.
 *
 * Two sides talk through a loop's inbox, a mutex-protected list of
 * messages and a pipe that makes the loop's poll return:
 *
 *   loop thread                          pool thread
 *   -----------                          -----------
 *   ac_to_thread: the job (in the
 *   awaiting frame) joins the pool's
 *   queue; the task blocks         -->   runs fn(arg)
 *                                        (ac_run in fn: a run request to the
 *   inbox: start the task; its end <--    inbox; waits for the task's end)
 *   signals the waiting thread     -->
 *   inbox: the job is back: wake   <--   the job's result, to the inbox
 *   the task, which returns it
 *
 * A loop thread's inbox (`struct ac__bridge`) lives as long as its loop;
 * the loop polls its pipe only while jobs are out (`out`), so an idle
 * bridge costs the loop nothing.  The pool is process-wide and grows by
 * one thread whenever a job finds no idle thread: a job never waits for
 * another, however calls nest through bridge mode.
 *
 * Lock order: the pool's mutex and an inbox's mutex are never held
 * together; a run request's mutex is taken alone.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ac/io.h"
#include "ac/loop.h"
#include "ac/primitive.h"
#include "ac/thread.h"
#include "internal.h"
#include "pool.h"
#include "task.h"

enum { MSG_JOB_DONE, MSG_RUN };

/* What a pool thread posts to a loop's inbox. */
typedef struct msg {
    struct msg *next;
    int kind;
} msg;

/* One ac_to_thread call: it lives in the awaiting frame, which stays
 * blocked (and so in place) until the job is back. */
typedef struct job {
    msg m;                 /* first: queued in the pool, then in the inbox */
    ac_thread_fn fn;
    void *arg;
    void *result;
    struct ac__bridge *home; /* the inbox of the awaiting task's loop */
    ac_task *task;
    ac__locals *locals;    /* the task's task-local values, for fn's thread */
} job;

/* ac_run in bridge mode: it lives on the pool thread's stack, which waits
 * on `cv` until the loop has run the task. */
typedef struct runreq {
    msg m;
    ac_coro *coro;
    void *result;
    ac__locals *locals;    /* the pool thread's task-local values, for the task */
    ac_error *err;         /* heap errors only: see run_done */
    int nomem;             /* the run failed for memory: the pool thread
                              makes the ENOMEM error from its own pool */
    ac_task *task;         /* its task, once started (loop thread) */
    struct runreq *next_run; /* among the loop's runs (loop thread) */
    int finished;          /* under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} runreq;

struct ac__bridge {
    pthread_mutex_t mu;
    msg *head, *tail;      /* the inbox, under mu */
    int rfd, wfd;          /* the pipe: a byte is written when the inbox
                              becomes non-empty */
    size_t out;            /* jobs not back yet (loop thread only) */
    struct runreq *runs;   /* the runs started and not finished (loop
                              thread only) */
    ac__fdwait w;          /* on rfd while out > 0 */
};

/* The inbox of the job a pool thread runs now; NULL elsewhere. */
static AC__TLS struct ac__bridge *bridged;

int ac_in_thread_bridge(void)
{
    return bridged != NULL;
}

/* ---------------------------------------------------------- the pool */

/* A pool thread, kept so that idle ones can be joined at exit. */
typedef struct worker {
    struct worker *next;
    pthread_t id;
    int busy; /* running a job's function (under pool.mu) */
} worker;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;     /* a job came, or the pool is quitting */
    msg *head, *tail;      /* jobs not taken yet */
    size_t idle;           /* threads not running a job */
    size_t queued;         /* jobs not taken yet */
    worker *workers;
    int quitting;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, NULL, 0};

static void post(struct ac__bridge *b, msg *m);

/* A pool thread: takes jobs until the pool quits.  It counts as idle from
 * the moment its job's function has returned, before the result is
 * posted: the loop may then send the next job at once, and this thread
 * takes it, instead of the pool starting another one. */
static void *worker_main(void *arg)
{
    worker *self = arg;
    /* What fn allocates is mostly run and freed on the loop's thread: from
       malloc, not from a pool that would keep it here, where no one can
       trim it (ac_pool_trim trims the calling thread's). */
    ac__pool_decline();
    pthread_mutex_lock(&pool.mu);
    for (;;) {
        while (!pool.head && !pool.quitting)
            pthread_cond_wait(&pool.cv, &pool.mu);
        if (pool.quitting)
            break; /* the process is exiting: queued jobs will not be needed */
        job *j = (job *)(void *)pool.head;
        pool.head = j->m.next;
        if (!pool.head)
            pool.tail = NULL;
        pool.queued--;
        pool.idle--;
        self->busy = 1;
        pthread_mutex_unlock(&pool.mu);

        bridged = j->home;
        ac__locals *was = ac__locals_swap_outside(j->locals);
        j->result = j->fn(j->arg);
        ac__locals_unref(ac__locals_swap_outside(was));
        bridged = NULL;
        pthread_mutex_lock(&pool.mu);
        pool.idle++;
        self->busy = 0;
        pthread_mutex_unlock(&pool.mu);
        post(j->home, &j->m); /* j belongs to the loop from here on */

        pthread_mutex_lock(&pool.mu);
    }
    pthread_mutex_unlock(&pool.mu);
    return NULL;
}

/* At process exit: the idle threads end and are joined.  A thread still
 * running a function (blocked in a read, say) is left running: waiting for
 * it could hang the exit, and the process ends it anyway.  Its worker
 * stays in the list, reachable. */
static void pool_quit(void)
{
    pthread_mutex_lock(&pool.mu);
    pool.quitting = 1;
    pthread_cond_broadcast(&pool.cv);
    worker *idle = NULL, **p = &pool.workers;
    while (*p) {
        worker *w = *p;
        if (w->busy) {
            p = &w->next;
            continue;
        }
        *p = w->next;
        w->next = idle;
        idle = w;
    }
    pthread_mutex_unlock(&pool.mu);
    while (idle) {
        worker *next = idle->next;
        pthread_join(idle->id, NULL); /* it sees `quitting` and ends */
        ac__free(idle);
        idle = next;
    }
}

static pthread_once_t quit_once = PTHREAD_ONCE_INIT;
static void register_quit(void)
{
    atexit(pool_quit);
}

/* Start one more pool thread (pool.mu held).  Returns 0 or an errno. */
static int pool_grow(void)
{
    worker *w = ac__malloc(sizeof *w);
    if (!w)
        return ENOMEM;
    w->busy = 0;
    int err = pthread_create(&w->id, NULL, worker_main, w);
    if (err) {
        ac__free(w);
        return err;
    }
    w->next = pool.workers;
    pool.workers = w;
    pool.idle++;
    return 0;
}

/* Hand j to a pool thread: an idle one, else a new one.  Returns 0 or an
 * errno (the job was not taken). */
static int pool_submit(job *j)
{
    pthread_once(&quit_once, register_quit);
    pthread_mutex_lock(&pool.mu);
    int err = pool.quitting ? EAGAIN : 0; /* a task run by an atexit handler */
    if (!err && pool.idle <= pool.queued) /* every idle thread has a job already */
        err = pool_grow();
    if (!err) {
        j->m.next = NULL;
        if (pool.tail)
            pool.tail->next = &j->m;
        else
            pool.head = &j->m;
        pool.tail = &j->m;
        pool.queued++;
        pthread_cond_signal(&pool.cv);
    }
    pthread_mutex_unlock(&pool.mu);
    return err;
}

/* ---------------------------------------------------------- the inbox */

/* From any thread: put m in b's inbox.  The pipe is written under the
 * mutex, so that the loop, which drains under it, cannot free b while the
 * byte is on its way. */
static void post(struct ac__bridge *b, msg *m)
{
    pthread_mutex_lock(&b->mu);
    m->next = NULL;
    int was_empty = !b->head;
    if (b->tail)
        b->tail->next = m;
    else
        b->head = m;
    b->tail = m;
    if (was_empty) {
        char byte = 1;
        while (write(b->wfd, &byte, 1) < 0 && errno == EINTR)
            ;
        /* EAGAIN: the pipe is full of bytes not read yet, which is enough */
    }
    pthread_mutex_unlock(&b->mu);
}

static void start_run(runreq *r);

static void inbox_ready(ac__fdwait *w);

/* Poll the pipe (one-shot, so again after every report). */
static int inbox_watch(struct ac__bridge *b)
{
    b->w.fd = b->rfd;
    b->w.events = AC_READABLE;
    b->w.fn = inbox_ready;
    b->w.data = b;
    return ac__fdwait_add(&b->w);
}

/* On the loop thread, the pipe is readable: take the messages. */
static void inbox_ready(ac__fdwait *w)
{
    struct ac__bridge *b = w->data;
    char buf[64];
    pthread_mutex_lock(&b->mu);
    while (read(b->rfd, buf, sizeof buf) > 0)
        ;
    msg *m = b->head;
    b->head = b->tail = NULL;
    pthread_mutex_unlock(&b->mu);
    while (m) {
        msg *next = m->next;
        if (m->kind == MSG_RUN) {
            start_run((runreq *)(void *)m);
        } else {
            b->out--;
            ac__task_wake(((job *)(void *)m)->task); /* it carries a result */
        }
        m = next;
    }
    /* The fd is known to the loop: arming it again allocates nothing, and
       cannot fail but for a broken poller, which would stop every wait. */
    if (b->out)
        (void)inbox_watch(b);
}

struct ac__bridge *ac__bridge_new(void)
{
    struct ac__bridge *b = ac__malloc(sizeof *b);
    if (!b) {
        errno = ENOMEM;
        return NULL;
    }
    memset(b, 0, sizeof *b);
    int fds[2];
    if (pipe(fds) < 0) { /* EMFILE, ENFILE: errno tells */
        int err = errno;
        ac__free(b);
        errno = err;
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        ac_fd_set_nonblock(fds[i]);
    }
    b->rfd = fds[0];
    b->wfd = fds[1];
    pthread_mutex_init(&b->mu, NULL);
    return b;
}

void ac__bridge_free(struct ac__bridge *b)
{
    if (!b)
        return;
    close(b->rfd);
    close(b->wfd);
    pthread_mutex_destroy(&b->mu);
    ac__free(b);
}

/* ---------------------------------------------------------- ac_to_thread */

typedef struct tothread_frame {
    ac_frame hdr;
    job j;
} tothread_frame;

/* Send j out from the loop thread of task t.  Returns 0 or an errno. */
static int send_job(job *j, ac_task *t)
{
    errno = 0;
    struct ac__bridge *b = ac__bridge_get();
    if (!b)
        return errno ? errno : ENOMEM;
    if (!b->out) {
        int err = inbox_watch(b);
        if (err)
            return err;
    }
    j->m.kind = MSG_JOB_DONE;
    j->home = b;
    j->task = t;
    j->locals = ac__locals_ref(t->locals);
    int err = pool_submit(j);
    if (err) {
        ac__locals_unref(j->locals);
        if (!b->out)
            ac__fdwait_remove(&b->w);
        return err;
    }
    b->out++;
    return 0;
}

/* state 0: send the job and block (not withdrawable: fn cannot be stopped);
 * state 1: the job is back with its result. */
static int tothread_resume(ac_frame *f)
{
    tothread_frame *s = (tothread_frame *)(void *)f;
    if (f->state)
        AC_RETURN(f, void *, s->j.result);
    if (ac__cancel_point(f))
        return ac__frame_return(f);
    if (!s->j.fn)
        AC_THROW(f, EINVAL, "ac_to_thread: no function");
    f->state = 1;
    int err = send_job(&s->j, f->task);
    if (err)
        AC_THROW(f, err, "ac_to_thread: %s", strerror(err));
    return ac__task_block(f, NULL);
}

ac_coro *ac_to_thread(ac_thread_fn fn, void *arg)
{
    tothread_frame *s = AC_CORO_NEW(tothread_frame, tothread_resume);
    if (s) {
        s->j.fn = fn;
        s->j.arg = arg;
    }
    return (ac_coro *)s;
}

int ac_to_thread__await(ac_frame *caller, void *ret, ac_thread_fn fn, void *arg)
{
    tothread_frame *s = AC_FRAME_PUSH(tothread_frame, caller, ret, tothread_resume);
    if (!s)
        return AC_DONE;
    s->j.fn = fn;
    s->j.arg = arg;
    return ac__frame_start_fn(&s->hdr, tothread_resume);
}

/* ---------------------------------------------------------- bridge mode */

/* On the loop thread: the task of a run request has finished. */
void ac__bridge_run_done(ac_task *t, ac_frame *root)
{
    struct ac__bridge *b = ac__bridge_get(); /* exists: it started t */
    runreq **p = &b->runs;
    while ((*p)->task != t)
        p = &(*p)->next_run;
    runreq *r = *p;
    *p = r->next_run;
    ac_error *err = t->err;
    t->err = NULL;
    ac__task_free(t, root);
    ac_coro_free(root);
    /* The preallocated ENOMEM errors belong to this thread's pool: the pool
       thread gets a heap copy of an error that holds one, or, without the
       memory for it, makes an ENOMEM error of its own. */
    int nomem = 0;
    if (ac__error_pooled(err)) {
        ac_error *copy = ac__error_copy(err);
        ac_error_release(err);
        err = copy;
        nomem = copy == NULL;
    }
    pthread_mutex_lock(&r->mu);
    r->err = err;
    r->nomem = nomem;
    r->finished = 1;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu); /* r may be gone from here on */
}

/* On the loop thread: start the task of run request r. */
static void start_run(runreq *r)
{
    ac_task *t = ac__task_new(r->coro);
    if (!t) {
        ac__locals_unref(r->locals);
        ac_coro_free(r->coro);
        pthread_mutex_lock(&r->mu);
        r->nomem = 1;
        r->finished = 1;
        pthread_cond_signal(&r->cv);
        pthread_mutex_unlock(&r->mu);
        return;
    }
    struct ac__bridge *b = ac__bridge_get();
    t->locals = r->locals;
    r->task = t;
    r->next_run = b->runs;
    b->runs = r;
    if (r->result)
        r->coro->ret = r->result;
    r->coro->flags |= AC_FRAME_BRIDGED;
    ac__task_wake(t);
}

ac_error *ac__bridge_run(ac_coro *coro, void *result)
{
    runreq r;
    memset(&r, 0, sizeof r);
    r.m.kind = MSG_RUN;
    r.coro = coro;
    r.result = result;
    r.locals = ac__locals_ref(ac__locals_outside());
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    post(bridged, &r.m);
    pthread_mutex_lock(&r.mu);
    while (!r.finished)
        pthread_cond_wait(&r.cv, &r.mu);
    pthread_mutex_unlock(&r.mu);
    pthread_cond_destroy(&r.cv);
    pthread_mutex_destroy(&r.mu);
    return r.nomem ? ac__error_nomem() : r.err;
}

/* The coroutine of ac__bridge_call. */
typedef struct call_frame {
    ac_frame hdr;
    void (*fn)(void *);
    void *arg;
    bool *ran;  /* on the pool thread's stack, which waits */
} call_frame;

static int call_resume(ac_frame *hdr)
{
    call_frame *f = (call_frame *)(void *)hdr;
    f->fn(f->arg);
    *f->ran = true;
    return ac__frame_return(hdr);
}

bool ac__bridge_call(void (*fn)(void *), void *arg)
{
    if (!bridged)
        return false;
    call_frame *f = AC_CORO_NEW(call_frame, call_resume);
    if (!f)
        return false;
    bool ran = false;
    f->fn = fn;
    f->arg = arg;
    f->ran = &ran;
    ac_error_release(ac__bridge_run(&f->hdr, NULL)); /* only ENOMEM: not run */
    return ran;
}
