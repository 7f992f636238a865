// backend="auto", the element's side: once the first grid is drawn in train mode (explore mode
// does not train: it stays on the CPU), the worker times training on the CPU and on WebGPU (a
// hardware adapter) and moves the run to the faster; the status line then gives both figures,
// or why WebGPU could not be timed.
// Asked again when the batch size changes; a new network is a new model, asked afresh.

export class DeviceChoice {
  /**
   * Callbacks: `model()` the element's model (null: none); `wanted()` whether a choice is due
   * (train mode, backend "auto", first grid drawn); `choose()` the worker's `chooseDevice`;
   * `chosen(info)` shows what runs now (the backend line, the message, the `device` event);
   * `failed(e)` reports.
   */
  constructor(callbacks) { Object.assign(this, callbacks); }

  /** Times the devices if due (`again`: the batch size changed, so the faster may differ). */
  ask({ again = false } = {}) {
    const model = this.model();
    if (!model || !this.wanted() || (model.info.measured && !again)) return;
    this.choose().then((info) => {
      // Unchanged: not timed (no adapter worth it). Without figures but a new reason: the
      // WebGPU module or device did not start, and the run stays on the CPU.
      if (model !== this.model() || (!info.measured && info.reason === model.info.reason)) return;
      model.info = info;
      this.chosen(info);
    }, this.failed);
  }
}
