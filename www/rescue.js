// What <ganvas-demo> does when its model is lost under it: a divergence (the grid greys out and
// a notice offers the last good state, or a fresh start), a lost GPU or a crashed wasm module
// (a new worker takes over from the checkpoint recovery.js picks, training on if it was). A
// module of its own because these are the only paths where the page, not the visitor, replaces
// or rewinds the model, and each must say why and fire its event; recovery.js decides, this acts.

export class Rescue {
  /**
   * `recovery`: the run's Recovery (recovery.js); `status`: the StatusLine; and callbacks:
   * `announce(event, detail)` fires an event; `stopped()` training stopped; `stale(on)` greys
   * the grid; `fail(e, during)` reports; `call(type)` asks the worker; `restored(step)` shows
   * the model back at the last good state;
   * `afresh()` trains from scratch; `backend()` the backend chosen; `onWebGpu()` whether the
   * model runs there; `running()`; `restart({backend, checkpoint}, resuming)` starts a new
   * worker (resuming: what onModel shows, see the element).
   */
  constructor(recovery, status, callbacks) {
    Object.assign(this, { recovery, status, ...callbacks });
    this.note = null; // why training moved (a lost GPU, a crash): the backend line says it
  }

  /** A loss became NaN or infinite: training stopped; offer the last good state. */
  diverged({ step, goodStep }) {
    this.stopped();
    this.stale(true);
    this.fail(new Error(`Training diverged at step ${step.toLocaleString('en')}: a loss became NaN or infinite, so training stopped.`), 'diverged');
    const restart = ['Train from scratch', () => this.afresh()];
    if (goodStep != null) {
      const at = goodStep.toLocaleString('en');
      this.status.notice(`Restore the last good state, from step ${at}?`, { yes: [`Restore step ${at}`, () => this.restore()], no: restart });
    } else this.status.notice('No good state was kept yet.', { no: restart });
    this.announce('diverged', { step, goodStep });
  }

  /** Back to the last good state (the notice's Restore). */
  restore() {
    this.call('restore').then(({ step }) => {
      this.stale(false);
      this.status.message(`Restored the state from step ${step.toLocaleString('en')}; press Train to go on (a lower learning rate may help).`);
      this.restored(step);
    }, (e) => e?.kind === 'replaced' || e?.kind === 'crashed' || this.fail(e, 'restore'));
  }

  /** The GPU is gone: a CPU worker takes over from the last checkpoint. */
  deviceLost({ reason, message }) {
    const decision = this.recovery.deviceLost({ backend: this.onWebGpu() ? 'webgpu' : 'cpu' });
    if (decision.action === 'ignore') return;
    const why = `The GPU was lost (${reason || 'unknown'}${message ? `: ${message}` : ''}).`;
    this.announce('device-lost', { reason, message, step: this.recovery.step });
    this.recover(decision, why, 'Continuing on the CPU');
  }

  /** The wasm module crashed: a new worker takes over from the checkpoint, or training stops. */
  crashed({ message, during }) {
    const why = `The model crashed (${message}).`;
    const step = this.recovery.step;
    const decision = this.recovery.crashed({ backend: this.backend(), during });
    this.announce('crashed', { message, during, step });
    if (decision.action === 'restart') return this.recover(decision, why, 'Restarted');
    this.stopped();
    const what = decision.why === 'init' ? 'It happened while starting' : 'It happened again after a restart';
    this.fail(new Error(`${why} ${what}, so training has stopped; reload the page to try again.`), during);
  }

  /** A new worker on the decided backend, resumed from its checkpoint (training on if it was). */
  recover({ backend, from }, why, verb) {
    const train = this.running();
    this.stopped();
    this.note = from ? `${why} ${verb} from the checkpoint at step ${from.step.toLocaleString('en')}` : `${why} ${verb} from the start (no checkpoint was kept yet)`;
    this.restart({ backend, checkpoint: from }, from ? { note: `${why} ${verb} from the checkpoint`, started: performance.now(), train } : null);
  }
}
