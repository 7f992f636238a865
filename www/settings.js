// The model's training settings, the element's side: the panel's inputs and the `lr-g`,
// `lr-d` and `batch` attributes change them from the next step (the crate applies all or
// none: protocol.js `settings`), and the `view` select picks which generator the grid shows.
// A run link trains its settings from step 0: a change mid-run is noted on the run
// (`changedAt`), so that Copy link says the link is not this run any more.

const TRAINING = ['batchSize', 'lrG', 'lrD'];

export class RunSettings {
  /**
   * Callbacks: `call(type, args)` asks the worker; `model()` the element's model (its
   * `settings`, `run`, `step`); `shown(settings)` shows them; `batchChanged()` (the faster
   * device may differ at another batch); `redrawn()` redraws and scores (another generator
   * shown); `fail(e, during)` reports.
   */
  constructor(callbacks) { Object.assign(this, callbacks); }

  /** `{batchSize?, lrG?, lrD?}` from the next step (absent: as now). */
  apply(settings) {
    const model = this.model(), before = model?.settings;
    this.call('settings', settings).then((s) => {
      this.show(s);
      if (s.batchSize !== before?.batchSize) this.batchChanged();
      const changed = TRAINING.some((k) => s[k] !== before?.[k]);
      if (changed && model?.run && model.step > 0) model.run.changedAt ??= model.step;
    }, (e) => this.fail(e, 'settings'));
  }

  /** Which generator the grid shows (`live`, else the moving average); the meter then judges the same. */
  view(live) {
    this.call('view', { live }).then((s) => {
      this.show(s);
      this.redrawn();
    }, (e) => this.fail(e, 'view'));
  }

  show(s) {
    const model = this.model();
    if (model) model.settings = s;
    this.shown(s);
  }
}
