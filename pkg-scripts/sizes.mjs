// What a visit to the demo fetches before its first grid, measured as a visitor meets it: the
// page (www/, or --dir) served by a plain static server, headless Chromium, a fresh browser
// context per visit (nothing cached), every request of the page and its worker logged until the
// element fires `ready` (the first grid drawn), each file's raw, gzip -9 and brotli -q 11
// bytes; then what comes after, until the first quality score. Not a fixed list of files: what
// the page asks for is what counts. First-grid time: navigation → `ready`, the median of the
// visits. `visit()` is also what the browser tests use to hold the page to its budget.
// Usage: pkg-scripts/sizes [--visits N] (default 5) [--webgpu] (SwiftShader's adapter present)
//        [--dir DIR] [--json]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { serve } from './serve.mjs';
import { launch } from '../tests/browser/harness.mjs';

/** What a visit may fetch before its first grid (issue #24): bytes. */
export const BUDGET = { brotli: 1.5 * 2 ** 20, gzip: 2 * 2 ** 20, raw: 8 * 2 ** 20 };

const weight = new Map(); // file → {raw, gzip, brotli}, computed once
function sizes(file) {
  if (!weight.has(file)) {
    const bytes = readFileSync(file);
    weight.set(file, {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
    });
  }
  return weight.get(file);
}

/** The bytes of `files` together: `{raw, gzip, brotli}`. */
export const total = (files) => files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });

/**
 * One visit of `base` (a server of `dir`, whose `log` fills with `{path, file, at}` as it serves)
 * in a fresh context of `browser`: `{firstGridMs, before, after}`, the files (`{path, raw, gzip,
 * brotli}`) fetched before the first grid and after it, until the first score.
 */
export async function visit(browser, server, { path = '/', timeout = 120_000 } = {}) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let readyAt = null;
    await page.exposeFunction('__ganvasReady', () => { readyAt ??= performance.now(); });
    await page.addInitScript(() => {
      window.__visit = new Promise((ok) => {
        // `ready` and `score` do not bubble: caught on the way down, for any <ganvas-demo>.
        document.addEventListener('ready', () => {
          const at = performance.now();
          window.__ganvasReady();
          document.addEventListener('score', () => ok(at), { capture: true, once: true });
        }, { capture: true, once: true });
      });
    });
    server.log.length = 0;
    await page.goto(`${server.base}${path}`);
    const firstGridMs = await page.evaluate((timeout) => Promise.race([
      window.__visit, new Promise((_, fail) => setTimeout(() => fail(new Error('no ready and score events')), timeout)),
    ]), timeout);
    const files = (when) => server.log.filter(when).map(({ path, file }) => ({ path, ...sizes(file) }));
    return { firstGridMs, before: files((r) => r.at <= readyAt), after: files((r) => r.at > readyAt) };
  } finally {
    await context.close();
  }
}

/** A static server of `dir` that logs what it serves, with `base` and `log`. */
export async function logged(dir) {
  const log = [];
  const root = resolve(dir);
  const server = await serve(0, { dir: root, onServe: (path) => log.push({ path, file: resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`), at: performance.now() }) });
  return Object.assign(server, { log, base: `http://localhost:${server.address().port}` });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => { const i = args.indexOf(name); return i < 0 ? fallback : args[i + 1]; };
  const visits = Number(option('--visits', 5));
  const dir = option('--dir', fileURLToPath(new URL('../www/', import.meta.url)));
  const webgpu = args.includes('--webgpu');
  const server = await logged(dir);
  const browser = await launch({ webgpu });
  const runs = [];
  try {
    for (let i = 0; i < visits; i++) runs.push(await visit(browser, server));
  } finally {
    await browser.close();
    server.close();
  }
  const times = runs.map((r) => r.firstGridMs / 1000).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const [first] = runs;
  const sum = total(first.before);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ dir, webgpu, visits, median, times, before: first.before, total: sum, after: first.after }, null, 2));
  } else {
    const row = (name, f) => console.log(`${name.padEnd(32)} ${String(f.raw).padStart(10)} ${String(f.gzip).padStart(10)} ${String(f.brotli).padStart(10)}`);
    console.log(`A visit to ${dir} (headless Chromium, ${webgpu ? "SwiftShader's WebGPU adapter" : 'no WebGPU adapter'}, a fresh context each, ${visits} visits)`);
    row('fetched before the first grid', { raw: 'raw', gzip: 'gzip -9', brotli: 'brotli -q 11' });
    for (const f of first.before) row(f.path, f);
    row(`total (${first.before.length} files)`, sum);
    const MiB = (n) => `${(n / 2 ** 20).toFixed(2)} MiB`;
    console.log(`  = ${MiB(sum.raw)} raw, ${MiB(sum.gzip)} gzip, ${MiB(sum.brotli)} brotli (budget ${MiB(BUDGET.raw)}, ${MiB(BUDGET.gzip)}, ${MiB(BUDGET.brotli)})`);
    console.log('then, until the first score:');
    for (const f of first.after) row(f.path, f);
    console.log(`first grid (navigation → ready): median ${median.toFixed(2)} s of ${visits} (${times.map((t) => t.toFixed(2)).join(', ')})`);
  }
}
