/* os.h: the operating system behind a few functions (like Redis's aeApi*).
 * The loop uses only these; os_epoll.c (Linux) or os_poll.c (elsewhere)
 * implements the poller, os_unix.c the clock, thread-exit hooks and lock.
 *
 * Readiness is one-shot: arming an fd asks for one report of any of the
 * events; after reporting it the fd is disarmed until armed again.  Events
 * use AC_READABLE and AC_WRITABLE; an error or hang-up is reported as both.
 */
#ifndef AC_OS_H
#define AC_OS_H

#include <stdint.h>

typedef struct ac__os ac__os;

typedef struct ac__os_event {
    int fd;
    int events;
} ac__os_event;

/* Create a poller.  Returns 0 or an errno value. */
int ac__os_open(ac__os **os);
void ac__os_close(ac__os *os);

/* Arm fd for `events`, or disarm it (events == 0).  `known` says whether fd
 * was armed before since it was last disarmed (a hint: it saves epoll a
 * failed call).  Returns 0 or an errno value. */
int ac__os_arm(ac__os *os, int fd, int events, int known);

/* Wait up to timeout_ms (-1: no limit, 0: do not block) and store at most
 * max reports in ev.  Returns how many (0 on timeout or signal). */
int ac__os_poll(ac__os *os, int timeout_ms, ac__os_event *ev, int max);

/* Monotonic clock in milliseconds. */
int64_t ac__os_now(void);

/* 0 if fd is an open file descriptor, else an errno value (EBADF). */
int ac__os_fd_check(int fd);

/* Call fn(arg) when the calling thread exits (not at the end of main).  A
 * thread keeps one call per distinct fn, at most AC__OS_EXIT_HOOKS of them
 * (registering fn again only replaces its arg); they run last registered
 * first.  A hook may register one (the thread used the runtime again from
 * a hook): that one runs too.  Returns 0 or an errno value. */
#define AC__OS_EXIT_HOOKS 4
int ac__os_at_thread_exit(void (*fn)(void *), void *arg);

/* Address space straight from the system: `size` bytes (a multiple of the
 * page size) at an address that is a multiple of `align` (a power of two,
 * at least the page size), zero-filled; pages count in the resident set
 * only once touched.  NULL if there is none.  Any page-aligned part of it
 * may be given back on its own with ac__os_unmap. */
void *ac__os_map(size_t size, size_t align);
void ac__os_unmap(void *p, size_t size);

/* One process-wide lock, for rare slow paths (the pool's orphaned heaps). */
void ac__os_lock(void);
void ac__os_unlock(void);

#endif /* AC_OS_H */
