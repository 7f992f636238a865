// "D's view", under the grid in train mode: eight real training digits and eight generated
// ones, each with the discriminator's probability that it is real, as training goes. The same
// digits each time (the crate's `dView`), so what changes is D's opinion. Colour scale on
// each digit's border: teal = D says real (1), grey = undecided (0.5), orange = D says fake
// (0). A PacGAN discriminator (pack > 1, the standard preset) judges digits in packs: each
// pack is drawn as one group with one probability. Updates go through latest.js, at most one
// a second, so training never queues them up.
import { digitFigure, drawDigits, PIXELS } from './draw.js';
import { Latest } from './latest.js';

const INTERVAL_MS = 1000; // at most one update a second
const FAKE = [228, 87, 46], MID = [138, 143, 158], REAL = [41, 168, 171];

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
    Object.assign(this, { $, shown });
    this.pack = 1;
    this.updates = new Latest(request, {
      show: (view) => this.draw(view),
      failed,
      wait: ({ ran }) => ran + INTERVAL_MS - performance.now(),
    });
    this.reset(1);
  }

  /** A new model (`pack`: digits D judges together): no digits until training updates them. */
  reset(pack) {
    this.updates.reset();
    this.pack = pack;
    this.$('.dview-note').textContent = 'Appears once training starts.';
    this.$('.dview-pack').textContent = pack > 1 ? ` D judges digits in pairs${pack > 2 ? ` (packs of ${pack})` : ''}: each pair has one probability.` : '';
    for (const row of ['real', 'fake']) this.$(`.dview-${row}`).replaceChildren();
  }

  /** Asks for an update (after a training redraw): now if none ran in the last second, else once, later. */
  want() { this.updates.ask(); }

  /** An update failed (the element decides which failures to say). */
  unavailable(message) { this.$('.dview-note').textContent = `D's view unavailable: ${message}`; }

  draw({ step, pack, real, fake }) {
    if (pack !== this.pack) this.reset(pack);
    for (const [row, digits] of [['real', real], ['fake', fake]]) {
      // A group per pack of the crate's digits (src/defaults.rs DVIEW_N), made at the first update.
      const box = this.$(`.dview-${row}`), groups = digits.p.length / pack;
      if (box.children.length !== groups) box.replaceChildren(...Array.from({ length: groups }, () => digitFigure(pack).figure));
      [...box.children].forEach((group, g) => {
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
