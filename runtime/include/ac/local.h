/* ac/local.h: task-local values (Python's contextvars).
 *
 * An `ac_local` is a variable whose value depends on the task that reads
 * it: each task has its own bindings, a copy of those of the code that
 * started it, taken at that moment, as asyncio copies the context into
 * every task it creates:
 *
 * - a child spawned into a task group starts with the spawner's bindings
 *   as they are at the spawn;
 * - the task of ac_run starts with the bindings of the calling thread
 *   (code outside tasks has a set of bindings per thread);
 * - `await ac_to_thread(fn, arg)` runs fn with the awaiting task's
 *   bindings as the pool thread's, and ac_run called from there (bridge
 *   mode) passes that thread's on to its task.
 *
 * A change made by ac_local_set is seen only by the code that made it and
 * by what it starts afterwards; never by the task or thread it came from,
 * nor by a sibling.  Copies cost O(1) (they share one block until one of
 * them changes a value), so starting a task with bindings costs one
 * reference count.
 *
 *     static ac_local request_id = AC_LOCAL_INIT("request_id");
 *     ac_local_set(&request_id, req);        (0, or ENOMEM)
 *     struct request *r = ac_local_get(&request_id);
 *
 * Values are pointers that the runtime never owns: what they point to must
 * outlive every copy that may read it (a value is often a pointer to static
 * data or to the frame of the task that set it, whose children end first
 * when they are spawned into a group of that frame).  Unset variables read
 * NULL.  The variable's address is its identity: give it static storage.
 */
#ifndef AC_LOCAL_H
#define AC_LOCAL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_local {
    const char *name; /* for the reader of the code, and for debuggers */
} ac_local;

#define AC_LOCAL_INIT(name) {name}

/* The value of var for the running task (outside tasks: for this thread),
 * or NULL if it is not set there. */
void *ac_local_get(const ac_local *var);

/* Bind var to value for the running task (outside tasks: for this
 * thread).  Returns 0, or ENOMEM without memory, the bindings unchanged. */
int ac_local_set(const ac_local *var, void *value);

#ifdef __cplusplus
}
#endif
#endif /* AC_LOCAL_H */
