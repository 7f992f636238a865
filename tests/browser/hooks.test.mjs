// Test hooks stay out of what ships: the page as pkg-scripts/demo serves it loads no code that
// can poison, crash or lose the model on demand; only the tests' server (hooks: true) serves
// the test build and the hooks worker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../pkg-scripts/serve.mjs';
import { open, start, trainSteps, waitReady } from './harness.mjs';

const HOOKS = /debugPoison|debugPanic|debugMeasureSwitches|ganvas-test-hooks|lose-device|measure-switches/;
const served = new Set();
let env;
before(async () => { env = await start({ onServe: (path) => served.add(path) }); });
after(async () => { await env?.close(); });

test('the page, trained a few steps, loads no test hook', async () => {
  served.clear(); // what this page loads, whatever ran before
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await trainSteps(page, 3);
  const scripts = [...served].filter((p) => p.endsWith('.js'));
  for (const needed of ['/ganvas-demo.js', '/worker.js', '/rpc.js', '/pkg/ganvas.js']) assert.ok(scripts.includes(needed), `${needed} in ${scripts}`);
  for (const path of scripts) {
    const text = await (await fetch(`${env.base}${path}`)).text();
    assert.doesNotMatch(text, HOOKS, `${path} holds a test hook`);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('only the tests\' server serves the hooks worker and the test build, which lies outside www/', async () => {
  const hooked = await serve(0, { hooks: true });
  const base = `http://localhost:${hooked.address().port}`;
  try {
    const get = async (root, path) => (await fetch(`${root}${path}`)).text();
    assert.match(await get(base, '/worker.js'), /ganvas-test-hooks/);
    // The shipped server serves the shipped worker and wasm glue, without hooks.
    assert.equal(await get(env.base, '/worker.js'), readFileSync(new URL('../../www/worker.js', import.meta.url), 'utf8'));
    for (const module of ['/pkg/ganvas.js', '/pkg/ganvas_webgpu.js']) {
      assert.match(await get(base, module), /debugPoison/);
      assert.doesNotMatch(await get(env.base, module), HOOKS);
    }
  } finally { hooked.close(); }
  // A copy of www/ (what a host uploads) holds no file of the test build.
  const www = fileURLToPath(new URL('../../www/', import.meta.url));
  const files = readdirSync(www, { recursive: true }).filter((f) => /\.(js|wasm)$/.test(f));
  const hooked_ = files.filter((f) => HOOKS.test(readFileSync(join(www, f)).toString('latin1')));
  assert.deepEqual(hooked_, [], 'files under www/ with test hooks');
});
