/* plain.c: plain C runs a coroutine of a.ac through the generated a.h. */
#include <ac/ac.h>
#include "shared.h"
#include "a.h"

int plain_c_runs(void)
{
    int r = 0;
    ac_error *e = ac_run(double_it(50), &r);
    if (e) {
        ac_error_release(e);
        return -1;
    }
    return r;
}
