// The package a tutorial author embeds (pkg-scripts/dist, README "Embed ganvas in your page"):
// served with CORS on one origin (127.0.0.1:A) and embedded by a page of another (localhost:B)
// with one script tag, the element draws digits and trains — from dist/ as it is and from the
// tarball `npm pack` makes of it. The host page runs under the CSP the README documents for a
// cross-origin embed. `base` moves pkg/ and data/ to a third origin; `weights` from another
// origin load only with `crossorigin`. The WebGPU module is fetched, from the element's origin,
// only when WebGPU is used. Builds dist/ itself (copies only), so it cannot pass on a
// stale or missing one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../pkg-scripts/serve.mjs';
import { gridPixels, mount, start, statusText, waitReady } from './harness.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const served = { dist: new Set(), packed: new Set() }; // paths each CDN-like server was asked for
const servers = [];
let env, tmp, host, origin;

before(async () => {
  execFileSync(join(repo, 'pkg-scripts/dist'), { cwd: repo, stdio: 'pipe' });
  tmp = mkdtempSync(join(tmpdir(), 'ganvas-dist-'));
  execFileSync('npm', ['pack', join(repo, 'dist'), '--pack-destination', tmp, '--silent'], { stdio: 'pipe' });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', join(tmp, tarball), '-C', tmp]); // → tmp/package/
  const cdn = async (dir, seen) => {
    const server = await serve(0, { dir, cors: true, onServe: (p) => seen.add(p) });
    servers.push(server);
    return `http://127.0.0.1:${server.address().port}`;
  };
  origin = { dist: await cdn(join(repo, 'dist'), served.dist), packed: await cdn(join(tmp, 'package'), served.packed) };
  // The host pages: one tag each, no inline script, under the documented cross-origin policy.
  const pages = join(tmp, 'host');
  mkdirSync(pages);
  const cdns = `${origin.dist} ${origin.packed}`;
  const csp = `default-src 'self'; script-src 'self' ${cdns} 'wasm-unsafe-eval'; worker-src blob: ${cdns}; connect-src 'self' ${cdns}; style-src 'self' ${cdns}`;
  for (const [name, from] of Object.entries(origin)) {
    const script = `<!doctype html><meta charset="utf-8"><script type="module" src="${from}/ganvas-demo.js"></script>`;
    writeFileSync(join(pages, `${name}.html`), `${script}\n<ganvas-demo id="demo" backend="cpu"></ganvas-demo>\n`);
    writeFileSync(join(pages, `${name}-bare.html`), `${script}\n`);
  }
  writeFileSync(join(pages, 'favicon.ico'), ''); // no 404 in the console
  host = await serve(0, { dir: pages, headers: { 'content-security-policy': csp } });
  servers.push(host);
  env = await start({ webgpu: true }); // SwiftShader's WebGPU: the lazily loaded module is tested too
});
after(async () => {
  for (const s of servers) s.close();
  await env?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A host page on localhost:B (another origin than 127.0.0.1), recording errors and CSP violations. */
async function openHost(name) {
  const page = await env.browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP refused ${e.blockedURI} (${e.violatedDirective})`)));
  await page.goto(`http://localhost:${host.address().port}/${name}.html`);
  return page;
}

for (const [name, what] of [['dist', 'dist/ served as it is'], ['packed', 'the npm pack tarball, extracted']]) {
  test(`from another origin, ${what}: one tag draws digits and trains`, async () => {
    served[name].clear();
    const page = await openHost(name);
    const info = await waitReady(page, '#demo');
    assert.ok(info.step > 0, 'the shipped weights were loaded from the other origin');
    const px = await gridPixels(page);
    assert.ok(px.mean > 0.06 && px.mean < 0.3 && px.darkShare > 0.6, `digits drawn: ${JSON.stringify(px)}`);
    await page.locator('#demo .train').click(); // the panel's Train button, inside the shadow root
    await page.waitForFunction((s) => document.querySelector('#demo').state.step > s, info.step, { timeout: 120_000 });
    await page.evaluate(() => document.querySelector('#demo').pause());
    for (const path of ['/ganvas-demo.js', '/worker.js', '/ganvas.css', '/pkg/ganvas.js', '/pkg/ganvas_bg.wasm', '/pkg/standard.ganvas', '/data/mnist-train.gz']) {
      assert.ok(served[name].has(path), `${path} came from ${origin[name]} (${[...served[name]]})`);
    }
    assert.ok(!served[name].has('/pkg/ganvas_webgpu.js'), 'the CPU backend never fetches the WebGPU module');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('base: the element from one origin, pkg/ and data/ from another', async () => {
  const page = await openHost('dist-bare');
  served.dist.clear();
  served.packed.clear();
  const info = await mount(page, { backend: 'cpu', base: origin.packed }); // no trailing slash: still a folder
  assert.ok(info.step > 0);
  assert.ok(served.dist.has('/worker.js'), 'the worker comes with the element');
  for (const path of ['/pkg/ganvas.js', '/pkg/ganvas_bg.wasm', '/pkg/standard.ganvas']) {
    assert.ok(served.packed.has(path) && !served.dist.has(path), `${path} from base only`);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('backend="webgpu" from another origin: the WebGPU module, loaded only then, runs under the same CSP', { timeout: 420_000 }, async () => {
  const page = await openHost('dist-bare');
  served.dist.clear();
  const info = await mount(page, { backend: 'webgpu', preset: 'tiny', weights: 'none', 'score-every': '0' }, 300_000);
  assert.equal(info.backend, 'webgpu', info.reason);
  for (const path of ['/pkg/ganvas_webgpu.js', '/pkg/ganvas_webgpu_bg.wasm']) assert.ok(served.dist.has(path), `${path} came from ${origin.dist}`);
  assert.ok(!served.dist.has('/pkg/ganvas_bg.wasm'), 'nor is the CPU-only module fetched when WebGPU was asked for');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('weights from another origin load with crossorigin, and are refused without it', async () => {
  const page = await openHost('dist-bare');
  const weights = `${origin.packed}/pkg/standard.ganvas`; // neither the page's origin nor the element's
  served.packed.clear();
  const loaded = await mount(page, { backend: 'cpu', weights, crossorigin: 'anonymous' });
  assert.ok(loaded.step > 0 && served.packed.has('/pkg/standard.ganvas'), 'loaded with CORS');
  assert.deepEqual(page.errors, []);

  served.packed.clear();
  const refused = await page.evaluate((weights) => new Promise((ok) => {
    document.querySelectorAll('ganvas-demo').forEach((e) => e.remove());
    const el = Object.assign(document.createElement('ganvas-demo'), { id: 'demo' });
    el.setAttribute('backend', 'cpu');
    el.setAttribute('weights', weights);
    let error = null;
    el.addEventListener('error', (e) => { error ??= e.detail; });
    el.addEventListener('ready', (e) => ok({ error, step: e.detail.step }), { once: true });
    document.body.append(el);
  }), weights);
  assert.equal(refused.error?.during, 'attribute');
  assert.match(refused.error.message, /weights must come from this site .*crossorigin="anonymous"/);
  assert.equal(refused.step, 0, 'opened with fresh weights instead');
  assert.equal(served.packed.has('/pkg/standard.ganvas'), false, 'never fetched');
  assert.match(await statusText(page), /weights must come from this site.*Fresh standard weights/, 'the status line says why');
  await page.close();
});
