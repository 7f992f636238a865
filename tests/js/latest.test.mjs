// www/latest.js, the "latest request wins" loop every view draws through: one request in
// flight, asks meanwhile share the next with the latest argument, a reset drops the answer in
// flight, a failure is reported and the loop goes on, and `wait` spaces requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Latest } from '../../www/latest.js';

/** A request the test answers by hand: `pending` holds each call's `{arg, answer, fail}`. */
function manual() {
  const pending = [];
  const request = (arg) => new Promise((answer, fail) => pending.push({ arg, answer, fail }));
  return { pending, request };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

test('asks while a request runs share the next one, which takes the latest argument', async () => {
  const { pending, request } = manual();
  const shown = [];
  const view = new Latest(request, { show: (answer, arg) => shown.push([answer, arg]) });
  const first = view.ask(1);
  await tick();
  const [second, third] = [view.ask(2), view.ask(3)];
  assert.deepEqual(pending.map((p) => p.arg), [1], 'one request in flight');
  pending[0].answer('a');
  await first;
  await tick();
  assert.deepEqual(pending.map((p) => p.arg), [1, 3], 'asks 2 and 3 shared one request, with 3');
  pending[1].answer('b');
  await Promise.all([second, third]);
  assert.deepEqual(shown, [['a', 1], ['b', 3]]);
});

test('a reset drops the answer in flight and serves the asks waiting', async () => {
  const { pending, request } = manual();
  const shown = [];
  const view = new Latest(request, { show: (answer) => shown.push(answer) });
  view.ask('old');
  await tick();
  const waiting = view.ask('also old');
  view.reset();
  await waiting; // served by the reset, never sent
  pending[0].answer('stale');
  await tick();
  assert.deepEqual(shown, [], 'the old model\'s answer is not drawn');
  const fresh = view.ask('new');
  await tick();
  pending.at(-1).answer('fresh');
  await fresh;
  assert.deepEqual(shown, ['fresh']);
  assert.deepEqual(pending.map((p) => p.arg), ['old', 'new']);
});

test('a failure is reported, its ask served, and the next ask still runs', async () => {
  const { pending, request } = manual();
  const failures = [], shown = [];
  const view = new Latest(request, { show: (a) => shown.push(a), failed: (e) => failures.push(e.message) });
  const failing = view.ask(1);
  await tick();
  pending[0].fail(new Error('worker gone'));
  await failing;
  assert.deepEqual(failures, ['worker gone']);
  const next = view.ask(2);
  await tick();
  pending[1].answer('ok');
  await next;
  assert.deepEqual(shown, ['ok']);
});

test('wait spaces requests: asked with when the asks came and the last request began', async () => {
  const seen = [];
  let waits = 2;
  const view = new Latest(async (arg) => arg, {
    wait: ({ first, last, ran }) => {
      seen.push([first != null, last >= first, ran]);
      return waits-- > 0 ? 5 : 0;
    },
  });
  const shown = [];
  view.show = (a) => shown.push(a);
  await view.ask('x');
  assert.deepEqual(shown, ['x']);
  assert.equal(seen.length, 3, 'asked again after each wait');
  assert.ok(seen.every(([hasFirst, ordered]) => hasFirst && ordered));
  assert.equal(seen[0][2], -Infinity, 'no request had run');
});
