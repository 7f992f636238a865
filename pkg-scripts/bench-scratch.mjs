// "Digits in a minute": drives the demo page in headless Chromium as a visitor would (open it,
// press Train from scratch once, wait) and records the page's own quality meter against
// wall-clock seconds since the click, for the page's from-scratch default (the dense
// tiny-conditional net), the convolutional conv-conditional net with the same recipe, and the
// default it replaced (the standard net, classic recipe). Each is run `--runs` times; the
// tables give the median. Writes pkg-scripts/bench-results/scratch.md (tables for BENCHMARKS.md),
// scratch-curves.png (digit score and Fréchet distance over seconds, every run) and the grid
// at 20 s and 60 s of each default's first run.
// The meter's "Score every" field is set to 100 steps so that readings come every few seconds;
// the page's own cap keeps scoring under 10% of training time, as at the default 500.
// Needs pkg-scripts/build first. Usage: node pkg-scripts/bench-scratch.mjs [--runs 3] [--seconds 300] [--smoke]
//   [--nets new,conv,old] (which of the three; default new,conv)
// `--replot` redraws the tables and the PNG from the last run's scratch.json without running.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mount, open, start, waitReady } from '../tests/browser/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const smoke = process.argv.includes('--smoke');
const replot = process.argv.includes('--replot');
const runs = smoke ? 1 : arg('--runs', 3);
const seconds = smoke ? 12 : arg('--seconds', 300);
const MARKS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300].filter((t) => t <= seconds);
const SHOTS = [20, 60].filter((t) => t <= seconds);
// A smoke run (CI) checks the script works without touching the recorded results.
const out = smoke ? join(tmpdir(), 'ganvas-bench-scratch/') : fileURLToPath(new URL('./bench-results/', import.meta.url));

const NETS = [
  {
    key: 'new', name: 'default: tiny-conditional (dense), fast recipe',
    // The page as it opens (pretrained standard digits), then the one button.
    async setup(page) { await waitReady(page, '#demo'); },
  },
  {
    key: 'conv', name: 'conv-conditional, fast recipe',
    // The preset picked before the click: Train from scratch then trains it.
    async setup(page) {
      await waitReady(page, '#demo');
      await mount(page, { preset: 'conv-conditional', weights: 'none', recipe: 'fast' });
    },
  },
  {
    key: 'old', name: 'old default: standard net, classic recipe',
    // What Train from scratch did before: the standard net, Adam 2e-4, the live G.
    async setup(page) {
      await waitReady(page, '#demo');
      await mount(page, { preset: 'standard', weights: 'none' });
      await page.locator('#demo select.recipe').selectOption('classic');
    },
  },
];

const picked = process.argv.find((a) => a.startsWith('--nets='))?.slice(7).split(',') ?? (smoke ? ['new'] : ['new', 'conv']);
const DEFAULTS = NETS.filter((n) => picked.includes(n.key));
const COLORS = { new: '#1a7f64', conv: '#2f5fb3', old: '#c0392b' };

async function run(config, index) {
  const page = await open(env.browser, `${env.base}/`);
  await page.setViewportSize({ width: 1000, height: 1000 });
  await config.setup(page);
  const every = page.locator('#demo input.score-every');
  await every.fill('100');
  await every.dispatchEvent('change');
  await page.evaluate(() => {
    const el = document.querySelector('#demo');
    // Only what the new model reports: a score of the model the page opened with (the judge's
    // first reading of the pretrained digits) can still arrive after the click.
    const rec = (window.rec = { t0: null, fresh: false, scores: [], steps: [] });
    el.addEventListener('score', (e) => rec.fresh && rec.scores.push({ t: (performance.now() - rec.t0) / 1000, ...e.detail }));
    el.addEventListener('step', (e) => rec.fresh && rec.steps.push({ t: (performance.now() - rec.t0) / 1000, step: e.detail.step, msPerStep: e.detail.msPerStep }));
  });
  await page.evaluate(() => {
    window.rec.t0 = performance.now();
    document.querySelector('#demo').addEventListener('ready', () => { window.rec.fresh = true; }, { once: true });
  });
  await page.locator('#demo button.reset').click();
  for (const shot of SHOTS) {
    await page.waitForFunction((t) => (performance.now() - window.rec.t0) / 1000 >= t, shot, { timeout: 0, polling: 100 });
    if (index === 0) await page.locator('#demo canvas.grid').screenshot({ path: `${out}scratch-${config.key}-${shot}s.png` });
  }
  await page.waitForFunction((t) => (performance.now() - window.rec.t0) / 1000 >= t, seconds, { timeout: 0, polling: 500 });
  const rec = await page.evaluate(() => {
    document.querySelector('#demo').pause();
    return window.rec;
  });
  const errors = page.errors;
  await page.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return rec;
}

const median = (xs) => {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null;
};
/** The newest reading at or before `t` seconds. */
const at = (rec, t) => rec.scores.filter((s) => s.t <= t).pop() ?? null;
const fmt = (v, d = 2) => (v == null ? '–' : v.toFixed(d));

const env = await start();
let results = {};
try {
  await mkdir(out, { recursive: true });
  if (replot) results = JSON.parse(await readFile(`${out}scratch.json`, 'utf8'));
  for (const config of replot ? [] : DEFAULTS) {
    results[config.key] = [];
    for (let i = 0; i < runs; i++) {
      const rec = await run(config, i);
      results[config.key].push(rec);
      const last = rec.scores[rec.scores.length - 1];
      console.error(`${config.key} run ${i + 1}: ${rec.steps.length ? rec.steps[rec.steps.length - 1].step : 0} steps, last score ${fmt(last?.digitScore)} at ${fmt(last?.t, 0)} s`);
    }
  }

  let md = `Median of ${runs} run${runs > 1 ? 's' : ''} (\`node pkg-scripts/bench-scratch.mjs --runs ${runs} --seconds ${seconds}\`): the page's meter (500 digits of what the grid shows) at each time after the click; newest reading at or before it.\n\n`;
  md += `| seconds after the click | ${DEFAULTS.map((c) => `${c.name}: step · digit score · Fréchet · classes drawn`).join(' | ')} |\n|---|${DEFAULTS.map(() => '---').join('|')}|\n`;
  for (const t of MARKS) {
    const cells = DEFAULTS.map((c) => {
      const r = results[c.key].map((rec) => at(rec, t));
      const classes = median(r.map((s) => s && s.classShares.filter((x) => x > 0).length));
      return `${fmt(median(r.map((s) => s?.step)), 0)} · **${fmt(median(r.map((s) => s?.digitScore)))}** · ${fmt(median(r.map((s) => s?.frechet)), 1)} · ${fmt(classes, 0)}`;
    });
    md += `| ${t} | ${cells.join(' | ')} |\n`;
  }
  md += `\n| | ${DEFAULTS.map((c) => c.name).join(' | ')} |\n|---|${DEFAULTS.map(() => '---').join('|')}|\n`;
  const rate = (rec) => {
    const s = rec.steps.filter((x) => x.t > 5);
    return s.length > 1 ? (s[s.length - 1].step - s[0].step) / (s[s.length - 1].t - s[0].t) : null;
  };
  md += `| steps/s (after the first 5 s, scoring included; median) | ${DEFAULTS.map((c) => fmt(median(results[c.key].map(rate)), 1)).join(' | ')} |\n`;
  // A run that never got there counts as later than any that did.
  const first = (rec, v) => rec.scores.find((s) => s.digitScore >= v)?.t ?? Infinity;
  for (const v of [5, 7, 8]) {
    const cell = (c) => {
      const m = median(results[c.key].map((r) => first(r, v)));
      return m === Infinity ? `not within ${seconds}` : fmt(m, 0);
    };
    md += `| seconds to digit score ≥ ${v} (median) | ${DEFAULTS.map(cell).join(' | ')} |\n`;
  }
  md += `\n_${new Date().toISOString().slice(0, 10)}, headless Chromium, CPU backend (wasm SIMD)._\n`;
  await writeFile(`${out}scratch.md`, md);
  // Kept small: every score, and the step count about once a second.
  const thin = (rec) => ({ ...rec, steps: rec.steps.filter((s, i, all) => i === 0 || Math.floor(s.t) !== Math.floor(all[i - 1].t)) });
  if (!replot) await writeFile(`${out}scratch.json`, JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map(thin)]))));
  console.log(md);

  // The curves, drawn on a 2D canvas in the browser and saved as a PNG.
  const page = await env.browser.newPage();
  await page.setContent('<canvas id="c" width="1000" height="420" style="background:#fff"></canvas>');
  await page.evaluate(({ series, seconds }) => {
    const ctx = document.getElementById('c').getContext('2d');
    const panels = [
      { key: 'digitScore', title: 'digit score (higher is better; real MNIST 9.75)', lo: 0, hi: 10, x0: 60 },
      { key: 'frechet', title: 'Fréchet distance (log; lower is better)', lo: Math.log10(2), hi: Math.log10(5000), log: true, x0: 560 },
    ];
    const W = 400, H = 320, Y0 = 40;
    ctx.font = '13px sans-serif';
    for (const p of panels) {
      ctx.strokeStyle = '#999'; ctx.strokeRect(p.x0, Y0, W, H);
      ctx.fillStyle = '#000'; ctx.fillText(p.title, p.x0, Y0 - 10);
      for (let t = 0; t <= seconds; t += seconds / 5) ctx.fillText(`${t.toFixed(0)} s`, p.x0 + (t / seconds) * W - 10, Y0 + H + 16);
      const ticks = p.log ? [10, 100, 1000] : [0, 2, 4, 6, 8, 10];
      for (const v of ticks) {
        const y = Y0 + H - (((p.log ? Math.log10(v) : v) - p.lo) / (p.hi - p.lo)) * H;
        ctx.fillText(String(v), p.x0 - 34, y + 4);
        ctx.strokeStyle = '#eee'; ctx.beginPath(); ctx.moveTo(p.x0, y); ctx.lineTo(p.x0 + W, y); ctx.stroke();
      }
      for (const s of series) {
        ctx.strokeStyle = s.color; ctx.lineWidth = 1.5; ctx.beginPath();
        s.points.forEach((pt, i) => {
          const v = p.log ? Math.log10(Math.max(pt[p.key], 1e-3)) : pt[p.key];
          const x = p.x0 + (pt.t / seconds) * W, y = Y0 + H - ((Math.min(Math.max(v, p.lo), p.hi) - p.lo) / (p.hi - p.lo)) * H;
          i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
        });
        ctx.stroke();
      }
    }
    const names = [...new Map(series.map((s) => [s.name, s.color])).entries()];
    names.forEach(([name, color], i) => { ctx.fillStyle = color; ctx.fillText(`— ${name}`, 60 + i * 420, 405); });
  }, {
    seconds,
    series: DEFAULTS.flatMap((c) => results[c.key].map((rec) => ({ name: c.name, color: COLORS[c.key], points: rec.scores }))),
  });
  await page.locator('#c').screenshot({ path: `${out}scratch-curves.png` });
  await page.close();
} finally {
  await env.close();
}
