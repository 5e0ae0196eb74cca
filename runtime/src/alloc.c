/* alloc.c: the runtime's one allocator, with the test hook that fails the
 * n-th allocation (ac_alloc_fail_at, BEHAVIOURS BX-09).  The counters are
 * per thread so that a test is not disturbed by other threads.
 *
 * The hook counts down, so that the pool's fast path (pool.h) pays one
 * decrement and a branch: ac__alloc_left reaches 0 at the allocation that
 * fails, and the allocations made since the last call are armed - left,
 * in unsigned arithmetic, which stays right when the count goes below 0
 * (with the hook off, left starts at 0 and first goes to ULONG_MAX). */
#include <stdlib.h>

#include "internal.h"
#include "pool.h"

AC__TLS unsigned long ac__alloc_left; /* allocations until the one that fails */
static AC__TLS unsigned long armed;   /* its value at the last hook call */

unsigned long ac_alloc_fail_at(unsigned long n)
{
    unsigned long made = armed - ac__alloc_left;
    armed = ac__alloc_left = n;
    return made;
}

/* Out of memory, the pool's empty slabs go back to the system (they may
 * be what malloc lacks) and the allocation is tried once more. */
void *ac__malloc(size_t n)
{
    if (ac__alloc_injected())
        return NULL;
    void *p = malloc(n);
    return p || !ac__pool_shed() ? p : malloc(n);
}

void *ac__realloc(void *p, size_t n)
{
    if (ac__alloc_injected())
        return NULL;
    void *q = realloc(p, n);
    return q || !n || !ac__pool_shed() ? q : realloc(p, n); /* n == 0 freed p */
}

void ac__free(void *p)
{
    free(p);
}
