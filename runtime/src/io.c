/* io.c: read, write, accept and connect on non-blocking fds.
 *
 * Each primitive tries its system call and, when it would block, awaits
 * ac_wait_fd() as a callee and tries again: the resume function is one
 * retry loop, so it needs no dispatch on the state beyond "did the wait
 * fail".  They are also examples of primitives composed of primitives.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ac/io.h"
#include "ac/loop.h"
#include "ac/primitive.h"
#include "internal.h"

int ac_fd_set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0))
        return errno;
    return 0;
}

static int would_block(int err)
{
    return err == EAGAIN || err == EWOULDBLOCK;
}

/* Throw errno value `err` from frame f, naming the call. */
static int fail(ac_frame *f, int err, const char *call, int fd)
{
    AC_THROW(f, err, "%s(%d): %s", call, fd, strerror(err));
}

/* Before a helper's first system call on fd (state 0): make fd
 * non-blocking, at most once per fd number on this thread
 * (ac__fd_nonblock), so that a blocking fd cannot stop the whole thread.
 * 0 or an errno value. */
static int first_nonblock(const ac_frame *f, int fd)
{
    return f->state ? 0 : ac__fd_nonblock(fd);
}

/* ---------------------------------------------------------- ac_read */

typedef struct read_frame {
    ac_frame hdr;
    int fd;
    void *buf;
    size_t n;
    int ready;   /* ac_wait_fd's result, unused */
    long result; /* the coroutine object's result slot */
} read_frame;

static int read_resume(ac_frame *f)
{
    read_frame *r = (read_frame *)(void *)f;
    int err = f->err ? 0 : first_nonblock(f, r->fd);
    if (err)
        return fail(f, err, "read", r->fd);
    while (!f->err) {
        ssize_t k = read(r->fd, r->buf, r->n);
        if (k >= 0)
            AC_RETURN(f, long, (long)k);
        if (errno == EINTR)
            continue;
        if (!would_block(errno))
            return fail(f, errno, "read", r->fd);
        f->state = 1;
        if (ac_wait_fd__await(f, &r->ready, r->fd, AC_READABLE))
            return AC_PENDING;
    }
    return ac__frame_return(f); /* the wait failed */
}

ac_coro *ac_read(int fd, void *buf, size_t n)
{
    read_frame *r = AC_CORO_NEW_RESULT(read_frame, read_resume, result);
    if (r) {
        r->fd = fd;
        r->buf = buf;
        r->n = n;
    }
    return (ac_coro *)r;
}

int ac_read__await(ac_frame *caller, void *ret, int fd, void *buf, size_t n)
{
    read_frame *r = AC_FRAME_PUSH(read_frame, caller, ret, read_resume);
    if (!r)
        return AC_DONE;
    r->fd = fd;
    r->buf = buf;
    r->n = n;
    return ac__frame_start_fn(&r->hdr, read_resume);
}

/* ---------------------------------------------------------- ac_write */

typedef struct write_frame {
    ac_frame hdr;
    int fd;
    const char *buf;
    size_t n;
    size_t done;     /* bytes written so far */
    int not_socket;  /* send() said ENOTSOCK: use write() */
    int ready;
    long result;
} write_frame;

/* One write; on a socket through send(MSG_NOSIGNAL) where it exists, so
 * that a closed peer is EPIPE rather than a SIGPIPE. */
static ssize_t write_some(write_frame *w)
{
#ifdef MSG_NOSIGNAL
    if (!w->not_socket) {
        ssize_t k = send(w->fd, w->buf + w->done, w->n - w->done, MSG_NOSIGNAL);
        if (k >= 0 || errno != ENOTSOCK)
            return k;
        w->not_socket = 1;
    }
#endif
    return write(w->fd, w->buf + w->done, w->n - w->done);
}

static int write_resume(ac_frame *f)
{
    write_frame *w = (write_frame *)(void *)f;
    int err = f->err || !w->n ? 0 : first_nonblock(f, w->fd); /* nothing to write: no fd */
    if (err)
        return fail(f, err, "write", w->fd);
    while (!f->err) {
        if (w->done == w->n)
            AC_RETURN(f, long, (long)w->n);
        ssize_t k = write_some(w);
        if (k >= 0) {
            w->done += (size_t)k;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (!would_block(errno))
            return fail(f, errno, "write", w->fd);
        f->state = 1;
        if (ac_wait_fd__await(f, &w->ready, w->fd, AC_WRITABLE))
            return AC_PENDING;
    }
    return ac__frame_return(f);
}

ac_coro *ac_write(int fd, const void *buf, size_t n)
{
    write_frame *w = AC_CORO_NEW_RESULT(write_frame, write_resume, result);
    if (w) {
        w->fd = fd;
        w->buf = buf;
        w->n = n;
    }
    return (ac_coro *)w;
}

int ac_write__await(ac_frame *caller, void *ret, int fd, const void *buf, size_t n)
{
    write_frame *w = AC_FRAME_PUSH(write_frame, caller, ret, write_resume);
    if (!w)
        return AC_DONE;
    w->fd = fd;
    w->buf = buf;
    w->n = n;
    w->done = 0; /* a pushed frame is not zeroed */
    w->not_socket = 0;
    return ac__frame_start_fn(&w->hdr, write_resume);
}

/* ---------------------------------------------------------- ac_accept */

typedef struct accept_frame {
    ac_frame hdr;
    int fd;
    int ready;
    int result;
} accept_frame;

/* Make an accepted fd non-blocking and close-on-exec; 0 or errno. */
static int prepare(int fd)
{
    int err = ac_fd_set_nonblock(fd);
    if (!err && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        err = errno;
    return err;
}

static int accept_resume(ac_frame *f)
{
    accept_frame *a = (accept_frame *)(void *)f;
    int err = f->err ? 0 : first_nonblock(f, a->fd);
    if (err)
        return fail(f, err, "accept", a->fd);
    while (!f->err) {
        int c = accept(a->fd, NULL, NULL);
        if (c >= 0) {
            err = prepare(c);
            if (!err)
                AC_RETURN(f, int, c);
            close(c);
            return fail(f, err, "accept", a->fd);
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (!would_block(errno))
            return fail(f, errno, "accept", a->fd);
        f->state = 1;
        if (ac_wait_fd__await(f, &a->ready, a->fd, AC_READABLE))
            return AC_PENDING;
    }
    return ac__frame_return(f);
}

ac_coro *ac_accept(int fd)
{
    accept_frame *a = AC_CORO_NEW_RESULT(accept_frame, accept_resume, result);
    if (a)
        a->fd = fd;
    return (ac_coro *)a;
}

int ac_accept__await(ac_frame *caller, void *ret, int fd)
{
    accept_frame *a = AC_FRAME_PUSH(accept_frame, caller, ret, accept_resume);
    if (!a)
        return AC_DONE;
    a->fd = fd;
    return ac__frame_start_fn(&a->hdr, accept_resume);
}

/* ---------------------------------------------------------- ac_connect */

typedef struct connect_frame {
    ac_frame hdr;
    int fd;
    const struct sockaddr *addr;
    unsigned addrlen;
    int ready;
} connect_frame;

/* The outcome of a connection in progress: SO_ERROR. */
static int connect_result(ac_frame *f)
{
    connect_frame *c = (connect_frame *)(void *)f;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err)
        return fail(f, err, "connect", c->fd);
    return ac__frame_return(f);
}

/* state 0: start connecting; state 1: writable, read the outcome. */
static int connect_resume(ac_frame *f)
{
    connect_frame *c = (connect_frame *)(void *)f;
    if (f->err)
        return ac__frame_return(f);
    if (f->state == 1)
        return connect_result(f);
    int err = first_nonblock(f, c->fd);
    if (err)
        return fail(f, err, "connect", c->fd);
    if (connect(c->fd, c->addr, (socklen_t)c->addrlen) == 0)
        return ac__frame_return(f);
    /* EINTR: the connection goes on asynchronously, as for EINPROGRESS. */
    if (errno != EINPROGRESS && errno != EINTR)
        return fail(f, errno, "connect", c->fd);
    f->state = 1;
    if (ac_wait_fd__await(f, &c->ready, c->fd, AC_WRITABLE))
        return AC_PENDING;
    return f->err ? ac__frame_return(f) : connect_result(f);
}

ac_coro *ac_connect(int fd, const struct sockaddr *addr, unsigned addrlen)
{
    connect_frame *c = AC_CORO_NEW(connect_frame, connect_resume);
    if (c) {
        c->fd = fd;
        c->addr = addr;
        c->addrlen = addrlen;
    }
    return (ac_coro *)c;
}

int ac_connect__await(ac_frame *caller, void *ret, int fd, const struct sockaddr *addr,
                      unsigned addrlen)
{
    connect_frame *c = AC_FRAME_PUSH(connect_frame, caller, ret, connect_resume);
    if (!c)
        return AC_DONE;
    c->fd = fd;
    c->addr = addr;
    c->addrlen = addrlen;
    return ac__frame_start_fn(&c->hdr, connect_resume);
}

/* ---------------------------------------------------------- ac_close */

/* Close fd after waking its waiters; 0 or an errno value. */
static int close_fd(int fd)
{
    ac__fd_closing(fd);
    if (close(fd) < 0 && errno != EINTR)
        return errno;
    return 0;
}

typedef struct close_frame {
    ac_frame hdr;
    int fd;
} close_frame;

static int close_resume(ac_frame *f)
{
    close_frame *c = (close_frame *)(void *)f;
    int err = close_fd(c->fd);
    if (err)
        return fail(f, err, "close", c->fd);
    return ac__frame_return(f);
}

ac_coro *ac_close(int fd)
{
    close_frame *c = AC_CORO_NEW(close_frame, close_resume);
    if (c)
        c->fd = fd;
    return (ac_coro *)c;
}

/* Never suspends: no frame of its own. */
int ac_close__await(ac_frame *caller, void *ret, int fd)
{
    (void)ret;
    int err = close_fd(fd);
    if (err)
        ac__throw(caller, ac_error_new(err, "close(%d): %s", fd, strerror(err)), __FILE__,
                  __LINE__);
    return AC_DONE;
}
