// The explore view's latency, as a visitor drags a slider: from each `input` event of the first
// slider to the `explore` event of the zoomed digit it redrew (the worker's generate, the
// readback, the canvas), in milliseconds and in animation frames, per preset; and the time
// from a click on a grid digit to its 8 sliders (one generate of latent + 1 digits, ranked).
// The CPU backend, headless Chromium, this machine. Needs pkg-scripts/build first.
// Usage: node pkg-scripts/bench-explore.mjs [--smoke] [--presets=standard,conditional,conv]
import { mount, open, start, waitReady } from '../tests/browser/harness.mjs';

const smoke = process.argv.includes('--smoke');
const presets = process.argv.find((a) => a.startsWith('--presets='))?.split('=')[1].split(',') ?? (smoke ? ['standard'] : ['standard', 'conditional', 'conv']);
const moves = smoke ? 5 : 60;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const env = await start();
const rows = [];
try {
  for (const preset of presets) {
    const page = await open(env.browser, `${env.base}/`, { viewport: { width: 1280, height: 800 } });
    await waitReady(page, '#demo');
    await mount(page, { preset, backend: 'cpu', mode: 'explore' });
    const got = await page.evaluate(async (moves) => {
      const el = document.querySelector('#demo'), root = el.shadowRoot;
      const t0 = performance.now();
      const box = root.querySelector('canvas.grid').getBoundingClientRect();
      root.querySelector('canvas.grid').dispatchEvent(new MouseEvent('click', { clientX: box.left + 10, clientY: box.top + 10, bubbles: true }));
      while (root.querySelectorAll('.sliders input').length < 8) await new Promise((r) => requestAnimationFrame(r));
      const sliders = performance.now() - t0;
      let frame = 0;
      const count = () => { frame++; requestAnimationFrame(count); };
      requestAnimationFrame(count);
      const input = root.querySelector('.sliders input'), seen = [];
      for (let k = 0; k < moves; k++) {
        const drawn = new Promise((ok) => el.addEventListener('explore', ok, { once: true }));
        const [f0, m0] = [frame, performance.now()];
        input.value = -3 + (6 * k) / moves;
        input.dispatchEvent(new Event('input'));
        await drawn;
        seen.push({ ms: performance.now() - m0, frames: frame - f0 });
      }
      return { sliders, seen };
    }, moves);
    const ms = got.seen.map((s) => s.ms), frames = got.seen.map((s) => s.frames);
    rows.push(`| ${preset} | ${median(ms).toFixed(1)} | ${Math.max(...ms).toFixed(1)} | ${median(frames)} | ${Math.max(...frames)} | ${got.sliders.toFixed(0)} |`);
    await page.close();
  }
} finally { await env.close(); }
console.log(`slider move → zoom redrawn, ${moves} moves each (CPU backend):\n`);
console.log('| preset | median ms | max ms | median frames | max frames | click → 8 sliders (ms) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
