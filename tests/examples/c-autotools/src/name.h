#ifndef NAME_H
#define NAME_H

const char *name_or_default(int argc, char **argv);

#endif
