// The timelapse's rules (www/timelapse.js): a frame every N steps (and always the first),
// digits downscaled 2×, at most MAX_FRAMES kept by thinning and doubling N so that the frames
// still span the run from its first grid to now, and the frames saved with a checkpoint
// coming back without those after its step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downscale, spread, Timelapse } from '../../www/timelapse.js';

const MAX_FRAMES = 120; // the crate's timelapseFrames

/** `n` digits of 28×28 whose pixel (x, y) of digit i is (i * 7 + x * 3 + y * 5) mod 256. */
const digits = (n) => {
  const p = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) p[i * 784 + y * 28 + x] = (i * 7 + x * 3 + y * 5) % 256;
  return p;
};
const steps = (t) => t.frames.map((f) => f.step);

test('downscale: each 14×14 pixel is the rounded mean of its 2×2 block, digit by digit', () => {
  const px = digits(3);
  const small = downscale(px);
  assert.equal(small.length, 3 * 196);
  for (let i = 0; i < 3; i++) {
    for (let y = 0; y < 14; y++) {
      for (let x = 0; x < 14; x++) {
        const at = (xx, yy) => px[i * 784 + yy * 28 + xx];
        const mean = (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1)) / 4;
        assert.equal(small[i * 196 + y * 14 + x], Math.round(mean), `digit ${i} (${x}, ${y})`);
      }
    }
  }
  // Ink stays ink, background stays background.
  assert.deepEqual([...downscale(new Uint8Array(784).fill(255))].filter((v) => v !== 255), []);
  assert.deepEqual([...downscale(new Uint8Array(784))].filter((v) => v !== 0), []);
});

test('a frame is taken at the first grid, then once `every` steps have passed since the last', () => {
  const t = new Timelapse(50, MAX_FRAMES);
  const px = digits(64);
  const taken = [0, 10, 49, 50, 70, 99, 100, 180, 181, 230].filter((s) => t.capture(s, px, 8));
  assert.deepEqual(taken, [0, 50, 100, 180, 230]);
  assert.deepEqual(steps(t), [0, 50, 100, 180, 230]);
  assert.equal(t.cols, 8);
  // A model opened at a later step (pretrained weights) starts its timelapse there.
  const loaded = new Timelapse(50, MAX_FRAMES);
  assert.equal(loaded.capture(30_000, px, 8), true);
  assert.deepEqual(steps(loaded), [30_000]);
});

test('bytes per frame: a quarter of the grid (8×8 grid: 12,544; the conditional 10×8: 15,680)', () => {
  for (const [n, bytes] of [[64, 12_544], [80, 15_680]]) {
    const t = new Timelapse(1, MAX_FRAMES);
    t.capture(0, digits(n), n === 80 ? 10 : 8);
    assert.equal(t.bytes, bytes);
    assert.equal(t.frames[0].pixels.length, n * 196);
  }
});

test('full, every second frame goes and the interval doubles: never more than MAX_FRAMES, always from the first frame to now', () => {
  const t = new Timelapse(10, MAX_FRAMES);
  const px = digits(1);
  let latest = null;
  for (let step = 0; step <= 100_000; step += 7) {
    if (t.capture(step, px, 1)) latest = step;
    const s = steps(t);
    assert.ok(s.length <= MAX_FRAMES, `${s.length} frames at step ${step}`);
    assert.equal(s[0], 0, 'the first frame is kept');
    assert.equal(s[s.length - 1], latest, 'the latest frame is kept');
    assert.ok(step - latest < t.every, 'a frame within one interval of now');
    for (let i = 1; i < s.length; i++) assert.ok(s[i] > s[i - 1], 'steps increase');
  }
  // 100,000 steps from an interval of 10: thinned several times, the interval doubled as often.
  assert.ok(t.every >= 10 * 2 ** 6, `every ${t.every}`);
  assert.ok(t.frames.length >= MAX_FRAMES / 2, `${t.frames.length} frames`);
  // Evenly paced: no gap more than twice the interval now (chunks of 7 steps round the early
  // gaps up, and thinning doubles them with the interval).
  const s = steps(t);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] - s[i - 1] <= 2 * t.every, `gap ${s[i] - s[i - 1]} at ${s[i]}, every ${t.every}`);
  assert.equal(t.bytes, t.frames.length * 196);
});

test('frames keep their pixels and steps through thinning', () => {
  const t = new Timelapse(1, 4);
  const frame = (v) => new Uint8Array(784).fill(v);
  for (let step = 0; step < 9; step++) t.capture(step, frame(step * 10), 1);
  for (const f of t.frames) assert.equal(f.pixels[0], f.step * 10, `frame of step ${f.step}`);
  assert.ok(t.frames.length <= 4);
  assert.equal(t.frames[0].step, 0);
  assert.equal(t.frames[t.frames.length - 1].step, 8);
});

test('saved with a checkpoint and resumed: the same frames up to its step, the interval kept', () => {
  const t = new Timelapse(10, 8);
  for (let step = 0; step <= 200; step += 10) t.capture(step, digits(2), 2);
  const record = t.saved(150);
  assert.ok(record.pixels instanceof Uint8Array);
  assert.equal(record.pixels.length, record.steps.length * 2 * 196, 'one array of all the pixels');
  assert.ok(record.steps.every((s) => s <= 150));
  const back = new Timelapse(10, 8);
  back.begin(t.saved(), 150);
  assert.deepEqual(steps(back), steps(t).filter((s) => s <= 150), 'frames after the checkpoint are dropped');
  assert.equal(back.every, t.every);
  assert.equal(back.cols, 2);
  for (const f of back.frames) assert.deepEqual(f.pixels, t.frames.find((g) => g.step === f.step).pixels);
  // Training on after the resume: frames continue from the checkpoint's step.
  back.capture(150 + back.every, digits(2), 2);
  assert.equal(back.frames[back.frames.length - 1].step, 150 + back.every);
});

test('a run saved without a timelapse, or a damaged record, starts a new one', () => {
  const t = new Timelapse(10, MAX_FRAMES);
  for (const bad of [null, undefined, {}, { steps: [0], pixels: [1, 2], cols: 1 }, { steps: [0, 10], pixels: new Uint8Array(100), cols: 1 }, { steps: [0], pixels: new Uint8Array(196) }]) {
    t.begin(bad, 100);
    assert.deepEqual(t.frames, []);
    assert.equal(t.every, 10);
  }
  assert.equal(new Timelapse(10, MAX_FRAMES).saved(), null, 'nothing to save before the first frame');
});

test('a model that goes back (a restore) loses the frames after the step it went back to', () => {
  const t = new Timelapse(10, MAX_FRAMES);
  for (let step = 0; step <= 100; step += 10) t.capture(step, digits(1), 1);
  assert.equal(t.capture(45, digits(1), 1), true, 'the frames changed');
  assert.deepEqual(steps(t), [0, 10, 20, 30, 40]);
});

test('every = 0 is off: no frames; turning it off drops those held', () => {
  const off = new Timelapse(0, MAX_FRAMES);
  assert.equal(off.capture(0, digits(1), 1), false);
  assert.deepEqual(off.frames, []);
  off.begin({ every: 10, cols: 1, steps: [0], pixels: new Uint8Array(196) });
  assert.deepEqual(off.frames, [], 'a saved timelapse does not come back while off');
  const t = new Timelapse(10, MAX_FRAMES);
  t.capture(0, digits(1), 1);
  t.setBase(0);
  assert.equal(t.bytes, 0);
  t.setBase(20);
  assert.equal(t.capture(5, digits(1), 1), true, 'on again: the next grid is a first frame');
});

test('spread: up to k indices, evenly, from the first to the last', () => {
  assert.deepEqual(spread(5, 16), [0, 1, 2, 3, 4]);
  const s = spread(120, 16);
  assert.equal(s.length, 16);
  assert.equal(s[0], 0);
  assert.equal(s[15], 119);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] - s[i - 1] >= 7 && s[i] - s[i - 1] <= 8);
  assert.deepEqual(spread(1, 16), [0]);
});
