// Training control, without the DOM: Train, Pause, and `pause-at` (train to a step exactly),
// for <ganvas-demo>. The worker's `train` request runs one loop and answers when it ends
// (protocol.js); this decides which answers count. A token per Train: an older loop's late
// answer never stops a newer one. A stop moved past the step a loop ended at (while it was
// ending) trains on to the new stop. A stop already passed is passed: Train at or after it
// trains on.
import { quiet } from './rpc.js';

export class Training {
  /**
   * `call(type, args)`: a worker request (rpc.js); `pauseAt()`: the step to pause at (the
   * attribute), or null; `changed(running)`: training started or stopped; `paused(step,
   * atStop)`: a loop ended at `step` (`atStop`: the pause-at step); `failed(e)`: a loop failed.
   */
  constructor({ call, pauseAt, changed = () => {}, paused = () => {}, failed = () => {} }) {
    Object.assign(this, { call, pauseAt, changed, paused, failed });
    this.running = false;
    this.pausedAt = null; // step where the last loop stopped
    this.until = null; // where the running loop pauses by itself (moved by a new pause-at)
    this.token = null; // the latest Train's: only its loop's answer counts
  }

  /** `pause-at` if it lies ahead of `step`, else null. */
  stopAhead(step) {
    const at = this.pauseAt();
    return at != null && at > step ? at : null;
  }

  /** Trains from step `from` on (nothing if already training); the loop pauses at `pause-at` if it lies ahead. */
  start(from) {
    if (this.running) return;
    this.set(true);
    this.pausedAt = null;
    const token = (this.token = {});
    this.until = this.stopAhead(from);
    this.call('train', { until: this.until }).then(({ step, reason }) => {
      if (token !== this.token) return;
      // The stop moved on while the loop was ending at the old one (and nobody paused): go on.
      if (this.running && reason === 'paused' && this.until != null && step < this.until) {
        this.set(false);
        return this.start(step);
      }
      this.set(false);
      this.pausedAt = step;
      this.paused(step, reason === 'paused' && step === this.until);
    }, (e) => {
      if (token !== this.token || quiet(e)) return;
      this.set(false);
      this.failed(e);
    });
  }

  /** Pauses: the worker's loop ends after its chunk. */
  pause() {
    this.set(false);
    this.call('pause').catch(() => {});
  }

  /** Training stopped without a word to the worker (it is gone, or has stopped by itself). */
  stopped() { this.set(false); }

  /** `pause-at` changed: the running loop pauses at the new stop (`step`: where the page is). */
  stopMoved(step) {
    if (!this.running) return;
    // A stop the page knows is passed is ignored; one the worker (a chunk ahead) has just
    // passed pauses it as soon as its chunk ends.
    this.until = this.stopAhead(step);
    this.call('until', { step: this.until }).catch(() => {});
  }

  set(on) {
    if (this.running === on) return;
    this.running = on;
    this.changed(on);
  }
}
