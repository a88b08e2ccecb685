/* report_script.c - the script of index.html: Esc on the page reaches every timeline. */
#include "report_parts.h"

/* A key pressed on the page goes to the page, not into the timelines'
 * documents, and a page opened from file:// cannot reach into them either:
 * postMessage can. Plain ES5; libxml2 writes a script's text unescaped. */
static const char script[] =
    "(function () {\n"
    "'use strict';\n"
    "document.addEventListener('keydown', function (e) {\n"
    "  if (e.key !== 'Escape' && e.keyCode !== 27) return;\n"
    "  var all = document.getElementsByTagName('object');\n"
    "  for (var i = 0; i !== all.length; i++)\n"
    "    if (all[i].contentWindow) all[i].contentWindow.postMessage('jefferson:reset', '*');\n"
    "});\n"
    "})();\n";

void jf__viz_html_script(xmlNodePtr body, int *failed)
{
    xmlNodePtr n;

    if (*failed || body == NULL)
        return;
    /* Not cleaned: cleaning would turn its line breaks into '?'. */
    n = xmlNewTextChild(body, NULL, BAD_CAST "script", BAD_CAST script);
    if (n == NULL)
        *failed = 1;
}
