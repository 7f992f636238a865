// The explored digit's nearest MNIST training digits, in the explore view: is the GAN copying
// its training set? Each lookup scans the 60,000 training digits in the worker (~50 ms; the
// first one loads them, 9.7 MB, which the status line says), so it waits until the zoomed
// digit has rested DEBOUNCE_MS (sliders, the morph), or at most MAX_WAIT_MS (training redraws
// it several times a second, so it never rests), and runs one at a time: a digit zoomed while
// one runs is looked up next, the ones in between never. A lookup that failed for want of the
// training digits is not retried until another model is shown.
import { drawDigits } from './draw.js';

/**
 * How far a real digit the GAN never saw lies from its nearest training digit: the median over
 * the MNIST test digits of the Euclidean distance (pixels in [0, 1]) to the nearest training
 * digit, as `ganvas eval` measures it. A generated digit much nearer than this is a near copy.
 */
export const TYPICAL_NEAREST = 4.40;
const K = 3; // training digits shown
const DEBOUNCE_MS = 200;
const MAX_WAIT_MS = 1500;
const PIXELS = 28 * 28;

export class NearestView {
  /**
   * `$`: the shadow root's querySelector; `find(pixels, k)` resolves with the worker's
   * `{indices, labels, pixels, distances}`; `found(detail)` hears each lookup shown
   * (`{distances, labels, indices}`); `failed(e)` one that failed (`unavailable` says it).
   */
  constructor($, { find, found, failed }) {
    Object.assign(this, { $, find, found, failed });
    this.wanted = null; // the zoomed digit's pixels not yet looked up
    this.busy = false;
    this.epoch = 0; // one per clear(): a lookup begun before it is not shown
    this.timer = null;
    this.since = null; // when the oldest change not yet looked up came
    this.gaveUp = false; // the training digits could not be loaded
    this.showing = false; // whether a lookup's digits are shown
    $('.nearest-typical').textContent = `For scale: a typical unseen real digit is ~${TYPICAL_NEAREST.toFixed(1)} from its nearest training digit.`;
    this.slots = Array.from({ length: K }, () => {
      const figure = document.createElement('figure');
      const canvas = document.createElement('canvas');
      Object.assign(canvas, { width: 28, height: 28 });
      const caption = document.createElement('figcaption');
      caption.textContent = '–\n–';
      figure.append(canvas, caption);
      $('.nearest-digits').append(figure);
      return { canvas, caption };
    });
  }

  /** The zoomed digit's 784 bytes: looked up once it rests; null: no digit is explored. */
  show(pixels) {
    clearTimeout(this.timer);
    if (!pixels) return this.clear();
    if (this.gaveUp) return;
    this.wanted = pixels;
    this.since ??= performance.now();
    const waited = performance.now() - this.since;
    this.timer = setTimeout(() => this.run(), Math.max(0, Math.min(DEBOUNCE_MS, MAX_WAIT_MS - waited)));
  }

  /** Nothing explored (a new model): no lookup pending, nothing shown. */
  clear() {
    clearTimeout(this.timer);
    this.wanted = this.since = null;
    this.gaveUp = false;
    this.epoch++;
    this.showing = false; // whether a lookup's digits are shown
    this.$('.nearest-note').textContent = '';
    for (const { canvas, caption } of this.slots) {
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      caption.textContent = '–\n–';
    }
  }

  async run() {
    if (this.busy) return; // the lookup running takes `wanted` next
    this.busy = true;
    try {
      while (this.wanted) {
        const pixels = this.wanted, epoch = this.epoch;
        this.wanted = this.since = null;
        if (!this.showing) this.$('.nearest-note').textContent = 'Searching the 60,000 training digits…';
        try {
          const r = await this.find(pixels, K);
          if (epoch === this.epoch) this.draw(r);
        } catch (e) {
          if (epoch !== this.epoch) continue;
          this.gaveUp = e?.kind === 'data';
          this.failed(e);
        }
      }
    } finally { this.busy = false; }
  }

  /** A lookup failed (the element decides which failures to say). */
  unavailable(message) { this.$('.nearest-note').textContent = `Nearest training digits unavailable: ${message}`; }

  draw({ indices, labels, pixels, distances }) {
    this.slots.forEach(({ canvas, caption }, i) => {
      drawDigits(canvas, pixels.subarray(i * PIXELS, (i + 1) * PIXELS), 1);
      caption.textContent = `a ${labels[i]}\n${distances[i].toFixed(2)}`;
      canvas.title = `Training digit #${indices[i]} (a ${labels[i]}), at distance ${distances[i].toFixed(2)}`;
    });
    this.showing = true;
    this.$('.nearest-note').textContent = `${distances[0] < TYPICAL_NEAREST ? 'Nearer to' : 'Farther from'} the training set than a typical unseen real digit.`;
    this.found({ distances: Array.from(distances), labels: Array.from(labels), indices: Array.from(indices) });
  }
}
