// The worker RPC client (www/rpc.js) against a fake worker: every request is answered or
// rejected exactly once, replacement rejects what is pending, events reach the listener.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RpcClient } from '../../www/rpc.js';

/** A stand-in for a Worker: records what is posted; `reply`/`emit` play the worker's side. */
class FakeWorker {
  constructor() { this.sent = []; this.terminated = false; this.onmessage = null; this.onerror = null; }
  postMessage(msg, transfer) { this.sent.push({ msg, transfer }); }
  terminate() { this.terminated = true; }
  reply(data) { this.onmessage?.({ data }); }
  last() { return this.sent[this.sent.length - 1].msg; }
}

const setup = () => {
  const events = [];
  const rpc = new RpcClient((e) => events.push(e));
  const worker = new FakeWorker();
  rpc.attach(worker);
  return { rpc, worker, events };
};

test('each request carries a fresh id and its arguments; the reply with that id resolves it', async () => {
  const { rpc, worker } = setup();
  const a = rpc.call('generate', { z: [1, 2] });
  const b = rpc.call('memory');
  const [ma, mb] = worker.sent.map((s) => s.msg);
  assert.deepEqual(ma, { z: [1, 2], id: ma.id, type: 'generate' });
  assert.equal(mb.type, 'memory');
  assert.notEqual(ma.id, mb.id);
  assert.equal(rpc.pendingCount, 2);
  // Answered out of order: each promise gets its own value.
  worker.reply({ id: mb.id, ok: true, value: { wasmBytes: 7 } });
  worker.reply({ id: ma.id, ok: true, value: 'pixels' });
  assert.deepEqual(await b, { wasmBytes: 7 });
  assert.equal(await a, 'pixels');
  assert.equal(rpc.pendingCount, 0);
});

test('transferables go with the request', () => {
  const { rpc, worker } = setup();
  const bytes = new Uint8Array(4);
  rpc.call('loadWeights', { bytes }, [bytes.buffer]);
  assert.deepEqual(worker.sent[0].transfer, [bytes.buffer]);
});

test('an error reply rejects with an Error carrying the worker\'s kind and message', async () => {
  const { rpc, worker } = setup();
  const p = rpc.call('loadWeights', { bytes: new Uint8Array(1) });
  worker.reply({ id: worker.last().id, ok: false, error: { kind: 'weights', message: 'bad weights file: empty' } });
  await assert.rejects(p, (e) => e instanceof Error && e.kind === 'weights' && e.message === 'bad weights file: empty');
  assert.equal(rpc.pendingCount, 0);
});

test('an error reply without a kind is "internal"', async () => {
  const { rpc, worker } = setup();
  const p = rpc.call('step');
  worker.reply({ id: worker.last().id, ok: false, error: { message: 'x' } });
  await assert.rejects(p, { kind: 'internal' });
});

test('replacing the worker rejects every pending request ("replaced") and terminates the old one', async () => {
  const { rpc, worker } = setup();
  const pending = [rpc.call('generate', { z: [0] }), rpc.call('train')];
  const next = new FakeWorker();
  rpc.attach(next);
  assert.equal(worker.terminated, true);
  for (const p of pending) await assert.rejects(p, { kind: 'replaced' });
  assert.equal(rpc.pendingCount, 0);
  // The old worker's late answer (sent before it stopped) changes nothing, and its events are dropped.
  const events = [];
  rpc.onEvent = (e) => events.push(e);
  worker.reply({ id: worker.sent[0].msg.id, ok: true, value: 'late' });
  worker.reply({ event: 'stats', step: 9 });
  assert.deepEqual(events, []);
  // The new worker answers its own requests.
  const fresh = rpc.call('memory');
  next.reply({ id: next.last().id, ok: true, value: 1 });
  assert.equal(await fresh, 1);
});

test('terminate rejects pending requests, and later calls reject at once', async () => {
  const { rpc, worker } = setup();
  const p = rpc.call('generate', { z: [0] });
  rpc.terminate();
  assert.equal(worker.terminated, true);
  await assert.rejects(p, { kind: 'replaced' });
  await assert.rejects(rpc.call('memory'), { kind: 'replaced' });
});

test('a worker that fails to load rejects what waits on it and reports an event', async () => {
  const { rpc, worker, events } = setup();
  const p = rpc.call('init', {});
  worker.onerror({ message: 'SyntaxError in worker.js', preventDefault() {} });
  await assert.rejects(p, { kind: 'worker' });
  assert.deepEqual(events, [{ event: 'worker-error', message: 'SyntaxError in worker.js' }]);
});

test('messages without an id are events for the listener; each reply is used once', async () => {
  const { rpc, worker, events } = setup();
  worker.reply({ event: 'stats', step: 3 });
  worker.reply({ event: 'crashed', during: 'train', message: 'unreachable' });
  assert.deepEqual(events.map((e) => e.event), ['stats', 'crashed']);
  const p = rpc.call('memory');
  const id = worker.last().id;
  worker.reply({ id, ok: true, value: 1 });
  worker.reply({ id, ok: false, error: { kind: 'state', message: 'second answer' } });
  assert.equal(await p, 1);
  assert.deepEqual(events.map((e) => e.event), ['stats', 'crashed'], 'a stray reply is not an event');
});

test('a request that cannot be posted rejects instead of waiting', async () => {
  const { rpc, worker } = setup();
  worker.postMessage = () => { throw new Error('could not be cloned'); };
  await assert.rejects(rpc.call('generate', { z: () => {} }), { kind: 'internal', message: /could not be cloned/ });
  assert.equal(rpc.pendingCount, 0);
});
