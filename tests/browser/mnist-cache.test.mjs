// The MNIST training file is kept in the browser's cache after the first download (issue #14,
// www/mnist-cache.js): a second visit in the same browser profile trains without fetching it
// again; a damaged cached copy is noticed, dropped and downloaded again; a server that sends a
// file whose SHA-256 is not the one in data/SHA256SUMS gets a clear message, and nothing is
// kept. Each test has its own browser context (a profile: the Cache API persists within one).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../pkg-scripts/serve.mjs';
import { mount, start, trainSteps, waitReady } from './harness.mjs';

const DATA = new URL('../../www/data/', import.meta.url);
const CACHE = 'ganvas-mnist-v1'; // CACHE_NAME in www/mnist-cache.js
const served = [];
let env;
before(async () => { env = await start({ onServe: (path) => served.push(path) }); });
after(async () => { await env?.close(); });

const downloads = () => served.filter((p) => p === '/data/mnist-train.gz').length;

/** A page in `context` (one browser profile) that records uncaught errors, as harness.open does. */
async function openIn(context, url) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return page;
}

/** The page as a visitor opens it, with a small from-scratch model whose status messages are recorded. */
async function visit(page) {
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'checkpoint-every': '0' });
  await page.evaluate(() => {
    const m = document.querySelector('#demo').shadowRoot.querySelector('.message');
    window.messages = [];
    new MutationObserver(() => window.messages.push(m.textContent)).observe(m, { childList: true, characterData: true, subtree: true });
  });
}
const messages = (page) => page.evaluate(() => window.messages);

/** What the page's cache holds: `{url: sha256 hex}`. */
const cached = (page) => page.evaluate(async (name) => {
  const cache = await caches.open(name);
  const out = {};
  for (const req of await cache.keys()) {
    const digest = await crypto.subtle.digest('SHA-256', await (await cache.match(req)).arrayBuffer());
    out[req.url] = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }
  return out;
}, CACHE);

const listed = readFileSync(new URL('SHA256SUMS', DATA), 'utf8').match(/^([0-9a-f]{64}) +mnist-train\.gz$/m)[1];

test('a second visit trains on the cached digits without downloading them again', async () => {
  const context = await env.browser.newContext();
  try {
    const page = await openIn(context, `${env.base}/`);
    const before = downloads();
    await visit(page);
    assert.ok((await trainSteps(page, 5)).length > 0);
    assert.equal(downloads() - before, 1, 'the first visit downloads the file once');
    const first = await messages(page);
    assert.ok(first.some((t) => t.startsWith('Loading the 60,000 MNIST training digits')), first.join(' | '));
    assert.ok(first.includes('Loaded 60,000 MNIST digits.'), first.join(' | '));
    assert.deepEqual(await cached(page), { [`${env.base}/data/mnist-train.gz`]: listed }, 'kept, and intact');

    await page.reload();
    await visit(page);
    const stats = await trainSteps(page, 5);
    assert.ok(stats.at(-1).step > 0, 'training advances');
    assert.equal(downloads() - before, 1, 'no second request for mnist-train.gz');
    const second = await messages(page);
    assert.ok(second.includes("Loaded 60,000 MNIST digits from the browser's cache."), second.join(' | '));
    assert.ok(!second.some((t) => t.startsWith('Loading the 60,000')), 'no download announced');
    assert.deepEqual(page.errors, []);
  } finally { await context.close(); }
});

test('a damaged cached copy is dropped and downloaded again, and training works', async () => {
  const context = await env.browser.newContext();
  try {
    const page = await openIn(context, `${env.base}/`);
    const before = downloads();
    await visit(page);
    await trainSteps(page, 5);
    const keys = Object.keys(await cached(page));
    assert.deepEqual(keys, [`${env.base}/data/mnist-train.gz`], 'the first download was kept');
    // Damage it: the same key, other bytes (a valid gzip would do no better: the hash decides).
    await page.evaluate(async ({ name, key }) => (await caches.open(name)).put(key, new Response('garbage')), { name: CACHE, key: keys[0] });
    assert.notEqual((await cached(page))[keys[0]], listed);

    await page.reload();
    await visit(page);
    const stats = await trainSteps(page, 5);
    assert.ok(stats.at(-1).step > 0, 'training advances');
    assert.equal(downloads() - before, 2, 'downloaded again');
    const msgs = await messages(page);
    assert.ok(msgs.includes('Loaded 60,000 MNIST digits.') && !msgs.some((t) => t.includes('cache')), msgs.join(' | '));
    assert.deepEqual(await cached(page), { [keys[0]]: listed }, 'the damaged copy was replaced by a good one');
    assert.deepEqual(page.errors, []);
  } finally { await context.close(); }
});

test('a server that sends a corrupt file: a clear message, training not started, nothing cached', async () => {
  // The real SHA256SUMS beside a copy of the file with one byte changed.
  const dir = mkdtempSync(join(tmpdir(), 'ganvas-corrupt-'));
  const bytes = readFileSync(new URL('mnist-train.gz', DATA));
  bytes[bytes.length >> 1] ^= 0x55;
  writeFileSync(join(dir, 'mnist-train.gz'), bytes);
  copyFileSync(new URL('SHA256SUMS', DATA), join(dir, 'SHA256SUMS'));
  const server = await serve(0, { mounts: { '/data/': dir } });
  const base = `http://localhost:${server.address().port}`;
  const context = await env.browser.newContext();
  try {
    const page = await openIn(context, `${base}/`);
    await visit(page);
    const error = page.evaluate(() => new Promise((ok) => document.querySelector('#demo').addEventListener('error', (e) => ok(e.detail), { once: true })));
    await page.evaluate(() => document.querySelector('#demo').train());
    const { message, kind } = await error;
    assert.equal(kind, 'data');
    assert.match(message, /bad MNIST data: .*mnist-train\.gz does not match its SHA-256 in SHA256SUMS .*it was not kept; training was not started/);
    const line = await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.message').textContent);
    assert.equal(line, `⚠ ${message}`, 'the status line says it');
    assert.equal(await page.evaluate(() => document.querySelector('#demo').state.step), 0);
    assert.deepEqual(await cached(page), {}, 'nothing cached');
  } finally { await context.close(); server.close(); }
});
