#include <stdio.h>
#include <string.h>

#include "squeeze.h"

int main(void) {
    char text[4096];
    for (size_t i = 0; i < sizeof text; i++) text[i] = "squeeze "[i % 8];
    size_t packed = squeeze_round_trip(text, sizeof text);
    if (packed == 0 || packed >= sizeof text) {
        fprintf(stderr, "squeeze: round trip failed\n");
        return 1;
    }
    printf("squeeze %s: %zu bytes round trip through libsqueeze and zlib\n", squeeze_version(), sizeof text);
    return 0;
}
