/* ac/primitive.h: helpers for writing an awaitable primitive in plain C.
 *
 * A primitive NAME with result type T and parameters P is three things: a
 * frame struct whose first member is `ac_frame hdr`, a resume function
 * (ac_resume_fn), and two entry points that acc's generated code calls:
 *
 *     ac_coro *NAME(P);                              -- coroutine object
 *     int NAME__await(ac_frame *caller, void *ret, P); -- push, start
 *
 * announced to acc in the header by a one-line comment exactly like
 *
 *     / *acc: async T NAME(P); * /     (without the spaces inside the slashes)
 *
 * The macros below cut the boilerplate of those parts; docs/runtime.md has a
 * worked example.  The rules of the frame ABI (ac/frame.h) apply: finish
 * only through ac__frame_return(), store the result through hdr.ret (which
 * may be NULL), and before blocking arrange the wake-up (ac__task_wake())
 * and then return ac__suspend() or ac__suspend_unwait().
 */
#ifndef AC_PRIMITIVE_H
#define AC_PRIMITIVE_H

#include <stddef.h>

#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A coroutine object (zeroed, AC_FRAME_CORO) of `size` bytes whose hdr.ret
 * points at the member at offset `slot`, so that a run without a result
 * pointer still has somewhere to write.  NULL without memory. */
static inline void *ac__coro_new_slot(size_t size, size_t align, ac_resume_fn fn, size_t slot)
{
    ac_frame *f = (ac_frame *)ac__coro_new(size, align, fn);
    if (f)
        f->ret = (char *)f + slot;
    return f;
}

/* The coroutine object of a void primitive: a zeroed `type`, or NULL. */
#define AC_CORO_NEW(type, resume) ((type *)ac__coro_new(sizeof(type), _Alignof(type), (resume)))

/* The coroutine object of a primitive with a result: a zeroed `type` whose
 * hdr.ret points at its member `slot` (of the result type), or NULL. */
#define AC_CORO_NEW_RESULT(type, resume, slot) \
    ((type *)ac__coro_new_slot(sizeof(type), _Alignof(type), (resume), offsetof(type, slot)))

/* In NAME__await: push a `type` frame on the caller's task.  The frame is
 * NOT zeroed (only hdr is set): initialise every field the resume function
 * reads.  NULL when memory ran out; caller->err then holds ENOMEM and
 * NAME__await returns AC_DONE. */
#define AC_FRAME_PUSH(type, caller, ret, resume) \
    ((type *)ac__frame_push((caller), sizeof(type), _Alignof(type), (resume), (ret)))

/* In a resume function: store `value` (of type `type`) as the result and
 * finish the frame. */
#define AC_RETURN(f, type, value)                   \
    do {                                            \
        if ((f)->ret)                               \
            *(type *)(f)->ret = (value);            \
        return ac__frame_return(f);                 \
    } while (0)

/* In a resume function: throw a new error (code, printf-style message: at
 * least the format, which may be NULL) and finish the frame. */
#define AC_THROW(f, code, ...)                                                   \
    do {                                                                         \
        ac__throw((f), ac_error_new((code), __VA_ARGS__), __FILE__, __LINE__);   \
        return ac__frame_return(f);                                              \
    } while (0)

#ifdef __cplusplus
}
#endif
#endif /* AC_PRIMITIVE_H */
