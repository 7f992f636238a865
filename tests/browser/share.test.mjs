// Shareable runs as a tutorial reader meets them: index.html opened with a run in its hash
// trains that run by itself and pauses exactly at pause-at; on the CPU backend two readers (two
// browser contexts, each chunking the run its own way) see the same losses bit for bit; Copy
// link gives a link that does the same again, and a new hash a new run; `pause-at` set on a
// running element stops it there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, waitReady } from './harness.mjs';

const RUN = 'preset=tiny&seed=7&recipe=fast&batch=32&backend=cpu&pause-at=40';
let env, reference; // the losses of RUN's 40 steps: the first test's, or reference()'s
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** RUN's losses to step 40, as a reader of the link sees them (once per suite; any test may ask first). */
async function referenceLosses() {
  if (!reference) {
    const page = await open(env.browser, `${env.base}/index.html#${RUN}`);
    await paused(page);
    reference = await losses(page);
    await page.close();
  }
  return reference;
}

/** Resolves once #demo's training loop has ended: `{step, pausedAt, running}`. */
async function paused(page, timeout = 180_000) {
  await page.waitForFunction(() => document.querySelector('#demo')?.state?.pausedAt != null, null, { timeout });
  return page.evaluate(() => { const { step, pausedAt, running } = document.querySelector('#demo').state; return { step, pausedAt, running }; });
}

/** Every step's losses, as the element keeps them. */
const losses = (page) => page.evaluate(() => document.querySelector('#demo').state.history.map(({ step, dLoss, gLoss, dReal, dFake }) => ({ step, dLoss, gLoss, dReal, dFake })));

/** The steps at which the worker read a chunk back (its `step` events). */
function recordChunks(page) {
  return page.evaluate(() => {
    window.chunks = [];
    document.querySelector('#demo').addEventListener('step', (e) => window.chunks.push(e.detail.step));
  });
}

const text = (page, sel) => page.evaluate((sel) => document.querySelector('#demo').shadowRoot.querySelector(sel).textContent, sel);
const linkField = (page) => page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.link').value);

test('a run link trains by itself, pauses at pause-at, and two readers see the same losses bit for bit', async () => {
  // Two browser contexts (open() makes one per page): nothing shared, not even the MNIST cache.
  const pages = await Promise.all([0, 1].map(() => open(env.browser, `${env.base}/index.html#${RUN}`)));
  await Promise.all(pages.map(recordChunks));
  const ends = await Promise.all(pages.map((p) => paused(p)));
  for (const end of ends) assert.deepEqual(end, { step: 40, pausedAt: 40, running: false });
  const [a, b] = await Promise.all(pages.map(losses));
  assert.equal(a.length, 40);
  assert.deepEqual(a.map((s) => s.step), Array.from({ length: 40 }, (_, i) => i + 1), 'every step once, none past 40');
  for (let i = 0; i < 40; i++) for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake']) assert.ok(a[i][k] === b[i][k], `${k} at step ${i + 1}: ${a[i][k]} vs ${b[i][k]}`);
  reference = a;
  const state = await pages[0].evaluate(() => { const { settings, run, preset, backend } = document.querySelector('#demo').state; return { settings, run, preset, backend }; });
  assert.deepEqual([state.preset, state.backend, state.settings.batchSize, state.run], ['tiny', 'cpu', 32, { seed: 7, recipe: 'fast' }]);
  assert.deepEqual([state.settings.lrG, state.settings.lrD, state.settings.ema > 0], [3e-3, 3e-3, true], 'the fast recipe\'s rates and average');
  assert.match(await text(pages[0], '.message'), /Paused at step 40/);
  console.log(`# chunks read back at steps ${JSON.stringify(await pages[0].evaluate(() => window.chunks))} and ${JSON.stringify(await pages[1].evaluate(() => window.chunks))}`);
  for (const p of pages) assert.deepEqual(p.errors, []);

  // Copy link: the field holds the same run, stopping at this step; opened anew, it trains the same losses.
  await pages[0].locator('#demo button.copy-link').click();
  await pages[0].waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelector('.link').value !== '');
  const link = await linkField(pages[0]);
  assert.equal(await pages[0].evaluate(() => document.querySelector('#demo').runLink()), link);
  assert.equal(await pages[0].evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.link').hidden), false, 'the link is shown, to select');
  const url = new URL(link);
  assert.equal(`${url.origin}${url.pathname}`, `${env.base}/index.html`);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(url.hash.slice(1))), {
    preset: 'tiny', seed: '7', recipe: 'fast', 'lr-g': '0.003', 'lr-d': '0.003', batch: '32', backend: 'cpu', 'pause-at': '40',
  });
  assert.match(await text(pages[0], '.message'), /^Link (copied|ready to copy)[^]*step 40/);
  const again = await open(env.browser, link);
  assert.deepEqual(await paused(again), { step: 40, pausedAt: 40, running: false });
  assert.deepEqual(await losses(again), a, 'the copied link trains the same losses');
  assert.deepEqual(again.errors, []);
  await again.close();

  // Train at the stop trains on past it.
  await pages[0].locator('#demo button.train').click();
  await pages[0].waitForFunction(() => document.querySelector('#demo').state.step > 40, null, { timeout: 60_000 });
  await pages[0].evaluate(() => document.querySelector('#demo').pause());

  // A new run in the hash (a tutorial's next link) replaces it: from fresh weights, to its own stop.
  await pages[0].evaluate((run) => { location.hash = run; }, RUN.replace('pause-at=40', 'pause-at=20'));
  await pages[0].waitForFunction(() => { const s = document.querySelector('#demo').state; return s.ready && !s.running && s.pausedAt === s.step; }, null, { timeout: 120_000 });
  assert.deepEqual(await losses(pages[0]), a.slice(0, 20));
  for (const p of pages) assert.deepEqual(p.errors, []);
  await Promise.all(pages.map((p) => p.close()));
});

test('pause-at set while training stops the run at that step, with the same losses whatever the chunks', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { preset: 'tiny', seed: 7, recipe: 'fast', batch: 32, backend: 'cpu', weights: 'none', 'checkpoint-every': 0 });
  // Three one-step chunks first: the first page's first chunk was ten steps.
  for (let i = 1; i <= 3; i++) {
    await page.evaluate(() => document.querySelector('#demo').stepOnce());
    await page.waitForFunction((i) => document.querySelector('#demo').state.step === i, i, { timeout: 60_000 });
  }
  const stop = await page.evaluate(() => new Promise((ok) => {
    const el = document.querySelector('#demo');
    el.addEventListener('step', (e) => {
      // The worker may be a chunk (about 100 ms of steps) past the last one heard of: the stop lies well beyond.
      el.pauseAt = e.detail.step + Math.min(300, 20 + 3 * Math.ceil(100 / e.detail.msPerStep));
      ok(el.pauseAt);
    }, { once: true });
    el.train();
  }));
  await page.waitForFunction((stop) => { const s = document.querySelector('#demo').state; return s.pausedAt != null || s.step > stop; }, stop, { timeout: 180_000 });
  assert.deepEqual(await paused(page), { step: stop, pausedAt: stop, running: false });
  assert.match(await text(page, '.message'), new RegExp(`Paused at step ${stop.toLocaleString('en')}`));
  const run = await losses(page);
  assert.equal(run.at(-1).step, stop);
  const ref = await referenceLosses();
  const n = Math.min(run.length, ref.length);
  assert.ok(n >= 23, `${n} steps compared`);
  assert.deepEqual(run.slice(0, n), ref.slice(0, n), 'the same run, chunked otherwise, gives the same losses');
  // Copy link of this run (fresh weights of an element, not the page's hash) says so too.
  await page.locator('#demo button.copy-link').click();
  const link = new URL(await linkField(page));
  assert.equal(new URLSearchParams(link.hash.slice(1)).get('pause-at'), String(stop));
  assert.deepEqual(page.errors, []);
  await page.close();
});
