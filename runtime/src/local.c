/* local.c: task-local values (ac/local.h).
 *
 * A set of bindings is a block shared by reference count: every task, and
 * every thread for its code outside tasks, holds one reference (or NULL:
 * nothing bound).  Starting a task or a thread's function with a copy of
 * someone's bindings takes a reference; changing a binding changes the
 * block in place only when the changer holds the sole reference, and
 * otherwise makes a new block for itself (copy on write).  A block shared
 * is never written, so other threads (the bridge's) read it safely; the
 * count is atomic for the same reason.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "ac/local.h"
#include "internal.h"
#include "os.h"
#include "task.h"

typedef struct binding {
    const ac_local *var;
    void *value;
} binding;

struct ac__locals {
    atomic_size_t refs;
    size_t n, cap;      /* bindings used, room */
    binding b[];        /* in the order the variables were first set */
};

/* This thread's bindings for code outside tasks (owned). */
static AC__TLS ac__locals *outside;

ac__locals *ac__locals_ref(ac__locals *l)
{
    if (l)
        atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed);
    return l;
}

void ac__locals_unref(ac__locals *l)
{
    if (l && atomic_fetch_sub_explicit(&l->refs, 1, memory_order_acq_rel) == 1)
        ac__free(l);
}

ac__locals *ac__locals_outside(void)
{
    return outside;
}

static void outside_exit(void *unused)
{
    (void)unused;
    ac__locals_unref(outside);
    outside = NULL;
}

ac__locals *ac__locals_swap_outside(ac__locals *l)
{
    ac__locals *was = outside;
    outside = l;
    return was;
}

/* Where the running code's bindings are held. */
static ac__locals **current(void)
{
    ac_task *t = ac__task_current();
    return t ? &t->locals : &outside;
}

static binding *find(ac__locals *l, const ac_local *var)
{
    if (l)
        for (size_t i = 0; i < l->n; i++)
            if (l->b[i].var == var)
                return &l->b[i];
    return NULL;
}

void *ac_local_get(const ac_local *var)
{
    binding *b = find(*current(), var);
    return b ? b->value : NULL;
}

/* A block of its own for the holder of *slot, with room for `cap`
 * bindings and a copy of the current ones.  NULL without memory. */
static ac__locals *own(ac__locals **slot, size_t cap)
{
    ac__locals *old = *slot;
    size_t n = old ? old->n : 0;
    ac__locals *l = ac__malloc(sizeof *l + cap * sizeof(binding));
    if (!l)
        return NULL;
    atomic_init(&l->refs, 1);
    l->n = n;
    l->cap = cap;
    if (n)
        memcpy(l->b, old->b, n * sizeof(binding));
    ac__locals_unref(old);
    return *slot = l;
}

int ac_local_set(const ac_local *var, void *value)
{
    ac__locals **slot = current();
    ac__locals *l = *slot;
    binding *b = find(l, var);
    bool mine = l && atomic_load_explicit(&l->refs, memory_order_acquire) == 1;
    if (!mine || (!b && l->n == l->cap)) {
        size_t need = (l ? l->n : 0) + !b;
        /* A thread's own bindings are freed when it exits. */
        if (slot == &outside && ac__os_at_thread_exit(outside_exit, NULL))
            return ENOMEM;
        l = own(slot, need < 4 ? 4 : 2 * need);
        if (!l)
            return ENOMEM;
        b = find(l, var);
    }
    if (!b) {
        b = &l->b[l->n++];
        b->var = var;
    }
    b->value = value;
    return 0;
}
