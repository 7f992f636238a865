// The convolutional GAN as a tutorial reader meets it: a conv-conditional run link trains on
// the CPU by itself, pauses at its step, scores digits the judge reads, D's view shows the conv
// D's opinion, and its grid (ten columns, one per digit) is drawn with ink on a dark background.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gridPixels, mount, open, serveHooked, start } from './harness.mjs';

let env;
let hooked;
before(async () => { env = await start(); hooked = await serveHooked(); });
after(async () => { hooked?.close(); await env?.close(); });

// The Rust tests check the kernels natively; this runs the same check (src/conv/check.rs) in
// the browser's wasm, SIMD128 and all, through the tests' build.
test('in the wasm, the conv kernels match burn\'s ops in outputs and every gradient', { timeout: 300_000 }, async () => {
  const page = await open(env.browser, `${hooked.base}/`);
  const rows = await page.evaluate(async () => {
    const { default: init, Ganvas } = await import('/pkg/ganvas.js');
    await init();
    return Ganvas.debugConvCheck();
  });
  assert.equal(rows.length, 14);
  for (const [shape, worst, hasOutput] of rows) {
    assert.ok(worst.every((w) => w <= 1), `${shape}: output, input, weight, bias gradients at ${worst} of their tolerance`);
    assert.ok(hasOutput, `an all-zero output proves nothing: ${shape}`);
  }
  console.log(`# worst of the tolerance over ${rows.length} shapes: ${Math.max(...rows.flatMap((r) => r[1])).toFixed(3)}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a conv-conditional run link trains on the CPU, pauses at its step and draws digits the judge reads', { timeout: 600_000 }, async () => {
  const page = await open(env.browser, `${env.base}/index.html#preset=conv-conditional&seed=1&recipe=fast&backend=cpu&pause-at=600`);
  await page.waitForFunction(() => document.querySelector('#demo')?.state?.pausedAt != null, null, { timeout: 480_000 });
  const s = await page.evaluate(() => {
    const { step, pausedAt, preset, backend, history, scores, gridLabels } = document.querySelector('#demo').state;
    return { step, pausedAt, preset, backend, history, scores, gridLabels };
  });
  assert.deepEqual([s.step, s.pausedAt, s.preset, s.backend], [600, 600, 'conv-conditional', 'cpu']);
  assert.equal(s.history.length, 600);
  for (const h of s.history) for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake']) assert.ok(Number.isFinite(h[k]), `step ${h.step} ${k}: ${h[k]}`);
  // The meter's first score past step 500 (it scores every 500 steps, at the end of the chunk
  // that passes them): noise scores below 2, real MNIST 9.75; the same run natively scores 7.8
  // at step 600 (tests/rust/conv.rs trains it further).
  const at500 = s.scores.find((x) => x.step >= 500);
  assert.ok(at500, JSON.stringify(s.scores.map((x) => x.step)));
  console.log(`# digit score at step ${at500.step}: ${at500.digitScore.toFixed(2)}, Fréchet ${at500.frechet.toFixed(1)}`);
  assert.ok(at500.digitScore >= 5.5, `digit score at step 500: ${at500.digitScore}`);
  // A conditional grid: rows of 0–9.
  assert.deepEqual(s.gridLabels.slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // D's view judged the conv D's digits: 8 real and 8 generated, each with its probability.
  const dview = await page.evaluate(() => {
    const root = document.querySelector('#demo').shadowRoot;
    return ['.dview-real', '.dview-fake'].map((sel) => [...root.querySelectorAll(`${sel} figure figcaption`)].map((c) => Number(c.textContent)));
  });
  for (const row of dview) {
    assert.equal(row.length, 8);
    assert.ok(row.every((p) => p >= 0 && p <= 1), JSON.stringify(dview));
  }
  const px = await gridPixels(page);
  assert.ok(px.mean > 0.05 && px.mean < 0.4, `mean ink ${px.mean}`);
  assert.ok(px.darkShare > 0.5, `background share ${px.darkShare}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('preset="conv" opens with the shipped conv generator (weights/conv.ganvas) and draws its digits', async () => {
  const page = await open(env.browser, `${env.base}/`);
  const info = await mount(page, { preset: 'conv', backend: 'cpu' });
  assert.equal(info.preset, 'conv');
  assert.ok(info.step > 0, `pretrained: step ${info.step}`);
  const px = await gridPixels(page);
  assert.ok(px.mean > 0.05 && px.mean < 0.4, `mean ink ${px.mean}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});
