/* ac/io.h: socket and pipe helpers on the loop.
 *
 * Each helper tries the system call first and waits with ac_wait_fd() only
 * when it would block: a call that succeeds at once does not suspend, and
 * is no cancellation point (in a cancelled scope it still reads or
 * writes; only its wait throws ECANCELED).  So that it never blocks the thread, the first
 * helper called with an fd makes it non-blocking (ac_fd_set_nonblock: a
 * pipe from pipe(), a socket from socket(), stdin): the flag belongs to the
 * open file, which a child process or another program holding the same
 * file sees too.  The loop remembers it per fd number and thread until
 * ac_close(fd); an fd closed with plain close() and whose number is reused
 * for a blocking fd must be made non-blocking by hand (else the helpers
 * block the thread on it).
 * Failures are thrown as errors whose code is the errno value.  Pointers
 * given to a coroutine object (without await) must stay valid until it runs.
 */
#ifndef AC_IO_H
#define AC_IO_H

#include <stddef.h>

#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr;

/* Make fd non-blocking.  Returns 0 or an errno value.  Synchronous. */
int ac_fd_set_nonblock(int fd);

/* Read up to n bytes into buf; returns how many (0 at end of file). */
/*acc: async long ac_read(int fd, void *buf, size_t n); */
ac_coro *ac_read(int fd, void *buf, size_t n);
int ac_read__await(ac_frame *caller, void *ret, int fd, void *buf, size_t n);

/* Write all n bytes of buf, waiting as often as needed; returns n.  On a
 * socket SIGPIPE is not raised where the system allows (MSG_NOSIGNAL): a
 * closed peer gives EPIPE.  On a pipe whose reader has closed, the system
 * raises SIGPIPE, which ends the process unless the program ignores it
 * (signal(SIGPIPE, SIG_IGN): then EPIPE).  On error the number already
 * written is lost. */
/*acc: async long ac_write(int fd, const void *buf, size_t n); */
ac_coro *ac_write(int fd, const void *buf, size_t n);
int ac_write__await(ac_frame *caller, void *ret, int fd, const void *buf, size_t n);

/* Accept a connection on a listening socket; returns the new fd, already
 * non-blocking and close-on-exec. */
/*acc: async int ac_accept(int fd); */
ac_coro *ac_accept(int fd);
int ac_accept__await(ac_frame *caller, void *ret, int fd);

/* Connect a non-blocking socket to addr; returns when the connection is
 * established, or throws its error (ECONNREFUSED...). */
/*acc: async void ac_connect(int fd, const struct sockaddr *addr, unsigned addrlen); */
ac_coro *ac_connect(int fd, const struct sockaddr *addr, unsigned addrlen);
int ac_connect__await(ac_frame *caller, void *ret, int fd, const struct sockaddr *addr, unsigned addrlen);

/* Close fd.  The tasks of this loop waiting for fd (in ac_wait_fd or the
 * helpers above) are woken, and their waits throw EBADF, before the fd
 * number can be reused.  Not a suspension point: the fd is closed even in
 * a cancelled task.  An EINTR from close() counts as closed (Linux frees
 * the fd anyway); other failures are thrown (EBADF, EIO...). */
/*acc: async void ac_close(int fd); */
ac_coro *ac_close(int fd);
int ac_close__await(ac_frame *caller, void *ret, int fd);

#ifdef __cplusplus
}
#endif
#endif /* AC_IO_H */
