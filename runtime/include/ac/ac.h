/* ac/ac.h: the whole public API of libac, the runtime of the AC dialect.
 *
 *   ac/error.h      errors (the exceptions of AC)
 *   ac/frame.h      the frame ABI shared by generated code and primitives
 *   ac/primitive.h  helpers for writing awaitable primitives in plain C
 *   ac/loop.h       ac_run, time, sleep, fd readiness, loop-stop callbacks
 *   ac/io.h         read, write, accept, connect on non-blocking fds
 *   ac/cm.h         context managers: the protocol of `async with`, built-ins
 *   ac/exitstack.h  the exit stack
 *   ac/aiter.h      async iterators
 *   ac/cancel.h     cancellation, cancel scopes, timeouts, shields
 *   ac/sync.h       events, locks, semaphores, queues
 *   ac/sched.h      the scheduler's inline side (internal, for ac/sync.h)
 *   ac/taskgroup.h  task groups
 *   ac/thread.h     the thread bridge: ac_to_thread, ac_run from its threads
 *   ac/local.h      task-local values
 *   ac/gencm.h      runtime side of `@contextmanager` (generated code only)
 *   ac/gen.h        runtime side of async generators (generated code only)
 */
#ifndef AC_AC_H
#define AC_AC_H

#include "ac/error.h"
#include "ac/frame.h"
#include "ac/primitive.h"
#include "ac/loop.h"
#include "ac/io.h"
#include "ac/cm.h"
#include "ac/exitstack.h"
#include "ac/aiter.h"
#include "ac/cancel.h"
#include "ac/sync.h"
#include "ac/taskgroup.h"
#include "ac/thread.h"
#include "ac/local.h"
#include "ac/gencm.h"
#include "ac/gen.h"

#endif /* AC_AC_H */
