// <ganvas-demo mode="train|explore" preset="standard|tiny|conditional" backend="auto|webgpu|cpu"
//              weights="url|none" seed="0" score-every="500" checkpoint-every="500"
//              background="pause|throttle|run">
// One tag: a GAN on MNIST that opens with pretrained digits, trains in the browser (in a Web
// Worker) and lets you explore the latent space. A judge (an MNIST classifier) scores the
// digits as training goes. Training is checkpointed every `checkpoint-every` steps and on
// pause: kept in memory (a lost GPU continues on the CPU from it) and in IndexedDB (a reload
// offers to resume; 0 turns saving off). Fires `ready`, `step`, `score`, `checkpoint`,
// `diverged`, `device-lost` and `error` events.
import { drawChart, drawDigits, drawHistogram, drawQuality } from './draw.js';
import { loadRun, removeRun, saveRun } from './store.js';

const here = (path) => new URL(path, import.meta.url).href;
const GRID_ROWS = 8; // the grid's columns and latent vectors come from the worker
const SLIDERS = 8;

const TEMPLATE = `
<link rel="stylesheet" href="${here('ganvas.css')}">
<div class="ganvas">
  <div class="status" part="status"><span class="backend">Starting…</span> <span class="reason"></span><div class="message"></div>
    <div class="notice" hidden><span class="notice-text"></span> <button class="notice-yes" type="button"></button> <button class="notice-no" type="button"></button></div>
  </div>
  <div class="row">
    <figure class="samples">
      <canvas class="grid" width="224" height="224" title="Click a digit to explore it; shift-click a second to morph"></canvas>
      <figcaption>Step <b class="step">0</b> · <span class="elapsed" title="Training time since this run started">0 s</span> · <span class="speed">–</span> · <span class="shown"></span></figcaption>
    </figure>
    <div class="train-only panel">
      <div class="buttons">
        <button class="train" type="button">Train</button>
        <button class="step-once" type="button">Step</button>
        <button class="reset" type="button" title="Fresh random weights, trained at once with the chosen recipe">Train from scratch</button>
      </div>
      <label>Preset <select class="preset"><option value="conditional" title="G (100 + digit label)→256→784, D (784 + label)→256→1: told which digit to draw; learns fastest">conditional</option><option value="tiny" title="G 100→256→784, D 784→256→1">tiny</option><option value="standard" title="G 100→256→512→1024→784, D (2×784)→1024→512→256→1 on pairs of digits">standard</option></select></label>
      <label>Recipe <select class="recipe" title="Settings Train from scratch starts with"><option value="fast">fast</option><option value="classic">classic</option></select></label>
      <label>Show <select class="view" title="Which generator the grid shows and the meter scores"><option value="average">average of G</option><option value="live">live G</option></select></label>
      <label>Backend <select class="backend-select"><option value="auto">auto</option><option value="webgpu">WebGPU</option><option value="cpu">CPU</option></select></label>
      <label>Batch size <input class="batch" type="number" min="1" max="1024" step="1" value="64"></label>
      <label>G learning rate <input class="lr-g" type="number" min="0.00001" max="0.01" step="0.00005" value="0.0002"></label>
      <label>D learning rate <input class="lr-d" type="number" min="0.00001" max="0.01" step="0.00005" value="0.0002"></label>
      <label>When hidden <select class="background" title="What training does while this tab is in the background"><option value="pause">pause</option><option value="throttle">slow down</option><option value="run">keep going</option></select></label>
      <div class="buttons">
        <button class="download" type="button">Download weights</button>
        <label class="upload">Upload weights <input class="upload-input" type="file" accept=".ganvas,.ckpt,application/octet-stream"></label>
      </div>
    </div>
  </div>
  <div class="train-only chart-box">
    <canvas class="chart"></canvas>
    <label class="smoothing">Smoothing <input class="smooth" type="range" min="0" max="0.99" step="0.01" value="0.9"></label>
  </div>
  <div class="train-only quality">
    <div class="quality-text">Digit quality: loading the judge…</div>
    <div class="quality-charts">
      <canvas class="score-chart" title="Digit score: exp(E[KL(p(y|x) ‖ p(y))]) from an MNIST classifier; 10 at most"></canvas>
      <canvas class="frechet-chart" title="Fréchet distance between the classifier's features of the samples and of the MNIST test set"></canvas>
      <canvas class="histogram" title="Share of samples the classifier reads as each digit; grey ticks: real MNIST"></canvas>
    </div>
    <label>Score every <input class="score-every" type="number" min="0" step="100" value="500"> steps (0 = off)</label>
  </div>
  <div class="explore">
    <canvas class="zoom" width="28" height="28" title="Selected digit"></canvas>
    <div class="sliders"></div>
    <div class="morph">
      <canvas class="morph-strip" width="280" height="28"></canvas>
      <label>Morph <input class="morph-t" type="range" min="0" max="1" step="0.01" value="0"></label>
      <span class="morph-hint">Shift-click a second digit to morph between the two.</span>
    </div>
  </div>
</div>`;

/** Spherical interpolation between two latent vectors: stays on the shell where z ~ N(0, I) lives. */
function slerp(a, b, t) {
  const dot = a.reduce((s, v, i) => s + v * b[i], 0);
  const na = Math.hypot(...a), nb = Math.hypot(...b);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / (na * nb))));
  if (omega < 1e-4) return a.map((v, i) => v + (b[i] - v) * t);
  const s = Math.sin(omega);
  return a.map((v, i) => (Math.sin((1 - t) * omega) / s) * v + (Math.sin(t * omega) / s) * b[i]);
}

export class GanvasDemo extends HTMLElement {
  static observedAttributes = ['mode'];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = TEMPLATE;
    this.$ = (sel) => this.root.querySelector(sel);
    this.history = [];
    this.scores = []; // {step, n, digitScore, classShares, frechet, ink}, one per judged sample
    this.reference = null; // what real MNIST scores, from the judge file
    this.requests = new Map();
    this.nextId = 1;
    this.running = false;
    this.selected = null; // index of the digit being explored
    this.target = null; // second digit for the morph
    this.lastCheckpoint = null; // {bytes, step, preset}: the newest full training state
    this.onVisibility = () => this.visibilityChanged();
  }

  /** Starts continuous training (what the Train button does). */
  train() {
    if (this.running) return;
    this.setRunning(true);
    this.pausedAt = null;
    if (this.noticeKind === 'resume') this.notice(null); // training this model: the offer is stale
    this.send({ type: 'train', seq: (this.trainSeq = (this.trainSeq ?? 0) + 1) });
  }

  /** Pauses training. */
  pause() { this.setRunning(false); this.send({ type: 'pause' }); }

  /** Runs one training step. */
  stepOnce() { this.send({ type: 'step' }); }

  get mode() { return this.getAttribute('mode') === 'explore' ? 'explore' : 'train'; }

  attributeChangedCallback() { this.$('.ganvas').dataset.mode = this.mode; }

  connectedCallback() {
    if (this.worker) return;
    this.$('.ganvas').dataset.mode = this.mode;
    document.addEventListener('visibilitychange', this.onVisibility);
    this.$('.background').value = this.background();
    this.wire();
    this.offerResume();
    const preset = this.getAttribute('preset') || 'standard';
    const weights = this.weightsUrl(preset);
    // Opened on fresh weights, the preset is the embedder's choice: Train from scratch keeps it.
    this.presetPicked = !weights;
    this.start({ backend: this.getAttribute('backend') || 'auto', preset, seed: Number(this.getAttribute('seed') || 0), weights });
  }

  /** Steps between quality scores (the `score-every` attribute; 0 turns the meter off). */
  scoreEvery() {
    const v = Number(this.getAttribute('score-every') ?? this.$('.score-every').value);
    return Number.isFinite(v) && v >= 0 ? Math.floor(v) : 500;
  }

  /** Steps between checkpoints (the `checkpoint-every` attribute; 0 = no saving). */
  checkpointEvery() {
    const v = Number(this.getAttribute('checkpoint-every') ?? 500);
    return Number.isFinite(v) && v >= 0 ? Math.floor(v) : 500;
  }

  /** What training does in a hidden tab: "pause" (default), "throttle" or "run". */
  background() {
    const v = this.$('.background').dataset.chosen ?? this.getAttribute('background');
    return ['pause', 'throttle', 'run'].includes(v) ? v : 'pause';
  }

  /** Where this element's run is saved: one record per page and element id. */
  storeKey() { return `${location.pathname}#${this.id || 'ganvas-demo'}`; }

  disconnectedCallback() {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.worker?.terminate();
    this.worker = null;
  }

  visibilityChanged() {
    const hidden = document.visibilityState === 'hidden';
    const how = this.background();
    if (hidden && this.running && how === 'pause') {
      this.resumeOnShow = true;
      this.pause();
      this.setMessage('Training paused while this tab is hidden; it goes on when you come back.');
    } else if (hidden && this.running && how === 'throttle') {
      this.throttled = true;
      this.send({ type: 'throttle', on: true });
    } else if (!hidden) {
      if (this.throttled) { this.throttled = false; this.send({ type: 'throttle', on: false }); }
      if (this.resumeOnShow) { this.resumeOnShow = false; this.setMessage('Training resumed.'); this.train(); }
    }
  }

  /** If IndexedDB holds a run of this element, offers to resume it. */
  async offerResume() {
    if (this.checkpointEvery() === 0) return;
    let run;
    try { run = await loadRun(this.storeKey()); } catch { return; }
    if (!run?.bytes) return;
    const when = new Date(run.savedAt).toLocaleString('en');
    this.notice(`A ${run.preset} training run was saved at step ${run.step.toLocaleString('en')} (${when}).`, {
      yes: ['Resume', () => this.resume(run)],
      no: ['Discard', () => removeRun(this.storeKey()).catch(() => {})],
    }, 'resume');
  }

  /** Resumes a saved run: the worker loads its checkpoint; the loss history comes back too. */
  resume(run) {
    this.pendingHistory = run.history ?? [];
    this.recoveryNote = null;
    this.lastCheckpoint = { bytes: run.bytes, step: run.step, preset: run.preset };
    this.resumeStarted = performance.now();
    this.setMessage(`Resuming the run saved at step ${run.step.toLocaleString('en')}…`);
    this.send({ type: 'loadCheckpoint', bytes: run.bytes });
  }

  /** A one-line question with up to two buttons; `{yes: [label, fn], no: [label, fn]}`. */
  notice(text, { yes, no } = {}, kind = null) {
    this.noticeKind = text ? kind : null;
    const box = this.$('.notice');
    box.hidden = !text;
    this.$('.notice-text').textContent = text ?? '';
    for (const [sel, choice] of [['.notice-yes', yes], ['.notice-no', no]]) {
      const b = this.$(sel);
      b.hidden = !choice;
      b.textContent = choice?.[0] ?? '';
      b.onclick = choice ? () => { box.hidden = true; choice[1](); } : null;
    }
  }

  /** Pretrained weights to open with; same-origin URLs only (the attribute is data, never code). */
  weightsUrl(preset) {
    const attr = this.getAttribute('weights');
    if (attr === 'none') return null;
    if (!attr) return preset === 'standard' ? here('pkg/standard.ganvas') : null;
    const url = new URL(attr, document.baseURI);
    if (url.origin !== location.origin) {
      this.fail(`weights must come from this site (${location.origin}), not ${url.origin}`);
      return null;
    }
    return url.href;
  }

  start(init) {
    this.worker?.terminate();
    // The old worker will never answer: its pending requests (a grid being drawn) end now,
    // or the grid would wait for them forever.
    for (const resolve of this.requests.values()) resolve(null);
    this.requests.clear();
    const worker = new Worker(here('worker.js'), { type: 'module' });
    this.worker = worker;
    // A replaced worker's last messages (sent before it was stopped) are not this model's.
    worker.onmessage = ({ data }) => { if (worker === this.worker) this.onWorker(data); };
    this.worker.onerror = (e) => this.fail(e.message || 'the worker failed to start');
    this.setMessage(init.weights ? 'Loading the model and pretrained weights…' : 'Loading the model…');
    this.$('.score-every').value = this.scoreEvery();
    this.worker.postMessage({ type: 'init', ...init, scoreEvery: this.scoreEvery(), checkpointEvery: this.checkpointEvery() });
    this.$('.preset').value = init.preset;
    this.$('.backend-select').value = init.backend;
  }

  send(msg, transfer) { this.worker.postMessage(msg, transfer); }

  onWorker(msg) {
    switch (msg.type) {
      case 'ready': {
        this.info = msg.info;
        this.latent = msg.latent;
        this.preset = msg.preset;
        this.step = msg.step;
        this.history = msg.resumed ? (this.pendingHistory ?? []).filter((s) => s.step <= msg.step) : [];
        this.pendingHistory = null;
        this.scores = [];
        this.drawQuality();
        this.$('.grid').classList.remove('stale');
        this.gridZ = msg.grid.z;
        this.gridCols = msg.grid.cols;
        this.defaults = msg.defaults;
        for (const option of this.$('.recipe').options) option.title = msg.defaults.recipes[option.value] ?? '';
        this.elapsed = { ms: 0, since: this.running ? performance.now() : null };
        this.selected = this.target = null;
        this.$('.explore').classList.remove('active');
        this.$('.preset').value = msg.preset;
        this.showSettings(msg.settings);
        this.showElapsed();
        const adapter = msg.info.adapter ? ` (${[msg.info.adapter.vendor, msg.info.adapter.architecture].filter(Boolean).join(' ') || 'unknown adapter'}${msg.info.adapter.isFallbackAdapter ? ', software fallback' : ''})` : '';
        this.$('.backend').textContent = `${msg.info.backend === 'webgpu' ? 'WebGPU' : 'CPU'}${adapter}`;
        // After a lost GPU or a crash, the line says why training moved, not just what runs.
        this.$('.reason').textContent = `— ${this.recoveryNote ?? msg.info.reason}.`;
        if (msg.resumed) {
          const ms = this.resumeStarted != null ? performance.now() - this.resumeStarted : null;
          this.resumeMs = ms;
          this.setMessage(`${this.resumeNote ?? 'Resumed'} at step ${msg.step.toLocaleString('en')}${ms != null ? ` (${(ms / 1000).toFixed(1)} s)` : ''}.`);
          this.resumeNote = null;
          if (this.trainAfterResume) { this.trainAfterResume = false; this.train(); }
        } else {
          this.setMessage(`${msg.pretrained ? `Pretrained ${msg.preset} weights loaded (${msg.step.toLocaleString('en')} steps).` : `Fresh ${msg.preset} weights.`}`);
        }
        this.$('.step').textContent = msg.step.toLocaleString('en');
        this.readyInfo = null;
        this.redraw().then(() => {
          // Kept on the element too, for code that starts listening after the event.
          this.readyInfo = { ...msg.info, preset: msg.preset, step: msg.step };
          this.dispatchEvent(new CustomEvent('ready', { detail: this.readyInfo }));
        });
        this.drawChart();
        break;
      }
      case 'stats': {
        this.history.push(...msg.stats);
        if (this.history.length > 4000) this.history = this.history.filter((_, i) => i % 2 === 0);
        this.step = msg.step;
        this.$('.step').textContent = msg.step.toLocaleString('en');
        this.$('.speed').textContent = `${(1000 / msg.msPerStep).toFixed(1)} steps/s · ${msg.msPerStep.toFixed(1)} ms/step`;
        this.showElapsed();
        this.drawChart();
        if (msg.diverged) break; // the digits of a diverged generator are not worth drawing
        this.redraw();
        if (msg.hold > 0) this.setMessage(`The discriminator learns alone for ${msg.hold} more steps, so that it can judge the loaded generator before the generator follows it.`);
        else if (this.holding) this.setMessage('Both networks are training.');
        this.holding = msg.hold > 0;
        const last = msg.stats[msg.stats.length - 1];
        this.dispatchEvent(new CustomEvent('step', { detail: { ...last, msPerStep: msg.msPerStep } }));
        break;
      }
      case 'judge': this.reference = msg.reference; this.drawQuality(); break;
      case 'score': {
        if (this.scores.length && msg.score.step <= this.scores[this.scores.length - 1].step) this.scores = [];
        this.scores.push(msg.score);
        this.scoreCost = msg.cost;
        this.drawQuality();
        this.dispatchEvent(new CustomEvent('score', { detail: { ...msg.score, ms: msg.ms } }));
        break;
      }
      case 'quality-error': this.$('.quality-text').textContent = `Digit quality unavailable: ${msg.message}`; break;
      case 'paused':
        // Only the loop of the latest Train: an older one's late word must not stop this one.
        if (msg.seq === this.trainSeq) { this.setRunning(false); this.pausedAt = msg.step; }
        break;
      case 'checkpoint': this.checkpointed(msg); break;
      case 'diverged': {
        this.setRunning(false);
        this.$('.grid').classList.add('stale');
        this.fail(`Training diverged at step ${msg.step.toLocaleString('en')}: a loss became NaN or infinite, so training stopped.`, 'diverged');
        const restart = ['Train from scratch', () => this.$('.reset').click()];
        if (msg.goodStep != null) {
          this.notice(`Restore the last good state, from step ${msg.goodStep.toLocaleString('en')}?`, {
            yes: [`Restore step ${msg.goodStep.toLocaleString('en')}`, () => this.send({ type: 'restore' })], no: restart,
          });
        } else this.notice('No good state was kept yet.', { no: restart });
        this.dispatchEvent(new CustomEvent('diverged', { detail: msg }));
        break;
      }
      case 'restored':
        this.step = msg.step;
        this.history = this.history.filter((s) => s.step <= msg.step);
        this.$('.step').textContent = msg.step.toLocaleString('en');
        this.$('.grid').classList.remove('stale');
        this.setMessage(`Restored the state from step ${msg.step.toLocaleString('en')}; press Train to go on (a lower learning rate may help).`);
        this.drawChart();
        this.redraw();
        break;
      case 'device-lost': this.deviceLost(msg); break;
      case 'crashed': this.crashed(msg); break;
      case 'memory': this.requests.get(msg.id)?.(msg.memory); this.requests.delete(msg.id); break;
      case 'status': this.setMessage(msg.text); break;
      case 'settings': this.showSettings(msg.settings); break;
      case 'view': this.showSettings(msg.settings); this.redraw(); break;
      case 'loaded':
        this.forgetRun();
        this.step = msg.step;
        this.$('.step').textContent = msg.step.toLocaleString('en');
        this.setMessage(`Weights loaded (${msg.step.toLocaleString('en')} steps).`);
        this.redraw();
        break;
      case 'generated': this.requests.get(msg.id)?.(msg.pixels); this.requests.delete(msg.id); break;
      case 'weights': this.download(msg); break;
      case 'error': this.fail(msg.message, msg.during); break;
    }
  }

  /** A model the user chose replaces the run: recovery must not bring the old one back. */
  forgetRun() {
    this.lastCheckpoint = null;
    this.recoveryNote = null;
    this.recoveries = 0;
  }

  /** Keeps the newest checkpoint in memory and, unless saving is off, in IndexedDB. */
  async checkpointed({ bytes, step, preset, why, ms }) {
    this.lastCheckpoint = { bytes, step, preset };
    const record = { bytes, step, preset, history: this.history.slice(-4000), savedAt: Date.now(), backend: this.info?.backend };
    let saved = false, error = null;
    try { await saveRun(this.storeKey(), record); saved = true; } catch (e) { error = String(e?.message ?? e); }
    // Said once: training goes on, and a lost GPU or a crash still resumes from memory.
    if (error && !this.saveWarned) {
      this.saveWarned = true;
      this.setMessage(`Training cannot be saved in this browser (${error}); a reload will start afresh.`);
    }
    this.lastSaved = { step, why, ms, bytes: bytes.byteLength, saved, error };
    this.dispatchEvent(new CustomEvent('checkpoint', { detail: this.lastSaved }));
  }

  /** The GPU is gone: a CPU worker takes over from the last checkpoint. */
  deviceLost({ reason, message }) {
    if (this.info?.backend !== 'webgpu') return;
    const why = `The GPU was lost (${reason || 'unknown'}${message ? `: ${message}` : ''}).`;
    this.dispatchEvent(new CustomEvent('device-lost', { detail: { reason, message, step: this.lastCheckpoint?.step ?? null } }));
    this.recover(why, 'cpu', 'Continuing on the CPU');
  }

  /** The wasm module crashed: a new worker on the same backend takes over from the checkpoint. */
  crashed({ message, during }) {
    const why = `The model crashed (${message}).`;
    const from = this.lastCheckpoint?.step ?? null;
    this.dispatchEvent(new CustomEvent('crashed', { detail: { message, during, step: from } }));
    // Starting again is worth it once per checkpoint; a crash on start, or again before any
    // newer checkpoint, would only repeat.
    if (during === 'init' || (this.recoveries > 0 && this.recoveredFrom === from)) {
      this.setRunning(false);
      return this.fail(`${why} It happened again after a restart, so training has stopped; reload the page to try again.`, during);
    }
    this.recoveries = (this.recoveries ?? 0) + 1;
    this.recoveredFrom = from;
    this.recover(why, this.$('.backend-select').value, 'Restarted');
  }

  /** A new worker on `backend`, resumed from the last checkpoint (training on if it was). */
  recover(why, backend, verb) {
    const wasRunning = this.running;
    const from = this.lastCheckpoint;
    this.setRunning(false);
    this.recoveryNote = from ? `${why} ${verb} from the checkpoint at step ${from.step.toLocaleString('en')}` : `${why} ${verb} from the start (no checkpoint was kept yet)`;
    if (from) {
      this.resumeNote = `${why} ${verb} from the checkpoint`;
      this.resumeStarted = performance.now();
      this.pendingHistory = this.history;
      this.trainAfterResume = wasRunning;
    }
    // One message: the new worker starts from the checkpoint (or the opening weights).
    this.start({ backend, preset: from?.preset ?? this.preset, seed: 0, weights: from ? null : this.weightsUrl(this.preset), checkpoint: from?.bytes });
  }

  /** `{wasmBytes, deviceBytesInUse, deviceBytesReserved}` from the worker. */
  memory() {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.requests.set(id, resolve);
      this.send({ type: 'memory', id });
    });
  }

  showSettings(s) {
    this.$('.batch').value = s.batchSize;
    this.$('.lr-g').value = s.lrG;
    this.$('.lr-d').value = s.lrD;
    // Without a moving average there is only the live G to show.
    const view = this.$('.view');
    view.value = s.view;
    view.disabled = !(s.ema > 0);
    this.$('.shown').textContent = s.view === 'average' ? `average of G (decay up to ${+s.ema.toFixed(4)})` : 'live G';
  }

  /** Training time of this run: what the caption shows beside the step count. */
  elapsedMs() {
    const e = this.elapsed;
    return e ? e.ms + (e.since != null ? performance.now() - e.since : 0) : 0;
  }

  showElapsed() {
    const s = this.elapsedMs() / 1000;
    this.$('.elapsed').textContent = s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  }

  setMessage(text) { this.$('.message').textContent = text; this.$('.message').classList.remove('error'); }

  fail(message, during) {
    const m = this.$('.message');
    m.textContent = `⚠ ${message}`;
    m.classList.add('error');
    if (during === 'train' || during === 'step') this.setRunning(false);
    for (const [id, resolve] of this.requests) { resolve(null); this.requests.delete(id); }
    this.dispatchEvent(new CustomEvent('error', { detail: { message, during } }));
  }

  setRunning(on) {
    const e = this.elapsed;
    if (e && on && e.since == null) e.since = performance.now();
    if (e && !on && e.since != null) { e.ms += performance.now() - e.since; e.since = null; }
    this.running = on;
    this.$('.train').textContent = on ? 'Pause' : 'Train';
    this.$('.step-once').disabled = on;
  }

  /** Asks the worker for the digits of latent vectors `z` (k×latent values). */
  generate(z) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.requests.set(id, resolve);
      this.send({ type: 'generate', id, z });
    });
  }

  /** Redraws the grid and the exploration views. One request at a time; extra calls coalesce. */
  async redraw() {
    if (this.drawing) { this.redrawAgain = true; return; }
    this.drawing = true;
    try {
      do {
        this.redrawAgain = false;
        const pixels = await this.generate(this.gridZ);
        if (pixels) drawDigits(this.$('.grid'), pixels, this.gridCols);
        await this.drawExplore();
      } while (this.redrawAgain);
    } finally { this.drawing = false; }
  }

  zOf(i) { return Array.from(this.gridZ.subarray(i * this.latent, (i + 1) * this.latent)); }

  async drawExplore() {
    if (this.selected == null) return;
    const z = this.exploreZ;
    const t = Number(this.$('.morph-t').value);
    const current = this.target == null ? z : slerp(z, this.zOf(this.target), t);
    const strip = this.target == null ? [] : Array.from({ length: 10 }, (_, k) => slerp(z, this.zOf(this.target), k / 9));
    const pixels = await this.generate(Float32Array.from([...current, ...strip.flat()]));
    if (!pixels) return;
    drawDigits(this.$('.zoom'), pixels.subarray(0, 784), 1);
    if (strip.length) drawDigits(this.$('.morph-strip'), pixels.subarray(784), 10);
  }

  select(i, shift) {
    if (shift && this.selected != null && i !== this.selected) {
      this.target = i;
      this.$('.morph-hint').textContent = `Morphing digit ${this.selected + 1} → ${i + 1}.`;
    } else {
      this.selected = i;
      this.target = null;
      this.exploreZ = this.zOf(i);
      this.buildSliders();
      this.$('.morph-hint').textContent = 'Shift-click a second digit to morph between the two.';
    }
    this.$('.explore').classList.add('active');
    this.drawExplore();
  }

  buildSliders() {
    const box = this.$('.sliders');
    box.replaceChildren();
    for (let d = 0; d < SLIDERS; d++) {
      const label = document.createElement('label');
      label.textContent = `z${d}`;
      const input = document.createElement('input');
      Object.assign(input, { type: 'range', min: -3, max: 3, step: 0.05, value: this.exploreZ[d] });
      input.addEventListener('input', () => { this.exploreZ[d] = Number(input.value); this.drawExplore(); });
      label.append(input);
      box.append(label);
    }
  }

  drawChart() { drawChart(this.$('.chart'), this.history, Number(this.$('.smooth').value)); }

  /** The quality meter: digit score and Fréchet distance over steps, and the class histogram. */
  drawQuality() {
    const ref = this.reference, last = this.scores[this.scores.length - 1];
    const base = ref && last ? ref.baselines.find((b) => b.n >= last.n) ?? ref.baselines[ref.baselines.length - 1] : null;
    if (ref && last) {
      const cost = this.scoreCost != null ? ` Scoring takes ${(this.scoreCost * 100).toFixed(1)}% of training time.` : '';
      const of = last.view === 'average' ? 'the average of G' : 'live G';
      this.$('.quality-text').textContent = `Step ${last.step.toLocaleString('en')}, ${last.n} digits of ${of} judged: digit score ${last.digitScore.toFixed(2)} ` +
        `(real MNIST ${ref.testDigitScore.toFixed(2)}), Fréchet distance ${last.frechet.toFixed(1)} (real digits ${base.frechet.toFixed(1)}), ` +
        `ink ${(last.ink * 100).toFixed(1)}% (real ${(ref.testInk * 100).toFixed(1)}%).${cost}`;
    } else if (ref) {
      this.$('.quality-text').textContent = `Judge loaded (${(ref.testAccuracy * 100).toFixed(2)}% accurate on the MNIST test set); scoring…`;
    }
    drawQuality(this.$('.score-chart'), this.scores.map((s) => ({ step: s.step, value: s.digitScore })),
      { label: 'Digit score', color: '#29a8ab', ref: ref?.testDigitScore, refLabel: 'real MNIST', max: 10 });
    drawQuality(this.$('.frechet-chart'), this.scores.map((s) => ({ step: s.step, value: s.frechet })),
      { label: 'Fréchet distance', color: '#f3a712', ref: base?.frechet, refLabel: 'real digits', log: true });
    drawHistogram(this.$('.histogram'), last?.classShares, ref?.testClassShares);
  }

  download({ bytes, preset, step }) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    a.download = `ganvas-${preset}-step${step}.ganvas`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  applySettings() {
    this.send({ type: 'settings', batchSize: Number(this.$('.batch').value), lrG: Number(this.$('.lr-g').value), lrD: Number(this.$('.lr-d').value) });
  }

  wire() {
    this.$('.train').addEventListener('click', () => (this.running ? this.pause() : this.train()));
    this.$('.step-once').addEventListener('click', () => this.send({ type: 'step' }));
    // One click: fresh random weights, and training starts. Unless a preset was picked, the
    // network and recipe measured to draw digits soonest (the crate's defaults).
    this.$('.reset').addEventListener('click', () => {
      this.pause();
      this.forgetRun();
      const preset = this.presetPicked ? this.$('.preset').value : this.defaults?.preset;
      this.send({ type: 'reset', preset, recipe: this.$('.recipe').value, seed: Math.floor(Math.random() * 1e9) });
      this.train();
    });
    this.$('.view').addEventListener('change', () => this.send({ type: 'view', live: this.$('.view').value === 'live' }));
    this.$('.preset').addEventListener('change', () => {
      this.presetPicked = true;
      this.setRunning(false);
      this.forgetRun();
      this.send({ type: 'pause' });
      const preset = this.$('.preset').value;
      this.start({ backend: this.$('.backend-select').value, preset, seed: 0, weights: this.weightsUrl(preset) });
    });
    this.$('.backend-select').addEventListener('change', () => {
      this.setRunning(false);
      this.forgetRun();
      const preset = this.$('.preset').value;
      this.start({ backend: this.$('.backend-select').value, preset, seed: 0, weights: this.weightsUrl(preset) });
    });
    for (const sel of ['.batch', '.lr-g', '.lr-d']) this.$(sel).addEventListener('change', () => this.applySettings());
    this.$('.background').addEventListener('change', (e) => { e.target.dataset.chosen = e.target.value; });
    this.$('.smooth').addEventListener('input', () => this.drawChart());
    this.$('.score-every').addEventListener('change', () => {
      this.removeAttribute('score-every');
      this.send({ type: 'scoreEvery', every: this.scoreEvery() });
    });
    this.$('.download').addEventListener('click', () => this.send({ type: 'saveWeights' }));
    this.$('.upload-input').addEventListener('change', async (e) => {
      const file = e.target.files[0];
      e.target.value = '';
      if (!file) return;
      if (file.size > 64 << 20) return this.fail(`${file.name} is ${(file.size / 1048576).toFixed(0)} MB; weights files are a few MB`);
      const bytes = new Uint8Array(await file.arrayBuffer());
      this.setRunning(false);
      this.send({ type: 'pause' });
      this.send({ type: 'loadWeights', bytes }, [bytes.buffer]);
    });
    this.$('.grid').addEventListener('click', (e) => {
      const r = e.target.getBoundingClientRect(), cols = this.gridCols;
      const col = Math.floor(((e.clientX - r.left) / r.width) * cols), row = Math.floor(((e.clientY - r.top) / r.height) * GRID_ROWS);
      if (col >= 0 && col < cols && row >= 0 && row < GRID_ROWS) this.select(row * cols + col, e.shiftKey);
    });
    this.$('.morph-t').addEventListener('input', () => this.drawExplore());
  }
}

if (!customElements.get('ganvas-demo')) customElements.define('ganvas-demo', GanvasDemo);
