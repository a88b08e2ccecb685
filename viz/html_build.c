/* html_build.c - the pages' elements with libxml2's HTML tree: cleaned text, a class, attributes. */
#include "html_build.h"

#include "viz_internal.h"

xmlNodePtr jf__html_add(xmlNodePtr parent, const char *name, const char *cls, const char *text,
                        int *failed)
{
    char clean[JF__HTML_TEXT_MAX];
    xmlNodePtr n;

    if (*failed || parent == NULL)
        return NULL;
    n = xmlNewTextChild(parent, NULL, BAD_CAST name,
                        text != NULL ? BAD_CAST jf__viz_clean(clean, sizeof clean, text) : NULL);
    if (n == NULL || (cls != NULL && xmlNewProp(n, BAD_CAST "class", BAD_CAST cls) == NULL))
        *failed = 1;
    return *failed ? NULL : n;
}

void jf__html_attr(xmlNodePtr n, const char *name, const char *value, int *failed)
{
    char clean[JF__HTML_TEXT_MAX];

    if (!*failed && n != NULL &&
        xmlNewProp(n, BAD_CAST name, BAD_CAST jf__viz_clean(clean, sizeof clean, value)) == NULL)
        *failed = 1;
}

void jf__html_text(xmlNodePtr n, const char *s, int *failed)
{
    char clean[JF__HTML_TEXT_MAX];
    xmlNodePtr t;

    if (*failed || n == NULL)
        return;
    t = xmlNewText(BAD_CAST jf__viz_clean(clean, sizeof clean, s));
    if (t == NULL || xmlAddChild(n, t) == NULL) {
        xmlFreeNode(t);
        *failed = 1;
    }
}
