/* jefferson/version.h - the version of the headers, and of the library at run time. */
#ifndef JF_VERSION_H
#define JF_VERSION_H

#include "jefferson/api.h"

/* Semantic versioning: a new MAJOR breaks the API or ABI (and is the
 * shared library's soname, libjefferson.so.MAJOR), a new MINOR adds to
 * them, a new PATCH fixes without changing either. */
#define JF_VERSION_MAJOR 0
#define JF_VERSION_MINOR 3
#define JF_VERSION_PATCH 0

#define JF_VERSION_STR_(x) #x
#define JF_VERSION_STR(x) JF_VERSION_STR_(x)
#define JF_VERSION_STRING                                                    \
    JF_VERSION_STR(JF_VERSION_MAJOR) "." JF_VERSION_STR(JF_VERSION_MINOR) "." \
    JF_VERSION_STR(JF_VERSION_PATCH)

/* One number that grows with the version: 0x00MMmmpp. */
#define JF_VERSION_HEX                                                       \
    ((JF_VERSION_MAJOR << 16) | (JF_VERSION_MINOR << 8) | JF_VERSION_PATCH)

/* Returns the version of the library the program runs with, as
 * JF_VERSION_STRING ("0.1.0"): with a shared library it may differ from
 * the headers the program was compiled against. A static string; never
 * NULL. Thread-safe. */
JF_API const char *jf_version(void);

#endif /* JF_VERSION_H */
