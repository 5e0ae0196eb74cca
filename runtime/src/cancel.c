/* cancel.c: cancel scopes, timeouts, shields and task cancellation
 * (ac/cancel.h).
 *
 * A task's scopes form a chain through ac__scope.up, innermost first, from
 * the task head's `scope`; the task's own flag `cancelled` is the root
 * scope.  Whether a suspension point is cancelled is decided by walking the
 * chain outward until a shield: a cancelled scope on the way (by hand, or
 * its deadline passed, whether or not its timer has fired) cancels it.
 * Deadlines also have a timer, so that a task blocked in a leaf wait is
 * reached when one passes (ac__task_deliver).
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "ac/cancel.h"
#include "ac/loop.h"
#include "internal.h"
#include "pool.h"
#include "task.h"

enum kind { K_TIMEOUT, K_MOVE_ON, K_PLAIN, K_SHIELD };

struct ac_scope {
    ac__scope link;        /* in the task's chain while entered */
    unsigned char kind;    /* enum kind */
    unsigned char state;   /* ac_timeout_state */
    unsigned char caught;  /* it absorbed a cancellation */
    unsigned char armed;   /* timer is registered */
    unsigned char noted;   /* counted in ac__noted (ac__cancel_note) */
    unsigned char orphan;  /* its task ended inside it (ac__task_orphan_scopes) */
    bool pooled;           /* from the pool (ac__pool_release) */
    ac_task *task;         /* the task that entered it (NULL once orphaned) */
    int64_t deadline;      /* AC_FOREVER: none (link.timed says whether set) */
    ac__timer timer;       /* fires at the deadline */
};

/* ---------------------------------------------------------- the check */

/* How many links of this thread's chains are cancelled or have a deadline
 * (each counted once, by its own `noted` flag).  While there is none, no
 * suspension point can be cancelled and no chain needs to be walked: the
 * common case of a program that is not being cancelled costs one load. */
AC__TLS size_t ac__noted;

void ac__cancel_note(unsigned char *flag)
{
    if (!*flag) {
        *flag = 1;
        ac__noted++;
    }
}

void ac__cancel_unnote(unsigned char *flag)
{
    if (*flag) {
        *flag = 0;
        ac__noted--;
    }
}

/* Only the links of ac_scope objects are timed: the deadline is in the
 * object, whose first member the link is. */
static int64_t link_deadline(const ac__scope *s)
{
    return ((const ac_scope *)(const void *)s)->deadline;
}

static bool link_cancelled(const ac__scope *s, int64_t *now)
{
    if (s->cancelled || s->dead)
        return true;
    if (!s->timed || link_deadline(s) == AC_FOREVER)
        return false;
    if (*now < 0)
        *now = ac_now();
    return link_deadline(s) <= *now;
}

/* Is a scope from s outward cancelled, seen from code at cleanup nesting
 * `depth`?  A shield hides the scopes outside it, and so does the start of
 * cleanup code: scopes entered at a lower nesting, and the root.  A child
 * task's chain goes on into its group's host's chain, whose nesting counts
 * the host's cleanups: from the group's link on, the limit is the nesting
 * the group was entered at, so that a group opened inside cleanup shields
 * its children as it shields its host.  (Along one task's chain the
 * nesting never grows outward, so taking the larger one changes nothing
 * there.) */
static bool visible_cancelled(const ac__scope *s, const ac_task *t, uint32_t depth)
{
    int64_t now = -1;
    for (; s; s = s->up) {
        if (s->depth < depth)
            return false;
        depth = s->depth;
        if (link_cancelled(s, &now))
            return true;
        if (s->shield)
            return false;
    }
    (void)t; /* its root is a link of the chain (ac_task.root_link) */
    return false;
}

bool ac__scope_visible_cancelled(const ac__scope *s, ac_task *t, uint32_t depth)
{
    return ac__noted && visible_cancelled(s, t, depth);
}

bool ac__task_cancelled_slow(ac_task *t)
{
    return t && visible_cancelled(t->head.scope, t, t->head.cleanup);
}

/* The test hook of ac_cancel_inject_at.  While it counts, it is noted
 * like a cancelled link, so that suspension points take the slow path. */
static AC__TLS struct {
    unsigned long seen, at;
    unsigned char counting;
} inject;

unsigned long ac_cancel_inject_at(unsigned long n)
{
    unsigned long seen = inject.seen;
    inject.seen = 0;
    inject.at = n;
    if (n)
        ac__cancel_note(&inject.counting);
    else
        ac__cancel_unnote(&inject.counting);
    return seen;
}

int ac__cancel_point_slow(ac_frame *f)
{
    if (inject.counting && ++inject.seen == inject.at) {
        inject.at = 0;
        ac_task_cancel(f->task);
    }
    if (!ac__task_cancelled(f->task))
        return 0;
    ac__throw(f, ac_error_new(ECANCELED, NULL), NULL, 0);
    return 1;
}

/* A task blocked in a leaf wait that can be withdrawn, or queued by a soft
 * wake-up, resumes with ECANCELED if it is cancelled.  A task that is
 * running, or queued with something handed over, meets the cancellation at
 * its next suspension point (level-triggered). */
void ac__task_deliver(ac_task *t)
{
    if (!ac__noted || !t || !t->head.blocked)
        return;
    if (t->head.queued ? t->head.queued != AC__WOKEN_SOFT : !t->unwait)
        return;
    if (!ac__task_cancelled(t))
        return;
    ac_frame *f = t->head.top;
    if (t->head.queued) {
        t->head.queued = AC__WOKEN_HARD; /* the ECANCELED is handed over */
    } else {
        ac__task_unwait(t);
        ac__task_wake(t);
    }
    ac__throw(f, ac_error_new(ECANCELED, NULL), NULL, 0);
}

ac_task *ac_task_current(void)
{
    return ac__task_current();
}

void ac_task_cancel(ac_task *t)
{
    if (!t)
        return;
    /* A finished task's memory is freed (ac/cancel.h, LIFETIME): the flag
       is still there until the memory is reused. */
    assert(!t->head.finished && "ac_task_cancel: the task has ended; its ac_task * is stale");
    if (t->head.finished)
        return;
    t->root_link.cancelled = 1;
    ac__cancel_note(&t->head.noted);
    ac__deliver_tree(t); /* its children too */
}

/* ---------------------------------------------------------- scope objects */

void ac__scope_unlink(ac_task *t, ac__scope *s)
{
    for (ac__scope **pp = &t->head.scope; *pp; pp = &(*pp)->up)
        if (*pp == s) {
            *pp = s->up;
            return;
        }
}

static void fire(ac__timer *tm)
{
    ac_scope *s = tm->data;
    s->armed = 0;
    s->link.dead = 1;
    if (s->state == AC_TIMEOUT_ACTIVE)
        ac__deliver_tree(s->task);
}

static void disarm(ac_scope *s)
{
    if (s->armed)
        ac__timer_remove(&s->timer);
    s->armed = 0;
}

static int arm(ac_scope *s)
{
    if (!s->link.timed || s->deadline == AC_FOREVER)
        return 0;
    s->timer.fn = fire;
    s->timer.data = s;
    int err = ac__timer_add(&s->timer, s->deadline);
    s->armed = !err;
    return err;
}

static void *scope_enter(void *self, ac_error **raise)
{
    ac_scope *s = self;
    ac_task *t = ac__task_current();
    if (!s)
        *raise = ac__error_nomem();
    else if (s->state != AC_TIMEOUT_CREATED)
        *raise = ac_error_new(AC_ESTATE, "cancel scope: already entered");
    else if (!t)
        *raise = ac_error_new(AC_ESTATE, "cancel scope: no running task");
    if (*raise)
        return NULL;
    int err = arm(s);
    if (err) {
        *raise = ac_error_new(err, "cancel scope: cannot add a timer");
        return NULL;
    }
    s->task = t;
    s->state = AC_TIMEOUT_ACTIVE;
    if (s->link.cancelled || (s->link.timed && s->deadline != AC_FOREVER))
        ac__cancel_note(&s->noted);
    s->link.depth = t->head.cleanup;
    s->link.up = t->head.scope;
    t->head.scope = &s->link;
    return s;
}

/* An ETIMEDOUT in front of the first ECANCELED of e's chain, and of the
 * chain of each direct member of a group (TO-27). */
static void insert_timeout(ac_error *e)
{
    ac__error_insert_before_code(e, ECANCELED, ETIMEDOUT);
    for (size_t i = 0; i < ac_error_count(e); i++)
        ac__error_insert_before_code((ac_error *)ac_error_child(e, i), ECANCELED, ETIMEDOUT);
}

/* Has scope s expired (as its block is left)?  Any scope with a deadline
 * (a timeout, a move_on, a plain scope rescheduled): ac_timeout_state_of
 * reports such a scope "expiring" inside its block once the deadline has
 * passed, so leaving it then must make it "expired", not "finished".
 * *now: ac_now(), read here if it is negative and needed. */
static bool expired_now(const ac_scope *s, int64_t *now)
{
    if (!s->link.timed || s->deadline == AC_FOREVER)
        return false;
    if (s->link.dead)
        return true;
    if (*now < 0)
        *now = ac_now();
    return s->deadline <= *now;
}

/* Leaving the scope with `err` in flight: it absorbs a cancellation when it
 * is cancelled and no scope visible outside it is (BEHAVIOURS TO-28). */
static bool scope_exit(void *self, ac_error *err, ac_error **raise)
{
    ac_scope *s = self;
    if (s && s->orphan) {
        *raise = ac_error_new(AC_ESTATE, "cancel scope: not exited before its task ended");
        return false;
    }
    if (!s || s->state != AC_TIMEOUT_ACTIVE) { /* a pushed exit (never entered), or twice */
        *raise = ac_error_new(AC_ESTATE, "cancel scope: not entered");
        return false;
    }
    ac_task *t = s->task;
    if (t) /* (its generator, resumed, binds it first: ac__gen_attach_slow) */
        ac__scope_unlink(t, &s->link);
    disarm(s);
    ac__cancel_unnote(&s->noted);
    int64_t now = -1;
    bool mine = link_cancelled(&s->link, &now);
    bool expired = expired_now(s, &now);
    s->state = expired ? AC_TIMEOUT_EXPIRED : AC_TIMEOUT_FINISHED;
    /* a shield hides the scopes outside it from itself too */
    if (!err || !mine || (!s->link.shield && visible_cancelled(s->link.up, t, s->link.depth)))
        return false;
    if (ac_error_code(err) == ECANCELED) {
        s->caught = 1;
        if (s->kind == K_TIMEOUT && expired) {
            *raise = ac_error_new(ETIMEDOUT, NULL); /* its context: err */
            return false;
        }
        return true; /* absorbed silently */
    }
    if (expired)
        insert_timeout(err);
    return false;
}

static void scope_free(void *self)
{
    ac_scope *s = self;
    if (!s)
        return;
    if (s->state == AC_TIMEOUT_ACTIVE && s->task && ac__bridge_call(scope_free, s))
        return; /* on a pool thread: done on the loop of its task */
    if (s->state == AC_TIMEOUT_ACTIVE && s->task)
        ac__scope_unlink(s->task, &s->link); /* released inside its block: leave it */
    disarm(s);
    ac__cancel_unnote(&s->noted);
    ac__pool_release(s, s->pooled);
}

static const ac_cm_class scope_class = {
    .name = "cancel scope",
    .enter = scope_enter,
    .exit = scope_exit,
    .drop = scope_free,
    .flags = AC_CM_TASK,
    .release = scope_free,
};

/* ---------------------------------------------------------- binding */

ac_task *ac__scope_task(const ac__scope *link)
{
    return ((const ac_scope *)(const void *)link)->task;
}

void ac__scope_bind(ac__scope *link, ac_task *t)
{
    ((ac_scope *)(void *)link)->task = t;
}

/* ---------------------------------------------------------- a task's end */

/* The task of scope s has ended inside it: s is left as if exited without
 * an error (its state says whether it expired), but for the task, which is
 * gone: its timer is withdrawn, and a later exit throws AC_ESTATE. */
static void scope_orphan(ac_scope *s)
{
    disarm(s);
    ac__cancel_unnote(&s->noted);
    int64_t now = -1;
    s->state = expired_now(s, &now) ? AC_TIMEOUT_EXPIRED : AC_TIMEOUT_FINISHED;
    s->orphan = 1;
    s->task = NULL;
    s->link.up = NULL;
}

void ac__task_orphan_scopes(ac_task *t)
{
    ac__scope *s = t->head.scope;
    t->head.scope = &t->root_link;
    while (s && s != &t->root_link) {
        ac__scope *up = s->up;
        if (!ac__taskgroup_orphan(t, s))
            scope_orphan((ac_scope *)(void *)s); /* every other link is a scope's */
        s = up;
    }
    ac__taskgroup_orphan(t, NULL); /* those a generator suspended inside them holds */
}

static ac_cm make(enum kind kind, int64_t deadline, bool timed)
{
    bool pooled;
    ac_scope *s = ac__pool_alloc(sizeof *s, &pooled);
    if (s) {
        memset(s, 0, sizeof *s);
        s->pooled = pooled;
        s->kind = (unsigned char)kind;
        s->link.shield = kind == K_SHIELD;
        s->link.timed = timed;
        s->deadline = timed ? deadline : AC_FOREVER;
    }
    return AC_CM(&scope_class, s);
}

static int64_t after(int64_t ms)
{
    if (ms == AC_FOREVER)
        return AC_FOREVER;
    int64_t now = ac_now();
    return ms > 0 && ms > INT64_MAX - 1 - now ? AC_FOREVER - 1 : now + ms;
}

ac_cm ac_timeout(int64_t ms) { return make(K_TIMEOUT, after(ms), true); }
ac_cm ac_timeout_at(int64_t when) { return make(K_TIMEOUT, when, true); }
ac_cm ac_move_on_after(int64_t ms) { return make(K_MOVE_ON, after(ms), true); }
ac_cm ac_move_on_at(int64_t when) { return make(K_MOVE_ON, when, true); }
ac_cm ac_cancel_scope(void) { return make(K_PLAIN, AC_FOREVER, false); }
ac_cm ac_shield(void) { return make(K_SHIELD, AC_FOREVER, false); }

/* ---------------------------------------------------------- queries */

ac_scope *ac_scope_of(const ac_cm *cm)
{
    return cm && cm->cls == &scope_class ? cm->self : NULL;
}

void ac_scope_cancel(ac_scope *s)
{
    if (!s || s->link.cancelled)
        return;
    s->link.cancelled = 1;
    if (s->state == AC_TIMEOUT_ACTIVE) {
        ac__cancel_note(&s->noted);
        ac__deliver_tree(s->task);
    }
}

void ac_scope_set_shield(ac_scope *s, bool on)
{
    if (!s)
        return;
    s->link.shield = on;
    if (!on && s->state == AC_TIMEOUT_ACTIVE)
        ac__deliver_tree(s->task);
}

bool ac_scope_cancel_called(const ac_scope *s)
{
    int64_t now = -1;
    return s && link_cancelled(&s->link, &now);
}

bool ac_scope_cancelled_caught(const ac_scope *s)
{
    return s && s->caught;
}

int64_t ac_scope_deadline(const ac_scope *s)
{
    return s ? s->deadline : AC_FOREVER;
}

ac_timeout_state ac_timeout_state_of(const ac_scope *s)
{
    if (!s)
        return AC_TIMEOUT_CREATED;
    if (s->state == AC_TIMEOUT_ACTIVE && ac_scope_cancel_called(s) && s->link.timed &&
        (s->link.dead || s->deadline <= ac_now()))
        return AC_TIMEOUT_EXPIRING;
    return (ac_timeout_state)s->state;
}

bool ac_timeout_expired(const ac_scope *s)
{
    ac_timeout_state st = ac_timeout_state_of(s);
    return st == AC_TIMEOUT_EXPIRED || st == AC_TIMEOUT_EXPIRING;
}

ac_error *ac_timeout_reschedule(ac_scope *s, int64_t when)
{
    static const char *const names[] = {"not entered", "active", "expiring", "expired",
                                        "finished"};
    if (!s)
        return ac_error_new(EINVAL, "ac_timeout_reschedule: no scope");
    ac_timeout_state st = ac_timeout_state_of(s);
    if (s->kind == K_TIMEOUT && st != AC_TIMEOUT_ACTIVE)
        return ac_error_new(AC_ESTATE, "%s", names[st]);
    int64_t now = -1;
    if (s->state == AC_TIMEOUT_ACTIVE && link_cancelled(&s->link, &now))
        s->link.dead = 1; /* a deadline that passed has cancelled it for good */
    disarm(s);
    s->link.timed = 1;
    s->deadline = when;
    if (s->state == AC_TIMEOUT_ACTIVE) {
        ac__cancel_note(&s->noted); /* (kept until exit, even for AC_FOREVER) */
        int err = arm(s);
        ac__deliver_tree(s->task);
        if (err)
            return ac_error_new(err, "ac_timeout_reschedule: cannot add a timer");
    }
    return NULL;
}
