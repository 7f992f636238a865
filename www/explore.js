// The explore view under the grid: click a digit to see it large with sliders on the first
// dimensions of its latent vector; shift-click a second to morph between the two along the
// sphere where z ~ N(0, I) lives (a strip of ten steps and a slider). A conditional net's
// input ends in a one-hot label: sliders and the sphere are z's only, the label is kept (the
// grid's picked digit; a morph between two labels blends them linearly).
import { drawDigits } from './draw.js';

const SLIDERS = 8; // latent dimensions offered: enough to see what they do, few enough to fit
const STRIP = 10; // digits in the morph strip
const PIXELS = 28 * 28;

/** Linear interpolation between two vectors (a conditional net's one-hot labels). */
const lerp = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** Spherical interpolation between two latent vectors: stays on the shell where z ~ N(0, I) lives. */
export function slerp(a, b, t) {
  const dot = a.reduce((s, v, i) => s + v * b[i], 0);
  const na = Math.hypot(...a), nb = Math.hypot(...b);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / (na * nb))));
  if (!(omega >= 1e-4)) return a.map((v, i) => v + (b[i] - v) * t);
  const s = Math.sin(omega);
  return a.map((v, i) => (Math.sin((1 - t) * omega) / s) * v + (Math.sin(t * omega) / s) * b[i]);
}

export class ExploreView {
  /**
   * `$`: the shadow root's querySelector; `generate(z)` resolves with the digits' pixels;
   * `zoomed(pixels)` hears the zoomed digit's 784 bytes each time it is drawn, and null when
   * no digit is explored any more.
   */
  constructor($, generate, zoomed = () => {}) {
    this.$ = $;
    this.generate = generate;
    this.zoomed = zoomed;
    this.grid = null; // {z, latent, classes, cols, rows}: z holds the grid's whole inputs, label included
    this.selected = null; // index of the digit being explored
    this.target = null; // second digit, for the morph
    this.z = null; // the explored digit's z (its label apart), as the sliders set it
    this.label = null; // its one-hot label ([] for an unconditional net)
    this.draws = 0; // draws begun
    this.shown = 0; // the latest draw drawn: an earlier one answered later is not drawn over it
    $('.morph-t').addEventListener('input', () => this.draw().catch(() => {}));
  }

  /** A new model's grid (null while none is loaded): what was selected belongs to the old one. */
  setGrid(grid) {
    this.grid = grid;
    this.selected = this.target = this.z = this.label = null;
    this.$('.explore').classList.remove('active');
    this.zoomed(null);
  }

  /**
   * The grid's inputs changed, not its model (a picked digit): the explored digit keeps its z
   * (as the sliders set it) and takes its cell's new label; the grid's redraw draws it.
   */
  setInputs(z) {
    if (!this.grid) return;
    this.grid.z = z;
    if (this.selected != null) this.label = this.labelOf(this.selected);
  }

  /** The grid digit under a click at (x, y), each in [0, 1) of the canvas; null outside. */
  indexAt(x, y) {
    if (!this.grid) return null;
    const { cols, rows } = this.grid;
    const col = Math.floor(x * cols), row = Math.floor(y * rows);
    return col >= 0 && col < cols && row >= 0 && row < rows ? row * cols + col : null;
  }

  /** The z of grid digit `i` (its input without the label: what the sliders move). */
  zOf(i) {
    const { z, latent, classes = 0 } = this.grid;
    return Array.from(z.subarray(i * latent, (i + 1) * latent - classes));
  }

  /** The one-hot label of grid digit `i` ([] for an unconditional net). */
  labelOf(i) {
    const { z, latent, classes = 0 } = this.grid;
    return Array.from(z.subarray((i + 1) * latent - classes, (i + 1) * latent));
  }

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
      input.addEventListener('input', () => { this.z[d] = Number(input.value); this.draw().catch(() => {}); });
      label.append(input);
      box.append(label);
    }
  }

  /** Draws the zoomed digit and the morph strip (nothing when no digit is selected). */
  async draw() {
    if (this.selected == null) return;
    const draw = ++this.draws;
    const { z, label } = this;
    const t = Number(this.$('.morph-t').value);
    const to = this.target == null ? null : { z: this.zOf(this.target), label: this.labelOf(this.target) };
    // One generator input at `s` along the morph: z on the sphere, the label blended linearly.
    const at = (s) => [...slerp(z, to.z, s), ...lerp(label, to.label, s)];
    const current = to ? at(t) : [...z, ...label];
    const strip = to ? Array.from({ length: STRIP }, (_, k) => at(k / (STRIP - 1))) : [];
    const pixels = await this.generate(Float32Array.from([...current, ...strip.flat()]));
    if (z !== this.z || draw < this.shown) return; // another digit was selected meanwhile, or a later draw is shown
    this.shown = draw;
    const zoom = pixels.slice(0, PIXELS);
    drawDigits(this.$('.zoom'), zoom, 1);
    this.zoomed(zoom);
    if (strip.length) drawDigits(this.$('.morph-strip'), pixels.subarray(PIXELS), STRIP);
  }
}
