// Test hooks stay out of what ships: the page as pkg-scripts/demo serves it loads no code that
// can poison, crash or lose the model on demand; only the tests' server (hooks: true) serves
// the test build and the hooks worker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serve } from '../../pkg-scripts/serve.mjs';
import { open, start, trainSteps, waitReady } from './harness.mjs';

const HOOKS = /debugPoison|debugPanic|debugMeasureSwitches|ganvas-test-hooks|lose-device|measure-switches/;
const served = new Set();
let env;
before(async () => { env = await start({ onServe: (path) => served.add(path) }); });
after(async () => { await env?.close(); });

test('the page, trained a few steps, loads no test hook', async () => {
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

test('only the tests\' server serves the hooks worker and the test build', async () => {
  const hooked = await serve(0, { hooks: true });
  const base = `http://localhost:${hooked.address().port}`;
  try {
    const get = async (path) => (await fetch(`${base}${path}`)).text();
    assert.match(await get('/worker.js'), /ganvas-test-hooks/);
    assert.equal(await get('/worker.js?shipped'), readFileSync(new URL('../../www/worker.js', import.meta.url), 'utf8'));
    assert.match(await get('/pkg/ganvas.js'), /debugPoison/);
    // The shipped server reaches neither, though www/pkg-test/ sits beside the page.
    assert.equal(await (await fetch(`${env.base}/worker.js?shipped`)).text(), readFileSync(new URL('../../www/worker.js', import.meta.url), 'utf8'));
    assert.equal((await fetch(`${env.base}/pkg-test/ganvas.js`)).status, 404);
  } finally { hooked.close(); }
});
