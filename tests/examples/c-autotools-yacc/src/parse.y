%{
#include <stdio.h>

int yylex(void);
void yyerror(const char *message);
long calc_result;
%}

%token NUMBER
%left '+' '-'
%left '*' '/'

%%

input: expr { calc_result = $1; }
     ;

expr: NUMBER
    | expr '+' expr { $$ = $1 + $3; }
    | expr '-' expr { $$ = $1 - $3; }
    | expr '*' expr { $$ = $1 * $3; }
    | expr '/' expr { $$ = $3 ? $1 / $3 : 0; }
    | '(' expr ')'  { $$ = $2; }
    ;

%%

void yyerror(const char *message) {
    fprintf(stderr, "calc: %s\n", message);
}
