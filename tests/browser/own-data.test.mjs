// Own data in the page (Data → Your images, Draw), on images the test makes itself, not MNIST:
// a folder of PNG shapes (a subfolder per class, dark ink on light as people draw) is read,
// previewed and trained on, the picker names the classes, the meter measures without the digit
// judge, a link is refused and a reload keeps the data; 16 drawings made with pointer events
// train, are kept and download as IDX; MNIST-format IDX.gz files load with their labels; bad
// input is refused with the reason and the data in use stays; a folder of 1,000 images read
// while a run link trains is read with training stepped aside (a few chunks, not one per
// image), training going on after, and Train from scratch then trains the from-scratch
// default, the link having named no preset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mount, open, start, state, waitReady } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const SHAPES = ['circle', 'square', 'triangle'];
const shadow = (page, sel) => page.evaluate((s) => document.querySelector('#demo').shadowRoot.querySelector(s).textContent, sel);
const waitSaid = (page, re) => page.waitForFunction((re) => new RegExp(re).test(document.querySelector('#demo').shadowRoot.querySelector('.data-said').textContent), re.source, { timeout: 120_000 }).catch(async (e) => { throw new Error(`${e.message}: ${await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.data-said').textContent)}`); });

/** `per` PNGs of each shape, 40×40, drawn by the browser at random places and sizes: {class, bytes}. */
async function pngs(page, per) {
  const made = await page.evaluate(async ({ per, shapes }) => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const out = [];
    for (let i = 0; i < per * shapes.length; i++) {
      const kind = i % shapes.length, c = new OffscreenCanvas(40, 40), g = c.getContext('2d');
      g.fillStyle = '#fff'; g.fillRect(0, 0, 40, 40);
      g.strokeStyle = '#000'; g.lineWidth = 2 + rnd() * 2;
      const r = 8 + rnd() * 8, x = 20 + (rnd() - 0.5) * 8, y = 20 + (rnd() - 0.5) * 8;
      g.beginPath();
      if (kind === 0) g.arc(x, y, r, 0, 2 * Math.PI);
      else if (kind === 1) g.rect(x - r, y - r, 2 * r, 2 * r);
      else { g.moveTo(x, y - r); g.lineTo(x + r, y + r); g.lineTo(x - r, y + r); g.closePath(); }
      g.stroke();
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      out.push({ kind, bytes: Array.from(bytes) });
    }
    return out;
  }, { per, shapes: SHAPES });
  return made.map(({ kind, bytes }) => ({ cls: SHAPES[kind], bytes: Buffer.from(bytes) }));
}

test('a folder of images: read, previewed, trained on; the picker names its classes, the meter measures without the judge, a link is refused, a reload goes back to MNIST', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny-conditional', weights: 'none', 'score-every': '100' });
  const dir = join(mkdtempSync(join(tmpdir(), 'ganvas-own-')), 'shapes');
  for (const [i, { cls, bytes }] of (await pngs(page, 20)).entries()) {
    mkdirSync(join(dir, cls), { recursive: true });
    writeFileSync(join(dir, cls, `${i}.png`), bytes);
  }
  await page.locator('#demo .data-source').selectOption('own');
  await page.locator('#demo .data-folder').setInputFiles(dir);
  await waitSaid(page, /60 images in 3 classes \(circle 20, square 20, triangle 20\); 60 inverted/);
  const preview = await page.evaluate(() => {
    const c = document.querySelector('#demo').shadowRoot.querySelector('.data-preview');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) ink += d[i] > 128;
    return { hidden: c.hidden, width: c.width, height: c.height, ink: ink / (d.length / 4) };
  });
  assert.deepEqual([preview.hidden, preview.width, preview.height], [false, 224, 224]);
  assert.ok(preview.ink > 0.03 && preview.ink < 0.5, JSON.stringify(preview)); // light ink on dark, as trained on
  let s = await state(page);
  assert.deepEqual(s.data.classes, SHAPES);
  assert.deepEqual(s.gridLabels.slice(0, 6), [0, 1, 2, 0, 1, 2], 'the grid asks for the 3 classes in turn');
  const buttons = await page.evaluate(() => [...document.querySelector('#demo').shadowRoot.querySelectorAll('.picker button')].map((b) => b.textContent));
  assert.deepEqual(buttons, [...SHAPES, 'all']);

  // Train from scratch: the grid redraws, and the meter measures against the shapes.
  const measured = page.evaluate(() => new Promise((ok, fail) => {
    const el = document.querySelector('#demo'), seen = [];
    el.addEventListener('error', (e) => fail(new Error(e.detail.message)));
    el.addEventListener('score', (e) => { seen.push(e.detail); if (e.detail.step >= 400) { el.pause(); ok(seen); } });
  }));
  const before = await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('canvas.grid').toDataURL());
  await page.locator('#demo .reset').click();
  const scores = await measured;
  const last = scores[scores.length - 1];
  assert.ok(!('digitScore' in last) && last.samples && last.data, JSON.stringify(last));
  assert.ok(last.samples.frechet < scores[0].samples.frechet, JSON.stringify(scores.map((x) => x.samples.frechet)));
  assert.ok(last.samples.classMatch >= 0.6, `drawn as asked: ${last.samples.classMatch}`);
  const text = await shadow(page, '.quality-text');
  assert.match(text, /no classifier of them exists/);
  assert.doesNotMatch(text, /digit score/i);
  assert.notEqual(await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('canvas.grid').toDataURL()), before, 'the grid redrew');

  // A digit explored: its nearest training images are named by class, against the data's own scale.
  const near = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('nearest', (e) => ok(e.detail), { once: true })));
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  await grid.click({ position: { x: box.width / 18, y: box.height / 16 } }); // the first cell: a circle asked for
  const found = await near;
  assert.ok(found.labels.every((l) => l >= 0 && l < 3), JSON.stringify(found));
  await page.waitForFunction(() => /^Nearest training images/.test(document.querySelector('#demo').shadowRoot.querySelector('.nearest-caption').textContent));
  const near3 = await page.evaluate(() => [...document.querySelector('#demo').shadowRoot.querySelectorAll('.nearest-digits figcaption')].map((f) => f.textContent.split('\n')[0]));
  assert.ok(near3.length === 3 && near3.every((c) => ['circle', 'square', 'triangle'].includes(c)), JSON.stringify(near3));
  assert.match(await shadow(page, '.nearest-typical'), /a typical training image is ~[\d.]+ from its nearest other one/);
  assert.doesNotMatch(await shadow(page, '.nearest'), /unseen real digit/);

  // A link cannot carry the images.
  await page.locator('#demo .copy-link').click();
  assert.match(await shadow(page, '.message'), /A link cannot carry your images/);
  assert.equal(await page.evaluate(() => document.querySelector('#demo').runLink()), null);

  // A reload keeps the images (IndexedDB) and trains on them; MNIST again forgets them.
  await page.reload();
  await waitReady(page, '#demo');
  s = await state(page);
  assert.deepEqual(s.data?.classes, SHAPES);
  assert.equal(await page.locator('#demo .data-source').inputValue(), 'own');
  assert.match(await shadow(page, '.data-said'), /60 images in 3 classes.*kept from your last visit/);
  await page.locator('#demo .data-source').selectOption('mnist');
  await page.waitForFunction(() => document.querySelector('#demo').state.data === null);
  await page.reload();
  await waitReady(page, '#demo');
  assert.equal((await state(page)).data, null);
  assert.equal(await page.locator('#demo .data-source').inputValue(), 'mnist');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('16 drawings made with pointer events train a GAN; they are kept over a reload and download as IDX', async () => {
  const page = await open(env.browser, `${env.base}/`, { acceptDownloads: true });
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny-conditional', weights: 'none', 'score-every': '0' });
  await page.locator('#demo .data-source').selectOption('draw');
  const pad = await page.locator('#demo .draw-pad').boundingBox();
  const at = (x, y) => [pad.x + x * pad.width, pad.y + y * pad.height];
  const stroke = async (points) => {
    await page.mouse.move(...at(...points[0]));
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...at(...p), { steps: 2 });
    await page.mouse.up();
  };
  for (let i = 0; i < 16; i++) {
    const cls = i < 8 ? 'o' : 'x', r = 0.22 + (i % 4) * 0.04, c = 0.5 + ((i % 3) - 1) * 0.05;
    await page.locator('#demo .draw-class').fill(cls);
    if (cls === 'o') await stroke(Array.from({ length: 17 }, (_, k) => [c + r * Math.cos(k * Math.PI / 8), c + r * Math.sin(k * Math.PI / 8)]));
    else { await stroke([[c - r, c - r], [c + r, c + r]]); await stroke([[c + r, c - r], [c - r, c + r]]); }
    assert.equal(await page.locator('#demo .draw-train').isDisabled(), true, `${i} drawings: too few to train`);
    await page.locator('#demo .draw-add').click();
  }
  assert.match(await shadow(page, '.draw-said'), /^16 drawings \(o 8, x 8\)\. Each is trained on as 8 variants .*: 128 images/);
  await page.locator('#demo .draw-train').click();
  await waitSaid(page, /^Your images: 128 images in 2 classes \(o 64, x 64\) from 16 drawings, each as 8 variants/);
  const buttons = await page.evaluate(() => [...document.querySelector('#demo').shadowRoot.querySelectorAll('.picker button')].map((b) => b.textContent));
  assert.deepEqual(buttons, ['o', 'x', 'all']);
  const before = await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('canvas.grid').toDataURL());
  await page.locator('#demo .reset').click();
  await page.waitForFunction(() => { const s = document.querySelector('#demo').state; return s.step >= 200 && s.history.length >= 200; }, null, { timeout: 120_000 });
  await page.evaluate(() => document.querySelector('#demo').pause());
  const s = await page.evaluate(() => document.querySelector('#demo').state.history.slice(-50));
  assert.ok(s.every((x) => Number.isFinite(x.dLoss) && Number.isFinite(x.gLoss)));
  assert.notEqual(await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('canvas.grid').toDataURL()), before, 'the grid redrew');

  // Download as IDX: the 16 drawings, 28×28, and their labels.
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.locator('#demo .draw-download').click();
  await page.waitForFunction(() => /Downloaded 16 drawings/.test(document.querySelector('#demo').shadowRoot.querySelector('.draw-said').textContent));
  while (downloads.length < 2) await new Promise((r) => setTimeout(r, 50));
  const [images, labels] = await Promise.all(downloads.map(async (d) => readFileSync(await d.path())));
  assert.deepEqual([images.readUInt32BE(0), images.readUInt32BE(4), images.readUInt32BE(8), images.length], [0x803, 16, 28, 16 + 16 * 784]);
  assert.deepEqual([...labels.subarray(8)], [...Array(8).fill(0), ...Array(8).fill(1)]);

  await page.reload();
  await waitReady(page, '#demo');
  await page.locator('#demo .data-source').selectOption('draw');
  assert.match(await shadow(page, '.draw-said'), /^16 drawings \(o 8, x 8\)/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** An IDX images file of `n` 28×28 images and its labels (light squares and rings on dark). */
function idx(n) {
  const images = Buffer.alloc(16 + n * 784), labels = Buffer.alloc(8 + n);
  images.writeUInt32BE(0x803, 0); images.writeUInt32BE(n, 4); images.writeUInt32BE(28, 8); images.writeUInt32BE(28, 12);
  labels.writeUInt32BE(0x801, 0); labels.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i++) {
    const kind = i % 2, r = 5 + (i % 5);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
      const dx = x - 14, dy = y - 14;
      const on = kind === 0 ? Math.abs(Math.hypot(dx, dy) - r) < 1.2 : Math.max(Math.abs(dx), Math.abs(dy)) === r;
      images[16 + i * 784 + y * 28 + x] = on ? 255 : 0;
    }
    labels[8 + i] = kind;
  }
  return { images, labels };
}

test('IDX.gz files load with their labels; bad input is refused with the reason and the data in use stays', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', weights: 'none', 'score-every': '0' });
  await page.locator('#demo .data-source').selectOption('own');
  const { images, labels } = idx(24);
  const file = (name, buffer) => ({ name, mimeType: 'application/gzip', buffer });
  await page.locator('#demo .data-files').setInputFiles([
    file('shapes-images-idx3-ubyte.gz', gzipSync(images)), file('shapes-labels-idx1-ubyte.gz', gzipSync(labels)),
  ]);
  await waitSaid(page, /^Your images: 24 images in 2 classes \(0 12, 1 12\)/);
  assert.deepEqual((await state(page)).data.classes, ['0', '1']);

  const fifteen = (await pngs(page, 5)).map(({ bytes }, i) => ({ name: `${i}.png`, mimeType: 'image/png', buffer: bytes }));
  for (const [files, reason] of [
    [[{ name: 'a.png', mimeType: 'image/png', buffer: Buffer.from('not a png') }], /1 image: a GAN needs at least 16/],
    [[...fifteen, { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png') }], /broken\.png: not an image the browser can decode/],
    [[file('x-images-idx3-ubyte.gz', gzipSync(images)), file('x-labels-idx1-ubyte.gz', gzipSync(labels.subarray(0, 20)))], /labels/],
  ]) {
    await page.locator('#demo .data-files').setInputFiles(files);
    await waitSaid(page, new RegExp(`Not used: .*${reason.source}.*The images read before stay in use`));
    assert.deepEqual((await state(page)).data.classes, ['0', '1'], 'the data in use stays');
  }
  // The images file alone: no classes, said; the conditional presets are unavailable.
  await page.locator('#demo .data-files').setInputFiles([file('shapes-images-idx3-ubyte.gz', gzipSync(images))]);
  await waitSaid(page, /^Your images: 24 images without classes \(no shapes-labels-idx1-ubyte beside it: without classes\)/);
  const disabled = await page.evaluate(() => [...document.querySelector('#demo').shadowRoot.querySelector('.preset').options].filter((o) => o.disabled).map((o) => o.value).sort());
  assert.deepEqual(disabled, ['conditional', 'conv-conditional', 'tiny-conditional']);
  assert.deepEqual(page.errors.filter((e) => !/not a png|broken|labels|needs at least/.test(e)), []);
  await page.close();
});

test('a folder of 1,000 images chosen while a run link trains: training steps aside while they are read and goes on after; Train from scratch trains the from-scratch default', async () => {
  // A run link without a preset: fresh `standard` weights, training at once.
  const page = await open(env.browser, `${env.base}/index.html#backend=cpu`);
  await page.waitForFunction(() => { const s = document.querySelector('#demo').state; return s.running && s.step > 0; }, null, { timeout: 120_000 });
  const dir = join(mkdtempSync(join(tmpdir(), 'ganvas-own-')), 'letters');
  mkdirSync(join(dir, 'A'), { recursive: true });
  for (const [i, { bytes }] of (await pngs(page, 334)).slice(0, 1000).entries()) writeFileSync(join(dir, 'A', `${i}.png`), bytes);
  // From the worker's first line about the read to the data shown, in the order the page heard
  // them: the training chunks read back (`step` events, one per chunk) and the status lines.
  // (Not from the input's change: chunks trained before it may be heard after it, while
  // setInputFiles held the page's thread.)
  await page.evaluate(() => {
    const el = document.querySelector('#demo'), root = el.shadowRoot;
    const r = (window.reading = { chunks: 0, done: null, after: 0, heard: null });
    el.addEventListener('step', () => {
      if (r.done != null) r.after++;
      else if (r.heard) { r.chunks++; r.heard.push('chunk'); }
    });
    const message = root.querySelector('.message');
    new MutationObserver(() => {
      if (!r.heard && /^Reading your images: 0 of/.test(message.textContent)) r.heard = [];
      if (r.heard && r.done == null) r.heard.push(message.textContent);
    }).observe(message, { childList: true, characterData: true, subtree: true });
    const data = root.querySelector('.data-said');
    new MutationObserver(() => { if (r.heard && r.done == null && /^Your images:/.test(data.textContent)) r.done = r.chunks; }).observe(data, { childList: true, characterData: true, subtree: true });
  });
  // Training reads back a chunk (~100 ms of steps) at a time: read between chunks, 1,000
  // images cost a thousand of them (or dozens, a batch each); stepped aside, none while the
  // worker reads, and a few before the data is shown (handed to the model and stored).
  const BUDGET = 8;
  await page.locator('#demo .data-source').selectOption('own');
  const t0 = Date.now();
  await page.locator('#demo .data-folder').setInputFiles(dir);
  await page.waitForFunction((budget) => window.reading.done != null || window.reading.chunks > budget, BUDGET, { timeout: 300_000 });
  const r = await page.evaluate(() => window.reading);
  console.log(`# 1,000 images read in ${((Date.now() - t0) / 1000).toFixed(1)} s while training, ${r.chunks} chunks from the read's start to the data shown: ${JSON.stringify(r.heard)}`);
  assert.ok(r.done != null && r.chunks <= BUDGET, `${r.chunks} training chunks from the read's start, and the images not yet shown (at most ${BUDGET}): ${await shadow(page, '.data-said')}`);
  const last = r.heard.findIndex((t) => /^Read 1,000 images in [\d.]+ s; training goes on\.$/.test(t));
  assert.match(r.heard[0], /^Reading your images: 0 of 1,000… \(training waits until they are read\)$/);
  assert.ok(last > 0, JSON.stringify(r.heard));
  assert.deepEqual(r.heard.slice(0, last).filter((t) => t === 'chunk'), [], 'no chunk while the worker read the images');
  // Training goes on by itself, on the images.
  await page.waitForFunction(() => window.reading.after >= 3, null, { timeout: 60_000 });
  let s = await state(page);
  assert.equal(s.running, true);
  assert.deepEqual(s.data.classes, ['A']);
  assert.equal(s.preset, 'standard');
  assert.match(await shadow(page, '.data-said'), /^Your images: 1000 images in 1 class \(A 1000\)/, 'one class: singular');

  // Train from scratch: the link named no preset, so the from-scratch default, as on a page opened plainly.
  const fresh = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('ready', (e) => ok(e.detail), { once: true })));
  await page.locator('#demo .reset').click();
  assert.equal((await fresh).preset, 'conv-conditional');
  s = await state(page);
  assert.deepEqual([s.preset, s.running], ['conv-conditional', true]);
  assert.equal(await page.locator('#demo .preset').inputValue(), 'conv-conditional');
  assert.deepEqual(s.data.classes, ['A']);
  await page.evaluate(() => document.querySelector('#demo').pause());
  assert.deepEqual(page.errors, []);
  await page.close();
});
