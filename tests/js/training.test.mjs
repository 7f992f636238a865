// www/training.js, the element's Train/Pause/pause-at control without the DOM: the loop
// pauses at pause-at when it lies ahead, a stop moved while the loop ends trains on to it, an
// older Train's late answer changes nothing, and a failure stops training and is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Training } from '../../www/training.js';

/** A worker whose `train` answers when the test says: `loops` holds each `{until, end, fail}`. */
function worker() {
  const loops = [], calls = [];
  const call = (type, args) => {
    calls.push([type, args]);
    if (type !== 'train') return Promise.resolve(null);
    return new Promise((end, fail) => loops.push({ until: args.until, end: (step, reason = 'paused') => end({ step, reason }), fail }));
  };
  return { loops, calls, call };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

function control(pauseAt = null) {
  const w = worker(), seen = [];
  const t = new Training({
    call: w.call, pauseAt: () => pauseAt, changed: (on) => seen.push(on ? 'running' : 'stopped'),
    paused: (step, atStop) => seen.push(`paused at ${step}${atStop ? ' (pause-at)' : ''}`), failed: (e) => seen.push(`failed: ${e.message}`),
  });
  return { t, w, seen, setPauseAt: (v) => { pauseAt = v; } };
}

test('the loop pauses at pause-at when it lies ahead; a stop already passed trains on', async () => {
  const { t, w, seen } = control(800);
  t.start(0);
  assert.equal(w.loops[0].until, 800);
  w.loops[0].end(800);
  await tick();
  assert.deepEqual(seen, ['running', 'stopped', 'paused at 800 (pause-at)']);
  assert.equal(t.pausedAt, 800);
  t.start(800);
  assert.equal(w.loops[1].until, null, 'passed: trains on');
  t.start(800);
  assert.equal(w.loops.length, 2, 'Train while training starts nothing');
});

test('a stop moved past where the loop ended trains on to it; moved while running, the worker hears', async () => {
  const { t, w, seen, setPauseAt } = control(100);
  t.start(0);
  setPauseAt(300);
  t.stopMoved(90);
  assert.deepEqual(w.calls.at(-1), ['until', { step: 300 }]);
  w.loops[0].end(100); // it had reached the old stop already
  await tick();
  assert.equal(w.loops.length, 2, 'a new loop');
  assert.equal(w.loops[1].until, 300);
  assert.equal(t.running, true);
  w.loops[1].end(300);
  await tick();
  assert.deepEqual(seen.at(-1), 'paused at 300 (pause-at)');
});

test('an older Train\'s late answer changes nothing; Pause ends the loop and its answer says where', async () => {
  const { t, w, seen } = control();
  t.start(0);
  t.pause();
  assert.deepEqual(w.calls.at(-1), ['pause', undefined]);
  t.start(5); // Train again before the first loop answered
  w.loops[0].end(5);
  await tick();
  assert.equal(t.running, true, 'the first loop\'s answer is not this Train\'s');
  t.pause();
  w.loops[1].end(40);
  await tick();
  assert.deepEqual([t.running, t.pausedAt, seen.at(-1)], [false, 40, 'paused at 40']);
});

test('a failed loop stops training and is reported; a replaced worker\'s is not', async () => {
  const { t, w, seen } = control();
  t.start(0);
  w.loops[0].fail(Object.assign(new Error('no training data'), { kind: 'data' }));
  await tick();
  assert.deepEqual(seen, ['running', 'stopped', 'failed: no training data']);
  t.start(0);
  w.loops[1].fail(Object.assign(new Error('gone'), { kind: 'replaced' }));
  await tick();
  assert.equal(seen.at(-1), 'running', 'nothing said for a replaced worker');
});
