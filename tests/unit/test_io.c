/* test_io.c: ac_read, ac_write, ac_accept and ac_connect on socket pairs
 * and loopback TCP, driven by hand-written frames shaped like generated C. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ac/ac.h"
#include "internal.h"
#include "task.h"

static int spawned_live;
static ac_error *spawned_err; /* the error of the last spawned task */

static void spawned_done(ac_task *t, ac_frame *root)
{
    ac_error_release(spawned_err);
    spawned_err = t->err;
    t->err = NULL;
    ac__task_free(t, root);
    ac_coro_free(root);
    spawned_live--;
}

static void spawn(ac_coro *c)
{
    ac_task *t = ac__task_new(c);
    assert_non_null(t);
    c->flags |= AC_FRAME_NOTIFY;
    ac__task_done_hook = spawned_done;
    spawned_live++;
    ac__task_wake(t);
}

static void nonblocking_pair(int s[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
    assert_int_equal(ac_fd_set_nonblock(s[0]), 0);
    assert_int_equal(ac_fd_set_nonblock(s[1]), 0);
}

/* ---------------------------------------------------------- bulk transfer */

#define BULK (1 << 20)

/* async long reader(int fd, char *buf): read until end of file; total */
typedef struct reader_frame {
    ac_frame hdr;
    int fd;
    char *buf;
    long total, got;
    long result;
} reader_frame;

static int reader_resume(ac_frame *f)
{
    reader_frame *F = (reader_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    for (;;) {
        f->state = 1;
        if (ac_read__await(f, &F->got, F->fd, F->buf + F->total, 4096))
            return AC_PENDING;
    ac_r1:
        if (f->err)
            return ac__frame_return(f);
        if (F->got == 0)
            break;
        F->total += F->got;
    }
    AC_RETURN(f, long, F->total);
}

/* async void writer(int fd, const char *buf): write it all, then close */
typedef struct writer_frame {
    ac_frame hdr;
    int fd;
    const char *buf;
    long n;
} writer_frame;

static int writer_resume(ac_frame *f)
{
    writer_frame *F = (writer_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    f->state = 1;
    if (ac_write__await(f, &F->n, F->fd, F->buf, BULK))
        return AC_PENDING;
ac_r1:
    close(F->fd);
    return ac__frame_return(f);
}

/* A megabyte crosses a socket pair between two tasks: ac_write waits for
 * room as often as needed and returns n; ac_read returns 0 at the end. */
static void test_bulk_transfer(void **state)
{
    (void)state;
    int s[2];
    nonblocking_pair(s);
    char *out = malloc(BULK), *in = malloc(BULK + 4096);
    for (long i = 0; i < BULK; i++)
        out[i] = (char)(i * 7 + i / 4096);
    writer_frame *w = AC_CORO_NEW(writer_frame, writer_resume);
    w->fd = s[1];
    w->buf = out;
    spawn(&w->hdr);
    reader_frame *r = AC_CORO_NEW_RESULT(reader_frame, reader_resume, result);
    r->fd = s[0];
    r->buf = in;
    long total = 0;
    assert_null(ac_run(&r->hdr, &total));
    assert_int_equal(total, BULK);
    assert_memory_equal(in, out, BULK);
    assert_int_equal(spawned_live, 0);
    assert_null(spawned_err);
    close(s[0]);
    free(out);
    free(in);
}

/* Writing to a socket whose peer is closed throws EPIPE (no SIGPIPE);
 * reading a bad fd throws EBADF with a location. */
static void test_io_errors(void **state)
{
    (void)state;
    int s[2];
    nonblocking_pair(s);
    close(s[1]);
    long n = 0;
    ac_error *e = ac_run(ac_write(s[0], "x", 1), &n);
    assert_int_equal(ac_error_code(e), EPIPE);
    assert_non_null(ac_error_file(e));
    ac_error_release(e);
    close(s[0]);
    char c;
    e = ac_run(ac_read(s[0], &c, 1), &n);
    assert_int_equal(ac_error_code(e), EBADF);
    ac_error_release(e);
    assert_null(ac_run(ac_write(-1, "", 0), &n)); /* nothing to write */
    assert_int_equal(n, 0);
}

/* ---------------------------------------------------------- TCP */

static int listener(struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof *addr), 0);
    socklen_t len = sizeof *addr;
    assert_int_equal(getsockname(fd, (struct sockaddr *)addr, &len), 0);
    assert_int_equal(listen(fd, 8), 0);
    assert_int_equal(ac_fd_set_nonblock(fd), 0);
    return fd;
}

/* async void echo_once(int lfd): accept one client, echo one read */
typedef struct echo_frame {
    ac_frame hdr;
    int lfd, c;
    char buf[64];
    long n, w;
} echo_frame;

static int echo_resume(ac_frame *f)
{
    echo_frame *F = (echo_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    case 3: goto ac_r3;
    }
    f->state = 1;
    if (ac_accept__await(f, &F->c, F->lfd))
        return AC_PENDING;
ac_r1:
    if (f->err)
        return ac__frame_return(f);
    f->state = 2;
    if (ac_read__await(f, &F->n, F->c, F->buf, sizeof F->buf))
        return AC_PENDING;
ac_r2:
    if (f->err)
        goto out;
    f->state = 3;
    if (ac_write__await(f, &F->w, F->c, F->buf, (size_t)F->n))
        return AC_PENDING;
ac_r3:
out:
    close(F->c);
    return ac__frame_return(f);
}

static char echoed[64]; /* what the client read back */

/* async long client(addr): connect, send "hello", read the echo */
typedef struct client_frame {
    ac_frame hdr;
    int fd;
    struct sockaddr_in addr;
    char buf[64];
    long n;
    long result;
} client_frame;

static int client_resume(ac_frame *f)
{
    client_frame *F = (client_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    case 3: goto ac_r3;
    }
    f->state = 1;
    if (ac_connect__await(f, NULL, F->fd, (struct sockaddr *)&F->addr, sizeof F->addr))
        return AC_PENDING;
ac_r1:
    if (f->err)
        return ac__frame_return(f);
    f->state = 2;
    if (ac_write__await(f, &F->n, F->fd, "hello", 5))
        return AC_PENDING;
ac_r2:
    if (f->err)
        return ac__frame_return(f);
    f->state = 3;
    if (ac_read__await(f, &F->n, F->fd, F->buf, sizeof F->buf))
        return AC_PENDING;
ac_r3:
    if (f->err)
        return ac__frame_return(f);
    memcpy(echoed, F->buf, (size_t)F->n);
    AC_RETURN(f, long, F->n);
}

static client_frame *new_client(const struct sockaddr_in *addr)
{
    client_frame *F = AC_CORO_NEW_RESULT(client_frame, client_resume, result);
    F->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(F->fd >= 0);
    assert_int_equal(ac_fd_set_nonblock(F->fd), 0);
    F->addr = *addr;
    return F;
}

/* A client connects to a server task on loopback TCP, which accepts (the
 * accepted fd is non-blocking) and echoes. */
static void test_tcp_echo(void **state)
{
    (void)state;
    struct sockaddr_in addr;
    int lfd = listener(&addr);
    echo_frame *srv = AC_CORO_NEW(echo_frame, echo_resume);
    srv->lfd = lfd;
    spawn(&srv->hdr);
    client_frame *cl = new_client(&addr);
    int fd = cl->fd;
    long n = 0;
    assert_null(ac_run(&cl->hdr, &n));
    assert_int_equal(n, 5);
    assert_memory_equal(echoed, "hello", 5);
    assert_int_equal(spawned_live, 0);
    assert_null(spawned_err);
    close(fd);
    close(lfd);
}

/* Connecting to a port that nobody listens on throws ECONNREFUSED.  The
 * port stays bound (without listen) meanwhile: closed, the system could
 * give it to a test running beside this one, whose server would accept. */
static void test_connect_refused(void **state)
{
    (void)state;
    struct sockaddr_in addr;
    int held = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(held >= 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(held, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    assert_int_equal(getsockname(held, (struct sockaddr *)&addr, &len), 0);
    client_frame *cl = new_client(&addr);
    int fd = cl->fd;
    ac_error *e = ac_run(&cl->hdr, NULL);
    assert_int_equal(ac_error_code(e), ECONNREFUSED);
    ac_error_release(e);
    close(fd);
    close(held);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_transfer),
        cmocka_unit_test(test_io_errors),
        cmocka_unit_test(test_tcp_echo),
        cmocka_unit_test(test_connect_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
