// The page as a visitor meets it (issue #26): a click (or tap, or the keyboard) on a grid digit
// shows its zoom and sliders in view at once, beside the grid where there is room; the sliders
// are the dimensions that change that digit most, and a drag redraws it within a frame or two;
// the grid is drawn at whole device pixels; before training, D's view and the charts take one
// line each; the element follows the system's theme or its `theme` attribute; and axe-core
// finds nothing on index.html and embed.html, dark and light.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { open, start, trainSteps, waitReady } from './harness.mjs';

const AXE = fileURLToPath(new URL('../../pkg-scripts/node_modules/axe-core/axe.min.js', import.meta.url));
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** Viewport rectangles (top, bottom, left, right) of #demo's parts `sels`, and the viewport's size. */
const rects = (page, ...sels) => page.evaluate((sels) => {
  const root = document.querySelector('#demo').shadowRoot;
  const box = (sel) => { const r = root.querySelector(sel).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
  return { ...Object.fromEntries(sels.map((s) => [s, box(s)])), vw: innerWidth, vh: innerHeight };
}, sels);
const inView = (r, vw, vh) => r.top >= 0 && r.bottom <= vh && r.left >= 0 && r.right <= vw;
/** Resolves once #demo's sliders (8, measured for the explored digit) are there. */
const sliders = (page) => page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelectorAll('.sliders input').length === 8, null, { timeout: 30_000 });
/** The next `explore` event of #demo (its zoomed digit drawn). */
const explored = (page) => page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('explore', (e) => ok(e.detail), { once: true })));

test('at 1280×800 a click on a digit shows it large with its sliders beside the grid, in view', async () => {
  const page = await open(env.browser, `${env.base}/`, { viewport: { width: 1280, height: 800 } });
  await waitReady(page, '#demo');
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  const shown = explored(page);
  await grid.click({ position: { x: box.width * 0.6, y: box.height * 0.3 } });
  assert.equal((await shown).index, 2 * 8 + 4, 'row 2, column 4 of the 8-wide grid');
  await sliders(page);
  const r = await rects(page, '.zoom', '.sliders input', 'canvas.grid');
  for (const sel of ['.zoom', '.sliders input']) assert.ok(inView(r[sel], r.vw, r.vh), `${sel} in view: ${JSON.stringify(r)}`);
  assert.ok(r['.zoom'].left >= r['canvas.grid'].right && r['.zoom'].top < r['canvas.grid'].bottom, 'beside the grid, not under it');
  // The sliders say why these: the dimensions that change this digit most, each a different one.
  assert.match(await page.locator('#demo .slider-note').textContent(), /The 8 of z's 100 dimensions that change this digit most/);
  const dims = await page.locator('#demo .sliders select').evaluateAll((s) => s.map((x) => Number(x.value)));
  assert.equal(new Set(dims).size, 8);
  // Another dimension picked in a slider's list: that slider moves it.
  const other = [...Array(100).keys()].find((d) => !dims.includes(d));
  await page.locator('#demo .sliders select').first().selectOption(String(other));
  assert.equal(await page.locator('#demo .sliders input').first().getAttribute('aria-label'), `Value of z${other}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('at 390×844 a tap on a digit brings it and its sliders into view; "Morph to…" then a tap morphs (the touch shift-click)', async () => {
  const page = await open(env.browser, `${env.base}/`, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await waitReady(page, '#demo');
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  await grid.tap({ position: { x: box.width * 0.2, y: box.height * 0.2 } });
  await sliders(page);
  const r = await rects(page, '.zoom', '.sliders input');
  for (const sel of ['.zoom', '.sliders input']) assert.ok(inView(r[sel], r.vw, r.vh), `${sel} in view: ${JSON.stringify(r)}`);
  await page.locator('#demo .morph-next').tap();
  assert.equal(await page.locator('#demo .morph-next').getAttribute('aria-pressed'), 'true');
  await grid.scrollIntoViewIfNeeded();
  const strip = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('explore', (e) => { if (e.detail.target != null) ok(e.detail); })));
  await grid.tap({ position: { x: box.width * 0.8, y: box.height * 0.8 } });
  const morph = await strip;
  assert.equal(morph.index, 1 * 8 + 1);
  assert.equal(morph.target, 6 * 8 + 6);
  assert.match(await page.locator('#demo .morph-hint').textContent(), /Morphing digit 10 → 55/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('keyboard: the grid takes focus, arrows frame a digit, Enter explores it and Shift+Enter morphs to another', async () => {
  const page = await open(env.browser, `${env.base}/`, { viewport: { width: 1280, height: 800 } });
  await waitReady(page, '#demo');
  // Tab from the page's start reaches the grid (after the header's links).
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'grid-box'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.querySelector('#demo').shadowRoot.activeElement?.className ?? '');
  }
  assert.equal(focused, 'grid-box', 'Tab reaches the grid');
  const shown = explored(page);
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'Enter']) await page.keyboard.press(key);
  assert.equal((await shown).index, 1 * 8 + 2, 'row 1, column 2');
  assert.match(await page.locator('#demo .cell-said').textContent(), /Digit 11, row 2, column 3: explored/);
  // The zoom shows that digit: its pixels are the grid cell's.
  const same = await page.evaluate(() => {
    const root = document.querySelector('#demo').shadowRoot;
    const red = (c, x, y) => Array.from(c.getContext('2d').getImageData(x, y, 28, 28).data.filter((_, i) => i % 4 === 0));
    const cell = red(root.querySelector('.grid'), 2 * 28, 28), zoom = red(root.querySelector('.zoom'), 0, 0);
    return cell.reduce((s, v, i) => s + Math.abs(v - zoom[i]), 0) / cell.length;
  });
  assert.ok(same < 2, `the zoom is the framed digit (mean difference ${same.toFixed(2)})`);
  const morph = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('explore', (e) => { if (e.detail.target != null) ok(e.detail); })));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Enter');
  assert.equal((await morph).target, 2 * 8 + 2);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a slider drag redraws the zoom for each move, in order, within a frame or two of it', async () => {
  const page = await open(env.browser, `${env.base}/`, { viewport: { width: 1280, height: 800 } });
  await waitReady(page, '#demo');
  await page.locator('#demo canvas.grid').click({ position: { x: 40, y: 40 } });
  await sliders(page);
  const moves = await page.evaluate(async () => {
    const el = document.querySelector('#demo'), input = el.shadowRoot.querySelector('.sliders input');
    let frame = 0;
    const count = () => { frame++; requestAnimationFrame(count); };
    requestAnimationFrame(count);
    const seen = [];
    for (let k = 0; k < 12; k++) {
      const drawn = new Promise((ok) => el.addEventListener('explore', ok, { once: true }));
      const [f0, t0] = [frame, performance.now()];
      input.value = -3 + k * 0.5;
      input.dispatchEvent(new Event('input'));
      await drawn;
      seen.push({ frames: frame - f0, ms: performance.now() - t0 });
    }
    return seen;
  });
  console.log(`# slider to zoom: ${moves.map((m) => `${m.frames}f/${m.ms.toFixed(0)}ms`).join(' ')}`);
  assert.ok(moves.every((m) => m.frames <= 2), `each move drawn within two frames: ${JSON.stringify(moves)}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the grid is drawn at a whole number of device pixels per digit pixel, larger where there is room', async () => {
  for (const [width, dpr, least] of [[1280, 1, 2], [1280, 2, 4], [390, 1, 1]]) {
    const page = await open(env.browser, `${env.base}/`, { viewport: { width, height: 800 }, deviceScaleFactor: dpr });
    await waitReady(page, '#demo');
    const { css, pixels } = await page.evaluate(() => {
      const c = document.querySelector('#demo').shadowRoot.querySelector('canvas.grid');
      return { css: c.getBoundingClientRect().width, pixels: c.width };
    });
    const scale = (css * dpr) / pixels;
    assert.ok(Number.isInteger(Math.round(scale * 1000) / 1000) && scale >= least, `${width} px wide at ×${dpr}: ${scale} device pixels per digit pixel`);
    await page.close();
  }
});

test('before training, D\'s view and the charts take one line each; training fills them', async () => {
  const page = await open(env.browser, `${env.base}/`, { viewport: { width: 1280, height: 800 } });
  await waitReady(page, '#demo');
  const sizes = () => page.evaluate(() => {
    const root = document.querySelector('#demo').shadowRoot;
    const h = (sel) => root.querySelector(sel).getBoundingClientRect().height;
    return { dview: h('.dview'), chart: h('.chart-box') };
  });
  const opened = await sizes();
  assert.ok(opened.dview < 60 && opened.chart < 30, `no empty boxes: ${JSON.stringify(opened)}`);
  assert.match(await page.locator('#demo .chart-note').textContent(), /once training starts/);
  await trainSteps(page, 30);
  await page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelector('.dview-real figure'), null, { timeout: 30_000 });
  const trained = await sizes();
  assert.ok(trained.dview > opened.dview + 30 && trained.chart > 200, `filled: ${JSON.stringify(trained)}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('theme follows the system ("auto"), or the theme attribute; --ganvas-* properties override it', async () => {
  // The element's background, once it is `want` (a change of the system's scheme is an event).
  const background = async (page, want) => {
    await page.waitForFunction((want) => getComputedStyle(document.querySelector('#demo').shadowRoot.querySelector('.ganvas')).backgroundColor === want, want, { timeout: 5_000 }).catch(() => {});
    return page.evaluate(() => getComputedStyle(document.querySelector('#demo').shadowRoot.querySelector('.ganvas')).backgroundColor);
  };
  const page = await open(env.browser, `${env.base}/`, { colorScheme: 'light' });
  await waitReady(page, '#demo');
  assert.equal(await background(page, 'rgb(255, 255, 255)'), 'rgb(255, 255, 255)', 'auto on a light system: light');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await background(page, 'rgb(21, 22, 29)'), 'rgb(21, 22, 29)', 'auto on a dark system: dark');
  await page.evaluate(() => document.querySelector('#demo').setAttribute('theme', 'light'));
  assert.equal(await background(page, 'rgb(255, 255, 255)'), 'rgb(255, 255, 255)', 'theme="light" on a dark system');
  await page.evaluate(() => document.querySelector('#demo').style.setProperty('--ganvas-bg', 'rgb(1, 2, 3)'));
  assert.equal(await background(page, 'rgb(1, 2, 3)'), 'rgb(1, 2, 3)', 'a page\'s --ganvas-bg');
  await page.close();
});

test('axe-core finds no accessibility violation on index.html (opened, a digit explored, trained) and embed.html, dark and light', async () => {
  for (const colorScheme of ['dark', 'light']) {
    for (const [path, sel] of [['/', '#demo'], ['/embed.html', '#embedded']]) {
      const page = await open(env.browser, `${env.base}${path}`, { viewport: { width: 1280, height: 800 }, colorScheme });
      await waitReady(page, sel);
      await page.addScriptTag({ path: AXE });
      const audit = () => page.evaluate(async () => (await axe.run(document)).violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(await audit(), [], `${path}, ${colorScheme}, as opened`);
      if (path === '/') {
        await page.locator('#demo canvas.grid').click({ position: { x: 40, y: 40 } });
        await sliders(page);
        assert.deepEqual(await audit(), [], `${path}, ${colorScheme}, a digit explored`);
        await trainSteps(page, 20);
        await page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelector('.dview-real figure'), null, { timeout: 30_000 });
        assert.deepEqual(await audit(), [], `${path}, ${colorScheme}, trained (charts, D's view)`);
      }
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  }
});
