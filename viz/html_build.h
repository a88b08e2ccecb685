/* html_build.h - the pages' elements with libxml2's HTML tree: cleaned text, a class, attributes. */
#ifndef JF_HTML_BUILD_H
#define JF_HTML_BUILD_H

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

/* Bytes of any one text or attribute value shown; longer ones are cut. */
#define JF__HTML_TEXT_MAX 1024

/* Adds <name class="cls">text</name> under parent: text (NULL: none) and
 * cls (NULL: no class) cleaned by jf__viz_clean, escaped when the tree is
 * written. Returns the element, or NULL when *failed is already set, when
 * parent is NULL, or on an allocation failure (which sets *failed): a page
 * builder calls on and checks *failed once at the end. */
xmlNodePtr jf__html_add(xmlNodePtr parent, const char *name, const char *cls, const char *text,
                        int *failed);

/* Sets name="value" (value cleaned) on n; does nothing when *failed is set
 * or n is NULL; sets *failed on an allocation failure. */
void jf__html_attr(xmlNodePtr n, const char *name, const char *value, int *failed);

/* Appends text s (cleaned) to element n; does nothing when *failed is set
 * or n is NULL; sets *failed on an allocation failure. */
void jf__html_text(xmlNodePtr n, const char *s, int *failed);

/* Adds <head> under html: the charset, <title>"title · jefferson"</title>
 * and <style> (style as it is: cleaning would turn its line breaks into
 * '?'). Returns the head, or NULL after a failure (*failed set). */
xmlNodePtr jf__html_head(xmlNodePtr html, const char *title, const char *style, int *failed);

/* Adds <p class="ctx">date · host, cpu · commit C · <code>command</code></p>
 * under body, the run's provenance line; any of them may be NULL. */
void jf__html_context(xmlNodePtr body, const char *date, const char *host, const char *cpu,
                      const char *commit, const char *command, int *failed);

/* Writes doc as formatted HTML to path.tmp, then renames it to path, so
 * path is either the old file or the complete new one (jf__viz_commit).
 * failed: the builder's flag; when set, nothing is written and JF_ENOMEM
 * is returned. Returns 0, JF_EIO or JF_ENOMEM. doc stays the caller's. */
int jf__html_save(htmlDocPtr doc, int failed, const char *path);

#endif /* JF_HTML_BUILD_H */
