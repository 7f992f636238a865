// The training worker: owns the wasm GAN so that the page's main thread only draws.
// Messages in: {type, ...} from ganvas-demo.js; messages out: ready, stats, generated,
// weights, status, judge, score, error. Training runs in chunks; a `pause` arriving between
// chunks stops it. Every `scoreEvery` steps the judge scores the digits.
import init, { Ganvas } from './pkg/ganvas.js';

let gan = null;
let running = false;
let chunk = 10; // steps per readback; adapted so that one chunk takes ~100 ms
const dataUrl = new URL('./data/mnist-train.gz', import.meta.url);
const judgeUrl = new URL('./pkg/judge.ganvas', import.meta.url);
const SCORE_N = 500; // digits per score: the judge file stores real MNIST's baseline at 500
const MAX_SCORE_SHARE = 0.1; // scoring may take at most this share of training time
let scoreEvery = 500;
let judged = false; // whether this GAN instance has the judge
let sinceScore = { steps: 0, ms: 0 };
let scoreMs = 0;

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const fail = (e, during) => post({ type: 'error', during, message: String(e?.message ?? e) });

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
  const stream = res.body.pipeThrough(new DecompressionStream('gzip'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const n = gan.setData(bytes);
  post({ type: 'status', text: `Loaded ${n.toLocaleString('en')} MNIST digits.` });
}

function postReady(pretrained) {
  post({ type: 'ready', info: gan.backendInfo(), preset: gan.preset(), step: gan.step(), latent: gan.latent(), settings: gan.settings(), pretrained });
}

async function create({ backend, preset, seed, weights, scoreEvery: every }) {
  await init();
  gan?.free();
  gan = null;
  judged = false;
  if (every != null) scoreEvery = every;
  gan = await Ganvas.create({ backend, preset, seed });
  if (weights) {
    const bytes = await fetchBytes(weights);
    gan.loadWeights(bytes);
  }
  postReady(!!weights);
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

async function trainChunk(steps) {
  const t0 = performance.now();
  const stats = await gan.train(steps);
  const ms = performance.now() - t0;
  sinceScore.steps += steps;
  sinceScore.ms += ms;
  const bad = stats.find((s) => ![s.dLoss, s.gLoss, s.dReal, s.dFake].every(Number.isFinite));
  post({ type: 'stats', stats, msPerStep: ms / steps, step: gan.step(), hold: gan.generatorHold() });
  if (bad) throw new Error(`training diverged at step ${bad.step}: a loss is not finite`);
  return ms;
}

let generation = 0; // a new `train` ends any loop still finishing its last chunk

async function trainLoop() {
  const mine = ++generation;
  await enqueue(ensureData);
  while (running && mine === generation) {
    const ms = await enqueue(() => trainChunk(chunk));
    if (scoreDue()) await enqueue(score);
    // Aim for ~100 ms per chunk: frequent enough to draw smoothly, rare enough to amortise the readback.
    chunk = Math.max(1, Math.min(200, Math.round(chunk * (100 / Math.max(ms, 1)))));
    await new Promise((r) => setTimeout(r, 0)); // let `pause` and `generate` messages in
  }
}

const handlers = {
  async init(msg) { await create(msg); },
  async train() {
    running = true;
    const mine = generation + 1;
    try { await trainLoop(); } finally {
      if (mine === generation) { running = false; post({ type: 'paused', step: gan?.step() ?? 0 }); }
    }
  },
  async pause() { running = false; },
  async step() {
    if (running) return;
    await ensureData();
    await trainChunk(1);
  },
  async reset({ preset, seed }) {
    gan.reset(preset, seed); // the page pauses first; a `train` sent after this one is kept
    sinceScore = { steps: 0, ms: 0 };
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
    post({ type: 'loaded', step: gan.step() });
    await score();
  },
  async scoreEvery({ every }) { scoreEvery = every; },
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
  if (data.type === 'pause') return void handler(data);
  if (data.type === 'train') return void handler(data).catch((e) => fail(e, 'train'));
  enqueue(() => handler(data)).catch((e) => fail(e, data.type));
};
