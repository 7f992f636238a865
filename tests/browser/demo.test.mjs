// The demo page in headless Chromium without WebGPU: pretrained digits, CPU training, the
// embed element (bad uploads: reliability.test). Run with `node --test tests/browser/` after pkg-scripts/build.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gridPixels, mount, open, redrawn, start, statusText, trainSteps, waitReady } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('the page opens with pretrained digits drawn', async () => {
  const page = await open(env.browser, `${env.base}/`);
  const t0 = Date.now();
  const info = await waitReady(page, '#demo');
  const seconds = (Date.now() - t0) / 1000;
  assert.equal(info.step > 0, true, 'pretrained weights report their training steps');
  const px = await gridPixels(page);
  assert.equal(px.width, 8 * 28);
  // Not blank, not noise: MNIST-like digits are mostly dark background with ~13% ink.
  assert.ok(px.mean > 0.06 && px.mean < 0.3, `mean ink ${px.mean}`);
  assert.ok(px.darkShare > 0.6, `background share ${px.darkShare}`);
  assert.deepEqual(page.errors, []);
  console.log(`# first pretrained grid ${seconds.toFixed(1)} s after navigation (ready event)`);
  await page.close();
});

test('without WebGPU the page falls back to the CPU and says so', async () => {
  const page = await open(env.browser, `${env.base}/`);
  const info = await waitReady(page, '#demo');
  assert.equal(info.backend, 'cpu');
  assert.match(info.reason, /CPU.*(WebGPU|navigator\.gpu|adapter)/);
  // The page says it in words, and keeps saying it after later messages.
  const status = await statusText(page);
  assert.ok(status.startsWith('CPU') && status.includes(info.reason), status);
  await page.close();
});

// The smallest net and the largest (D judging pairs); the conditional ones train from scratch
// in scratch.test (tiny-conditional, 1,000 steps, judged) and picker.test (conditional).
for (const preset of ['tiny', 'standard']) {
  test(`50 CPU training steps from scratch (${preset}) give finite losses and change the grid`, async () => {
    const page = await open(env.browser, `${env.base}/`);
    await waitReady(page, '#demo');
    await mount(page, { backend: 'cpu', preset, weights: 'none' });
    const before = await gridPixels(page);
    const stats = await trainSteps(page, 50);
    const last = stats[stats.length - 1];
    for (const s of stats) for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake']) assert.ok(Number.isFinite(s[k]), `${k} at ${s.step}`);
    await redrawn(page); // the grid of the weights the last chunk left
    const after = await gridPixels(page);
    assert.notEqual(after.hash, before.hash, 'the grid was redrawn with new digits');
    const speed = 1000 / last.msPerStep;
    console.log(`# ${preset} on the CPU backend: ${speed.toFixed(1)} steps/s (${last.msPerStep.toFixed(1)} ms/step, last chunk)`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('training on from pretrained weights holds G while D warms up, and says so', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  const before = await gridPixels(page);
  const stats = await trainSteps(page, 20);
  for (const s of stats) assert.ok(Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss));
  await redrawn(page);
  assert.equal((await gridPixels(page)).hash, before.hash, 'pretrained digits unchanged during warm-up');
  assert.match(await statusText(page), /discriminator learns alone for \d+ more steps/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the embed page element fires ready and step', async () => {
  const page = await open(env.browser, `${env.base}/embed.html`);
  const info = await waitReady(page, '#embedded');
  assert.ok(info.step > 0);
  const step = await page.evaluate(() => new Promise((ok) => {
    const el = document.querySelector('#embedded');
    el.addEventListener('step', (e) => ok(e.detail), { once: true });
    el.stepOnce();
  }));
  assert.ok(Number.isFinite(step.dLoss));

  // The prose's picker: shipped conditional weights, every cell asked for a 7.
  const picked = await waitReady(page, '#picker');
  assert.equal(picked.preset, 'conditional');
  const labels = await page.evaluate(() => document.querySelector('#picker').state.gridLabels);
  assert.ok(labels.length === 80 && labels.every((l) => l === 7), `grid labels ${labels}`);
  // The lesson: Train runs the seeded run to its pause-at, and the timelapse holds it from step 0.
  await waitReady(page, '#lesson');
  await page.locator('#lesson button.train').click();
  await page.waitForFunction(() => document.querySelector('#lesson').state.pausedAt === 600, null, { timeout: 300_000, polling: 500 });
  await page.evaluate(() => document.querySelector('#lesson').redraw());
  const frames = await page.evaluate(() => document.querySelector('#lesson').timelapse());
  assert.equal(frames.steps[0], 0);
  assert.ok(frames.steps.at(-1) >= 575 && frames.steps.length >= 20, `${frames.steps}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});
