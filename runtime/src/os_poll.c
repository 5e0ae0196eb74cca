/* os_poll.c: the portable poller, on poll(2).  Armed fds are kept in a
 * pollfd array (with a position table indexed by fd); a reported fd is
 * removed from it, which gives os.h's one-shot reports. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "ac/loop.h"
#include "internal.h"
#include "os.h"

struct ac__os {
    struct pollfd *v;  /* armed fds */
    size_t n, cap;
    size_t *pos;       /* pos[fd] = index in v + 1, 0 if not armed */
    size_t npos;
};

int ac__os_open(ac__os **out)
{
    ac__os *os = ac__malloc(sizeof *os);
    if (!os)
        return ENOMEM;
    memset(os, 0, sizeof *os);
    *out = os;
    return 0;
}

void ac__os_close(ac__os *os)
{
    if (!os)
        return;
    ac__free(os->v);
    ac__free(os->pos);
    ac__free(os);
}

static int grow(ac__os *os, int fd)
{
    if ((size_t)fd >= os->npos) {
        size_t n = os->npos ? os->npos : 64;
        while (n <= (size_t)fd)
            n *= 2;
        size_t *p = ac__realloc(os->pos, n * sizeof *p);
        if (!p)
            return ENOMEM;
        memset(p + os->npos, 0, (n - os->npos) * sizeof *p);
        os->pos = p;
        os->npos = n;
    }
    if (os->n == os->cap) {
        size_t cap = os->cap ? 2 * os->cap : 16;
        struct pollfd *v = ac__realloc(os->v, cap * sizeof *v);
        if (!v)
            return ENOMEM;
        os->v = v;
        os->cap = cap;
    }
    return 0;
}

static void drop(ac__os *os, int fd)
{
    size_t i = os->pos[fd] - 1;
    os->pos[fd] = 0;
    if (i != --os->n) {
        os->v[i] = os->v[os->n];
        os->pos[os->v[i].fd] = i + 1;
    }
}

int ac__os_arm(ac__os *os, int fd, int events, int known)
{
    (void)known;
    int armed = (size_t)fd < os->npos && os->pos[fd];
    if (!events) {
        if (armed)
            drop(os, fd);
        return 0;
    }
    if (!armed) {
        if (grow(os, fd))
            return ENOMEM;
        os->v[os->n].fd = fd;
        os->v[os->n].revents = 0;
        os->pos[fd] = ++os->n;
    }
    struct pollfd *p = &os->v[os->pos[fd] - 1];
    p->events = (short)(((events & AC_READABLE) ? POLLIN : 0) |
                        ((events & AC_WRITABLE) ? POLLOUT : 0));
    return 0;
}

static int to_events(short e)
{
    int r = 0;
    if (e & (POLLERR | POLLHUP | POLLNVAL))
        return AC_READABLE | AC_WRITABLE;
    if (e & POLLIN)
        r |= AC_READABLE;
    if (e & POLLOUT)
        r |= AC_WRITABLE;
    return r;
}

int ac__os_poll(ac__os *os, int timeout_ms, ac__os_event *ev, int max)
{
    if (poll(os->v, (nfds_t)os->n, timeout_ms) <= 0)
        return 0; /* timeout or EINTR: the loop simply turns again */
    int k = 0;
    /* Backwards, so that drop()'s swap only moves visited entries. */
    for (size_t i = os->n; i-- > 0 && k < max;) {
        if (!os->v[i].revents)
            continue;
        ev[k].fd = os->v[i].fd;
        ev[k].events = to_events(os->v[i].revents);
        k++;
        drop(os, os->v[i].fd);
    }
    return k;
}
