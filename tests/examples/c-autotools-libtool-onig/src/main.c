#include <stdio.h>

#include "grepish.h"

int main(int argc, char **argv) {
    const char *pattern = argc > 1 ? argv[1] : "(?<word>\\w+)@(?<host>[a-z.]+)";
    const char *text = argc > 2 ? argv[2] : "write to jq@example.org today";
    char match[256];
    int found = grepish_first(pattern, text, match, sizeof match);
    if (found < 0) {
        fprintf(stderr, "grepish: bad pattern\n");
        return 2;
    }
    printf("grepish %s: %s\n", PACKAGE_VERSION, found ? match : "no match");
    return found ? 0 : 1;
}
