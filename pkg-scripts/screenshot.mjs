// Screenshots for the README. Needs pkg-scripts/build first.
//   node pkg-scripts/screenshot.mjs [steps]   www/screenshot.png: the demo page mid-training
//     (trains on the CPU from the pretrained weights, explores a digit and morphs to another)
//   node pkg-scripts/screenshot.mjs visitor   www/screenshot-light.png and screenshot-phone.png:
//     the page as it opens, a digit clicked, at 1280×800 in the light theme and tapped at
//     390×844 (a phone) in the dark one
//   node pkg-scripts/screenshot.mjs own [steps]   www/screenshot-own-data.png: Data → Draw, 16
//     letters drawn on the pad with pointer events (L, T, V, Z, four each), then Train from
//     scratch on the CPU for `steps` (default 1500); prints the seconds it took
import { open, start, trainSteps, waitReady } from '../tests/browser/harness.mjs';

const what = process.argv[2] ?? '150';
const env = await start();
const out = (name) => new URL(`../www/${name}`, import.meta.url).pathname;
/** Waits for the explored digit's sliders (measured for it) and its nearest training digits. */
const explored = (page) => page.waitForFunction(() => {
  const root = document.querySelector('#demo').shadowRoot;
  return root.querySelectorAll('.sliders input').length === 8 && root.querySelector('.nearest-digits figure');
}, null, { timeout: 60_000 });
/** Draws `letters` on the pad, four of each, a little different each time, and adds them. */
async function drawLetters(page) {
  const LETTERS = {
    L: [[[0.3, 0.2], [0.3, 0.8], [0.7, 0.8]]],
    T: [[[0.2, 0.2], [0.8, 0.2]], [[0.5, 0.2], [0.5, 0.8]]],
    V: [[[0.25, 0.2], [0.5, 0.8], [0.75, 0.2]]],
    Z: [[[0.25, 0.2], [0.75, 0.2], [0.25, 0.8], [0.75, 0.8]]],
  };
  const pad = await page.locator('#demo .draw-pad').boundingBox();
  for (let i = 0; i < 16; i++) {
    const letter = 'LTVZ'[i % 4], wobble = (i >> 2) * 0.03, tilt = ((i >> 2) - 1.5) * 0.04;
    await page.locator('#demo .draw-class').fill(letter);
    for (const stroke of LETTERS[letter]) {
      const points = stroke.map(([x, y]) => [pad.x + (x + tilt * (y - 0.5) + wobble) * pad.width, pad.y + (y - wobble / 2) * pad.height]);
      await page.mouse.move(...points[0]);
      await page.mouse.down();
      for (const p of points.slice(1)) await page.mouse.move(...p, { steps: 8 });
      await page.mouse.up();
    }
    await page.locator('#demo .draw-add').click();
  }
}

try {
  if (what === 'own') {
    const steps = Number(process.argv[3] ?? 1500);
    const page = await open(env.browser, `${env.base}/`, { viewport: { width: 1280, height: 1000 } });
    await waitReady(page, '#demo');
    await page.locator('#demo .data-source').selectOption('draw');
    await drawLetters(page);
    await page.locator('#demo .draw-train').click();
    await page.waitForFunction(() => document.querySelector('#demo').state.data);
    const t0 = Date.now();
    await page.locator('#demo .reset').click();
    await page.waitForFunction((n) => { const s = document.querySelector('#demo').state; return s.step >= n && s.history.length >= n; }, steps, { timeout: 600_000 });
    const seconds = (Date.now() - t0) / 1000;
    await page.evaluate(() => document.querySelector('#demo').pause());
    await page.evaluate(() => document.querySelector('#demo').redraw());
    await page.screenshot({ path: out('screenshot-own-data.png'), clip: { x: 0, y: 0, width: 1280, height: 1000 } });
    console.log(`wrote ${out('screenshot-own-data.png')}: ${steps} steps in ${seconds.toFixed(1)} s from Train from scratch`);
  } else if (what === 'visitor') {
    for (const [name, context, how] of [
      ['screenshot-light.png', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' }, 'click'],
      ['screenshot-phone.png', { viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true, isMobile: true }, 'tap'],
    ]) {
      const page = await open(env.browser, `${env.base}/`, context);
      await waitReady(page, '#demo');
      const grid = page.locator('#demo canvas.grid');
      const box = await grid.boundingBox();
      await grid[how]({ position: { x: box.width * 0.56, y: box.height * 0.3 } });
      await explored(page);
      await page.screenshot({ path: out(name) });
      console.log(`wrote ${out(name)}`);
      await page.close();
    }
  } else {
    const page = await open(env.browser, `${env.base}/`);
    await page.setViewportSize({ width: 1000, height: 1000 });
    await waitReady(page, '#demo');
    // Training continues from the pretrained generator (with a fresh discriminator), so the
    // grid shows digits while the chart fills.
    await trainSteps(page, Number(what));
    const grid = page.locator('#demo canvas.grid');
    const box = await grid.boundingBox();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.2);
    await page.keyboard.down('Shift');
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.6);
    await page.keyboard.up('Shift');
    await explored(page);
    await page.evaluate(() => document.querySelector('#demo').redraw());
    await page.screenshot({ path: out('screenshot.png'), fullPage: true });
    console.log(`wrote ${out('screenshot.png')}`);
  }
} finally {
  await env.close();
}
