/* jf_error.c - messages for the codes of jefferson/error.h, and one-line messages (jf_why.h). */
#include "jf_why.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

const char *jf_strerror(int err)
{
    switch (err) {
#define XX(name, code, msg) case JF_E##name: return msg;
        JF_ERRNO_MAP(XX)
#undef XX
    case 0:
        return "success";
    default:
        return "unknown error";
    }
}

const char *jf_err_name(int err)
{
    switch (err) {
#define XX(name, code, msg) case JF_E##name: return "JF_E" #name;
        JF_ERRNO_MAP(XX)
#undef XX
    case 0:
        return "JF_OK";
    default:
        return "JF_EUNKNOWN";
    }
}

void jf_one_line(char *msg)
{
    for (char *c = msg; c != NULL && *c != '\0'; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
}

int jf_why(char *why, size_t size, int code, const char *fmt, ...)
{
    va_list ap;

    if (why != NULL && size > 0) {
        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
        jf_one_line(why);
    }
    return code;
}
