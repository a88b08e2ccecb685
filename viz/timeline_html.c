/* timeline_html.c - where index.html's interactive timelines go in the page. */
#include <stdio.h>

#include "../core/jf_alloc.h"
#include "jefferson/error.h"
#include "timeline.h"

/* <name class=cls>, or NULL when out of memory. */
static xmlNodePtr element(xmlNodePtr parent, const char *name, const char *cls)
{
    xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);

    if (n != NULL && cls != NULL && xmlNewProp(n, BAD_CAST "class", BAD_CAST cls) == NULL)
        return NULL;
    return n;
}

/* Raw text under a <script> or <style>: the HTML writer copies it as it is. */
static int raw(xmlNodePtr parent, const char *text)
{
    xmlNodePtr t = xmlNewText(BAD_CAST text);

    if (t == NULL || xmlAddChild(parent, t) == NULL) {
        xmlFreeNode(t);
        return JF_ENOMEM;
    }
    return 0;
}

int jf__tl_embed(xmlNodePtr parent, const jf_viz_run_t *run, size_t i)
{
    jf__tl_text_t data = {0};
    xmlNodePtr box = element(parent, "div", "jf-tl"), script;
    char id[32];
    int err;

    snprintf(id, sizeof id, "jf-tl-%zu", i);
    if (box == NULL || xmlNewProp(box, BAD_CAST "data-src", BAD_CAST id) == NULL)
        return JF_ENOMEM;
    script = element(parent, "script", NULL);
    if (script == NULL || xmlNewProp(script, BAD_CAST "type", BAD_CAST "application/json") == NULL ||
        xmlNewProp(script, BAD_CAST "id", BAD_CAST id) == NULL)
        return JF_ENOMEM;
    err = jf__tl_encode(run->trace, run->strategy, &data);
    if (err == 0)
        err = raw(script, data.text);
    jf_free(data.text);
    return err;
}

int jf__tl_controls(xmlNodePtr parent)
{
    xmlNodePtr bar = element(parent, "div", "jf-tl-bar");

    /* Filled by the script: without it there is nothing to control. */
    return bar == NULL ? JF_ENOMEM : 0;
}

int jf__tl_script(xmlNodePtr parent)
{
    xmlNodePtr style = element(parent, "style", NULL);
    xmlNodePtr script = style != NULL ? element(parent, "script", NULL) : NULL;

    if (script == NULL || raw(style, jf__tl_css) != 0 || raw(script, jf__tl_js) != 0)
        return JF_ENOMEM;
    return 0;
}
