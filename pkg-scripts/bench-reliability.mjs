// Reliability figures, printed as Markdown for BENCHMARKS.md (headless Chromium, CPU backend):
//  - checkpoints: bytes, time to write one, and time from a page reload to the resumed run
//    (navigation, wasm start, IndexedDB read, checkpoint load), per preset;
//  - wasm memory over a long run (scoring and checkpoints on, as the page has them).
// Needs pkg-scripts/build first.
// Usage: node pkg-scripts/bench-reliability.mjs [--smoke]   (smoke: a few steps of each)
import { mount, open, start, waitReady } from '../tests/browser/harness.mjs';

const smoke = process.argv.includes('--smoke');
const env = await start();
const el = (page, fn, arg) => page.evaluate(({ fn, arg }) => new Function('el', 'arg', `return (${fn})(el, arg)`)(document.querySelector('#demo'), arg), { fn: fn.toString(), arg });

async function resumeTime(preset) {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  // The standard preset as the page opens it (pretrained G, moving average); tiny from scratch.
  await mount(page, { backend: 'cpu', preset, weights: preset === 'standard' ? '' : 'none', 'checkpoint-every': '0', 'score-every': '0' });
  // Saving on pause only: the checkpoint measured is the one a reload offers.
  await el(page, (el) => { el.checkpointEvery = 100000; el.train(); });
  const from = await el(page, (el) => el.state.step);
  await page.waitForFunction((n) => document.querySelector('#demo').state.step >= n, from + (smoke ? 3 : 300), { timeout: 600_000 });
  await el(page, (el) => el.pause());
  await page.waitForFunction(() => { const s = document.querySelector('#demo').state; return s.pausedAt != null && s.lastCheckpoint?.step === s.pausedAt; }, null, { timeout: 120_000 });
  const saved = await el(page, (el) => el.state.lastCheckpoint);
  const t0 = Date.now();
  await page.reload();
  await page.waitForFunction(() => !document.querySelector('#demo')?.shadowRoot.querySelector('.notice').hidden, null, { timeout: 120_000 });
  const offered = (Date.now() - t0) / 1000;
  // The page's own model (the pretrained one for standard) says `ready` too: the click waits for
  // it, so that the `ready` heard below is the resumed run's.
  await waitReady(page, '#demo');
  const ready = el(page, (el) => new Promise((ok) => el.addEventListener('ready', (e) => ok(e.detail), { once: true })));
  const t1 = Date.now();
  await el(page, (el) => el.shadowRoot.querySelector('.notice-yes').click());
  const info = await ready;
  const loaded = (Date.now() - t1) / 1000;
  await page.close();
  if (info.step !== saved.step) throw new Error(`resumed at ${info.step}, saved at ${saved.step}`);
  return { preset, step: saved.step, mb: saved.bytes / 1048576, saveMs: saved.ms, offered, loaded, total: (Date.now() - t0) / 1000 };
}

async function memoryRun(preset, steps, every) {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset, weights: 'none' });
  const samples = await el(page, (el, { steps, every }) => new Promise((ok, fail) => {
    const out = [];
    let next = 0;
    el.addEventListener('error', (e) => fail(new Error(e.detail.message)));
    el.addEventListener('step', async (e) => {
      if (e.detail.step < next) return;
      next += every;
      const m = await el.memory();
      out.push({ step: e.detail.step, mb: m.wasmBytes / 1048576 });
      if (e.detail.step >= steps) { el.pause(); ok(out); }
    });
    el.train();
  }), { steps, every });
  await page.close();
  return samples;
}

console.log('| preset | step | checkpoint | write | reload → resume offered | click → resumed | reload → resumed |');
console.log('|---|---|---|---|---|---|---|');
for (const preset of ['tiny', 'standard']) {
  const r = await resumeTime(preset);
  console.log(`| ${r.preset} | ${r.step} | ${r.mb.toFixed(1)} MB | ${r.saveMs.toFixed(0)} ms | ${r.offered.toFixed(2)} s | ${r.loaded.toFixed(2)} s | ${r.total.toFixed(2)} s |`);
}
console.log();
console.log('| preset | wasm memory (MB) by training step |');
console.log('|---|---|');
for (const [preset, steps, every] of smoke ? [['tiny', 20, 10]] : [['tiny', 5000, 500], ['standard', 1500, 250]]) {
  const samples = await memoryRun(preset, steps, every);
  console.log(`| ${preset} | ${samples.map((s) => `${s.step}: ${s.mb.toFixed(1)}`).join(' · ')} |`);
}
await env.close();
