// Memory over a long run: 5,000 CPU training steps (with the page's scoring and checkpoints
// on, as a user has them) must leave the wasm module's memory flat after warm-up. Prints the
// figures the note records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, waitReady } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('5,000 CPU training steps leave wasm memory flat after warm-up', { timeout: 600_000 }, async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'score-every': '500', 'checkpoint-every': '500' });
  const samples = await page.evaluate(() => new Promise((ok, fail) => {
    const el = document.querySelector('#demo');
    const out = [];
    let next = 0;
    el.addEventListener('error', (e) => fail(new Error(e.detail.message)));
    el.addEventListener('step', async (e) => {
      if (e.detail.step < next) return;
      next += 500;
      const m = await el.memory();
      out.push({ step: e.detail.step, mb: m.wasmBytes / 1048576 });
      if (out.length === 11) { el.pause(); ok(out); }
    });
    el.train();
  }));
  console.log(`# wasm memory (MB) by step: ${samples.map((s) => `${s.step}: ${s.mb.toFixed(1)}`).join(', ')}`);
  const warm = samples.find((s) => s.step >= 1000);
  const last = samples[samples.length - 1];
  assert.ok(last.step >= 5000, JSON.stringify(last));
  assert.equal(last.mb, warm.mb, `memory grew from ${warm.mb} MB at step ${warm.step} to ${last.mb} MB at step ${last.step}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});
