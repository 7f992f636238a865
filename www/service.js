// The training worker's service: it owns the wasm GAN so that the page's main thread only
// draws, and answers the requests protocol.js lists (rpc.js is the page's side). Everything
// about the model (its inputs, recipes, settings, divergence, D's view) is the crate's: this
// file schedules, fetches and reports.
//
// `train` answers when its loop ends; meanwhile it trains in chunks, so that pause, generate
// and settings requests get in between. Given `until` (a step), the loop pauses exactly there:
// the chunk that reaches it is cut short. Chunks change nothing but when the page hears: each
// step's batch comes from (seed, step). Every `scoreEvery` steps the judge scores the digits;
// every `checkpointEvery` steps, when training starts and when it pauses, the whole training
// state goes to the page (which keeps it for a lost GPU or a crash, and stores it for a
// reload). Every default comes from `Ganvas.defaults()`: the crate holds them, for the CLI
// and the page alike.
import { cachedBytes } from './mnist-cache.js';
import { DIRECT, REQUESTS } from './protocol.js';
import { readData } from './read-data.js';

// Scheduling, not training: one chunk of steps per readback, adapted so that a chunk takes
// about CHUNK_MS (frequent enough to draw smoothly, rare enough to amortise the readback).
const CHUNK_MS = 100;
const MAX_CHUNK = 200;
const THROTTLE_IDLE = 9; // hidden tab, background="throttle": idle 9× each chunk's time, ~10% duty
// The two builds of the wasm (pkg-scripts/build): every run starts in the CPU-only one (a
// quarter of the other's size), unless WebGPU is asked for; "auto" moves a run into the one
// with WebGPU only when it has a hardware adapter to time (`intoWebgpu`).
const MODULES = { cpu: 'pkg/ganvas.js', webgpu: 'pkg/ganvas_webgpu.js' };
// The pretrained weights pkg-scripts/build puts beside the wasm, by preset; the data and the
// judge, all found from `base` (the element's attribute, else this file's folder).
const SHIPPED = { standard: 'pkg/standard.ganvas', conditional: 'pkg/conditional.ganvas', conv: 'pkg/conv.ganvas' };
const DATA = 'data/mnist-train.gz';
const JUDGE = 'pkg/judge.ganvas';

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const failWith = (kind, message) => Object.assign(new Error(message), { kind });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MOVING = Symbol('moving');
/** A handler's answer whose buffers move to the page instead of being copied. */
const moving = (value, transfer) => ({ [MOVING]: true, value, transfer });
/** A wasm trap (a Rust panic aborts): never caught as an ordinary failure. */
const trapped = (e) => e instanceof WebAssembly.RuntimeError;

/** The worker's state: one model, its schedule, and what the page was last told. */
const state = {
  base: new URL('./', import.meta.url),
  Ganvas: null, // the wasm API, imported by `init` from `base`'s pkg/ (glue and wasm from one build)
  Images: null, // the same module's own-image reader
  own: null, // own training data in use, {bundle, classes, description} (null: MNIST's digits)
  gan: null,
  created: null, // serve()'s `created(gan)`, told of every model made (the tests' switches)
  defaults: null, // Ganvas.defaults(), once the module is loaded
  crashed: false, // a wasm trap leaves the module unusable: the page starts a new worker
  device: null, // the WebGPU device burn asked for (see watchDevice)
  onGpu: false, // whether the model trains on it ("auto" may start one only to time it)
  deviceLost: false, // no call into the GAN after this: on a dead device it may never return
  running: false,
  reading: new Set(), // reads of own data in progress (readData): training waits for them
  generation: 0, // a new `train` ends any loop still finishing its last chunk
  throttled: false,
  chunk: 10, // first guess; adapted after every chunk
  until: null, // the step the training loop pauses at, or null
  scoreEvery: 0,
  checkpointEvery: 0,
  judge: null, // the judge's bytes, once fetched (a run moved to the WebGPU module takes them along)
  sinceScore: { steps: 0, ms: 0 },
  scoreMs: 0,
  savedStep: -1, // step of the last checkpoint sent
};
const under = (path) => new URL(path, state.base);

/**
 * Catches the WebGPU device burn asks for on its way out, so that its loss is noticed even when
 * burn's own calls never return.
 */
function watchDevice() {
  if (!self.GPUAdapter) return;
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const caught = await requestDevice.apply(this, args);
    state.device = caught;
    caught.lost.then((info) => {
      if (state.device !== caught || !state.onGpu) return;
      state.deviceLost = true;
      state.running = false;
      post({ event: 'device-lost', reason: info.reason, message: info.message });
    });
    return caught;
  };
}

/** The GAN, for calls made through the queue; throws with the reason when there is none. */
function model() {
  if (state.crashed) throw failWith('crashed', 'the model crashed; a new one is starting');
  if (state.deviceLost) throw failWith('device', 'the GPU device was lost');
  if (!state.gan) throw failWith('state', 'the model has not started yet');
  return state.gan;
}

/**
 * The failure path every error goes through: a wasm trap marks the module dead and tells the
 * page once (event `crashed`); anything else keeps the model as it was. Returns the `{kind,
 * message}` a reply carries.
 */
function failure(e, during) {
  const message = String(e?.message ?? e);
  if (trapped(e)) {
    state.running = false;
    if (!state.crashed) {
      state.crashed = true;
      state.gan = null;
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

/**
 * The training digits, once: from the browser's cache when a checked copy is there
 * (mnist-cache.js). `outcome`: what a failure means for the request that needed them.
 */
async function ensureData(outcome = 'training was not started') {
  if (model().hasData()) return;
  if (state.own) return void model().setOwnData(state.own.bundle, state.own.classes);
  await giveMnist(outcome);
}

/** MNIST's training digits, from the browser's cache when a checked copy is there. */
async function giveMnist(outcome) {
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
    if (trapped(e)) throw e;
    throw failWith(e?.kind ?? 'data', `${e?.message ?? e}; ${outcome}`);
  }
  post({ event: 'status', text: `Loaded ${n.toLocaleString('en')} MNIST digits${from === 'cache' ? " from the browser's cache" : ''}.` });
}

/** One of the MODULES, loaded (once: the browser keeps a module imported): its `Ganvas` API and
 * `Images` reader. */
async function load(which) {
  const wasm = await import(under(MODULES[which]).href);
  await wasm.default();
  return wasm;
}

/**
 * Moves the run into the WebGPU module, for "auto" to time WebGPU on a hardware adapter: its
 * whole training state goes over as a checkpoint (as after a lost GPU), with the view and the
 * judge, so that it goes on exactly as it would have; the training data is given again when
 * next needed. Returns null, or why the run stays in the CPU module (nothing changed).
 */
async function intoWebgpu() {
  const old = model();
  post({ event: 'status', text: 'Loading the WebGPU module, to time training on WebGPU…' });
  let Ganvas, Images;
  try { ({ Ganvas, Images } = await load('webgpu')); } catch (e) {
    return `running on the CPU: the WebGPU module (${under(MODULES.webgpu)}) could not be loaded (${e?.message ?? e})`;
  }
  const bytes = await old.checkpoint();
  const g = await Ganvas.create({ backend: 'auto', preset: old.preset() });
  try {
    g.loadCheckpoint(bytes);
    g.setLive(old.view() === 'live');
    if (state.judge) g.loadJudge(state.judge);
    if (state.own) g.setOwnData(state.own.bundle, state.own.classes);
    state.created?.(g);
  } catch (e) {
    g.free();
    throw e;
  }
  Object.assign(state, { Ganvas, Images, gan: g });
  old.free();
  return null;
}

/** What the page needs to show a model (protocol.js `ModelInfo`). */
function modelInfo({ pretrained = false, resumed = false, refused = null } = {}) {
  const g = model();
  return {
    info: g.backendInfo(), preset: g.preset(), step: g.step(), latent: g.latent(), classes: g.drawnClasses(), pack: g.pack(),
    own: state.own ? { classes: state.own.classes, description: state.own.description } : null, netClasses: g.classes(),
    grid: g.grid(), settings: g.settings(), defaults: state.defaults, scoreEvery: state.scoreEvery,
    checkpointEvery: state.checkpointEvery, pretrained, resumed, run: g.run(), refused,
  };
}

/** A fresh start of the score and checkpoint clocks: the model changed under them. */
function newModel(saved = -1) {
  state.sinceScore = { steps: 0, ms: 0 };
  state.savedStep = saved;
}

// The quality meter is an extra: if the judge cannot load (or own data cannot be measured),
// the demo goes on without it (and scoring stays off). A score the page asks for
// (`requested`: a new model, view or state) has no share of training time and leaves the
// periodic schedule as it was.
async function score(requested = false) {
  if (state.scoreEvery === 0) return null;
  try {
    if (state.own) return await likeness(requested);
    if (!state.judge) {
      const bytes = await fetchBytes(under(JUDGE), 'the judge');
      const reference = model().loadJudge(bytes);
      state.judge = bytes;
      post({ event: 'judge', reference });
    }
    return await measure(requested, 'score', () => model().score(state.defaults.scoreN));
  } catch (e) {
    if (trapped(e) || state.crashed || state.deviceLost) throw e;
    state.scoreEvery = 0;
    post({ event: 'quality-error', message: String(e?.message ?? e) });
    return null;
  }
}

/** The meter on own data, which the digit judge does not know: the crate's `likeness`. */
async function likeness(requested) {
  await ensureData('nothing was measured');
  return measure(requested, 'likeness', () => model().likeness());
}

/**
 * Takes one reading of the meter (`read()`), timed, and posts it as event `name`: `{[name],
 * ms, cost}`, cost being its share of training time since the last periodic reading (none for
 * one that was `requested`, which leaves the schedule as it was).
 */
async function measure(requested, name, read) {
  const t0 = performance.now();
  const result = await read();
  state.scoreMs = performance.now() - t0;
  const { sinceScore } = state;
  const cost = !requested && sinceScore.ms > 0 ? state.scoreMs / (sinceScore.ms + state.scoreMs) : null;
  if (!requested) state.sinceScore = { steps: 0, ms: 0 };
  post({ event: name, [name]: result, ms: state.scoreMs, cost });
  return result;
}

/** Whether the meter is due: enough steps, and enough training time that scoring stays cheap. */
function scoreDue() {
  const share = state.defaults.maxScoreShare, { sinceScore } = state;
  return state.scoreEvery > 0 && sinceScore.steps >= state.scoreEvery && sinceScore.ms * share >= state.scoreMs * (1 - share);
}

/** Sends the whole training state to the page, which keeps it (see the header). */
async function checkpoint(why) {
  const g = model();
  if (state.checkpointEvery === 0 || state.savedStep === g.step()) return;
  const t0 = performance.now();
  const bytes = await g.checkpoint();
  state.savedStep = g.step();
  post({ event: 'checkpoint', why, bytes, step: state.savedStep, preset: g.preset(), ms: performance.now() - t0 }, [bytes.buffer]);
}

/** Runs a chunk; its time in ms, or false when it diverged (the crate says where). */
async function trainChunk(steps) {
  const t0 = performance.now();
  const chunk = await model().train(steps);
  const ms = performance.now() - t0;
  state.sinceScore.steps += steps;
  state.sinceScore.ms += ms;
  const diverged = chunk.divergedAt != null;
  post({ event: 'stats', stats: chunk.stats, msPerStep: ms / steps, step: chunk.step, hold: chunk.generatorHold, diverged });
  if (!diverged) return ms;
  state.running = false;
  post({ event: 'diverged', step: chunk.divergedAt, goodStep: chunk.lastGoodStep });
  return false;
}

/**
 * Steps the next chunk runs: `chunk`, cut short at `until` (0 there: the loop pauses). A stop
 * already passed (`until` below the step) is ignored: training on past it is asked for.
 */
function chunkSize() {
  const step = model().step(), { until, chunk } = state;
  return until != null && until >= step ? Math.min(chunk, until - step) : chunk;
}

async function trainLoop(mine) {
  await enqueue(() => ensureData());
  // So that a GPU lost early resumes from here (a diverged state is not worth keeping).
  await enqueue(() => (model().divergedAt() == null ? checkpoint('start') : null));
  while (state.running && mine === state.generation) {
    // Own data being read: no chunk until it is (see `readData`), then on where it was.
    if (state.reading.size) {
      await Promise.allSettled(state.reading);
      continue;
    }
    const ran = await enqueue(async () => {
      const steps = chunkSize();
      return steps > 0 ? { steps, ms: await trainChunk(steps) } : null;
    });
    if (ran === null) break; // at `until`
    const { steps, ms } = ran;
    if (ms === false) return 'diverged';
    if (scoreDue()) await enqueue(() => score());
    if (state.checkpointEvery > 0 && model().step() - state.savedStep >= state.checkpointEvery) await enqueue(() => checkpoint('every'));
    state.chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round(steps * (CHUNK_MS / Math.max(ms, 1)))));
    await sleep(state.throttled ? ms * THROTTLE_IDLE : 0); // lets `pause` and `generate` in
  }
  return mine === state.generation ? 'paused' : 'superseded';
}

/** Each request type of protocol.js: `(message) → value` (or `moving(value, buffers)`). */
const handlers = {
  async init({ backend, preset, seed, recipe, settings, weights, credentials, base, checkpoint: bytes, scoreEvery, checkpointEvery, own = null }) {
    if (state.gan || state.crashed) throw failWith('state', 'this worker already holds a model');
    state.base = new URL(base ?? './', import.meta.url);
    const { Ganvas, Images } = await load(backend === 'webgpu' ? 'webgpu' : 'cpu');
    Object.assign(state, { Ganvas, Images });
    const defaults = (state.defaults = Ganvas.defaults());
    state.scoreEvery = scoreEvery ?? defaults.scoreEvery;
    state.checkpointEvery = checkpointEvery ?? defaults.checkpointEvery;
    const g = (state.gan = await Ganvas.create({ backend, preset: preset ?? defaults.preset, seed, recipe, settings }));
    state.created?.(g);
    state.onGpu = g.backendInfo().backend === 'webgpu';
    if (own) g.setOwnData(own.bundle, own.classes); // the page's data goes on with a new model
    state.own = own;
    if (bytes) {
      g.loadCheckpoint(bytes);
      newModel(g.step());
      return modelInfo({ resumed: true });
    }
    // No `weights` given: the shipped ones of the preset, if any.
    const shipped = SHIPPED[g.preset()];
    const url = weights === undefined ? (shipped ? under(shipped).href : null) : weights;
    if (url) g.loadWeights(await fetchBytes(url, 'pretrained weights', weights ? { credentials } : {}));
    return modelInfo({ pretrained: !!url, refused: g.refused() ?? null });
  },
  async train({ until = null } = {}) {
    state.running = true;
    state.until = until;
    const mine = ++state.generation;
    let reason;
    try { reason = await trainLoop(mine); } catch (e) {
      if (mine === state.generation) state.running = false;
      throw e;
    }
    if (mine !== state.generation) return { step: state.gan?.step() ?? null, reason };
    state.running = false;
    // In the queue: a call still running there may hold the GAN mutably.
    return enqueue(async () => {
      if (reason === 'paused') await checkpoint('pause');
      return { step: model().step(), reason };
    });
  },
  async pause() { state.running = false; return null; },
  async throttle({ on }) { state.throttled = !!on; return null; },
  async until({ step }) {
    state.until = step ?? null;
    // Already reached (the page heard of the step late): pause after the chunk in flight.
    if (state.until != null && state.gan && state.until <= state.gan.step()) state.running = false;
    return null;
  },
  async step() {
    if (state.running) return { step: model().step(), diverged: false };
    await ensureData();
    const ok = await trainChunk(1);
    return { step: model().step(), diverged: ok === false };
  },
  /**
   * Reads own data from files, outside the queue: decoding waits on the browser, not the GAN.
   * A training loop steps aside meanwhile (between two of its chunks) and goes on after: a
   * chunk between every two awaits of the read would make it take the loop's pace (a chunk,
   * ~100 ms, per batch of images), and training on the data being replaced is of little use.
   * The loop's `train` request stays unanswered: to the page, training goes on.
   */
  async readData({ files }) {
    const t0 = performance.now();
    const waits = () => (state.running ? ' (training waits until they are read)' : '');
    const read = readData(state.Ganvas, state.Images, state.defaults, files, (text) => post({ event: 'status', text: `${text}${waits()}` }));
    state.reading.add(read);
    let data;
    try { data = await read; } finally { state.reading.delete(read); }
    const n = data.count;
    post({ event: 'status', text: `Read ${n.toLocaleString('en')} image${n === 1 ? '' : 's'} in ${((performance.now() - t0) / 1000).toFixed(1)} s${state.running ? '; training goes on' : ''}.` });
    return moving(data, [data.bundle.buffer]);
  },
  /** Trains on `own` data from the next step ({bundle, classes, description}; null: MNIST's). */
  async useData({ own }) {
    if (own) {
      model().setOwnData(own.bundle, own.classes); // refused with the reason: nothing changes
    } else if (state.own && model().hasData()) {
      await giveMnist('the data stays your images');
    }
    state.own = own;
    return modelInfo();
  },
  async grid({ digit = null }) { return model().grid(digit ?? undefined); },
  async generate({ z, labels }) {
    const pixels = await model().generate(z, labels == null ? undefined : Uint8Array.from(labels));
    return moving(pixels, [pixels.buffer]);
  },
  async morph({ from, to, at }) {
    const pixels = await model().morph(from.z, from.label ?? undefined, to.z, to.label ?? undefined, Float32Array.from(at));
    return moving(pixels, [pixels.buffer]);
  },
  async dview() {
    await ensureData("D's view was not drawn");
    const view = await model().dView();
    return moving(view, [view.real.pixels.buffer, view.fake.pixels.buffer]);
  },
  async nearest({ pixels, k }) {
    await ensureData('the nearest training digits were not looked up');
    const r = model().nearest(pixels, k ?? state.defaults.nearestK);
    return moving(r, [r.pixels.buffer]);
  },
  async score() { return score(true); },
  async restore() {
    const step = model().restore();
    newModel(state.savedStep);
    return { step };
  },
  async reset({ preset, seed, recipe }) {
    model().reset(preset ?? undefined, seed, recipe ?? undefined);
    newModel();
    return modelInfo();
  },
  async loadCheckpoint({ bytes }) {
    state.running = false;
    model().loadCheckpoint(bytes);
    newModel(model().step());
    return modelInfo({ resumed: true });
  },
  async loadWeights({ bytes }) {
    const g = model();
    const preset = state.Ganvas.weightsPreset(bytes); // throws with the reason on a bad file
    if (preset !== g.preset()) {
      throw failWith('weights', `this file holds ${preset} weights but the model is ${g.preset()}: switch the preset first`);
    }
    state.running = false;
    g.loadWeights(bytes);
    newModel();
    return { step: g.step() };
  },
  async settings(settings) {
    const { batchSize, lrG, lrD, realLabel, ema } = settings;
    return model().changeSettings({ batchSize, lrG, lrD, realLabel, ema });
  },
  async view({ live }) {
    model().setLive(!!live);
    return model().settings();
  },
  async saveWeights() {
    const g = model();
    const bytes = await g.saveWeights();
    return moving({ bytes, preset: g.preset(), step: g.step() }, [bytes.buffer]);
  },
  async chooseDevice() {
    if (!model().measuresDevices() || model().divergedAt() != null) return model().backendInfo();
    if (!state.Ganvas.hasWebgpu()) {
      const why = await intoWebgpu();
      if (why) return { ...model().backendInfo(), reason: why };
    }
    post({ event: 'status', text: 'Timing training on the CPU and on WebGPU, to train on the faster…' });
    const info = await model().chooseDevice();
    state.onGpu = info.backend === 'webgpu';
    return info;
  },
  async memory() { return model().memory(); },
  async scoreEvery({ every }) { return (state.scoreEvery = every ?? state.defaults?.scoreEvery ?? state.scoreEvery); },
  async checkpointEvery({ every }) { return (state.checkpointEvery = every ?? state.defaults?.checkpointEvery ?? state.checkpointEvery); },
};

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
 * Answers requests: `extra` adds request types of its own (`{type: (message, model) →
 * value}`), run through the same queue and failure path, and `created(gan)` is told of every
 * model made (the browser tests' hooks worker). Returns the dispatcher `onmessage` uses: a
 * message → a promise settled once it is answered.
 */
export function serve(extra = {}, { created = null } = {}) {
  state.created = created;
  const answer = { ...handlers, ...extra };
  const direct = new Set(DIRECT);
  watchDevice();
  const dispatch = (data) => {
    const { id, type } = data ?? {};
    const known = REQUESTS.includes(type) || Object.hasOwn(extra, type);
    const handler = known ? answer[type] : null;
    const run = !handler ? Promise.reject(failWith('internal', `unknown request "${type}"`))
      : direct.has(type) ? Promise.resolve().then(() => handler(data, model))
        : enqueue(() => handler(data, model));
    return run.then((value) => {
      if (id == null) return;
      if (value?.[MOVING]) post({ id, ok: true, value: value.value }, value.transfer);
      else post({ id, ok: true, value: value ?? null });
    }).catch((e) => {
      const error = failure(e, type);
      if (id != null) post({ id, ok: false, error });
      else post({ event: 'error', during: type, ...error });
    });
  };
  self.onmessage = ({ data }) => void dispatch(data);
  return dispatch;
}
