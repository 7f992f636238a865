// The grid of digits under <ganvas-demo>'s status line, and the loop that draws it. A module
// of its own because drawing asks the worker (`generate` the grid's latents) and must never
// wait on a worker that will not answer: a restart that caught a `generate` in flight once left
// the grid blank for good (issue #12). So: one generate request at a time; redraws asked for
// meanwhile share the next draw, so a burst of training chunks costs one draw, not a queue;
// a failed or rejected request (its worker replaced) ends that draw, and the loop goes on.
import { drawDigits } from './draw.js';

export class GridView {
  /**
   * `canvas`: the grid; `generate(z)` resolves with the digits' pixels; `model()` is the
   * current model ({grid: {z, cols}}, or null while none is loaded); `after()` draws what
   * follows the grid (the explore view); `failed(e)` hears a draw of the current model fail;
   * `drawn(pixels, model, z)` hears the pixels drawn and the latents asked (the timelapse keeps
   * some: no request of its own).
   */
  constructor(canvas, { generate, model, after, failed, drawn = () => {} }) {
    Object.assign(this, { canvas, generate, model, after, failed, drawn });
    this.waiters = []; // resolvers of redraw() calls not yet served by a draw begun after them
    this.drawing = false;
  }

  /** Redraws; resolves once a draw begun after the call is done (drawn, failed or rejected). */
  redraw() {
    const drawn = new Promise((resolve) => this.waiters.push(resolve));
    if (!this.drawing) this.loop();
    return drawn;
  }

  /** Greys the grid out (its generator diverged), or back. */
  stale(on) { this.canvas.classList.toggle('stale', on); }

  async loop() {
    this.drawing = true;
    try {
      while (this.waiters.length) {
        const waiters = this.waiters.splice(0);
        const model = this.model();
        try {
          if (model) {
            const z = model.grid.z;
            const pixels = await this.generate(z);
            if (model === this.model()) {
              drawDigits(this.canvas, pixels, model.grid.cols);
              this.drawn(pixels, model, z);
            }
            await this.after();
          }
        } catch (e) {
          // The old model's grid, asked of a model that replaced it meanwhile: not an error.
          if (model === this.model()) this.failed(e);
        }
        for (const done of waiters) done();
      }
    } finally { this.drawing = false; }
  }
}
