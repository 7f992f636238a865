// The worker's protocol (www/protocol.js, answered by www/service.js), run in this process
// against a fake wasm module (fixtures/fake-ganvas.mjs, checked against the real API's
// ganvas.d.ts): each request is answered exactly once, `{id, ok, value}` or `{id, ok: false,
// error: {kind, message}}`; train answers when its loop ends; the numbers come from
// Ganvas.defaults(); a wasm trap is reported once and every later request is refused.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

// The worker imports pkg/ganvas.js (from its folder, no `base` given): here it gets the fake instead.
const fake = new URL('./fixtures/fake-ganvas.mjs', import.meta.url).href;
const wasmApi = new URL('../../www/pkg/ganvas.js', import.meta.url).href;
register(`data:text/javascript,${encodeURIComponent(`
  export async function resolve(spec, ctx, next) {
    if (spec === ${JSON.stringify(wasmApi)} && ctx.parentURL?.endsWith('/www/service.js')) return { url: ${JSON.stringify(fake)}, shortCircuit: true };
    return next(spec, ctx);
  }`)}`);

const posted = [];
globalThis.self = { postMessage: (msg) => posted.push(msg) };
// The worker fetches MNIST (gzip) and the judge beside itself.
const { gzipSync } = await import('node:zlib');
globalThis.fetch = async (url) => new Response(String(url).endsWith('.gz') ? gzipSync(Buffer.alloc(100)) : new Uint8Array(8));
let control;
before(async () => {
  await import('../../www/worker.js');
  ({ control } = await import(fake));
});

let nextId = 1;
/** Sends a request the way rpc.js does; resolves with its one reply (and checks there is one). */
async function request(type, args = {}) {
  const id = nextId++;
  self.onmessage({ data: { ...args, id, type } });
  for (let i = 0; i < 500; i++) {
    const replies = posted.filter((m) => m.id === id);
    if (replies.length) {
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(posted.filter((m) => m.id === id).length, 1, `one reply to ${type}`);
      return replies[0];
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no reply to ${type}`);
}
const events = (name) => posted.filter((m) => m.event === name);

test('the fake wasm module has the real one\'s methods (www/pkg/ganvas.d.ts)', async () => {
  const dts = readFileSync(new URL('../../www/pkg/ganvas.d.ts', import.meta.url), 'utf8');
  const body = dts.slice(dts.indexOf('export class Ganvas'));
  const real = new Set([...body.slice(0, body.indexOf('\n}')).matchAll(/^ {4}(?:static )?([a-zA-Z]+)\(/gm)].map((m) => m[1]));
  const { Ganvas } = await import(fake);
  const own = (o) => Object.getOwnPropertyNames(o).filter((k) => typeof o[k] === 'function' && k !== 'constructor' && k !== 'length');
  const faked = new Set([...own(Ganvas.prototype), ...own(Ganvas)]);
  const used = [...faked].filter((m) => !real.has(m));
  assert.deepEqual(used, [], 'methods the fake has and the real API has not');
  assert.ok(real.has('grid') && real.has('dView') && faked.size >= 25, `${faked.size} methods faked`);
  // The defaults the page reads: the fake gives every field the real API declares.
  const defaults = dts.slice(dts.indexOf('export interface Defaults'));
  const fields = [...defaults.slice(0, defaults.indexOf('\n}')).matchAll(/(\w+): /g)].map((m) => m[1]);
  assert.deepEqual(fields.filter((f) => !(f in Ganvas.defaults())), []);
});

test('init answers with the model, its grid (the crate\'s), its run and intervals from Ganvas.defaults()', async () => {
  const r = await request('init', { backend: 'cpu', preset: 'tiny', weights: null, recipe: 'nope', settings: { lrG: 0.01 } });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  const v = r.value;
  assert.equal(v.preset, 'tiny');
  assert.deepEqual([v.grid.cols, v.grid.rows, v.grid.z.length, v.grid.digit], [4, 3, 4 * 3 * 2, null]);
  const [created, grid] = control.instances[0].calls;
  assert.deepEqual(created, ['create', { recipe: 'nope', settings: { lrG: 0.01 } }], 'recipe and settings go to the crate');
  assert.deepEqual(grid, ['grid', undefined]);
  assert.deepEqual([v.scoreEvery, v.checkpointEvery], [7, 13]);
  assert.equal(v.pretrained, false);
  assert.deepEqual(v.run, { seed: 0, recipe: 'classic' });
  assert.match(v.refused, /unknown recipe "nope"/, 'what the crate refused is said');
  const again = await request('init', { backend: 'cpu', preset: 'tiny' });
  assert.deepEqual(again.error.kind, 'state');
});

test('errors carry the wasm error\'s kind, or "internal"', async () => {
  assert.deepEqual((await request('loadWeights', { bytes: new Uint8Array(0) })).error, { kind: 'weights', message: 'bad weights file: empty' });
  const other = await request('loadWeights', { bytes: new Uint8Array([1]) });
  assert.equal(other.error.kind, 'weights');
  assert.match(other.error.message, /standard weights but the model is tiny/);
  assert.equal((await request('nonsense')).error.kind, 'internal');
});

test('score uses defaults.scoreN and posts judge and score events', async () => {
  const r = await request('score');
  assert.equal(r.ok, true);
  assert.equal(r.value.n, 11);
  assert.equal(events('judge').length, 1);
  assert.equal(events('score').at(-1).score.n, 11);
  assert.equal(events('score').at(-1).cost, null, 'a score asked for has no share of training time');
});

test('chooseDevice answers the backend info; when the model times the devices it says so first', async () => {
  const quiet = await request('chooseDevice');
  assert.equal(quiet.value.measured, null);
  const said = events('status').length;
  control.measures = true;
  const timed = await request('chooseDevice');
  control.measures = false;
  assert.equal(timed.value.backend, 'webgpu');
  assert.equal(timed.value.measured.webgpu.stepsPerSecond, 9);
  assert.match(events('status').slice(said).map((e) => e.text).join(), /Timing training on the CPU and on WebGPU/);
});

test('train answers once its loop ends, after stats events; requests are answered meanwhile', async () => {
  // Only the start and pause checkpoints: the fake trains up to 200 steps per 5-ms chunk, so
  // any reachable interval could put an `every` checkpoint at the very step the pause saves.
  assert.equal((await request('checkpointEvery', { every: 1e9 })).value, 1e9);
  const id = nextId++;
  self.onmessage({ data: { id, type: 'train' } });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(posted.filter((m) => m.id === id).length, 0, 'no answer while training');
  assert.ok(events('stats').length > 0);
  assert.equal((await request('generate', { z: new Float32Array(4) })).value.length, 2 * 784);
  assert.ok(events('checkpoint').some((c) => c.why === 'start'));
  await request('pause');
  for (let i = 0; i < 100 && !posted.some((m) => m.id === id); i++) await new Promise((r) => setTimeout(r, 10));
  const reply = posted.filter((m) => m.id === id);
  assert.equal(reply.length, 1);
  assert.equal(reply[0].value.reason, 'paused');
  assert.equal(reply[0].value.step, control.instances[0].steps);
  assert.equal(events('checkpoint').at(-1).why, 'pause');
  // Every defaults.scoreEvery (7) steps the meter scores, with its share of training time.
  const periodic = events('score').slice(1);
  assert.ok(periodic.length >= 2, `${periodic.length} periodic scores`);
  assert.ok(periodic.every((e) => typeof e.cost === 'number'), JSON.stringify(periodic.map((e) => e.cost)));
  assert.equal(events('checkpoint').at(-1).step, reply[0].value.step, 'the pause checkpoint holds the step answered');
});

/** Sends `train` with `args`; resolves with its reply once the loop ends. */
async function trainUntilAnswered(args, whileRunning = async () => {}) {
  const id = nextId++;
  self.onmessage({ data: { ...args, id, type: 'train' } });
  await whileRunning();
  for (let i = 0; i < 500 && !posted.some((m) => m.id === id); i++) await new Promise((r) => setTimeout(r, 10));
  return posted.find((m) => m.id === id);
}

test('train `until` pauses exactly at that step, the last chunk cut short; `until` moves the stop while training', async () => {
  const gan = control.instances[0];
  const until = gan.steps + 457; // not a multiple of any chunk
  const seen = events('stats').length;
  const reply = await trainUntilAnswered({ until });
  assert.deepEqual(reply.value, { step: until, reason: 'paused' });
  const steps = events('stats').slice(seen).flatMap((e) => e.stats.map((s) => s.step));
  assert.equal(steps.at(-1), until);
  assert.equal(gan.steps, until, 'not a step past it');
  // Moved while the loop runs (not queued): it pauses at the new stop instead.
  const moved = until + 1234;
  const again = await trainUntilAnswered({}, () => request('until', { step: moved }));
  assert.deepEqual(again.value, { step: moved, reason: 'paused' });
});

test('a message without an id reports only its failure, as an error event', async () => {
  self.onmessage({ data: { type: 'loadWeights', bytes: new Uint8Array(0) } });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(events('error').at(-1), { event: 'error', during: 'loadWeights', kind: 'weights', message: 'bad weights file: empty' });
});

test('dview answers the crate\'s D\'s view; nearest: defaults.nearestK training digits; grid: a picked digit\'s', async () => {
  const gan = control.instances[0];
  const first = await request('dview');
  assert.equal(first.ok, true, JSON.stringify(first.error));
  const { step, pack, real, fake } = first.value;
  assert.deepEqual([step, pack], [gan.steps, 1]);
  assert.ok(real.pixels instanceof Uint8Array && fake.pixels instanceof Uint8Array, 'pixels as bytes');
  assert.deepEqual([real.pixels.length, fake.pixels.length], [8 * 784, 8 * 784]);
  assert.deepEqual([Array.from(real.p), Array.from(fake.p)], [Array(8).fill(0.75), Array(8).fill(0.25)]);
  const near = await request('nearest', { pixels: new Uint8Array(784) });
  assert.equal(near.ok, true, JSON.stringify(near.error));
  assert.deepEqual([near.value.distances, near.value.labels, near.value.indices].map((a) => Array.from(a)), [[1.5, 2.5, 3.5], [4, 1, 2], [40, 41, 42]]);
  assert.ok(near.value.pixels instanceof Uint8Array && near.value.pixels.length === 3 * 784);
  assert.deepEqual(gan.calls.filter(([c]) => c === 'nearest').at(-1), ['nearest', 784, 3], 'k: defaults.nearestK');
  assert.equal((await request('grid', { digit: 4 })).value.digit, 4);
  assert.deepEqual(gan.calls.at(-1), ['grid', 4]);
});

test('settings pass only what is given to the crate, which applies all or none', async () => {
  const gan = control.instances[0];
  const r = await request('settings', { lrG: 0.01 });
  assert.equal(r.value.lrG, 0.01);
  assert.equal(r.value.batchSize, 64, 'the rest as it was');
  assert.deepEqual(gan.calls.at(-1), ['changeSettings', { batchSize: undefined, lrG: 0.01, lrD: undefined, realLabel: undefined, ema: undefined }]);
  assert.equal((await request('settings', { batchSize: 0, lrG: 0.5 })).error.kind, 'config');
});

test('a judge or score failure turns scoring off, said once; the default turns it back on', async () => {
  control.scoreFails = true;
  const failed = await request('score');
  assert.equal(failed.value, null);
  assert.match(events('quality-error').at(-1).message, /no judge today/);
  const calls = control.instances[0].calls.filter(([c]) => c === 'score').length;
  assert.equal((await request('score')).value, null, 'off: not asked again');
  assert.equal(control.instances[0].calls.filter(([c]) => c === 'score').length, calls);
  assert.equal(events('quality-error').length, 1);
  control.scoreFails = false;
  assert.equal((await request('scoreEvery', { every: null })).value, 7);
  assert.equal((await request('score')).value.n, 11);
});

test('a wasm trap answers "crashed", is reported once, and refuses every later request', async () => {
  control.trap = 'generate';
  const r = await request('generate', { z: new Float32Array(2), labels: null });
  assert.deepEqual(r.error, { kind: 'crashed', message: 'unreachable' });
  assert.deepEqual(events('crashed'), [{ event: 'crashed', during: 'generate', message: 'unreachable' }]);
  control.trap = null;
  assert.equal((await request('memory')).error.kind, 'crashed');
  assert.equal((await request('step')).error.kind, 'crashed');
  assert.equal(events('crashed').length, 1);
});
