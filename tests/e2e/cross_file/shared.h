/* A plain header shared by a.ac and b.ac. */
#ifndef SHARED_H
#define SHARED_H

struct pair {
    int a, b;
};

int plain_c_runs(void); /* plain.c */

#endif
