// Compares builds of the page's wasm (and its shipped weights) as a visitor meets them, all in
// one headless Chromium run: time from navigation to the first pretrained grid, and CPU
// training steps/s (wasm SIMD, tiny and standard, batch 64). Each build is a folder that holds
// what www/pkg/ holds (ganvas.js, ganvas_bg.wasm, standard.ganvas, judge.ganvas), served as
// /pkg/ of the page; builds take turns, round after round, so that a slow spell of the machine
// falls on all of them. What the size levers cost in speed (BENCHMARKS.md, "Page weight").
// Usage: node pkg-scripts/bench-builds.mjs [--rounds N] [--seconds S] [--presets a,b] name=dir [name=dir ...]
//   (presets: tiny,standard unless named)
import { resolve } from 'node:path';
import { serve } from './serve.mjs';
import { launch, mount, trainFor } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args.splice(i, 2)[1]);
};
const rounds = option('--rounds', 3);
const seconds = option('--seconds', 20);
const presetsAt = args.indexOf('--presets');
const presets = presetsAt < 0 ? ['tiny', 'standard'] : args.splice(presetsAt, 2)[1].split(',');
const builds = args.map((a) => {
  const [name, dir] = a.split('=');
  if (!dir) throw new Error(`expected name=dir, got ${a}`);
  return { name, dir: resolve(dir), firstGrid: [], rate: Object.fromEntries(presets.map((p) => [p, []])) };
});
if (!builds.length) throw new Error('usage: bench-builds.mjs [--rounds N] [--seconds S] name=dir ...');

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const browser = await launch();
try {
  for (let round = 0; round < rounds; round++) {
    for (const b of builds) {
      const server = await serve(0, { mounts: { '/pkg/': b.dir } });
      // A new context each time: nothing cached, the wasm compiled afresh as on a first visit.
      const context = await browser.newContext();
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`http://localhost:${server.address().port}/`);
      await page.waitForFunction(() => document.querySelector('#demo')?.state?.ready, null, { timeout: 120_000 });
      b.firstGrid.push((Date.now() - t0) / 1000);
      for (const preset of presets) {
        await mount(page, { backend: 'cpu', preset, weights: 'none', 'score-every': '0', 'checkpoint-every': '0' });
        const r = await trainFor(page, { steps: 1e9, seconds, warmup: 20 });
        b.rate[preset].push(r.rate);
      }
      await context.close();
      server.close();
      console.error(`round ${round + 1}: ${b.name}: first grid ${b.firstGrid.at(-1).toFixed(2)} s, ${presets.map((p) => `${p} ${b.rate[p].at(-1).toFixed(2)}`).join(', ')} steps/s`);
    }
  }
} finally {
  await browser.close();
}

const [ref] = builds;
const rel = (v, r) => `${((v / r - 1) * 100).toFixed(1)}%`;
console.log(`Median of ${rounds} rounds (${seconds} s of training per preset, CPU backend, batch 64); ± against ${ref.name}.\n`);
console.log(`| build | first pretrained grid, s | ${presets.map((p) => `${p} steps/s`).join(' | ')} |\n|---|---|${presets.map(() => '---|').join('')}`);
for (const b of builds) {
  const cells = [median(b.firstGrid), ...presets.map((p) => median(b.rate[p]))];
  const refs = [median(ref.firstGrid), ...presets.map((p) => median(ref.rate[p]))];
  const shown = cells.map((v, i) => `${v.toFixed(2)}${b === ref ? '' : ` (${rel(v, refs[i])})`}`);
  console.log(`| ${b.name} | ${shown.join(' | ')} |`);
}
