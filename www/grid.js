// The grid of digits under <ganvas-demo>'s status line. Drawing asks the worker to `generate`
// the grid's latent vectors and must never wait on a worker that will not answer (a restart
// that caught a request in flight once left the grid blank for good, issue #12): it draws
// through latest.js, so a burst of training chunks costs one draw, not a queue. The grid is the
// page's hero: as large as its room allows, at a whole number of device pixels per digit pixel
// (crisp on any screen), and a digit can be chosen with the keyboard (a focus frame on it).
import { drawDigits } from './draw.js';
import { Latest } from './latest.js';

const SIDE = 28;
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
    this.draws = new Latest(async () => {
      const model = this.model();
      if (!model) return;
      const grid = model.grid;
      try {
        const pixels = await generate(grid);
        if (model !== this.model()) return;
        drawDigits(this.canvas, pixels, grid.cols);
        this.fit();
        this.drawn(pixels, model, grid);
      } catch (e) {
        // The old model's grid, asked of a model that replaced it meanwhile: not an error.
        if (model === this.model()) failed(e);
      }
      await this.after();
    });
    new ResizeObserver(() => this.fit()).observe(this.box.parentElement.parentElement);
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

  /** CSS pixels of one digit on screen, and the grid's columns and rows. */
  get cells() {
    const cols = this.canvas.width / SIDE, rows = this.canvas.height / SIDE;
    return { cols, rows, size: this.canvas.getBoundingClientRect().width / cols };
  }

  /** The keyboard's digit `i` (null: none): framed on the grid. */
  focus(i) {
    this.focused = i;
    this.frame.hidden = i == null;
    if (i == null) return;
    const { cols, size } = this.cells;
    Object.assign(this.frame.style, { left: `${(i % cols) * size}px`, top: `${Math.floor(i / cols) * size}px`, width: `${size}px`, height: `${size}px` });
  }

  /**
   * Moves the keyboard's digit by an arrow key (`key`: ArrowLeft…), staying on the grid; the
   * first key lands on the first digit. Returns the digit now framed.
   */
  move(key) {
    const { cols, rows } = this.cells, i = this.focused;
    if (i == null) return this.focus(0), 0;
    const [dx, dy] = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[key] ?? [0, 0];
    const col = Math.min(cols - 1, Math.max(0, (i % cols) + dx)), row = Math.min(rows - 1, Math.max(0, Math.floor(i / cols) + dy));
    this.focus(row * cols + col);
    return this.focused;
  }
}
