/* Plain C against the installed libac through pkg-config: only <ac/ac.h>.
 * Runs a runtime coroutine from synchronous code and makes an error. */
#include <ac/ac.h>
#include <stdio.h>

int main(void)
{
    ac_error *e = ac_run(ac_sleep(1), NULL);
    int ok = e == NULL;

    e = ac_error_new(42, "answer");
    ok = ok && ac_error_code(e) == 42;
    printf("%s %d\n", ac_error_message(e), ac_error_code(e));
    ac_error_release(e);
    return ok ? 0 : 1;
}
