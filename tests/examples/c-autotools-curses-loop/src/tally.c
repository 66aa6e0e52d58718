#include <curses.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    /* curses_version() is in the curses library: linking proves configure found it. */
    const char *version = curses_version();
    printf("%s %s: linked against %s\n", PACKAGE_NAME, PACKAGE_VERSION, strncmp(version, "ncurses", 7) == 0 ? "ncurses" : version);
    return 0;
}
