/* version.c - the library's version at run time (jefferson/version.h). */
#include "jefferson/version.h"

const char *jf_version(void)
{
    return JF_VERSION_STRING;
}
