// The grid of digits under <ganvas-demo>'s status line. Drawing asks the worker to `generate`
// the grid's latent vectors and must never wait on a worker that will not answer (a restart
// that caught a request in flight once left the grid blank for good, issue #12): it draws
// through latest.js, so a burst of training chunks costs one draw, not a queue.
import { drawDigits } from './draw.js';
import { Latest } from './latest.js';

export class GridView {
  /**
   * `canvas`: the grid; `generate(grid)` resolves with the pixels of a model's grid (`{z,
   * labels}`); `model()` is the current model ({grid: {z, labels, cols, digit}, step}, or null
   * while none is loaded); `after()` draws what follows the grid (the explore view);
   * `failed(e)` hears a draw of the current model fail; `drawn(pixels, model)` hears the
   * pixels drawn (the timelapse keeps some: no request of its own).
   */
  constructor(canvas, { generate, model, after, failed, drawn = () => {} }) {
    Object.assign(this, { canvas, model, after, drawn });
    this.draws = new Latest(async () => {
      const model = this.model();
      if (!model) return;
      const grid = model.grid;
      try {
        const pixels = await generate(grid);
        if (model !== this.model()) return;
        drawDigits(this.canvas, pixels, grid.cols);
        this.drawn(pixels, model, grid);
      } catch (e) {
        // The old model's grid, asked of a model that replaced it meanwhile: not an error.
        if (model === this.model()) failed(e);
      }
      await this.after();
    });
  }

  /** Redraws; resolves once a draw begun after the call is done (drawn, failed or rejected). */
  redraw() { return this.draws.ask(); }

  /** Greys the grid out (its generator diverged), or back. */
  stale(on) { this.canvas.classList.toggle('stale', on); }
}
