// <ganvas-demo>: a GAN on MNIST that opens with pretrained digits, trains in the browser (in a
// Web Worker) and lets you explore the latent space; a judge (an MNIST classifier) scores the
// digits as training goes. This file wires the parts, each one job: attributes.js (the
// attributes as properties), rpc.js (the worker's requests), recovery.js (what a lost GPU or
// a crash calls for) and rescue.js (doing it; a divergence too), runs.js (checkpoints kept and
// saved, a saved run resumed), grid.js (the grid's drawing loop), explore.js, charts.js,
// panel.js (the caption and settings read-outs), status.js, controls.js (the panel's buttons
// and inputs), background.js (training in a hidden tab), template.js.
//
// Attributes (each also a property; read after connection too):
//   mode="train|explore"        train: the whole demo; explore: the grid and latent sliders only
//   preset="standard|tiny|conditional"  the network (default: the crate's, with its shipped weights)
//   backend="auto|webgpu|cpu"   auto: starts on the CPU, then times training on the CPU and on
//                               WebGPU (a hardware adapter) and trains on the faster
//   seed="0"                    seed of fresh weights
//   weights="url|none"          weights to open with (default: the preset's shipped ones); from
//                               another origin only with `crossorigin` (refused without it)
//   crossorigin="anonymous|use-credentials"  allows cross-origin `weights` (fetched with CORS;
//                               cookies only for use-credentials), as on <img>
//   base="url"                  the folder holding pkg/ (the wasm, shipped weights, judge) and
//                               data/ (MNIST) (default: this module's own folder)
//   score-every="N"             steps between quality scores, 0 = off (default: the crate's)
//   checkpoint-every="N"        steps between saved checkpoints, 0 = no saving (default: the crate's)
//   background="pause|throttle|run"  what training does in a hidden tab (default: pause)
// Changing preset, backend, seed, weights, base or crossorigin starts a new model, as the
// selects do. Served from another origin (a CDN), the element starts its worker through a
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
//
// Methods: train(), pause(), stepOnce(), trainFromScratch(), loadWeights(bytes) (a .ganvas
// file's bytes; refused with an `error` event if bad), saveWeights() (→ a promise of {bytes,
// preset, step}), redraw() (→ a promise: the grid and explore view drawn anew), memory() (→ a
// promise of {wasmBytes, deviceBytesInUse?, deviceBytesReserved?}). The other methods
// controls.js calls (choose, setView, applySettings, exploreDigit) are not part of the API.
// `state`: a frozen snapshot for tests and embedders: {ready (the ready event's detail, or
// null until the current model's first grid), step, running, pausedAt (step where the last
// training loop stopped), preset, backend, view, settings, history ([{step, dLoss, ...}]),
// scores, scoreCost, lastCheckpoint ({step, why, ms, bytes, saved, error} or null),
// recoveryStep (the checkpoint a recovery would resume from), pendingRequests}.
import { withAttributes } from './attributes.js';
import { Background } from './background.js';
import { LossChart, QualityMeter } from './charts.js';
import { wireControls } from './controls.js';
import { ExploreView } from './explore.js';
import { GridView } from './grid.js';
import { Panel } from './panel.js';
import { Recovery } from './recovery.js';
import { quiet, RpcClient } from './rpc.js';
import { Rescue } from './rescue.js';
import { SavedRuns } from './runs.js';
import { spawnWorker } from './spawn.js';
import { StatusLine } from './status.js';
import { TEMPLATE } from './template.js';

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
    this.explore = new ExploreView($, (z) => this.rpc.call('generate', { z }));
    this.grid = new GridView($('.grid'), {
      generate: (z) => this.rpc.call('generate', { z }),
      model: () => this.model,
      after: () => this.explore.draw(),
      failed: (e) => quiet(e) || this.fail(e, 'generate'),
    });
    this.tab = new Background(this); // what a hidden tab does to training
    this.model = null; // what the worker's init/reset/loadCheckpoint answered, step kept current
    this.generation = 0; // one per worker started: answers for an older one are dropped
    this.running = false;
    this.pausedAt = null;
    this.readyInfo = null;
    wireControls(this, $);
  }

  // ---- Public API ----

  /** Starts continuous training (what the Train button does). */
  train() {
    if (this.running) return;
    this.setRunning(true);
    this.pausedAt = null;
    this.runs.withdraw(); // training this model: the offer to resume another is stale
    const token = (this.trainToken = {});
    this.rpc.call('train').then(({ step }) => {
      // Only the loop of the latest Train: an older one's late answer must not stop this one.
      if (token !== this.trainToken) return;
      this.setRunning(false);
      this.pausedAt = step;
    }, (e) => { if (token === this.trainToken && !quiet(e)) this.fail(e, 'train'); });
  }

  /** Pauses training. */
  pause() { this.setRunning(false); this.rpc.call('pause').catch(() => {}); }

  /** Runs one training step. */
  stepOnce() { this.rpc.call('step').catch((e) => quiet(e) || this.fail(e, 'step')); }

  /** `{wasmBytes, deviceBytesInUse?, deviceBytesReserved?}` from the worker. */
  memory() { return this.rpc.call('memory'); }

  /** Redraws the grid and the explore view; resolves once a draw begun after the call is done. */
  redraw() { return this.grid.redraw(); }

  /** A frozen snapshot of the element's state (see the header). */
  get state() {
    const m = this.model;
    return Object.freeze({
      ready: this.readyInfo, step: m?.step ?? null, running: this.running, pausedAt: this.pausedAt,
      preset: m?.preset ?? null, backend: m?.info.backend ?? null, view: m?.settings.view ?? null,
      settings: m ? Object.freeze({ ...m.settings }) : null,
      history: Object.freeze(this.losses.history.slice()), scores: Object.freeze(this.meter.scores.slice()),
      scoreCost: this.meter.cost, lastCheckpoint: this.runs.last, recoveryStep: this.recovery.step,
      pendingRequests: this.rpc.pendingCount,
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
    if (!this.started || old === value) return;
    if (name === 'preset' && value) this.$('.preset').value = value;
    if (name === 'backend') this.$('.backend-select').value = this.backend;
    if (name === 'score-every') this.rpc.call('scoreEvery', { every: this.scoreEvery }).catch(() => {});
    else if (name === 'checkpoint-every') this.rpc.call('checkpointEvery', { every: this.checkpointEvery }).catch(() => {});
    else this.restart(name);
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
    };
    // A malformed or refused attribute read for this start: said again once the model is shown.
    this.openingNote = this.attributeNote;
    this.attributeNote = null;
    this.rpc.call('init', init).then(
      (model) => { if (generation === this.generation) this.onModel(model, resuming); },
      (e) => { if (generation === this.generation && !quiet(e)) this.fail(e, 'init'); },
    );
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
   * A resumed one shows `resuming` ({note?, started, history, train?}): why and since when it
   * resumed, the loss history up to its step, and whether training goes on.
   */
  onModel(m, resuming = null) {
    const model = (this.model = { ...m });
    this.readyInfo = null;
    this.presetPicked ??= !m.pretrained;
    this.losses.reset(m.resumed ? resuming?.history ?? [] : [], m.step);
    this.meter.reset();
    this.explore.setGrid({ z: m.grid.z, latent: m.latent, cols: m.grid.cols, rows: m.grid.rows });
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
    this.redraw();
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
    this.train();
  }

  /** Which generator the grid shows; the meter then judges the same. */
  setView(live) {
    this.rpc.call('view', { live }).then((s) => {
      this.showSettings(s);
      this.redraw().then(() => this.score());
    }, (e) => quiet(e) || this.fail(e, 'view'));
  }

  applySettings(settings) {
    const batch = this.model?.settings.batchSize;
    this.rpc.call('settings', settings).then((s) => {
      this.showSettings(s);
      if (s.batchSize !== batch) this.chooseDevice({ again: true }); // the faster device may differ at another batch
    }, (e) => quiet(e) || this.fail(e, 'settings'));
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
      this.showStep(step);
      this.status.message(`Weights loaded (${step.toLocaleString('en')} steps).`);
      this.redraw().then(() => this.score());
    }, (e) => quiet(e) || this.fail(e, 'loadWeights'));
  }

  /** → `{bytes, preset, step}`: the generator as a weights file (the Download button). */
  saveWeights() { return this.rpc.call('saveWeights'); }

  /** Explores grid digit `i` (a click; shift: morph to it). */
  exploreDigit(i, shift) {
    const model = this.model;
    // A digit of a model replaced meanwhile (Train from scratch) is nothing to report.
    this.explore.select(i, shift).catch((e) => quiet(e) || model !== this.model || this.fail(e, 'generate'));
  }
}

if (!customElements.get('ganvas-demo')) customElements.define('ganvas-demo', GanvasDemo);
