#include <stdio.h>

int main(void) {
    puts("c-kv-cli: no server to talk to");
    return 1;
}
