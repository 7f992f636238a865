// What <ganvas-demo> does when its model is lost under it: a divergence (the grid greys out and
// a notice offers the last good state, or a fresh start), a lost GPU or a crashed wasm module
// (a new worker takes over from the checkpoint recovery.js picks, training on if it was). A
// module of its own because these are the only paths where the page, not the visitor, replaces
// or rewinds the model, and each must say why and fire its event; recovery.js decides, this acts.
import { quiet } from './rpc.js';

export class Rescue {
  /**
   * `el`: the element (its `recovery`, `status`, `grid`, `losses`, `timeline`, `model`, `running`,
   * `start()`, `setRunning()`, `showStep()`, `redraw()`, `score()`, `fail()`).
   */
  constructor(el) {
    this.el = el;
    this.note = null; // why training moved (a lost GPU, a crash): the backend line says it
  }

  /** A loss became NaN or infinite: training stopped; offer the last good state. */
  diverged(msg) {
    const el = this.el;
    el.setRunning(false);
    el.grid.stale(true);
    el.fail(new Error(`Training diverged at step ${msg.step.toLocaleString('en')}: a loss became NaN or infinite, so training stopped.`), 'diverged');
    const restart = ['Train from scratch', () => el.$('.reset').click()];
    if (msg.goodStep != null) {
      const at = msg.goodStep.toLocaleString('en');
      el.status.notice(`Restore the last good state, from step ${at}?`, { yes: [`Restore step ${at}`, () => this.restore()], no: restart });
    } else el.status.notice('No good state was kept yet.', { no: restart });
    el.dispatchEvent(new CustomEvent('diverged', { detail: { step: msg.step, goodStep: msg.goodStep } }));
  }

  restore() {
    const el = this.el;
    el.rpc.call('restore').then(({ step }) => {
      el.losses.reset(el.losses.history, step);
      el.showStep(step);
      el.grid.stale(false);
      el.dview.reset(el.model?.pack ?? 1); // D's opinion of the diverged generator is no news
      el.status.message(`Restored the state from step ${step.toLocaleString('en')}; press Train to go on (a lower learning rate may help).`);
      el.redraw().then(() => el.score());
    }, (e) => quiet(e) || el.fail(e, 'restore'));
  }

  /** The GPU is gone: a CPU worker takes over from the last checkpoint. */
  deviceLost({ reason, message }) {
    const el = this.el;
    const decision = el.recovery.deviceLost({ backend: el.model?.info.backend });
    if (decision.action === 'ignore') return;
    const why = `The GPU was lost (${reason || 'unknown'}${message ? `: ${message}` : ''}).`;
    el.dispatchEvent(new CustomEvent('device-lost', { detail: { reason, message, step: el.recovery.step } }));
    this.recover(decision, why, 'Continuing on the CPU');
  }

  /** The wasm module crashed: a new worker takes over from the checkpoint, or training stops. */
  crashed({ message, during }) {
    const el = this.el;
    const why = `The model crashed (${message}).`;
    const step = el.recovery.step;
    const decision = el.recovery.crashed({ backend: el.$('.backend-select').value, during });
    el.dispatchEvent(new CustomEvent('crashed', { detail: { message, during, step } }));
    if (decision.action === 'restart') return this.recover(decision, why, 'Restarted');
    el.setRunning(false);
    const what = decision.why === 'init' ? 'It happened while starting' : 'It happened again after a restart';
    el.fail(new Error(`${why} ${what}, so training has stopped; reload the page to try again.`), during);
  }

  /** A new worker on the decided backend, resumed from its checkpoint (training on if it was). */
  recover({ backend, from }, why, verb) {
    const el = this.el;
    const wasRunning = el.running;
    el.setRunning(false);
    this.note = from ? `${why} ${verb} from the checkpoint at step ${from.step.toLocaleString('en')}` : `${why} ${verb} from the start (no checkpoint was kept yet)`;
    const resuming = from ? { note: `${why} ${verb} from the checkpoint`, started: performance.now(), history: el.losses.history, timelapse: el.timeline.saved(from.step), run: el.model?.run, train: wasRunning } : null;
    const preset = from?.preset ?? el.model?.preset ?? el.preset;
    el.start({ backend, preset, seed: el.seedOrFail(), weights: from ? null : el.weightsChoice(), checkpoint: from?.bytes }, resuming);
  }
}
