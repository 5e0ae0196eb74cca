/* A header with the usual C++ guard: its typedefs are at file scope. */
#ifndef POINT_H
#define POINT_H
#ifdef __cplusplus
extern "C" {
#endif

typedef struct point {
    int x, y;
} point;

#ifdef __cplusplus
}
#endif
#endif
