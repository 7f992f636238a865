// The worker's protocol (www/protocol.js, answered by www/service.js), run in this process
// against a fake wasm module (fixtures/fake-ganvas.mjs, checked against the real API's
// ganvas.d.ts): each request is answered exactly once, `{id, ok, value}` or `{id, ok: false,
// error: {kind, message}}`; train answers when its loop ends; the numbers come from
// Ganvas.defaults(); a wasm trap is reported once and every later request is refused. Each
// test has a service of its own (a fresh import of service.js): none depends on another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// The service imports pkg/ganvas.js and pkg/ganvas_webgpu.js (from its folder, no `base`
// given): here it gets the fake instead, as itself and as the module with WebGPU.
const fake = new URL('./fixtures/fake-ganvas.mjs', import.meta.url).href;
const fakes = {
  [new URL('../../www/pkg/ganvas.js', import.meta.url).href]: fake,
  [new URL('../../www/pkg/ganvas_webgpu.js', import.meta.url).href]: `${fake}?webgpu`,
};
register(`data:text/javascript,${encodeURIComponent(`
  const fakes = ${JSON.stringify(fakes)};
  export async function resolve(spec, ctx, next) {
    if (fakes[spec] && /\\/www\\/service\\.js(\\?.*)?$/.test(ctx.parentURL ?? '')) return { url: fakes[spec], shortCircuit: true };
    return next(spec, ctx);
  }`)}`);
// The service fetches MNIST (gzip) and the judge beside itself.
globalThis.fetch = async (url) => new Response(String(url).endsWith('.gz') ? gzipSync(Buffer.alloc(100)) : new Uint8Array(8));
const { control } = await import(fake);

let instances = 0;
/**
 * A service of its own, and (unless `init` is false) its model started: `{request, send,
 * events, posted, gan, model}`. `request(type, args)` resolves with the one reply; `send`
 * dispatches without waiting (→ a promise settled once answered).
 */
async function worker({ init = true, ...args } = {}) {
  const posted = [];
  globalThis.self = { postMessage: (msg) => posted.push(msg) };
  const { serve } = await import(`../../www/service.js?instance=${++instances}`);
  const dispatch = serve();
  let nextId = 1;
  const send = (type, args = {}) => {
    const id = nextId++;
    return { id, answered: dispatch({ ...args, id, type }).then(() => posted.filter((m) => m.id === id)) };
  };
  const w = {
    posted, send,
    events: (name) => posted.filter((m) => m.event === name),
    async request(type, args) {
      const replies = await send(type, args).answered;
      assert.equal(replies.length, 1, `one reply to ${type}`);
      return replies[0];
    },
  };
  if (init) {
    const r = await w.request('init', { backend: 'cpu', preset: 'tiny', weights: null, ...args });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    Object.assign(w, { model: r.value, gan: control.instances.at(-1) });
  }
  return w;
}
/** Resolves once `ready()` holds, checking after each turn of the event loop. */
async function until(ready) {
  for (let i = 0; !ready(); i++) {
    if (i > 10_000) throw new Error('never happened');
    await new Promise((r) => setImmediate(r));
  }
}

test('the fake wasm module has the real one\'s methods (www/pkg/ganvas.d.ts)', async () => {
  const dts = readFileSync(new URL('../../www/pkg/ganvas.d.ts', import.meta.url), 'utf8');
  const body = dts.slice(dts.indexOf('export class Ganvas'));
  const real = new Set([...body.slice(0, body.indexOf('\n}')).matchAll(/^ {4}(?:static )?([a-zA-Z]+)\(/gm)].map((m) => m[1]));
  const { Ganvas } = await import(fake);
  const own = (o) => Object.getOwnPropertyNames(o).filter((k) => typeof o[k] === 'function' && k !== 'constructor' && k !== 'length');
  const faked = new Set([...own(Ganvas.prototype), ...own(Ganvas)]);
  assert.deepEqual([...faked].filter((m) => !real.has(m)), [], 'methods the fake has and the real API has not');
  assert.ok(real.has('grid') && real.has('dView') && faked.size >= 25, `${faked.size} methods faked`);
  // The defaults the page reads: the fake gives every field the real API declares.
  const defaults = dts.slice(dts.indexOf('export interface Defaults'));
  const fields = [...defaults.slice(0, defaults.indexOf('\n}')).replace(/\/\*\*[^]*?\*\//g, '').matchAll(/(\w+): /g)].map((m) => m[1]);
  assert.deepEqual(fields.filter((f) => !(f in Ganvas.defaults())), []);
});

test('init answers with the model, its grid (the crate\'s), its run and intervals from Ganvas.defaults()', async () => {
  const w = await worker({ recipe: 'nope', settings: { lrG: 0.01 } });
  const v = w.model;
  assert.equal(v.preset, 'tiny');
  assert.deepEqual([v.grid.cols, v.grid.rows, v.grid.z.length, v.grid.digit], [4, 3, 4 * 3 * 2, null]);
  const [created, grid] = w.gan.calls;
  assert.deepEqual(created, ['create', { recipe: 'nope', settings: { lrG: 0.01 } }], 'recipe and settings go to the crate');
  assert.deepEqual(grid, ['grid', undefined]);
  assert.deepEqual([v.scoreEvery, v.checkpointEvery], [7, 13]);
  assert.equal(v.pretrained, false);
  assert.deepEqual(v.run, { seed: 0, recipe: 'classic' });
  assert.match(v.refused, /unknown recipe "nope"/, 'what the crate refused is said');
  assert.deepEqual((await w.request('init', { backend: 'cpu', preset: 'tiny' })).error.kind, 'state');
});

test('errors carry the wasm error\'s kind, or "internal"; without an id, only a failure is reported, as an event', async () => {
  const w = await worker();
  assert.deepEqual((await w.request('loadWeights', { bytes: new Uint8Array(0) })).error, { kind: 'weights', message: 'bad weights file: empty' });
  const other = await w.request('loadWeights', { bytes: new Uint8Array([1]) });
  assert.equal(other.error.kind, 'weights');
  assert.match(other.error.message, /standard weights but the model is tiny/);
  assert.equal((await w.request('nonsense')).error.kind, 'internal');
  assert.equal((await w.request('memory', {})).ok, true);
  const before = w.posted.length;
  self.onmessage({ data: { type: 'loadWeights', bytes: new Uint8Array(0) } });
  await until(() => w.events('error').length > 0);
  assert.deepEqual(w.posted.slice(before).filter((m) => m.event !== undefined || m.id == null), [{ event: 'error', during: 'loadWeights', kind: 'weights', message: 'bad weights file: empty' }]);
});

test('score uses defaults.scoreN and posts judge and score events', async () => {
  const w = await worker();
  const r = await w.request('score');
  assert.equal(r.value.n, 11);
  assert.equal(w.events('judge').length, 1);
  assert.equal(w.events('score').at(-1).score.n, 11);
  assert.equal(w.events('score').at(-1).cost, null, 'a score asked for has no share of training time');
});

test('a judge or score failure turns scoring off, said once; the default turns it back on', async () => {
  const w = await worker();
  control.scoreFails = true;
  try {
    assert.equal((await w.request('score')).value, null);
    assert.match(w.events('quality-error').at(-1).message, /no judge today/);
    const asked = () => w.gan.calls.filter(([c]) => c === 'score').length;
    const calls = asked();
    assert.equal((await w.request('score')).value, null, 'off: not asked again');
    assert.equal(asked(), calls);
    assert.equal(w.events('quality-error').length, 1);
  } finally { control.scoreFails = false; }
  assert.equal((await w.request('scoreEvery', { every: null })).value, 7);
  assert.equal((await w.request('score')).value.n, 11);
});

test('chooseDevice answers the backend info; when the model times the devices it says so first', async () => {
  const w = await worker();
  assert.equal((await w.request('chooseDevice')).value.measured, null);
  control.measures = true;
  let timed;
  try { timed = await w.request('chooseDevice'); } finally { control.measures = false; }
  assert.equal(timed.value.backend, 'webgpu');
  assert.equal(timed.value.measured.webgpu.stepsPerSecond, 9);
  assert.match(w.events('status').map((e) => e.text).join(), /Timing training on the CPU and on WebGPU/);
});

test('a run that is to time WebGPU moves into the WebGPU module by a checkpoint, its judge and view along; a backend of "webgpu" starts there', async () => {
  const w = await worker({ backend: 'auto' });
  assert.equal(w.gan.webgpu, false, 'every run starts in the CPU-only module');
  await w.request('score'); // fetches and loads the judge
  await w.request('view', { live: false });
  await w.request('step');
  control.measures = true;
  let timed;
  try { timed = await w.request('chooseDevice'); } finally { control.measures = false; }
  const moved = control.instances.at(-1);
  assert.equal(moved.webgpu, true);
  assert.equal(w.gan.freed, true, 'the CPU module\'s model is freed');
  assert.equal(moved.steps, 1, 'resumed from the checkpoint');
  assert.deepEqual(moved.calls.filter(([c]) => c !== 'create').map(([c, a]) => (a === undefined ? c : `${c} ${a}`)), ['loadCheckpoint', 'setLive false', 'loadJudge']);
  assert.equal(timed.value.backend, 'webgpu');
  assert.match(w.events('status').map((e) => e.text).join(), /Loading the WebGPU module.*Timing training/);
  assert.equal((await w.request('step')).value.step, 2, 'the moved model answers from now on');
  const forced = await worker({ backend: 'webgpu' });
  assert.equal(forced.gan.webgpu, true);
});

test('a WebGPU module that cannot be loaded leaves the run in the CPU module, with why', async () => {
  const w = await worker({ backend: 'auto' });
  control.measures = true;
  control.webgpuFails = true;
  let answer;
  try { answer = await w.request('chooseDevice'); } finally { control.measures = false; control.webgpuFails = false; }
  assert.equal(answer.ok, true);
  assert.equal(answer.value.backend, 'cpu');
  assert.match(answer.value.reason, /^running on the CPU: the WebGPU module \(.*pkg\/ganvas_webgpu\.js\) could not be loaded \(Failed to fetch/);
  assert.equal(control.instances.at(-1), w.gan, 'no model was made');
  assert.equal(w.gan.freed, false);
  assert.equal((await w.request('step')).value.step, 1);
});

test('train answers once its loop ends, after stats events; requests are answered meanwhile', async () => {
  const w = await worker();
  // Only the start and pause checkpoints: the fake trains up to 200 steps per 5-ms chunk, so
  // any reachable interval could put an `every` checkpoint at the very step the pause saves.
  assert.equal((await w.request('checkpointEvery', { every: 1e9 })).value, 1e9);
  const train = w.send('train');
  await until(() => w.events('stats').length >= 3);
  assert.equal(w.posted.filter((m) => m.id === train.id).length, 0, 'no answer while training');
  assert.equal((await w.request('generate', { z: new Float32Array(4) })).value.length, 2 * 784);
  assert.ok(w.events('checkpoint').some((c) => c.why === 'start'));
  await w.request('pause');
  const [reply] = await train.answered;
  assert.equal(reply.value.reason, 'paused');
  assert.equal(reply.value.step, w.gan.steps);
  assert.equal(w.events('checkpoint').at(-1).why, 'pause');
  assert.equal(w.events('checkpoint').at(-1).step, reply.value.step, 'the pause checkpoint holds the step answered');
  // Every defaults.scoreEvery (7) steps the meter scores, with its share of training time.
  const periodic = w.events('score');
  assert.ok(periodic.length >= 2, `${periodic.length} periodic scores`);
  assert.ok(periodic.every((e) => typeof e.cost === 'number'), JSON.stringify(periodic.map((e) => e.cost)));
});

test('train `until` pauses exactly at that step, the last chunk cut short; `until` moves the stop while training', async () => {
  const w = await worker();
  const until_ = w.gan.steps + 457; // not a multiple of any chunk
  const [reply] = await w.send('train', { until: until_ }).answered;
  assert.deepEqual(reply.value, { step: until_, reason: 'paused' });
  const steps = w.events('stats').flatMap((e) => e.stats.map((s) => s.step));
  assert.equal(steps.at(-1), until_);
  assert.equal(w.gan.steps, until_, 'not a step past it');
  // Moved while the loop runs (not queued): it pauses at the new stop instead.
  const moved = until_ + 1234;
  const again = w.send('train');
  await w.request('until', { step: moved });
  assert.deepEqual((await again.answered)[0].value, { step: moved, reason: 'paused' });
});

test('dview answers the crate\'s D\'s view; nearest: defaults.nearestK training digits; grid: a picked digit\'s', async () => {
  const w = await worker();
  const { step, pack, real, fake } = (await w.request('dview')).value;
  assert.deepEqual([step, pack], [w.gan.steps, 1]);
  assert.ok(real.pixels instanceof Uint8Array && fake.pixels instanceof Uint8Array, 'pixels as bytes');
  assert.deepEqual([real.pixels.length, fake.pixels.length], [8 * 784, 8 * 784]);
  assert.deepEqual([Array.from(real.p), Array.from(fake.p)], [Array(8).fill(0.75), Array(8).fill(0.25)]);
  const near = await w.request('nearest', { pixels: new Uint8Array(784) });
  assert.deepEqual([near.value.distances, near.value.labels, near.value.indices].map((a) => Array.from(a)), [[1.5, 2.5, 3.5], [4, 1, 2], [40, 41, 42]]);
  assert.ok(near.value.pixels instanceof Uint8Array && near.value.pixels.length === 3 * 784);
  assert.deepEqual(w.gan.calls.filter(([c]) => c === 'nearest').at(-1), ['nearest', 784, 3], 'k: defaults.nearestK');
  assert.equal((await w.request('grid', { digit: 4 })).value.digit, 4);
  assert.deepEqual(w.gan.calls.at(-1), ['grid', 4]);
});

test('settings pass only what is given to the crate, which applies all or none', async () => {
  const w = await worker();
  const r = await w.request('settings', { lrG: 0.01 });
  assert.deepEqual([r.value.lrG, r.value.batchSize], [0.01, 64], 'the rest as it was');
  assert.deepEqual(w.gan.calls.at(-1), ['changeSettings', { batchSize: undefined, lrG: 0.01, lrD: undefined, realLabel: undefined, ema: undefined }]);
  assert.equal((await w.request('settings', { batchSize: 0, lrG: 0.5 })).error.kind, 'config');
});

test('a wasm trap answers "crashed", is reported once, and refuses every later request', async () => {
  const w = await worker();
  control.trap = 'generate';
  let r;
  try { r = await w.request('generate', { z: new Float32Array(2), labels: null }); } finally { control.trap = null; }
  assert.deepEqual(r.error, { kind: 'crashed', message: 'unreachable' });
  assert.deepEqual(w.events('crashed'), [{ event: 'crashed', during: 'generate', message: 'unreachable' }]);
  assert.equal((await w.request('memory')).error.kind, 'crashed');
  assert.equal((await w.request('step')).error.kind, 'crashed');
  assert.equal(w.events('crashed').length, 1);
});

test('useData: own data goes to the model and is given again to a model moved to the WebGPU module; the meter measures it without the judge; null goes back to MNIST', async () => {
  const w = await worker({ scoreEvery: 5 });
  const own = { bundle: new Uint8Array(24 + 785 * 2), classes: ['a', 'b'], description: '2 images in 2 classes' };
  const r = await w.request('useData', { own });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.deepEqual(r.value.own, { classes: ['a', 'b'], description: '2 images in 2 classes' });
  assert.deepEqual(w.gan.own, ['a', 'b']);
  // The meter: the crate's likeness, not the judge (never fetched).
  assert.equal((await w.request('score')).ok, true);
  assert.equal(w.events('likeness').length, 1);
  assert.deepEqual([w.events('judge').length, w.events('score').length], [0, 0]);
  // A reading that fails takes the meter's failure path: said once, scoring off, training on.
  control.scoreFails = true;
  try {
    assert.equal((await w.request('score')).value, null);
    assert.match(w.events('quality-error').at(-1).message, /nothing to measure today/);
    assert.equal((await w.request('score')).value, null, 'scoring is off');
    assert.equal(w.events('quality-error').length, 1);
  } finally { control.scoreFails = false; }
  await w.request('scoreEvery', { every: null });
  // A bundle the crate refuses changes nothing.
  const bad = await w.request('useData', { own: { ...own, bundle: new Uint8Array(0) } });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.kind, 'data');
  assert.deepEqual(w.gan.own, ['a', 'b']);
  // Moved to the WebGPU module: the data goes along.
  control.measures = true;
  try {
    assert.equal((await w.request('chooseDevice')).ok, true);
    const moved = control.instances.at(-1);
    assert.equal(moved.webgpu, true);
    assert.deepEqual(moved.own, ['a', 'b']);
    // MNIST again: fetched and given, and the model info says so.
    const back = await w.request('useData', { own: null });
    assert.equal(back.value.own, null);
    assert.equal(moved.own, null);
  } finally {
    control.measures = false;
  }
});

/**
 * Image files for readData: `{file, path}` (a File's name and size; `bad`: it does not decode),
 * and, while installed, the browser's decoding as the worker uses it (createImageBitmap, an
 * OffscreenCanvas), each decode taking a few ms, in no fixed order.
 */
function imageFiles(n, { bad = [] } = {}) {
  return Array.from({ length: n }, (_, i) => ({ file: { name: `${i}.png`, size: 300, bad: bad.includes(i), i }, path: `set/${i}.png` }));
}
function fakeDecoding() {
  const decoding = { open: 0, most: 0, unclosed: 0 };
  globalThis.createImageBitmap = async (file) => {
    decoding.open++;
    decoding.most = Math.max(decoding.most, decoding.open);
    await new Promise((r) => setTimeout(r, 1 + ((file.i * 7) % 4))); // later files may finish first
    decoding.open--;
    if (file.bad) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
    decoding.unclosed++;
    return { width: 28, height: 28, close() { decoding.unclosed--; } };
  };
  globalThis.OffscreenCanvas = class {
    constructor(width, height) { Object.assign(this, { width, height }); }
    getContext() {
      return { canvas: this, clearRect() {}, drawImage() {}, getImageData: (x, y, w, h) => ({ data: new Uint8ClampedArray(w * h * 4) }) };
    }
  };
  return decoding;
}

test('readData while training: the loop runs no chunk until the images are read, then goes on; images keep their order; the first bad file is named', async () => {
  const decoding = fakeDecoding();
  const w = await worker();
  try {
    await w.request('checkpointEvery', { every: 0 });
    const train = w.send('train');
    await until(() => w.events('stats').length >= 3);
    const files = imageFiles(1000);
    const before = w.events('stats').length;
    const read = w.send('readData', { files });
    const [reply] = await read.answered;
    assert.equal(reply.ok, true, JSON.stringify(reply.error));
    const during = w.events('stats').length - before;
    assert.ok(during <= 1, `${during} chunks ran while 1,000 images were read (at most the one in flight)`);
    assert.equal(reply.value.count, 1000);
    assert.deepEqual(control.images.names, files.map((f) => f.path), 'added in the order chosen, however they decoded');
    assert.ok(decoding.most > 1 && decoding.most <= 64, `${decoding.most} decoded at once`);
    assert.equal(decoding.unclosed, 0, 'every decoded image closed');
    const said = w.events('status').map((e) => e.text);
    assert.ok(said.includes('Reading your images: 0 of 1,000… (training waits until they are read)'), said.join('\n'));
    assert.match(said.at(-1), /^Read 1,000 images in [\d.]+ s; training goes on\.$/);
    // Training goes on by itself: the train request was never answered.
    const after = w.events('stats').length;
    await until(() => w.events('stats').length >= after + 3);
    assert.equal(w.posted.filter((m) => m.id === train.id).length, 0, 'the loop never ended');

    // A bad file among them: the first in the chosen order is named, every decoded image closed,
    // and training goes on after as well.
    const bad = await w.request('readData', { files: imageFiles(200, { bad: [150, 70] }) });
    assert.deepEqual(bad.error, { kind: 'data', message: '70.png: not an image the browser can decode' });
    assert.equal(decoding.unclosed, 0);
    const now = w.events('stats').length;
    await until(() => w.events('stats').length >= now + 2);

    // Paused while a read runs: the loop ends once the read does.
    const reading = w.send('readData', { files: imageFiles(300) });
    await w.request('pause');
    const [[ended], [readReply]] = await Promise.all([train.answered, reading.answered]);
    assert.equal(ended.value.reason, 'paused');
    assert.equal(readReply.value.count, 300);
    assert.match(w.events('status').at(-1).text, /^Read 300 images in [\d.]+ s\.$/, 'paused: no training to go on');
  } finally {
    await w.request('pause'); // a loop left running would keep this process alive
    delete globalThis.createImageBitmap;
    delete globalThis.OffscreenCanvas;
  }
});
