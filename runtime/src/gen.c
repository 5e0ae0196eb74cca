/* gen.c: the runtime side of async generators (ac/gen.h). */
#include "ac/gen.h"
#include "internal.h"

int ac__gen_close(ac_frame *caller, ac_frame *g, ac_error *why)
{
    ac__gen *gen = AC__GEN(g);
    ac_error *c = ac_error_new(AC_EGENCLOSE, "generator closed");
    ac__error_chain(c, why);
    gen->close = c;
    g->caller = caller;
    g->task = caller->task;
    g->err = ac_error_retain(c);
    return ac__frame_start_fn(g, g->resume);
}

int ac__gen_return(ac_frame *f)
{
    ac__gen *gen = AC__GEN(f);
    *gen->home = NULL;
    if (gen->close) {
        if (f->err == gen->close) { /* the close reached the end: stop it */
            ac_error_release(f->err);
            f->err = NULL;
        }
        ac_error_release(gen->close);
        gen->close = NULL;
    }
    int coro = (f->flags & AC_FRAME_CORO) != 0;
    int r = ac__frame_return(f);
    if (coro)
        ac_coro_free(f);
    return r;
}
