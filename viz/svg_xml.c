/* svg_xml.c - xmlTextWriter calls that remember the first failure. */
#include <math.h>
#include <stdio.h>

#include "jefferson/error.h"
#include "svg_internal.h"
#include "viz_internal.h"

/* Every call below is skipped once a write failed, so callers can write a
 * whole section and check s->err once. */
static void check(jf__svg_t *s, int rc)
{
    if (rc < 0 && s->err == 0)
        s->err = JF_EIO;
}

void jf__svg_start(jf__svg_t *s, const char *element)
{
    if (s->err == 0)
        check(s, xmlTextWriterStartElement(s->w, BAD_CAST element));
}

void jf__svg_end(jf__svg_t *s)
{
    if (s->err == 0)
        check(s, xmlTextWriterEndElement(s->w));
}

void jf__svg_attr(jf__svg_t *s, const char *name, const char *value)
{
    if (s->err == 0)
        check(s, xmlTextWriterWriteAttribute(s->w, BAD_CAST name, BAD_CAST value));
}

void jf__svg_attr_int(jf__svg_t *s, const char *name, int64_t value)
{
    char buf[32];

    jf__svg_attr(s, name, jf__viz_fixed(buf, sizeof buf, value, 0, 1));
}

void jf__svg_attr_centi(jf__svg_t *s, const char *name, int64_t centi)
{
    char buf[32];

    jf__svg_attr(s, name, jf__viz_fixed(buf, sizeof buf, centi, 2, 1));
}

void jf__svg_attr_px(jf__svg_t *s, const char *name, double px)
{
    jf__svg_attr_centi(s, name, (int64_t)llround(px * 100.0));
}

void jf__svg_text(jf__svg_t *s, const char *text)
{
    if (s->err == 0)
        check(s, xmlTextWriterWriteString(s->w, BAD_CAST text));
}

void jf__svg_title(jf__svg_t *s, const char *text)
{
    jf__svg_start(s, "title");
    jf__svg_text(s, text);
    jf__svg_end(s);
}

void jf__svg_cdata(jf__svg_t *s, const char *text)
{
    if (s->err == 0)
        check(s, xmlTextWriterWriteCDATA(s->w, BAD_CAST text));
}

void jf__svg_path_begin(jf__svg_t *s)
{
    if (s->err == 0)
        check(s, xmlTextWriterStartAttribute(s->w, BAD_CAST "d"));
}

void jf__svg_path_cmd(jf__svg_t *s, char cmd, double v)
{
    char buf[40];

    buf[0] = cmd;
    jf__viz_fixed(buf + 1, sizeof buf - 1, (int64_t)llround(v * 10.0), 1, 1);
    if (s->err == 0)
        check(s, xmlTextWriterWriteRaw(s->w, BAD_CAST buf));
}

void jf__svg_path_raw(jf__svg_t *s, const char *text)
{
    if (s->err == 0)
        check(s, xmlTextWriterWriteRaw(s->w, BAD_CAST text));
}

void jf__svg_path_end(jf__svg_t *s)
{
    if (s->err == 0)
        check(s, xmlTextWriterEndAttribute(s->w));
}

void jf__svg_label(jf__svg_t *s, const char *cls, double x, double y, const char *anchor,
                   const char *text)
{
    jf__svg_start(s, "text");
    if (cls != NULL)
        jf__svg_attr(s, "class", cls);
    jf__svg_attr_px(s, "x", x);
    jf__svg_attr_px(s, "y", y);
    if (anchor != NULL)
        jf__svg_attr(s, "text-anchor", anchor);
    jf__svg_text(s, text);
    jf__svg_end(s);
}

int jf__svg_write_file(const char *tmp, void (*draw)(jf__svg_t *s, const void *arg),
                       const void *arg)
{
    jf__svg_t s = {0};
    FILE *f = fopen(tmp, "wb");
    xmlOutputBufferPtr out = f ? xmlOutputBufferCreateFile(f, NULL) : NULL;

    if (!f)
        return JF_EIO;
    s.w = out ? xmlNewTextWriter(out) : NULL;
    if (!s.w) {
        if (out)
            xmlOutputBufferClose(out);
        fclose(f);
        return JF_ENOMEM;
    }
    xmlTextWriterSetIndent(s.w, 1);
    xmlTextWriterSetIndentString(s.w, BAD_CAST "");
    draw(&s, arg);
    xmlFreeTextWriter(s.w); /* flushes into f */
    if ((ferror(f) || fflush(f) != 0) && s.err == 0)
        s.err = JF_EIO;
    if (fclose(f) != 0 && s.err == 0)
        s.err = JF_EIO;
    return s.err;
}
