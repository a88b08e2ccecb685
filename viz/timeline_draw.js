/* timeline_draw.js - one timeline drawn at the current zoom, every plot pixel an exact
 * colour (see timeline.js for what is drawn). */

/* ---- drawing into pixels ---------------------------------------------- */

function Pixels(w, h) {
  this.img = new ImageData(w, h);
  this.px = new Uint32Array(this.img.data.buffer);
  this.w = w;
  this.h = h;
}
/* ImageData is RGBA in memory: little-endian words read ABGR. */
Pixels.prototype.fill = function (x, y, w, h, rgb) {
  var v = (0xff000000 | ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff)) >>> 0;
  var x1 = Math.min(this.w, x + w), y1 = Math.min(this.h, y + h);
  x = Math.max(0, x); y = Math.max(0, y);
  var px = this.px, W = this.w, r, i;
  if (x1 - x > 8) {
    for (r = y; r < y1; r++) px.fill(v, r * W + x, r * W + x1);
    return;
  }
  for (r = y; r < y1; r++)
    for (i = r * W + x; i < r * W + x1; i++) px[i] = v;
};

/* Index of the first span of a time-ordered list that ends at or after t. */
function firstEnding(ends, t) {
  var lo = 0, hi = ends.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (ends[mid] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* Adds [xa, xb) (px from the plot's left) to acc[col * stride + off], per column. */
function spread(acc, stride, off, xa, xb, n) {
  if (xa < 0) xa = 0;
  if (xb > n) xb = n;
  if (!(xb > xa)) return;
  var c0 = Math.floor(xa), c1 = Math.min(n - 1, Math.ceil(xb) - 1);
  if (c0 >= c1) { acc[c0 * stride + off] += xb - xa; return; }
  acc[c0 * stride + off] += c0 + 1 - xa;
  for (var c = c0 + 1; c < c1; c++) acc[c * stride + off] += 1;
  acc[c1 * stride + off] += xb - c1;
}

/* Workers per stage per column: mean over the column, from every lane. */
function busyColumns(g) {
  var run = g.run, S = run.stages.length + 1, busy = new Float64Array(g.PW * S);
  run.lanes.forEach(function (l) {
    for (var i = firstEnding(l.t1, g.v0); i < l.t0.length && l.t0[i] <= g.v1; i++)
      spread(busy, S, Math.min(l.st[i], S - 1), (l.t0[i] - g.v0) * g.sc,
             (l.t1[i] - g.v0) * g.sc, g.PW);
  });
  return busy;
}

/* A stacked bar per column, bottom-up, in stage colours; top is `max`. */
function drawStacked(g, r, busy, max) {
  var S = g.run.stages.length + 1, y0 = Math.round(r.y * g.D), h = Math.round(r.h * g.D);
  for (var c = 0; c < g.PW; c++) {
    var cum = 0, drawn = 0;
    for (var s = 0; s < S; s++) {
      var v = busy[c * S + s];
      if (v <= 0) continue;
      cum += v;
      var top = Math.max(drawn + (drawn === 0 ? 1 : 0), Math.round(h * Math.min(1, cum / max)));
      if (top > drawn) g.pix.fill(g.X0 + c, y0 + h - top, 1, top - drawn, colour(g.run, s));
      drawn = top;
    }
  }
}

function tint(rgb, level) {
  var out = 0;
  for (var sh = 0; sh <= 16; sh += 8) {
    var ch = (rgb >> sh) & 0xff;
    out |= Math.round(255 - (255 - ch) * level / HEAT_LEVELS) << sh;
  }
  return out;
}

function drawHeat(g, r, busy) {
  var S = g.run.stages.length + 1, y0 = Math.round(r.y * g.D), h = Math.round(r.h * g.D);
  var n = Math.max(1, g.run.peak[r.stage]), base = colour(g.run, r.stage);
  for (var c = 0; c < g.PW; c++) {
    var v = busy[c * S + r.stage];
    if (v <= 0) continue;
    var level = Math.max(1, Math.min(HEAT_LEVELS, Math.round(v / n * HEAT_LEVELS)));
    g.pix.fill(g.X0 + c, y0, 1, h, tint(base, level));
  }
}

/* Parked spans as a thin line through the middle of the lane, in the
 * rows that batches left free (free[c]: rows from the top of column c). */
function drawParks(g, l, y0, h, free) {
  var thick = Math.max(2, Math.round(2 * g.D)), y = (h - thick) >> 1;
  for (var i = firstEnding(l.p1, g.v0); i < l.p0.length && l.p0[i] <= g.v1; i++) {
    var a = Math.round((l.p0[i] - g.v0) * g.sc), b = Math.round((l.p1[i] - g.v0) * g.sc);
    a = Math.max(0, a);
    b = Math.min(g.PW, Math.max(a + 1, b));
    for (var c = a; c < b; c++) {
      var rows = Math.min(thick, free[c] - y);
      if (rows > 0) g.pix.fill(g.X0 + c, y0 + y, 1, rows, PARK);
    }
  }
}

/* A lane: each batch at least 2 px wide drawn solid over the columns it
 * covers in full; everything else (narrow batches, the partly covered
 * columns at a wide batch's ends) aggregated per column; then parked time
 * where the batches leave room. A solid column is thus one batch's alone,
 * and batches back to back stay apart. */
function drawLane(g, r) {
  var l = g.run.lanes[r.lane], S = g.run.stages.length + 1, PW = g.PW;
  var y0 = Math.round(r.y * g.D), h = Math.round(r.h * g.D);
  var free = new Int16Array(PW).fill(h), agg = new Float64Array(PW * S), cnt = new Uint16Array(PW);
  function aggregate(s, xa, xb) {
    spread(agg, S, s, xa, xb, PW);
    for (var c = Math.max(0, Math.floor(xa)); c < PW && c < Math.max(xb, xa + 1e-6); c++)
      if (cnt[c] < 65535) cnt[c]++;
  }
  for (var i = firstEnding(l.t1, g.v0); i < l.t0.length && l.t0[i] <= g.v1; i++) {
    var xa = (l.t0[i] - g.v0) * g.sc, xb = (l.t1[i] - g.v0) * g.sc, s = Math.min(l.st[i], S - 1);
    if (xb - xa < 2) {
      aggregate(s, xa, Math.max(xb, xa + 1e-6)); /* an empty batch still shows */
      continue;
    }
    var c0 = Math.floor(xa) + 1, c1 = Math.floor(xb);
    aggregate(s, xa, c0);
    aggregate(s, c1, xb);
    c0 = Math.max(0, c0);
    c1 = Math.min(PW, c1);
    if (c1 > c0) {
      g.pix.fill(g.X0 + c0, y0, c1 - c0, h, colour(g.run, s));
      if (offCpu(l, i)) stripe(g, g.X0 + c0, y0, c1 - c0, h);
      if (l.carried[i] && c1 - c0 >= CARRY_MIN_PX * g.D) carryLine(g, g.X0 + c0, y0, c1 - c0, h);
      free.fill(0, c0, c1);
    }
  }
  drawAggregates(g, y0, h, free, agg, cnt);
  drawParks(g, l, y0, h, free);
}

/* A sampled batch that spent too much of its wall time off the CPU. */
function offCpu(l, i) {
  return l.cpu[i] >= 0 && l.cpu[i] < OFF_CPU_SHARE * (l.t1[i] - l.t0[i]);
}

/* The CARRY line through a carried batch: its items came along in the
 * worker's hand from its previous batch. */
function carryLine(g, x, y, w, h) {
  var t = Math.max(1, Math.round(h / 7));
  g.pix.fill(x, y + Math.floor((h - t) / 2), w, t, CARRY);
}

/* Diagonal OFF_CPU stripes over a preempted batch's rectangle. */
function stripe(g, x, y, w, h) {
  var k = Math.max(2, Math.round(2 * g.D));
  for (var r = 0; r < h; r++)
    for (var c = 0; c < w; c++)
      if ((x + c + y + r) % (3 * k) < k) g.pix.fill(x + c, y + r, 1, 1, OFF_CPU);
}

/* Striped split bars where several batches share a column; a column a
 * wide batch owns (free 0) stays as it is. */
function drawAggregates(g, y0, h, free, agg, cnt) {
  var S = g.run.stages.length + 1, stripe = Math.max(1, Math.round(g.D));
  for (var c = 0; c < g.PW; c++) {
    if (!cnt[c] || !free[c]) continue;
    var total = 0, cum = 0, drawn = 0, s, y;
    for (s = 0; s < S; s++) total += agg[c * S + s];
    var H = Math.max(1, Math.round(h * Math.min(1, total)));
    g.pix.fill(g.X0 + c, y0, 1, h, BG);
    for (s = 0; s < S && total > 0; s++) {
      var v = agg[c * S + s];
      if (v <= 0) continue;
      cum += v;
      var top = Math.round(H * cum / total);
      if (top > drawn) g.pix.fill(g.X0 + c, y0 + h - top, 1, top - drawn, colour(g.run, s));
      drawn = Math.max(drawn, top);
    }
    /* Stripes counted from the bottom, so a bar of one pixel still shows. */
    for (y = h - 1 - stripe; y >= 0; y -= 3 * stripe)
      g.pix.fill(g.X0 + c, y0 + y - stripe + 1, 1, stripe, BG);
    free[c] = h - H;
  }
}

function drawMoves(g, r) {
  var m = g.run.moves, counts = new Uint32Array(g.PW), max = 0, c, i;
  var y0 = Math.round(r.y * g.D), h = Math.round(r.h * g.D);
  for (i = firstEnding(m, g.v0); i < m.length && m[i] <= g.v1; i++) {
    c = Math.min(g.PW - 1, Math.floor((m[i] - g.v0) * g.sc));
    if (c >= 0) max = Math.max(max, ++counts[c]);
  }
  for (c = 0; c < g.PW; c++)
    if (counts[c]) {
      var top = Math.max(1, Math.round(h * counts[c] / max));
      g.pix.fill(g.X0 + c, y0 + h - top, 1, top, MOVE);
    }
  r.peak = max / ((g.v1 - g.v0) / g.PW / 1e6); /* moves per ms in the busiest column */
}

/* A queue's depth per column: the deepest it was during the column. */
function drawQueue(g, r) {
  var q = g.run.queues[r.stage], n = q.t.length, rgb = colour(g.run, r.stage);
  var y0 = Math.round(r.y * g.D), h = Math.round(r.h * g.D), max = Math.max(1, q.max);
  var i = firstEnding(q.t, g.v0), cur = -1;
  if (i < n && q.t[i] === g.v0) i++;
  if (i > 0) cur = q.d[i - 1];
  for (var c = 0; c < g.PW; c++) {
    var t0 = g.v0 + c / g.sc, end = g.v0 + (c + 1) / g.sc, mx = cur;
    if (t0 > g.run.wall) break;
    for (; i < n && q.t[i] < end; i++) { cur = q.d[i]; mx = Math.max(mx, cur); }
    if (mx <= 0) continue;
    var top = Math.max(1, Math.round(h * mx / max));
    g.pix.fill(g.X0 + c, y0 + h - top, 1, top, rgb);
  }
}

function tickStep(span, px) {
  var raw = span / Math.max(1, px), p = Math.pow(10, Math.floor(Math.log10(raw)));
  var steps = [1, 2, 5, 10];
  for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw) return steps[i] * p;
  return 10 * p;
}

function drawAxis(g, r) {
  var step = tickStep(g.v1 - g.v0, g.PW / (90 * g.D)), y = Math.round((r.y + r.h) * g.D);
  g.pix.fill(g.X0, y - 1, g.PW, 1, 0x888888);
  for (var t = Math.ceil(g.v0 / step) * step; t <= g.v1; t += step) {
    var x = g.X0 + Math.round((t - g.v0) * g.sc);
    g.pix.fill(x, y - Math.round(5 * g.D), 1, Math.round(5 * g.D), 0x444444);
    g.labels.push([fmtTime(t, step, step), x, y - Math.round(7 * g.D), 'center']);
  }
  /* The last label must not run off the canvas. */
  var last = g.labels[g.labels.length - 1];
  if (last && last[3] === 'center' && last[1] > g.X0 + g.PW - 30 * g.D) {
    last[1] = g.X0 + g.PW + Math.round(RIGHT * g.D) - 2;
    last[3] = 'end';
  }
  if (g.run.wall >= g.v0 && g.run.wall <= g.v1 && g.run.wall < extent(g.p)) {
    var xe = g.X0 + Math.round((g.run.wall - g.v0) * g.sc);
    g.pix.fill(xe, Math.round(r.y * g.D), Math.max(1, Math.round(g.D)), Math.round(r.h * g.D), 0xb00020);
  }
}

function rowLabel(g, r) {
  var mid = Math.round((r.y + r.h / 2) * g.D), x = g.X0 - Math.round(6 * g.D), text = r.label;
  if (r.kind === 'busy') text = 'workers busy (of ' + g.run.lanes.length + ')';
  if (r.kind === 'heat') text = r.label + ' (\u2264' + g.run.peak[r.stage] + ' workers)';
  if (r.kind === 'moves') text = 'moves (peak ' + (r.peak || 0).toFixed(r.peak < 10 ? 1 : 0) + '/ms)';
  if (r.kind === 'queue') text = r.label + ' \u2264' + g.run.queues[r.stage].max;
  g.labels.push([text, x, mid, 'right']);
}

function draw(p) {
  var t = performance.now(), D = p.D, c = p.canvas, ctx = p.ctx, v = view(p);
  var X0 = Math.round(labelW * D), PW = Math.max(1, c.width - X0 - Math.round(RIGHT * D));
  var g = { p: p, run: p.run, D: D, X0: X0, PW: PW, v0: v.v0, v1: v.v1,
            sc: PW / (v.v1 - v.v0), pix: new Pixels(c.width, c.height), labels: [] };
  var busy = busyColumns(g);
  g.pix.fill(0, 0, c.width, c.height, BG);
  p.rows.forEach(function (r) {
    if (r.kind === 'axis') drawAxis(g, r);
    else if (r.kind === 'busy') drawStacked(g, r, busy, p.run.lanes.length);
    else if (r.kind === 'heat') drawHeat(g, r, busy);
    else if (r.kind === 'lane') drawLane(g, r);
    else if (r.kind === 'moves') drawMoves(g, r);
    else if (r.kind === 'queue') drawQueue(g, r);
    if (r.kind !== 'axis') {
      rowLabel(g, r);
      g.pix.fill(X0 - 1, Math.round(r.y * D), 1, Math.round(r.h * D), RULE);
    }
  });
  ctx.putImageData(g.pix.img, 0, 0);
  ctx.font = Math.round(FONT * D) + 'px sans-serif';
  ctx.fillStyle = '#222';
  ctx.textBaseline = 'middle';
  g.labels.forEach(function (l) {
    ctx.textAlign = l[3];
    ctx.textBaseline = l[3] === 'right' ? 'middle' : 'alphabetic';
    ctx.fillText(l[0], l[1], l[2], l[3] === 'right' ? X0 - 8 * D : 200 * D);
  });
  p.geom = g;
  p.drawMs = performance.now() - t;
}
