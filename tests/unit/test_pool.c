/* test_pool.c: the pool of coroutine objects (pool.h) and the thread-exit
 * hooks it shares with the loop (os.h).  main() forces the pool on, so that
 * the real pool is tested under ASan and valgrind too (it is off there by
 * default).  cmocka's assertions run on the main thread only: other threads
 * record what they see and the test checks it after joining them. */
#define _POSIX_C_SOURCE 200809L /* setenv, fork, waitpid, barriers */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ac/ac.h"
#include "internal.h"
#include "os.h"
#include "pool.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND 1
#endif
#endif

#define BLOCK 240                             /* a task and its frame */
#define PER_SLAB (AC__POOL_SLAB / BLOCK)      /* at most, with the header */
#define MANY (5 * PER_SLAB + 7)               /* some slabs and a bit */

static void *take(size_t n)
{
    bool pooled = false;
    void *p = ac__pool_alloc(n, &pooled);
    assert_non_null(p);
    assert_true(pooled);
    return p;
}

static void run_thread(void *(*fn)(void *), void *arg)
{
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, fn, arg), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
}

/* For threads: n pooled blocks of BLOCK bytes, or false. */
static bool alloc_many(void **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool pooled;
        v[i] = ac__pool_alloc(BLOCK, &pooled);
        if (!v[i] || !pooled)
            return false;
    }
    return true;
}

static void free_many(void **v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        ac__pool_free(v[i]);
}

/* ---------------------------------------------------------- one thread */

/* Every size from 1 to the maximum is pooled, 16-byte aligned, and two
 * blocks of a class do not overlap. */
static void test_alignment(void **state)
{
    (void)state;
    size_t live = ac__pool_live();
    for (size_t n = 1; n <= AC__POOL_MAX; n++) {
        unsigned char *p = take(n), *q = take(n);
        assert_int_equal((uintptr_t)p % 16, 0);
        assert_int_equal((uintptr_t)q % 16, 0);
        size_t gap = p < q ? (size_t)(q - p) : (size_t)(p - q);
        assert_true(gap >= (n + 15) / 16 * 16);
        memset(p, 0xa5, n);
        memset(q, 0x5a, n);
        assert_int_equal(p[n - 1], 0xa5);
        assert_int_equal(ac__pool_live(), live + 2);
        ac__pool_free(p);
        ac__pool_free(q);
    }
    assert_int_equal(ac__pool_live(), live);
}

/* A freed block is the next one handed out in its class (any size of the
 * class), and not in another class. */
static void test_reuse(void **state)
{
    (void)state;
    void *p = take(BLOCK);
    ac__pool_free(p);
    void *q = take(BLOCK - 15);
    assert_ptr_equal(q, p);
    ac__pool_free(q);
    void *r = take(BLOCK + 1);
    assert_ptr_not_equal(r, p);
    ac__pool_free(r);
}

/* A slab whose blocks are all free again hands them out from its start, in
 * address order, whatever order they were freed in; while one is live, a
 * freed block is reused first. */
static void test_empty_slab_restarts(void **state)
{
    (void)state;
    enum { K = 40 }; /* fewer than a slab holds */
    void *v[K];
    ac_pool_trim();
    for (size_t i = 0; i < K; i++) {
        v[i] = take(BLOCK);
        assert_ptr_equal(ac__pool_slab(v[i]), ac__pool_slab(v[0]));
        if (i)
            assert_ptr_equal(v[i], (char *)v[i - 1] + BLOCK); /* neighbours */
    }
    for (size_t i = 1; i < K; i += 2) /* the odd ones, then the even ones */
        ac__pool_free(v[i]);
    void *again = take(BLOCK); /* v[0] is live: the last freed comes back */
    assert_ptr_equal(again, v[K - 1]);
    ac__pool_free(again);
    for (size_t i = 0; i < K; i += 2)
        ac__pool_free(v[i]);
    for (size_t i = 0; i < K; i++) {
        void *p = take(BLOCK);
        assert_ptr_equal(p, v[i]);
    }
    for (size_t i = 0; i < K; i++)
        ac__pool_free(v[i]);
}

/* The first blocks of slabs made one after another are at least 64 bytes
 * apart modulo 4096 (slab colors, pool.c): two tasks' frames, first blocks
 * of their classes, must not alias in the low 12 bits of their addresses,
 * which stalls a load behind a store to the other one. */
static void test_slab_colors(void **state)
{
    (void)state;
    enum { K = 8 };
    void *v[K];
    ac_pool_trim();
    size_t slabs = ac__pool_slabs();
    for (size_t i = 0; i < K; i++) /* classes of 48, 80, ... bytes: new slabs */
        v[i] = take(48 + 32 * i);
    assert_int_equal(ac__pool_slabs(), slabs + K);
    for (size_t i = 0; i < K; i++) {
        for (size_t j = 0; j < i; j++) {
            size_t a = (uintptr_t)v[i] % 4096, b = (uintptr_t)v[j] % 4096;
            size_t d = a > b ? a - b : b - a;
            if (d > 2048)
                d = 4096 - d;
            assert_true(d >= 64);
        }
    }
    for (size_t i = 0; i < K; i++)
        ac__pool_free(v[i]);
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return x < y ? -1 : x > y;
}

/* Blocks over several slabs are distinct and keep their contents; once all
 * are freed, in any order, no block is live, the slabs stay for the next
 * round (which makes none), and ac_pool_trim gives them all back. */
static void test_many_slabs(void **state)
{
    (void)state;
    ac_pool_trim();
    size_t live = ac__pool_live(), slabs = ac__pool_slabs(), peak = 0;
    static void *v[MANY], *sorted[MANY];
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < MANY; i++) {
            v[i] = take(BLOCK);
            memset(v[i], (int)(i & 0xff), BLOCK);
        }
        assert_int_equal(ac__pool_live(), live + MANY);
        assert_true(ac__pool_slabs() >= slabs + (MANY + PER_SLAB - 1) / PER_SLAB);
        if (round == 0)
            peak = ac__pool_slabs();
        assert_int_equal(ac__pool_slabs(), peak); /* round 1 reuses them */
        memcpy(sorted, v, sizeof v);
        qsort(sorted, MANY, sizeof *sorted, by_address);
        for (size_t i = 1; i < MANY; i++)
            assert_true((char *)sorted[i] - (char *)sorted[i - 1] >= BLOCK);
        for (size_t i = 0; i < MANY; i++)
            assert_int_equal(((unsigned char *)v[i])[BLOCK - 1], i & 0xff);
        /* Round 0 frees in order, round 1 with a stride prime to MANY. */
        for (size_t k = 0; k < MANY; k++)
            ac__pool_free(v[round ? k * 97 % MANY : k]);
        assert_int_equal(ac__pool_live(), live);
        assert_int_equal(ac__pool_slabs(), peak);
    }
    ac_pool_trim();
    assert_int_equal(ac__pool_slabs(), slabs);
}

/* ac_pool_trim releases the empty slabs only: a slab with one live block
 * stays, and so does that block's content. */
static void test_trim_keeps_live(void **state)
{
    (void)state;
    ac_pool_trim();
    size_t slabs = ac__pool_slabs();
    static void *v[MANY];
    for (size_t i = 0; i < MANY; i++)
        v[i] = take(BLOCK);
    size_t peak = ac__pool_slabs();
    assert_true(peak > slabs + 1);
    void *kept = v[MANY - 1];
    memset(kept, 0x5a, BLOCK);
    free_many(v, 0, MANY - 1);
    ac_pool_trim();
    assert_int_equal(ac__pool_slabs(), slabs + 1);
    assert_int_equal(((unsigned char *)kept)[BLOCK - 1], 0x5a);
    void *again = take(BLOCK); /* the kept slab still hands out blocks */
    assert_ptr_equal(ac__pool_slab(again), ac__pool_slab(kept));
    ac__pool_free(again);
    ac__pool_free(kept);
    ac_pool_trim();
    assert_int_equal(ac__pool_slabs(), slabs);
    ac_pool_trim(); /* nothing left to do */
    assert_int_equal(ac__pool_slabs(), slabs);
}

/* Allocating and freeing one block at a slab boundary (the slab before
 * it full) keeps the new slab while empty, instead of releasing it; the
 * emptied slabs stay until ac_pool_trim. */
static void test_boundary_no_thrash(void **state)
{
    (void)state;
    static void *v[AC__POOL_SLAB / AC__POOL_MAX + 2];
    size_t slabs = ac__pool_slabs(), n = 0;
    v[n++] = take(AC__POOL_MAX); /* a slab of the class is in use */
    size_t before = ac__pool_slabs();
    while (ac__pool_slabs() == before && n < sizeof v / sizeof *v)
        v[n++] = take(AC__POOL_MAX);
    size_t peak = ac__pool_slabs();
    assert_int_equal(peak, before + 1);
    ac__pool_free(v[--n]); /* the new slab is empty */
    for (int i = 0; i < 100; i++) {
        assert_int_equal(ac__pool_slabs(), peak);
        void *p = take(AC__POOL_MAX);
        assert_int_equal(ac__pool_slabs(), peak);
        ac__pool_free(p);
    }
    assert_int_equal(ac__pool_slabs(), peak);
    free_many(v, 0, n);
    assert_int_equal(ac__pool_slabs(), peak);
    ac_pool_trim();
    assert_true(ac__pool_slabs() <= slabs);
}

/* A request over the maximum, or of 0 bytes, comes from malloc. */
static void test_over_max_not_pooled(void **state)
{
    (void)state;
    size_t live = ac__pool_live();
    bool pooled = true;
    void *p = ac__pool_alloc(AC__POOL_MAX + 1, &pooled);
    assert_non_null(p);
    assert_false(pooled);
    assert_int_equal(ac__pool_live(), live);
    memset(p, 0, AC__POOL_MAX + 1);
    ac__free(p);
    pooled = true;
    p = ac__pool_alloc(0, &pooled);
    assert_false(pooled);
    ac__free(p);
    ac__pool_free(take(AC__POOL_MAX));
}

/* Each block counts as one allocation for ac_alloc_fail_at, and the n-th
 * one fails (NULL, not pooled) without taking a block. */
static void test_fail_at(void **state)
{
    (void)state;
    size_t live = ac__pool_live();
    ac_alloc_fail_at(3);
    bool pooled = true;
    void *a = take(BLOCK), *b = take(BLOCK);
    assert_null(ac__pool_alloc(BLOCK, &pooled));
    assert_false(pooled);
    void *c = take(BLOCK);
    assert_int_equal(ac_alloc_fail_at(0), 4);
    assert_int_equal(ac__pool_live(), live + 3);
    ac__pool_free(a);
    ac__pool_free(b);
    ac__pool_free(c);
    /* Over the maximum: counted once, through ac__malloc. */
    ac_alloc_fail_at(1);
    assert_null(ac__pool_alloc(AC__POOL_MAX + 1, &pooled));
    assert_false(pooled);
    assert_int_equal(ac_alloc_fail_at(0), 1);
}

typedef struct fail_result {
    bool first_null, first_pooled, second_pooled;
    size_t slabs_after_fail;
    unsigned long made;
} fail_result;

static void *fail_first_on_new_thread(void *arg)
{
    fail_result *r = arg;
    ac_alloc_fail_at(1);
    bool pooled = true;
    void *p = ac__pool_alloc(BLOCK, &pooled); /* the slow path: new heap */
    r->first_null = p == NULL;
    r->first_pooled = pooled;
    r->slabs_after_fail = ac__pool_slabs();
    p = ac__pool_alloc(BLOCK, &pooled);
    r->second_pooled = p && pooled;
    r->made = ac_alloc_fail_at(0);
    if (p)
        ac__pool_free(p);
    return NULL;
}

/* The slow path (a thread's first block) counts once too, and a failed
 * allocation makes no slab. */
static void test_fail_at_slow_path(void **state)
{
    (void)state;
    size_t heaps = ac__pool_heaps();
    fail_result r = {0};
    run_thread(fail_first_on_new_thread, &r);
    assert_true(r.first_null);
    assert_false(r.first_pooled);
    assert_int_equal(r.slabs_after_fail, 0);
    assert_true(r.second_pooled);
    assert_int_equal(r.made, 2);
    assert_int_equal(ac__pool_heaps(), heaps);
}

/* ---------------------------------------------------------- across threads */

typedef struct handoff {
    void *v[MANY];
    bool ok;
    size_t live, slabs;        /* seen by the owner at the end */
    pthread_barrier_t made, freed;
} handoff;

static void *owner_waits(void *arg)
{
    handoff *h = arg;
    h->ok = alloc_many(h->v, MANY);
    pthread_barrier_wait(&h->made);
    pthread_barrier_wait(&h->freed); /* the main thread frees them all */
    h->live = ac__pool_live();
    h->slabs = ac__pool_slabs();
    return NULL;
}

/* Blocks of a live thread freed on another: the owner sees them come back
 * (no block live, its slabs kept for reuse), and its heap goes with it. */
static void test_remote_free(void **state)
{
    (void)state;
    static handoff h;
    size_t heaps = ac__pool_heaps();
    pthread_barrier_init(&h.made, NULL, 2);
    pthread_barrier_init(&h.freed, NULL, 2);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, owner_waits, &h), 0);
    pthread_barrier_wait(&h.made);
    assert_int_equal(ac__pool_heaps(), heaps + 1);
    if (h.ok)
        free_many(h.v, 0, MANY);
    pthread_barrier_wait(&h.freed);
    pthread_join(th, NULL);
    pthread_barrier_destroy(&h.made);
    pthread_barrier_destroy(&h.freed);
    assert_true(h.ok);
    assert_int_equal(h.live, 0);
    assert_true(h.slabs >= (MANY + PER_SLAB - 1) / PER_SLAB); /* every slab it made */
    assert_true(h.slabs <= (MANY + PER_SLAB - 1) / PER_SLAB + 1);
    assert_int_equal(ac__pool_heaps(), heaps);
}

typedef struct orphan {
    void *v[MANY];
    bool ok;
    pthread_barrier_t made, early_freed;
} orphan;

static void *owner_exits(void *arg)
{
    orphan *o = arg;
    o->ok = alloc_many(o->v, MANY);
    pthread_barrier_wait(&o->made);
    pthread_barrier_wait(&o->early_freed);
    return NULL; /* its remote list holds the early frees */
}

/* Blocks of a thread that has exited (its heap orphaned) freed on another
 * thread, some before and most after the exit: the heap lives while a
 * block does and is freed with the last one. */
static void test_orphan(void **state)
{
    (void)state;
    static orphan o;
    size_t heaps = ac__pool_heaps();
    static const size_t earlies[] = {0, MANY / 3, MANY - 1, MANY};
    for (size_t k = 0; k < sizeof earlies / sizeof *earlies; k++) {
        size_t early = earlies[k];
        pthread_barrier_init(&o.made, NULL, 2);
        pthread_barrier_init(&o.early_freed, NULL, 2);
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, owner_exits, &o), 0);
        pthread_barrier_wait(&o.made);
        if (o.ok)
            free_many(o.v, 0, early);
        pthread_barrier_wait(&o.early_freed);
        pthread_join(th, NULL);
        pthread_barrier_destroy(&o.made);
        pthread_barrier_destroy(&o.early_freed);
        assert_true(o.ok);
        assert_int_equal(ac__pool_heaps(), heaps + (early < MANY));
        if (early + 1 < MANY) {
            free_many(o.v, early, MANY - 1);
            assert_int_equal(ac__pool_heaps(), heaps + 1);
        }
        if (early < MANY)
            ac__pool_free(o.v[MANY - 1]);
        assert_int_equal(ac__pool_heaps(), heaps);
    }
}

#define KEEP 100 /* test_reverse keeps every KEEP-th block */

static void *free_most(void *arg)
{
    void **v = arg;
    for (size_t i = 0; i < MANY; i++)
        if (i % KEEP)
            ac__pool_free(v[i]);
    return NULL;
}

static bool in_slabs(void *p, void *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ac__pool_slab(v[i]) == ac__pool_slab(p))
            return true;
    return false;
}

/* Blocks of the main thread freed on another thread come back to it: with
 * a few blocks of each slab kept, the next allocations take the freed ones
 * instead of making slabs; in the end (after ac_pool_trim) the counts are
 * back where they were. */
static void test_reverse(void **state)
{
    (void)state;
    static void *v[MANY], *w[MANY];
    ac_pool_trim();
    size_t live = ac__pool_live(), slabs = ac__pool_slabs();
    for (size_t i = 0; i < MANY; i++)
        v[i] = take(BLOCK);
    size_t made = ac__pool_slabs();
    run_thread(free_most, v);
    size_t n = 0;
    for (size_t i = 0; i < MANY; i++) {
        if (i % KEEP == 0)
            continue;
        w[n] = take(BLOCK);
        assert_true(in_slabs(w[n++], v, MANY));
    }
    assert_int_equal(ac__pool_slabs(), made);
    free_many(w, 0, n);
    for (size_t i = 0; i < MANY; i += KEEP)
        ac__pool_free(v[i]);
    assert_int_equal(ac__pool_live(), live);
    ac_pool_trim();
    assert_int_equal(ac__pool_slabs(), slabs);
}

#define RACE_N 20000

typedef struct race {
    void *v[RACE_N];
    atomic_size_t made;        /* v[0..made) are published */
    bool ok;
} race;

static void *race_owner(void *arg)
{
    race *r = arg;
    r->ok = true;
    for (size_t i = 0; i < RACE_N; i++) {
        bool pooled;
        r->v[i] = ac__pool_alloc(BLOCK - 16 * (i % 4), &pooled);
        if (!r->v[i] || !pooled) {
            r->ok = false;
            r->v[i] = NULL;
        }
        atomic_store_explicit(&r->made, i + 1, memory_order_release);
    }
    return NULL; /* exits while the other thread frees */
}

static void *race_freer(void *arg)
{
    race *r = arg;
    for (size_t i = 0; i < RACE_N; i++) {
        while (atomic_load_explicit(&r->made, memory_order_acquire) <= i)
            sched_yield();
        if (r->v[i])
            ac__pool_free(r->v[i]);
    }
    return NULL;
}

/* An owner that allocates and exits while another thread frees its blocks
 * as they come (remote frees before, during and after the exit): every
 * heap is freed in the end.  Run under TSan for the ordering. */
static void test_exit_race(void **state)
{
    (void)state;
    static race r;
    size_t heaps = ac__pool_heaps();
    for (int round = 0; round < 4; round++) {
        atomic_store(&r.made, 0);
        pthread_t a, b;
        assert_int_equal(pthread_create(&b, NULL, race_freer, &r), 0);
        assert_int_equal(pthread_create(&a, NULL, race_owner, &r), 0);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        assert_true(r.ok);
        assert_int_equal(ac__pool_heaps(), heaps);
    }
}

/* ---------------------------------------------------------- on and off */

static void *alloc_one(void *arg)
{
    bool *pooled = arg;
    void *p = ac__pool_alloc(BLOCK, pooled);
    if (*pooled)
        ac__pool_free(p);
    else
        ac__free(p);
    return NULL;
}

/* Forced off, a new thread's blocks come from malloc. */
static void test_force_off(void **state)
{
    (void)state;
    bool pooled = true;
    ac__pool_force(0);
    run_thread(alloc_one, &pooled);
    ac__pool_force(1);
    assert_false(pooled);
    run_thread(alloc_one, &pooled);
    assert_true(pooled);
}

/* In a child process (the environment is read once per process), with
 * AC_POOL set to `env` (NULL: unset) and the default mode: is a new
 * thread's block pooled?  0 no, 1 yes, else the child failed. */
static int pooled_in_child(const char *env)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (env)
            setenv("AC_POOL", env, 1);
        else
            unsetenv("AC_POOL");
        ac__pool_force(-1);
        bool pooled = false;
        pthread_t th;
        if (pthread_create(&th, NULL, alloc_one, &pooled) || pthread_join(th, NULL))
            _exit(2);
        _exit(pooled);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* AC_POOL=0 turns the pool off, AC_POOL=1 on; by default it is on unless
 * ASan or valgrind watches. */
static void test_environment(void **state)
{
    (void)state;
    int expected = 1;
#if defined(AC__ASAN)
    expected = 0;
#elif defined(HAVE_VALGRIND)
    expected = !RUNNING_ON_VALGRIND;
#endif
    assert_int_equal(pooled_in_child("0"), 0);
    assert_int_equal(pooled_in_child("1"), 1);
    assert_int_equal(pooled_in_child(NULL), expected);
    assert_int_equal(pooled_in_child("yes"), expected);
}

static const char *self_path; /* argv[0]: this program, run again below */

/* This program run again with AC_POOL=check (a fresh process, whose main
 * thread has no heap yet): it makes `made` blocks on its main thread,
 * frees `freed` of them and returns from main (see check_child).  Its exit
 * status. */
static int check_in_child(int made, int freed)
{
    pid_t pid = fork();
    if (pid == 0) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", made);
        snprintf(b, sizeof b, "%d", freed);
        setenv("AC_POOL", "check", 1);
        /* Where the pool is off the leak is LeakSanitizer's to report, not
           this test's: the child's status is then 0. */
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        execl(self_path, self_path, "--check-child", a, b, (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* The child's side of check_in_child. */
static int check_child(int made, int freed)
{
    void *v[4];
    bool pooled;
    for (int i = 0; i < made && i < 4; i++)
        v[i] = ac__pool_alloc(BLOCK, &pooled);
    for (int i = 0; i < freed && i < made && i < 4; i++)
        pooled ? ac__pool_free(v[i]) : free(v[i]);
    return 0;
}

/* AC_POOL=check turns a block never freed into exit status 3, where the
 * pool is on (the test forces nothing in the child: by default, so not
 * under ASan or valgrind, where they report such leaks themselves). */
static void test_check_at_exit(void **state)
{
    (void)state;
    int on = pooled_in_child(NULL) == 1;
    assert_int_equal(check_in_child(2, 2), 0);
    assert_int_equal(check_in_child(2, 1), on ? 3 : 0);
    assert_int_equal(check_in_child(3, 0), on ? 3 : 0);
}

/* ---------------------------------------------------------- exit hooks */

typedef struct hooklog {
    int calls[8];
    int n;
} hooklog;

static AC__TLS hooklog *cur_log;

static void hook_a(void *arg)
{
    cur_log->calls[cur_log->n++] = 10 + (int)(intptr_t)arg;
}

static void hook_late(void *arg)
{
    cur_log->calls[cur_log->n++] = 30 + (int)(intptr_t)arg;
}

static void hook_b(void *arg)
{
    cur_log->calls[cur_log->n++] = 20 + (int)(intptr_t)arg;
    ac__os_at_thread_exit(hook_late, (void *)(intptr_t)5);
}

static void *register_hooks(void *arg)
{
    cur_log = arg;
    ac__os_at_thread_exit(hook_a, (void *)(intptr_t)1);
    ac__os_at_thread_exit(hook_b, (void *)(intptr_t)2);
    ac__os_at_thread_exit(hook_a, (void *)(intptr_t)3); /* replaces 1 */
    return NULL;
}

/* Distinct hooks all run at thread exit, last registered first; one hook
 * registered again only changes its argument; a hook registered by a hook
 * runs too. */
static void test_exit_hooks(void **state)
{
    (void)state;
    hooklog log = {{0}, 0};
    run_thread(register_hooks, &log);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.calls[0], 22);
    assert_int_equal(log.calls[1], 35);
    assert_int_equal(log.calls[2], 13);
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 4 && !strcmp(argv[1], "--check-child"))
        return check_child(atoi(argv[2]), atoi(argv[3]));
    ac__pool_force(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_empty_slab_restarts),
        cmocka_unit_test(test_slab_colors),
        cmocka_unit_test(test_many_slabs),
        cmocka_unit_test(test_trim_keeps_live),
        cmocka_unit_test(test_check_at_exit),
        cmocka_unit_test(test_boundary_no_thrash),
        cmocka_unit_test(test_over_max_not_pooled),
        cmocka_unit_test(test_fail_at),
        cmocka_unit_test(test_fail_at_slow_path),
        cmocka_unit_test(test_remote_free),
        cmocka_unit_test(test_orphan),
        cmocka_unit_test(test_reverse),
        cmocka_unit_test(test_exit_race),
        cmocka_unit_test(test_force_off),
        cmocka_unit_test(test_environment),
        cmocka_unit_test(test_exit_hooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
