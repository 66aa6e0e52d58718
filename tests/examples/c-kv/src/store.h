#ifndef STORE_H
#define STORE_H
void store_set(const char *key, const char *value);
const char *store_get(const char *key);
#endif
