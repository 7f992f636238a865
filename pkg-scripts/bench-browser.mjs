// Browser benchmark, all in one headless Chromium run with WebGPU enabled (here that means
// SwiftShader, a software adapter: its figures are labelled so):
//  - time from navigation to the first pretrained grid, and the bytes fetched before it;
//  - training iterations/s (one D + one G step, batch 64) of ganvas on the CPU (burn Flex,
//    wasm SIMD128) and on WebGPU, and of the same GAN in TF.js on its cpu, wasm,
//    webgl and webgpu backends (pkg-scripts/bench-tfjs/).
// How soon "Train from scratch" draws digits: pkg-scripts/bench-scratch.mjs.
// Needs pkg-scripts/build first. Usage: node pkg-scripts/bench-browser.mjs [--smoke]
//   [--presets a,b] (default tiny,standard,conv-conditional,conv) [--cpu-only] (no WebGPU runs)
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { gridPixels, mount, open, start, trainFor, waitReady } from '../tests/browser/harness.mjs';

const smoke = process.argv.includes('--smoke');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const presets = arg('presets')?.split(',') ?? (smoke ? ['tiny'] : ['tiny', 'standard', 'conv-conditional', 'conv']);
const backends = process.argv.includes('--cpu-only') ? ['flex'] : ['flex', 'webgpu'];
// TF.js has these nets (bench-tfjs/gan.js); the conditional ones it has not.
const TFJS = ['tiny', 'standard', 'conv'];
const budget = smoke ? { steps: 3, seconds: 20, warmup: 1 } : { steps: 300, seconds: 60, warmup: 10 };
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const served = new Map(); // path → bytes, as the page's server sent them
const env = await start({ webgpu: true, onServe: (path, n) => served.set(path, n) });
const tfjs = await serve(0, { dir: here('bench-tfjs/'), mounts: { '/tfjs/': here('node_modules/@tensorflow/') } });

try {
  // Page weight and time to the first grid.
  const page = await open(env.browser, `${env.base}/`);
  const t0 = Date.now();
  await waitReady(page, '#demo');
  const firstGrid = (Date.now() - t0) / 1000;
  // The judge is requested right after the grid is drawn, for the quality meter: not before it.
  const before = [...served.entries()].filter(([p]) => p !== '/pkg/judge.ganvas');
  const bytes = before.reduce((a, [, n]) => a + n, 0);
  const px = await gridPixels(page);
  console.log(`page open → first pretrained grid: ${firstGrid.toFixed(2)} s; fetched before it: ${before.length} files, ${(bytes / 1e6).toFixed(2)} MB uncompressed (${before.map(([p]) => p).join(' ')}); mean ink ${px.mean.toFixed(3)}\n`);

  console.log('| preset | implementation | backend | adapter | iterations | it/s |\n|---|---|---|---|---|---|');
  for (const preset of presets) {
    for (const backend of backends) {
      const info = await mount(page, { backend, preset, weights: 'none', 'score-every': '0' }, 900_000);
      const r = await trainFor(page, budget);
      const name = info.adapter ? `${info.adapter.vendor} ${info.adapter.architecture}` : '–';
      const adapter = /swiftshader/i.test(name) || info.adapter?.isFallbackAdapter ? 'SwiftShader (software)' : name;
      console.log(`| ${preset} | ganvas (burn ${info.burnBackend}) | ${info.backend === 'webgpu' ? 'WebGPU' : 'CPU, wasm SIMD'} | ${adapter} | ${r.steps} | ${r.rate.toFixed(2)} |`);
    }
    if (!TFJS.includes(preset)) continue;
    const tf = await env.browser.newPage();
    await tf.goto(`http://localhost:${tfjs.address().port}/index.html`);
    await tf.waitForFunction(() => window.tfjsReady);
    for (const backend of backends.includes('webgpu') ? ['cpu', 'wasm', 'webgl', 'webgpu'] : ['cpu', 'wasm']) {
      try {
        const r = await tf.evaluate((o) => window.benchTfjs(o), { backend, preset, ...budget });
        const name = r.adapter ?? r.webglRenderer ?? '–';
        const adapter = /swiftshader/i.test(name) ? `SwiftShader${backend === 'webgl' ? ' via ANGLE' : ''} (software)` : name;
        console.log(`| ${preset} | TF.js 4.22 | ${backend} | ${adapter} | ${r.steps} | ${r.rate.toFixed(2)} |`);
      } catch (e) {
        console.log(`| ${preset} | TF.js 4.22 | ${backend} | – | – | did not start: ${e.message.split('\n')[0]} |`);
      }
    }
    await tf.close();
  }

  const errors = page.errors.filter((e) => !/WebGPU|GPU|adapter/i.test(e));
  if (errors.length) throw new Error(errors.join('\n'));
} finally {
  tfjs.close();
  await env.close();
}
