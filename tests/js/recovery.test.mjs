// The recovery policy (www/recovery.js): lost GPU → CPU from the last checkpoint; crash →
// restart once per checkpoint; crash while starting → stop; a model the user chose forgets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Recovery } from '../../www/recovery.js';

const cp = (step) => ({ bytes: new Uint8Array([step & 255]), step, preset: 'tiny' });

test('a lost GPU continues on the CPU from the newest checkpoint', () => {
  const r = new Recovery();
  r.kept(cp(100));
  r.kept(cp(200));
  const d = r.deviceLost({ backend: 'webgpu' });
  assert.equal(d.action, 'restart');
  assert.equal(d.backend, 'cpu');
  assert.equal(d.from.step, 200);
  assert.equal(r.step, 200);
});

test('a lost GPU without a checkpoint starts again on the CPU from the opening weights', () => {
  const d = new Recovery().deviceLost({ backend: 'webgpu' });
  assert.deepEqual(d, { action: 'restart', backend: 'cpu', from: null });
});

test('a device-lost report while on the CPU is ignored', () => {
  const r = new Recovery();
  r.kept(cp(50));
  assert.deepEqual(r.deviceLost({ backend: 'cpu' }), { action: 'ignore' });
  assert.deepEqual(r.deviceLost({ backend: undefined }), { action: 'ignore' });
});

test('a crash restarts on the same backend from the checkpoint, once per checkpoint', () => {
  const r = new Recovery();
  r.kept(cp(100));
  const first = r.crashed({ backend: 'webgpu', during: 'train' });
  assert.equal(first.action, 'restart');
  assert.equal(first.backend, 'webgpu');
  assert.equal(first.from.step, 100);
  // Again before a newer checkpoint: it would only repeat.
  assert.deepEqual(r.crashed({ backend: 'webgpu', during: 'train' }), { action: 'stop', why: 'again' });
  // A newer checkpoint earns one more restart.
  r.kept(cp(300));
  const later = r.crashed({ backend: 'cpu', during: 'generate' });
  assert.equal(later.action, 'restart');
  assert.equal(later.from.step, 300);
  assert.equal(r.crashed({ backend: 'cpu', during: 'train' }).action, 'stop');
});

test('without any checkpoint a crash restarts from the start once, then stops', () => {
  const r = new Recovery();
  assert.deepEqual(r.crashed({ backend: 'cpu', during: 'train' }), { action: 'restart', backend: 'cpu', from: null });
  assert.deepEqual(r.crashed({ backend: 'cpu', during: 'train' }), { action: 'stop', why: 'again' });
});

test('a crash while starting stops at once, checkpoint or not', () => {
  const r = new Recovery();
  r.kept(cp(100));
  assert.deepEqual(r.crashed({ backend: 'cpu', during: 'init' }), { action: 'stop', why: 'init' });
  assert.deepEqual(new Recovery().crashed({ backend: 'cpu', during: 'init' }), { action: 'stop', why: 'init' });
});

test('a model the user chose forgets the checkpoint and the restarts', () => {
  const r = new Recovery();
  r.kept(cp(100));
  r.crashed({ backend: 'cpu', during: 'train' });
  r.forget();
  assert.equal(r.step, null);
  assert.equal(r.deviceLost({ backend: 'webgpu' }).from, null, 'the old run is not brought back');
  assert.equal(r.crashed({ backend: 'cpu', during: 'train' }).action, 'restart', 'the new run has its own restart');
});

test('the checkpoint kept is a copy of its fields, not the caller\'s record', () => {
  const r = new Recovery();
  const record = { ...cp(40), history: [1, 2, 3], savedAt: 0 };
  r.kept(record);
  assert.deepEqual(Object.keys(r.checkpoint).sort(), ['bytes', 'preset', 'step']);
});
