/* alloc.c: the runtime's one allocator, with the test hook that fails the
 * n-th allocation (ac_alloc_fail_at, BEHAVIOURS BX-09).  The counters are
 * per thread so that a test is not disturbed by other threads. */
#include <stdlib.h>

#include "internal.h"

static AC__TLS unsigned long nalloc;  /* allocations since the last hook call */
static AC__TLS unsigned long fail_at; /* the one that fails; 0 = none */

unsigned long ac_alloc_fail_at(unsigned long n)
{
    unsigned long made = nalloc;
    nalloc = 0;
    fail_at = n;
    return made;
}

static int injected_failure(void)
{
    return ++nalloc == fail_at;
}

void *ac__malloc(size_t n)
{
    return injected_failure() ? NULL : malloc(n);
}

void *ac__realloc(void *p, size_t n)
{
    return injected_failure() ? NULL : realloc(p, n);
}

void ac__free(void *p)
{
    free(p);
}
