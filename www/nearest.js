// The explored digit's nearest MNIST training digits, in the explore view: is the GAN copying
// its training set? Each lookup scans the 60,000 training digits in the worker (~50 ms; the
// first one loads them, 9.7 MB, which the status line says), so it waits until the zoomed
// digit has rested DEBOUNCE_MS (sliders, the morph), or at most MAX_WAIT_MS (training redraws
// it several times a second, so it never rests), and goes through latest.js: a digit zoomed
// while one runs is looked up next, the ones in between never. A lookup that failed for want
// of the training digits is not retried until another model is shown. How many digits, and
// the distance a real unseen digit typically has, are the crate's (`Ganvas.defaults()`).
import { digitFigure, drawDigits, PIXELS } from './draw.js';
import { Latest } from './latest.js';

const DEBOUNCE_MS = 200;
const MAX_WAIT_MS = 1500;

export class NearestView {
  /**
   * `$`: the shadow root's querySelector; `find(pixels)` resolves with the worker's
   * `{indices, labels, pixels, distances}`; `found(detail)` hears each lookup shown
   * (`{distances, labels, indices}`); `failed(e)` one that failed (`unavailable` says it);
   * `defaults()`: the current model's `Ganvas.defaults()` (typicalNearest).
   */
  constructor($, { find, found, failed, defaults }) {
    Object.assign(this, { $, found, defaults });
    this.gaveUp = false; // the training digits could not be loaded
    this.showing = false; // whether a lookup's digits are shown
    this.slots = [];
    this.lookups = new Latest(async (pixels) => {
      if (!this.showing) this.$('.nearest-note').textContent = 'Searching the 60,000 training digits…';
      return find(pixels);
    }, {
      show: (r) => this.draw(r),
      failed: (e) => {
        this.gaveUp = e?.kind === 'data';
        failed(e);
      },
      wait: ({ first, last }) => Math.min(last + DEBOUNCE_MS, first + MAX_WAIT_MS) - performance.now(),
    });
  }

  /** The zoomed digit's 784 bytes: looked up once it rests; null: no digit is explored. */
  show(pixels) {
    if (!pixels) return this.clear();
    if (this.gaveUp) return;
    const typical = this.defaults()?.typicalNearest;
    this.$('.nearest-typical').textContent = typical ? `For scale: a typical unseen real digit is ~${typical.toFixed(1)} from its nearest training digit.` : '';
    this.lookups.ask(pixels);
  }

  /** Nothing explored (a new model): no lookup pending, nothing shown. */
  clear() {
    this.lookups.reset();
    this.gaveUp = false;
    this.showing = false;
    this.$('.nearest-note').textContent = '';
    for (const { canvas, caption } of this.slots) {
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      caption.textContent = '–\n–';
    }
  }

  /** A lookup failed (the element decides which failures to say). */
  unavailable(message) { this.$('.nearest-note').textContent = `Nearest training digits unavailable: ${message}`; }

  draw({ indices, labels, pixels, distances }) {
    if (this.slots.length !== indices.length) {
      this.slots = Array.from(indices, () => digitFigure(1, '–\n–'));
      this.$('.nearest-digits').replaceChildren(...this.slots.map((s) => s.figure));
    }
    this.slots.forEach(({ canvas, caption }, i) => {
      drawDigits(canvas, pixels.subarray(i * PIXELS, (i + 1) * PIXELS), 1);
      caption.textContent = `a ${labels[i]}\n${distances[i].toFixed(2)}`;
      canvas.title = `Training digit #${indices[i]} (a ${labels[i]}), at distance ${distances[i].toFixed(2)}`;
    });
    this.showing = true;
    const typical = this.defaults()?.typicalNearest ?? Infinity;
    this.$('.nearest-note').textContent = `${distances[0] < typical ? 'Nearer to' : 'Farther from'} the training set than a typical unseen real digit.`;
    this.found({ distances: Array.from(distances), labels: Array.from(labels), indices: Array.from(indices) });
  }
}
