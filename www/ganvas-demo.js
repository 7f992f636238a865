// <ganvas-demo>: a GAN on MNIST that opens with pretrained digits, trains in the browser (in a
// Web Worker) and lets you explore the latent space; a judge (an MNIST classifier) scores the
// digits as training goes. This file wires the parts, each one job: attributes.js (the
// attributes as properties), rpc.js (the worker's requests), recovery.js (what a lost GPU or
// a crash calls for) and rescue.js (doing it; a divergence too), runs.js (checkpoints kept and
// saved, a saved run resumed), grid.js (the grid's drawing loop), explore.js, charts.js,
// panel.js (the caption and settings read-outs), status.js, controls.js (the panel's buttons
// and inputs), background.js (training in a hidden tab), timelapse.js (the grid's past, under
// it), picker.js (a conditional model's digit picker), dview.js (D's view: how real D finds
// real and generated digits), nearest.js (the explored digit's nearest training digits),
// template.js.
//
// Attributes (each also a property; read after connection too):
//   mode="train|explore"        train: the whole demo; explore: the grid and latent sliders only
//   preset="standard|tiny|tiny-conditional|conditional|conv-conditional|conv"  the network (default: the crate's, with its shipped weights)
//   backend="auto|webgpu|cpu"   auto: starts on the CPU, then times training on the CPU and on
//                               WebGPU (a hardware adapter) and trains on the faster
//   seed="0"                    seed of fresh weights
//   recipe="fast|classic"       the crate's training recipe fresh weights start with (default:
//                               the crate's); an unknown one is reported and the default used
//   lr-g="0.003" lr-d="0.003"   learning rates of G and D (numbers > 0; default: the recipe's)
//   batch="64"                  batch size (whole number ≥ 1; default: the recipe's); a value the
//                               crate refuses (e.g. an odd batch for standard's pairs) is reported
//   pause-at="800"              training pauses at this step exactly (`stop-at` is a synonym;
//                               `pause-at` wins if both are set). A stop already passed is
//                               passed: Train at or after it trains on. Changing it while
//                               training moves the stop of the running loop.
//   weights="url|none"          weights to open with (default: the preset's shipped ones); from
//                               another origin only with `crossorigin` (refused without it)
//   crossorigin="anonymous|use-credentials"  allows cross-origin `weights` (fetched with CORS;
//                               cookies only for use-credentials), as on <img>
//   base="url"                  the folder holding pkg/ (the wasm, shipped weights, judge) and
//                               data/ (MNIST) (default: this module's own folder)
//   score-every="N"             steps between quality scores, 0 = off (default: the crate's)
//   checkpoint-every="N"        steps between saved checkpoints, 0 = no saving (default: the crate's)
//   timelapse-every="N"         steps between timelapse frames at the start of a run, 0 = off
//                               (default 50); the interval doubles each time 120 frames are thinned
//   background="pause|throttle|run"  what training does in a hidden tab (default: pause)
//   digit="0"…"9"               a conditional model's grid draws this digit in every cell, each
//                               from its own z (absent or "all": rows of 0–9); the picker under
//                               the grid sets it. Ignored for an unconditional model (no picker)
// Changing preset, backend, seed, recipe, weights, base or crossorigin starts a new model, as
// the selects do; changing lr-g, lr-d or batch applies from the next step, as the inputs do.
// A run (what a link from runLink() or Copy link trains: share.js, index.html's hash) is fresh
// weights (weights="none") of `preset` from `seed` with `recipe`, then lr-g, lr-d and batch, on
// `backend`: on the CPU backend the same run gives the same losses bit for bit, however the
// worker splits it into chunks. Served from another origin (a CDN), the element starts its worker through a
// `blob:` URL (spawn.js): the page's CSP then needs `worker-src blob: <that origin>` (README,
// "Embed ganvas in your page").
//
// Events (`detail`):
//   ready       {backend, burnBackend, adapter?, reason, measured, preset, step}: a model's first grid is drawn
//   device      {backend, burnBackend, adapter, reason, measured: {cpu, webgpu}}: "auto" timed
//               both devices (each {stepsPerSecond, firstStepMs, steps}) and trains on the faster
//   step        {step, dLoss, gLoss, dReal, dFake, msPerStep}: after each chunk of training steps
//   score       {step, view, n, digitScore, classShares, frechet, ink, ms}: a quality reading
//   checkpoint  {step, why, ms, bytes, saved, error}: the training state was kept (saved: in IndexedDB)
//   diverged    {step, goodStep}: a loss became NaN or infinite; training stopped
//   device-lost {reason, message, step}: the GPU is gone; training goes on on the CPU from `step`
//   crashed     {message, during, step}: the wasm module trapped; restarted from `step` (or stopped)
//   error       {message, during, kind}: something failed; the model is as it was
//   dview       {step, pack, real: [p…], fake: [p…]}: D's view was updated (train mode, after a
//               grid redraw while training, at most once a second): D's probability "real" of 8
//               fixed real training digits and of 8 digits of the shown generator from fixed
//               latents; with pack > 1 (standard: D judges pairs) each pack's digits share theirs
//   nearest     {distances, labels, indices}: the explored digit's 3 nearest MNIST training
//               digits (Euclidean pixel distance, pixels in [0, 1]; nearest first), looked up
//               200 ms after the zoomed digit last changed; the first loads MNIST (9.7 MB)
//
// Methods: train(), pause(), stepOnce(), trainFromScratch(), loadWeights(bytes) (a .ganvas
// file's bytes; refused with an `error` event if bad), saveWeights() (→ a promise of {bytes,
// preset, step}), redraw() (→ a promise: the grid and explore view drawn anew), memory() (→ a
// promise of {wasmBytes, deviceBytesInUse?, deviceBytesReserved?}), timelapse() (→ {steps (the
// frames' steps, from the model's first grid to now), every (steps between frames now), bytes
// (pixel bytes held)}), contactSheet() (→ a promise of a PNG Blob: up to 16 frames, labelled),
// timelapseVideo() (→ a promise of a WebM Blob, recorded in real time: about 1 s + frames / 8
// fps, 11 s at most; rejects where the browser cannot record WebM), runLink() (→ a URL: this
// page's address with this run in its hash, as share.js writes it, pause-at its step; for
// loaded weights, fresh ones with the current settings and no stop; null before a model; a
// page trains it when it calls share.js's followHash(el), as index.html does). The other methods
// controls.js calls (choose, setView, applySettings, copyLink, exploreDigit) are not part of the API.
// `state`: a frozen snapshot for tests and embedders: {ready (the ready event's detail, or
// null until the current model's first grid), step, running, pausedAt (step where the last
// training loop stopped), preset, backend, view, settings, run ({seed, recipe, changedAt?}:
// the seeded fresh run the model is, changedAt the step its settings were first changed at
// after step 0; null for loaded weights), history ([{step, dLoss, ...}]),
// scores, scoreCost, lastCheckpoint ({step, why, ms, bytes, saved, error} or null),
// recoveryStep (the checkpoint a recovery would resume from), pendingRequests, digit (the
// digit the grid's cells ask for, null: all), gridLabels (each grid cell's label, read from the
// inputs the grid draws; null for an unconditional model)}.
import { SETTINGS_ATTRS, withAttributes } from './attributes.js';
import { Background } from './background.js';
import { LossChart, QualityMeter } from './charts.js';
import { wireControls } from './controls.js';
import { DView } from './dview.js';
import { ExploreView } from './explore.js';
import { GridView } from './grid.js';
import { NearestView } from './nearest.js';
import { Panel } from './panel.js';
import { DigitPicker, labelsOf, relabel } from './picker.js';
import { Recovery } from './recovery.js';
import { quiet, RpcClient } from './rpc.js';
import { Rescue } from './rescue.js';
import { SavedRuns } from './runs.js';
import { runLink } from './share.js';
import { spawnWorker } from './spawn.js';
import { StatusLine } from './status.js';
import { TEMPLATE } from './template.js';
import { TimelapseView } from './timelapse.js';

export class GanvasDemo extends withAttributes(HTMLElement) {
  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = TEMPLATE;
    const $ = (this.$ = (sel) => this.root.querySelector(sel));
    this.rpc = new RpcClient((msg) => this.onEvent(msg));
    this.recovery = new Recovery();
    this.runs = new SavedRuns(this);
    this.rescue = new Rescue(this);
    this.status = new StatusLine($);
    this.panel = new Panel($);
    this.losses = new LossChart($);
    this.meter = new QualityMeter($);
    this.explore = new ExploreView($, (z) => this.rpc.call('generate', { z }), (pixels) => this.nearest.show(pixels));
    this.timeline = new TimelapseView($, { said: (text) => this.status.message(text), failed: (e) => this.fail(e, 'timelapse') });
    this.grid = new GridView($('.grid'), {
      generate: (z) => this.rpc.call('generate', { z }),
      model: () => this.model,
      after: () => this.explore.draw(),
      failed: (e) => quiet(e) || this.fail(e, 'generate'),
      // The timelapse is of the fixed-latent grid: not of a picked digit's (picker.js).
      drawn: (pixels, model, z) => { if (z === (model.grid.latents ?? z)) this.timeline.capture(model.step, pixels, model.grid.cols); },
    });
    this.tab = new Background(this); // what a hidden tab does to training
    this.picker = new DigitPicker($, (digit) => { this.digit = digit; });
    this.shownDigit = null; // the digit every grid cell asks for (null: all), as `digit` said when last read
    this.dview = new DView($, {
      request: () => this.rpc.call('dview'),
      shown: (detail) => this.dispatchEvent(new CustomEvent('dview', { detail })),
      failed: (e) => quiet(e) || this.dview.unavailable(e.message),
    });
    this.nearest = new NearestView($, {
      find: (pixels, k) => this.rpc.call('nearest', { pixels, k }),
      found: (detail) => this.dispatchEvent(new CustomEvent('nearest', { detail })),
      failed: (e) => quiet(e) || this.nearest.unavailable(e.message),
    });
    this.model = null; // what the worker's init/reset/loadCheckpoint answered, step kept current
    this.generation = 0; // one per worker started: answers for an older one are dropped
    this.running = false;
    this.pausedAt = null;
    this.readyInfo = null;
    wireControls(this, $);
  }

  // ---- Public API ----

  /** Starts continuous training (what the Train button does); it pauses at `pause-at` if that lies ahead. */
  train() { this.trainFrom(this.model?.step ?? 0); }

  /** Pauses training. */
  pause() { this.setRunning(false); this.rpc.call('pause').catch(() => {}); }

  /** Runs one training step. */
  stepOnce() { this.rpc.call('step').catch((e) => quiet(e) || this.fail(e, 'step')); }

  /** `{wasmBytes, deviceBytesInUse?, deviceBytesReserved?}` from the worker. */
  memory() { return this.rpc.call('memory'); }

  /** A link (this page's URL, the run in its hash: share.js) that trains this run again; null before a model. */
  runLink() { return this.linkedRun()?.link ?? null; }

  /** Redraws the grid and the explore view; resolves once a draw begun after the call is done. */
  redraw() { return this.grid.redraw(); }

  /** `{steps, every, bytes}`: the timelapse's frames (their steps), interval and pixel bytes. */
  timelapse() { return this.timeline.summary(); }

  /** → a PNG Blob: up to 16 frames of the timelapse, evenly spread, each labelled with its step. */
  contactSheet() { return this.timeline.contactSheet(); }

  /** → a WebM Blob of the timelapse (recorded in real time); rejects where WebM cannot be recorded. */
  timelapseVideo() { return this.timeline.video(); }

  /** A frozen snapshot of the element's state (see the header). */
  get state() {
    const m = this.model;
    return Object.freeze({
      ready: this.readyInfo, step: m?.step ?? null, running: this.running, pausedAt: this.pausedAt,
      preset: m?.preset ?? null, backend: m?.info.backend ?? null, view: m?.settings.view ?? null,
      settings: m ? Object.freeze({ ...m.settings }) : null, run: m?.run ? Object.freeze({ ...m.run }) : null,
      history: Object.freeze(this.losses.history.slice()), scores: Object.freeze(this.meter.scores.slice()),
      scoreCost: this.meter.cost, lastCheckpoint: this.runs.last, recoveryStep: this.recovery.step,
      pendingRequests: this.rpc.pendingCount, digit: this.shownDigit,
      gridLabels: m?.classes ? Object.freeze(labelsOf(m.grid.z, m.latent, m.classes)) : null,
    });
  }

  // ---- Lifecycle and attributes (attributes.js reads them) ----

  attributeChangedCallback(name, old, value) {
    if (name === 'mode') {
      this.$('.ganvas').dataset.mode = this.mode;
      this.chooseDevice(); // first time in train mode: time the devices now
      return;
    }
    if (name === 'background') { this.$('.background').value = this.background; return; }
    if (name === 'digit') { this.showDigit(); if (this.model) this.redraw(); return; }
    if (!this.started || old === value) return;
    if (name === 'preset' && value) this.$('.preset').value = value;
    if (name === 'backend') this.$('.backend-select').value = this.backend;
    if (name === 'score-every') this.rpc.call('scoreEvery', { every: this.scoreEvery }).catch(() => {});
    else if (name === 'checkpoint-every') this.rpc.call('checkpointEvery', { every: this.checkpointEvery }).catch(() => {});
    else if (name === 'timelapse-every') this.timeline.setBase(this.timelapseEvery ?? this.model?.defaults.timelapseEvery ?? 0);
    else if (SETTINGS_ATTRS.includes(name)) this.settingsChanged();
    else if (name === 'pause-at' || name === 'stop-at') {
      // A stop the page knows is passed is ignored; one the worker (a chunk ahead) has just
      // passed pauses it as soon as its chunk ends.
      if (this.running) this.rpc.call('until', { step: (this.until = this.stopAhead(this.model?.step ?? 0)) }).catch(() => {});
    } else this.restart(name);
  }

  connectedCallback() {
    if (this.started) return;
    this.started = true;
    this.$('.ganvas').dataset.mode = this.mode;
    this.$('.background').value = this.background;
    this.tab.attach();
    this.runs.offer();
    this.presetPicked = null; // set by the first model: opened on fresh weights, the preset is the embedder's choice
    this.start({ backend: this.backend, preset: this.preset, seed: this.seedOrFail(), weights: this.weightsChoice() });
  }

  disconnectedCallback() {
    this.tab.detach();
    this.started = false;
    this.setRunning(false); // its worker goes: back on the page, it starts a new model, not training
    this.rpc.terminate();
  }

  // ---- The worker and its model ----

  /**
   * A new worker and model; the old worker's pending requests are rejected, its model gone.
   * `resuming`: what the model shows once ready when it resumes `checkpoint` (see onModel).
   */
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
      recipe: this.recipe ?? undefined, settings: this.settingsAttrs(),
    };
    void this.timelapseEvery; // read here: a malformed one is said with the opening line
    // A malformed or refused attribute read for this start: said again once the model is shown.
    this.openingNote = this.attributeNote;
    this.attributeNote = null;
    this.rpc.call('init', init).then(
      (model) => {
        if (generation !== this.generation) return;
        if (model.refused) this.refused(model.refused);
        this.onModel(model, resuming);
      },
      (e) => { if (generation === this.generation && !quiet(e)) this.fail(e, 'init'); },
    );
  }

  /** A recipe or setting attribute the crate refused at init: reported, and said with the opening line. */
  refused(message) {
    this.fail(Object.assign(new Error(message), { kind: 'config' }), 'attribute');
    this.openingNote = [this.openingNote, this.attributeNote].filter(Boolean).join('. ');
    this.attributeNote = null; // it belongs to this start, not the next
  }

  /** A model the user chose replaces the run: recovery must not bring the old one back, and
   * the status line no longer says why the old one moved. */
  forgetRun() {
    this.recovery.forget();
    this.rescue.note = null;
  }

  /** A model the user chose (preset, backend, seed, weights) replaces the run. */
  restart(what) {
    if (what === 'preset') this.presetPicked = true;
    this.setRunning(false);
    this.forgetRun();
    this.start({ backend: this.$('.backend-select').value, preset: this.$('.preset').value || this.preset, seed: this.seedOrFail(), weights: this.weightsChoice() });
  }

  /** A select's choice: its attribute, or a restart when the attribute already says so. */
  choose(name, value) {
    if (this.getAttribute(name) === value) this.restart(name);
    else this.setAttribute(name, value);
  }

  /**
   * A model is ready (init, reset or a resumed checkpoint): show it, draw it, then say so.
   * A resumed one shows `resuming` ({note?, started, history, timelapse?, run?, train?}): why and
   * since when it resumed, the loss history and timelapse up to its step, the run it goes on
   * (a lost GPU or a crash), and whether training goes on.
   */
  onModel(m, resuming = null) {
    const model = (this.model = { ...m });
    model.run = m.run ?? resuming?.run ?? null; // a run resumed after a lost GPU or a crash is still that run
    this.readyInfo = null;
    this.presetPicked ??= !m.pretrained;
    this.losses.reset(m.resumed ? resuming?.history ?? [] : [], m.step);
    // The crate's defaults (Ganvas.defaults()) unless the attribute says otherwise.
    this.timeline.setBase(this.timelapseEvery ?? m.defaults.timelapseEvery, m.defaults.timelapseFrames);
    this.timeline.begin(m.resumed ? resuming?.timelapse : null, m.step);
    this.meter.reset();
    model.grid = { ...m.grid, latents: m.grid.z }; // latents: the worker's (rows of 0–9); z: what the grid draws
    this.explore.setGrid({ z: m.grid.z, latent: m.latent, classes: m.classes, cols: m.grid.cols, rows: m.grid.rows });
    this.showDigit();
    this.dview.reset(m.pack ?? 1);
    this.grid.stale(false);
    this.panel.model(m, this.running);
    this.status.backend(m.info, this.rescue.note);
    if (m.resumed) {
      const ms = resuming?.started != null ? performance.now() - resuming.started : null;
      this.status.message(`${resuming?.note ?? 'Resumed'} at step ${m.step.toLocaleString('en')}${ms != null ? ` (${(ms / 1000).toFixed(1)} s)` : ''}.`);
      if (resuming?.train) this.train();
    } else {
      const opened = m.pretrained ? `Pretrained ${m.preset} weights loaded (${m.step.toLocaleString('en')} steps).` : `Fresh ${m.preset} weights.`;
      if (this.openingNote) this.status.error(`${this.openingNote}. ${opened}`);
      else this.status.message(opened);
    }
    this.openingNote = null;
    this.showStep(m.step);
    this.redraw().then(() => {
      if (model !== this.model) return; // replaced before its first grid: the new one says ready
      this.score();
      this.readyInfo = Object.freeze({ ...m.info, preset: m.preset, step: m.step });
      this.dispatchEvent(new CustomEvent('ready', { detail: this.readyInfo }));
      this.chooseDevice();
    });
  }

  /** Scores what the grid now shows (the worker then scores every `score-every` steps). */
  score() { this.rpc.call('score').catch((e) => quiet(e) || this.meter.unavailable(e.message)); }

  onEvent(msg) {
    switch (msg.event) {
      case 'stats': return this.onStats(msg);
      case 'judge': return this.meter.judge(msg.reference);
      case 'score':
        this.meter.add(msg.score, msg.cost);
        return void this.dispatchEvent(new CustomEvent('score', { detail: { ...msg.score, ms: msg.ms } }));
      case 'quality-error': return this.meter.unavailable(msg.message);
      case 'checkpoint': return void this.runs.kept(msg);
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
    if (msg.hold > 0) this.status.message(`The discriminator learns alone for ${msg.hold} more steps, so that it can judge the loaded generator before the generator follows it.`);
    else if (this.holding) this.status.message('Both networks are training.');
    this.holding = msg.hold > 0;
    const last = msg.stats[msg.stats.length - 1];
    if (last) this.dispatchEvent(new CustomEvent('step', { detail: { ...last, msPerStep: msg.msPerStep } }));
  }

  // ---- Shown state ----

  showStep(step) {
    if (this.model) this.model.step = step;
    this.panel.step(step);
  }

  showSettings(s) {
    this.panel.settings(s);
    if (this.model) this.model.settings = s;
  }

  setRunning(on) {
    this.running = on;
    this.panel.running(on);
  }

  /** Shows `e` (an Error, or `{message, kind}`) as the message line and fires `error`. */
  fail(e, during) {
    const message = String(e?.message ?? e);
    this.status.error(message);
    if (during === 'attribute') this.attributeNote = message; // the next model's opening line repeats it
    if (during === 'train' || during === 'step') this.setRunning(false);
    this.dispatchEvent(new CustomEvent('error', { detail: { message, during, kind: e?.kind ?? null } }));
  }

  // ---- What the controls do (controls.js maps clicks and changes to these) ----

  /** One click: fresh random weights, and training starts. Unless a preset was picked, the
   * network and recipe measured to draw digits soonest (the crate's defaults). */
  trainFromScratch() {
    this.pause();
    this.forgetRun();
    const preset = this.presetPicked ? this.$('.preset').value : this.model?.defaults.scratchPreset;
    this.rpc.call('reset', { preset, recipe: this.$('.recipe').value || undefined, seed: Math.floor(Math.random() * 1e9) })
      .then((m) => this.onModel(m), (e) => quiet(e) || this.fail(e, 'reset'));
    this.trainFrom(0); // the model trained is the fresh one, whatever step the old one is at
  }

  /** Training from step `from` on (train() and Train from scratch): the worker pauses at `pause-at` if it lies ahead. */
  trainFrom(from) {
    if (this.running) return;
    this.setRunning(true);
    this.pausedAt = null;
    this.runs.withdraw(); // training this model: the offer to resume another is stale
    const token = (this.trainToken = {});
    this.until = this.stopAhead(from); // where the worker's loop pauses by itself (moved by a new pause-at)
    this.rpc.call('train', { until: this.until }).then(({ step, reason }) => {
      // Only the loop of the latest Train: an older one's late answer must not stop this one.
      if (token !== this.trainToken) return;
      // The stop moved on while the loop was ending at the old one (and nobody paused): go on.
      if (this.running && reason === 'paused' && this.until != null && step < this.until) {
        this.setRunning(false);
        return this.trainFrom(step);
      }
      this.setRunning(false);
      this.pausedAt = step;
      if (reason === 'paused' && step === this.until) this.status.message(`Paused at step ${step.toLocaleString('en')}, where this run was set to stop (pause-at); press Train to go on.`);
    }, (e) => { if (token === this.trainToken && !quiet(e)) this.fail(e, 'train'); });
  }

  /** `pause-at` if it lies ahead of `step`, else null: a stop already passed is passed (Train trains on). */
  stopAhead(step) {
    const at = this.pauseAt;
    return at != null && at > step ? at : null;
  }

  /** Which generator the grid shows; the meter then judges the same. */
  setView(live) {
    this.rpc.call('view', { live }).then((s) => {
      this.showSettings(s);
      this.redraw().then(() => this.score());
    }, (e) => quiet(e) || this.fail(e, 'view'));
  }

  applySettings(settings) {
    const model = this.model, before = model?.settings;
    this.rpc.call('settings', settings).then((s) => {
      this.showSettings(s);
      if (s.batchSize !== before?.batchSize) this.chooseDevice({ again: true }); // the faster device may differ at another batch
      // A link trains its settings from step 0: after a change mid-run, not this run any more.
      const changed = ['batchSize', 'lrG', 'lrD'].some((k) => s[k] !== before?.[k]);
      if (changed && model?.run && model.step > 0) model.run.changedAt ??= model.step;
    }, (e) => quiet(e) || this.fail(e, 'settings'));
  }

  /** `lr-g`, `lr-d` or `batch` changed: the model trains with them from its next step (absent: as now). */
  settingsChanged() {
    const now = this.model?.settings;
    if (!now) return; // the model being started reads them
    const a = this.settingsAttrs();
    this.applySettings({ batchSize: a.batchSize ?? now.batchSize, lrG: a.lrG ?? now.lrG, lrD: a.lrD ?? now.lrD });
  }

  /**
   * What a link to this run holds (share.js): the seeded fresh run the model started as, its
   * settings now, the backend chosen, and its step as the stop. Loaded weights are no seeded
   * run: the link trains fresh ones from the `seed` attribute with the chosen recipe, and no
   * stop (their step counts training done elsewhere). `differs`: why the link's run is not
   * this one, or null.
   */
  linkedRun() {
    const m = this.model;
    if (!m) return null;
    const { run, settings: s } = m;
    const spec = {
      preset: m.preset, seed: run?.seed ?? this.seedOrFail() ?? 0, recipe: run ? run.recipe : this.$('.recipe').value || null,
      lrG: s.lrG, lrD: s.lrD, batch: s.batchSize, backend: this.$('.backend-select').value, pauseAt: run && m.step > 0 ? m.step : null,
    };
    const differs = !run ? 'these weights were not trained here from a seed, so the link trains fresh weights with the current settings instead, without a stop'
      : run.changedAt != null ? `the settings were changed at step ${run.changedAt.toLocaleString('en')}, so the link trains with the current settings from step 0, which differs from this run`
        : null;
    return { link: runLink(spec, location.href), pauseAt: spec.pauseAt, differs };
  }

  /** The Copy link button: the link into its field (shown, selectable) and, if the browser lets it, the clipboard. */
  copyLink() {
    const linked = this.linkedRun();
    if (!linked) return;
    const field = this.$('.link');
    field.value = linked.link;
    field.hidden = false;
    field.focus(); // selected (see controls.js): Ctrl+C copies it where the clipboard is refused
    const what = linked.differs ? `; note: ${linked.differs}` : `: it trains this run again${linked.pauseAt ? ` to step ${linked.pauseAt.toLocaleString('en')}` : ''}`;
    this.status.message(`Link ready to copy, beside the button${what}.`);
    Promise.resolve().then(() => navigator.clipboard.writeText(linked.link))
      .then(() => { if (field.value === linked.link) this.status.message(`Link copied${what}.`); }, () => {});
  }

  /**
   * backend="auto": the worker times training on the CPU and on WebGPU (a hardware adapter)
   * and moves the run to the faster; the status line then gives both figures. Asked once the
   * first grid is drawn in train mode (explore mode does not train: it stays on the CPU), and
   * `again` when the batch size changes; a new network is a new model, asked afresh.
   */
  chooseDevice({ again = false } = {}) {
    const model = this.model;
    if (!model || this.mode !== 'train' || this.$('.backend-select').value !== 'auto') return;
    if (!this.readyInfo || (model.info.measured && !again)) return;
    this.rpc.call('chooseDevice').then((info) => {
      if (model !== this.model || !info.measured) return;
      model.info = info;
      this.status.backend(info, this.rescue.note);
      this.status.message(`Training on ${info.backend === 'webgpu' ? 'WebGPU' : 'the CPU'}, measured the faster here.`);
      this.dispatchEvent(new CustomEvent('device', { detail: info }));
    }, (e) => quiet(e) || this.fail(e, 'chooseDevice'));
  }

  /** Loads generator weights; a bad file is refused with the reason, changing nothing. */
  loadWeights(bytes) {
    this.pause();
    this.rpc.call('loadWeights', { bytes }, [bytes.buffer]).then(({ step }) => {
      this.forgetRun();
      if (this.model) this.model.run = null; // not a seeded fresh run any more
      this.showStep(step);
      this.timeline.begin(); // another generator: the frames so far are not its past
      this.dview.reset(this.model?.pack ?? 1); // and D's opinion of the old one is no news
      this.status.message(`Weights loaded (${step.toLocaleString('en')} steps).`);
      this.redraw().then(() => this.score());
    }, (e) => quiet(e) || this.fail(e, 'loadWeights'));
  }

  /** → `{bytes, preset, step}`: the generator as a weights file (the Download button). */
  saveWeights() { return this.rpc.call('saveWeights'); }

  /**
   * The picked digit (`digit`, read now) on a conditional model's grid: every cell asks for it
   * from its own z (null: the worker's latents, rows of 0–9); the picker and the explored digit
   * follow. The caller redraws.
   */
  showDigit() {
    const m = this.model;
    const digit = m?.classes ? this.digit : null;
    this.shownDigit = digit;
    this.picker.show(m?.classes ?? 0, digit);
    if (!m) return;
    m.grid.z = relabel(m.grid.latents, m.latent, m.classes, digit);
    this.explore.setInputs(m.grid.z);
  }

  /** Explores grid digit `i` (a click; shift: morph to it). */
  exploreDigit(i, shift) {
    const model = this.model;
    // A digit of a model replaced meanwhile (Train from scratch) is nothing to report.
    this.explore.select(i, shift).catch((e) => quiet(e) || model !== this.model || this.fail(e, 'generate'));
  }
}

if (!customElements.get('ganvas-demo')) customElements.define('ganvas-demo', GanvasDemo);
