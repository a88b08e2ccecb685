/* svg_script.c - the style sheet and the zoom script embedded in every SVG timeline. */
#include <stdio.h>

#include "svg_internal.h"

static const char style[] =
    "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "'DejaVu Sans',sans-serif;font-size:12px;fill:#333}\n"
    ".page{fill:#fff}\n"
    ".title{font-size:16px;fill:#222}.title .wl{font-weight:bold}.title .warn{fill:#b00020}\n"
    ".value{fill:#888;font-size:10px}.hint{fill:#999;font-size:11px}\n"
    ".frame{fill:#fafafa;stroke:#e4e4e4;vector-effect:non-scaling-stroke}.lane-bg{fill:#f2f2f2}\n"
    ".hgrid{stroke:#ebebeb;fill:none}#grid path{stroke:#e2e2e2;fill:none}\n"
    ".batches rect,.alloc path,.legend rect{stroke:none}\n"
    ".queue .area{fill-opacity:.3;stroke:none}\n"
    ".queue .line{fill:none;stroke-width:1.3;stroke-linejoin:round;"
    "vector-effect:non-scaling-stroke}\n"
    ".parks path,.pk{stroke:#9a9a9a;stroke-width:2;fill:none;vector-effect:non-scaling-stroke}\n"
    ".moves path{stroke:#9a9a9a;stroke-width:1;fill:none;vector-effect:non-scaling-stroke}\n"
    ".mv-sample{fill:#9a9a9a}\n"
    ".off{fill:url(#jf-off)}.carry{fill:#fff}\n"
    ".after rect{fill:#ececec}.after path{stroke:#888;stroke-dasharray:4 3;fill:none;"
    "vector-effect:non-scaling-stroke}\n"
    ".axis-line,.tick path{stroke:#777;fill:none}.tick text{fill:#555}\n"
    "#hit,.axis-hit{fill:#fff;fill-opacity:0}#plot{cursor:crosshair}#axis{cursor:zoom-in}\n"
    "#sel{fill:#3b82c4;fill-opacity:.15;stroke:#3b82c4;pointer-events:none}\n"
    ".button{cursor:pointer}.button rect{fill:#f4f4f4;stroke:#aaa}.button text{fill:#222}\n"
    ".sx{fill:#bbb;stroke:#bbb}\n";

/* Zoom in the manner of flamegraph.pl: drag across the plot to zoom into
 * that time range, or click the axis to zoom into one tick interval; the
 * zoomed group is scaled in x, the axis and grid are redrawn, Esc or
 * "reset zoom" go back. Embedded in a page (index.html's <object>), the
 * timeline fits the width it is given instead of shrinking: the plot is
 * stretched or narrowed in x while text keeps its size, so labels stay
 * readable in a narrow window; index.html forwards Esc pressed anywhere
 * on the page as a "jefferson:reset" message. Plain ES5 and DOM calls: it
 * runs from a file, offline, and finds its parts inside its own <svg> so
 * that several timelines can share one page. */
static const char script[] =
    "(function () {\n"
    "'use strict';\n"
    "var me = document.currentScript, NS = 'http://www.w3.org/2000/svg';\n"
    "var svg = me && me.ownerSVGElement ? me.ownerSVGElement : document.documentElement;\n"
    "function $(id) { return svg.querySelector('#' + id); }\n"
    "var plot = $('plot'), zoom = $('zoom'), axis = $('axis'), ticks = $('ticks');\n"
    "var grid = $('grid'), sel = $('sel'), reset = $('reset'), hit = $('hit');\n"
    "var clip = svg.querySelector('#jf-clip rect');\n"
    "if (!plot || !zoom || !axis || !ticks || !grid || !sel || !reset || !hit || !clip ||\n"
    "    !svg.createSVGPoint || !svg.viewBox)\n"
    "  return;\n"
    "var W0 = +plot.getAttribute('data-width'), W = W0, wall = +plot.getAttribute('data-wall');\n"
    "var FULL = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height, LEAST = 600;\n"
    "var top = +plot.getAttribute('data-top'), bottom = +plot.getAttribute('data-axis');\n"
    "var UNITS = [[1, 'ns'], [1e3, '\\u00b5s'], [1e6, 'ms'], [1e9, 's']];\n"
    "var v0 = 0, v1 = wall, step = niceStep(wall), drag = null;\n"
    "function niceStep(span) {\n"
    "  var raw = span / (W / 110), p = 1;\n"
    "  while (p * 10 <= raw) p *= 10;\n"
    "  return p >= raw ? p : 2 * p >= raw ? 2 * p : 5 * p >= raw ? 5 * p : 10 * p;\n"
    "}\n"
    "function label(t) {\n"
    "  var digits = Math.floor(Math.log(step) / Math.LN10 + 1e-9), u = 0;\n"
    "  while (u < 3 && UNITS[u + 1][0] <= v1) u++;\n"
    "  var s = (t / UNITS[u][0]).toFixed(Math.max(0, 3 * u - digits));\n"
    "  if (s.indexOf('.') >= 0) s = s.replace(/\\.?0+$/, '');\n"
    "  return s + ' ' + UNITS[u][1];\n"
    "}\n"
    "function el(name, attrs, parent) {\n"
    "  var e = document.createElementNS(NS, name);\n"
    "  for (var k in attrs) e.setAttribute(k, attrs[k]);\n"
    "  return parent.appendChild(e);\n"
    "}\n"
    "function drawTicks() {\n"
    "  while (ticks.firstChild) ticks.removeChild(ticks.firstChild);\n"
    "  while (grid.firstChild) grid.removeChild(grid.firstChild);\n"
    "  for (var i = Math.ceil(v0 / step); i * step <= v1; i++) {\n"
    "    var t = i * step, x = ((t - v0) / (v1 - v0) * W).toFixed(2);\n"
    "    el('path', {d: 'M' + x + ' ' + top + 'V' + bottom}, grid);\n"
    "    var g = el('g', {'class': 'tick', 'data-t': String(t),\n"
    "                     transform: 'translate(' + x + ',0)'}, ticks);\n"
    "    el('path', {d: 'M0 0v5'}, g);\n"
    "    el('text', {y: '18', 'text-anchor': 'middle'}, g).textContent = label(t);\n"
    "  }\n"
    "}\n"
    "function show(a, b) {\n"
    "  var least = Math.min(wall, 20);\n"
    "  if (b - a < least) { a = (a + b - least) / 2; b = a + least; }\n"
    "  if (a < 0) { b -= a; a = 0; }\n"
    "  if (b > wall) { a = Math.max(0, a - (b - wall)); b = wall; }\n"
    "  v0 = a; v1 = b; step = niceStep(b - a);\n"
    "  var k = wall / (b - a);\n"
    "  zoom.setAttribute('transform', 'translate(' + (-a / wall * W * k) + ',0) scale(' +\n"
    "                    (k * W / W0) + ',1)');\n"
    "  drawTicks();\n"
    "  reset.setAttribute('visibility', a > 0 || b < wall ? 'visible' : 'hidden');\n"
    "}\n"
    "function plotX(e) {\n"
    "  var m = plot.getScreenCTM(), p = svg.createSVGPoint();\n"
    "  if (!m) return 0;\n"
    "  p.x = e.clientX; p.y = e.clientY;\n"
    "  return Math.max(0, Math.min(W, p.matrixTransform(m.inverse()).x));\n"
    "}\n"
    "function timeAt(x) { return v0 + (v1 - v0) * x / W; }\n"
    "plot.addEventListener('mousedown', function (e) {\n"
    "  if (e.button !== 0) return;\n"
    "  drag = {x: plotX(e), onAxis: axis.contains(e.target)};\n"
    "  e.preventDefault();\n"
    "});\n"
    "document.addEventListener('mousemove', function (e) {\n"
    "  if (!drag) return;\n"
    "  var x = plotX(e);\n"
    "  sel.setAttribute('x', Math.min(x, drag.x));\n"
    "  sel.setAttribute('width', Math.abs(x - drag.x));\n"
    "  sel.setAttribute('visibility', 'visible');\n"
    "});\n"
    "document.addEventListener('mouseup', function (e) {\n"
    "  if (!drag) return;\n"
    "  var x = plotX(e), a = Math.min(x, drag.x), b = Math.max(x, drag.x), onAxis = drag.onAxis;\n"
    "  drag = null;\n"
    "  sel.setAttribute('visibility', 'hidden');\n"
    "  if (b - a >= 3) {\n"
    "    show(timeAt(a), timeAt(b));\n"
    "  } else if (onAxis) {\n"
    "    var t0 = Math.floor(timeAt(x) / step) * step;\n"
    "    show(t0, t0 + step);\n"
    "  }\n"
    "});\n"
    "reset.addEventListener('click', function () { show(0, wall); });\n"
    "document.addEventListener('keydown', function (e) {\n"
    "  if (e.key === 'Escape' || e.keyCode === 27) show(0, wall);\n"
    "});\n"
    "/* Embedded: the plot takes the width of the box, between LEAST and as drawn. */\n"
    "function fit() {\n"
    "  var w = Math.max(LEAST, Math.min(FULL, window.innerWidth || FULL)), k;\n"
    "  W = w - (FULL - W0);\n"
    "  k = W / W0;\n"
    "  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + H);\n"
    "  hit.setAttribute('width', W);\n"
    "  clip.setAttribute('width', W);\n"
    "  var wide = svg.querySelectorAll('.frames, .axis-hit, .axis-line');\n"
    "  for (var i = 0; i < wide.length; i++) wide[i].setAttribute('transform', 'scale(' + k + ',1)');\n"
    "  reset.setAttribute('transform', 'translate(' + (w - FULL) + ',0)');\n"
    "  show(v0, v1);\n"
    "}\n"
    "if (window.parent !== window && svg === document.documentElement) {\n"
    "  svg.setAttribute('width', '100%');\n"
    "  svg.setAttribute('height', '100%');\n"
    "  fit();\n"
    "  window.addEventListener('resize', fit);\n"
    "  plot.addEventListener('mousedown', function () { window.focus(); });\n"
    "  window.addEventListener('message', function (e) {\n"
    "    if (e.data === 'jefferson:reset') show(0, wall);\n"
    "  });\n"
    "}\n"
    "})();\n";

/* A stage's rule: its colour, or from JF__SVG_PALETTE on its hatch. */
static void stage_rule(jf__svg_t *s, unsigned stage)
{
    const char *c = jf__svg_colour(stage);
    char rule[96];

    if (stage < JF__SVG_PALETTE)
        snprintf(rule, sizeof rule, ".s%u{fill:%s;stroke:%s}\n", stage, c, c);
    else
        snprintf(rule, sizeof rule, ".s%u{fill:url(#jf-h%u);stroke:%s}\n", stage, stage, c);
    jf__svg_text(s, rule);
}

void jf__svg_write_style(jf__svg_t *s)
{
    jf__svg_start(s, "style");
    jf__svg_text(s, style);
    for (unsigned i = 0; i < s->nstages && i < JF__SVG_PALETTE * (1 + JF__SVG_HATCHES); i++)
        stage_rule(s, i);
    jf__svg_end(s);
}

/* Stage i >= JF__SVG_PALETTE: its hue under white stripes, at 45 degrees
 * in the first round past the palette, at -45 in the second, so that no
 * two stages look alike even where the palette's hues come round again. */
void jf__svg_write_hatches(jf__svg_t *s)
{
    char id[32], turn[32];

    for (unsigned i = JF__SVG_PALETTE;
         i < s->nstages && i < JF__SVG_PALETTE * (1 + JF__SVG_HATCHES); i++) {
        snprintf(id, sizeof id, "jf-h%u", i);
        snprintf(turn, sizeof turn, "rotate(%d)", i / JF__SVG_PALETTE == 1 ? 45 : -45);
        jf__svg_start(s, "pattern");
        jf__svg_attr(s, "id", id);
        jf__svg_attr(s, "patternUnits", "userSpaceOnUse");
        jf__svg_attr(s, "width", "6");
        jf__svg_attr(s, "height", "6");
        jf__svg_attr(s, "patternTransform", turn);
        jf__svg_start(s, "rect");
        jf__svg_attr(s, "width", "6");
        jf__svg_attr(s, "height", "6");
        jf__svg_attr(s, "fill", jf__svg_colour(i));
        jf__svg_end(s);
        jf__svg_start(s, "rect");
        jf__svg_attr(s, "width", "2");
        jf__svg_attr(s, "height", "6");
        jf__svg_attr(s, "fill", "#fff");
        jf__svg_end(s);
        jf__svg_end(s);
    }
}

/* Preempted batches: dark stripes over the stage's colour (svg_lanes.c). */
void jf__svg_write_off_cpu(jf__svg_t *s)
{
    jf__svg_start(s, "pattern");
    jf__svg_attr(s, "id", "jf-off");
    jf__svg_attr(s, "patternUnits", "userSpaceOnUse");
    jf__svg_attr(s, "width", "6");
    jf__svg_attr(s, "height", "6");
    jf__svg_attr(s, "patternTransform", "rotate(45)");
    jf__svg_start(s, "rect");
    jf__svg_attr(s, "width", "2");
    jf__svg_attr(s, "height", "6");
    jf__svg_attr(s, "fill", JF__SVG_OFF_CPU);
    jf__svg_end(s);
    jf__svg_end(s);
}

void jf__svg_write_script(jf__svg_t *s)
{
    jf__svg_start(s, "script");
    jf__svg_attr(s, "type", "application/ecmascript");
    jf__svg_cdata(s, script);
    jf__svg_end(s);
}
