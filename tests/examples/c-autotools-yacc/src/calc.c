/* Evaluates the expression given as arguments with the grammar of parse.y. */
#include <stdio.h>
#include <string.h>

typedef struct yy_buffer_state *YY_BUFFER_STATE;
YY_BUFFER_STATE yy_scan_string(const char *text);
int yyparse(void);
extern long calc_result;

int main(int argc, char **argv) {
    char expression[1024] = "";
    for (int i = 1; i < argc; i++) {
        if (strlen(expression) + strlen(argv[i]) + 2 > sizeof expression)
            return 2;
        strcat(expression, i > 1 ? " " : "");
        strcat(expression, argv[i]);
    }
    yy_scan_string(expression);
    if (yyparse() != 0)
        return 1;
    printf("calc %s: %s = %ld\n", PACKAGE_VERSION, expression, calc_result);
    return 0;
}
