// The digit picker's inputs (www/picker.js) and D's view's colour scale (www/dview.js): a
// conditional generator's input is z followed by a one-hot label; picking a digit sets every
// row's label and keeps its z.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelsOf, relabel } from '../../www/picker.js';
import { realColor } from '../../www/dview.js';

// Three rows of z (2 values) + a one-hot of 4 classes, labels 0, 1, 2 as the worker's latents put them.
const inputs = Float32Array.from([
  0.5, -1, 1, 0, 0, 0,
  2, 0.25, 0, 1, 0, 0,
  -3, 1.5, 0, 0, 1, 0,
]);

test('relabel sets every row\'s one-hot to the digit and keeps z; null keeps the inputs', () => {
  const seven = relabel(inputs, 6, 4, 3);
  assert.deepEqual(Array.from(seven), [0.5, -1, 0, 0, 0, 1, 2, 0.25, 0, 0, 0, 1, -3, 1.5, 0, 0, 0, 1]);
  assert.deepEqual(labelsOf(seven, 6, 4), [3, 3, 3]);
  assert.deepEqual(labelsOf(inputs, 6, 4), [0, 1, 2], 'the given inputs are left as they were');
  assert.equal(relabel(inputs, 6, 4, null), inputs, 'all: the worker\'s latents as given');
  assert.equal(relabel(inputs, 6, 0, 3), inputs, 'an unconditional net has no label');
  assert.equal(labelsOf(inputs, 6, 0), null);
});

test('D\'s colour scale: orange for fake, grey for unsure, teal for real', () => {
  assert.equal(realColor(0), 'rgb(228, 87, 46)');
  assert.equal(realColor(0.5), 'rgb(138, 143, 158)');
  assert.equal(realColor(1), 'rgb(41, 168, 171)');
  assert.equal(realColor(2), realColor(1), 'clamped');
});
