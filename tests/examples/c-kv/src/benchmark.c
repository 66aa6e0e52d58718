#include <stdio.h>
#include "store.h"

int main(void) {
    for (int i = 0; i < 1000; i++) store_set("k", "v");
    printf("c-kv-benchmark: %s\n", store_get("k"));
    return 0;
}
