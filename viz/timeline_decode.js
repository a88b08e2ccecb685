/* timeline_decode.js - index.html's timeline data read back (viz/timeline_data.c writes
 * it), its colours and how times are written. Part of one script with timeline_draw.js
 * and timeline.js (mk/cstring.sh wraps them in one function). */

var BG = 0xffffff, PARK = 0x9a9a9a, UNKNOWN = 0xbbbbbb, MOVE = 0x555555, RULE = 0xdddddd;
/* A sampled batch whose thread was on a CPU for less than OFF_CPU_SHARE of
 * its wall time is striped in OFF_CPU: it was preempted (or its kernel
 * yields), and that time was not work. */
var OFF_CPU = 0x1a1a1a, OFF_CPU_SHARE = 0.8;
/* A batch a worker ran straight from its hand after running it at the
 * previous stage (no queue hop) has a CARRY line through its middle, drawn
 * when the batch is at least CARRY_MIN_PX wide. A line, not a band at the
 * top or bottom: those would read as the shorter bars of busy columns. */
var CARRY = 0xffffff, CARRY_MIN_PX = 4;
var FOLD = 32, HEAT_LEVELS = 8, MIN_SPAN_NS = 200, RIGHT = 14;
var AXIS_H = 20, BUSY_H = 48, MOVE_H = 16, LANE_H = 14, LANE_GAP = 2, HEAT_H = 14,
    QUEUE_H = 22, SECTION_GAP = 6;
var FONT = 11;

function ints(s) {
  var parts, out;
  if (!s) return new Float64Array(0);
  parts = s.split(',');
  out = new Float64Array(parts.length);
  for (var i = 0; i < parts.length; i++) out[i] = parseInt(parts[i], 36);
  return out;
}

function hex(c) { return '#' + ('00000' + c.toString(16)).slice(-6); }

function decodeLane(l) {
  var v = ints(l.b), n = v.length / 4, p = ints(l.p), m = p.length / 2, prev = 0, i;
  var lane = {
    label: l.label, t0: new Float64Array(n), t1: new Float64Array(n),
    st: new Uint16Array(n), items: new Float64Array(n),
    p0: new Float64Array(m), p1: new Float64Array(m), cpu: new Float64Array(n).fill(-1),
    carried: new Uint8Array(n)
  };
  var c = ints(l.c), k = ints(l.k);
  for (var j = 0, at = 0; j < k.length; j++) {
    at += k[j];
    if (at < n) lane.carried[at] = 1;
  }
  for (var k = 0, b = 0; k + 1 < c.length; k += 2) {
    b += c[k];
    if (b < n) lane.cpu[b] = c[k + 1];
  }
  for (i = 0; i < n; i++) {
    lane.t0[i] = prev + v[4 * i];
    lane.t1[i] = lane.t0[i] + v[4 * i + 1];
    lane.st[i] = v[4 * i + 2];
    lane.items[i] = v[4 * i + 3];
    prev = lane.t1[i];
  }
  for (prev = 0, i = 0; i < m; i++) {
    lane.p0[i] = prev + p[2 * i];
    lane.p1[i] = lane.p0[i] + p[2 * i + 1];
    prev = lane.p1[i];
  }
  return lane;
}

function decodeSamples(s, withValue) {
  var v = ints(s), step = withValue ? 2 : 1, n = v.length / step, prev = 0;
  var out = { t: new Float64Array(n), d: new Float64Array(n), max: 0 };
  for (var i = 0; i < n; i++) {
    prev += v[step * i];
    out.t[i] = prev;
    out.d[i] = withValue ? v[step * i + 1] : 1;
    if (out.d[i] > out.max) out.max = out.d[i];
  }
  return out;
}

function decodeRun(j) {
  var run = {
    name: j.strategy, wall: Math.max(1, j.wall), stages: j.stages,
    colours: j.colours.map(function (c) { return parseInt(c.slice(1), 16); }),
    lanes: j.lanes.map(decodeLane), moves: decodeSamples(j.moves, false).t,
    queues: j.queues.map(function (q) { return decodeSamples(q, true); })
  };
  run.hasQueues = run.queues.some(function (q) { return q.t.length > 0; });
  run.peak = peaks(run);
  return run;
}

/* Per stage, the most workers that ever ran it at once: the darkest shade
 * of its heat map row. */
function peaks(run) {
  return run.stages.map(function (name, s) {
    var starts = [], ends = [], i = 0, k = 0, now = 0, peak = 0;
    run.lanes.forEach(function (l) {
      for (var b = 0; b < l.st.length; b++)
        if (l.st[b] === s) { starts.push(l.t0[b]); ends.push(l.t1[b]); }
    });
    starts.sort(function (a, b) { return a - b; });
    ends.sort(function (a, b) { return a - b; });
    while (i < starts.length) {
      if (starts[i] < ends[k]) { now++; i++; peak = Math.max(peak, now); } else { now--; k++; }
    }
    return peak;
  });
}

function colour(run, s) { return s < run.colours.length ? run.colours[s] : UNKNOWN; }

/* ---- time and text ---------------------------------------------------- */

function unitOf(ns) {
  if (ns >= 1e9) return [1e9, 's'];
  if (ns >= 1e6) return [1e6, 'ms'];
  if (ns >= 1e3) return [1e3, '\u00b5s'];
  return [1, 'ns'];
}

/* t in the unit of `scale` with enough decimals to tell `res` ns apart. */
function fmtTime(t, scale, res) {
  var u = unitOf(scale), d = Math.max(0, Math.min(6, Math.ceil(-Math.log10(res / u[0]))));
  return (t / u[0]).toFixed(d) + ' ' + u[1];
}

function fmtDur(ns) {
  var u = unitOf(ns);
  return (ns / u[0]).toFixed(u[0] === 1 ? 0 : 3) + ' ' + u[1];
}

/* Exact: milliseconds with every nanosecond. */
function fmtExact(ns) { return (ns / 1e6).toFixed(6) + ' ms'; }
