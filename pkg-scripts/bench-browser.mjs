// Browser benchmark: ganvas training steps/s in headless Chromium on the CPU backend (and on
// WebGPU when --webgpu is given), time from navigation to the first pretrained grid.
// Needs pkg-scripts/build first. Usage: node pkg-scripts/bench-browser.mjs [--smoke] [--webgpu]
import { gridPixels, mount, open, start, trainSteps, waitReady } from '../tests/browser/harness.mjs';

const smoke = process.argv.includes('--smoke');
const webgpu = process.argv.includes('--webgpu');
const steps = smoke ? 5 : 300;
const env = await start({ webgpu });
try {
  const page = await open(env.browser, `${env.base}/`);
  const t0 = Date.now();
  await waitReady(page, '#demo');
  const firstGrid = (Date.now() - t0) / 1000;
  const px = await gridPixels(page);
  console.log(`page open → first pretrained grid: ${firstGrid.toFixed(2)} s (mean ink ${px.mean.toFixed(3)})\n`);
  console.log('| preset | backend (burn) | WebGPU adapter | steps | speed |\n|---|---|---|---|---|');
  const backends = webgpu ? ['webgpu'] : ['flex', 'ndarray'];
  for (const backend of backends) {
    for (const preset of ['tiny', 'standard']) {
      const info = await mount(page, { backend, preset, weights: 'none' }, 600_000);
      // Warm-up: the first chunks include compilation (WebGPU) and allocation.
      await trainSteps(page, smoke ? 1 : 20, 600_000);
      const t = Date.now();
      const seen = await trainSteps(page, steps, 900_000);
      const done = seen[seen.length - 1].step - seen[0].step + 1;
      const rate = done / ((Date.now() - t) / 1000);
      const adapter = info.adapter ? `${info.adapter.vendor} ${info.adapter.architecture}${info.adapter.isFallbackAdapter ? ' (software fallback)' : ''}` : 'none';
      console.log(`| ${preset} | ${info.backend} (${info.burnBackend}) | ${adapter} | ${done} | ${rate.toFixed(1)} steps/s |`);
    }
  }
  if (page.errors.length) throw new Error(page.errors.join('\n'));
} finally {
  await env.close();
}
