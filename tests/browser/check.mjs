// check.mjs - a run's index.html and SVG timelines in headless Chromium, as a
// user sees them: no console or page errors, a verdict, readable at 900 px (no
// sideways scrolling, no text under 10 CSS px). Prints (never asserts) how long
// pages take to load. Screenshots at 1600 and 900 px go to OUT. What is drawn
// and read out under the cursor at every zoom, and the navigation, are
// timeline.test.mjs's.
//
//   node check.mjs OUT RUN_DIR...
//
// Exits 0 when every check passed, 1 otherwise; the last line is
// "browser-test: N passed, M failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MIN_FONT_PX = 10;
const WIDTHS = [1600, 900];

let passed = 0;
let failed = 0;

function check(ok, what) {
    if (ok) {
        passed++;
    } else {
        failed++;
        console.log(`FAIL ${what}`);
    }
}

// Every visible piece of text in the document: its rendered font size
// in CSS px of the page, i.e. the computed font-size times the scale at which
// the element is drawn (an SVG's viewBox shrinks its text with it).
function smallText(minPx) {
    const small = [];
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || n.textContent.trim() === '' || el.closest('title,style,script,defs'))
            continue;
        const cs = getComputedStyle(el);
        if (cs.display === 'none' || cs.visibility !== 'visible')
            continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0)
            continue;
        let scale = 1;
        if (el instanceof SVGGraphicsElement && el.getScreenCTM()) {
            const m = el.getScreenCTM();
            scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
        }
        const px = parseFloat(cs.fontSize) * scale;
        if (px < minPx - 0.01)
            small.push(`${px.toFixed(1)}px "${n.textContent.trim().slice(0, 40)}"`);
    }
    return small;
}

// Text of an SVG document drawn past the right edge of its box (cut off).
function cutText() {
    const cut = [];
    for (const t of document.querySelectorAll('text')) {
        const box = t.getBoundingClientRect();
        if (box.width > 0 && getComputedStyle(t).visibility === 'visible' &&
            box.right > window.innerWidth + 1)
            cut.push(`"${t.textContent.trim().slice(0, 40)}" ends at ${box.right.toFixed(0)} px`);
    }
    return cut;
}

function watchErrors(page, errors) {
    page.on('console', (msg) => {
        if (msg.type() === 'error')
            errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));
}

async function open(browser, file, width, errors) {
    const page = await browser.newPage();
    watchErrors(page, errors);
    await page.setViewport({width, height: 1000});
    const t0 = performance.now();
    await page.goto('file://' + path.resolve(file), {waitUntil: 'load'});
    await nextFrame(page.mainFrame());
    return {page, loadMs: performance.now() - t0};
}

// Resolves once the frame has painted twice (a frame Chromium does not
// paint, e.g. one out of view, gives up after a second).
async function nextFrame(frame) {
    await frame.evaluate(() => new Promise((r) => {
        requestAnimationFrame(() => requestAnimationFrame(r));
        setTimeout(r, 1000);
    }));
}

async function readable(page, name) {
    const scroll = await page.evaluate(() => {
        const s = document.scrollingElement;
        const wide = Array.from(document.body.querySelectorAll('*'))
            .filter((e) => e.getBoundingClientRect().right > s.clientWidth + 0.5)
            .map((e) => `<${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''}> ` +
                        `right ${e.getBoundingClientRect().right.toFixed(0)}`);
        return {sw: s.scrollWidth, cw: s.clientWidth, wide: wide.slice(-3)};
    });
    check(scroll.sw <= scroll.cw,
          `${name} at 900 px: no sideways scrolling (scrollWidth ${scroll.sw} > ${scroll.cw}: ${scroll.wide.join(', ')})`);
    for (const frame of page.frames()) {
        const small = await frame.evaluate(smallText, MIN_FONT_PX);
        const where = frame === page.mainFrame() ? name : `${name} ${path.basename(frame.url())}`;
        check(small.length === 0,
              `${where} at 900 px: ${small.length} text elements under ${MIN_FONT_PX} px, e.g. ${small.slice(0, 3).join(', ')}`);
        if (frame === page.mainFrame())
            continue;
        const cut = await frame.evaluate(cutText);
        check(cut.length === 0, `${where} at 900 px: text cut off at the right: ${cut.slice(0, 3).join(', ')}`);
    }
}

// The viewport is made as tall as the page for the shot, so that every
// timeline is drawn for a visible window.
async function fullScreenshot(page, file) {
    const vp = page.viewport();
    const height = await page.evaluate(() => document.scrollingElement.scrollHeight);
    await page.setViewport({width: vp.width, height: Math.min(height, 16000)});
    await nextFrame(page.mainFrame());
    await new Promise((r) => setTimeout(r, 300));
    await page.screenshot({path: file, fullPage: true});
    await page.setViewport(vp);
    await nextFrame(page.mainFrame());
}

async function checkIndex(browser, out, dir) {
    const run = path.basename(dir);
    const name = `${run}/index.html`;
    for (const width of WIDTHS) {
        const errors = [];
        const {page, loadMs} = await open(browser, path.join(dir, 'index.html'), width, errors);
        console.log(`  ${name} at ${width} px: loaded in ${loadMs.toFixed(0)} ms`);
        await fullScreenshot(page, path.join(out, `${run}-index-${width}.png`));
        const verdict = await page.evaluate(() => {
            const v = document.querySelector('p.verdict');
            return v ? v.textContent : '';
        });
        check(/ faster than |No measurable difference|cannot measure spread/.test(verdict),
              `${name}: a verdict between the two fastest strategies (got "${verdict}")`);
        if (width === 900)
            await readable(page, name);
        check(errors.length === 0, `${name} at ${width} px: ${errors.join('; ')}`);
        await page.close();
    }
}

async function checkSvg(browser, out, dir, file) {
    const run = path.basename(dir);
    const name = `${run}/${file}`;
    const errors = [];
    const {page, loadMs} = await open(browser, path.join(dir, file), 1600, errors);
    console.log(`  ${name}: loaded in ${loadMs.toFixed(0)} ms`);
    await fullScreenshot(page, path.join(out, `${run}-${file.replace(/\.svg$/, '')}-1600.png`));
    const small = await page.evaluate(smallText, MIN_FONT_PX);
    check(small.length === 0, `${name}: ${small.length} text elements under ${MIN_FONT_PX} px, e.g. ${small.slice(0, 3).join(', ')}`);
    check(errors.length === 0, `${name}: ${errors.join('; ')}`);
    await page.close();
}

async function main() {
    const [out, ...dirs] = process.argv.slice(2);
    if (!out || dirs.length === 0) {
        console.error('usage: node check.mjs OUT RUN_DIR...');
        process.exit(2);
    }
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jf-chromium-'));
    const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        protocolTimeout: 60000,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync',
               `--user-data-dir=${profile}`],
    });
    try {
        for (const dir of dirs) {
            await checkIndex(browser, out, dir);
            for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.svg')).sort())
                await checkSvg(browser, out, dir, file);
        }
    } finally {
        await browser.close();
        fs.rmSync(profile, {recursive: true, force: true});
    }
    console.log(`screenshots: ${out}/*.png`);
    console.log(`browser-test: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
}

main().catch((err) => {
    console.error(`browser-test: ${err.stack || err}`);
    process.exit(1);
});
