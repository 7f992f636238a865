// The training timelapse under the grid, as a visitor uses it: frames gather as training goes,
// the slider scrubs back to the first grid (noise) and forward to now (digits), the contact
// sheet is a PNG and the video a WebM, and a resumed run brings its timelapse back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hook, mount, open, serveHooked, start, state, trainSteps, waitReady } from './harness.mjs';

let env, hooked;
before(async () => {
  env = await start();
  // The test build, for the crash a recovery resumes from (see reliability.test.mjs).
  hooked = await serveHooked();
});
after(async () => { hooked?.close(); await env?.close(); });

const shadow = (page, sel) => page.evaluate((sel) => document.querySelector('#demo').shadowRoot.querySelector(sel).textContent, sel);
const timelapse = (page) => page.evaluate(() => document.querySelector('#demo').timelapse());

/** Moves the slider to frame `i` (-1: the last) as a visitor drags it; what the timeline then shows. */
const scrub = (page, i) => page.evaluate((i) => {
  const root = document.querySelector('#demo').shadowRoot;
  const slider = root.querySelector('.timelapse-t');
  slider.value = String(i < 0 ? Number(slider.max) : i);
  slider.dispatchEvent(new Event('input'));
  return shown(root);
  function shown(root) {
    const c = root.querySelector('.timelapse-frame');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let hash = 0, sum = 0;
    for (let k = 0; k < d.length; k += 4) { hash = (hash * 31 + d[k]) >>> 0; sum += (d[k] - 16) / 239; }
    return { label: root.querySelector('.timelapse-step').textContent, hash, mean: sum / (d.length / 4), width: c.width, height: c.height, value: Number(slider.value), max: Number(slider.max) };
  }
}, i);

/** A Blob the element's method gives: its type, size and first bytes. */
const blob = (page, method) => page.evaluate(async (method) => {
  const b = await document.querySelector('#demo')[method]();
  return { type: b.type, size: b.size, head: [...new Uint8Array(await b.slice(0, 8).arrayBuffer())] };
}, method);

test('training fills the timelapse; the slider scrubs from the first grid to now; PNG and WebM export', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'timelapse-every': '10', 'checkpoint-every': '0' });
  assert.deepEqual((await timelapse(page)).steps, [0], 'the first grid is the first frame');
  await page.evaluate(() => document.querySelector('#demo').train());
  await page.waitForFunction(() => {
    const el = document.querySelector('#demo');
    return el.timelapse().steps.length >= 5 && el.state.step >= 150;
  }, null, { timeout: 120_000 });
  await page.evaluate(() => document.querySelector('#demo').pause());
  const t = await timelapse(page);
  assert.ok(t.steps.length >= 5, JSON.stringify(t));
  for (let i = 1; i < t.steps.length; i++) assert.ok(t.steps[i] - t.steps[i - 1] >= t.every, `steps ${t.steps}`);
  assert.equal(t.bytes, t.steps.length * 8 * 8 * 196, 'a frame: 64 digits of 14×14 bytes');

  // At the right end the timeline shows the latest frame; at the left, the fresh weights' noise.
  const now = await scrub(page, -1);
  assert.match(now.label, new RegExp(`step ${t.steps[t.steps.length - 1].toLocaleString('en')} \\(now\\)`));
  assert.deepEqual([now.width, now.height], [8 * 14, 8 * 14]);
  const first = await scrub(page, 0);
  assert.match(first.label, /^step 0 · 1 of \d+$/);
  assert.notEqual(first.hash, now.hash, 'the first frame is not the last');
  console.log(`# timelapse of ${t.steps.length} frames (${t.bytes} bytes): mean ink at step 0 ${first.mean.toFixed(3)}, now ${now.mean.toFixed(3)}`);

  // Scrubbed back, the timeline stays there while training adds frames; at the end it follows.
  await trainSteps(page, 40);
  // The loop stops after the chunk in flight; its grid (and any frame) comes after that.
  await page.waitForFunction(() => document.querySelector('#demo').state.pausedAt != null);
  await page.evaluate(() => document.querySelector('#demo').redraw());
  assert.equal((await scrub(page, 0)).hash, first.hash);
  const later = await timelapse(page);
  assert.ok(later.steps.length > t.steps.length || later.every > t.every, 'frames were added');
  const end = await scrub(page, -1);
  assert.equal(end.max, later.steps.length - 1);
  assert.match(end.label, new RegExp(`step ${later.steps[later.steps.length - 1].toLocaleString('en')} \\(now\\)`));

  const png = await blob(page, 'contactSheet');
  assert.equal(png.type, 'image/png');
  assert.deepEqual(png.head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG signature');
  assert.ok(png.size > 1000, `${png.size} bytes`);
  const webm = await blob(page, 'timelapseVideo');
  assert.equal(webm.type, 'video/webm');
  assert.deepEqual(webm.head.slice(0, 4), [0x1a, 0x45, 0xdf, 0xa3], 'the WebM (EBML) magic');
  assert.ok(webm.size > 1024, `${webm.size} bytes`);
  console.log(`# contact sheet ${png.size} bytes, video ${webm.size} bytes (${later.steps.length} frames)`);

  // The buttons download them, named after the last frame's step; Video is off while it records.
  const last = later.steps[later.steps.length - 1];
  for (const [button, ext, magic] of [['.timelapse-png', 'png', [0x89, 0x50, 0x4e, 0x47]], ['.timelapse-webm', 'webm', [0x1a, 0x45, 0xdf, 0xa3]]]) {
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await page.locator(`#demo ${button}`).click();
    if (ext === 'webm') assert.equal(await page.locator('#demo .timelapse-webm').isDisabled(), true, 'one recording at a time');
    const download = await downloading;
    if (ext === 'webm') assert.match(await shadow(page, '.message'), /Timelapse video saved \(\d+ kB\)/);
    assert.equal(download.suggestedFilename(), `ganvas-timelapse-step${last}.${ext}`);
    assert.deepEqual([...readFileSync(await download.path()).subarray(0, 4)], magic);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('timelapse-every="0" turns it off; a malformed value is reported and the default used', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'timelapse-every': '0', 'checkpoint-every': '0' });
  assert.deepEqual(await timelapse(page), { steps: [], every: 0, bytes: 0 });
  assert.equal(await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.timelapse').hidden), true);
  // Turned on after connection: the next grid is its first frame.
  await page.evaluate(() => { const el = document.querySelector('#demo'); el.timelapseEvery = 20; return el.redraw(); });
  assert.deepEqual(await timelapse(page), { steps: [0], every: 20, bytes: 64 * 196 });
  const error = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('error', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => document.querySelector('#demo').setAttribute('timelapse-every', 'often'));
  assert.match((await error).message, /timelapse-every="often" is not a whole number/);
  assert.equal((await timelapse(page)).every, 50);
  await page.close();
});

test('a resumed run brings back its timelapse up to the checkpoint', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'timelapse-every': '10', 'checkpoint-every': '50' });
  await trainSteps(page, 120);
  // Pausing saves (unless the last chunk's periodic save already holds that step).
  const paused = await page.waitForFunction(() => document.querySelector('#demo').state.pausedAt).then((h) => h.jsonValue());
  await page.waitForFunction((s) => document.querySelector('#demo').state.lastCheckpoint?.step === s, paused);
  assert.equal((await state(page)).lastCheckpoint.saved, true);
  const kept = (await timelapse(page)).steps.filter((s) => s <= paused);
  assert.ok(kept.length >= 3, `frames ${kept}`);
  const firstFrame = await scrub(page, 0);

  await page.reload();
  await waitReady(page, '#demo');
  await page.waitForFunction(() => /training run was saved/.test(document.querySelector('#demo').shadowRoot.querySelector('.notice').textContent));
  const resumed = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('ready', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.notice-yes').click());
  assert.equal((await resumed).step, paused);
  assert.deepEqual((await timelapse(page)).steps, kept, 'the frames up to the checkpoint came back');
  const back = await scrub(page, 0);
  assert.equal(back.hash, firstFrame.hash, 'the first frame is the same picture');
  assert.equal(back.label, firstFrame.label.replace(/of \d+/, `of ${kept.length}`));
  await page.close();
});

test('a crash resumed from the checkpoint in memory keeps the timelapse up to that checkpoint', async () => {
  const page = await open(env.browser, `${hooked.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'timelapse-every': '10', 'checkpoint-every': '100', 'score-every': '0' });
  await page.evaluate(() => document.querySelector('#demo').train());
  // Well past a checkpoint (the next is 100 steps on), so that frames after it are dropped.
  await page.waitForFunction(() => {
    const { lastCheckpoint: cp, step } = document.querySelector('#demo').state;
    return cp?.step >= 100 && step >= cp.step + 40;
  }, null, { timeout: 60_000 });
  // The frames as the crash found them: read as it is told, before the new worker takes over.
  const crashed = page.evaluate(() => new Promise((ok) => {
    const el = document.querySelector('#demo');
    el.addEventListener('crashed', (e) => ok({ ...e.detail, steps: el.timelapse().steps }), { once: true });
  }));
  const resumed = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('ready', (e) => ok(e.detail), { once: true })));
  await hook(page, 'panic');
  const c = await crashed;
  assert.equal((await resumed).step, c.step);
  const after = (await timelapse(page)).steps;
  const kept = c.steps.filter((s) => s <= c.step);
  assert.ok(kept.length >= 5, `frames ${c.steps}`);
  assert.ok(c.steps.length > kept.length, `frames after the checkpoint at ${c.step}: ${c.steps}`);
  // The first grid of the resumed model may add a frame at the checkpoint's step.
  assert.deepEqual(after.slice(0, kept.length), kept, `kept ${kept}, after ${after}`);
  assert.ok(after.slice(kept.length).every((s) => s === c.step), `after ${after}`);
  console.log(`# crash: resumed at checkpoint ${c.step} with ${kept.length} frames, ${c.steps.length - kept.length} after it dropped`);
  await page.evaluate(() => document.querySelector('#demo').pause());
  await page.close();
});
