// www/mnist-cache.js against a fake server and a fake Cache API: a checked download is kept
// and read back without a second fetch; a damaged cached copy is dropped and downloaded again;
// a download that does not match SHA256SUMS is refused and not kept; without the Cache API or
// without SHA256SUMS the file is simply fetched. (tests/browser/mnist-cache.test.mjs does the
// same in Chromium with the real page.)
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CACHE_NAME, cachedBytes, listedHash } from '../../www/mnist-cache.js';

const URL_ = 'http://localhost/data/mnist-train.gz';
const good = new Uint8Array(1000).map((_, i) => i * 7);
const sha = (b) => createHash('sha256').update(b).digest('hex');

let files, requests, stores;
beforeEach(() => {
  files = { '/data/mnist-train.gz': good, '/data/SHA256SUMS': `${sha(good)}  mnist-train.gz\n${'0'.repeat(64)}  mnist-test.gz\n` };
  requests = [];
  stores = new Map();
  globalThis.fetch = async (url) => {
    const path = new URL(url).pathname;
    requests.push(path);
    return path in files ? new Response(files[path]) : new Response('not found', { status: 404, statusText: 'Not Found' });
  };
  globalThis.caches = {
    async open(name) {
      if (!stores.has(name)) stores.set(name, new Map());
      const m = stores.get(name);
      return {
        async match(k) { return m.has(k) ? new Response(m.get(k)) : undefined; },
        async put(k, res) { m.set(k, new Uint8Array(await res.arrayBuffer())); },
        async delete(k) { return m.delete(k); },
      };
    },
  };
});
const downloads = () => requests.filter((p) => p.endsWith('.gz')).length;
const kept = () => stores.get(CACHE_NAME)?.get(URL_);

test('SHA256SUMS lines are read as sha256sum writes them', () => {
  assert.equal(listedHash(`${'A'.repeat(64)} *x.gz\r\n`, 'x.gz'), 'a'.repeat(64));
  assert.equal(listedHash(`${'a'.repeat(64)}  y.gz\n`, 'x.gz'), null);
  assert.equal(listedHash('<html>not found</html>', 'x.gz'), null);
});

test('the first call downloads, checks and keeps the file; the second reads it back', async () => {
  let said = 0;
  const first = await cachedBytes(new URL(URL_), { onDownload: () => said++ });
  assert.deepEqual([first.from, first.kept, said, downloads()], ['network', true, 1, 1]);
  assert.deepEqual(first.bytes, good);
  const second = await cachedBytes(URL_, { onDownload: () => said++ });
  assert.deepEqual([second.from, said, downloads()], ['cache', 1, 1]);
  assert.deepEqual(second.bytes, good);
  assert.equal(requests.filter((p) => p.endsWith('SHA256SUMS')).length, 2, 'the hash comes from the server each time');
});

test('a damaged cached copy is dropped and downloaded again, never used', async () => {
  await (await caches.open(CACHE_NAME)).put(URL_, new Response('garbage'));
  const r = await cachedBytes(URL_);
  assert.deepEqual([r.from, downloads()], ['network', 1]);
  assert.deepEqual(r.bytes, good);
  assert.deepEqual(kept(), good, 'replaced by the good download');
});

test('a download that does not match SHA256SUMS is refused (kind data) and not kept', async () => {
  files['/data/mnist-train.gz'] = new Uint8Array(1000);
  await assert.rejects(cachedBytes(URL_), (e) => e.kind === 'data' && /does not match its SHA-256 in SHA256SUMS/.test(e.message));
  assert.equal(kept(), undefined);
});

test('an HTTP error is a data error that says what to run', async () => {
  delete files['/data/mnist-train.gz'];
  await assert.rejects(cachedBytes(URL_), (e) => e.kind === 'data' && /answered 404 \(run pkg-scripts\/data\)/.test(e.message));
});

test('without the Cache API, or without SHA256SUMS, the file is fetched each time', async () => {
  delete globalThis.caches;
  for (let i = 0; i < 2; i++) assert.equal((await cachedBytes(URL_)).from, 'network');
  assert.equal(downloads(), 2);
  globalThis.caches = { open: async () => { throw new DOMException('opaque origin', 'SecurityError'); } };
  assert.equal((await cachedBytes(URL_)).from, 'network');
  // Nothing to check against: the cache is neither read nor written.
  delete files['/data/SHA256SUMS'];
  const touched = [];
  globalThis.caches = { open: async () => ({ match: async () => touched.push('match'), put: async () => touched.push('put'), delete: async () => touched.push('delete') }) };
  const r = await cachedBytes(URL_);
  assert.deepEqual([r.from, r.kept, touched], ['network', false, []]);
});
