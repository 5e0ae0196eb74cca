/* taskgroup.c: task groups (ac/taskgroup.h).
 *
 * A group is a cancel scope (its link sits in the host's chain while the
 * block runs) and a count of live children.  A child is a task whose root
 * link continues into the group's link, so that its chain goes on into the
 * host's: every scope around the group reaches it.  A child that finishes
 * records its error (ECANCELED is never one), may cancel the group (the
 * cancelling policy), and wakes the host when it was the last one that the
 * exit waits for.  The group lives until its exit has finished.
 *
 * A host that ends inside a group it never exited orphans it (ORPHANED):
 * the group is cancelled and leaves the host; its children run on to their
 * end, and if its value is released before then, the last one frees it.
 */
#include <errno.h>
#include <string.h>

#include "ac/primitive.h"
#include "ac/taskgroup.h"
#include "internal.h"
#include "pool.h"
#include "task.h"

enum { OPEN, EXITING, DONE, ORPHANED };

/* The frame of the exit's wait for the children.  It lives in the group,
 * which outlives its exit, so that exiting needs no memory: a group always
 * waits for its children. */
typedef struct exit_frame {
    ac_frame hdr;
    ac_taskgroup *g;
    ac_error *err;       /* the error in flight at the exit (not owned) */
} exit_frame;

struct ac_taskgroup {
    ac__scope link;      /* the group's cancel scope */
    ac_task *host;
    ac_taskgroup *host_next; /* the next group its host hosts (outward) */
    ac_task *children;   /* the live children (sib_prev/sib_next) */
    size_t alive;        /* children not finished */
    ac_error *errs;      /* the group error being built: the recorded
                            errors, in order (ac__error_group_new);
                            NULL until the first */
    size_t cap;          /* its room (ac_error_count: what it holds) */
    ac_error *lost;      /* an ENOMEM whose context chain holds the errors
                            that found no room (record), or NULL */
    ac_frame *waiter;    /* the exit's frame, waiting for the children */
    ac_error *body;      /* the body's error, recorded last (owned) */
    exit_frame xf;       /* the exit's frame */
    unsigned char state;
    unsigned char cancelling; /* the policy: a failure cancels the group */
    unsigned char failed;
    unsigned char noted;  /* its link is cancelled (ac__cancel_note) */
    unsigned char released; /* its value released while children ran:
                               an orphan's last child frees it, or the
                               exit that waited for them */
    bool pooled;          /* from the pool (ac__pool_release) */
};

/* Room for one more recorded error: the array doubles.  False without
 * memory. */
AC__SLOW static bool grow(ac_taskgroup *g)
{
    size_t cap = g->cap ? 2 * g->cap : 4;
    if (!g->errs) {
        g->errs = ac__error_group_new("task group", cap);
        if (!g->errs)
            return false;
    } else if (!ac__error_group_reserve(&g->errs, cap)) {
        return false;
    }
    g->cap = cap;
    return true;
}

/* Keep e (owned).  Room is made when an error comes, not when a child is
 * spawned: room for every live child's error, taken at the spawn, grew a
 * million children's group to a 16 MB array by reallocation (and gave it
 * back at the exit), which cost more than the spawns themselves.  Without
 * memory, e goes into the context chain of an ENOMEM error that needs none
 * (ac__error_nomem), which the exit throws: no error is lost (BX-09). */
static void record(ac_taskgroup *g, ac_error *e)
{
    if (ac_error_count(g->errs) < g->cap || grow(g)) {
        ac__error_group_add(g->errs, e);
        return;
    }
    if (!g->lost)
        g->lost = ac__error_nomem();
    ac__error_keep(g->lost, e);
    ac_error_release(e);
}

/* What the exit throws (owned), or NULL: the group of recorded errors;
 * with some lost for lack of memory, the ENOMEM that holds them, the group
 * at the end of its chain. */
static ac_error *take_errors(ac_taskgroup *g)
{
    ac_error *grp = g->errs, *lost = g->lost;
    g->errs = g->lost = NULL;
    g->cap = 0;
    if (!lost)
        return grp;
    ac__error_keep(lost, grp);
    ac_error_release(grp);
    return lost;
}

static void fail(ac_taskgroup *g)
{
    g->failed = 1;
    if (g->cancelling && !g->link.cancelled) {
        g->link.cancelled = 1;
        ac__cancel_note(&g->noted);
        ac__deliver_tree(g->host);
    }
}

/* The first child of the first group from g on (along its host's list)
 * that has one, or NULL. */
static ac_task *first_child(ac_taskgroup *g)
{
    for (; g; g = g->host_next)
        if (g->children)
            return g->children;
    return NULL;
}

/* The group of child task c: its root link is the group's link, which
 * comes first in the group. */
static ac_taskgroup *group_of(ac_task *c)
{
    return (ac_taskgroup *)(void *)c->root_link.up;
}

/* Tasks form a tree: a task's groups, and their children.  The walk is
 * iterative (depth-first, by the sibling and parent links), so that groups
 * nested in tasks however deep need no C stack; delivering changes no
 * link of the tree. */
void ac__deliver_tree(ac_task *t)
{
    if (!t)
        return; /* a group not entered yet */
    ac__task_deliver(t);
    ac_task *c = first_child(t->groups);
    while (c) {
        ac__task_deliver(c);
        ac_task *next = first_child(c->groups); /* down */
        while (!next && c != t) {                /* else across, else up */
            ac_taskgroup *g = group_of(c);
            next = c->sib_next ? c->sib_next : first_child(g->host_next);
            if (!next)
                c = g->host;
        }
        c = next;
    }
}

static void adopt(ac_taskgroup *g, ac_task *t)
{
    t->sib_prev = NULL;
    t->sib_next = g->children;
    if (g->children)
        g->children->sib_prev = t;
    g->children = t;
}

static void disown(ac_taskgroup *g, ac_task *t)
{
    if (t->sib_prev)
        t->sib_prev->sib_next = t->sib_next;
    else
        g->children = t->sib_next;
    if (t->sib_next)
        t->sib_next->sib_prev = t->sib_prev;
}

static void group_free(void *self);

/* The last child of g has ended, and the exit waits for it, or g is an
 * orphan whose value was released.  The exit waits in the task that runs
 * it (its host since move_to). */
AC__SLOW static void last_child(ac_taskgroup *g)
{
    if (g->waiter)
        ac__task_wake(g->waiter->task); /* (the host: see move_to) */
    else
        group_free(g);
}

/* A child of g has ended with error e (owned, or NULL).  May free g. */
static inline void child_end(ac_taskgroup *g, ac_error *e)
{
    if (e && ac_error_code(e) == ECANCELED) {
        ac_error_release(e);
    } else if (e) {
        record(g, e);
        fail(g);
    }
    if (--g->alive == 0 && (g->waiter || g->released))
        last_child(g);
}

void ac__taskgroup_child_done(ac_task *t, ac_frame *root)
{
    ac_taskgroup *g = (ac_taskgroup *)(void *)t->root_link.up; /* its link comes first */
    ac_error *e = t->err;
    t->err = NULL;
    disown(g, t);
    ac__task_free(t, root);
    ac__coro_release(root);
    child_end(g, e);
}

/* A pending child's root keeps its group in `task` until it starts. */
ac_task *ac__taskgroup_child_start(ac_frame *root)
{
    ac_taskgroup *g = (ac_taskgroup *)(void *)root->task;
    ac_task *t = ac__task_make(root);
    if (!t) {
        ac_coro_free(root);
        child_end(g, ac__error_nomem());
        return NULL;
    }
    t->root_link.up = &g->link;
    adopt(g, t);
    return t;
}

/* ---------------------------------------------------------- spawn */

static int refuse(ac_frame *caller, ac_coro *coro, ac_error *e)
{
    ac_coro_free(coro);
    ac__throw(caller, e, __FILE__, __LINE__);
    return AC_DONE;
}

int ac_taskgroup_spawn__await(ac_frame *caller, void *ret, ac_taskgroup *g, ac_coro *coro,
                              void *result)
{
    (void)ret;
    if (!g)
        return refuse(caller, coro, ac_error_new(EINVAL, "ac_taskgroup_spawn: no group"));
    if (g->state >= DONE) /* exited, or its host ended inside it */
        return refuse(caller, coro, ac_error_new(AC_ESTATE, "finished"));
    if (!g->host)
        return refuse(caller, coro, ac_error_new(AC_ESTATE, "not entered"));
    if (g->cancelling && g->failed)
        return refuse(caller, coro, ac_error_new(AC_ESTATE, "shutting down"));
    if (!coro)
        return refuse(caller, NULL, ac__error_nomem());
    if (result)
        coro->ret = result;
    coro->flags |= AC_FRAME_CHILD;
    coro->task = (ac_task *)(void *)g; /* until it starts */
    g->alive++;
    ac__locals *locals = caller->task->locals;
    if (!locals) {
        ac__ready_pending(coro);
        return AC_DONE;
    }
    /* The child copies the task-local values as they are now: it gets its
       task at once, to hold them. */
    ac_task *t = ac__taskgroup_child_start(coro);
    if (t) {
        t->locals = ac__locals_ref(locals);
        ac__task_ready(t, AC__WOKEN_HARD);
    }
    return AC_DONE;
}

typedef struct spawn_frame {
    ac_frame hdr;
    void (*drop)(ac_frame *f); /* (ac__dropping) */
    ac_taskgroup *g;
    ac_coro *coro;
    void *result;
} spawn_frame;

/* Freed unstarted, the object disposes of the coroutine it would spawn. */
static void spawn_drop(ac_frame *f)
{
    ac_coro_free(((spawn_frame *)(void *)f)->coro);
}

static int spawn_resume(ac_frame *f)
{
    spawn_frame *s = (spawn_frame *)(void *)f;
    f->state = 1; /* started: the coroutine is the spawn's from here on */
    ac_taskgroup_spawn__await(f, NULL, s->g, s->coro, s->result);
    return ac__frame_return(f);
}

ac_coro *ac_taskgroup_spawn(ac_taskgroup *g, ac_coro *coro, void *result)
{
    spawn_frame *s = AC_CORO_NEW(spawn_frame, spawn_resume);
    if (!s) {
        ac_coro_free(coro);
        return NULL;
    }
    s->g = g;
    s->coro = coro;
    s->result = result;
    s->drop = spawn_drop;
    s->hdr.flags |= AC_FRAME_DROPS;
    return (ac_coro *)s;
}

size_t ac_taskgroup_count(const ac_taskgroup *g)
{
    return g ? g->alive : 0;
}

void ac_taskgroup_cancel(ac_taskgroup *g)
{
    if (!g || g->link.cancelled)
        return;
    g->link.cancelled = 1;
    if (g->state == DONE)
        return; /* no child is left, and its host may have ended */
    ac__cancel_note(&g->noted);
    ac__deliver_tree(g->host);
}

/* ---------------------------------------------------------- the manager */

static void *group_enter(void *self, ac_error **raise)
{
    ac_taskgroup *g = self;
    ac_task *t = ac__task_current();
    if (!g)
        *raise = ac__error_nomem();
    else if (g->host)
        *raise = ac_error_new(AC_ESTATE, "task group: already entered");
    else if (!t)
        *raise = ac_error_new(AC_ESTATE, "task group: no running task");
    if (*raise)
        return NULL;
    g->host = t;
    g->host_next = t->groups;
    t->groups = g;
    g->link.depth = t->head.cleanup;
    g->link.up = t->head.scope;
    t->head.scope = &g->link;
    return g;
}

/* Take g out of its host's list of groups. */
static void leave_host(ac_taskgroup *g)
{
    for (ac_taskgroup **pp = &g->host->groups; *pp; pp = &(*pp)->host_next)
        if (*pp == g) {
            *pp = g->host_next;
            return;
        }
}

/* The outcome, once every child has finished: a group of the recorded
 * errors; else a cancellation of the group's own scope ends here. */
static int group_outcome(exit_frame *f)
{
    ac_taskgroup *g = f->g;
    ac_frame *hdr = &f->hdr;
    g->state = DONE;
    leave_host(g);
    if (g->body) { /* the body's error comes after the children's */
        record(g, g->body);
        g->body = NULL;
    }
    bool outer = ac__scope_visible_cancelled(g->link.up, g->host, g->link.depth);
    ac_error *errs = take_errors(g);
    if (errs) {
        ac__throw(hdr, errs, NULL, 0); /* its context: the error in flight */
    } else if (f->err && ac_error_code(f->err) == ECANCELED && g->link.cancelled && hdr->ret &&
               !outer) {
        *(bool *)hdr->ret = true; /* its own cancellation: absorbed */
    } else if (!f->err && outer) {
        /* an enclosing cancellation reached the children (or the wait):
           it goes on outward */
        ac__throw(hdr, ac_error_new(ECANCELED, NULL), NULL, 0);
    }
    ac__cancel_unnote(&g->noted); /* its link is in no chain any more */
    int r = ac__frame_return(hdr);
    if (g->released)
        group_free(g); /* its value was released while the exit waited */
    return r;
}

static int exit_resume(ac_frame *hdr)
{
    exit_frame *f = (exit_frame *)(void *)hdr;
    ac_taskgroup *g = f->g;
    if (g->alive) {
        g->waiter = hdr;
        return ac__suspend(hdr); /* the last child wakes it */
    }
    g->waiter = NULL;
    return group_outcome(f);
}

/* Group g, entered by its host, is exited by another task t: a group
 * entered by hand, or around the yield of a @contextmanager value, and
 * exited by hand or through the value in t, while the host goes on (or
 * ends).  The exit waits in t, so g becomes t's, as if entered there: t
 * hosts it (the last child wakes t, t's end or cancellation reaches the
 * children), and its link continues into t's chain instead of the host's,
 * so that the children see t's scopes and nothing leads them back to the
 * host, which may end and be freed before they do.  Otherwise the last
 * child would wake the host out of whatever it waits for, leave t waiting
 * for ever, and the host's end would orphan a group being exited. */
static void move_to(ac_taskgroup *g, ac_task *t)
{
    leave_host(g);
    g->host = t;
    g->host_next = t->groups;
    t->groups = g;
    g->link.up = t->head.scope;
    if (ac__scope_visible_cancelled(g->link.up, t, g->link.depth))
        ac__deliver_tree(t); /* t's cancellation reaches them now */
}

/* Is task t inside g: a child of g, or a task below one (its chain goes
 * through g's link)?  Its exit of g would wait for itself. */
static bool inside(const ac_taskgroup *g, const ac_task *t)
{
    for (const ac__scope *s = t->head.scope; s; s = s->up)
        if (s == &g->link)
            return true;
    return false;
}

static int group_exit(ac_frame *caller, void *sup, void *self, ac_error *err)
{
    ac_taskgroup *g = self;
    *(bool *)sup = false;
    if (g && g->state == ORPHANED) {
        /* A generator that was suspended inside it, resumed in another
           task, had brought its link into that task's chain. */
        ac__scope_unlink(caller->task, &g->link);
        g->link.up = NULL; /* its children no longer see that task's scopes */
        ac__throw(caller, ac_error_new(AC_ESTATE, "task group: not exited before its task ended"),
                  __FILE__, __LINE__);
        return AC_DONE;
    }
    if (!g || !g->host || g->state != OPEN) { /* a pushed exit (never entered), or twice */
        ac__throw(caller, ac_error_new(AC_ESTATE, "task group: not entered"), __FILE__, __LINE__);
        return AC_DONE;
    }
    if (g->host != caller->task && inside(g, caller->task)) {
        ac__throw(caller, ac_error_new(AC_ESTATE, "task group: exited by a task of its own group"),
                  __FILE__, __LINE__);
        return AC_DONE; /* (as it was: its host may still exit it) */
    }
    ac__scope_unlink(g->host, &g->link);
    if (g->host != caller->task)
        move_to(g, caller->task);
    g->state = EXITING;
    if (ac__error_is_close(err)) {
        /* A generator yielding inside the body is being closed (TG-41):
           the children are cancelled and waited for; the close is not a
           failure and goes on, unless a child's error replaces it. */
        ac_taskgroup_cancel(g);
    } else if (err && ac_error_code(err) != ECANCELED) {
        g->body = ac_error_retain(err);
        fail(g);
    }
    exit_frame *f = &g->xf;
    /* Flagged as a coroutine object: finishing it does not pop the task's
       frame stack, which it is not on. */
    ac__frame_init(&f->hdr, caller, caller->task, exit_resume, sup, AC_FRAME_CORO);
    f->g = g;
    f->err = err;
    return ac__frame_start_fn(&f->hdr, exit_resume);
}

/* Group g, entered by its host and not exited, leaves the host: its host
 * ended inside it, or its value is released inside its block.  It is
 * cancelled, so that its children end soon, since nothing will wait for
 * them (the host's tree is walked while g is still in it), and its link is
 * cut off from the links outside it if `cut` (it was in the host's chain,
 * which goes). */
static void orphan(ac_taskgroup *g, bool cut)
{
    ac_taskgroup_cancel(g);
    leave_host(g);
    g->host = NULL;
    g->host_next = NULL;
    if (cut)
        g->link.up = NULL;
    g->state = ORPHANED;
}

bool ac__taskgroup_orphan(ac_task *t, ac__scope *link)
{
    if (!link) {
        while (t->groups) {
            /* Held by a generator paused inside it: the scopes of the
               generator outside it, bound to t so that their cancellation
               reaches its children, leave t too (ac__gen_yield_slow). */
            for (ac__scope *s = t->groups->link.up; s; s = s->up)
                if (!s->group && ac__scope_task(s) == t)
                    ac__scope_bind(s, NULL);
            orphan(t->groups, false);
        }
        return true;
    }
    for (ac_taskgroup *g = t->groups; g; g = g->host_next)
        if (&g->link == link) {
            orphan(g, true);
            return true;
        }
    return false;
}

ac_task *ac__taskgroup_host(const ac__scope *link)
{
    return ((const ac_taskgroup *)(const void *)link)->host;
}

void ac__taskgroup_rehost(ac__scope *top, ac_task *t)
{
    ac_taskgroup **at = &t->groups; /* where the next one goes */
    for (ac__scope *s = top; s; s = s->up) {
        ac_taskgroup *g = (ac_taskgroup *)(void *)s;
        if (!s->group || !g->host)
            continue; /* a scope's link, or orphaned: its task ended */
        if (g->host != t) {
            leave_host(g);
            g->host = t;
            g->host_next = *at;
            *at = g;
        }
        at = &g->host_next;
    }
}

/* The group outlives its exit (a spawn into it is then refused): the value
 * that made it frees it, `async with` over a call at the end of the
 * statement, a value in a variable with ac_cm_release.  An orphan with
 * children still running is freed by the last of them.  A value discarded
 * (ac_cm_drop: an exit stack freed without unwinding drops what it entered)
 * goes the same way, entered or not: dropped inside its block, it had been
 * left entered in its host, and its memory was never freed. */
static void group_free(void *self)
{
    ac_taskgroup *g = self;
    if (!g)
        return;
    if (g->state == OPEN && g->host && ac__bridge_call(group_free, g))
        return; /* on a pool thread: done on the loop of the host's tasks */
    if (g->state == OPEN && g->host) { /* released inside its block */
        ac__scope_unlink(g->host, &g->link);
        orphan(g, true);
    }
    if (g->alive) { /* an orphan's last child, or the exit, frees it */
        g->released = 1;
        return;
    }
    ac_error_release(g->errs);
    ac_error_release(g->lost);
    ac_error_release(g->body);
    ac__cancel_unnote(&g->noted);
    ac__pool_release(g, g->pooled);
}

static const ac_cm_class group_class = {
    .name = "task group",
    .enter = group_enter,
    .aexit_await = group_exit,
    .drop = group_free,
    .flags = AC_CM_TASK,
    .release = group_free,
};

static ac_cm make(int cancelling)
{
    bool pooled;
    ac_taskgroup *g = ac__pool_alloc(sizeof *g, &pooled);
    if (g) {
        memset(g, 0, sizeof *g);
        g->link.group = 1;
        g->pooled = pooled;
        g->cancelling = (unsigned char)cancelling;
    }
    return AC_CM(&group_class, g);
}

ac_cm ac_taskgroup_open(void) { return make(1); }
ac_cm ac_taskgroup_extra(void) { return make(0); }

ac_cm ac_taskgroup_new(unsigned flags)
{
    if (flags & ~AC_TG_NO_CANCEL)
        return ac__cm_refused("ac_taskgroup_new: unknown flags");
    return make(!(flags & AC_TG_NO_CANCEL));
}
