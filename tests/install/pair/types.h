/* A plain header beside conn.ac, included with quotes: the generated conn.c
 * (in the build's ac_gen/) must still find it. */
#ifndef TYPES_H
#define TYPES_H

typedef struct point {
    int x, y;
} point;

#endif /* TYPES_H */
