// The explore view beside the grid: choose a digit (click, tap, or the arrow keys and Enter)
// to see it large with sliders on its latent vector z; shift-click a second (or press "Morph
// to…" and choose it: the touch way) to morph between the two (a strip of ten steps and a
// slider; the crate's `morph`: z along the sphere where z ~ N(0, I) lives, a conditional net's
// labels blended). Of z's dimensions, the sliders offer the 8 that change this digit most,
// measured on the spot (each moved by SENSE, one request for all of them); each slider's list
// picks another. A conditional net's digit keeps its cell's label (the grid's picked digit).
// Draws go through latest.js: a slider dragged fast draws its latest value next, never a queue
// of the ones between.
import { drawDigits, PIXELS } from './draw.js';
import { Latest } from './latest.js';

const SLIDERS = 8; // dimensions offered at once: enough to see what they do, few enough to fit
const SENSE = 1.5; // how far each dimension is moved to measure what it changes (z ~ N(0, 1))
const STRIP = 10; // digits in the morph strip

/** `n` standard-normal values (Box–Muller): a random latent vector. */
function normal(n) {
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()));
}

/**
 * The dimensions of `z` ranked by how much moving each changes the digit: `pixels` are the
 * digit itself, then the digit with dimension k moved, for each k in turn.
 */
export function rankDimensions(pixels, latent) {
  const base = pixels.subarray(0, PIXELS);
  const change = Array.from({ length: latent }, (_, k) => {
    const moved = pixels.subarray((k + 1) * PIXELS, (k + 2) * PIXELS);
    let sum = 0;
    for (let p = 0; p < PIXELS; p++) sum += (moved[p] - base[p]) ** 2;
    return { k, change: Math.sqrt(sum) };
  });
  return change.sort((a, b) => b.change - a.change || a.k - b.k).map((c) => c.k);
}

export class ExploreView {
  /**
   * `$`: the shadow root's querySelector; `generate({z, labels})` and `morph({from, to, at})`
   * resolve with digits' pixels (the worker's requests); `zoomed(pixels)` hears the zoomed
   * digit's 784 bytes each time it is drawn, and null when no digit is explored any more;
   * `failed(e)` hears a draw of this model's fail.
   */
  constructor($, { generate, morph, zoomed = () => {}, failed = () => {} }) {
    Object.assign(this, { $, zoomed });
    this.grid = null; // the model's grid ({z, labels, cols, rows}) and its `latent`
    this.latent = 0;
    this.selected = null; // index of the digit being explored
    this.target = null; // second digit, for the morph
    this.z = null; // the explored digit's z, as the sliders set it
    this.label = null; // the label it asks for (null: unconditional)
    this.dims = []; // the dimension each slider moves
    this.morphNext = false; // the next digit chosen is morphed to ("Morph to…")
    // The sliders' dimensions, measured for the explored digit (one request at a time too).
    this.measures = new Latest(({ z, label }) => {
      const rows = new Float32Array((this.latent + 1) * this.latent);
      for (let k = 0; k <= this.latent; k++) {
        rows.set(z, k * this.latent);
        if (k > 0) rows[k * this.latent + k - 1] += SENSE;
      }
      return generate({ z: rows, labels: label == null ? null : Array(this.latent + 1).fill(label) });
    }, {
      show: (pixels, { z }) => {
        if (z !== this.z) return; // another digit meanwhile
        this.dims = rankDimensions(pixels, this.latent).slice(0, SLIDERS);
        this.$('.slider-note').textContent = `The ${SLIDERS} of z's ${this.latent} dimensions that change this digit most (each moved by ${SENSE}, measured on it); pick another in any slider's list.`;
        this.buildSliders();
      },
      failed: (e) => {
        this.$('.slider-note').textContent = 'The sliders could not be measured.';
        failed(e);
      },
    });
    this.draws = new Latest(async () => {
      const { z, label } = this;
      const t = Number(this.$('.morph-t').value);
      if (this.target == null) return { z, pixels: await generate({ z, labels: label == null ? null : [label] }) };
      const to = { z: this.zOf(this.target), label: this.labelOf(this.target) };
      const at = [t, ...Array.from({ length: STRIP }, (_, k) => k / (STRIP - 1))];
      return { z, pixels: await morph({ from: { z, label }, to, at }) };
    }, {
      show: ({ z, pixels }) => {
        if (z !== this.z) return; // another digit was selected meanwhile
        const zoom = pixels.slice(0, PIXELS);
        drawDigits(this.$('.zoom'), zoom, 1);
        this.zoomed(zoom);
        if (pixels.length > PIXELS) drawDigits(this.$('.morph-strip'), pixels.subarray(PIXELS), STRIP);
      },
      failed,
    });
    $('.morph-t').addEventListener('input', () => this.draw());
    $('.random-z').addEventListener('click', () => this.setZ(normal(this.latent)));
    $('.reset-z').addEventListener('click', () => this.selected != null && this.setZ(this.zOf(this.selected)));
    $('.morph-next').addEventListener('click', () => this.armMorph(!this.morphNext));
  }

  /** A new model's grid and latent size (null while none is loaded): what was selected belongs to the old one. */
  setGrid(grid, latent = 0) {
    this.grid = grid;
    this.latent = latent;
    this.selected = this.target = this.z = this.label = null;
    this.draws.reset();
    this.measures.reset();
    this.armMorph(false);
    this.$('.explore').classList.remove('active');
    this.zoomed(null);
  }

  /**
   * The same model's grid with other labels (a picked digit): the explored digit keeps its z
   * (as the sliders set it) and takes its cell's new label; the grid's redraw draws it.
   */
  relabel(grid) {
    if (!this.grid) return;
    this.grid = grid;
    if (this.selected != null) this.label = this.labelOf(this.selected);
  }

  /** The grid digit under a click at (x, y), each in [0, 1) of the canvas; null outside. */
  indexAt(x, y) {
    if (!this.grid) return null;
    const { cols, rows } = this.grid;
    const col = Math.floor(x * cols), row = Math.floor(y * rows);
    return col >= 0 && col < cols && row >= 0 && row < rows ? row * cols + col : null;
  }

  /** The z of grid digit `i` (a copy: the sliders move it). */
  zOf(i) { return this.grid.z.slice(i * this.latent, (i + 1) * this.latent); }

  /** The label grid digit `i` asks for (null: unconditional). */
  labelOf(i) { return this.grid.labels?.[i] ?? null; }

  /** "Morph to…" pressed (`on`) or not: the next digit chosen is the morph's other end. */
  armMorph(on) {
    this.morphNext = on && this.selected != null;
    this.$('.morph-next').setAttribute('aria-pressed', String(this.morphNext));
  }

  /**
   * Explores digit `i`; with `shift` (or "Morph to…" pressed), morphs from the selected digit
   * to it. Resolves once it is drawn.
   */
  select(i, shift) {
    if (!this.grid) return Promise.resolve();
    if ((shift || this.morphNext) && this.selected != null && i !== this.selected) {
      this.target = i;
      this.armMorph(false);
      this.$('.morph-hint').textContent = `Morphing digit ${this.selected + 1} → ${i + 1}.`;
    } else {
      this.selected = i;
      this.target = null;
      this.$('.morph-hint').textContent = 'Shift-click a second digit (or press Morph to…, then choose it) to morph between the two.';
      this.label = this.labelOf(i);
      this.measure((this.z = this.zOf(i)));
    }
    const view = this.$('.explore');
    view.classList.add('active');
    // Where the view sits under the grid (a narrow screen), it comes into sight.
    const top = view.getBoundingClientRect().top;
    if (top < 0 || top > innerHeight * 0.6) view.scrollIntoView({ block: 'start' });
    return this.draw();
  }

  /** The explored digit takes latent vector `z` (Random digit, Reset): sliders measured anew. */
  setZ(z) {
    this.measure((this.z = z));
    return this.draw();
  }

  /** Ranks z's dimensions by what they change in this digit (`z`), and offers the top SLIDERS. */
  measure(z) {
    this.dims = [];
    this.$('.sliders').replaceChildren();
    this.$('.slider-note').textContent = 'Measuring which dimensions of z change this digit most…';
    this.measures.ask({ z, label: this.label });
  }

  buildSliders() {
    const box = this.$('.sliders');
    box.replaceChildren(...this.dims.map((dim, s) => {
      const row = document.createElement('div');
      row.className = 'slider';
      const pick = document.createElement('select');
      pick.setAttribute('aria-label', `Dimension of z slider ${s + 1} moves`);
      pick.append(...Array.from({ length: this.latent }, (_, d) => new Option(`z${d}`, String(d), false, d === dim)));
      const input = document.createElement('input');
      Object.assign(input, { type: 'range', min: -3, max: 3, step: 0.05, value: this.z[dim] });
      input.setAttribute('aria-label', `Value of z${dim}`);
      pick.addEventListener('change', () => {
        this.dims[s] = Number(pick.value);
        input.value = this.z[this.dims[s]];
        input.setAttribute('aria-label', `Value of z${this.dims[s]}`);
      });
      input.addEventListener('input', () => { this.z[this.dims[s]] = Number(input.value); this.draw(); });
      row.append(pick, input);
      return row;
    }));
  }

  /** Draws the zoomed digit and the morph strip (nothing when no digit is selected). */
  draw() {
    if (this.selected == null) return Promise.resolve();
    return this.draws.ask();
  }
}
