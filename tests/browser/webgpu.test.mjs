// The demo with Chromium's WebGPU enabled (--enable-unsafe-webgpu). Headless here the only
// adapter is SwiftShader, a software fallback: "auto" must not pick it, and forcing WebGPU must
// still initialise and train. SwiftShader is slow, so the run is a few steps of the tiny net.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, statusText, trainSteps } from './harness.mjs';

let env;
before(async () => { env = await start({ webgpu: true }); });
after(async () => { await env?.close(); });

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
  const [score] = await page.evaluate(() => document.querySelector('#demo').scores);
  assert.equal(score?.step, 0, JSON.stringify(score));
  assert.ok(score.digitScore >= 1 && score.digitScore <= 10 && Number.isFinite(score.frechet), JSON.stringify(score));
  assert.deepEqual(page.errors.filter((e) => !/WebGPU|GPU|adapter/i.test(e)), []);
  await page.close();
});
