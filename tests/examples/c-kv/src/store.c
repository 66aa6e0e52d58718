#include <string.h>
#include "store.h"

#define SLOTS 16
static const char *keys[SLOTS], *values[SLOTS];

void store_set(const char *key, const char *value) {
    for (int i = 0; i < SLOTS; i++)
        if (!keys[i] || strcmp(keys[i], key) == 0) { keys[i] = key; values[i] = value; return; }
}

const char *store_get(const char *key) {
    for (int i = 0; i < SLOTS && keys[i]; i++)
        if (strcmp(keys[i], key) == 0) return values[i];
    return "(nil)";
}
