#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "greet.h"
#include "tiny.h"

int main(void) {
    const char *text = "recursive make, recursive make, recursive make";
    unsigned char packed[128], unpacked[128];
    uLongf packed_len = sizeof packed, unpacked_len = sizeof unpacked;
    int ok = compress(packed, &packed_len, (const unsigned char *)text, strlen(text)) == Z_OK
        && uncompress(unpacked, &unpacked_len, packed, packed_len) == Z_OK
        && unpacked_len == strlen(text) && memcmp(unpacked, text, unpacked_len) == 0;
    printf("greeter: %s from lib/ and deps/ (%d)\n", greet_word(), tiny_twice(21));
    printf("zlib round trip: %s\n", ok ? "ok" : "failed");
    return ok ? 0 : 1;
}
