// A static server for www/ on localhost, with the MIME types browsers insist on
// (application/wasm for streaming compilation, text/javascript for module workers).
// Usage: node pkg-scripts/serve.mjs [port] [--dir DIR] [--cors]
//   port 0 picks a free one (prints the URL); --dir serves another folder (e.g. dist/);
//   --cors adds Access-Control-Allow-Origin: *, so that pages of other origins can embed it.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('../www/', import.meta.url)));
// The test build (tests only, built outside www/ so that a copy of www/ never ships it): wasm
// with the debug hooks, and a worker that listens for them.
const testPkg = resolve(fileURLToPath(new URL('../target/pkg-test/', import.meta.url)));
const hooksWorker = fileURLToPath(new URL('../tests/browser/hooks-worker.js', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.gz': 'application/gzip', '.ganvas': 'application/octet-stream', '.ts': 'text/plain',
};

/**
 * Serves www/ (or `dir`), plus `mounts`: {'/prefix/': folder} (the benchmarks' TF.js).
 * `cors: true` lets any origin read every file (Access-Control-Allow-Origin: *): what a CDN
 * does, and what an element served from here to another origin's page needs.
 * `hooks: true` (browser tests only) serves the test build instead: /pkg/ from target/pkg-test/
 * (wasm with debugPoison/debugPanic) and /worker.js as tests/browser/hooks-worker.js, which
 * serves the shipped worker's requests plus its hooks. Without it neither is reachable.
 * `missing`: paths answered 404, as by a host that lacks them (tests of a failed fetch).
 */
export function serve(port = 8000, { headers = {}, dir = root, mounts = {}, onServe, hooks = false, cors = false, missing = [] } = {}) {
  if (cors) headers = { 'access-control-allow-origin': '*', ...headers };
  const mounted = Object.entries(hooks ? { '/pkg/': testPkg, ...mounts } : mounts);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      const path = decodeURIComponent(url.pathname);
      if (missing.includes(path)) throw new Error('missing');
      const [prefix, base] = mounted.find(([p]) => path.startsWith(p)) ?? ['/', dir];
      const top = resolve(base);
      let file = normalize(join(top, path.slice(prefix.length - 1)));
      if (!file.startsWith(top)) { res.writeHead(403).end('forbidden'); return; }
      if (hooks && path === '/worker.js') file = hooksWorker;
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      onServe?.(path, body.length);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string' }, cors: { type: 'boolean' } } });
  const dir = values.dir ? resolve(values.dir) : root;
  const server = await serve(Number(positionals[0] ?? 8000), { dir, cors: values.cors });
  const what = [values.dir && dir, values.cors && 'CORS: any origin may embed it'].filter(Boolean).join('; ');
  console.log(`ganvas demo: http://localhost:${server.address().port}/${what ? ` (${what})` : ''}`);
}
