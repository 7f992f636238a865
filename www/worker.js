// The training worker: owns the wasm GAN so that the page's main thread only draws.
//
// Protocol (www/rpc.js is the page's side):
//  - requests `{id, type, ...args}`, each answered exactly once: `{id, ok: true, value}` or
//    `{id, ok: false, error: {kind, message}}`. `kind` is the wasm error's `.kind` (data,
//    weights, config, diverged, device, state, io), "crashed" for a wasm trap (a Rust panic),
//    else "internal". Types: init, train, pause, throttle, step, generate, score, restore,
//    reset, settings, view, loadWeights, loadCheckpoint, saveWeights, memory, scoreEvery,
//    checkpointEvery, chooseDevice, until, dview, nearest (the `handlers` below say what each
//    takes and answers).
//  - events `{event, ...}` without an id: stats (each chunk's losses), checkpoint (the whole
//    training state, for the page to keep), score and judge (the quality meter), status (a
//    line of progress), diverged, device-lost, crashed, quality-error, error (a failure of a
//    message sent without an id).
// `train` answers when its loop ends (`{step, reason: "paused" | "diverged" | "superseded"}`);
// meanwhile it trains in chunks, so that pause, generate and settings requests get in between.
// Given `until` (a step), the loop pauses exactly there: the chunk that reaches it is cut short.
// Chunks change nothing but when the page hears: each step's batch comes from (seed, step).
// Every `scoreEvery` steps the judge scores the digits; every `checkpointEvery` steps, when
// training starts and when it pauses, the whole training state goes to the page (which keeps
// it for a lost GPU or a crash, and stores it for a reload). Every default comes from
// `Ganvas.defaults()`: the crate holds them, for the CLI and the page alike.
import { cachedBytes } from './mnist-cache.js';
import { labelsOf } from './picker.js';

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
const SHIPPED = { standard: 'pkg/standard.ganvas', conditional: 'pkg/conditional.ganvas', conv: 'pkg/conv.ganvas' };
const DATA = 'data/mnist-train.gz';
const JUDGE = 'pkg/judge.ganvas';
// D's view: the same real digits and generator inputs each time, so that what changes is D's opinion.
const DVIEW_N = 8;
const DVIEW_SEED = 8;
let dviewReal = null; // its real digits `{pixels, labels}`: the training data of a worker never changes

/**
 * D's view's real digits, drawn once (after `ensureData`); the training loop draws them
 * before its first chunk rather than between two.
 */
function dviewRealDigits() {
  if (!dviewReal) {
    const { pixels, labels } = model().realDigits(DVIEW_N, DVIEW_SEED);
    dviewReal = { pixels: Uint8Array.from(pixels), labels: Uint8Array.from(labels) };
  }
  return dviewReal;
}

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
let until = null; // the step the training loop pauses at (`train`'s, or `until`'s), or null

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
/** `outcome`: what the failure means for the request that needed the digits. */
async function ensureData(outcome = 'training was not started') {
  if (model().hasData()) return;
  const loading = () => post({ event: 'status', text: 'Loading the 60,000 MNIST training digits (9.7 MB)…' });
  let gz, from;
  try { ({ bytes: gz, from } = await cachedBytes(under(DATA), { onDownload: loading })); } catch (e) {
    throw failWith('data', `${e?.message ?? e}; ${outcome}`);
  }
  let bytes;
  try {
    bytes = new Uint8Array(await new Response(new Response(gz).body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  } catch (e) {
    throw failWith('data', `bad MNIST data: ${under(DATA)} is not a valid gzip file (${e?.message ?? e}); ${outcome}`);
  }
  let n;
  try { n = model().setData(bytes); } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw e;
    throw failWith(e?.kind ?? 'data', `${e?.message ?? e}; ${outcome}`);
  }
  post({ event: 'status', text: `Loaded ${n.toLocaleString('en')} MNIST digits${from === 'cache' ? " from the browser's cache" : ''}.` });
}

/**
 * What the page needs to show a model: `init`, `reset` and `loadCheckpoint` answer it. `run`:
 * `{seed, recipe}` of fresh weights (what a link to the run holds), null for loaded ones;
 * `refused`: why a recipe or setting asked for at `init` was not used, or null.
 */
function modelInfo({ pretrained = false, resumed = false, run = null, refused = null } = {}) {
  const g = model();
  const cols = g.gridColumns(), rows = defaults.gridRows;
  return {
    info: g.backendInfo(), preset: g.preset(), step: g.step(), latent: g.latent(), classes: g.classes(), pack: g.pack(),
    grid: { cols, rows, z: g.latents(cols * rows, defaults.gridSeed) }, settings: g.settings(),
    defaults, scoreEvery, checkpointEvery, pretrained, resumed, run, refused,
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

/**
 * Steps the next chunk runs: `chunk`, cut short at `until` (0 there: the loop pauses). A stop
 * already passed (`until` below the step) is ignored: training on past it is asked for.
 */
function chunkSize() {
  const step = model().step();
  return until != null && until >= step ? Math.min(chunk, until - step) : chunk;
}

async function trainLoop(mine) {
  await enqueue(() => ensureData());
  // D's view's real digits, before training rather than between two chunks; an extra: a
  // failure here is D's view's to report (its own request), never training's.
  await enqueue(() => { try { dviewRealDigits(); } catch (e) { if (e instanceof WebAssembly.RuntimeError) throw e; } });
  // So that a GPU lost early resumes from here (a diverged state is not worth keeping).
  await enqueue(() => (model().divergedAt() == null ? checkpoint('start') : null));
  while (running && mine === generation) {
    const ran = await enqueue(async () => {
      const steps = chunkSize();
      return steps > 0 ? { steps, ms: await trainChunk(steps) } : null;
    });
    if (ran === null) break; // at `until`
    const { steps, ms } = ran;
    if (ms === false) return 'diverged';
    if (scoreDue()) await enqueue(() => score());
    if (checkpointEvery > 0 && model().step() - savedStep >= checkpointEvery) await enqueue(() => checkpoint('every'));
    chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round(steps * (CHUNK_MS / Math.max(ms, 1)))));
    await sleep(throttled ? ms * THROTTLE_IDLE : 0); // lets `pause` and `generate` in
  }
  return mine === generation ? 'paused' : 'superseded';
}

/** `name` when it is one of the crate's recipes (null when not given); else null, and why in `refused`. */
function recipeNamed(name, refused) {
  if (name == null) return null;
  const names = defaults.recipes.map((r) => r.name);
  if (names.includes(name)) return name;
  refused.push(`recipe="${name}" is not one of ${names.join(', ')}; the default is used`);
  return null;
}

/** The recipe whose settings fresh weights have (`Ganvas.create` names none), or null. */
function recipeOf(s) {
  return defaults.recipes.find((r) => r.batchSize === s.batchSize && r.lrG === s.lrG && r.lrD === s.lrD)?.name ?? null;
}

/** `init`'s `{batchSize?, lrG?, lrD?}` on the new model; each one the crate refuses is said in `refused`. */
function applySettings({ batchSize, lrG, lrD } = {}, refused) {
  const g = model();
  const s = g.settings();
  const tried = (what, fn) => {
    try { fn(); } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) throw e;
      refused.push(`${what} was refused (${e?.message ?? e}); the recipe's is used`);
    }
  };
  if (batchSize != null) tried(`batch="${batchSize}"`, () => g.setBatchSize(batchSize));
  if (lrG != null || lrD != null) tried(`lr-g="${lrG ?? s.lrG}", lr-d="${lrD ?? s.lrD}"`, () => g.setLearningRates(lrG ?? s.lrG, lrD ?? s.lrD));
}

/** Each request type: `(message) → value` (or `moving(value, buffers)`). */
export const handlers = {
  /**
   * `{backend, preset?, seed?, recipe?, settings?: {batchSize?, lrG?, lrD?}, weights?: url|null,
   * credentials?, base?, checkpoint?: bytes, scoreEvery?, checkpointEvery?}` → model info.
   * `base`: the folder of pkg/ and data/; `credentials`: fetch's, for `weights` (the element's
   * `crossorigin`). A run: fresh weights from `seed` with `recipe`, then `settings` (a
   * checkpoint keeps its own); one the crate refuses is said in `refused` and not used.
   */
  async init({ backend, preset, seed, recipe, settings, weights, credentials, base: root, checkpoint: bytes, scoreEvery: every, checkpointEvery: save }) {
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
    const refused = [];
    const made = recipeNamed(recipe, refused) ?? recipeOf(gan.settings());
    if (recipe != null && made === recipe) gan.reset(gan.preset(), seed ?? 0, recipe);
    // No `weights` given: the shipped ones of the preset, if any.
    const shipped = SHIPPED[gan.preset()];
    const url = weights === undefined ? (shipped ? under(shipped).href : null) : weights;
    if (url) gan.loadWeights(await fetchBytes(url, 'pretrained weights', weights ? { credentials } : {}));
    applySettings(settings, refused);
    const run = url ? null : { seed: seed ?? 0, recipe: made };
    return modelInfo({ pretrained: !!url, run, refused: refused.join('; ') || null });
  },
  /**
   * `{until?}`: trains until paused, or until that step → `{step, reason}`. Not queued: its
   * loop queues one chunk at a time.
   */
  async train({ until: stop = null } = {}) {
    running = true;
    until = stop;
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
  /** `{step}`: the running loop pauses at that step instead (null: it trains on; one already
   * reached: as soon as the chunk in flight ends) (not queued). */
  async until({ step }) {
    until = step ?? null;
    // Already reached (the page heard of the step late): pause after the chunk in flight.
    if (until != null && gan && until <= gan.step()) running = false;
    return null;
  },
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
  /**
   * D's view: 8 real training digits and 8 generated ones (the shown generator, from fixed
   * latents: a conditional net's ask for 0–7), each with D's probability "real" (a pack's
   * digits share theirs) → `{step, pack, real: {pixels, labels, p}, fake: {pixels, labels, p}}`
   * (pixels 8 × 784 bytes; labels null for an unconditional net). Loads the training digits first.
   */
  async dview() {
    await ensureData("D's view was not drawn");
    const g = model();
    const classes = g.classes(), latent = g.latent();
    const real = dviewRealDigits();
    const realPixels = real.pixels.slice(); // moved to the page; the kept copy stays
    const z = g.latents(DVIEW_N, DVIEW_SEED);
    const fakePixels = await g.generate(z);
    // A conditional net's latents end in the one-hot label they ask for.
    const fakeLabels = Uint8Array.from(labelsOf(z, latent, classes) ?? []);
    const realLabels = classes ? real.labels : new Uint8Array(0);
    const realP = await g.discriminate(realPixels, realLabels);
    const fakeP = await g.discriminate(fakePixels, fakeLabels);
    const row = (pixels, labels, p) => ({ pixels, labels: classes ? Array.from(labels) : null, p: Array.from(p) });
    return moving({ step: g.step(), pack: g.pack(), real: row(realPixels, realLabels, realP), fake: row(fakePixels, fakeLabels, fakeP) },
      [realPixels.buffer, fakePixels.buffer]);
  },
  /**
   * `{pixels, k}` (one digit, 784 bytes): the k training digits nearest to it in pixel space →
   * `{indices, labels, pixels (k × 784 bytes), distances}`, nearest first. Loads the training
   * digits first (9.7 MB once, said in a status event).
   */
  async nearest({ pixels, k = 3 }) {
    await ensureData('the nearest training digits were not looked up');
    const r = model().nearest(pixels, k);
    const found = r.pixels;
    return moving({ indices: Array.from(r.indices), labels: Array.from(r.labels), distances: Array.from(r.distances), pixels: found }, [found.buffer]);
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
    return modelInfo({ run: { seed, recipe: recipe ?? defaults.recipe } });
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
const DIRECT = new Set(['train', 'pause', 'throttle', 'until']);

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
