// Restarts that catch a request in flight (issue #12: a preset changed before the first grid
// arrived left the grid blank for good). For each way a visitor replaces the model (the
// preset select — the backend select takes the same path, controls.js `choose` — Train from
// scratch, a weights upload), made while the
// first grid is being generated and again while training: the new model's grid is drawn, it
// keeps redrawing as training goes on, and no request is left waiting.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gridChange, gridPixels, mount, open, start, state, waitReady } from './harness.mjs';

let env, tinyWeights;
before(async () => {
  env = await start();
  // A tiny generator file, as a visitor gets one: the Download button of a tiny model.
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#demo button.download').click()]);
  tinyWeights = readFileSync(await download.path()).toString('base64');
  await page.close();
});
after(async () => { await env?.close(); });

/** Defines `window.act(what, arg)`: a visitor's action on #demo's controls. */
function installActions(page) {
  return page.evaluate(() => {
    const choose = (root, sel, value) => {
      const select = root.querySelector(sel);
      select.value = value;
      select.dispatchEvent(new Event('change'));
    };
    window.act = (what, arg) => {
      const root = document.querySelector('#demo').shadowRoot;
      if (what === 'preset') return choose(root, '.preset', arg);
      if (what === 'backend') return choose(root, '.backend-select', arg);
      if (what === 'reset') return root.querySelector('.reset').click();
      if (what === 'upload') {
        const bytes = Uint8Array.from(atob(arg), (c) => c.charCodeAt(0));
        const files = new DataTransfer();
        files.items.add(new File([bytes], 'tiny.ganvas', { type: 'application/octet-stream' }));
        const input = root.querySelector('.upload-input');
        input.files = files.files;
        return input.dispatchEvent(new Event('change'));
      }
      throw new Error(`no action ${what}`);
    };
  });
}

/**
 * Mounts #demo with `attrs` and performs the action the moment its first model is shown,
 * its first grid requested but not yet answered. Resolves with the state at that moment.
 */
function actDuringFirstGrid(page, attrs, what, arg) {
  return page.evaluate(({ attrs, what, arg }) => new Promise((ok, fail) => {
    document.querySelectorAll('ganvas-demo').forEach((e) => e.remove());
    const el = document.createElement('ganvas-demo');
    el.id = 'demo';
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    window.readies = 0; // ready events of #demo, counted
    el.addEventListener('ready', () => window.readies++);
    // onModel writes the backend line, then asks for the grid: the observer runs right after.
    const watched = el.shadowRoot.querySelector('.backend');
    const observer = new MutationObserver(() => {
      if (el.state.step == null) return;
      observer.disconnect();
      const { ready, pendingRequests, step } = el.state;
      try { window.act(what, arg); } catch (e) { return fail(e); }
      ok({ ready, pendingRequests, step });
    });
    observer.observe(watched, { childList: true, characterData: true, subtree: true });
    document.body.append(el);
  }), { attrs, what, arg });
}

/** Waits for what the action brings: a new model's ready event, or the upload's message. */
async function settled(page, what, readiesBefore) {
  if (what === 'upload') {
    await page.waitForFunction(() => /Weights loaded/.test(document.querySelector('#demo').shadowRoot.querySelector('.message').textContent), null, { timeout: 60_000 });
  } else if (what === 'reset') {
    // Same worker: the reset waits in its queue behind the first grid, so the first model may
    // still say ready before the new one replaces it. Steps come only after the reset (Train
    // from scratch trains at once), so a ready state with steps is the new model's.
    await page.waitForFunction((n) => { const s = document.querySelector('#demo').state; return window.readies > n && s.ready && s.step > 0; }, readiesBefore, { timeout: 90_000 });
  } else {
    await page.waitForFunction((n) => window.readies > n && document.querySelector('#demo').state.ready, readiesBefore, { timeout: 90_000 });
  }
}

/**
 * The grid is drawn, and redraws as training goes on (`steps` on: past the warm-up hold of
 * loaded weights, 200 steps, for an upload); once paused, no request is left waiting.
 */
async function keepsRedrawing(page, steps) {
  const first = await gridPixels(page);
  assert.ok(first.mean > 0.01, `the new grid is drawn: ${JSON.stringify(first)}`);
  if (!(await state(page)).running) await page.evaluate(() => document.querySelector('#demo').train());
  const from = (await state(page)).step;
  await page.waitForFunction((n) => document.querySelector('#demo').state.step >= n, from + steps, { timeout: 120_000 });
  // Three redraws in a row, each with other digits than the one before (gridChange fails
  // when no new grid comes within its timeout).
  let hash = first.hash;
  for (let i = 0; i < 3; i++) hash = (await gridChange(page, hash)).hash;
  await page.evaluate(() => document.querySelector('#demo').pause());
  await page.waitForFunction(() => { const s = document.querySelector('#demo').state; return !s.running && s.pausedAt != null && s.pendingRequests === 0; }, null, { timeout: 30_000 })
    .catch(async () => assert.fail(`requests left waiting: ${JSON.stringify(await state(page))}`));
}

const CASES = [
  // [what, arg, check of the model after it]
  ['preset', 'tiny', (s) => assert.equal(s.preset, 'tiny')],
  ['reset', undefined, (s) => assert.equal(s.ready.step, 0)],
  ['upload', 'weights', (s) => assert.equal(s.preset, 'tiny')],
];

for (const [what, arg, check] of CASES) {
  test(`${what} while the first grid is on its way: the new grid is drawn and keeps redrawing`, async () => {
    const page = await open(env.browser, `${env.base}/`);
    await waitReady(page, '#demo');
    await installActions(page);
    // The page's own opening (the pretrained standard net) for the preset; a tiny net
    // otherwise, whose uploads match and which trains fast enough to see redraws soon.
    const attrs = what === 'preset' ? { backend: 'auto' } : { backend: 'auto', preset: 'tiny', weights: 'none' };
    const at = await actDuringFirstGrid(page, attrs, what, arg === 'weights' ? tinyWeights : arg);
    assert.equal(at.ready, null, 'acted before the first grid was drawn');
    assert.ok(at.pendingRequests >= 1, `the first grid was in flight: ${JSON.stringify(at)}`);
    await settled(page, what, 0);
    check(await state(page));
    await keepsRedrawing(page, what === 'upload' ? 250 : 30);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`${what} while training: the new grid is drawn and keeps redrawing`, async () => {
    const page = await open(env.browser, `${env.base}/`);
    await waitReady(page, '#demo');
    await installActions(page);
    await mount(page, { backend: 'auto', preset: 'tiny', weights: 'none', 'checkpoint-every': '100' });
    await page.evaluate(() => {
      window.readies = 0;
      document.querySelector('#demo').addEventListener('ready', () => window.readies++);
    });
    await page.evaluate(() => document.querySelector('#demo').train());
    await page.waitForFunction(() => document.querySelector('#demo').state.step >= 30, null, { timeout: 60_000 });
    const target = what === 'preset' ? 'conditional' : arg === 'weights' ? tinyWeights : arg;
    await page.evaluate(({ what, target }) => window.act(what, target), { what, target });
    await settled(page, what, 0);
    const s = await state(page);
    if (what === 'preset') assert.equal(s.preset, 'conditional');
    else check(s);
    await keepsRedrawing(page, what === 'upload' ? 250 : 30);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}
