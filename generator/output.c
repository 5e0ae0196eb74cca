/* output.c: writing acc's output files, all of them or none (output.h).
 *
 * Three passes: plan and write the temporaries, then write the outputs that
 * are written in place, then rename the temporaries.  Nothing that existed is
 * touched before the first pass has succeeded for every output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"

enum { MAX_LINK_HOPS = 40 }; /* Linux's own limit (ELOOP) */

typedef struct Plan {
    const char *target; /* the file replaced: the path with links followed */
    char *tmp;          /* the temporary beside target; NULL if written in place */
    int direct;         /* written in place: "-", a FIFO, a device */
} Plan;

static int fail(const char *path, int err)
{
    diag_fatal("cannot write '%s': %s", path, strerror(err));
    return 0;
}

/* The mode a file created with open(path, O_CREAT, 0666) would get. */
static mode_t creation_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* path with its symbolic links followed, the last one possibly dangling (its
 * target is then the file to create).  Stops after MAX_LINK_HOPS: the loop is
 * then reported by mkstemp or rename. */
static const char *follow_links(Arena *a, const char *path)
{
    char link[4096];
    for (int hops = 0; hops < MAX_LINK_HOPS; hops++) {
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
            break;
        ssize_t n = readlink(path, link, sizeof link - 1);
        if (n < 0)
            break;
        link[n] = 0;
        const char *slash = strrchr(path, '/');
        if (link[0] == '/' || !slash)
            path = mem_strdup(a, link);
        else
            path = mem_printf(a, "%.*s%s", (int)(slash - path + 1), path, link);
    }
    return path;
}

/* The template of target's temporary: beside it, named after it with
 * ".tmpXXXXXX" added, its base name cut to TEMP_BASE_MAX bytes so that a
 * name near the file system's limit (255 bytes) still has a temporary (it
 * failed with "File name too long"). */
enum { TEMP_BASE_MAX = 200 };
static char *temp_name(Arena *a, const char *target)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    size_t len = strlen(base);
    return mem_printf(a, "%.*s%.*s.tmpXXXXXX", (int)(base - target), target,
                      (int)(len < TEMP_BASE_MAX ? len : TEMP_BASE_MAX), base);
}

/* All of data to fd, through short writes and interruptions. */
static int write_fd(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        data += n;
        len -= (size_t)n;
    }
    return 1;
}

/* Pass 1 for one output: decide how it is written and, for a regular file,
 * write its temporary with the final mode. */
static int plan_file(Arena *a, const OutFile *f, Plan *p)
{
    struct stat st;
    if (!strcmp(f->path, "-")) {
        p->direct = 1;
        return 1;
    }
    int exists = stat(f->path, &st) == 0;
    if (!exists && errno != ENOENT)
        return fail(f->path, errno);
    if (exists && S_ISDIR(st.st_mode))
        return fail(f->path, EISDIR);
    if (exists && !S_ISREG(st.st_mode)) {
        p->direct = 1;
        return 1;
    }
    p->target = follow_links(a, f->path);
    mode_t mode = exists ? (st.st_mode & 07777) : creation_mode();
    p->tmp = temp_name(a, p->target);
    int fd = mkstemp(p->tmp);
    if (fd < 0) {
        p->tmp = NULL;
        return fail(f->path, errno);
    }
    int ok = fchmod(fd, mode) == 0 && write_fd(fd, f->data, f->len);
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    return ok ? 1 : fail(f->path, err);
}

/* Pass 2 for one output written in place. */
static int write_direct(const OutFile *f)
{
    if (!strcmp(f->path, "-")) {
        if (fflush(stdout) != 0 || !write_fd(STDOUT_FILENO, f->data, f->len))
            return fail("<stdout>", errno);
        return 1;
    }
    int fd = open(f->path, O_WRONLY);
    if (fd < 0)
        return fail(f->path, errno);
    int ok = write_fd(fd, f->data, f->len);
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    return ok ? 1 : fail(f->path, err);
}

int out_write_all(Arena *a, const OutFile *files, int n)
{
    Plan *plans = mem_alloc(a, sizeof *plans * (size_t)(n + 1));
    int ok = 1;
    for (int i = 0; i < n && ok; i++)
        ok = plan_file(a, &files[i], &plans[i]);
    for (int i = 0; i < n && ok; i++)
        if (plans[i].direct)
            ok = write_direct(&files[i]);
    for (int i = 0; i < n; i++) {
        if (!plans[i].tmp)
            continue;
        if (ok && rename(plans[i].tmp, plans[i].target) != 0)
            ok = fail(files[i].path, errno);
        if (!ok)
            remove(plans[i].tmp);
    }
    return ok;
}
