#ifndef SQUEEZE_H
#define SQUEEZE_H
#include <stddef.h>

/* Compresses and restores text; returns the compressed size, or 0 when the round trip fails. */
size_t squeeze_round_trip(const char *text, size_t length);
const char *squeeze_version(void);

#endif
