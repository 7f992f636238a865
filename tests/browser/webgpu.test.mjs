// The demo with Chromium's WebGPU enabled (--enable-unsafe-webgpu). Headless here the only
// adapter is SwiftShader, a software fallback: "auto" must not time or pick it, forcing WebGPU
// must still initialise and train, checkpoints written there carry Adam's moments, and with
// test switches "auto" chooses by measured speed. SwiftShader is slow, so the runs are a few
// steps of the tiny net. The WebGPU code is a module of its own (pkg/ganvas_webgpu.js): it is
// fetched only to be used, and a run moves into it by a checkpoint, its losses unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hook, mount, open, serveHooked, start, state, statusText, trainSteps } from './harness.mjs';

const WEBGPU_MODULE = ['/pkg/ganvas_webgpu.js', '/pkg/ganvas_webgpu_bg.wasm'];
const served = []; // paths the shipped page's server was asked for
let env, hooked, broken;
before(async () => {
  env = await start({ webgpu: true, onServe: (path) => served.push(path) });
  // The test build, for the tests that destroy the GPU device or switch "auto"'s rules.
  hooked = await serveHooked();
  // The same, on a host that lacks the WebGPU module.
  broken = await serveHooked({ missing: WEBGPU_MODULE });
});
after(async () => { hooked?.close(); broken?.close(); await env?.close(); });

test('"auto" picks the CPU when the only adapter is a software fallback, and never fetches the WebGPU module', async () => {
  served.length = 0;
  const page = await open(env.browser, `${env.base}/`);
  const info = await mount(page, { backend: 'auto', preset: 'tiny', weights: 'none' });
  assert.equal(info.backend, 'cpu');
  assert.equal(info.adapter?.isFallbackAdapter, true, JSON.stringify(info));
  assert.match(info.reason, /software fallback/);
  assert.match(await statusText(page), /software fallback/);
  const stats = await trainSteps(page, 3);
  assert.ok(stats.every((s) => Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss)), JSON.stringify(stats));
  assert.ok(served.includes('/pkg/ganvas_bg.wasm'), served.join(' '));
  assert.deepEqual(served.filter((p) => WEBGPU_MODULE.includes(p)), [], 'the WebGPU module was not fetched');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the WebGPU module cannot be fetched: "auto" stays on the CPU, says why, and trains', { timeout: 300_000 }, async () => {
  const page = await open(env.browser, `${broken.base}/`);
  const info = await mount(page, { backend: 'auto', preset: 'tiny', weights: 'none', 'score-every': '0' });
  assert.equal(info.backend, 'cpu');
  await hook(page, 'measure-switches', { allowFallback: true }); // a hardware adapter, as far as "auto" knows
  const device = page.evaluate(() => new Promise((ok) => {
    const el = document.querySelector('#demo');
    el.addEventListener('device', (e) => ok(e.detail), { once: true });
    const input = el.shadowRoot.querySelector('.batch');
    input.value = 32;
    input.dispatchEvent(new Event('change'));
  }));
  const chosen = await device;
  assert.equal(chosen.backend, 'cpu');
  assert.equal(chosen.measured, null);
  assert.match(chosen.reason, /^running on the CPU: the WebGPU module \(.*ganvas_webgpu\.js\) could not be loaded/);
  assert.match(await statusText(page), /^CPU.*the WebGPU module .* could not be loaded.*Training stays on the CPU\./);
  const stats = await trainSteps(page, 3);
  assert.ok(stats.every((s) => Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss)), JSON.stringify(stats));
  assert.equal((await state(page)).backend, 'cpu');
  // The failed module fetch is the browser's console error; nothing else went wrong.
  assert.deepEqual(page.errors.filter((e) => !/ganvas_webgpu|Failed to (load|fetch)|404/.test(e)), []);
  await page.close();
});

test('a run moves from the CPU module into the WebGPU module by a checkpoint: its losses are those of the unmoved run', async () => {
  const page = await open(env.browser, `${env.base}/`);
  const got = await page.evaluate(async () => {
    const gz = await (await fetch('/data/mnist-train.gz')).arrayBuffer();
    const mnist = new Uint8Array(await new Response(new Response(gz).body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    const api = async (path) => { const m = await import(path); await m.default(); return m.Ganvas; };
    const [Cpu, Full] = [await api('/pkg/ganvas.js'), await api('/pkg/ganvas_webgpu.js')];
    const before = await Cpu.create({ backend: 'cpu', preset: 'tiny', seed: 11 });
    before.setData(mnist);
    await before.train(3);
    const bytes = await before.checkpoint();
    const unmoved = (await before.train(4)).stats;
    const moved = await Full.create({ backend: 'auto', preset: 'tiny' });
    moved.loadCheckpoint(bytes);
    moved.setData(mnist);
    const after = (await moved.train(4)).stats;
    return { unmoved, after, has: [Cpu.hasWebgpu(), Full.hasWebgpu()], backend: moved.backendInfo().backend };
  });
  assert.deepEqual(got.has, [false, true]);
  assert.equal(got.backend, 'cpu');
  assert.deepEqual(got.after.map((s) => s.step), [4, 5, 6, 7]);
  assert.deepEqual(got.after, got.unmoved, 'bit for bit');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('"auto" times both devices and trains on the faster: the CPU against SwiftShader, then WebGPU against a CPU slowed 10,000× (test switches)', { timeout: 600_000 }, async () => {
  const page = await open(env.browser, `${hooked.base}/`);
  // Scores after every chunk: the judge, loaded on the CPU for the first grid's score, must
  // move with the run.
  const info = await mount(page, { backend: 'auto', preset: 'tiny', weights: 'none', 'score-every': '1', 'checkpoint-every': '0' });
  assert.equal(info.backend, 'cpu');
  assert.equal(info.measured, null, 'a software adapter is not timed');
  const measured = (batch) => page.evaluate((batch) => new Promise((ok, fail) => {
    const el = document.querySelector('#demo');
    el.addEventListener('device', (e) => ok(e.detail), { once: true });
    el.addEventListener('error', (e) => fail(new Error(e.detail.message)), { once: true });
    setTimeout(() => fail(new Error('no device event')), 400_000);
    // A new batch size, as a visitor sets it: the choice is made again.
    const input = el.shadowRoot.querySelector('.batch');
    input.value = batch;
    input.dispatchEvent(new Event('change'));
  }), batch);
  await hook(page, 'measure-switches', { allowFallback: true }); // resolves once it has landed
  const first = await measured(32);
  assert.equal(first.backend, 'cpu', first.reason);
  const { cpu, webgpu } = first.measured;
  assert.ok(cpu.stepsPerSecond > webgpu.stepsPerSecond && webgpu.stepsPerSecond > 0, JSON.stringify(first.measured));
  assert.ok(cpu.steps >= 1 && webgpu.firstStepMs > 0);
  assert.match(await statusText(page), /WebGPU [\d.]+ steps\/s vs CPU [\d.]+ → CPU \(measured at batch 32/);

  await hook(page, 'measure-switches', { allowFallback: true, cpuSlowdown: 10_000 });
  const second = await measured(16);
  assert.equal(second.backend, 'webgpu', second.reason);
  assert.match(await statusText(page), /^WebGPU.*→ WebGPU \(measured at batch 16/);
  const before = (await state(page)).step;
  const stats = await trainSteps(page, 2, 400_000);
  assert.ok(stats.every((s) => Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss)), JSON.stringify(stats));
  const after = await state(page);
  assert.equal(after.backend, 'webgpu');
  assert.ok(after.step > before, `${before} → ${after.step}`);
  assert.equal((await page.evaluate(() => document.querySelector('#demo').memory())).deviceBytesInUse > 0, true, 'the run is on the GPU');
  await page.waitForFunction((s) => document.querySelector('#demo').state.scores.some((x) => x.step > s), before, { timeout: 300_000 });
  const score = (await state(page)).scores.at(-1);
  assert.ok(Number.isFinite(score.digitScore) && Number.isFinite(score.frechet), JSON.stringify(score));
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** The WebGPU module's API (`window.Ganvas`) and MNIST's training file unpacked (`window.mnist`), in `page`. */
const wasmAndMnist = (page) => page.evaluate(async () => {
  const { default: init, Ganvas } = await import('/pkg/ganvas_webgpu.js');
  await init();
  const gz = await (await fetch('/data/mnist-train.gz')).arrayBuffer();
  window.mnist = new Uint8Array(await new Response(new Response(gz).body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  window.Ganvas = Ganvas;
});

test("a checkpoint written on WebGPU carries Adam's moments: resumed there, the next steps match an unbroken run", { timeout: 600_000 }, async () => {
  const page = await open(env.browser, `${env.base}/`);
  await wasmAndMnist(page);
  const got = await page.evaluate(async () => {
    const { Ganvas, mnist } = window;
    // One model: a wasm module starts one WebGPU device, so the checkpoint is loaded back into
    // the same instance. Before that, the instance trains on and changes its rates, so that
    // nothing of the resumed state can come from memory: loading builds every network, moment
    // and setting afresh from the bytes.
    const gan = await Ganvas.create({ backend: 'webgpu', preset: 'tiny', seed: 3 });
    gan.setData(mnist);
    await gan.train(3);
    const bytes = await gan.checkpoint();
    const unbroken = (await gan.train(3)).stats;
    await gan.train(4);
    gan.changeSettings({ lrG: 0.01, lrD: 0.02 });
    gan.loadCheckpoint(bytes);
    const resumed = (await gan.train(3)).stats;
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
    return { unbroken, resumed, header, backend: gan.backendInfo().backend };
  });
  assert.equal(got.backend, 'webgpu');
  assert.equal(got.header.version, 2);
  assert.deepEqual(got.header.adam_steps, [3, 3]);
  for (const s of ['adam-g-m1', 'adam-g-m2', 'adam-d-m1', 'adam-d-m2']) assert.ok(got.header.sections.some(([n]) => n === s), s);
  assert.deepEqual(got.resumed.map((s) => s.step), [4, 5, 6]);
  for (const [i, r] of got.resumed.entries()) {
    const u = got.unbroken[i];
    for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake']) {
      assert.ok(Math.abs(r[k] - u[k]) <= 1e-5 * Math.max(1, Math.abs(u[k])), `step ${r.step} ${k}: resumed ${r[k]} vs unbroken ${u[k]}`);
    }
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('conv-conditional trains on WebGPU: a few steps, finite, the losses of the CPU for the same seed', { timeout: 600_000 }, async () => {
  const page = await open(env.browser, `${env.base}/`);
  await wasmAndMnist(page);
  const got = await page.evaluate(async () => {
    const { Ganvas, mnist } = window;
    const run = async (backend) => {
      const g = await Ganvas.create({ backend, preset: 'conv-conditional', seed: 5 });
      g.setData(mnist);
      return { backend: g.backendInfo().backend, preset: g.preset(), steps: (await g.train(3)).stats };
    };
    return { gpu: await run('webgpu'), cpu: await run('cpu') };
  });
  assert.deepEqual([got.gpu.backend, got.cpu.backend, got.gpu.preset], ['webgpu', 'cpu', 'conv-conditional']);
  assert.deepEqual(got.gpu.steps.map((s) => s.step), [1, 2, 3]);
  for (const [i, g] of got.gpu.steps.entries()) {
    const c = got.cpu.steps[i];
    for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake']) {
      assert.ok(Number.isFinite(g[k]), `step ${g.step} ${k} on WebGPU: ${g[k]}`);
      // The same arithmetic in another order: equal to a few parts in 10,000 (float sums).
      // The convolutions differ in code too: ganvas's own kernels on the CPU (src/conv/, in
      // the wasm with SIMD128), burn's own ops on WebGPU, so this checks the kernels in the
      // browser's build against burn's, forward and backward, three steps deep.
      assert.ok(Math.abs(g[k] - c[k]) <= 1e-3 * Math.max(1, Math.abs(c[k])), `step ${g.step} ${k}: WebGPU ${g[k]} vs CPU ${c[k]}`);
    }
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('forced WebGPU initialises, trains a few steps and runs the judge', { timeout: 420_000 }, async () => {
  const page = await open(env.browser, `${env.base}/`);
  const info = await mount(page, { backend: 'webgpu', preset: 'tiny', weights: 'none' }, 300_000);
  assert.equal(info.backend, 'webgpu');
  const stats = await trainSteps(page, 3, 400_000);
  for (const s of stats) assert.ok(Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss));
  // The fresh weights were scored on the GPU (conv judge included) before training began.
  const [score] = await page.evaluate(() => document.querySelector('#demo').state.scores);
  assert.equal(score?.step, 0, JSON.stringify(score));
  assert.ok(score.digitScore >= 1 && score.digitScore <= 10 && Number.isFinite(score.frechet), JSON.stringify(score));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a lost GPU: training goes on on the CPU from the last checkpoint, and the page says so', { timeout: 600_000 }, async () => {
  const page = await open(env.browser, `${hooked.base}/`);
  const info = await mount(page, { backend: 'webgpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '4', 'score-every': '0' }, 300_000);
  assert.equal(info.backend, 'webgpu');
  const events = page.evaluate(() => new Promise((ok, fail) => {
    const el = document.querySelector('#demo');
    const seen = { checkpoints: [], memory: [] };
    el.addEventListener('checkpoint', async (e) => {
      // Checkpoints at step 0, after the first chunk, then every 4 steps: GPU memory at each
      // after training began, and at the fourth the device is destroyed.
      seen.checkpoints.push(e.detail);
      if (seen.checkpoints.length === 1) return;
      seen.memory.push(await el.memory());
      if (seen.checkpoints.length === 4) new BroadcastChannel('ganvas-test-hooks').postMessage({ type: 'lose-device' });
    });
    el.addEventListener('device-lost', (e) => { seen.lost = e.detail; });
    el.addEventListener('ready', (e) => { seen.resumed = e.detail; });
    el.addEventListener('step', (e) => {
      if (seen.resumed && e.detail.step > seen.resumed.step) ok({ ...seen, after: e.detail });
    });
    setTimeout(() => fail(new Error(`no CPU steps after the loss: ${JSON.stringify(seen)}`)), 500_000);
    el.train();
  }));
  const seen = await events;
  assert.equal(seen.lost.reason, 'destroyed');
  assert.equal(seen.resumed.backend, 'cpu');
  assert.equal(seen.resumed.step, seen.lost.step, 'resumed at the last checkpoint');
  assert.equal(seen.lost.step, seen.checkpoints[seen.checkpoints.length - 1].step);
  assert.ok(seen.lost.step >= 4, JSON.stringify(seen.lost));
  assert.ok(Number.isFinite(seen.after.dLoss) && seen.after.step > seen.lost.step);
  assert.match(await statusText(page), /^CPU.*The GPU was lost \(destroyed.*\)\. Continuing on the CPU from the checkpoint at step \d+/);
  // A model the visitor picks replaces the recovered run: the line no longer says why it moved.
  const fresh = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('ready', (e) => ok(e.detail), { once: true })));
  await page.evaluate(() => { const s = document.querySelector('#demo').shadowRoot.querySelector('.preset'); s.value = 'conditional'; s.dispatchEvent(new Event('change')); });
  assert.equal((await fresh).preset, 'conditional');
  assert.doesNotMatch(await statusText(page), /GPU was lost/);
  const [m0, , m1] = seen.memory;
  console.log(`# WebGPU (SwiftShader) device memory reserved at the checkpoints of steps ${seen.checkpoints.slice(1).map((c) => c.step).join(', ')}: ` +
    `${seen.memory.map((m) => `${(m.deviceBytesReserved / 1048576).toFixed(1)} MB (in use ${(m.deviceBytesInUse / 1048576).toFixed(1)})`).join(', ')}`);
  // Live GPU allocations stay flat from step to step (the pool's reserve grows in pages).
  assert.ok(m1.deviceBytesInUse <= m0.deviceBytesInUse * 1.02, JSON.stringify(seen.memory));
  await page.close();
});
