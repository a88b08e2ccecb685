/* html_build.c - the pages' elements with libxml2's HTML tree: cleaned text, a class, attributes. */
#include "html_build.h"

#include <stdio.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
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

xmlNodePtr jf__html_head(xmlNodePtr html, const char *title, const char *style, int *failed)
{
    xmlNodePtr h = jf__html_add(html, "head", NULL, NULL, failed);
    char buf[JF__HTML_TEXT_MAX];

    jf__html_attr(jf__html_add(h, "meta", NULL, NULL, failed), "charset", "utf-8", failed);
    snprintf(buf, sizeof buf, "%s \xc2\xb7 jefferson", title);
    jf__html_add(h, "title", NULL, buf, failed);
    if (!*failed && xmlNewTextChild(h, NULL, BAD_CAST "style", BAD_CAST style) == NULL)
        *failed = 1;
    return *failed ? NULL : h;
}

void jf__html_context(xmlNodePtr body, const char *date, const char *host, const char *cpu,
                      const char *commit, const char *command, int *failed)
{
    char buf[JF__HTML_TEXT_MAX];

    snprintf(buf, sizeof buf, "%s%s%s%s%s \xc2\xb7 commit %s \xc2\xb7 ", date ? date : "",
             date ? " \xc2\xb7 " : "", host ? host : "", host && cpu ? ", " : "", cpu ? cpu : "",
             commit ? commit : "unknown");
    jf__html_add(jf__html_add(body, "p", "ctx", buf, failed), "code", NULL,
                 command != NULL ? command : "", failed);
}

static int write_text(const char *path, const xmlChar *text, int size)
{
    char *tmp = jf__viz_tmp_path(path);
    FILE *f;
    int err = 0;

    if (tmp == NULL)
        return JF_ENOMEM;
    f = fopen(tmp, "wb");
    if (f == NULL)
        err = JF_EIO;
    else if (fwrite(text, 1, (size_t)size, f) != (size_t)size)
        err = JF_EIO;
    if (f != NULL && fclose(f) != 0)
        err = JF_EIO;
    err = f != NULL ? jf__viz_commit(tmp, path, err) : err;
    jf_free(tmp);
    return err;
}

int jf__html_save(htmlDocPtr doc, int failed, const char *path)
{
    xmlChar *text = NULL;
    int size = 0, err;

    if (!failed && doc != NULL)
        htmlDocDumpMemoryFormat(doc, &text, &size, 1);
    err = text == NULL || size <= 0 ? JF_ENOMEM : write_text(path, text, size);
    xmlFree(text);
    return err;
}
