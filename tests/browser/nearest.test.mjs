// The explored digit's nearest training digits (explore view): a click on a grid digit loads
// MNIST once (the status line says so) and shows the 3 nearest training digits in pixel space
// with their labels and distances, beside the scale of an unseen real digit's; moving a latent
// slider looks them up again for the changed digit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, statusText, waitReady } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** Resolves with the next `nearest` event's detail (listening from now on). */
const nextNearest = (page) => page.evaluate(() => new Promise((ok, fail) => {
  const el = document.querySelector('#demo');
  el.addEventListener('nearest', (e) => ok(e.detail), { once: true });
  el.addEventListener('error', (e) => fail(new Error(e.detail.message)), { once: true });
  setTimeout(() => fail(new Error('no nearest event')), 120_000);
}));

/** The three nearest digits as drawn: canvas size, ink and caption. */
const shown = (page) => page.evaluate(() => {
  const root = document.querySelector('#demo').shadowRoot;
  return {
    digits: [...root.querySelectorAll('.nearest-digits figure')].map((f) => {
      const c = f.querySelector('canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) ink += (d[i] - 16) / 239;
      return { width: c.width, height: c.height, ink: ink / (d.length / 4), caption: f.querySelector('figcaption').textContent };
    }),
    text: root.querySelector('.nearest').textContent,
  };
});

test('a clicked digit shows its 3 nearest training digits, nearest first, and again once a slider moves it', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { mode: 'explore', backend: 'cpu' });
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  const found = nextNearest(page);
  await grid.click({ position: { x: box.width * 0.45, y: box.height * 0.3 } });
  const first = await found;
  assert.equal(first.distances.length, 3);
  assert.ok(first.distances.every((d, i) => d > 0 && (i === 0 || d >= first.distances[i - 1])), `nearest first: ${first.distances}`);
  assert.ok(first.labels.every((l) => Number.isInteger(l) && l >= 0 && l <= 9));
  assert.ok(first.indices.every((i) => Number.isInteger(i) && i >= 0 && i < 60_000));
  assert.match(await statusText(page), /Loaded 60,000 MNIST digits/, 'the status line said MNIST was loaded');

  const view = await shown(page);
  assert.match(view.text, /Nearest training digits \(pixel distance\)/);
  assert.match(view.text, /a typical unseen real digit is ~4\.4 from its nearest training digit/);
  view.digits.forEach((d, i) => {
    assert.deepEqual([d.width, d.height], [28, 28]);
    assert.ok(d.ink > 0.03, `training digit ${i} drawn (ink ${d.ink.toFixed(3)})`);
    assert.equal(d.caption, `a ${first.labels[i]}\n${first.distances[i].toFixed(2)}`);
  });
  console.log(`# nearest training digits: ${first.distances.map((d) => d.toFixed(2)).join(', ')} (labels ${first.labels})`);

  // A slider changes the digit: looked up again, for the new one.
  const again = nextNearest(page);
  await page.locator('#demo .sliders input').first().evaluate((input) => { input.value = Number(input.value) > 0 ? -3 : 3; input.dispatchEvent(new Event('input')); });
  const second = await again;
  assert.equal(second.distances.length, 3);
  assert.notDeepEqual(second.distances, first.distances, 'another digit, other distances');
  assert.deepEqual(page.errors, []);
  await page.close();
});
