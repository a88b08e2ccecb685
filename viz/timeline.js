/* timeline.js - index.html's timelines, drawn from the exact spans embedded in
 * the page (viz/timeline_data.c) and redrawn at the current resolution on every
 * zoom and pan. Plain script: no framework, nothing fetched.
 *
 * What is drawn, per pixel column of the plot:
 *  - a lane's batch at least 2 px wide is one solid rectangle in its stage's
 *    colour over the columns it covers in full: a solid column is one batch;
 *  - narrower batches, and the partly covered columns at a wide batch's ends,
 *    add up per column into a striped bar: its height is the share of the
 *    column the worker was busy, split bottom-up by stage; the stripes say
 *    "aggregated" and keep batches back to back apart;
 *  - parked time is a thin grey line;
 *  - workers per stage and queue depths are re-binned from the exact data
 *    at the current zoom; scheduler moves are a rate (moves per column);
 *  - above FOLD lanes, the lanes fold into one row per stage whose shade
 *    says how many workers ran that stage (HEAT_LEVELS steps from white).
 * Every plot pixel is written as an exact colour (ImageData): no blending. */

var state = { linked: true, common: false, f0: 0, f1: 1 };
var panels = [];
var labelW = 120;
var maxWall = 1;
var hover = null;      /* { p: panel, x, y } in CSS px inside p's canvas */
var keyPanel = null;   /* the panel keys act on: the last one hovered */
var drag = null;
var pending = false;
var timing = { lastRedrawMs: 0 };

/* ---- the view --------------------------------------------------------- */

function extent(p) { return state.common ? maxWall : p.run.wall; }
function frac(p) { return state.linked ? state : p; }

function view(p) {
  var f = frac(p), e = extent(p);
  return { v0: f.f0 * e, v1: f.f1 * e };
}

function setFrac(p, f0, f1) {
  var f = frac(p), min = Math.min(1, MIN_SPAN_NS / extent(p)), span = f1 - f0;
  if (span < min) { f0 += (span - min) / 2; span = min; }
  if (span > 1) span = 1;
  f0 = Math.max(0, Math.min(1 - span, f0));
  f.f0 = f0;
  f.f1 = f0 + span;
  schedule(state.linked ? null : p);
}

function zoomAt(p, fx, factor) {
  var f = frac(p), span = f.f1 - f.f0, next = span * factor;
  setFrac(p, f.f0 + fx * (span - next), f.f0 + fx * (span - next) + next);
}

function pan(p, dfrac) {
  var f = frac(p), span = f.f1 - f.f0;
  setFrac(p, f.f0 + dfrac * span, f.f1 + dfrac * span);
}

function resetAll() {
  state.f0 = 0; state.f1 = 1;
  panels.forEach(function (p) { p.f0 = 0; p.f1 = 1; });
  schedule(null);
}

/* ---- layout ----------------------------------------------------------- */

function folded(p) { return p.run.lanes.length > FOLD && !p.open; }

function layout(p) {
  var run = p.run, rows = [], y = 0, i;
  function row(r, h, gap) { r.y = y; r.h = h; rows.push(r); y += h + gap; }
  row({ kind: 'axis' }, AXIS_H, 4);
  row({ kind: 'busy', label: 'workers busy' }, BUSY_H, SECTION_GAP);
  if (run.moves.length) row({ kind: 'moves', label: 'moves' }, MOVE_H, SECTION_GAP);
  if (folded(p)) {
    for (i = 0; i < run.stages.length; i++)
      row({ kind: 'heat', stage: i, label: run.stages[i] }, HEAT_H, LANE_GAP);
  } else {
    for (i = 0; i < run.lanes.length; i++)
      row({ kind: 'lane', lane: i, label: run.lanes[i].label }, LANE_H, LANE_GAP);
  }
  y += SECTION_GAP - LANE_GAP;
  /* A queue nothing ever waited in would be a blank row: the readout
   * still lists it. */
  for (i = 0; i < run.stages.length; i++)
    if (run.queues[i].max > 0)
      row({ kind: 'queue', stage: i, label: 'queue ' + run.stages[i] }, QUEUE_H, 4);
  p.rows = rows;
  p.height = y;
}

/* One label column for every timeline, as wide as the widest label, so
 * that the plots line up under one another. */
function measureLabels() {
  var ctx = document.createElement('canvas').getContext('2d'), w = 0;
  function fit(text) { w = Math.max(w, ctx.measureText(text).width); }
  ctx.font = FONT + 'px sans-serif';
  panels.forEach(function (p) {
    var run = p.run;
    fit('workers busy (of ' + run.lanes.length + ')');
    fit('moves (peak 99999/ms)');
    run.lanes.forEach(function (l) { fit(l.label); });
    run.stages.forEach(function (s, i) {
      fit('queue ' + s + ' \u2264' + run.queues[i].max);
      fit(s + ' (\u2264' + run.peak[i] + ' workers)');
    });
  });
  labelW = Math.min(260, Math.max(96, Math.ceil(w) + 14));
}

function size(p) {
  var D = window.devicePixelRatio || 1, w = Math.max(200, p.wrap.clientWidth);
  layout(p);
  p.D = D;
  [p.canvas, p.over].forEach(function (c) {
    c.width = Math.round(w * D);
    c.height = Math.round(p.height * D);
    c.style.width = w + 'px';
    c.style.height = p.height + 'px';
  });
}


/* ---- redraw scheduling ------------------------------------------------ */

function schedule(p) {
  panels.forEach(function (q) { if (p === null || q === p) q.dirty = true; });
  if (pending) return;
  pending = true;
  requestAnimationFrame(function () {
    pending = false;
    redraw(false);
  });
}

function redraw(all) {
  var t = performance.now();
  panels.forEach(function (p) {
    if (all || p.dirty) draw(p);
    p.dirty = false;
  });
  timing.lastRedrawMs = performance.now() - t;
  drawOverlays();
  return timing.lastRedrawMs;
}

/* ---- the cursor: crosshair and readout -------------------------------- */

function cursorFrac(p, x) {
  var g = p.geom;
  return g ? (x * g.D - g.X0) / g.PW : -1;
}

function rowAt(p, y) {
  for (var i = 0; i < p.rows.length; i++) {
    var r = p.rows[i];
    if (y >= r.y && y < r.y + r.h + LANE_GAP) return r;
  }
  return null;
}

function batchAt(l, t) {
  var i = firstEnding(l.t1, t);
  return i < l.t0.length && l.t0[i] <= t ? i : -1;
}

function depthAt(q, t) {
  var lo = 0, hi = q.t.length;
  while (lo < hi) { var m = (lo + hi) >> 1; if (q.t[m] <= t) lo = m + 1; else hi = m; }
  return lo > 0 ? q.d[lo - 1] : null;
}

function readout(p, fx, row) {
  var run = p.run, v = view(p), t = v.v0 + fx * (v.v1 - v.v0), el = p.readout;
  var res = (v.v1 - v.v0) / (p.geom ? p.geom.PW : 1000), parts, busy = [], q = [], i, s;
  parts = ['t = ' + fmtTime(t, v.v1 - v.v0, res)];
  /* Every queue and stage, but with many stages the zeros go together
   * so that the line stays short. */
  var few = run.stages.length <= 6, counts = run.stages.map(function () { return 0; });
  if (run.hasQueues)
    run.stages.forEach(function (name, k) {
      var d = depthAt(run.queues[k], t);
      if (few || d) q.push(name + ' ' + (d === null ? '\u2013' : d));
    });
  run.lanes.forEach(function (l) {
    var b = batchAt(l, t);
    if (b >= 0 && l.st[b] < counts.length) counts[l.st[b]]++;
  });
  for (s = 0; s < counts.length; s++)
    if (few || counts[s]) busy.push(run.stages[s] + ' ' + counts[s]);
  if (run.hasQueues)
    parts.push('queues: ' + q.join(', ') + (few ? '' : (q.length ? ', ' : '') + 'the rest empty'));
  parts.push('workers: ' + busy.join(', ') + (few ? '' : (busy.length ? ', ' : '') +
                                               'none on the rest'));
  el.removeAttribute('data-stage');
  el.removeAttribute('data-cpu');
  el.removeAttribute('data-carried');
  el.setAttribute('data-t', String(Math.round(t)));
  el.setAttribute('data-workers', counts.join(','));
  el.setAttribute('data-queues', run.queues.map(function (qs) {
    var d = depthAt(qs, t);
    return d === null ? '' : String(d);
  }).join(','));
  if (row && row.kind === 'lane') {
    var l = run.lanes[row.lane], b = batchAt(l, t);
    el.setAttribute('data-lane', String(row.lane));
    if (b >= 0) {
      s = l.st[b];
      parts.push(l.label + ': ' + (s < run.stages.length ? run.stages[s] : 'stage ' + s) +
                 ', ' + l.items[b] + ' items, ' + fmtExact(l.t0[b]) + ' \u2013 ' +
                 fmtExact(l.t1[b]) + ' (' + fmtDur(l.t1[b] - l.t0[b]) + ')' + cpuNote(l, b) +
                 (l.carried[b] ? ', carried from its previous batch (no queue hop)' : ''));
      el.setAttribute('data-carried', String(l.carried[b]));
      if (l.cpu[b] >= 0) el.setAttribute('data-cpu', String(l.cpu[b]));
      else el.removeAttribute('data-cpu');
      el.setAttribute('data-stage', String(s));
      el.setAttribute('data-t0', String(l.t0[b]));
      el.setAttribute('data-t1', String(l.t1[b]));
      el.setAttribute('data-items', String(l.items[b]));
    } else {
      i = firstEnding(l.p1, t);
      parts.push(l.label + ': ' + (i < l.p0.length && l.p0[i] <= t ? 'parked' : 'idle'));
    }
    parts.push(pixelSummary(run, l, t, t + res));
  }
  el.textContent = parts.filter(Boolean).join(' \u00b7 ');
}

/* How much of a batch's wall time its thread was on a CPU, when sampled. */
function cpuNote(l, b) {
  var wall = l.t1[b] - l.t0[b];
  if (l.cpu[b] < 0 || wall <= 0) return ', CPU time not sampled';
  var share = Math.min(1, l.cpu[b] / wall);
  return ', on a CPU ' + Math.round(100 * share) + '% of it' +
    (offCpu(l, b) ? ' (preempted ' + fmtDur(wall - l.cpu[b]) + ')' : '');
}

/* What a striped column holds: the batches of the lane in [a, b). */
function pixelSummary(run, l, a, b) {
  var n = 0, busy = run.stages.map(function () { return 0; }), out = [];
  for (var i = firstEnding(l.t1, a); i < l.t0.length && l.t0[i] < b; i++) {
    n++;
    if (l.st[i] < busy.length)
      busy[l.st[i]] += Math.min(b, l.t1[i]) - Math.max(a, l.t0[i]);
  }
  if (n < 2) return '';
  busy.forEach(function (v, s) {
    if (v > 0) out.push(run.stages[s] + ' ' + Math.round(100 * v / (b - a)) + '%');
  });
  return n + ' batches in this pixel: ' + out.join(', ');
}

function drawOverlays() {
  panels.forEach(function (p) {
    var ctx = p.octx, g = p.geom;
    ctx.clearRect(0, 0, p.over.width, p.over.height);
    if (!g) return;
    if (drag && drag.mode === 'select' && drag.p === p) {
      var a = Math.min(drag.x0, drag.x) * g.D, b = Math.max(drag.x0, drag.x) * g.D;
      ctx.fillStyle = 'rgba(26,95,180,0.18)';
      ctx.fillRect(Math.round(a), 0, Math.round(b - a), p.over.height);
    }
    if (!hover || (!state.linked && hover.p !== p)) {
      if (!hover) p.readout.textContent = '\u00a0';
      return;
    }
    var fx = cursorFrac(hover.p, hover.x);
    if (fx < 0 || fx > 1) return;
    var x = g.X0 + Math.floor(fx * g.PW);
    ctx.fillStyle = '#b00020';
    ctx.fillRect(x, 0, Math.max(1, Math.round(g.D)), p.over.height);
    readout(p, fx, hover.p === p ? rowAt(p, hover.y) : null);
  });
}

/* ---- events ----------------------------------------------------------- */

function local(p, e) {
  var b = p.canvas.getBoundingClientRect();
  return { x: e.clientX - b.left, y: e.clientY - b.top };
}

function onWheel(p, e) {
  var at = local(p, e), fx = cursorFrac(p, at.x), scale = e.deltaMode === 1 ? 33 : 1;
  e.preventDefault();
  keyPanel = p;
  if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
    pan(p, (e.shiftKey ? e.deltaY || e.deltaX : e.deltaX) * scale / (p.geom.PW / p.geom.D));
    return;
  }
  zoomAt(p, Math.max(0, Math.min(1, fx)), Math.pow(1.002, e.deltaY * scale));
}

function onDown(p, e) {
  var at = local(p, e), r = rowAt(p, at.y);
  if (e.button !== 0) return;
  e.preventDefault();
  keyPanel = p;
  if (at.x * p.D < p.geom.X0) {
    if (r && (r.kind === 'heat' || r.kind === 'lane') && p.run.lanes.length > FOLD) toggleLanes(p);
    return;
  }
  drag = { p: p, x0: at.x, x: at.x, moved: false, row: r,
           mode: e.shiftKey || (r && r.kind === 'axis') ? 'pan' : 'select',
           f: { f0: frac(p).f0, f1: frac(p).f1 } };
}

function onDrag(e) {
  var at = local(drag.p, e), g = drag.p.geom;
  drag.moved = drag.moved || Math.abs(at.x - drag.x0) > 3;
  drag.x = at.x;
  if (drag.mode === 'pan') {
    var span = drag.f.f1 - drag.f.f0, d = -(at.x - drag.x0) * g.D / g.PW * span;
    setFrac(drag.p, drag.f.f0 + d, drag.f.f1 + d);
  } else {
    drawOverlays();
  }
}

function onUp() {
  var d = drag, p = d.p;
  drag = null;
  if (d.mode === 'select' && d.moved) {
    var a = Math.max(0, cursorFrac(p, Math.min(d.x0, d.x)));
    var b = Math.min(1, cursorFrac(p, Math.max(d.x0, d.x))), f = frac(p), span = f.f1 - f.f0;
    setFrac(p, f.f0 + a * span, f.f0 + b * span);
  } else if (!d.moved && d.row && d.row.kind === 'heat') {
    toggleLanes(p);
  }
  drawOverlays();
}

function onKey(e) {
  var p = keyPanel || panels[0], k = e.key.toLowerCase(), fx = 0.5;
  var typing = /TEXTAREA|SELECT/.test(e.target.tagName) ||
    (e.target.tagName === 'INPUT' && e.target.type !== 'checkbox');
  if (!p || e.ctrlKey || e.metaKey || e.altKey || typing) return;
  if (hover && hover.p === p) fx = Math.max(0, Math.min(1, cursorFrac(p, hover.x)));
  if (k === 'w') zoomAt(p, fx, 0.8);
  else if (k === 's') zoomAt(p, fx, 1.25);
  else if (k === 'a') pan(p, -0.1);
  else if (k === 'd') pan(p, 0.1);
  else if (k === 'escape') resetAll();
  else return;
  e.preventDefault();
}

function toggleLanes(p) {
  p.open = !p.open;
  if (p.toggle) p.toggle.textContent = p.open ? 'fold the lanes into a heat map' :
    'open the ' + p.run.lanes.length + ' worker lanes';
  size(p);
  schedule(p);
}

/* ---- set up ------------------------------------------------------------ */

function panel(box) {
  var data = document.getElementById(box.getAttribute('data-src'));
  var p = { box: box, run: decodeRun(JSON.parse(data.textContent)), f0: 0, f1: 1, open: false };
  var head = document.createElement('div'), wrap = document.createElement('div');
  p.readout = document.createElement('div');
  p.readout.className = 'jf-tl-readout';
  p.readout.textContent = '\u00a0';
  head.className = 'jf-tl-head';
  if (p.run.lanes.length > FOLD) {
    p.toggle = document.createElement('button');
    p.toggle.type = 'button';
    p.toggle.className = 'jf-tl-toggle';
    p.toggle.textContent = 'open the ' + p.run.lanes.length + ' worker lanes';
    p.toggle.addEventListener('click', function () { toggleLanes(p); });
    head.appendChild(p.toggle);
  }
  head.appendChild(p.readout);
  p.canvas = document.createElement('canvas');
  p.over = document.createElement('canvas');
  p.over.className = 'over';
  wrap.className = 'jf-tl-plot';
  p.wrap = wrap;
  wrap.appendChild(p.canvas);
  wrap.appendChild(p.over);
  box.appendChild(head);
  box.appendChild(wrap);
  p.ctx = p.canvas.getContext('2d');
  p.octx = p.over.getContext('2d');
  wrap.addEventListener('wheel', function (e) { onWheel(p, e); }, { passive: false });
  wrap.addEventListener('mousedown', function (e) { onDown(p, e); });
  wrap.addEventListener('mousemove', function (e) {
    var at = local(p, e);
    hover = { p: p, x: at.x, y: at.y };
    keyPanel = p;
    wrap.style.cursor = at.x * p.D < (p.geom ? p.geom.X0 : 0) ? 'pointer' :
      rowAt(p, at.y) && rowAt(p, at.y).kind === 'axis' ? 'grab' : 'crosshair';
    if (!drag) drawOverlays();
  });
  wrap.addEventListener('mouseleave', function () {
    if (hover && hover.p === p) hover = null;
    drawOverlays();
  });
  return p;
}

function swatch(text, css) {
  var s = document.createElement('span'), b = document.createElement('i');
  s.className = 'jf-tl-key';
  b.style.cssText = css;
  s.appendChild(b);
  s.appendChild(document.createTextNode(text));
  return s;
}

function controls(bar) {
  var run = panels[0].run, legend = document.createElement('div');
  function check(label, key, on) {
    var l = document.createElement('label'), c = document.createElement('input');
    c.type = 'checkbox';
    c.checked = on;
    c.id = 'jf-tl-' + key;
    c.addEventListener('change', function () {
      if (key === 'link') {
        state.linked = c.checked;
        if (!state.linked) panels.forEach(function (p) { p.f0 = state.f0; p.f1 = state.f1; });
      } else {
        state.common = c.checked;
      }
      schedule(null);
    });
    l.appendChild(c);
    l.appendChild(document.createTextNode(' ' + label));
    bar.appendChild(l);
  }
  check('one zoom for every strategy (the same share of each run; the same times on a ' +
        'common axis)', 'link', true);
  check('common time axis (off: each fits its own run)', 'common', false);
  var help = document.createElement('div');
  help.className = 'jf-tl-help';
  help.textContent = 'Wheel: zoom at the cursor \u00b7 drag: zoom into a range \u00b7 ' +
    'drag the time axis, Shift+drag or Shift+wheel: pan \u00b7 W/S zoom, A/D pan, ' +
    'Esc: whole run \u00b7 above ' + FOLD + ' workers, click the heat map to open the lanes ' +
    '\u00b7 wheel over the headings to scroll the page';
  bar.appendChild(help);
  legend.className = 'jf-tl-legend';
  run.stages.forEach(function (s, i) {
    legend.appendChild(swatch(s, 'background:' + hex(colour(run, i))));
  });
  legend.appendChild(swatch('parked', 'height:2px;background:' + hex(PARK)));
  legend.appendChild(swatch('preempted: a sampled batch on a CPU under ' +
    Math.round(100 * OFF_CPU_SHARE) + '% of its time', 'background-color:' + hex(OFF_CPU) +
    ';background-image:repeating-linear-gradient(45deg,' + hex(OFF_CPU) + ' 0 2px,' +
    hex(colour(run, 0)) + ' 2px 6px)'));
  if (panels.some(function (p) {
    return p.run.lanes.some(function (l) { return l.carried.indexOf(1) >= 0; });
  }))
    legend.appendChild(swatch('carried: run straight from the worker\'s hand after its ' +
    'previous stage, no queue hop', 'background:linear-gradient(' + hex(colour(run, 0)) +
    ' 0 42%,' + hex(CARRY) + ' 42% 58%,' + hex(colour(run, 0)) + ' 58%)'));
  legend.appendChild(swatch('several batches in one pixel: height = time busy, split by stage',
    'background:repeating-linear-gradient(#fff 0 1px,' + hex(colour(run, 0)) + ' 1px 3px)'));
  legend.appendChild(swatch('heat map: darker = more of the workers on that stage',
    'background:linear-gradient(90deg,' + hex(tint(colour(run, 0), 1)) + ',' +
    hex(colour(run, 0)) + ')'));
  bar.appendChild(legend);
}

function start() {
  var boxes = document.querySelectorAll('.jf-tl');
  for (var i = 0; i < boxes.length; i++) panels.push(panel(boxes[i]));
  if (!panels.length) return;
  panels.forEach(function (p) { maxWall = Math.max(maxWall, p.run.wall); });
  measureLabels();
  var bar = document.querySelector('.jf-tl-bar');
  if (bar) controls(bar);
  panels.forEach(size);
  redraw(true);
  document.addEventListener('keydown', onKey);
  window.addEventListener('mousemove', function (e) { if (drag) onDrag(e); });
  window.addEventListener('mouseup', function () { if (drag) onUp(); });
  window.addEventListener('resize', function () {
    panels.forEach(size);
    schedule(null);
  });
}

/* For tests and the curious: the panels, the shared zoom, a timed redraw. */
window.jfTimeline = {
  panels: panels, state: state, timing: timing,
  redraw: function () { return redraw(true); },
  view: view
};
start();
