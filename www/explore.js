// The explore view under the grid: click a digit to see it large with sliders on the first
// dimensions of its latent vector z; shift-click a second to morph between the two (a strip
// of ten steps and a slider; the crate's `morph`: z along the sphere where z ~ N(0, I) lives,
// a conditional net's labels blended). A conditional net's digit keeps its cell's label (the
// grid's picked digit). Draws go through latest.js: a slider dragged fast draws its latest
// value next, never a queue of the ones between.
import { drawDigits, PIXELS } from './draw.js';
import { Latest } from './latest.js';

const SLIDERS = 8; // latent dimensions offered: enough to see what they do, few enough to fit
const STRIP = 10; // digits in the morph strip

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
  }

  /** A new model's grid and latent size (null while none is loaded): what was selected belongs to the old one. */
  setGrid(grid, latent = 0) {
    this.grid = grid;
    this.latent = latent;
    this.selected = this.target = this.z = this.label = null;
    this.draws.reset();
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

  /** Explores digit `i`; with `shift`, morphs from the selected digit to it. */
  select(i, shift) {
    if (shift && this.selected != null && i !== this.selected) {
      this.target = i;
      this.$('.morph-hint').textContent = `Morphing digit ${this.selected + 1} → ${i + 1}.`;
    } else {
      this.selected = i;
      this.target = null;
      this.z = this.zOf(i);
      this.label = this.labelOf(i);
      this.buildSliders();
      this.$('.morph-hint').textContent = 'Shift-click a second digit to morph between the two.';
    }
    this.$('.explore').classList.add('active');
    return this.draw();
  }

  buildSliders() {
    const box = this.$('.sliders');
    box.replaceChildren();
    for (let d = 0; d < Math.min(SLIDERS, this.z.length); d++) {
      const label = document.createElement('label');
      label.textContent = `z${d}`;
      const input = document.createElement('input');
      Object.assign(input, { type: 'range', min: -3, max: 3, step: 0.05, value: this.z[d] });
      input.addEventListener('input', () => { this.z[d] = Number(input.value); this.draw(); });
      label.append(input);
      box.append(label);
    }
  }

  /** Draws the zoomed digit and the morph strip (nothing when no digit is selected). */
  draw() {
    if (this.selected == null) return Promise.resolve();
    return this.draws.ask();
  }
}
