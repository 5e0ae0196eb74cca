/* The public headers from C++: <ac/ac.h> compiles with -Wall -Wextra
 * -Wpedantic -Werror (their extern "C" guards, no compound literals or
 * partial initialisers in inline code), and the inline event functions of
 * ac/sync.h and ac/sched.h link against libac and work outside a task. */
#include <ac/ac.h>

#include <cstdio>

int main()
{
    ac_event e;
    ac_event_init(&e);
    ac_event_set(&e);
    bool set = ac_event_is_set(&e);
    ac_event_clear(&e);
    ac_cm m = ac_cm_make(nullptr, nullptr);
    ac_error *err = ac_error_new(5, "from C++");
    int ok = set && !ac_event_is_set(&e) && !m.cls && ac_error_code(err) == 5;
    ac_error_release(err);
    std::printf("%s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
