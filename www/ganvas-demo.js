// <ganvas-demo>: a GAN on MNIST that opens with pretrained digits, trains in the browser (in a
// Web Worker) and lets you explore the latent space; a judge scores the digits as training
// goes. Its API (attributes, properties, events, methods, `state`) is ganvas-demo.d.ts; how
// the parts fit is docs/architecture.md. parts.js makes the helpers, each with callbacks, not
// the element. attributes.js reads the attributes; rpc.js asks the worker (protocol.js);
// training.js is Train/Pause/pause-at; recovery.js and rescue.js handle a lost model; runs.js
// keeps checkpoints; grid.js, explore.js, dview.js, nearest.js, timelapse.js, charts.js,
// panel.js, status.js and picker.js draw; controls.js maps the panel's inputs to the methods.
import { SETTINGS_ATTRS, withAttributes } from './attributes.js';
import { wireControls } from './controls.js';
import { makeParts } from './parts.js';
import { quiet } from './rpc.js';
import { linkTo } from './share.js';
import { spawnWorker } from './spawn.js';
import { TEMPLATE } from './template.js';

export class GanvasDemo extends withAttributes(HTMLElement) {
  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = TEMPLATE;
    const $ = (this.$ = (sel) => this.root.querySelector(sel));
    makeParts(this, $);
    this.model = null; // what the worker's init/reset/loadCheckpoint answered, step kept current
    this.readyInfo = null; // the ready event's detail, once the model's first grid is drawn
    this.generation = 0; // one per worker started: answers for an older one are dropped
    this.started = false; // connected, with a worker
    this.presetPicked = null; // whether "Train from scratch" keeps the preset (see onModel)
    wireControls(this, $);
  }

  // ---- Public API (ganvas-demo.d.ts) ----
  get running() { return this.training.running; }
  train() { this.training.start(this.model?.step ?? 0); }
  pause() { this.training.pause(); }
  stepOnce() { this.rpc.call('step').catch((e) => quiet(e) || (this.training.stopped(), this.fail(e, 'step'))); }
  memory() { return this.rpc.call('memory'); }
  runLink() { return this.linkedRun()?.link ?? null; }
  /** Resolves once a draw begun after the call (and after the grid of a digit picked before it) is done. */
  redraw() { return this.picker.pending?.then(() => this.grid.redraw()) ?? this.grid.redraw(); }
  timelapse() { return this.timeline.summary(); }
  contactSheet() { return this.timeline.contactSheet(); }
  timelapseVideo() { return this.timeline.video(); }
  saveWeights() { return this.rpc.call('saveWeights'); }

  get state() {
    const m = this.model;
    return Object.freeze({
      ready: this.readyInfo, step: m?.step ?? null, running: this.running, pausedAt: this.training.pausedAt,
      preset: m?.preset ?? null, backend: m?.info.backend ?? null, view: m?.settings.view ?? null,
      settings: m ? Object.freeze({ ...m.settings }) : null, run: m?.run ? Object.freeze({ ...m.run }) : null,
      history: Object.freeze(this.losses.history.slice()), scores: Object.freeze(this.meter.scores.slice()),
      scoreCost: this.meter.cost, lastCheckpoint: this.runs.last, recoveryStep: this.recovery.step,
      pendingRequests: this.rpc.pendingCount, digit: this.picker.digit, resumeOffered: this.runs.offered,
      gridLabels: m?.grid.labels ? Object.freeze(Array.from(m.grid.labels)) : null,
      data: m?.own ? Object.freeze({ classes: Object.freeze([...m.own.classes]), description: m.own.description }) : null,
    });
  }

  // ---- Lifecycle and attributes (attributes.js reads them) ----
  attributeChangedCallback(name, old, value) {
    if (name === 'mode') {
      this.$('.ganvas').dataset.mode = this.mode;
      this.device.ask(); // first time in train mode: time the devices now
      return;
    }
    if (name === 'background') { this.$('.background').value = this.background; return; }
    if (name === 'theme') return this.showTheme();
    if (name === 'digit') { this.followDigit().then((changed) => changed && this.redraw()); return; }
    if (!this.started || old === value) return;
    if (name === 'preset' && value) this.$('.preset').value = value;
    if (name === 'backend') this.$('.backend-select').value = this.backend;
    if (name === 'score-every') this.rpc.call('scoreEvery', { every: this.scoreEvery }).catch(() => {});
    else if (name === 'checkpoint-every') this.rpc.call('checkpointEvery', { every: this.checkpointEvery }).catch(() => {});
    else if (name === 'timelapse-every') this.timeline.setBase(this.timelapseEvery ?? this.model?.defaults.timelapseEvery ?? 0);
    else if (SETTINGS_ATTRS.includes(name) && this.model) this.settings.apply(this.settingsAttrs()); // else the model being started reads them
    else if (name === 'pause-at' || name === 'stop-at') this.training.stopMoved(this.model?.step ?? 0);
    else this.restart(name);
  }

  connectedCallback() {
    if (this.started) return;
    this.started = true;
    this.$('.ganvas').dataset.mode = this.mode;
    this.$('.background').value = this.background;
    this.tab.attach();
    this.runs.offer();
    this.presetPicked = null; // set by the first model (see onModel)
    // Own data kept from the last visit (own-data.js) goes to the first model.
    const connection = (this.connection = (this.connection ?? 0) + 1);
    this.data.restore().then(() => {
      if (this.started && connection === this.connection) this.start({ backend: this.backend, preset: this.preset, seed: this.seedOrFail(), weights: this.weightsChoice() });
    });
  }

  disconnectedCallback() { // its worker goes: back on the page, it starts a new model, not training
    this.tab.detach();
    this.started = false;
    this.training.stopped();
    this.rpc.terminate();
  }

  /** A new worker and model (the old one's requests rejected); `resuming`: see onModel. */
  start({ backend, preset, seed, weights, checkpoint }, resuming = null) {
    const generation = ++this.generation;
    this.rpc.attach(spawnWorker(new URL('worker.js', import.meta.url)));
    this.model = null; // gone with its worker: nothing of it is drawn or said ready any more
    this.explore.setGrid(null);
    this.readyInfo = null;
    this.status.message(weights ? 'Loading the model and pretrained weights…' : 'Loading the model…');
    this.$('.backend-select').value = backend;
    if (preset) this.$('.preset').value = preset;
    const init = {
      backend, preset: preset ?? undefined, seed, weights, credentials: this.weightsCredentials(), checkpoint,
      base: this.baseUrl(), scoreEvery: this.scoreEvery, checkpointEvery: this.checkpointEvery,
      recipe: this.recipe ?? undefined, settings: this.settingsAttrs(), own: this.data.current,
    };
    void this.timelapseEvery; // read here: a malformed one is said with the opening line
    this.rpc.call('init', init).then((model) => {
      if (generation !== this.generation) return;
      if (model.refused) this.fail(Object.assign(new Error(model.refused), { kind: 'config' }), 'attribute'); // said again with the opening line
      this.onModel(model, resuming);
    }, (e) => generation !== this.generation || quiet(e) || this.fail(e, 'init'));
  }

  /** A model the user chose replaces the run: not to be recovered, nor why it moved said. */
  forgetRun() {
    this.recovery.forget();
    this.rescue.note = null;
  }

  /** A model the user chose (preset, backend, seed, weights) replaces the run. */
  restart(what) {
    if (what === 'preset') this.presetPicked = true;
    this.training.stopped();
    this.forgetRun();
    this.start({ backend: this.$('.backend-select').value, preset: this.$('.preset').value || this.preset, seed: this.seedOrFail(), weights: this.weightsChoice() });
  }

  /**
   * A model is ready (init, reset or a resumed checkpoint): show it, draw it, then say so. A
   * resumed one shows `resuming` ({note?, started, history, timelapse?, run?, train?}).
   */
  onModel(m, resuming = null) {
    const model = (this.model = { ...m });
    model.run = m.run ?? resuming?.run ?? null; // a run resumed after a lost GPU or a crash is still that run
    this.readyInfo = null;
    // The first model's preset counts as picked if it was named (the attribute, or a run link's
    // `preset`) for fresh weights. A run link without one (`#backend=cpu`) opens the default
    // preset, `standard`, on fresh weights: nobody picked it, and Train from scratch then
    // trains the from-scratch default, as on a page opened plainly.
    this.presetPicked ??= !m.pretrained && this.preset != null;
    this.losses.reset(m.resumed ? resuming?.history ?? [] : [], m.step);
    // The crate's defaults (Ganvas.defaults()) unless the attribute says otherwise.
    this.timeline.setBase(this.timelapseEvery ?? m.defaults.timelapseEvery, m.defaults.timelapseFrames);
    this.timeline.begin(m.resumed ? resuming?.timelapse : null, m.step);
    this.meter.reset(!!m.own);
    this.explore.setGrid(m.grid, m.latent);
    this.dview.reset(m.pack ?? 1);
    this.grid.stale(false);
    this.panel.model(m, this.running);
    this.status.backend(m.info, this.rescue.note);
    this.followDigit(); // a malformed digit is said with the opening line
    if (m.resumed) {
      this.status.notes.clear(); // a resumed run is no new start: its attributes were said
      const ms = resuming?.started != null ? performance.now() - resuming.started : null;
      this.status.message(`${resuming?.note ?? 'Resumed'} at step ${m.step.toLocaleString('en')}${ms != null ? ` (${(ms / 1000).toFixed(1)} s)` : ''}.`);
      if (resuming?.train) this.train();
    } else {
      this.status.opened(m.pretrained ? `Pretrained ${m.preset} weights loaded (${m.step.toLocaleString('en')} steps).` : `Fresh ${m.preset} weights.`);
    }
    this.showStep(m.step);
    this.redraw().then(() => {
      if (model !== this.model) return; // replaced before its first grid: the new one says ready
      this.readyInfo = Object.freeze({ ...m.info, preset: m.preset, step: m.step });
      this.dispatchEvent(new CustomEvent('ready', { detail: this.readyInfo }));
      this.score(); // only now: the judge it fetches is no part of the first grid
      this.device.ask();
    });
  }

  /** Scores what the grid shows now (the worker then scores every `score-every` steps). */
  score() { this.rpc.call('score').catch((e) => quiet(e) || this.meter.unavailable(e.message)); }

  onEvent(msg) {
    switch (msg.event) {
      case 'stats': return this.onStats(msg);
      case 'judge': return this.meter.judge(msg.reference);
      case 'score': this.meter.add(msg.score, msg.cost); return void this.dispatchEvent(new CustomEvent('score', { detail: { ...msg.score, ms: msg.ms } }));
      case 'likeness': this.meter.add(msg.likeness, msg.cost); return void this.dispatchEvent(new CustomEvent('score', { detail: { ...msg.likeness, ms: msg.ms } }));
      case 'quality-error': return this.meter.unavailable(msg.message);
      case 'checkpoint': this.recovery.kept(msg); return void this.runs.keep(msg);
      case 'diverged': return this.rescue.diverged(msg);
      case 'device-lost': return this.rescue.deviceLost(msg);
      case 'crashed': return this.rescue.crashed(msg);
      case 'status': return this.status.message(msg.text);
      case 'error': return this.fail(msg, msg.during);
      case 'worker-error': return this.fail(msg, 'init');
    }
  }

  onStats(msg) {
    if (!this.model) return;
    this.losses.add(msg.stats);
    this.showStep(msg.step);
    this.panel.speed(msg.msPerStep);
    this.panel.elapsed();
    if (msg.diverged) return; // the digits of a diverged generator are not worth drawing
    this.redraw().then(() => { if (this.mode === 'train') this.dview.want(); }); // D's view follows, at most once a second
    this.status.hold(msg.hold);
    const last = msg.stats[msg.stats.length - 1];
    if (last) this.dispatchEvent(new CustomEvent('step', { detail: { ...last, msPerStep: msg.msPerStep } }));
  }

  showStep(step) {
    if (this.model) this.model.step = step;
    this.panel.step(step);
  }

  /** Shows `e` (an Error, or `{message, kind}`) as the message line and fires `error`. */
  fail(e, during) {
    const message = String(e?.message ?? e);
    this.status.error(message);
    if (during === 'attribute') this.status.remember(message); // the next model's opening line repeats it
    this.dispatchEvent(new CustomEvent('error', { detail: { message, during, kind: e?.kind ?? null } }));
  }

  // ---- What the controls do (controls.js maps clicks and changes to these) ----
  /** One click: fresh random weights, and training starts. Unless a preset was picked, the
   * network and recipe measured to draw digits soonest (the crate's defaults). */
  trainFromScratch() {
    this.pause();
    this.forgetRun();
    let preset = this.presetPicked ? this.$('.preset').value : this.model?.defaults.scratchPreset;
    // Own images without classes: a conditional net cannot be told them; the smallest other one.
    if (this.model?.own && !this.model.own.classes.length && preset?.includes('conditional')) preset = 'tiny';
    this.rpc.call('reset', { preset, recipe: this.$('.recipe').value || undefined, seed: Math.floor(Math.random() * 1e9) })
      .then((m) => this.onModel(m), (e) => quiet(e) || this.fail(e, 'reset'));
    this.training.start(0); // the model trained is the fresh one, whatever step the old one is at
  }

  /** What a link to this run holds (share.js `linkTo`); null before a model. */
  linkedRun() {
    if (!this.model) return null;
    if (this.model.own) return { refused: 'A link cannot carry your images: it would train on MNIST instead. Download the weights to share this run.' };
    return linkTo(this.model, { seed: this.seedOrFail(), recipe: this.$('.recipe').value || null, backend: this.$('.backend-select').value }, location.href);
  }

  /** Loads generator weights; a bad file is refused with the reason, changing nothing. */
  loadWeights(bytes) {
    this.pause();
    this.rpc.call('loadWeights', { bytes }, [bytes.buffer]).then(({ step }) => {
      this.forgetRun();
      if (this.model) this.model.run = null; // not a seeded fresh run any more
      this.timeline.begin(); // another generator: the frames so far are not its past
      this.status.message(`Weights loaded (${step.toLocaleString('en')} steps).`);
      this.newState(step, false);
    }, (e) => quiet(e) || this.fail(e, 'loadWeights'));
  }

  /**
   * The model changed under the same view: another generator (loaded weights) or the last good
   * state (after a divergence, `keepHistory`: the losses up to it). D's opinion of the old one
   * is no news.
   */
  newState(step, keepHistory = true) {
    if (keepHistory) this.losses.reset(this.losses.history, step);
    this.showStep(step);
    this.dview.reset(this.model?.pack ?? 1);
    this.redraw().then(() => this.score());
  }

  /**
   * The model trains on other data (own-data.js: own images, or MNIST again): its classes, grid
   * and meter follow; the digits on screen are the model's as before until it trains.
   */
  dataChanged(m) {
    if (!this.model) return;
    Object.assign(this.model, { classes: m.classes, grid: m.grid, own: m.own, netClasses: m.netClasses });
    this.panel.data(m.own);
    if (this.digit != null && this.digit >= m.classes) this.digit = null;
    this.explore.setGrid(m.grid, m.latent);
    this.meter.reset(!!m.own);
    this.followDigit();
    this.redraw().then(() => this.score());
  }

  /** The picked digit (`digit`) on the model's grid, the explored digit following (picker.js). */
  followDigit() {
    const m = this.model;
    return this.picker.follow(m, this.digit, (grid) => m === this.model && this.explore.relabel(grid));
  }

}

if (!customElements.get('ganvas-demo')) customElements.define('ganvas-demo', GanvasDemo);
