// The read-outs of <ganvas-demo>'s model: the grid's caption (step, speed, training time),
// the panel's settings inputs (batch size, learning rates, which G is shown), the recipes and
// score interval as the crate defines them, and the Train button's label. A module of its own
// because showing the model is apart from asking the worker for things, and the training time
// is a clock with state of its own: it runs only while training does, and restarts per model.
// (What the inputs do when changed is controls.js.)

export class Panel {
  constructor($) {
    this.$ = $;
    this.clock = null; // {ms, since}: training time of this run; since: when training last started
  }

  /** A new model: the crate's defaults, its preset and settings; the clock restarts (running if training is). */
  model(m, running) {
    const recipe = this.$('.recipe');
    if (!recipe.options.length) {
      for (const r of m.defaults.recipes) recipe.add(Object.assign(new Option(r.name, r.name), { title: r.description }));
      recipe.value = m.defaults.recipe;
    }
    this.$('.score-every').value = m.scoreEvery;
    this.clock = { ms: 0, since: running ? performance.now() : null };
    this.elapsed();
    this.$('.preset').value = m.preset;
    this.settings(m.settings);
    this.data(m.own);
  }

  /** Own data without classes: the conditional presets, told each image's class, cannot train on it. */
  data(own) {
    const none = !!own && !own.classes.length;
    for (const o of this.$('.preset').options) {
      if (!o.value.includes('conditional')) continue;
      o.dataset.title ??= o.title;
      o.disabled = none;
      o.title = none ? 'Unavailable: your images have no classes (no subfolders, no labels file), and a conditional net is told each image\'s class' : o.dataset.title;
    }
  }

  step(step) { this.$('.step').textContent = step.toLocaleString('en'); }

  speed(msPerStep) { this.$('.speed').textContent = `${(1000 / msPerStep).toFixed(1)} steps/s · ${msPerStep.toFixed(1)} ms/step`; }

  /** Training time of this run: what the caption shows beside the step count. */
  elapsed() {
    const c = this.clock;
    const s = (c ? c.ms + (c.since != null ? performance.now() - c.since : 0) : 0) / 1000;
    this.$('.elapsed').textContent = s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  }

  /** Training started or stopped: the clock, the Train button's label, the Step button. */
  running(on) {
    const c = this.clock;
    if (c && on && c.since == null) c.since = performance.now();
    if (c && !on && c.since != null) { c.ms += performance.now() - c.since; c.since = null; }
    this.$('.train').textContent = on ? 'Pause' : 'Train';
    this.$('.step-once').disabled = on;
  }

  settings(s) {
    this.$('.batch').value = s.batchSize;
    this.$('.lr-g').value = s.lrG;
    this.$('.lr-d').value = s.lrD;
    // Without a moving average there is only the live G to show.
    const view = this.$('.view');
    view.value = s.view;
    view.disabled = !(s.ema > 0);
    this.$('.shown').textContent = s.view === 'average' ? `average of G (decay up to ${+s.ema.toFixed(4)})` : 'live G';
  }
}
