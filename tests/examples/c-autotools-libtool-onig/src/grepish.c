#include <string.h>
#include <oniguruma.h>

#include "grepish.h"

int grepish_first(const char *pattern, const char *text, char *out, int size) {
    OnigEncoding encodings[1] = {ONIG_ENCODING_UTF8};
    OnigRegex regex;
    OnigErrorInfo info;
    const UChar *p = (const UChar *)pattern, *t = (const UChar *)text, *end = t + strlen(text);
    onig_initialize(encodings, 1);
    if (onig_new(&regex, p, p + strlen(pattern), ONIG_OPTION_NONE, ONIG_ENCODING_UTF8, ONIG_SYNTAX_RUBY, &info) != ONIG_NORMAL) {
        return -1;
    }
    OnigRegion *region = onig_region_new();
    int found = onig_search(regex, t, end, t, end, region, ONIG_OPTION_NONE) >= 0;
    if (found) {
        int length = region->end[0] - region->beg[0];
        if (length >= size) length = size - 1;
        memcpy(out, text + region->beg[0], length);
        out[length] = '\0';
    }
    onig_region_free(region, 1);
    onig_free(regex);
    onig_end();
    return found;
}
