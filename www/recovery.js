// What the page does when the model is lost under it: the run/recovery policy, apart from
// any DOM so that it is tested under plain `node --test` (tests/js/recovery.test.mjs).
//  - The newest checkpoint is kept; a model the user chose (preset, backend, upload, Train
//    from scratch) replaces the run, and recovery must not bring the old one back.
//  - A lost GPU: continue on the CPU from the last checkpoint (or the opening weights).
//  - A crashed wasm module: restart on the same backend from the last checkpoint, once per
//    checkpoint. A second crash before a newer checkpoint, or one while starting, would only
//    repeat: stop instead of looping.

export class Recovery {
  constructor() {
    this.checkpoint = null; // {bytes, step, preset}: the newest full training state
    this.restartedFrom = undefined; // the checkpoint step (or null) of the last crash restart
  }

  /** The worker sent a checkpoint: it is what the next recovery starts from. */
  kept({ bytes, step, preset }) { this.checkpoint = { bytes, step, preset }; }

  /** A model the user chose replaces the run: forget its checkpoint and its restarts. */
  forget() {
    this.checkpoint = null;
    this.restartedFrom = undefined;
  }

  /** The step recovery would resume at (null: from the opening weights). */
  get step() { return this.checkpoint?.step ?? null; }

  /**
   * The GPU device was lost while the model ran on `backend`. Returns `{action: "ignore"}`
   * (not on WebGPU: a stale report) or `{action: "restart", backend: "cpu", from}`, `from`
   * being the checkpoint to resume (null: start again from the opening weights).
   */
  deviceLost({ backend }) {
    if (backend !== 'webgpu') return { action: 'ignore' };
    return { action: 'restart', backend: 'cpu', from: this.checkpoint };
  }

  /**
   * The wasm module crashed on `backend` while doing `during` ("init" while starting).
   * Returns `{action: "restart", backend, from}` or `{action: "stop", why}`.
   */
  crashed({ backend, during }) {
    if (during === 'init') return { action: 'stop', why: 'init' };
    if (this.restartedFrom !== undefined && this.restartedFrom === this.step) return { action: 'stop', why: 'again' };
    this.restartedFrom = this.step;
    return { action: 'restart', backend, from: this.checkpoint };
  }
}
