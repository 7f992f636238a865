// mode="explore", as a reader of the embed page uses it: a click on a grid digit shows it
// large, its latent sliders change it, a shift-click on a second digit draws the morph strip,
// and the morph slider walks between the two.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, waitReady } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** A canvas of #demo's: size, alpha-drawn share, mean brightness (0 = background tint) and a hash. */
const canvas = (page, sel) => page.evaluate((sel) => {
  const c = document.querySelector('#demo').shadowRoot.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let drawn = 0, sum = 0, hash = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0) drawn++;
    sum += (d[i] - 16) / 239;
    hash = (hash * 31 + d[i]) >>> 0;
  }
  const n = d.length / 4;
  return { width: c.width, height: c.height, drawn: drawn / n, mean: sum / n, hash };
}, sel);

/** The red channel of the grid's digit at (row, col), and of the zoomed digit. */
const digits = (page, row, col) => page.evaluate(({ row, col }) => {
  const root = document.querySelector('#demo').shadowRoot;
  const red = (c, x, y) => Array.from(c.getContext('2d').getImageData(x, y, 28, 28).data.filter((_, i) => i % 4 === 0));
  return { grid: red(root.querySelector('.grid'), col * 28, row * 28), zoom: red(root.querySelector('.zoom'), 0, 0) };
}, { row, col });

const waitChange = (page, sel, hash) => page.waitForFunction(({ sel, hash }) => {
  const c = document.querySelector('#demo').shadowRoot.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i]) >>> 0;
  return h !== hash;
}, { sel, hash }, { timeout: 20_000 });

test('explore mode: a clicked digit is zoomed, sliders and the morph change it', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { mode: 'explore', backend: 'cpu' });
  // Explore mode shows the grid and hides the training controls.
  assert.equal(await page.locator('#demo button.train').isVisible(), false);
  assert.equal(await page.locator('#demo .zoom').isVisible(), false, 'nothing to explore before a click');
  assert.match(await page.locator('#demo .explore-hint').textContent(), /Click a digit/, 'but a line says how');
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  const { width: w, height: h } = await canvas(page, '.grid');
  const cols = w / 28, rows = h / 28;
  const at = (row, col) => ({ x: ((col + 0.5) / cols) * box.width, y: ((row + 0.5) / rows) * box.height });

  // A click on the digit at row 2, column 3: the zoom shows that digit.
  await grid.click({ position: at(2, 3) });
  await page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelector('.zoom').getContext('2d').getImageData(0, 0, 1, 1).data[3] > 0, null, { timeout: 20_000 });
  assert.equal(await page.locator('#demo .zoom').isVisible(), true);
  assert.equal(await page.locator('#demo .explore-hint').isVisible(), false);
  const { grid: cell, zoom } = await digits(page, 2, 3);
  const diff = cell.reduce((s, v, i) => s + Math.abs(v - zoom[i]), 0) / cell.length;
  assert.ok(diff < 2, `the zoom shows the clicked digit (mean difference ${diff.toFixed(2)} of 255)`);
  const other = await digits(page, 5, 6);
  assert.ok(other.grid.reduce((s, v, i) => s + Math.abs(v - zoom[i]), 0) / cell.length > 5, 'and not another one');
  const zoomed = await canvas(page, '.zoom');
  assert.ok(zoomed.mean > 0.03, `ink in the zoom: ${JSON.stringify(zoomed)}`);

  // A latent slider moves the digit.
  const sliders = page.locator('#demo .sliders input');
  await page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelectorAll('.sliders input').length === 8);
  await sliders.first().evaluate((input) => { input.value = Number(input.value) > 0 ? -3 : 3; input.dispatchEvent(new Event('input')); });
  await waitChange(page, '.zoom', zoomed.hash);

  // Shift-click a second digit: the strip of ten steps between the two is drawn.
  const strip = await canvas(page, '.morph-strip');
  assert.equal(strip.drawn, 0, 'no strip before a second digit');
  await grid.click({ position: at(6, 1), modifiers: ['Shift'] });
  await page.waitForFunction(() => /Morphing digit 20 → 50/.test(document.querySelector('#demo').shadowRoot.querySelector('.morph-hint').textContent));
  await waitChange(page, '.morph-strip', strip.hash);
  const drawn = await canvas(page, '.morph-strip');
  assert.equal(drawn.width, 280);
  assert.equal(drawn.drawn, 1, 'the whole strip is drawn');
  assert.ok(drawn.mean > 0.03, `ink in the strip: ${JSON.stringify(drawn)}`);

  // The morph slider walks from the first digit towards the second.
  const before = (await canvas(page, '.zoom')).hash;
  await page.locator('#demo input.morph-t').evaluate((input) => { input.value = 0.7; input.dispatchEvent(new Event('input')); });
  await waitChange(page, '.zoom', before);
  assert.deepEqual(page.errors, []);
  await page.close();
});
