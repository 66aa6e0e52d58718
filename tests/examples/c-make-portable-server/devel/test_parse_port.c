#include <assert.h>
#include <stdio.h>

int parse_port(const char *text);

int main(void) {
    assert(parse_port("8081") == 8081);
    assert(parse_port("0") == -1);
    assert(parse_port("70000") == -1);
    puts("ok");
    return 0;
}
