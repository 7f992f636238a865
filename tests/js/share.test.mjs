// Run links (www/share.js): a run written in a URL's hash and read back as <ganvas-demo>
// attributes. The values are passed on as written (the element reports a malformed one), the
// rates come back as the very same doubles, and a hash without a run is none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFromHash, runHash, runLink } from '../../www/share.js';

const RUN = { preset: 'conditional', seed: 1234, recipe: 'fast', lrG: 0.003, lrD: 2e-4, batch: 64, backend: 'cpu', pauseAt: 800 };

test('a run link reads back as the attributes of the same run, from fresh weights', () => {
  const link = runLink(RUN, 'https://example.org/ganvas/index.html?x=1#old=hash');
  assert.equal(link, 'https://example.org/ganvas/index.html?x=1#preset=conditional&seed=1234&recipe=fast&lr-g=0.003&lr-d=0.0002&batch=64&backend=cpu&pause-at=800');
  assert.deepEqual(runFromHash(new URL(link).hash), {
    preset: 'conditional', seed: '1234', recipe: 'fast', 'lr-g': '0.003', 'lr-d': '0.0002', batch: '64', backend: 'cpu', 'pause-at': '800', weights: 'none',
  });
});

test('learning rates survive the round trip bit for bit', () => {
  for (const lr of [0.003, 2e-4, 1 / 3, 0.1 + 0.2, 5e-324, 0.00012345678901234567]) {
    const attrs = runFromHash(runHash({ ...RUN, lrG: lr, lrD: lr }));
    assert.equal(Number(attrs['lr-g']), lr);
    assert.equal(Number(attrs['lr-d']), lr);
  }
});

test('keys left out stay out: no stop, no recipe, the defaults apply', () => {
  assert.equal(runHash({ preset: 'tiny', seed: 0, pauseAt: null }), '#preset=tiny&seed=0');
  assert.deepEqual(runFromHash('#preset=tiny&seed=0'), { preset: 'tiny', seed: '0', weights: 'none' });
});

test('a hash without a run key is no run; unknown keys are ignored', () => {
  for (const hash of ['', '#', '#section-2', '#foo=1&bar', null, undefined]) assert.equal(runFromHash(hash), null, String(hash));
  assert.deepEqual(runFromHash('#utm=x&seed=5&weights=https://evil.example/w.ganvas'), { seed: '5', weights: 'none' });
});

test('stop-at is a synonym of pause-at, which wins when both are given', () => {
  assert.equal(runFromHash('#stop-at=300')['pause-at'], '300');
  assert.equal(runFromHash('#stop-at=300&pause-at=500')['pause-at'], '500');
  assert.equal(runFromHash('#pause-at=500&stop-at=300')['pause-at'], '500');
});

test('malformed values are passed on as written, for the element to report', () => {
  assert.deepEqual(runFromHash('#batch=abc&lr-g=-1&seed=1.5&pause-at=&recipe=%3Cb%3E'), {
    batch: 'abc', 'lr-g': '-1', seed: '1.5', 'pause-at': '', recipe: '<b>', weights: 'none',
  });
  // Broken percent-encoding and a repeated key: read, not thrown (the first value counts).
  assert.deepEqual(runFromHash('#seed=%E0%A4%A&seed=9'), { seed: '\uFFFD%A', weights: 'none' });
  // Text that could be markup or another key stays one value.
  assert.equal(runFromHash(runHash({ preset: 'a&seed=9 <x>' })).preset, 'a&seed=9 <x>');
});

test('a link to a model: its seeded run to its step, or fresh weights without a stop, saying why', async () => {
  const { linkTo } = await import('../../www/share.js');
  const settings = { lrG: 0.003, lrD: 0.003, batchSize: 64 };
  const chosen = { seed: 9, recipe: 'classic', backend: 'cpu' };
  const page = 'https://example.org/';
  const seeded = linkTo({ preset: 'tiny', step: 300, settings, run: { seed: 5, recipe: 'fast' } }, chosen, page);
  assert.deepEqual(runFromHash(new URL(seeded.link).hash), { preset: 'tiny', seed: '5', recipe: 'fast', 'lr-g': '0.003', 'lr-d': '0.003', batch: '64', backend: 'cpu', 'pause-at': '300', weights: 'none' });
  assert.deepEqual([seeded.pauseAt, seeded.differs], [300, null]);
  const changed = linkTo({ preset: 'tiny', step: 300, settings, run: { seed: 5, recipe: 'fast', changedAt: 120 } }, chosen, page);
  assert.match(changed.differs, /changed at step 120/);
  const loaded = linkTo({ preset: 'standard', step: 20000, settings, run: null }, chosen, page);
  assert.deepEqual([loaded.pauseAt, runFromHash(new URL(loaded.link).hash).seed, runFromHash(new URL(loaded.link).hash).recipe], [null, '9', 'classic']);
  assert.match(loaded.differs, /not trained here from a seed/);
});
