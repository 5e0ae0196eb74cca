/* os_unix.c: the parts of os.h that every POSIX backend shares: the
 * monotonic clock, the thread-exit hooks (one pthread key whose destructor
 * runs a per-thread table of calls), the process-wide lock and pages
 * (mmap). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS (POSIX only since 2024) */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#include "os.h"

int64_t ac__os_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ac__os_fd_check(int fd)
{
    return fcntl(fd, F_GETFD) == -1 ? errno : 0;
}

/* ---------------------------------------------------------- thread exit */

typedef struct hook {
    void (*fn)(void *);
    void *arg;
} hook;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int key_err;
/* The calls of this thread; the key's value is non-NULL while any is
 * registered, so that its destructor runs. */
static _Thread_local hook hooks[AC__OS_EXIT_HOOKS];
static _Thread_local int nhooks;

static void run_hooks(void *unused)
{
    (void)unused;
    /* A hook may add one: the loop runs it too (and the key's destructor
     * is then called once more, with nothing left). */
    while (nhooks > 0) {
        hook h = hooks[--nhooks];
        h.fn(h.arg);
    }
}

static void make_key(void)
{
    key_err = pthread_key_create(&key, run_hooks);
}

int ac__os_at_thread_exit(void (*fn)(void *), void *arg)
{
    pthread_once(&key_once, make_key);
    if (key_err)
        return key_err;
    for (int i = 0; i < nhooks; i++) {
        if (hooks[i].fn == fn) {
            hooks[i].arg = arg;
            return 0;
        }
    }
    if (nhooks == AC__OS_EXIT_HOOKS)
        return ENOMEM;
    int err = pthread_setspecific(key, hooks);
    if (err)
        return err;
    hooks[nhooks++] = (hook){fn, arg};
    return 0;
}

/* ---------------------------------------------------------- lock */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void ac__os_lock(void)
{
    pthread_mutex_lock(&lock);
}

void ac__os_unlock(void)
{
    pthread_mutex_unlock(&lock);
}

/* ---------------------------------------------------------- pages */

/* Map size + align bytes and give back what lies before and after the
 * aligned part: the system aligns a mapping only to the page. */
void *ac__os_map(size_t size, size_t align)
{
    size_t len = size + align;
    char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    char *p = (char *)(((uintptr_t)base + align - 1) & ~(uintptr_t)(align - 1));
    if (p > base)
        munmap(base, (size_t)(p - base));
    if (p + size < base + len)
        munmap(p + size, (size_t)(base + len - (p + size)));
    return p;
}

void ac__os_unmap(void *p, size_t size)
{
    munmap(p, size);
}
