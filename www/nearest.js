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
   * `defaults()`: the current model's `Ganvas.defaults()` (typicalNearest); `own()`: on own
   * data `{classes, typical}` (its class names, and how far its own images typically are
   * from another, once the meter has measured it, else null), else null: MNIST.
   */
  constructor($, { find, found, failed, defaults, own }) {
    Object.assign(this, { $, found, defaults, own });
    this.gaveUp = false; // the training digits could not be loaded
    this.showing = false; // whether a lookup's digits are shown
    this.slots = [];
    this.lookups = new Latest(async (pixels) => {
      if (!this.showing) this.$('.nearest-note').textContent = this.own() ? 'Searching the training images…' : 'Searching the 60,000 training digits…';
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
    const { typical, than } = this.scale();
    this.$('.nearest-caption').textContent = `Nearest training ${this.own() ? 'images' : 'digits'} (pixel distance)`;
    this.$('.nearest-typical').textContent = typical ? `For scale: ${than} is ~${typical.toFixed(1)} from its nearest ${this.own() ? 'other one' : 'training digit'}.` : '';
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

  /** What a distance compares with: MNIST's unseen real digit, or own data's images to each other (once measured). */
  scale() {
    const own = this.own();
    if (own) return { typical: own.typical, than: 'a typical training image' };
    return { typical: this.defaults()?.typicalNearest, than: 'a typical unseen real digit' };
  }

  draw({ indices, labels, pixels, distances }) {
    const names = this.own()?.classes;
    const name = (l) => (names ? names[l] ?? '' : `a ${l}`);
    if (this.slots.length !== indices.length) {
      this.slots = Array.from(indices, () => digitFigure(1, '–\n–'));
      this.$('.nearest-digits').replaceChildren(...this.slots.map((s) => s.figure));
    }
    this.slots.forEach(({ canvas, caption }, i) => {
      drawDigits(canvas, pixels.subarray(i * PIXELS, (i + 1) * PIXELS), 1);
      caption.textContent = `${name(labels[i])}\n${distances[i].toFixed(2)}`;
      canvas.title = `Training ${names ? 'image' : 'digit'} #${indices[i]}${name(labels[i]) ? ` (${name(labels[i])})` : ''}, at distance ${distances[i].toFixed(2)}`;
    });
    this.showing = true;
    const { typical, than } = this.scale();
    this.$('.nearest-note').textContent = typical ? `${distances[0] < typical ? 'Nearer to' : 'Farther from'} the training set than ${than}${this.own() ? ' is to another' : ''}.` : '';
    this.found({ distances: Array.from(distances), labels: Array.from(labels), indices: Array.from(indices) });
  }
}
