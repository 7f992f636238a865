// The training worker: owns the wasm GAN so that the page's main thread only draws.
// Messages in: {type, ...} from ganvas-demo.js; messages out: ready, stats, generated, view,
// weights, checkpoint, diverged, restored, device-lost, crashed, memory, status, judge, score,
// error. Training runs in chunks; a `pause` arriving between chunks stops it. Every
// `scoreEvery` steps the judge scores the digits; every `checkpointEvery` steps, and on pause,
// the whole training state goes to the page (which keeps it for a lost GPU or a crash, and
// stores it for a reload).
import init, { Ganvas } from './pkg/ganvas.js';

// The WebGPU device burn asks for, caught on its way out so that its loss is noticed even
// when burn's own calls never return, and so that a test can destroy it.
let gpuDevice = null;
let deviceLost = false; // no call into the GAN after this: on a dead device it may never return
if (self.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    gpuDevice = device;
    device.lost.then((info) => {
      if (gpuDevice !== device) return;
      deviceLost = true;
      running = false;
      post({ type: 'device-lost', reason: info.reason, message: info.message });
    });
    return device;
  };
}

let gan = null;
let running = false;
let chunk = 10; // steps per readback; adapted so that one chunk takes ~100 ms
const dataUrl = new URL('./data/mnist-train.gz', import.meta.url);
const judgeUrl = new URL('./pkg/judge.ganvas', import.meta.url);
const SCORE_N = 500; // digits per score: the judge file stores real MNIST's baseline at 500
const GRID_SEED = 20240; // the grid's latent vectors, the crate's (`ganvas sample --seed 20240`)
const GRID_ROWS = 8;
const MAX_SCORE_SHARE = 0.1; // scoring may take at most this share of training time
let scoreEvery = 500;
let judged = false; // whether this GAN instance has the judge
let sinceScore = { steps: 0, ms: 0 };
let scoreMs = 0;
let checkpointEvery = 500; // steps between checkpoints sent to the page; 0 = none
let savedStep = -1; // step of the last checkpoint sent
let throttled = false; // the page is hidden: train at about a tenth of the pace

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
// A wasm trap (a Rust panic aborts) leaves the module unusable: the page starts a new worker
// from the last checkpoint. Anything else is an error message and the model stays as it was.
const fail = (e, during) => {
  if (e instanceof WebAssembly.RuntimeError) {
    gan = null;
    running = false;
    return post({ type: 'crashed', during, message: String(e.message) });
  }
  post({ type: 'error', during, message: String(e?.message ?? e) });
};

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function ensureData() {
  if (gan.hasData()) return;
  post({ type: 'status', text: 'Loading the 60,000 MNIST training digits (9.7 MB)…' });
  const res = await fetch(dataUrl);
  if (!res.ok) throw new Error(`MNIST data: ${dataUrl} answered ${res.status} (run pkg-scripts/data)`);
  let bytes;
  try {
    const stream = res.body.pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`bad MNIST data: ${dataUrl} is not a valid gzip file (${e?.message ?? e}); training was not started`);
  }
  let n;
  try { n = gan.setData(bytes); } catch (e) { throw new Error(`${e?.message ?? e}; training was not started`); }
  post({ type: 'status', text: `Loaded ${n.toLocaleString('en')} MNIST digits.` });
}

/** The grid: ten columns for a conditional net (each row reads 0 to 9), else eight. */
function grid() {
  const cols = gan.classes() > 0 ? gan.classes() : 8;
  return { cols, z: gan.latents(cols * GRID_ROWS, GRID_SEED) };
}

function postReady(pretrained, resumed = false) {
  post({
    type: 'ready', info: gan.backendInfo(), preset: gan.preset(), step: gan.step(), latent: gan.latent(),
    classes: gan.classes(), grid: grid(), settings: gan.settings(), defaults: Ganvas.defaults(), pretrained, resumed,
  });
}

/** A new GAN: fresh, from pretrained `weights` (a URL), or resumed from `checkpoint` bytes. */
async function create({ backend, preset, seed, weights, checkpoint, scoreEvery: every, checkpointEvery: save }) {
  await init();
  gan?.free();
  gan = null;
  judged = false;
  savedStep = -1;
  if (every != null) scoreEvery = every;
  if (save != null) checkpointEvery = save;
  gan = await Ganvas.create({ backend, preset, seed });
  if (checkpoint) {
    gan.loadCheckpoint(checkpoint);
    savedStep = gan.step();
  } else if (weights) {
    const bytes = await fetchBytes(weights);
    gan.loadWeights(bytes);
  }
  postReady(!!weights && !checkpoint, !!checkpoint);
  enqueue(score); // the opening weights' scores, after the first grid
}

// The quality meter is an extra: if the judge cannot load, the demo goes on without it.
async function score() {
  if (scoreEvery === 0) return;
  try {
    if (!judged) {
      const reference = gan.loadJudge(await fetchBytes(judgeUrl));
      judged = true;
      post({ type: 'judge', reference });
    }
    const t0 = performance.now();
    const result = await gan.score(SCORE_N);
    scoreMs = performance.now() - t0;
    const cost = sinceScore.ms > 0 ? scoreMs / (sinceScore.ms + scoreMs) : null;
    sinceScore = { steps: 0, ms: 0 };
    post({ type: 'score', score: result, ms: scoreMs, cost });
  } catch (e) {
    scoreEvery = 0;
    post({ type: 'quality-error', message: String(e?.message ?? e) });
  }
}

/** Whether the meter is due: enough steps, and enough training time that scoring stays cheap. */
function scoreDue() {
  return scoreEvery > 0 && sinceScore.steps >= scoreEvery &&
    sinceScore.ms * MAX_SCORE_SHARE >= scoreMs * (1 - MAX_SCORE_SHARE);
}

/** Sends the whole training state to the page, which keeps it (see the header). */
async function checkpoint(why) {
  if (checkpointEvery === 0 || savedStep === gan.step()) return;
  const t0 = performance.now();
  const bytes = await gan.checkpoint();
  savedStep = gan.step();
  post({ type: 'checkpoint', why, bytes, step: savedStep, preset: gan.preset(), ms: performance.now() - t0 }, [bytes.buffer]);
}

/** Runs a chunk; false when a loss came back NaN or infinite (training then stops). */
async function trainChunk(steps) {
  if (deviceLost) throw new Error('the GPU device was lost');
  const t0 = performance.now();
  const stats = await gan.train(steps);
  const ms = performance.now() - t0;
  sinceScore.steps += steps;
  sinceScore.ms += ms;
  const at = gan.divergedAt();
  // Steps from the bad one on are not shown: their digits and losses mean nothing.
  const good = at == null ? stats : stats.filter((s) => s.step < at);
  post({ type: 'stats', stats: good, msPerStep: ms / steps, step: gan.step(), hold: gan.generatorHold(), diverged: at != null });
  if (at != null) {
    running = false;
    post({ type: 'diverged', step: at, goodStep: gan.lastGoodStep() ?? null });
    return false;
  }
  return ms;
}

let generation = 0; // a new `train` ends any loop still finishing its last chunk

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function trainLoop() {
  const mine = ++generation;
  await enqueue(ensureData);
  await enqueue(() => checkpoint('start')); // so that a GPU lost early resumes from here
  while (running && mine === generation) {
    const ms = await enqueue(() => trainChunk(chunk));
    if (ms === false) break;
    if (scoreDue()) await enqueue(score);
    if (checkpointEvery > 0 && gan.step() - savedStep >= checkpointEvery) await enqueue(() => checkpoint('every'));
    // Aim for ~100 ms per chunk: frequent enough to draw smoothly, rare enough to amortise the readback.
    chunk = Math.max(1, Math.min(200, Math.round(chunk * (100 / Math.max(ms, 1)))));
    await sleep(throttled ? ms * 9 : 0); // let `pause` and `generate` messages in; hidden: ~10% duty
  }
}

const handlers = {
  async init(msg) { await create(msg); },
  async train({ seq }) {
    running = true;
    const mine = generation + 1;
    try { await trainLoop(); } finally {
      if (mine === generation) {
        running = false;
        // In the queue: a call still running there may hold the GAN mutably.
        await enqueue(async () => {
          if (!gan) return; // crashed: the error that ended the loop is the one reported
          post({ type: 'paused', seq, step: gan.step() });
          if (gan.divergedAt() == null && !deviceLost) await checkpoint('pause');
        }).catch(() => {});
      }
    }
  },
  async pause() { running = false; },
  async step() {
    if (running) return;
    await ensureData();
    await trainChunk(1);
  },
  async restore() {
    const step = gan.restore();
    sinceScore = { steps: 0, ms: 0 };
    post({ type: 'restored', step });
    await score();
  },
  async loadCheckpoint({ bytes }) {
    running = false;
    gan.loadCheckpoint(bytes); // throws with the reason on a bad file, changing nothing
    savedStep = gan.step();
    sinceScore = { steps: 0, ms: 0 };
    postReady(false, true);
    await score();
  },
  async checkpointEvery({ every }) { checkpointEvery = every; },
  async throttle({ on }) { throttled = on; },
  async memory({ id }) { post({ type: 'memory', id, memory: gan.memory() }); },
  // Test hooks: a diverged run and a lost GPU, on demand.
  async testPoison() { gan.debugPoison(); },
  async testPanic() { gan.debugPanic(); },
  async testLoseDevice() {
    if (!gpuDevice) throw new Error('no WebGPU device to lose: this model runs on the CPU');
    gpuDevice.destroy();
    await gpuDevice.lost; // the page hears of it before the next chunk would run
  },
  async reset({ preset, seed, recipe }) {
    gan.reset(preset ?? undefined, seed, recipe ?? undefined); // the page pauses first; a `train` sent after this one is kept
    sinceScore = { steps: 0, ms: 0 };
    savedStep = -1;
    postReady(false);
    await score();
  },
  async settings({ batchSize, lrG, lrD }) {
    gan.setBatchSize(batchSize);
    gan.setLearningRates(lrG, lrD);
    post({ type: 'settings', settings: gan.settings() });
  },
  async generate({ id, z }) {
    const pixels = await gan.generate(z);
    post({ type: 'generated', id, pixels }, [pixels.buffer]);
  },
  async loadWeights({ bytes }) {
    const preset = Ganvas.weightsPreset(bytes); // throws with the reason on a bad file
    if (preset !== gan.preset()) {
      throw new Error(`this file holds ${preset} weights but the model is ${gan.preset()}: switch the preset first`);
    }
    running = false;
    gan.loadWeights(bytes);
    savedStep = -1;
    post({ type: 'loaded', step: gan.step() });
    await score();
  },
  async scoreEvery({ every }) { scoreEvery = every; },
  async view({ live }) {
    gan.setLive(live);
    post({ type: 'view', settings: gan.settings() });
    await score(); // the meter judges what the grid now shows
  },
  async saveWeights() {
    const bytes = await gan.saveWeights();
    post({ type: 'weights', bytes, preset: gan.preset(), step: gan.step() }, [bytes.buffer]);
  },
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

self.onmessage = ({ data }) => {
  const handler = handlers[data.type];
  if (!handler) return fail(`unknown message ${data.type}`, data.type);
  if (data.type === 'pause' || data.type === 'throttle') return void handler(data);
  if (data.type === 'train') return void handler(data).catch((e) => fail(e, 'train'));
  enqueue(() => handler(data)).catch((e) => fail(e, data.type));
};
