// Reliability in the page: bad uploads and bad MNIST data are refused with a message and
// change nothing; a diverged run stops and offers the last good state; a reload offers to
// resume exactly where training was; a hidden tab pauses or slows training; attributes are
// data, never markup or a cross-origin fetch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { serve } from '../../pkg-scripts/serve.mjs';
import { gridPixels, hook, mount, open, redrawn, serveHooked, start, state, statusText, trainSteps, waitReady } from './harness.mjs';

let env, hooked;
before(async () => {
  env = await start();
  // The test build, for the tests that break the model on purpose (poison, panic).
  hooked = await serveHooked();
});
after(async () => { hooked?.close(); await env?.close(); });

const shadow = (page, sel) => page.evaluate((sel) => document.querySelector('#demo').shadowRoot.querySelector(sel).textContent, sel);
const waitText = (page, sel, re, timeout = 60_000) => page.waitForFunction(({ sel, src }) =>
  new RegExp(src).test(document.querySelector('#demo').shadowRoot.querySelector(sel).textContent), { sel, src: re.source }, { timeout });
/** Resolves with the detail of the element's next `name` event. */
const nextEvent = (page, name, timeout = 120_000) => page.evaluate(({ name, timeout }) => new Promise((ok, fail) => {
  document.querySelector('#demo').addEventListener(name, (e) => ok(e.detail), { once: true });
  setTimeout(() => fail(new Error(`no ${name} event`)), timeout);
}), { name, timeout });
const step = (page) => page.evaluate(() => document.querySelector('#demo').state.step);
/** The step at which the worker stopped after `pause()` (its last chunk may run on a little). */
const pausedAt = async (page) => {
  await page.waitForFunction(() => document.querySelector('#demo').state.pausedAt != null);
  return (await state(page)).pausedAt;
};

test('bad weights uploads: each refused with its reason, the model unchanged', async () => {
  const good = Buffer.from(await (await fetch(`${env.base}/pkg/standard.ganvas`)).arrayBuffer());
  // Weights of the other preset, as a user would get them: the Download button of a tiny model.
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.download').click()),
  ]);
  const tiny = readFileSync(await download.path());
  const dir = mkdtempSync(join(tmpdir(), 'ganvas-'));
  const huge = join(dir, 'huge.ganvas');
  writeFileSync(huge, '');
  truncateSync(huge, 65 << 20); // sparse: 65 MB on paper, nothing on disk
  const flipped = Buffer.from(good);
  flipped[flipped.length >> 1] ^= 0xff;
  const cases = [
    ['empty', Buffer.alloc(0), /empty/],
    ['truncated', good.subarray(0, good.length >> 1), /truncated/],
    ['random bytes', randomBytes(100_000), /not a ganvas weights file/],
    ['random bytes after the signature', Buffer.concat([good.subarray(0, 8), randomBytes(5000)]), /truncated|header is not valid/],
    ['one byte flipped', flipped, /checksum mismatch/],
    ['the other preset', tiny, /tiny weights but the model is standard/],
    ['very large', huge, /65 MB; weights files are a few MB/],
  ];
  await mount(page, { backend: 'cpu', preset: 'standard' });
  const before = { px: await gridPixels(page), step: await step(page) };
  for (const [what, file, reason] of cases) {
    const input = page.locator('#demo .upload-input');
    await input.setInputFiles(typeof file === 'string' ? file : { name: `${what}.ganvas`, mimeType: 'application/octet-stream', buffer: file });
    await waitText(page, '.message', reason, 30_000).catch(async () => assert.fail(`${what}: message was "${await shadow(page, '.message')}"`));
    assert.match(await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.message').className), /error/, `${what}: shown as an error`);
    await page.evaluate(() => document.querySelector('#demo').redraw());
    assert.equal((await gridPixels(page)).hash, before.px.hash, `${what}: the digits changed`);
    assert.equal(await step(page), before.step, `${what}: the step changed`);
  }
  // And the good file still loads afterwards.
  await page.locator('#demo .upload-input').setInputFiles({ name: 'good.ganvas', mimeType: 'application/octet-stream', buffer: good });
  await waitText(page, '.message', /Weights loaded/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

for (const [what, bytes, reason] of [
  ['not gzip', randomBytes(50_000), /bad MNIST data: .* is not a valid gzip file/],
  ['cut short', gzipSync(gunzipSync(readFileSync(new URL('../../www/data/mnist-train.gz', import.meta.url))).subarray(0, 5_000_000)), /bad MNIST data/],
]) {
  test(`MNIST data that is ${what}: a clear message, training not started`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganvas-data-'));
    writeFileSync(join(dir, 'mnist-train.gz'), bytes);
    const server = await serve(0, { mounts: { '/data/': dir } });
    const page = await open(env.browser, `http://localhost:${server.address().port}/`);
    try {
      await waitReady(page, '#demo');
      await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none' });
      const error = nextEvent(page, 'error');
      await page.evaluate(() => document.querySelector('#demo').train());
      const { message } = await error;
      assert.match(message, reason);
      assert.match(message, /training was not started/);
      assert.match(await shadow(page, '.message'), reason);
      assert.equal(await step(page), 0);
      assert.equal(await page.evaluate(() => document.querySelector('#demo').state.running), false);
      assert.equal(await shadow(page, '.train'), 'Train');
    } finally { await page.close(); server.close(); }
  });
}

test('a NaN loss stops training and offers the last good state, which trains on', async () => {
  const page = await open(env.browser, `${hooked.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '0' });
  await trainSteps(page, 250); // in-memory snapshots every 100 steps
  const atPoison = await pausedAt(page);
  const diverged = nextEvent(page, 'diverged');
  await hook(page, 'poison');
  await page.evaluate(() => document.querySelector('#demo').train());
  const d = await diverged;
  assert.equal(d.step, atPoison + 1, 'found at the first step after the weights went bad');
  assert.ok(d.goodStep >= 100 && d.goodStep <= atPoison, JSON.stringify(d));
  assert.match(await shadow(page, '.message'), /diverged at step [\d,]+: a loss became NaN or infinite/);
  assert.equal(await page.evaluate(() => document.querySelector('#demo').state.running), false);
  // Every loss the chart holds is finite: the bad steps are not drawn.
  const history = await page.evaluate(() => document.querySelector('#demo').state.history);
  assert.ok(history.length > 0 && history.every((s) => Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss)));
  // Training again without restoring is refused.
  const refused = nextEvent(page, 'error');
  await page.evaluate(() => document.querySelector('#demo').stepOnce());
  const refusal = await refused;
  assert.equal(refusal.kind, 'diverged', JSON.stringify(refusal));
  assert.match(refusal.message, /restore the last good/);
  // The notice's button restores the good state.
  assert.match(await shadow(page, '.notice'), new RegExp(`Restore step ${d.goodStep}`));
  await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.notice-yes').click());
  await waitText(page, '.message', /Restored the state from step/);
  assert.equal(await step(page), d.goodStep);
  const stats = await trainSteps(page, 30);
  assert.ok(stats.every((s) => Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss)));
  const px = await gridPixels(page);
  assert.ok(px.mean > 0.01 && px.mean < 0.9, JSON.stringify(px));
  await page.close();
});

test('a reload offers to resume at the saved step, with the same model and settings', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '50' });
  // Settings as a visitor changes them: the inputs, then a change event.
  await page.evaluate(() => {
    const root = document.querySelector('#demo').shadowRoot;
    for (const [sel, v] of [['.batch', 32], ['.lr-g', 0.0003], ['.lr-d', 0.0001]]) root.querySelector(sel).value = v;
    root.querySelector('.lr-d').dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.querySelector('#demo').state.settings.batchSize === 32);
  await trainSteps(page, 120);
  // Pausing saves (unless the last chunk's periodic save already holds that step).
  const paused = await pausedAt(page);
  await page.waitForFunction((s) => document.querySelector('#demo').state.lastCheckpoint?.step === s, paused);
  const cp = (await state(page)).lastCheckpoint;
  assert.equal(cp.saved, true, cp.error);
  const before = await gridPixels(page);
  const history = (await state(page)).historyLength;
  // What the next step gives in an unbroken run.
  const next = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('step', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => document.querySelector('#demo').stepOnce());
  const unbroken = await next;

  const t0 = Date.now();
  await page.reload();
  await waitReady(page, '#demo');
  await waitText(page, '.notice', new RegExp(`tiny training run was saved at step ${paused}`));
  const resumed = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('ready', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.notice-yes').click());
  const info = await resumed;
  const seconds = (Date.now() - t0) / 1000;
  assert.equal(info.preset, 'tiny', `${JSON.stringify(info)}: ${await statusText(page)}`);
  assert.equal(info.step, paused);
  assert.equal((await gridPixels(page)).hash, before.hash, 'the same digits as before the reload');
  assert.equal((await state(page)).historyLength, history, 'the loss history came back');
  const settings = await page.evaluate(() => ['.batch', '.lr-g', '.lr-d'].map((s) => Number(document.querySelector('#demo').shadowRoot.querySelector(s).value)));
  assert.deepEqual(settings, [32, 0.0003, 0.0001]);
  const again = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('step', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => document.querySelector('#demo').stepOnce());
  const after = await again;
  for (const k of ['step', 'dLoss', 'gLoss', 'dReal', 'dFake']) assert.equal(after[k], unbroken[k], `${k}: resumed run differs from the unbroken one`);
  console.log(`# reload to resumed training state: ${seconds.toFixed(2)} s (tiny, step ${paused}, checkpoint ${cp.bytes} bytes)`);
  await page.close();
});

test('Train instead of Resume withdraws the offer: the saved run is not brought back later', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '50' });
  await trainSteps(page, 60);
  await page.waitForFunction(() => document.querySelector('#demo').state.lastCheckpoint?.saved);
  await page.reload();
  await waitReady(page, '#demo');
  await waitText(page, '.notice', /tiny training run was saved at step/);
  assert.equal((await state(page)).resumeOffered, true);
  await page.locator('#demo button.train').click();
  await page.waitForFunction(() => document.querySelector('#demo').state.step > 56000);
  assert.equal(await page.locator('#demo .notice').isVisible(), false, 'the offer is gone');
  assert.equal((await state(page)).resumeOffered, false);
  await page.evaluate(() => document.querySelector('#demo').pause());
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a saved run from an older ganvas (checkpoint format 1) is refused naming the version, and discarded', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  // A version-1 checkpoint as older builds wrote it (signature, header, no sections, CRC-32),
  // stored where the element keeps its run.
  await page.evaluate(async () => {
    const json = new TextEncoder().encode(JSON.stringify({ version: 1, kind: 'checkpoint', step: 700, seed: 0, sections: [] }));
    const bytes = new Uint8Array(8 + 4 + json.length + 4);
    bytes.set([0x89, ...new TextEncoder().encode('GANVAS\n')]);
    new DataView(bytes.buffer).setUint32(8, json.length, true);
    bytes.set(json, 12);
    let crc = ~0;
    for (const b of bytes.subarray(0, bytes.length - 4)) {
      crc ^= b;
      for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
    }
    new DataView(bytes.buffer).setUint32(bytes.length - 4, ~crc >>> 0, true);
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('ganvas', 1); r.onupgradeneeded = () => r.result.createObjectStore('runs'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    await new Promise((ok, fail) => {
      const tx = db.transaction('runs', 'readwrite');
      tx.objectStore('runs').put({ bytes, step: 700, preset: 'tiny', history: [], savedAt: Date.now() }, `${location.pathname}#demo`);
      tx.oncomplete = ok; tx.onerror = () => fail(tx.error);
    });
    db.close();
  });
  await page.reload();
  await waitReady(page, '#demo');
  await waitText(page, '.notice', /tiny training run was saved at step 700/);
  const error = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('error', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.notice-yes').click());
  const e = await error;
  assert.equal(e.kind, 'weights');
  assert.match(e.message, /format version 1.*It was discarded/);
  assert.match(await statusText(page), /format version 1/);
  assert.equal((await state(page)).ready.preset, 'standard', 'the model on screen stays as it was');
  const left = await page.evaluate(() => new Promise((ok, fail) => {
    const r = indexedDB.open('ganvas', 1);
    r.onsuccess = () => { const g = r.result.transaction('runs').objectStore('runs').get(`${location.pathname}#demo`); g.onsuccess = () => { ok(g.result ?? null); r.result.close(); }; };
    r.onerror = () => fail(r.error);
  }));
  assert.equal(left, null, 'not offered again');
  await page.close();
});

/** Makes the page look hidden (or visible) to the element, as a tab switch would. */
const setHidden = (page, hidden) => page.evaluate((hidden) => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  document.dispatchEvent(new Event('visibilitychange'));
}, hidden);

test('a hidden tab pauses training (the default) and resumes it when visible', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '0' });
  await page.evaluate(() => document.querySelector('#demo').train());
  await page.waitForFunction(() => document.querySelector('#demo').state.step > 20);
  await setHidden(page, true);
  // The training loop ends (its last chunk may run on a little); then a round trip through the
  // worker's queue (a redraw) lets any step still coming arrive first.
  const hiddenAt = await pausedAt(page);
  await redrawn(page);
  assert.equal(await step(page), hiddenAt, 'no steps while hidden');
  assert.match(await shadow(page, '.message'), /paused while this tab is hidden/);
  await setHidden(page, false);
  await page.waitForFunction((s) => document.querySelector('#demo').state.step > s + 20, hiddenAt, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.querySelector('#demo').state.running), true);
  await page.evaluate(() => document.querySelector('#demo').pause());
  await page.close();
});

test('background="throttle" slows a hidden tab to a fraction of the pace', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', background: 'throttle', 'checkpoint-every': '0', 'score-every': '0' });
  await page.evaluate(() => document.querySelector('#demo').train());
  await page.waitForFunction(() => document.querySelector('#demo').state.step > 50);
  // Steps per second over the next 5 chunks (their step events), after the chunk in flight
  // ends: a throttle set or lifted takes effect from the next chunk.
  const rate = () => page.evaluate(() => new Promise((ok) => {
    const el = document.querySelector('#demo');
    const seen = [];
    const onStep = (e) => {
      seen.push({ t: performance.now(), step: e.detail.step });
      if (seen.length < 7) return;
      el.removeEventListener('step', onStep);
      const [a, b] = [seen[1], seen.at(-1)];
      ok((b.step - a.step) / ((b.t - a.t) / 1000));
    };
    el.addEventListener('step', onStep);
  }));
  const visible = await rate();
  await setHidden(page, true);
  const hidden = await rate();
  await setHidden(page, false);
  const back = await rate();
  console.log(`# throttle: ${visible.toFixed(1)} steps/s visible, ${hidden.toFixed(1)} hidden, ${back.toFixed(1)} visible again`);
  assert.ok(hidden > 0, 'still training while hidden');
  assert.ok(hidden < 0.4 * visible && hidden < 0.4 * back, `hidden ${hidden} vs visible ${visible}/${back}`);
  await page.evaluate(() => document.querySelector('#demo').pause());
  await page.close();
});

test('attributes are data: a cross-origin weights URL is refused unfetched, markup stays text', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.base)) foreign.push(r.url()); });
  // A fresh element with the given attributes; resolves with its first error message.
  const failing = (attrs) => page.evaluate((attrs) => new Promise((ok, fail) => {
    document.querySelectorAll('ganvas-demo').forEach((e) => e.remove());
    const el = document.createElement('ganvas-demo');
    el.id = 'demo';
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.addEventListener('error', (e) => ok(e.detail.message), { once: true });
    el.addEventListener('ready', () => fail(new Error('ready: the attribute was accepted')), { once: true });
    document.body.append(el);
  }), attrs);
  assert.match(await failing({ backend: 'cpu', weights: 'https://evil.example/steal.ganvas' }), /weights must come from this site/);
  assert.match(await failing({ backend: 'cpu', preset: '<img src=x onerror="window.pwned=1">' }), /unknown preset/);
  await waitText(page, '.message', /<img src=x/);
  assert.match(await shadow(page, '.message'), /<img src=x/, 'shown as text');
  assert.equal(await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelectorAll('img').length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('a recipe or setting the crate refuses is said, and the rest of what was asked is used', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  // Standard's D judges pairs: an odd batch cannot train it; the unknown recipe is no recipe.
  const seen = await page.evaluate(() => new Promise((ok, fail) => {
    document.querySelectorAll('ganvas-demo').forEach((e) => e.remove());
    const el = document.createElement('ganvas-demo');
    el.id = 'demo';
    const attrs = { backend: 'cpu', preset: 'standard', weights: 'none', recipe: 'nope', batch: '65', 'lr-g': '0.001' };
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    const errors = [];
    el.addEventListener('error', (e) => errors.push(e.detail));
    el.addEventListener('ready', () => ok({ errors, state: el.state, message: el.shadowRoot.querySelector('.message').textContent }), { once: true });
    setTimeout(() => fail(new Error('no ready event')), 120_000);
    document.body.append(el);
  }));
  assert.equal(seen.errors.length, 1, JSON.stringify(seen.errors));
  const [refusal] = seen.errors;
  assert.deepEqual([refusal.during, refusal.kind], ['attribute', 'config']);
  assert.match(refusal.message, /unknown recipe "nope" \(classic, fast\); the default recipe is used/);
  assert.match(refusal.message, /batch size 65 is not a multiple of the discriminator's pack of 2; the recipe's is used/);
  assert.match(seen.message, /unknown recipe "nope".*Fresh standard weights\./, 'said with the opening line');
  // What was asked and could be used: the learning rate; the rest the default recipe's.
  assert.deepEqual([seen.state.settings.lrG, seen.state.settings.batchSize, seen.state.run], [0.001, 64, { seed: 0, recipe: 'classic' }]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a crash of the wasm module restarts training from the last checkpoint once, and the page says so', async () => {
  const page = await open(env.browser, `${hooked.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '100', 'score-every': '0' });
  await page.evaluate(() => document.querySelector('#demo').train());
  await page.waitForFunction(() => document.querySelector('#demo').state.lastCheckpoint?.step >= 100, null, { timeout: 60_000 });
  const crashed = nextEvent(page, 'crashed');
  const resumed = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('ready', (e) => ok(e.detail), { once: true })));
  await hook(page, 'panic');
  const c = await crashed;
  assert.match(c.message, /unreachable/);
  const info = await resumed;
  assert.equal(info.step, c.step, 'resumed at the last checkpoint');
  assert.equal(info.preset, 'tiny');
  assert.match(await statusText(page), /The model crashed \(.*\)\. Restarted from the checkpoint at step [\d,]+/);
  // It was training, so it trains on.
  await page.waitForFunction((s) => document.querySelector('#demo').state.step > s + 10, c.step, { timeout: 30_000 });
  // A second crash before any newer checkpoint stops with a message instead of looping.
  const again = nextEvent(page, 'error');
  await hook(page, 'panic');
  assert.match((await again).message, /happened again after a restart, so training has stopped/);
  assert.equal(await page.evaluate(() => document.querySelector('#demo').state.running), false);
  await page.close();
});
