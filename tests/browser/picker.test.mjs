// The digit picker of a conditional model (its generator is told which digit to draw): the
// grid opens in rows of 0–9; picking 7 redraws every cell as a 7 from its own z (so the column
// that already asked for 7 stays as it was), the explore view keeps the picked label under its
// z sliders, and "all" brings the rows of 0–9 back exactly. An unconditional model has no picker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, state, waitReady } from './harness.mjs';

// The shipped conditional generator (pkg/conditional.ganvas), whose digits follow their labels.
const MODEL = { preset: 'conditional' };

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** The red channel of every 28×28 cell of a canvas of #demo's, row-major. */
const cells = (page, sel) => page.evaluate((sel) => {
  const c = document.querySelector('#demo').shadowRoot.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const cols = c.width / 28, rows = c.height / 28;
  return Array.from({ length: cols * rows }, (_, i) => {
    const ox = (i % cols) * 28, oy = Math.floor(i / cols) * 28;
    return Array.from({ length: 784 }, (_, p) => d[((oy + Math.floor(p / 28)) * c.width + ox + (p % 28)) * 4]);
  });
}, sel);
const diff = (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

/** Clicks the picker's button `text` and waits for a grid drawn after it. */
async function pick(page, text) {
  await page.locator('#demo .picker button', { hasText: new RegExp(`^${text}$`) }).click();
  await page.evaluate(() => document.querySelector('#demo').redraw());
}

test('picking 7: every cell of the conditional grid draws a 7 from its own z; "all" brings rows of 0–9 back', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { ...MODEL, backend: 'cpu', mode: 'explore' });

  // Opened: rows of 0–9, the picker offers 0–9 and "all", "all" pressed.
  let s = await state(page);
  const n = s.gridLabels.length;
  assert.deepEqual(s.gridLabels, Array.from({ length: n }, (_, i) => i % 10));
  assert.equal(s.digit, null);
  const buttons = page.locator('#demo .picker button');
  assert.deepEqual(await buttons.allTextContents(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'all']);
  assert.equal(await buttons.last().getAttribute('aria-pressed'), 'true');
  const before = await cells(page, '.grid');
  assert.equal(before.length, n);

  // A digit explored before the pick: row 2, column 3 (a 3).
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  await grid.click({ position: { x: (3.5 / 10) * box.width, y: (2.5 / (n / 10)) * box.height } });
  await page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelector('.zoom').getContext('2d').getImageData(0, 0, 1, 1).data[3] > 0);

  await pick(page, '7');
  s = await state(page);
  assert.equal(s.digit, 7);
  assert.equal(await page.evaluate(() => document.querySelector('#demo').getAttribute('digit')), '7', 'reflected as the attribute');
  assert.deepEqual(s.gridLabels, Array(n).fill(7), 'every cell asks for a 7');
  assert.equal(await buttons.nth(7).getAttribute('aria-pressed'), 'true');
  const sevens = await cells(page, '.grid');
  // Same z, label 7: the column that asked for 7 already is as it was; the others changed.
  const col7 = before.filter((_, i) => i % 10 === 7).map((c, k) => diff(c, sevens.filter((_, i) => i % 10 === 7)[k]));
  assert.ok(Math.max(...col7) < 1, `column 7 unchanged: ${col7.map((d) => d.toFixed(2))}`);
  const others = before.map((c, i) => (i % 10 === 7 ? null : diff(c, sevens[i]))).filter((d) => d != null);
  const changed = others.filter((d) => d > 2).length;
  assert.ok(changed >= 0.9 * others.length, `${changed} of ${others.length} other cells redrawn as a 7`);
  console.log(`# picking 7: column 7 changed by ${Math.max(...col7).toFixed(2)} at most; ${changed} of ${others.length} other cells by > 2 (median ${others.sort((a, b) => a - b)[others.length >> 1].toFixed(1)} of 255)`);

  // The explored digit took the label 7 and kept its z: the zoom shows its cell's 7.
  const zoom = async () => (await cells(page, '.zoom'))[0];
  const cell = (all, row, col) => all[row * 10 + col];
  assert.ok(diff(cell(sevens, 2, 3), await zoom()) < 2, 'the zoom shows the cell, now a 7');
  // Sliders move z only (8 of its dimensions, those that change this digit most); the label stays 7.
  await page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelectorAll('.sliders input').length === 8);
  const sliders = page.locator('#demo .sliders input');
  const dims = await page.locator('#demo .sliders select').evaluateAll((s) => s.map((x) => x.value));
  assert.equal(new Set(dims).size, 8, `eight different dimensions: ${dims}`);
  // As a visitor sees it: the slider changes the zoomed 7; picking "all" then redraws the same
  // moved z as its cell's digit (a 3), and 7 again gives back the very same moved 7.
  const drawn = () => page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('explore', ok, { once: true })));
  const still7 = await zoom();
  let next = drawn();
  await sliders.first().evaluate((input) => { input.value = Number(input.value) > 0 ? -3 : 3; input.dispatchEvent(new Event('input')); });
  await next;
  const moved7 = await zoom();
  assert.ok(diff(moved7, still7) > 2, 'the slider changed the zoomed digit');
  next = drawn();
  await pick(page, 'all');
  await next;
  const moved3 = await zoom();
  assert.ok(diff(moved3, moved7) > 2, 'the same moved z drawn as its cell\'s digit: another digit');
  next = drawn();
  await pick(page, '7');
  await next;
  assert.ok(diff(await zoom(), moved7) < 1, 'back to 7: the moved 7 exactly (the slider moved z, the picker the label)');
  await grid.click({ position: { x: (3.5 / 10) * box.width, y: (2.5 / (n / 10)) * box.height } }); // the cell's own z again
  await page.evaluate(() => document.querySelector('#demo').redraw());

  // All again: the rows of 0–9, the very digits of before; the zoom a 3 again.
  await pick(page, 'all');
  s = await state(page);
  assert.equal(s.digit, null);
  assert.equal(await page.evaluate(() => document.querySelector('#demo').hasAttribute('digit')), false);
  assert.deepEqual(s.gridLabels, Array.from({ length: n }, (_, i) => i % 10));
  const again = await cells(page, '.grid');
  assert.ok(Math.max(...again.map((c, i) => diff(c, before[i]))) < 1, 'the grid of before');
  assert.ok(diff(cell(again, 2, 3), await zoom()) < 2, 'the zoom shows its cell again');

  // The property sets it too, and a malformed one is reported and shows all.
  await page.evaluate(() => { document.querySelector('#demo').digit = 2; });
  await page.evaluate(() => document.querySelector('#demo').redraw());
  assert.deepEqual((await state(page)).gridLabels, Array(n).fill(2));
  const error = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('error', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => document.querySelector('#demo').setAttribute('digit', 'x'));
  assert.match((await error).message, /digit="x" is not a digit 0–9/);
  assert.equal((await state(page)).digit, null);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an unconditional model has no picker; digit is ignored', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { preset: 'tiny', weights: 'none', backend: 'cpu', digit: '7' });
  const s = await state(page);
  assert.deepEqual([s.digit, s.gridLabels], [null, null]);
  assert.equal(await page.locator('#demo .picker').isVisible(), false);
  assert.deepEqual(page.errors, []);
  await page.close();
});
