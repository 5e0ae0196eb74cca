/* The public headers from a user's C: <ac/ac.h> compiles under warnings a
 * project may turn on beyond the usual ones (-Wcast-qual: no inline code
 * casts a const away; -Wshadow, -Wstrict-prototypes, -Wmissing-prototypes,
 * -Wundef), with -Werror.  Compiled only (-fsyntax-only): the C++ test
 * beside it links and runs. */
#include <ac/ac.h>

int main(void)
{
    ac_event e = AC_EVENT_INIT;
    ac_event_set(&e);
    ac_event_clear(&e);
    return ac_event_is_set(&e);
}
