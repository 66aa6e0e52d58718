#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "squeeze.h"

size_t squeeze_round_trip(const char *text, size_t length) {
    uLongf packed_len = compressBound(length), restored_len = length;
    Bytef *packed = malloc(packed_len);
    Bytef *restored = malloc(length);
    size_t result = 0;
    if (packed && restored
        && compress2(packed, &packed_len, (const Bytef *)text, length, Z_BEST_COMPRESSION) == Z_OK
        && uncompress(restored, &restored_len, packed, packed_len) == Z_OK
        && restored_len == length && memcmp(restored, text, length) == 0) {
        result = packed_len;
    }
    free(packed);
    free(restored);
    return result;
}

const char *squeeze_version(void) { return PACKAGE_VERSION; }
