// The demo with Chromium's WebGPU enabled (--enable-unsafe-webgpu). Headless here the only
// adapter is SwiftShader, a software fallback: "auto" must not pick it, and forcing WebGPU must
// still initialise and train. SwiftShader is slow, so the run is a few steps of the tiny net.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../../pkg-scripts/serve.mjs';
import { mount, open, start, statusText, trainSteps } from './harness.mjs';

let env, hooked;
before(async () => {
  env = await start({ webgpu: true });
  // The test build, for the test that destroys the GPU device on purpose.
  hooked = await serve(0, { hooks: true });
});
after(async () => { hooked?.close(); await env?.close(); });

test('"auto" picks the CPU when the only adapter is a software fallback', async () => {
  const page = await open(env.browser, `${env.base}/`);
  const info = await mount(page, { backend: 'auto', preset: 'tiny', weights: 'none' });
  assert.equal(info.backend, 'cpu');
  assert.equal(info.adapter?.isFallbackAdapter, true, JSON.stringify(info));
  assert.match(info.reason, /software fallback/);
  assert.match(await statusText(page), /software fallback/);
  await page.close();
});

test('forced WebGPU initialises, trains a few steps and runs the judge', { timeout: 420_000 }, async () => {
  const page = await open(env.browser, `${env.base}/`);
  const info = await mount(page, { backend: 'webgpu', preset: 'tiny', weights: 'none' }, 300_000);
  assert.equal(info.backend, 'webgpu');
  const stats = await trainSteps(page, 3, 400_000);
  for (const s of stats) assert.ok(Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss));
  // The fresh weights were scored on the GPU (conv judge included) before training began.
  const [score] = await page.evaluate(() => document.querySelector('#demo').state.scores);
  assert.equal(score?.step, 0, JSON.stringify(score));
  assert.ok(score.digitScore >= 1 && score.digitScore <= 10 && Number.isFinite(score.frechet), JSON.stringify(score));
  assert.deepEqual(page.errors.filter((e) => !/WebGPU|GPU|adapter/i.test(e)), []);
  await page.close();
});

test('a lost GPU: training goes on on the CPU from the last checkpoint, and the page says so', { timeout: 600_000 }, async () => {
  const page = await open(env.browser, `http://localhost:${hooked.address().port}/`);
  const info = await mount(page, { backend: 'webgpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '4', 'score-every': '0' }, 300_000);
  assert.equal(info.backend, 'webgpu');
  const events = page.evaluate(() => new Promise((ok, fail) => {
    const el = document.querySelector('#demo');
    const seen = { checkpoints: [], memory: [] };
    el.addEventListener('checkpoint', async (e) => {
      // Checkpoints at step 0, after the first chunk, then every 4 steps: GPU memory at each
      // after training began, and at the fourth the device is destroyed.
      seen.checkpoints.push(e.detail);
      if (seen.checkpoints.length === 1) return;
      seen.memory.push(await el.memory());
      if (seen.checkpoints.length === 4) new BroadcastChannel('ganvas-test-hooks').postMessage({ type: 'lose-device' });
    });
    el.addEventListener('device-lost', (e) => { seen.lost = e.detail; });
    el.addEventListener('ready', (e) => { seen.resumed = e.detail; });
    el.addEventListener('step', (e) => {
      if (seen.resumed && e.detail.step > seen.resumed.step) ok({ ...seen, after: e.detail });
    });
    setTimeout(() => fail(new Error(`no CPU steps after the loss: ${JSON.stringify(seen)}`)), 500_000);
    el.train();
  }));
  const seen = await events;
  assert.equal(seen.lost.reason, 'destroyed');
  assert.equal(seen.resumed.backend, 'cpu');
  assert.equal(seen.resumed.step, seen.lost.step, 'resumed at the last checkpoint');
  assert.equal(seen.lost.step, seen.checkpoints[seen.checkpoints.length - 1].step);
  assert.ok(seen.lost.step >= 4, JSON.stringify(seen.lost));
  assert.ok(Number.isFinite(seen.after.dLoss) && seen.after.step > seen.lost.step);
  assert.match(await statusText(page), /^CPU.*The GPU was lost \(destroyed.*\)\. Continuing on the CPU from the checkpoint at step \d+/);
  // A model the visitor picks replaces the recovered run: the line no longer says why it moved.
  const fresh = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('ready', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => { const s = document.querySelector('#demo').shadowRoot.querySelector('.preset'); s.value = 'conditional'; s.dispatchEvent(new Event('change')); });
  assert.equal((await fresh).preset, 'conditional');
  assert.doesNotMatch(await statusText(page), /GPU was lost/);
  const [m0, , m1] = seen.memory;
  console.log(`# WebGPU (SwiftShader) device memory reserved at the checkpoints of steps ${seen.checkpoints.slice(1).map((c) => c.step).join(', ')}: ` +
    `${seen.memory.map((m) => `${(m.deviceBytesReserved / 1048576).toFixed(1)} MB (in use ${(m.deviceBytesInUse / 1048576).toFixed(1)})`).join(', ')}`);
  // Live GPU allocations stay flat from step to step (the pool's reserve grows in pages).
  assert.ok(m1.deviceBytesInUse <= m0.deviceBytesInUse * 1.02, JSON.stringify(seen.memory));
  await page.close();
});
