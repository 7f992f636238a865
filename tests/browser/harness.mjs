// Shared set-up for the browser tests: the static server and headless Debian Chromium driven
// by playwright-core (never a downloaded browser).
import { createRequire } from 'node:module';
import { serve } from '../../pkg-scripts/serve.mjs';

const require = createRequire(new URL('../../pkg-scripts/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const BASE_FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The server and browser. `hooks: true` serves the test build (see serve.mjs): a test then
 * breaks the model or sets a switch on demand with `hook(page, 'poison' | 'panic' | 'lose-device' | 'measure-switches', args)`.
 */
export async function start({ webgpu = false, onServe, hooks = false } = {}) {
  const server = await serve(0, { onServe, hooks });
  const base = `http://localhost:${server.address().port}`;
  const browser = await launch({ webgpu });
  return { server, base, browser, async close() { await browser.close(); server.close(); } };
}

/**
 * A second server, of the tests' build with its hooks (see serve.mjs), and its `base` URL: for
 * the tests that break the model on purpose beside a server of the page as it ships.
 * `missing`: paths it answers 404 (serve.mjs).
 */
export async function serveHooked({ missing = [] } = {}) {
  const server = await serve(0, { hooks: true, missing });
  server.base = `http://localhost:${server.address().port}`;
  return server;
}

/** Headless Debian Chromium with the flags this machine needs (`webgpu`: SwiftShader's WebGPU). */
export function launch({ webgpu = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...BASE_FLAGS, ...(webgpu ? ['--enable-unsafe-webgpu'] : [])],
  });
}

/** Asks the test worker of a page served with `hooks: true` for a failure or a switch (hooks-worker.js). */
export function hook(page, type, args = {}) {
  return page.evaluate(({ type, args }) => new Promise((ok) => {
    const channel = new BroadcastChannel('ganvas-test-hooks');
    channel.onmessage = ({ data }) => { if (data?.done === type) { channel.close(); ok(); } };
    channel.postMessage({ type, ...args });
  }), { type, args });
}

/** The element's read-only state (`el.state`), as plain data. */
export function state(page, selector = '#demo') {
  return page.evaluate((s) => {
    const { history, ...rest } = document.querySelector(s).state;
    return { ...rest, historyLength: history.length };
  }, selector);
}

/**
 * A page that records uncaught errors and console errors; `context`: the browser context's
 * options (a viewport, touch, a colour scheme, a device pixel ratio).
 */
export async function open(browser, url, context = {}) {
  const page = await browser.newPage(context);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  await page.goto(url);
  return page;
}

/** Replaces the page's demo element with one of the given attributes; resolves on `ready`. */
export async function mount(page, attrs, timeout = 120_000) {
  return page.evaluate(async ({ attrs, timeout }) => {
    await customElements.whenDefined('ganvas-demo');
    document.querySelectorAll('ganvas-demo').forEach((e) => e.remove());
    const el = document.createElement('ganvas-demo');
    el.id = 'demo';
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    const ready = new Promise((ok, fail) => {
      el.addEventListener('ready', (e) => ok(e.detail), { once: true });
      el.addEventListener('error', (e) => fail(new Error(e.detail.message)), { once: true });
      setTimeout(() => fail(new Error('no ready event')), timeout);
    });
    document.body.append(el);
    return ready;
  }, { attrs, timeout });
}

/** Resolves once the element fired `ready` (for pages that declare it in HTML). */
export function waitReady(page, selector, timeout = 120_000) {
  return page.evaluate(({ selector, timeout }) => new Promise((ok, fail) => {
    const el = document.querySelector(selector);
    if (el.state?.ready) return ok(el.state.ready);
    el.addEventListener('ready', (e) => ok(e.detail), { once: true });
    el.addEventListener('error', (e) => fail(new Error(e.detail.message)), { once: true });
    setTimeout(() => fail(new Error('no ready event')), timeout);
  }), { selector, timeout });
}

/** In the page: the grid's size, mean ink, share of background and a hash of its pixels. */
function pixelsOf(selector) {
  const c = document.querySelector(selector).shadowRoot.querySelector('canvas.grid');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0, dark = 0, hash = 0;
  const n = d.length / 4;
  for (let i = 0; i < d.length; i += 4) {
    const v = (d[i] - 16) / 239; // undo the page's background tint: 0 = background, 1 = ink
    sum += v;
    if (v < 0.25) dark++;
    hash = (hash * 31 + d[i]) >>> 0;
  }
  return { width: c.width, height: c.height, mean: sum / n, darkShare: dark / n, hash };
}

/** Grid pixel statistics: mean brightness in [0, 1], share of dark pixels, and a fingerprint. */
export function gridPixels(page, selector = '#demo') {
  return page.evaluate(pixelsOf, selector);
}

/** Resolves once #demo's grid has been drawn anew from the model as it is now (`el.redraw()`). */
export function redrawn(page, selector = '#demo') {
  return page.evaluate((s) => document.querySelector(s).redraw(), selector);
}

/**
 * Waits until the grid's pixels differ from those hashed `hash` (gridPixels' `hash`), then
 * returns the new pixels: the grid redrew with other digits. Fails after `timeout` ms.
 */
export async function gridChange(page, hash, timeout = 60_000, selector = '#demo') {
  await page.waitForFunction(`(${pixelsOf})(${JSON.stringify(selector)}).hash !== ${hash}`, null, { timeout });
  return gridPixels(page, selector);
}

/** Trains until at least `steps` more steps are done, then pauses; returns the stats seen. */
export function trainSteps(page, steps, timeout = 300_000) {
  return page.evaluate(({ steps, timeout }) => new Promise((ok, fail) => {
    const el = document.querySelector('#demo');
    const seen = [];
    let first = null;
    const onStep = (e) => {
      seen.push(e.detail);
      first ??= e.detail.step - 1;
      if (e.detail.step - first >= steps) { el.removeEventListener('step', onStep); el.pause(); ok(seen); }
    };
    el.addEventListener('step', onStep);
    el.addEventListener('error', (e) => fail(new Error(e.detail.message)), { once: true });
    setTimeout(() => fail(new Error(`fewer than ${steps} steps in time (${seen.length} events)`)), timeout);
    el.train();
  }), { steps, timeout });
}

export function statusText(page, selector = '#demo') {
  return page.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('.status').textContent, selector);
}

/**
 * Trains #demo until `steps` more steps or `seconds` have passed (after `warmup` steps) and
 * pauses: `{steps, rate}` (steps/s). For the benchmark scripts; tests assert on steps, not time.
 */
export function trainFor(page, { steps, seconds, warmup }) {
  return page.evaluate(({ steps, seconds, warmup }) => new Promise((ok, fail) => {
    const el = document.querySelector('#demo');
    let first = null, t0 = null;
    const onStep = (e) => {
      const s = e.detail.step;
      if (first == null) first = s - 1;
      if (t0 == null && s - first >= warmup) { t0 = performance.now(); first = s; return; }
      if (t0 != null && (s - first >= steps || performance.now() - t0 > seconds * 1000)) {
        el.removeEventListener('step', onStep);
        el.pause();
        ok({ steps: s - first, rate: (s - first) / ((performance.now() - t0) / 1000) });
      }
    };
    el.addEventListener('step', onStep);
    el.addEventListener('error', (e) => fail(new Error(e.detail.message)), { once: true });
    el.train();
  }), { steps, seconds, warmup });
}
