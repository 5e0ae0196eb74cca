/* os_unix.c: the parts of os.h that every POSIX backend shares: the
 * monotonic clock and the thread-exit hook (a pthread key destructor). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "os.h"

int64_t ac__os_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int key_err;
/* One hook for the whole process, the loop's.  Every thread stores the
 * same function: atomic, so that the stores are not a data race. */
static void (*_Atomic exit_fn)(void *);

static void call_exit_fn(void *arg)
{
    atomic_load_explicit(&exit_fn, memory_order_relaxed)(arg);
}

static void make_key(void)
{
    key_err = pthread_key_create(&key, call_exit_fn);
}

int ac__os_at_thread_exit(void (*fn)(void *), void *arg)
{
    pthread_once(&key_once, make_key);
    if (key_err)
        return key_err;
    atomic_store_explicit(&exit_fn, fn, memory_order_relaxed);
    return pthread_setspecific(key, arg);
}
