/* pool.c: the per-thread pool of coroutine objects and the runtime's other
 * small objects (pool.h has the fast paths and the layout).
 *
 * Invariants of a heap, kept by its thread alone:
 *  - avail[c] lists slabs of class c.  Every slab on it has room (blocks on
 *    its free list or never-used space) except perhaps the head, which the
 *    fast path drains; the slow path takes a full head off the list.  A
 *    slab off the list is full, and goes back (at the tail) when a block of
 *    it is freed.
 *  - A slab whose last block is freed stays on its list (pool.h says why);
 *    ac_pool_trim() releases the empty ones, the thread's exit all of them,
 *    and so does running out of memory (ac__pool_shed): a slab or a malloc
 *    that fails is tried again once they are gone.
 *  - Blocks are handed out from the free list, else from the space never
 *    handed out (a bump pointer), so that a slab's untouched pages stay
 *    untouched.  A slab whose last live block is freed starts over from
 *    its first block (ac__pool_slab_reset), free list forgotten.
 *
 * Remote frees: a thread that frees a block of another thread's heap pushes
 * it on that heap's `remote` list (a Treiber stack; push only, the owner
 * takes the whole list with one exchange), so slabs are only ever touched
 * by their owner.  The owner takes the list when a class runs out of room.
 *
 * Orphans: when its thread exits, a heap takes its remote list a last time
 * and puts ORPHAN in its place, under the process-wide lock (ac__os_lock);
 * it releases its empty slabs, and itself if no block is live.  Otherwise
 * the heap lives on without a thread: a free that finds ORPHAN takes the
 * lock and does the accounting itself (the slab's live count), releasing a
 * slab whose count reaches 0 and the heap with its last slab.  The owner
 * sets ORPHAN while holding the lock, so such a free waits until the owner
 * is done; a push that came before ORPHAN is in the list the owner took.
 *
 * Slabs come from the system (ac__os_map), in regions of REGION bytes
 * that a heap hands out a slab at a time: aligned_alloc would map each
 * slab on its own (a 64 KiB slab aligned to 64 KiB is over glibc's mmap
 * threshold) with a page of its own header in front, 6% of resident
 * memory.  A slab goes back to the system on its own (ac__os_unmap).
 * Neither slabs nor heaps (malloc) go through ac__malloc: ac_alloc_fail_at
 * counts blocks, which are what the runtime asks for, once each.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ac/loop.h"
#include "os.h"
#include "pool.h"

/* Under AddressSanitizer and valgrind the pool is off unless forced on:
 * blocks carved from a slab are invisible to their checks. */
#if !defined(AC__ASAN) && defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND 1
#endif
#endif

/* Forced on under AddressSanitizer, slabs are memory LeakSanitizer does
 * not scan (mapped, not malloc'd): an object reached only from a live
 * block, as a task's error is, would be reported lost.  Each slab is a
 * root region while it is in use. */
#if defined(AC__ASAN) && defined(__has_include)
#if __has_include(<sanitizer/lsan_interface.h>)
#include <sanitizer/lsan_interface.h>
#define SCAN_SLAB(s) __lsan_register_root_region((s), AC__POOL_SLAB)
#define UNSCAN_SLAB(s) __lsan_unregister_root_region((s), AC__POOL_SLAB)
#endif
#endif
#ifndef SCAN_SLAB
#define SCAN_SLAB(s) ((void)(s))
#define UNSCAN_SLAB(s) ((void)(s))
#endif

#define HEAD AC__POOL_HEAD
#define REGION (16 * AC__POOL_SLAB) /* mapped at a time for slabs */

/* The remote list of a heap whose thread has exited. */
static char orphan_mark;
#define ORPHAN ((void *)&orphan_mark)

/* The heap of threads that have none: no slab has room, so each allocation
 * goes to the slow path, which makes the thread's own heap. */
static ac__slab empty_slab;
#define E4 &empty_slab, &empty_slab, &empty_slab, &empty_slab
static ac__pool_heap empty_heap = {.avail = {E4, E4, E4, E4, E4, E4, E4, E4}};
_Static_assert(AC__POOL_CLASSES == 32, "empty_heap has one empty slab per class");

AC__TLS ac__pool_heap *ac__pool_mine = &empty_heap;

static _Atomic int forced = -1; /* ac__pool_force's mode, or -1 */
static _Atomic int env_mode;    /* AC_POOL: 0 unread, else one of below */
enum { ENV_DEFAULT = 1, ENV_ON, ENV_OFF, ENV_CHECK };
static AC__TLS bool thread_off; /* this thread has decided against it */
static _Atomic size_t nheaps;   /* heaps alive (ac__pool_heaps) */

/* ---------------------------------------------------------- on or off */

static int env_setting(void)
{
    int m = atomic_load_explicit(&env_mode, memory_order_relaxed);
    if (!m) {
        const char *v = getenv("AC_POOL");
        m = !v                     ? ENV_DEFAULT
            : !strcmp(v, "0")      ? ENV_OFF
            : !strcmp(v, "1")      ? ENV_ON
            : !strcmp(v, "check") ? ENV_CHECK
                                   : ENV_DEFAULT;
        atomic_store_explicit(&env_mode, m, memory_order_relaxed);
    }
    return m;
}

/* Is a tool checking each block (then the pool would blind it)? */
static bool tools_watch(void)
{
#if defined(AC__ASAN)
    return true;
#elif defined(HAVE_VALGRIND)
    return RUNNING_ON_VALGRIND;
#else
    return false;
#endif
}

static bool pool_wanted(void)
{
    int f = atomic_load_explicit(&forced, memory_order_relaxed);
    if (f >= 0)
        return f;
    int e = env_setting();
    return e == ENV_DEFAULT || e == ENV_CHECK ? !tools_watch() : e == ENV_ON;
}

void ac__pool_decline(void)
{
    if (ac__pool_mine == &empty_heap)
        thread_off = true;
}

void ac__pool_force(int mode)
{
    atomic_store_explicit(&forced, mode, memory_order_relaxed);
    thread_off = false;
}

/* ---------------------------------------------------------- slab lists */

static unsigned class_of(const ac__slab *s)
{
    return s->size / AC__POOL_GRAIN - 1;
}

static void list_back(ac__pool_heap *h, ac__slab *s)
{
    unsigned c = class_of(s);
    s->next = NULL;
    s->prev = h->tail[c];
    if (s->prev)
        s->prev->next = s;
    else
        h->avail[c] = s;
    h->tail[c] = s;
    s->listed = true;
}

static void unlist(ac__pool_heap *h, ac__slab *s)
{
    unsigned c = class_of(s);
    if (s->prev)
        s->prev->next = s->next;
    else
        h->avail[c] = s->next ? s->next : &empty_slab;
    if (s->next)
        s->next->prev = s->prev;
    else
        h->tail[c] = s->prev;
    s->listed = false;
}

/* ---------------------------------------------------------- slabs */

/* Slab colors: slabs are aligned to 64 KiB, so without them the first
 * block of every slab would have the same address modulo 4096, and a
 * program's few long-lived objects are first blocks (an emptied slab starts
 * over from its first block): the frames and tasks of two tasks that take
 * turns, say.  A load whose address has the same low 12 bits as an older
 * store to another object waits for that store (4K aliasing), and each
 * switch between such tasks did: the event ping-pong took 15.3 ns per round
 * trip, 11.4 with colors.  Each new slab starts its blocks COLOR_STEP bytes
 * further on than the one before, over COLORS steps that spread the first
 * blocks over the page (with steps of 128 bytes, a slab's first few blocks
 * still overlapped those of another: 12.3 ns in the whole benchmark run,
 * against 11.7).  A slab loses its color's bytes: 3% of its room on
 * average. */
#define COLOR_STEP 256u
#define COLORS 16u

/* A new slab of class c, alone on its list (which was empty).  NULL
 * without memory. */
static ac__slab *slab_new(ac__pool_heap *h, unsigned c)
{
    if (h->reserve == h->reserve_end) {
        char *r = ac__os_map(REGION, AC__POOL_SLAB);
        if (!r && ac__pool_shed()) /* the empty slabs of other classes */
            r = ac__os_map(REGION, AC__POOL_SLAB);
        if (!r)
            return NULL;
        h->reserve = r;
        h->reserve_end = r + REGION;
    }
    ac__slab *s = (ac__slab *)(void *)h->reserve;
    h->reserve += AC__POOL_SLAB;
    SCAN_SLAB(s);
    s->free = NULL;
    s->heap = h;
    s->live = 0;
    s->size = (uint32_t)(c + 1) * AC__POOL_GRAIN;
    s->color = (uint16_t)(h->made++ % COLORS * COLOR_STEP);
    ac__pool_slab_reset(s);
    s->end = s->bump + (AC__POOL_SLAB - HEAD - s->color) / s->size * s->size;
    s->all_prev = NULL;
    s->all_next = h->all;
    if (h->all)
        h->all->all_prev = s;
    h->all = s;
    h->nslabs++;
    list_back(h, s);
    return s;
}

/* Give s (no block live, off its list) back to the system. */
static void slab_forget(ac__pool_heap *h, ac__slab *s)
{
    if (s->all_prev)
        s->all_prev->all_next = s->all_next;
    else
        h->all = s->all_next;
    if (s->all_next)
        s->all_next->all_prev = s->all_prev;
    h->nslabs--;
    UNSCAN_SLAB(s);
    ac__os_unmap(s, AC__POOL_SLAB);
}

/* ---------------------------------------------------------- the owner */

/* Free p, a block of slab s of this thread's heap h (ac__pool_free's
 * rules). */
static void free_local(ac__pool_heap *h, ac__slab *s, void *p)
{
    if (!s->listed)
        list_back(h, s);
    if (--s->live == 0) {
        ac__pool_slab_reset(s);
        return;
    }
    *(void **)p = s->free;
    s->free = p;
}

/* Free here the blocks that other threads freed into h. */
static void collect(ac__pool_heap *h)
{
    if (!atomic_load_explicit(&h->remote, memory_order_relaxed))
        return;
    /* Acquire: the pushers' writes of the links (release) are visible. */
    void *p = atomic_exchange_explicit(&h->remote, NULL, memory_order_acquire);
    while (p) {
        void *next = *(void **)p;
        free_local(h, ac__pool_slab(p), p);
        p = next;
    }
}

/* The head of class c's list, with a block on its free list: from the
 * head's never-used space, the next slab, the blocks freed by other
 * threads, or a new slab.  NULL without memory. */
static ac__slab *refill(ac__pool_heap *h, unsigned c)
{
    bool collected = false;
    for (;;) {
        ac__slab *s = h->avail[c];
        if (s == &empty_slab) {
            if (collected)
                return slab_new(h, c);
            collect(h);
            collected = true;
        } else if (s->free || s->bump < s->end) {
            return s;
        } else {
            unlist(h, s); /* full: back on the list when a block is freed */
        }
    }
}

static void heap_exit(void *arg);

/* AC_POOL=check (the test suite's setting; the pool is on or off as by
 * default): when the process exits, the thread that calls exit (the main
 * thread, after main returns) must hold no block, that is no coroutine
 * object or manager value that was never freed; otherwise it says how many and the exit
 * status becomes 3.  The pool blinds valgrind and LeakSanitizer to such
 * leaks (which is why it stands aside under them): this sees them.  A
 * destructor runs after the atexit handlers that the program registered,
 * which may still free objects; without one, an atexit handler registered
 * with the first heap does. */
static _Atomic bool checking; /* a heap was made with AC_POOL=check */

static void check_at_exit(void)
{
    if (!atomic_load_explicit(&checking, memory_order_relaxed))
        return;
    size_t n = ac__pool_live();
    if (n) {
        fprintf(stderr,
                "libac: AC_POOL=check: %zu object%s never freed (coroutine objects, "
                "exit stacks, cancel scopes, task groups)\n",
                n, n == 1 ? "" : "s");
        fflush(NULL);
        _Exit(3);
    }
}

#if defined(__GNUC__)
__attribute__((destructor)) static void check_destructor(void)
{
    check_at_exit();
}
#endif

static void check_once(void)
{
    if (atomic_load_explicit(&forced, memory_order_relaxed) >= 0 || env_setting() != ENV_CHECK ||
        atomic_exchange_explicit(&checking, true, memory_order_relaxed))
        return;
#if !defined(__GNUC__)
    atexit(check_at_exit);
#endif
}

/* This thread's heap, made on first use.  NULL if the thread does not use
 * the pool (or has no memory for a heap: it then never will). */
static ac__pool_heap *heap_get(void)
{
    if (ac__pool_mine != &empty_heap)
        return ac__pool_mine;
    if (thread_off)
        return NULL;
    ac__pool_heap *h = pool_wanted() ? malloc(sizeof *h) : NULL;
    if (h && ac__os_at_thread_exit(heap_exit, h)) {
        free(h);
        h = NULL;
    }
    if (!h) {
        thread_off = true;
        return NULL;
    }
    for (unsigned c = 0; c < AC__POOL_CLASSES; c++) {
        h->avail[c] = &empty_slab;
        h->tail[c] = NULL;
    }
    h->all = NULL;
    h->nslabs = 0;
    h->made = 0;
    h->reserve = h->reserve_end = NULL;
    atomic_init(&h->remote, NULL);
    atomic_fetch_add_explicit(&nheaps, 1, memory_order_relaxed);
    check_once();
    return ac__pool_mine = h;
}

void *ac__pool_alloc_slow(size_t n, bool *pooled)
{
    *pooled = false;
    ac__pool_heap *h = n - 1 < AC__POOL_MAX ? heap_get() : NULL;
    if (!h)
        return ac__malloc(n);
    if (ac__alloc_injected())
        return NULL;
    ac__slab *s = refill(h, (unsigned)(n - 1) / AC__POOL_GRAIN);
    if (!s)
        return NULL;
    *pooled = true;
    return ac__pool_take(s);
}

/* ---------------------------------------------------------- orphans */

static void heap_release(ac__pool_heap *h)
{
    free(h);
    atomic_fetch_sub_explicit(&nheaps, 1, memory_order_relaxed);
}

/* Count off a block of slab s of orphaned heap h, under the lock.  True
 * when h has no slab left (then nothing can reach it). */
static bool orphan_put(ac__pool_heap *h, ac__slab *s)
{
    if (--s->live == 0)
        slab_forget(h, s);
    return h->all == NULL;
}

/* The thread of h exits (thread-exit hook). */
static void heap_exit(void *arg)
{
    ac__pool_heap *h = arg;
    if (ac__pool_mine == h)
        ac__pool_mine = &empty_heap; /* a later allocation makes a new one */
    ac__os_lock();
    void *p = atomic_exchange_explicit(&h->remote, ORPHAN, memory_order_acquire);
    while (p) {
        void *next = *(void **)p;
        orphan_put(h, ac__pool_slab(p));
        p = next;
    }
    for (ac__slab *s = h->all, *next; s; s = next) {
        next = s->all_next;
        if (s->live == 0)
            slab_forget(h, s);
    }
    if (h->reserve != h->reserve_end)
        ac__os_unmap(h->reserve, (size_t)(h->reserve_end - h->reserve));
    h->reserve = h->reserve_end = NULL;
    bool last = h->all == NULL;
    ac__os_unlock();
    if (last)
        heap_release(h);
}

static void free_orphaned(ac__pool_heap *h, void *p)
{
    ac__os_lock();
    bool last = orphan_put(h, ac__pool_slab(p));
    ac__os_unlock();
    if (last)
        heap_release(h);
}

/* ---------------------------------------------------------- frees */

static void free_remote(ac__pool_heap *h, void *p)
{
    void *head = atomic_load_explicit(&h->remote, memory_order_relaxed);
    do {
        if (head == ORPHAN) {
            free_orphaned(h, p);
            return;
        }
        *(void **)p = head;
    } while (!atomic_compare_exchange_weak_explicit(&h->remote, &head, p,
                                                    memory_order_release,
                                                    memory_order_relaxed));
}

void ac__pool_free_slow(void *p)
{
    ac__slab *s = ac__pool_slab(p);
    if (s->heap == ac__pool_mine)
        free_local(s->heap, s, p);
    else
        free_remote(s->heap, p);
}

/* ---------------------------------------------------------- trimming */

size_t ac__pool_shed(void)
{
    ac__pool_heap *h = ac__pool_mine;
    if (h == &empty_heap)
        return 0;
    collect(h);
    size_t n = 0;
    for (ac__slab *s = h->all, *next; s; s = next) {
        next = s->all_next;
        if (s->live == 0) {
            if (s->listed)
                unlist(h, s);
            slab_forget(h, s);
            n++;
        }
    }
    return n;
}

void ac_pool_trim(void)
{
    (void)ac__pool_shed();
}

/* ---------------------------------------------------------- for tests */

size_t ac__pool_live(void)
{
    ac__pool_heap *h = ac__pool_mine;
    size_t n = 0;
    if (h == &empty_heap)
        return 0;
    collect(h);
    for (ac__slab *s = h->all; s; s = s->all_next)
        n += s->live;
    return n;
}

size_t ac__pool_slabs(void)
{
    ac__pool_heap *h = ac__pool_mine;
    if (h == &empty_heap)
        return 0;
    collect(h);
    return h->nslabs;
}

size_t ac__pool_heaps(void)
{
    return atomic_load_explicit(&nheaps, memory_order_relaxed);
}
