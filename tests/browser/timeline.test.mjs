// timeline.test.mjs - index.html's timelines in headless Chromium, driven with real
// mouse, wheel and key events: what is drawn and read out under the cursor is the
// trace's data at every zoom; navigation works inside the page.
//
//   node --test tests/browser/timeline.test.mjs
//
// Environment: JF_BENCH (default build/bench), JF_BROWSER_RESULTS (a results
// directory of bench with single, per-stage and scheduled to check; default: a
// fresh `bottleneck` run), CHROMIUM
// (default /usr/bin/chromium), JF_BROWSER_OUT (screenshots; default build/).
// Prints, never asserts, page-load and redraw times.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bench = process.env.JF_BENCH || path.join(root, 'build/bench');
const shots = process.env.JF_BROWSER_OUT || path.join(root, 'build');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jf-browser-'));
const WINDOW_NS = 200e3;
const HEAT_LEVELS = 8;

function run(name, args) {
  const dir = path.join(scratch, name);
  execFileSync(bench, [...args, '--out', dir, '--no-history', '--format', 'json'],
               { stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

const runs = {
  bottleneck: process.env.JF_BROWSER_RESULTS ||
    run('bottleneck', ['--workload', 'bottleneck', '--repeat', '1', '--strategy',
                       'single,per-stage,scheduled']),
  sim64: run('sim64', ['--workload', 'bottleneck', '--sim', '--cores', '64']),
  manyStages: run('many-stages', ['--workload', 'many-stages', '--sim', '--cores', '8']),
  // Six threads time-sliced on two simulated cores: preempted batches, deterministically.
  preempted: run('preempted', ['--workload', 'bottleneck', '--sim', '--cores', '2',
                               '--strategy', 'n-per-stage']),
};

// The batches of a trace file, per lane: [{t0, t1, stage, items}] in ns.
function traceBatches(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const laneOf = new Map(), lanes = [];
  for (const e of doc.traceEvents)
    if (e.ph === 'M' && e.name === 'thread_sort_index') laneOf.set(e.tid, e.args.sort_index);
  for (const e of doc.traceEvents) {
    if (e.ph !== 'X' || e.cat !== 'batch') continue;
    const lane = laneOf.get(e.tid), t0 = Math.round(e.ts * 1000);
    (lanes[lane] ||= []).push({ t0, t1: t0 + Math.round(e.dur * 1000), stage: e.args.stage,
                                cpu: e.args.cpu_ns ?? -1, carried: e.args.carried === true });
  }
  return lanes;
}

// The queue-depth samples of a trace file, per stage, in time order.
function traceQueues(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')), queues = [];
  doc.traceEvents.forEach((e, seq) => {
    if (e.ph === 'C' && e.cat === 'queue')
      (queues[e.stage] ||= []).push({ t: Math.round(e.ts * 1000), d: e.args.depth, seq });
  });
  queues.forEach((q) => q.sort((a, b) => a.t - b.t || a.seq - b.seq));
  return queues;
}

function depthAt(samples, t) {
  let d = '';
  for (const s of samples || []) if (s.t <= t) d = String(s.d); else break;
  return d;
}

function batchAt(batches, t) {
  return (batches || []).find((b) => b.t0 <= t && t <= b.t1) || null;
}

// A sampled batch on a CPU for under 80% of its wall time: striped on the page.
const preempted = (b) => b.cpu >= 0 && b.cpu < 0.8 * (b.t1 - b.t0);

let browser, userDir;
const errors = [];

test.before(async () => {
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jf-chromium-'));
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           `--user-data-dir=${userDir}`],
  });
});

test.after(async () => {
  await browser?.close();
  fs.rmSync(userDir, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function open(dir, width = 1600, scale = 1) {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${dir}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${dir}: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`${dir}: failed to load ${r.url()}`));
  await page.setViewport({ width, height: 1000, deviceScaleFactor: scale });
  const t0 = Date.now();
  await page.goto(`file://${dir}/index.html`);
  await page.waitForFunction(() => window.jfTimeline && jfTimeline.panels.every((p) => p.geom));
  console.log(`# ${path.basename(dir)} at ${width} px: interactive after ${Date.now() - t0} ms`);
  return page;
}

const frame = (page) => page.evaluate(() => new Promise((r) =>
  requestAnimationFrame(() => requestAnimationFrame(r))));

// Scrolls panel i under the sticky controls and returns its geometry in viewport px.
async function panel(page, name) {
  return page.evaluate((name) => {
    const i = jfTimeline.panels.findIndex((p) => p.run.name === name), p = jfTimeline.panels[i];
    const bar = document.querySelector('.jf-tl-bar').getBoundingClientRect();
    window.scrollBy(0, p.canvas.getBoundingClientRect().top - bar.height - 40);
    const r = p.canvas.getBoundingClientRect(), g = p.geom, v = jfTimeline.view(p);
    return { i, left: r.left, top: r.top, D: g.D, X0: g.X0, PW: g.PW, v0: v.v0, v1: v.v1,
             wall: p.run.wall, f0: (jfTimeline.state.linked ? jfTimeline.state : p).f0,
             f1: (jfTimeline.state.linked ? jfTimeline.state : p).f1,
             rows: p.rows.map((r) => ({ kind: r.kind, y: r.y, h: r.h, lane: r.lane,
                                        stage: r.stage })) };
  }, name);
}

const views = (page) => page.evaluate(() => jfTimeline.panels.map((p) => jfTimeline.view(p)));

async function readout(page, i) {
  return page.evaluate((i) => {
    const el = jfTimeline.panels[i].readout, n = (k) => el.getAttribute(k);
    return { text: el.textContent, t: Number(n('data-t')), lane: n('data-lane'),
             workers: n('data-workers'), queues: n('data-queues'),
             stage: n('data-stage') === null ? null : Number(n('data-stage')),
             t0: Number(n('data-t0')), t1: Number(n('data-t1')),
             carried: n('data-carried') === null ? null : n('data-carried') === '1' };
  }, i);
}

// Pixels of a rectangle of panel i's canvas (device px) as 0xRRGGBB.
async function pixels(page, i, x, y, w, h) {
  return page.evaluate((i, x, y, w, h) => {
    const d = jfTimeline.panels[i].ctx.getImageData(x, y, w, h).data, out = [];
    for (let k = 0; k < d.length; k += 4) out.push((d[k] << 16) | (d[k + 1] << 8) | d[k + 2]);
    return out;
  }, i, x, y, w, h);
}

// The legend as shown: every solid swatch's colour.
async function legend(page) {
  return page.evaluate(() => [...document.querySelectorAll('.jf-tl-legend i')]
    .map((i) => getComputedStyle(i).backgroundColor.match(/\d+/g))
    .filter((m) => m && m.length === 3)
    .map((m) => (Number(m[0]) << 16) | (Number(m[1]) << 8) | Number(m[2])));
}

// The workers chart at plot column col, when no batch starts or ends inside
// the column: from the bottom, each stage's count of workers in its colour,
// the top of the chart being every worker. Returns 1 when checked, 0 when a
// batch boundary falls inside the column.
async function checkBusyColumn(page, p, col, truth, busy, colours) {
  const a = p.v0 + col * (p.v1 - p.v0) / p.PW, b = p.v0 + (col + 1) * (p.v1 - p.v0) / p.PW;
  const edge = (t) => t >= a && t <= b;
  if (truth.some((l) => l.some((x) => edge(x.t0) || edge(x.t1)))) return 0;
  const row = p.rows.find((r) => r.kind === 'busy'), h = Math.round(row.h * p.D);
  const px = await pixels(page, p.i, p.X0 + col, Math.round(row.y * p.D), 1, h);
  const want = new Array(h).fill(WHITE);
  let cum = 0, drawn = 0;
  busy.forEach((n, s) => {
    if (!n) return;
    cum += n;
    const top = Math.round(h * cum / truth.length);
    for (let k = drawn; k < top; k++) want[h - 1 - k] = colours[s];
    drawn = top;
  });
  assert.deepEqual(px.map(hex), want.map(hex), `workers chart at column ${col}: ${busy}`);
  return 1;
}

// Every lane column of panel p drawn solid in one colour (all its rows) is
// inside exactly one batch of that stage, drawn at least 2 px wide: solid is
// never an aggregate. Returns how many solid columns were checked.
// A solid column: one colour from top to bottom, but for the white carry
// line through the middle of a carried batch (timeline_draw.js, carryLine).
async function checkSolidColumns(page, p, truth, colours) {
  const sc = p.PW / (p.v1 - p.v0);
  let solid = 0;
  for (const row of p.rows.filter((r) => r.kind === 'lane')) {
    const h = Math.round(row.h * p.D), y = Math.round(row.y * p.D);
    const t = Math.max(1, Math.round(h / 7)), line0 = Math.floor((h - t) / 2);
    const px = await pixels(page, p.i, p.X0, y, p.PW, h), batches = truth[row.lane] || [];
    for (let c = 0, k = 0; c < p.PW; c++) {
      const top = px[c];
      let lined = false, mixed = false;
      for (let r = 0; r < h && !mixed; r++) {
        const v = px[r * p.PW + c];
        if (v === top) continue;
        if (v === WHITE && r >= line0 && r < line0 + t) lined = true;
        else mixed = true;
      }
      if (top === WHITE || mixed) continue;
      const a = p.v0 + c / sc, b = p.v0 + (c + 1) / sc;
      while (k < batches.length && batches[k].t1 < a) k++;
      const inside = batches.slice(k).filter((x) => x.t0 <= b && x.t1 >= a && x.t0 <= p.v1);
      assert.equal(inside.length, 1, `solid column ${c} of lane ${row.lane} is one batch`);
      const x = inside[0], w = (x.t1 - x.t0) * sc;
      assert.equal(hex(top), hex(colours[x.stage]), `solid column ${c} has its batch's colour`);
      assert.ok(w >= 2 && x.t0 <= a && x.t1 >= b, `solid column ${c} is all one batch ${w} px wide`);
      assert.ok(!lined || x.carried, `the line through column ${c} belongs to a carried batch`);
      solid++;
    }
  }
  return solid;
}

const hex = (c) => '#' + c.toString(16).padStart(6, '0');
const WHITE = 0xffffff;
const OFF_CPU = 0x1a1a1a; // the legend's "preempted" swatch, checked below
const CARRY_MIN_PX = 4;   // timeline_decode.js: the carry line is drawn from this width

// Wheel at (x, y) until panel i shows at most `ns`; every step must zoom in.
async function wheelTo(page, i, x, y, ns) {
  await page.mouse.move(x, y);
  let span = Infinity;
  for (let k = 0; k < 60; k++) {
    await page.mouse.wheel({ deltaY: -240 });
    await frame(page);
    const v = (await views(page))[i], next = v.v1 - v.v0;
    assert.ok(next < span, `the wheel zooms in (${next} ns after ${span} ns)`);
    span = next;
    if (span <= ns) return span;
  }
  assert.fail(`still ${span} ns wide after 60 wheel steps`);
}

test('zoomed to 200 us, the lanes are exactly the trace batches, in legend colours', async () => {
  const page = await open(runs.bottleneck);
  const name = 'scheduled', truth = traceBatches(path.join(runs.bottleneck, `${name}.trace.json`));
  const colours = await legend(page), allowed = new Set([...colours, WHITE]);
  let p = await panel(page, name);
  const lane = p.rows.find((r) => r.kind === 'lane' && r.lane === 0);
  // Whole CSS pixels: the browser reports the cursor at whole pixels.
  const laneY = Math.round(p.top + lane.y + lane.h / 2);
  const atX = Math.round(p.left + (p.X0 + 0.4 * p.PW) / p.D);
  const tBefore = p.v0 + ((atX - p.left) * p.D - p.X0) / p.PW * (p.v1 - p.v0);
  const t0 = Date.now();
  const span = await wheelTo(page, p.i, atX, laneY, WINDOW_NS);
  console.log(`# zoomed to ${(span / 1e3).toFixed(1)} us with the wheel in ${Date.now() - t0} ms`);
  assert.ok(span > WINDOW_NS / 2);
  p = await panel(page, name);
  const tAfter = p.v0 + ((atX - p.left) * p.D - p.X0) / p.PW * (p.v1 - p.v0);
  assert.ok(Math.abs(tAfter - tBefore) < 3 * (p.v1 - p.v0) / p.PW,
            `zoom keeps the cursor time: ${tBefore} ns before, ${tAfter} ns after`);

  const sc = p.PW / (p.v1 - p.v0), queues = traceQueues(path.join(runs.bottleneck, `${name}.trace.json`));
  let checked = 0, coloured = 0, columns = 0, carried = 0;
  for (const row of p.rows.filter((r) => r.kind === 'lane')) {
    for (let k = 1; k < 60; k++) {
      const x = Math.round(p.left + (p.X0 + k / 60 * p.PW) / p.D);
      const col = Math.round((x - p.left) * p.D - p.X0), y = Math.round(p.top + row.y + row.h / 2);
      await page.mouse.move(x, y);
      const r = await readout(page, p.i), want = batchAt(truth[row.lane], r.t);
      const tCursor = p.v0 + ((x - p.left) * p.D - p.X0) / sc;
      assert.ok(Math.abs(r.t - tCursor) <= 1 / sc + 1, `readout time ${r.t} is the cursor's ${tCursor}`);
      assert.equal(r.lane, String(row.lane));
      const stages = queues.length, busy = new Array(stages).fill(0);
      truth.forEach((l) => { const b = batchAt(l, r.t); if (b) busy[b.stage]++; });
      assert.equal(r.workers, busy.join(','), `workers per stage at ${r.t} ns`);
      assert.equal(r.queues, queues.map((q) => depthAt(q, r.t)).join(','), `queues at ${r.t} ns`);
      columns += await checkBusyColumn(page, p, col, truth, busy, colours);
      if (want === null) {
        assert.equal(r.stage, null, `no batch at ${r.t} ns on lane ${row.lane}: ${r.text}`);
        continue;
      }
      assert.deepEqual({ stage: r.stage, t0: r.t0, t1: r.t1, carried: r.carried },
                       { stage: want.stage, t0: want.t0, t1: want.t1, carried: want.carried },
                       `batch at ${r.t} ns`);
      assert.equal(r.text.includes('carried'), want.carried, `the readout says carried: ${r.text}`);
      checked++;
      // Drawn solid: the columns a batch at least 2 px wide covers in full;
      // a carried batch of CARRY_MIN_PX or more has the white line through its middle.
      const xa = (want.t0 - p.v0) * sc, xb = (want.t1 - p.v0) * sc;
      if (xb - xa >= 2 && col > Math.floor(xa) && col < Math.floor(xb)) {
        const mid = Math.round(row.y * p.D) + Math.floor(Math.round(row.h * p.D) / 2);
        const [px] = await pixels(page, p.i, p.X0 + col, mid, 1, 1);
        const [quarter] = await pixels(page, p.i, p.X0 + col, Math.round(row.y * p.D) + 1, 1, 1);
        const stageColour = (c) => c === colours[want.stage] || (preempted(want) && c === OFF_CPU);
        const line = want.carried && Math.floor(xb) - Math.floor(xa) - 1 >= CARRY_MIN_PX * p.D;
        assert.ok(line ? px === WHITE : stageColour(px), `colour of the batch at ${r.t} ns: ${hex(px)}`);
        assert.ok(stageColour(quarter), `colour near the top of the batch at ${r.t} ns: ${hex(quarter)}`);
        carried += line;
        coloured++;
      }
    }
  }
  assert.ok(checked > 20 && coloured > 20, `${checked} batches read out, ${coloured} pixels checked`);
  assert.ok(carried > 0, `${carried} carried batches with their line checked`);
  const carryKey = await page.evaluate(() => [...document.querySelectorAll('.jf-tl-key')]
    .some((k) => k.textContent.startsWith('carried') &&
                 getComputedStyle(k.querySelector('i')).backgroundImage.includes('255, 255, 255')));
  assert.ok(carryKey, 'the legend names carried batches and shows their white line');
  assert.ok(columns > 20, `${columns} columns of the workers chart checked`);
  assert.ok(await checkSolidColumns(page, p, truth, colours) > p.PW / 2, 'solid batches zoomed');
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'timeline-bottleneck-200us.png') });
  const parked = await page.evaluate(() => {
    const key = [...document.querySelectorAll('.jf-tl-key')].find((k) => k.textContent === 'parked');
    const m = getComputedStyle(key.querySelector('i')).backgroundColor.match(/\d+/g);
    return (Number(m[0]) << 16) | (Number(m[1]) << 8) | Number(m[2]);
  });
  const seen = new Set();
  for (const zoomed of [true, false]) {
    if (!zoomed) { await page.keyboard.press('Escape'); await frame(page); }
    for (const q of ['single', 'per-stage', 'scheduled']) {
      const g = await panel(page, q);
      for (const row of g.rows.filter((r) => r.kind === 'lane' || r.kind === 'busy')) {
        const px = await pixels(page, g.i, g.X0, Math.round(row.y * g.D), g.PW, Math.round(row.h * g.D));
        const odd = px.filter((c) => !allowed.has(c));
        if (!zoomed && row.kind === 'lane') px.forEach((c) => seen.add(`${q} ${c}`));
        assert.equal(odd.length, 0, `${q} ${row.kind} ${zoomed ? 'zoomed' : 'whole'}: ` +
                     `colours not in the legend: ${[...new Set(odd)].slice(0, 5).map(hex)}`);
      }
    }
  }
  assert.ok(seen.has(`per-stage ${parked}`), 'parked time shows on the lanes of per-stage');
  for (const q of ['single', 'per-stage', 'scheduled'])
    await checkSolidColumns(page, await panel(page, q),
                            traceBatches(path.join(runs.bottleneck, `${q}.trace.json`)), colours);
  const tracks = await page.evaluate(() => jfTimeline.panels.map((p) =>
    [p.run.name, p.rows.some((r) => r.kind === 'moves')]));
  for (const [strategy, has] of tracks)
    assert.equal(has, strategy === 'scheduled', `a moves track for the scheduler only: ${strategy}`);
  const times = [];
  for (let k = 0; k < 5; k++) times.push(await page.evaluate(() => jfTimeline.redraw()));
  times.sort((a, b) => a - b);
  console.log(`# bottleneck: redraw of every timeline ${times[2].toFixed(1)} ms (median of 5)`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('wheel, keys, drag and Esc navigate; one zoom moves every timeline unless unlinked', async () => {
  const page = await open(runs.bottleneck);
  let a = await panel(page, 'per-stage');
  const busy = a.rows.find((r) => r.kind === 'busy');
  const x = a.left + (a.X0 + a.PW / 3) / a.D, y = a.top + busy.y + busy.h / 2;
  const full = await views(page);
  await wheelTo(page, a.i, x, y, full[a.i].v1 / 20);
  let now = await views(page);
  now.forEach((v, k) => assert.ok(v.v1 - v.v0 < (full[k].v1 - full[k].v0) / 10,
                                   `timeline ${k} follows the zoom`));
  const other = (await readout(page, 0)).text;
  assert.match(other, /^t = /, 'the crosshair reads out on the other timelines too');

  await page.keyboard.press('Escape');
  await frame(page);
  assert.deepEqual(await views(page), full, 'Esc shows every whole run again');

  const span = (v) => v.v1 - v.v0;
  await page.mouse.move(x, y);
  await page.keyboard.press('w');
  await frame(page);
  const w = (await views(page))[a.i];
  assert.ok(span(w) < span(full[a.i]), 'W zooms in');
  await page.keyboard.press('d');
  await frame(page);
  const d = (await views(page))[a.i];
  assert.ok(d.v0 > w.v0 && Math.abs(span(d) - span(w)) < 1, 'D pans later');
  await page.keyboard.press('a');
  await frame(page);
  assert.ok((await views(page))[a.i].v0 < d.v0, 'A pans earlier');
  await page.keyboard.press('s');
  await frame(page);
  assert.ok(span((await views(page))[a.i]) > span(w), 'S zooms out');

  await page.keyboard.press('w');
  await page.keyboard.press('w');
  await frame(page);
  a = await panel(page, 'per-stage');
  const axis = a.rows.find((r) => r.kind === 'axis'), before = (await views(page))[a.i];
  await page.mouse.move(a.left + (a.X0 + a.PW / 2) / a.D, a.top + axis.y + axis.h / 2);
  await page.mouse.down();
  await page.mouse.move(a.left + (a.X0 + a.PW / 2) / a.D - 150, a.top + axis.y + axis.h / 2,
                        { steps: 5 });
  await page.mouse.up();
  await frame(page);
  const dragged = (await views(page))[a.i];
  assert.ok(dragged.v0 > before.v0, 'dragging the time axis left pans later');

  await page.keyboard.press('Escape');
  await frame(page);
  a = await panel(page, 'per-stage');
  const at = (f) => Math.round(a.left + (a.X0 + f * a.PW) / a.D), by = a.top + busy.y + busy.h / 2;
  await page.mouse.move(at(0.3), by);
  await page.mouse.down();
  await page.mouse.move(at(0.4), by, { steps: 5 });
  await page.mouse.up();
  await frame(page);
  const picked = (await views(page))[a.i], wall = full[a.i].v1;
  assert.ok(Math.abs(picked.v0 / wall - 0.3) < 0.01 && Math.abs(picked.v1 / wall - 0.4) < 0.01,
            `a plain drag zooms into its range: ${picked.v0 / wall} to ${picked.v1 / wall}`);

  await page.keyboard.press('Escape');
  await page.click('#jf-tl-link');
  a = await panel(page, 'per-stage');
  const base = await views(page);
  await wheelTo(page, a.i, a.left + (a.X0 + a.PW / 2) / a.D, a.top + busy.y + busy.h / 2,
                base[a.i].v1 / 4);
  now = await views(page);
  now.forEach((v, k) => {
    if (k !== a.i) assert.deepEqual(v, base[k], `unlinked: timeline ${k} stays`);
  });

  await page.keyboard.press('Escape');
  await page.click('#jf-tl-common');
  await frame(page);
  const walls = await page.evaluate(() => jfTimeline.panels.map((p) => p.run.wall));
  (await views(page)).forEach((v) => assert.equal(v.v1, Math.max(...walls), 'one common axis'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('64 cores: the lanes fold into a per-stage heat map that opens on a click', async () => {
  const page = await open(runs.sim64);
  let p = await panel(page, 'scheduled');
  const colours = await legend(page);
  const heat = p.rows.filter((r) => r.kind === 'heat');
  assert.equal(p.rows.filter((r) => r.kind === 'lane').length, 0);
  assert.equal(heat.length, 3);
  for (const row of heat) {
    const shades = new Set([WHITE]), c = colours[row.stage];
    for (let l = 1; l <= HEAT_LEVELS; l++) {
      let t = 0;
      for (const sh of [0, 8, 16])
        t |= Math.round(255 - (255 - ((c >> sh) & 0xff)) * l / HEAT_LEVELS) << sh;
      shades.add(t);
    }
    const px = await pixels(page, p.i, p.X0, Math.round(row.y * p.D), p.PW, Math.round(row.h * p.D));
    assert.ok(px.every((v) => shades.has(v)), `heat row ${row.stage}: shades of its colour only`);
    assert.ok(px.some((v) => v !== WHITE), `heat row ${row.stage} shows its workers`);
  }
  await page.mouse.click(p.left + (p.X0 + p.PW / 2) / p.D, p.top + heat[1].y + heat[1].h / 2);
  await frame(page);
  p = await panel(page, 'scheduled');
  assert.equal(p.rows.filter((r) => r.kind === 'lane').length, 64, 'a click opens the lanes');
  const times = [];
  for (let k = 0; k < 5; k++) times.push(await page.evaluate(() => jfTimeline.redraw()));
  console.log(`# sim 64 cores, lanes open: redraw ${times.sort((a, b) => a - b)[2].toFixed(1)} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a screen of 2 device pixels per px, every pixel is still exact', async () => {
  const page = await open(runs.bottleneck, 1200, 2);
  const colours = await legend(page), allowed = new Set([...colours, WHITE]);
  for (const q of ['single', 'per-stage', 'scheduled']) {
    const p = await panel(page, q);
    assert.equal(p.D, 2);
    for (const row of p.rows.filter((r) => r.kind === 'lane' || r.kind === 'busy')) {
      const px = await pixels(page, p.i, p.X0, Math.round(row.y * p.D), p.PW, Math.round(row.h * p.D));
      assert.ok(px.every((c) => allowed.has(c)), `${q} ${row.kind}: legend colours only`);
    }
    await checkSolidColumns(page, p, traceBatches(path.join(runs.bottleneck, `${q}.trace.json`)),
                            colours);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('screenshots at 1600 and 900 px', async () => {
  fs.mkdirSync(shots, { recursive: true });
  for (const [name, dir] of Object.entries(runs)) {
    for (const width of [1600, 900]) {
      const page = await open(dir, width);
      const file = path.join(shots, `timeline-${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`# ${file}`);
      await page.close();
    }
  }
  assert.deepEqual(errors, []);
});

test('a preempted batch is striped, read out as such, and in the legend', async () => {
  const page = await open(runs.preempted);
  const name = 'n-per-stage', truth = traceBatches(path.join(runs.preempted, `${name}.trace.json`));
  const p = await panel(page, name), colours = await legend(page), sc = p.PW / (p.v1 - p.v0);
  assert.ok(colours.includes(OFF_CPU), `the legend shows ${hex(OFF_CPU)} for preempted batches`);
  let widest = null, lane = -1;
  truth.forEach((l, i) => l.forEach((b) => {
    if (preempted(b) && (!widest || b.t1 - b.t0 > widest.t1 - widest.t0)) { widest = b; lane = i; }
  }));
  assert.ok(widest, 'six threads on two simulated cores: some batch was preempted');
  assert.ok((widest.t1 - widest.t0) * sc >= 4, 'the widest preempted batch spans 4 px or more');
  const row = p.rows.find((r) => r.kind === 'lane' && r.lane === lane);
  const mid = (widest.t0 + widest.t1) / 2, x = Math.round(p.left + (p.X0 + (mid - p.v0) * sc) / p.D);
  await page.mouse.move(x, Math.round(p.top + row.y + row.h / 2));
  const r = await readout(page, p.i);
  assert.equal(r.t0, widest.t0);
  const cpu = await page.evaluate((i) => jfTimeline.panels[i].readout.getAttribute('data-cpu'), p.i);
  assert.equal(Number(cpu), widest.cpu, 'the readout carries the batch CPU time');
  assert.match(r.text, /preempted/, r.text);
  const c0 = Math.floor((widest.t0 - p.v0) * sc) + 1, c1 = Math.floor((widest.t1 - p.v0) * sc);
  const px = await pixels(page, p.i, p.X0 + c0, Math.round(row.y * p.D), c1 - c0,
                          Math.round(row.h * p.D));
  const kinds = new Set(px);
  assert.deepEqual([...kinds].sort(), [colours[widest.stage], OFF_CPU].sort(),
                   'stage colour striped with the preempted colour, nothing else');
  await page.close();
});

test('where the time went: one bar per strategy and worker, matching the trace', async () => {
  const page = await open(runs.bottleneck, 900);
  for (const name of ['single', 'per-stage', 'scheduled']) {
    const truth = traceBatches(path.join(runs.bottleneck, `${name}.trace.json`));
    const wall = await page.evaluate((n) => jfTimeline.panels.find((p) => p.run.name === n).run.wall, name);
    const bars = await page.evaluate((n) => [...document.querySelectorAll(`section[id="${n}"] .why-row`)]
      .map((row) => ({ label: row.querySelector('.why-l').textContent,
                       parts: [...row.querySelectorAll('.why-bar span')].map((s) => ({
                         title: s.title, width: parseFloat(s.style.width) })),
                       font: parseFloat(getComputedStyle(row.querySelector('.why-t')).fontSize) })), name);
    const lanes = bars.filter((b) => /^w\d+$/.test(b.label));
    assert.equal(lanes.length, truth.length, `${name}: a bar per worker`);
    for (const b of bars) {
      const sum = b.parts.reduce((a, x) => a + x.width, 0);
      assert.ok(sum > 99 && sum < 100.5, `${name} ${b.label}: the parts fill the bar (${sum}%)`);
      assert.ok(b.font >= 10, `${name} ${b.label}: text at ${b.font} px`);
    }
    lanes.forEach((b, i) => {
      const inBatches = (truth[i] || []).reduce((a, x) => a + x.t1 - x.t0, 0) / wall * 100;
      const stages = b.parts.filter((x) => !/^(deciding|waiting|parked):/.test(x.title))
        .reduce((a, x) => a + x.width, 0);
      assert.ok(Math.abs(stages - inBatches) < 0.5,
                `${name} ${b.label}: ${stages}% in batches drawn, ${inBatches}% in the trace`);
    });
  }
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 900, `no sideways scrolling at 900 px (${scroll} px)`);
  await page.close();
});
