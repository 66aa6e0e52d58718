/* The key-value server: here it answers one built-in request and exits, enough to show that the
   image runs the server, not the client. */
#include <stdio.h>
#include <string.h>
#include "store.h"

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        puts("c-kv-server 1.0");
        return 0;
    }
    store_set("greeting", "hello");
    printf("c-kv-server ready: greeting=%s\n", store_get("greeting"));
    return 0;
}
