/* Falling characters on a curses screen, until q is pressed or for the frames given. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long frames = argc > 1 ? strtol(argv[1], NULL, 10) : -1;
    if (initscr() == NULL) {
        return 1;
    }
    cbreak();
    noecho();
    nodelay(stdscr, TRUE);
    curs_set(0);
    int lines = LINES, cols = COLS;
    long drawn = 0;
    for (; frames < 0 || drawn < frames; drawn++) {
        if (getch() == 'q') {
            break;
        }
        for (int col = 0; col < cols; col += 2) {
            int row = (int)(drawn + lrint(lines * (1.0 + sin(col * 0.7)))) % lines;
            mvaddch(row, col, (chtype)('a' + (col + drawn) % 26));
            mvaddch((row + lines - 4) % lines, col, ' ');
        }
        refresh();
        napms(20);
    }
    endwin();
    printf("rain: drew %ld frames on a %dx%d %s screen\n", drawn, cols, lines, termname());
    return 0;
}
