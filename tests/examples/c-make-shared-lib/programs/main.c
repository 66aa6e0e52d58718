#include <stdio.h>
#include <string.h>
#include "shout.h"

int main(int argc, char **argv) {
    char text[256] = "hello from a static build";
    if (argc > 1) {
        strncpy(text, argv[1], sizeof text - 1);
    }
    shout(text);
    puts(text);
    return 0;
}
