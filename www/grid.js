// The grid of digits under <ganvas-demo>'s status line. Drawing asks the worker to `generate`
// the grid's latent vectors and must never wait on a worker that will not answer (a restart
// that caught a request in flight once left the grid blank for good, issue #12): it draws
// through latest.js, so a burst of training chunks costs one draw, not a queue. The grid is the
// page's hero: as large as its room allows, at a whole number of device pixels per digit pixel
// (crisp on any screen), and a digit can be chosen with the keyboard (a focus frame on it).
import { drawDigits, SIDE } from './draw.js';
import { Latest } from './latest.js';

const MIN_GRID = 280; // CSS px the grid keeps before the explore view may sit beside it

export class GridView {
  /**
   * `canvas`: the grid; `generate(grid)` resolves with the pixels of a model's grid (`{z,
   * labels}`); `model()` is the current model ({grid: {z, labels, cols, digit}, step}, or null
   * while none is loaded); `after()` draws what follows the grid (the explore view);
   * `failed(e)` hears a draw of the current model fail; `drawn(pixels, model, grid)` hears the
   * pixels drawn (the timelapse keeps some: no request of its own).
   */
  constructor(canvas, { generate, model, after, failed, drawn = () => {} }) {
    Object.assign(this, { canvas, model, after, drawn });
    this.box = canvas.parentElement; // .grid-box: focusable, holds the focus frame
    this.frame = this.box.querySelector('.cell-focus');
    this.focused = null; // the digit the keyboard is on, or null
    this.drawnModel = null; // the model whose grid was drawn last
    this.draws = new Latest(async () => {
      const model = this.model();
      if (!model) return;
      if (model !== this.drawnModel) this.focus(null); // another model: the keyboard starts again
      this.drawnModel = model;
      const grid = model.grid;
      try {
        const pixels = await generate(grid);
        if (model !== this.model()) return;
        const size = `${this.canvas.width}×${this.canvas.height}`;
        drawDigits(this.canvas, pixels, grid.cols);
        // Refitted when the grid's shape changed (another model), not at every training redraw.
        if (`${this.canvas.width}×${this.canvas.height}` !== size || !this.canvas.style.width) this.fit();
        this.drawn(pixels, model, grid);
      } catch (e) {
        // The old model's grid, asked of a model that replaced it meanwhile: not an error.
        if (model === this.model()) failed(e);
      }
      await this.after();
    });
    // Refitted once the row's width changed, in the next frame (not while the observer
    // delivers: resizing the canvas inside it would loop).
    let width = 0;
    new ResizeObserver(([entry]) => {
      if (entry.contentRect.width === width) return;
      width = entry.contentRect.width;
      requestAnimationFrame(() => this.fit());
    }).observe(this.box.parentElement.parentElement);
  }

  /** Redraws; resolves once a draw begun after the call is done (drawn, failed or rejected). */
  redraw() { return this.draws.ask(); }

  /** Greys the grid out (its generator diverged), or back. */
  stale(on) { this.canvas.classList.toggle('stale', on); }

  /**
   * Sizes the grid to its room: the largest whole number of device pixels per digit pixel. The
   * room is the row's width less the columns that fit beside the grid at their basis: the
   * explore view (where the grid keeps MIN_GRID), the panel (where the grid keeps twice its
   * pixels; else the panel goes under); the explore view then grows into what is left.
   */
  fit() {
    const dpr = globalThis.devicePixelRatio || 1, figure = this.box.parentElement, row = figure.parentElement;
    const gap = parseFloat(getComputedStyle(row).columnGap) || 0;
    let room = row.clientWidth;
    for (const side of row.children) {
      const basis = side === figure || !side.offsetParent ? 0 : parseFloat(getComputedStyle(side).flexBasis) || side.offsetWidth;
      // The explore view sits beside any grid; the panel only beside a grid it leaves at 2×.
      const keep = side.classList.contains('panel') ? 2 * this.canvas.width : MIN_GRID;
      if (basis && room - basis - gap >= keep) room -= basis + gap;
    }
    const { width, height } = this.canvas;
    if (!room || !width) return;
    const scale = Math.max(1, Math.floor((room * dpr) / width));
    Object.assign(this.canvas.style, { width: `${(width * scale) / dpr}px`, height: `${(height * scale) / dpr}px` });
    this.focus(this.focused);
  }

  /** The model's grid's columns and rows (none before a model), and CSS pixels of a digit on screen. */
  get cells() {
    const { cols = 0, rows = 0 } = this.model()?.grid ?? {};
    return { cols, rows, size: this.canvas.getBoundingClientRect().width * SIDE / this.canvas.width };
  }

  /** The keyboard's digit `i` (null: none): framed on the grid. */
  focus(i) {
    const { cols, rows, size } = this.cells;
    this.focused = i != null && i < cols * rows ? i : null;
    this.frame.hidden = this.focused == null;
    if (this.focused == null) return;
    Object.assign(this.frame.style, { left: `${(i % cols) * size}px`, top: `${Math.floor(i / cols) * size}px`, width: `${size}px`, height: `${size}px` });
  }

  /**
   * Moves the keyboard's digit by an arrow key (`key`: ArrowLeft…), staying on the grid; the
   * first key lands on the first digit. Returns the digit now framed.
   */
  move(key) {
    const { cols, rows } = this.cells, i = this.focused;
    if (!cols) return null;
    if (i == null) return this.focus(0), 0;
    const [dx, dy] = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[key] ?? [0, 0];
    const col = Math.min(cols - 1, Math.max(0, (i % cols) + dx)), row = Math.min(rows - 1, Math.max(0, Math.floor(i / cols) + dy));
    this.focus(row * cols + col);
    return this.focused;
  }
}
