// The training worker: owns the wasm GAN so that the page's main thread only draws.
//
// Protocol (www/rpc.js is the page's side):
//  - requests `{id, type, ...args}`, each answered exactly once: `{id, ok: true, value}` or
//    `{id, ok: false, error: {kind, message}}`. `kind` is the wasm error's `.kind` (data,
//    weights, config, diverged, device, state, io), "crashed" for a wasm trap (a Rust panic),
//    else "internal". Types: init, train, pause, throttle, step, generate, score, restore,
//    reset, settings, view, loadWeights, loadCheckpoint, saveWeights, memory, scoreEvery,
//    checkpointEvery, chooseDevice (the `handlers` below say what each takes and answers).
//  - events `{event, ...}` without an id: stats (each chunk's losses), checkpoint (the whole
//    training state, for the page to keep), score and judge (the quality meter), status (a
//    line of progress), diverged, device-lost, crashed, quality-error, error (a failure of a
//    message sent without an id).
// `train` answers when its loop ends (`{step, reason: "paused" | "diverged" | "superseded"}`);
// meanwhile it trains in chunks, so that pause, generate and settings requests get in between.
// Every `scoreEvery` steps the judge scores the digits; every `checkpointEvery` steps, when
// training starts and when it pauses, the whole training state goes to the page (which keeps
// it for a lost GPU or a crash, and stores it for a reload). Every default comes from
// `Ganvas.defaults()`: the crate holds them, for the CLI and the page alike.
import { cachedBytes } from './mnist-cache.js';

// The wasm API, imported by `init` from `base`'s pkg/ with the .wasm beside it: the element's
// `base` attribute, else this file's folder. Glue and wasm always come from one build.
let Ganvas = null;

// Scheduling, not training: one chunk of steps per readback, adapted so that a chunk takes
// about CHUNK_MS (frequent enough to draw smoothly, rare enough to amortise the readback).
const CHUNK_MS = 100;
const MAX_CHUNK = 200;
const THROTTLE_IDLE = 9; // hidden tab, background="throttle": idle 9× each chunk's time, ~10% duty
// The folder of pkg/ and data/: the element's `base` attribute (given in `init`), else this
// file's folder, so that any origin or CDN path works. Every file below is found from it.
let base = new URL('./', import.meta.url);
const under = (path) => new URL(path, base);
// The pretrained weights pkg-scripts/build puts beside the wasm, by preset.
const SHIPPED = { standard: 'pkg/standard.ganvas' };
const DATA = 'data/mnist-train.gz';
const JUDGE = 'pkg/judge.ganvas';

// The WebGPU device burn asks for, caught on its way out so that its loss is noticed even
// when burn's own calls never return (and so that a test worker can destroy it).
let device = null;
let onGpu = false; // whether the model trains on it ("auto" may start one only to time it)
let deviceLost = false; // no call into the GAN after this: on a dead device it may never return
if (self.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const caught = await requestDevice.apply(this, args);
    device = caught;
    caught.lost.then((info) => {
      if (device !== caught || !onGpu) return;
      deviceLost = true;
      running = false;
      post({ event: 'device-lost', reason: info.reason, message: info.message });
    });
    return caught;
  };
}

let gan = null;
let crashed = false; // a wasm trap leaves the module unusable: the page starts a new worker
let defaults = null; // Ganvas.defaults(), once the module is loaded
let running = false;
let generation = 0; // a new `train` ends any loop still finishing its last chunk
let throttled = false;
let chunk = 10; // first guess; adapted after every chunk
let scoreEvery = 0;
let checkpointEvery = 0;
let judged = false; // whether the GAN has the judge
let sinceScore = { steps: 0, ms: 0 };
let scoreMs = 0;
let savedStep = -1; // step of the last checkpoint sent

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const failWith = (kind, message) => Object.assign(new Error(message), { kind });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A handler's answer whose buffers move to the page instead of being copied. */
const moving = (value, transfer) => ({ [MOVING]: true, value, transfer });
const MOVING = Symbol('moving');

/** The WebGPU device burn uses (null on the CPU): what a test worker destroys to lose it. */
export const gpuDevice = () => device;

/** The GAN, for calls made through the queue; throws with the reason when there is none. */
export function model() {
  if (crashed) throw failWith('crashed', 'the model crashed; a new one is starting');
  if (deviceLost) throw failWith('device', 'the GPU device was lost');
  if (!gan) throw failWith('state', 'the model has not started yet');
  return gan;
}

/**
 * The failure path every error goes through: a wasm trap (a Rust panic aborts) marks the
 * module dead and tells the page once (event `crashed`); anything else keeps the model as it
 * was. Returns the `{kind, message}` a reply carries.
 */
function failure(e, during) {
  const message = String(e?.message ?? e);
  if (e instanceof WebAssembly.RuntimeError) {
    running = false;
    if (!crashed) {
      crashed = true;
      gan = null;
      post({ event: 'crashed', during, message });
    }
    return { kind: 'crashed', message };
  }
  return { kind: typeof e?.kind === 'string' ? e.kind : 'internal', message };
}

/** `options`: fetch's, e.g. `{credentials}` for weights from another origin (`crossorigin`). */
async function fetchBytes(url, what, options = {}) {
  let res;
  try { res = await fetch(url, { mode: 'cors', ...options }); } catch (e) {
    // A network error, or (what the browser does not say) a server on another origin without CORS.
    throw failWith('io', `${what}: ${url} could not be fetched (${e?.message ?? e}); from another origin, its server must send Access-Control-Allow-Origin`);
  }
  if (!res.ok) throw failWith('io', `${what}: ${url} answered ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The training digits, once: from the browser's cache when a checked copy is there (mnist-cache.js). */
async function ensureData() {
  if (model().hasData()) return;
  const loading = () => post({ event: 'status', text: 'Loading the 60,000 MNIST training digits (9.7 MB)…' });
  let gz, from;
  try { ({ bytes: gz, from } = await cachedBytes(under(DATA), { onDownload: loading })); } catch (e) {
    throw failWith('data', `${e?.message ?? e}; training was not started`);
  }
  let bytes;
  try {
    bytes = new Uint8Array(await new Response(new Response(gz).body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  } catch (e) {
    throw failWith('data', `bad MNIST data: ${under(DATA)} is not a valid gzip file (${e?.message ?? e}); training was not started`);
  }
  let n;
  try { n = model().setData(bytes); } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw e;
    throw failWith(e?.kind ?? 'data', `${e?.message ?? e}; training was not started`);
  }
  post({ event: 'status', text: `Loaded ${n.toLocaleString('en')} MNIST digits${from === 'cache' ? " from the browser's cache" : ''}.` });
}

/** What the page needs to show a model: `init`, `reset` and `loadCheckpoint` answer it. */
function modelInfo({ pretrained = false, resumed = false } = {}) {
  const g = model();
  const cols = g.gridColumns(), rows = defaults.gridRows;
  return {
    info: g.backendInfo(), preset: g.preset(), step: g.step(), latent: g.latent(), classes: g.classes(),
    grid: { cols, rows, z: g.latents(cols * rows, defaults.gridSeed) }, settings: g.settings(),
    defaults, scoreEvery, checkpointEvery, pretrained, resumed,
  };
}

/** A fresh start of the score and checkpoint clocks: the model changed under them. */
function newModel(saved = -1) {
  sinceScore = { steps: 0, ms: 0 };
  savedStep = saved;
}

// The quality meter is an extra: if the judge cannot load, the demo goes on without it. A
// score the page asks for (`requested`: a new model, view or state) has no share of training
// time and leaves the periodic schedule as it was.
async function score(requested = false) {
  if (scoreEvery === 0) return null;
  try {
    if (!judged) {
      const reference = model().loadJudge(await fetchBytes(under(JUDGE), 'the judge'));
      judged = true;
      post({ event: 'judge', reference });
    }
    const t0 = performance.now();
    const result = await model().score(defaults.scoreN);
    scoreMs = performance.now() - t0;
    const cost = !requested && sinceScore.ms > 0 ? scoreMs / (sinceScore.ms + scoreMs) : null;
    if (!requested) sinceScore = { steps: 0, ms: 0 };
    post({ event: 'score', score: result, ms: scoreMs, cost });
    return result;
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError || crashed || deviceLost) throw e;
    scoreEvery = 0;
    post({ event: 'quality-error', message: String(e?.message ?? e) });
    return null;
  }
}

/** Whether the meter is due: enough steps, and enough training time that scoring stays cheap. */
function scoreDue() {
  const share = defaults.maxScoreShare;
  return scoreEvery > 0 && sinceScore.steps >= scoreEvery && sinceScore.ms * share >= scoreMs * (1 - share);
}

/** Sends the whole training state to the page, which keeps it (see the header). */
async function checkpoint(why) {
  const g = model();
  if (checkpointEvery === 0 || savedStep === g.step()) return;
  const t0 = performance.now();
  const bytes = await g.checkpoint();
  savedStep = g.step();
  post({ event: 'checkpoint', why, bytes, step: savedStep, preset: g.preset(), ms: performance.now() - t0 }, [bytes.buffer]);
}

/** Runs a chunk; its time in ms, or false when a loss came back NaN or infinite. */
async function trainChunk(steps) {
  const g = model();
  const t0 = performance.now();
  const stats = await g.train(steps);
  const ms = performance.now() - t0;
  sinceScore.steps += steps;
  sinceScore.ms += ms;
  const at = g.divergedAt();
  // Steps from the bad one on are not shown: their digits and losses mean nothing.
  const good = at == null ? stats : stats.filter((s) => s.step < at);
  post({ event: 'stats', stats: good, msPerStep: ms / steps, step: g.step(), hold: g.generatorHold(), diverged: at != null });
  if (at == null) return ms;
  running = false;
  post({ event: 'diverged', step: at, goodStep: g.lastGoodStep() ?? null });
  return false;
}

async function trainLoop(mine) {
  await enqueue(ensureData);
  // So that a GPU lost early resumes from here (a diverged state is not worth keeping).
  await enqueue(() => (model().divergedAt() == null ? checkpoint('start') : null));
  while (running && mine === generation) {
    const ms = await enqueue(() => trainChunk(chunk));
    if (ms === false) return 'diverged';
    if (scoreDue()) await enqueue(() => score());
    if (checkpointEvery > 0 && model().step() - savedStep >= checkpointEvery) await enqueue(() => checkpoint('every'));
    chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round(chunk * (CHUNK_MS / Math.max(ms, 1)))));
    await sleep(throttled ? ms * THROTTLE_IDLE : 0); // lets `pause` and `generate` in
  }
  return mine === generation ? 'paused' : 'superseded';
}

/** Each request type: `(message) → value` (or `moving(value, buffers)`). */
export const handlers = {
  /**
   * `{backend, preset?, seed?, weights?: url|null, credentials?, base?, checkpoint?: bytes,
   * scoreEvery?, checkpointEvery?}` → model info. `base`: the folder of pkg/ and data/;
   * `credentials`: fetch's, for `weights` (the element's `crossorigin`).
   */
  async init({ backend, preset, seed, weights, credentials, base: root, checkpoint: bytes, scoreEvery: every, checkpointEvery: save }) {
    if (gan || crashed) throw failWith('state', 'this worker already holds a model');
    base = new URL(root ?? './', import.meta.url);
    const wasm = await import(under('pkg/ganvas.js').href);
    await wasm.default();
    Ganvas = wasm.Ganvas;
    defaults = Ganvas.defaults();
    scoreEvery = every ?? defaults.scoreEvery;
    checkpointEvery = save ?? defaults.checkpointEvery;
    gan = await Ganvas.create({ backend, preset: preset ?? defaults.preset, seed });
    onGpu = gan.backendInfo().backend === 'webgpu';
    if (bytes) {
      gan.loadCheckpoint(bytes);
      newModel(gan.step());
      return modelInfo({ resumed: true });
    }
    // No `weights` given: the shipped ones of the preset, if any.
    const shipped = SHIPPED[gan.preset()];
    const url = weights === undefined ? (shipped ? under(shipped).href : null) : weights;
    if (url) gan.loadWeights(await fetchBytes(url, 'pretrained weights', weights ? { credentials } : {}));
    return modelInfo({ pretrained: !!url });
  },
  /** Trains until paused → `{step, reason}`. Not queued: its loop queues one chunk at a time. */
  async train() {
    running = true;
    const mine = ++generation;
    let reason;
    try { reason = await trainLoop(mine); } catch (e) {
      if (mine === generation) running = false;
      throw e;
    }
    if (mine !== generation) return { step: gan?.step() ?? null, reason };
    running = false;
    // In the queue: a call still running there may hold the GAN mutably.
    return enqueue(async () => {
      if (reason === 'paused') await checkpoint('pause');
      return { step: model().step(), reason };
    });
  },
  /** Ends the training loop after its current chunk (not queued). */
  async pause() { running = false; return null; },
  /** `{on}`: a hidden tab trains at about a tenth of the pace (not queued). */
  async throttle({ on }) { throttled = !!on; return null; },
  /** One step, unless training → `{step, diverged}`. */
  async step() {
    if (running) return { step: model().step(), diverged: false };
    await ensureData();
    const ok = await trainChunk(1);
    return { step: model().step(), diverged: ok === false };
  },
  /** `{z}` (k × latent values) → k × 784 pixel bytes. */
  async generate({ z }) {
    const pixels = await model().generate(z);
    return moving(pixels, [pixels.buffer]);
  },
  /** Scores now (events judge/score, or quality-error) → the score or null when off. */
  async score() { return score(true); },
  /** Back to the last good state after a divergence → `{step}`. */
  async restore() {
    const step = model().restore();
    newModel(savedStep);
    return { step };
  },
  /** `{preset?, seed, recipe?}`: fresh weights → model info. */
  async reset({ preset, seed, recipe }) {
    model().reset(preset ?? undefined, seed, recipe ?? undefined);
    newModel();
    return modelInfo();
  },
  /** `{bytes}`: a saved run → model info (`resumed`). A bad file changes nothing. */
  async loadCheckpoint({ bytes }) {
    running = false;
    model().loadCheckpoint(bytes);
    newModel(gan.step());
    return modelInfo({ resumed: true });
  },
  /** `{bytes}`: generator weights of this preset → `{step}`. A bad file changes nothing. */
  async loadWeights({ bytes }) {
    const g = model();
    const preset = Ganvas.weightsPreset(bytes); // throws with the reason on a bad file
    if (preset !== g.preset()) {
      throw failWith('weights', `this file holds ${preset} weights but the model is ${g.preset()}: switch the preset first`);
    }
    running = false;
    g.loadWeights(bytes);
    newModel();
    return { step: g.step() };
  },
  /** `{batchSize, lrG, lrD}` → the settings now. */
  async settings({ batchSize, lrG, lrD }) {
    const g = model();
    g.setBatchSize(batchSize);
    g.setLearningRates(lrG, lrD);
    return g.settings();
  },
  /** `{live}`: which generator the grid shows and the meter scores → the settings now. */
  async view({ live }) {
    model().setLive(!!live);
    return model().settings();
  },
  /** → `{bytes, preset, step}`: a generator file for the Download button. */
  async saveWeights() {
    const bytes = await model().saveWeights();
    return moving({ bytes, preset: gan.preset(), step: gan.step() }, [bytes.buffer]);
  },
  /**
   * backend "auto": times training on the CPU and on WebGPU and moves the run to the faster
   * → the backend info (with `measured`); otherwise the info as it was.
   */
  async chooseDevice() {
    const g = model();
    if (!g.measuresDevices()) return g.backendInfo();
    post({ event: 'status', text: 'Timing training on the CPU and on WebGPU, to train on the faster…' });
    const info = await g.chooseDevice();
    onGpu = info.backend === 'webgpu';
    return info;
  },
  /** → `{wasmBytes, deviceBytesInUse?, deviceBytesReserved?}`. */
  async memory() { return model().memory(); },
  /** `{every}`: steps between scores (0 = off); null = the default. */
  async scoreEvery({ every }) { scoreEvery = every ?? defaults?.scoreEvery ?? scoreEvery; return scoreEvery; },
  /** `{every}`: steps between checkpoints (0 = none); null = the default. */
  async checkpointEvery({ every }) { checkpointEvery = every ?? defaults?.checkpointEvery ?? checkpointEvery; return checkpointEvery; },
};

// Not queued: they must act while a chunk runs (train queues its own pieces).
const DIRECT = new Set(['train', 'pause', 'throttle']);

// Every call into the GAN goes through one queue: its methods borrow it across awaits, and a
// second call in the meantime would be refused by wasm-bindgen. Training enqueues one chunk at
// a time, so settings, generate and pause requests get in between chunks.
let queue = Promise.resolve();
function enqueue(fn) {
  const result = queue.then(fn);
  queue = result.catch(() => {});
  return result;
}

/**
 * Runs one message through the queue and the failure path, as `onmessage` does, and answers
 * it: a reply when it has an id; without one, only a failure is reported (event `error`).
 */
export function dispatch(msg) {
  const { id, type } = msg ?? {};
  const handler = Object.hasOwn(handlers, type) ? handlers[type] : null;
  const run = !handler ? Promise.reject(failWith('internal', `unknown request "${type}"`))
    : DIRECT.has(type) ? Promise.resolve().then(() => handler(msg))
      : enqueue(() => handler(msg));
  return run.then((answer) => {
    if (id == null) return;
    if (answer?.[MOVING]) post({ id, ok: true, value: answer.value }, answer.transfer);
    else post({ id, ok: true, value: answer ?? null });
  }).catch((e) => {
    const error = failure(e, type);
    if (id != null) post({ id, ok: false, error });
    else post({ event: 'error', during: type, ...error });
  });
}

self.onmessage = ({ data }) => void dispatch(data);
