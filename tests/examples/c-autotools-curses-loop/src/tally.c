#include <curses.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    /* --screen: draw on a curses screen first, which needs the terminal's terminfo entry. */
    const char *screen = "no screen";
    if (argc > 1 && strcmp(argv[1], "--screen") == 0) {
        if (initscr() == NULL) {
            return 1;
        }
        mvprintw(LINES / 2, (COLS - 5) / 2, "tally");
        refresh();
        napms(100);
        endwin();
        screen = termname();
    }
    /* curses_version() is in the curses library: linking proves configure found it. */
    const char *version = curses_version();
    printf("%s %s: linked against %s, screen %s\n", PACKAGE_NAME, PACKAGE_VERSION,
           strncmp(version, "ncurses", 7) == 0 ? "ncurses" : version, screen);
    return 0;
}
