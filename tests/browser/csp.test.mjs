// Embedding safety: the page and the element work under a strict Content-Security-Policy (no
// inline script, no eval beyond compiling wasm, same-origin fetches only).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../../pkg-scripts/serve.mjs';
import { gridPixels, open, start, trainSteps, waitReady } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
let env, strict;
before(async () => {
  env = await start();
  strict = await serve(0, { headers: { 'content-security-policy': CSP } });
});
after(async () => { strict?.close(); await env?.close(); });

test(`the demo draws, trains and scores under "${CSP}"`, async () => {
  const page = await open(env.browser, `http://localhost:${strict.address().port}/`);
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to load ${e.blockedURI} (${e.violatedDirective})`)));
  await waitReady(page, '#demo');
  const px = await gridPixels(page);
  assert.ok(px.mean > 0.06 && px.darkShare > 0.6, JSON.stringify(px));
  const stats = await trainSteps(page, 5);
  assert.ok(stats.every((s) => Number.isFinite(s.dLoss)));
  await page.waitForFunction(() => document.querySelector('#demo').state.scores.length >= 1, null, { timeout: 60_000 });
  const header = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
  assert.equal(header, CSP, 'the policy was really served');
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await page.close();
});
