#include <stdio.h>

int main(void) {
    printf("built with %s\n", COMPILER);
    return 0;
}
