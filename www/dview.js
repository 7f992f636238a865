// "D's view", under the grid in train mode: eight real training digits and eight generated
// ones, each with the discriminator's probability that it is real, as training goes. The same
// digits each time (a fixed seed: the worker's `dview`), so what changes is D's opinion.
// Colour scale on each digit's border: teal = D says real (1), grey = undecided (0.5), orange
// = D says fake (0). A PacGAN discriminator (pack > 1, the standard preset) judges digits in
// packs: each pack is drawn as one group with one probability.
//
// Like the grid (grid.js), one request at a time: updates asked for while one runs, or within
// INTERVAL_MS of the last one, share the next, so training never queues them up.
import { drawDigits } from './draw.js';

const N = 8; // digits in each row
const INTERVAL_MS = 1000; // at most one update a second
const PIXELS = 28 * 28;
const FAKE = [228, 87, 46], MID = [138, 143, 158], REAL = [41, 168, 171];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The border colour of probability `p` (0 fake … 1 real), through grey at 0.5. */
export function realColor(p) {
  const [a, b, t] = p < 0.5 ? [FAKE, MID, p * 2] : [MID, REAL, (p - 0.5) * 2];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * Math.min(1, Math.max(0, t)))).join(', ')})`;
}

export class DView {
  /**
   * `$`: the shadow root's querySelector; `request()` resolves with the worker's `dview`
   * answer; `shown(detail)` hears each update drawn (`{step, pack, real, fake}`, the
   * probabilities); `failed(e)` one that failed (`unavailable` says it).
   */
  constructor($, { request, shown, failed }) {
    Object.assign(this, { $, request, shown, failed });
    this.wanted = false;
    this.busy = false;
    this.last = -Infinity; // when the last request began
    this.epoch = 0; // one per reset(): an answer for an older model is not drawn
    this.pack = 0;
    this.reset(1);
  }

  /** A new model (`pack`: digits D judges together): the rows empty until training updates them. */
  reset(pack) {
    this.epoch++;
    this.wanted = false;
    this.$('.dview-note').textContent = 'Appears once training starts.';
    this.$('.dview-pack').textContent = pack > 1 ? ` D judges digits in pairs${pack > 2 ? ` (packs of ${pack})` : ''}: each pair has one probability.` : '';
    if (pack === this.pack) return this.clear();
    this.pack = pack;
    for (const row of ['real', 'fake']) {
      this.$(`.dview-${row}`).replaceChildren(...Array.from({ length: N / pack }, () => {
        const group = document.createElement('figure');
        const canvas = document.createElement('canvas');
        Object.assign(canvas, { width: pack * 28, height: 28 });
        const caption = document.createElement('figcaption');
        caption.textContent = '–';
        group.append(canvas, caption);
        return group;
      }));
    }
  }

  clear() {
    for (const group of this.$('.dview').querySelectorAll('figure')) {
      const canvas = group.querySelector('canvas');
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      group.style.borderColor = '';
      group.querySelector('figcaption').textContent = '–';
    }
  }

  /** Asks for an update (after a training redraw): now if none ran in the last second, else once, later. */
  want() {
    this.wanted = true;
    if (!this.busy) this.loop();
  }

  async loop() {
    this.busy = true;
    try {
      while (this.wanted) {
        const wait = this.last + INTERVAL_MS - performance.now();
        if (wait > 0) await sleep(wait);
        if (!this.wanted) break; // a new model meanwhile
        this.wanted = false;
        this.last = performance.now();
        const epoch = this.epoch;
        try {
          const v = await this.request();
          if (epoch === this.epoch) this.draw(v);
        } catch (e) { if (epoch === this.epoch) this.failed(e); }
      }
    } finally { this.busy = false; }
  }

  /** An update failed (the element decides which failures to say). */
  unavailable(message) { this.$('.dview-note').textContent = `D's view unavailable: ${message}`; }

  draw({ step, pack, real, fake }) {
    if (pack !== this.pack) this.reset(pack);
    for (const [row, digits] of [['real', real], ['fake', fake]]) {
      [...this.$(`.dview-${row}`).children].forEach((group, g) => {
        const p = digits.p[g * pack];
        drawDigits(group.querySelector('canvas'), digits.pixels.subarray(g * pack * PIXELS, (g + 1) * pack * PIXELS), pack);
        group.style.borderColor = realColor(p);
        group.querySelector('figcaption').textContent = p.toFixed(2);
        group.title = `D: ${(p * 100).toFixed(0)}% real${pack > 1 ? ` (the ${pack} together)` : ''}${digits.labels ? ` · ${row === 'real' ? 'labelled' : 'asked for'} ${Array.from(digits.labels.slice(g * pack, (g + 1) * pack)).join(', ')}` : ''}`;
      });
    }
    this.$('.dview-note').textContent = `Step ${step.toLocaleString('en')}.`;
    this.shown({ step, pack, real: Array.from(real.p), fake: Array.from(fake.p) });
  }
}
