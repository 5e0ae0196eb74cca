/* pool.h: a per-thread pool of small blocks for coroutine objects and the
 * runtime's other small objects made per use (exit stacks and their
 * entries, cancel scopes, task groups, a task's first frame-stack
 * segment) (pool.c).
 *
 * Spawning a task allocates two blocks (its coroutine's frame, and the task
 * when it starts) and frees them when the task ends; malloc and free cost
 * more than the rest of the runtime on that path (and twice what an exit stack's push and
 * unwind cost otherwise).  Here each thread has a heap of 64 KiB slabs
 * that hold blocks of one size class each (a multiple of 16 bytes up to
 * AC__POOL_MAX).  A slab is aligned to its size, so a block finds its slab
 * by masking its address and carries no header.  The common cases, a block
 * from the slab at the head of its class's list (its free list first, then
 * its space never handed out) and a free on the owner thread, are the
 * inline functions below; everything else goes out of line.
 *
 * A slab whose blocks are all free stays with its thread, as malloc keeps
 * freed small chunks on its own lists: a program that runs a million tasks
 * at a time, again and again, reuses the same slabs (and the same resident
 * pages) instead of asking the system each time.  ac_pool_trim() gives the
 * empty slabs of the calling thread back; a thread's exit gives back all.
 *
 * A block may be freed on any thread: the free goes on its owner heap's
 * atomic list of remote frees, which the owner takes when it runs short and
 * when its thread exits.  pool.c has the protocol, including heaps whose
 * thread has exited with blocks still live.
 *
 * The pool is off (every block from ac__malloc) under AddressSanitizer and
 * valgrind, so that they keep checking each block, and with AC_POOL=0 in the
 * environment; AC_POOL=1 turns it on even there.
 */
#ifndef AC_POOL_H
#define AC_POOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define AC__POOL_GRAIN 16                  /* class step, block alignment */
#define AC__POOL_MAX 512                   /* the largest pooled request */
#define AC__POOL_CLASSES (AC__POOL_MAX / AC__POOL_GRAIN)
#define AC__POOL_SLAB ((size_t)64 * 1024)  /* a slab's size and alignment */

/* A block of n bytes, 16-byte aligned, for a coroutine object.  Counts as
 * one allocation for ac_alloc_fail_at (an injected failure returns NULL).
 * *pooled says whether it came from the pool (free it with ac__pool_free)
 * or from ac__malloc (n == 0 or over AC__POOL_MAX, or the pool is off: free
 * it with ac__free).  NULL without memory. */
static inline void *ac__pool_alloc(size_t n, bool *pooled);
/* Free a block that ac__pool_alloc returned with *pooled true, on any
 * thread. */
static inline void ac__pool_free(void *p);

/* Release this thread's empty slabs (ac_pool_trim): how many.  What the
 * allocators try before they give up for lack of memory. */
size_t ac__pool_shed(void);

/* This thread takes its blocks from malloc (if it has no heap yet): a
 * thread whose objects are freed elsewhere (the bridge's pool threads). */
void ac__pool_decline(void);

/* For tests: this thread's blocks handed out and not freed (those freed by
 * other threads included), and the slabs its heap holds. */
size_t ac__pool_live(void);
size_t ac__pool_slabs(void);
/* For tests: heaps in the process, those of exited threads that still have
 * live blocks included. */
size_t ac__pool_heaps(void);
/* For tests: 1 turns the pool on (even under ASan or valgrind), 0 off, -1
 * back to the default (the environment, then the tools).  It applies to
 * threads that have no heap yet, the calling thread included; a thread
 * decides when it first allocates. */
void ac__pool_force(int mode);

/* ---------------------------------------------------------- failure injection */

/* Allocations left before the one that ac_alloc_fail_at() fails (alloc.c).
 * It counts down through 0 only at that allocation. */
extern AC__TLS unsigned long ac__alloc_left;

/* Count one allocation; true if it is the one to fail. */
static inline bool ac__alloc_injected(void)
{
    return --ac__alloc_left == 0;
}

/* ---------------------------------------------------------- the fast paths */

typedef struct ac__pool_heap ac__pool_heap;

/* The header at the start of each slab; its blocks follow. */
typedef struct ac__slab {
    void *free;               /* blocks to hand out, linked by first word */
    ac__pool_heap *heap;      /* the owner; set once.  Other threads
                                 read only this field (but the slabs of
                                 an orphan belong to the lock) */
    uint32_t live;            /* blocks handed out and not freed here */
    uint32_t size;            /* block size: (class + 1) * AC__POOL_GRAIN */
    bool listed;              /* on the heap's list for the class */
    uint16_t color;           /* bytes left unused before the first block
                                 (pool.c, slab_new: why) */
    char *bump, *end;         /* [bump, end): blocks never handed out (since
                                 the slab was last empty) */
    struct ac__slab *prev, *next;          /* that list */
    struct ac__slab *all_prev, *all_next;  /* every slab of the heap */
} ac__slab;

/* A thread's heap. */
struct ac__pool_heap {
    ac__slab *avail[AC__POOL_CLASSES]; /* per class: slabs that may have
                                          room, head first; a shared empty
                                          slab when none, never NULL */
    ac__slab *tail[AC__POOL_CLASSES];  /* last of each list, or NULL */
    ac__slab *all;                     /* every slab */
    size_t nslabs;
    unsigned made;                     /* slabs made so far: picks the color */
    char *reserve, *reserve_end;       /* mapped for slabs, not yet used */
    _Atomic(void *) remote;            /* blocks freed by other threads */
};

/* This thread's heap; until it has one, a shared heap whose lists hold only
 * the empty slab, so the fast path needs no test for it. */
extern AC__TLS ac__pool_heap *ac__pool_mine;

void *ac__pool_alloc_slow(size_t n, bool *pooled);
void ac__pool_free_slow(void *p);

static inline ac__slab *ac__pool_slab(void *p)
{
    return (ac__slab *)((uintptr_t)p & ~(uintptr_t)(AC__POOL_SLAB - 1));
}

/* The size of a slab's header; its first block follows it and its color
 * (ac__pool_slab_reset). */
#define AC__POOL_HEAD \
    ((sizeof(ac__slab) + AC__POOL_GRAIN - 1) / AC__POOL_GRAIN * AC__POOL_GRAIN)

/* Slab s has no block live: forget its free list and hand its blocks out
 * in address order again.  A run of allocations then reads no link from
 * memory it has not touched for a while (a free list, whose order is that
 * of the frees, would make each allocation wait for the block it pops),
 * and the blocks of objects made together are neighbours. */
static inline void ac__pool_slab_reset(ac__slab *s)
{
    s->free = NULL;
    s->bump = (char *)s + AC__POOL_HEAD + s->color;
}

/* Take a block of slab s, which has room: from its free list, else from
 * its space never handed out. */
static inline void *ac__pool_take(ac__slab *s)
{
    char *p = s->free;
    if (p) {
        s->free = *(void **)(void *)p;
    } else {
        p = s->bump;
        s->bump = p + s->size;
    }
    s->live++;
    return p;
}

/* Out of line: n == 0 or over the maximum, a thread's first block, and a
 * class whose head slab has no block left (the slow path moves
 * to the next slab, takes the remote frees, or makes a slab). */
static inline void *ac__pool_alloc(size_t n, bool *pooled)
{
    if (n - 1 < AC__POOL_MAX) { /* n == 0 wraps around: not pooled */
        ac__slab *s = ac__pool_mine->avail[(n - 1) / AC__POOL_GRAIN];
        /* (The shared empty slab has NULL everywhere.) */
        if (s->free || (uintptr_t)s->bump < (uintptr_t)s->end) {
            if (ac__alloc_injected()) {
                *pooled = false;
                return NULL;
            }
            *pooled = true;
            return ac__pool_take(s);
        }
    }
    return ac__pool_alloc_slow(n, pooled);
}

/* Out of line: a free on another thread, or into a full slab (it goes back
 * on its list).  A slab that empties stays with its thread (ac_pool_trim). */
static inline void ac__pool_free(void *p)
{
    ac__slab *s = ac__pool_slab(p);
    if (s->heap != ac__pool_mine || !s->listed) {
        ac__pool_free_slow(p);
        return;
    }
    if (--s->live == 0) { /* all free: hand the slab out from its start again */
        ac__pool_slab_reset(s);
        return;
    }
    *(void **)p = s->free;
    s->free = p;
}

/* Free block p, which ac__pool_alloc returned with *pooled as `pooled`. */
static inline void ac__pool_release(void *p, bool pooled)
{
    if (pooled)
        ac__pool_free(p);
    else
        ac__free(p);
}

#endif /* AC_POOL_H */
