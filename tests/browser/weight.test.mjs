// The page's weight as a visitor meets it (pkg-scripts/sizes.mjs: every request of the page
// and its worker until the first grid is drawn, a fresh browser context): within issue #24's
// budget, without the WebGPU module on a machine whose only adapter is a software one, and
// with the judge fetched only after the first grid. Sizes, not times: the same build weighs
// the same on every machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { BUDGET, logged, total, visit } from '../../pkg-scripts/sizes.mjs';
import { launch } from './harness.mjs';

let server, browser;
before(async () => {
  server = await logged(fileURLToPath(new URL('../../www/', import.meta.url)));
  browser = await launch({ webgpu: true }); // SwiftShader: an adapter, but a software one
});
after(async () => { await browser?.close(); server?.close(); });

test('a visit fetches ≤ 1.5 MiB brotli, ≤ 2 MiB gzip and ≤ 8 MiB raw before the first grid; the WebGPU module and the judge are not part of it', async () => {
  const { before: fetched, after: later } = await visit(browser, server);
  const paths = fetched.map((f) => f.path);
  const sum = total(fetched);
  console.log(`# before the first grid: ${fetched.length} files, ${sum.raw} raw, ${sum.gzip} gzip, ${sum.brotli} brotli bytes`);
  for (const needed of ['/', '/ganvas-demo.js', '/worker.js', '/pkg/ganvas.js', '/pkg/ganvas_bg.wasm', '/pkg/standard.ganvas']) {
    assert.ok(paths.includes(needed), `${needed} in ${paths.join(' ')}`);
  }
  for (const [k, limit] of Object.entries(BUDGET)) assert.ok(sum[k] <= limit, `${k}: ${sum[k]} > ${limit}`);
  assert.deepEqual(paths.filter((p) => /ganvas_webgpu|judge/.test(p)), []);
  const laterPaths = later.map((f) => f.path);
  assert.ok(laterPaths.includes('/pkg/judge.ganvas'), `the judge, for the first score: ${laterPaths.join(' ')}`);
  assert.deepEqual(laterPaths.filter((p) => /ganvas_webgpu/.test(p)), [], 'nor after it');
});
