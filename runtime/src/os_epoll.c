/* os_epoll.c: the poller on Linux.  EPOLLONESHOT gives os.h's one-shot
 * reports for free: a reported fd stays in the set, disabled, until the
 * next arm re-enables it with EPOLL_CTL_MOD (one system call per wait). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ac/loop.h"
#include "internal.h"
#include "os.h"

struct ac__os {
    int epfd;
};

int ac__os_open(ac__os **out)
{
    ac__os *os = ac__malloc(sizeof *os);
    if (!os)
        return ENOMEM;
    os->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (os->epfd < 0) {
        int err = errno;
        ac__free(os);
        return err;
    }
    *out = os;
    return 0;
}

void ac__os_close(ac__os *os)
{
    if (!os)
        return;
    close(os->epfd);
    ac__free(os);
}

static int ctl(ac__os *os, int op, int fd, int events)
{
    struct epoll_event ev = {0};
    ev.events = EPOLLONESHOT;
    if (events & AC_READABLE)
        ev.events |= EPOLLIN;
    if (events & AC_WRITABLE)
        ev.events |= EPOLLOUT;
    ev.data.fd = fd;
    return epoll_ctl(os->epfd, op, fd, &ev) ? errno : 0;
}

int ac__os_arm(ac__os *os, int fd, int events, int known)
{
    if (!events) {
        int err = ctl(os, EPOLL_CTL_DEL, fd, 0);
        return err == ENOENT || err == EBADF ? 0 : err;
    }
    /* The fd may have been closed and its number reused since: try the
     * likely operation first, then the other. */
    int op = known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int err = ctl(os, op, fd, events);
    if (err == ENOENT && op == EPOLL_CTL_MOD)
        err = ctl(os, EPOLL_CTL_ADD, fd, events);
    else if (err == EEXIST && op == EPOLL_CTL_ADD)
        err = ctl(os, EPOLL_CTL_MOD, fd, events);
    return err;
}

static int to_events(uint32_t e)
{
    int r = 0;
    if (e & (EPOLLERR | EPOLLHUP))
        return AC_READABLE | AC_WRITABLE;
    if (e & EPOLLIN)
        r |= AC_READABLE;
    if (e & EPOLLOUT)
        r |= AC_WRITABLE;
    return r;
}

int ac__os_poll(ac__os *os, int timeout_ms, ac__os_event *ev, int max)
{
    struct epoll_event buf[64];
    if (max > 64)
        max = 64;
    int n = epoll_wait(os->epfd, buf, max, timeout_ms);
    if (n < 0)
        return 0; /* EINTR: the loop simply turns again */
    for (int i = 0; i < n; i++) {
        ev[i].fd = buf[i].data.fd;
        ev[i].events = to_events(buf[i].events);
    }
    return n;
}
