#include <ctype.h>
#include "shout.h"

void shout(char *text) {
    for (; *text; text++) *text = (char)toupper((unsigned char)*text);
}
