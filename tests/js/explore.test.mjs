// www/explore.js's ranking of z's dimensions: the sliders offer those whose move changes the
// explored digit most (pixels of the digit, then of the digit with each dimension moved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankDimensions } from '../../www/explore.js';

test('dimensions are ranked by how far their move takes the digit, ties by index', () => {
  const latent = 4, digit = (fill) => new Uint8Array(784).fill(fill);
  // The digit, then moved along z0 (a little), z1 (not at all), z2 (most), z3 (a little, as z0).
  const pixels = new Uint8Array(784 * (latent + 1));
  [digit(100), digit(110), digit(100), digit(200), digit(90)].forEach((d, i) => pixels.set(d, i * 784));
  assert.deepEqual(rankDimensions(pixels, latent), [2, 0, 3, 1]);
});
