#include <stdio.h>
#include "names.h"

int main(int argc, char **argv) {
    (void)argv;
    printf("sbox: %d arguments\n", argc - 1);
    for (int i = 0; i < namespace_count(); i++)
        printf("unshare %s\n", namespace_name(i));
    return 0;
}
