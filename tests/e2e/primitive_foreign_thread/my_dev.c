/* my_dev.c */
#define _POSIX_C_SOURCE 200809L /* pipe, read, write */
#include <errno.h>
#include <unistd.h>
#include "my_dev.h"

typedef struct dev_frame {
    ac_frame hdr;
    my_dev *d;
    int ready;  /* ac_wait_fd's result */
    int result; /* the coroutine object's result slot */
} dev_frame;

int my_dev_open(my_dev *d)
{
    if (pipe(d->pipe) < 0)
        return errno;
    return ac_fd_set_nonblock(d->pipe[0]);
}

void my_dev_close(my_dev *d)
{
    close(d->pipe[0]);
    close(d->pipe[1]);
}

/* A write of a few bytes into a pipe is whole, and safe from any thread. */
void my_dev_complete(my_dev *d, int result)
{
    while (write(d->pipe[1], &result, sizeof result) < 0 && errno == EINTR)
        continue;
}

/* Take a completion, or wait until the pipe is readable and try again.
 * Both states go to the loop's top: 0 (started) and 1 (ac_wait_fd
 * finished, or failed: then f->err is set, say by a cancellation). */
static int dev_resume(ac_frame *f)
{
    dev_frame *w = (dev_frame *)(void *)f;
    while (!f->err) {
        int result;
        ssize_t k = read(w->d->pipe[0], &result, sizeof result);
        if (k == (ssize_t)sizeof result)
            AC_RETURN(f, int, result);
        if (k < 0 && errno == EINTR)
            continue;
        if (k >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            AC_THROW(f, k < 0 ? errno : EIO, "my_dev_wait: the device is gone");
        f->state = 1;
        if (ac_wait_fd__await(f, &w->ready, w->d->pipe[0], AC_READABLE))
            return AC_PENDING; /* the nested wait suspended: resumed here later */
    }
    return ac__frame_return(f); /* with f->err */
}

ac_coro *my_dev_wait(my_dev *d)
{
    dev_frame *w = AC_CORO_NEW_RESULT(dev_frame, dev_resume, result);
    if (w)
        w->d = d;
    return (ac_coro *)w;
}

int my_dev_wait__await(ac_frame *caller, void *ret, my_dev *d)
{
    dev_frame *w = AC_FRAME_PUSH(dev_frame, caller, ret, dev_resume);
    if (!w)
        return AC_DONE; /* ENOMEM is in caller->err */
    w->d = d;
    return ac__frame_start_fn(&w->hdr, dev_resume);
}
