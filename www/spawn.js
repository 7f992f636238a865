// Starting the training worker wherever <ganvas-demo>'s script is served from. A worker's
// script must be same-origin with the page, so when the element comes from another origin (a
// CDN, another port) the worker starts from a same-origin `blob:` module whose one line imports
// the real worker.js (fetched with CORS; inside it, import.meta.url is still worker.js's own
// URL, so everything it resolves stays beside it). A page that serves the element itself gets
// worker.js directly, as before: its CSP needs no `worker-src blob:`, and a test server may
// replace /worker.js. Cross-origin, the page's CSP needs `worker-src blob: <that origin>` (the
// worker's static imports are fetched as worker scripts).

const boots = new Map(); // worker URL → its blob bootstrap, made once and kept for later workers

/** A module worker running `url` (a URL), same-origin or not. */
export function spawnWorker(url) {
  if (url.origin === location.origin) return new Worker(url, { type: 'module' });
  let boot = boots.get(url.href);
  if (!boot) {
    boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
    boots.set(url.href, boot);
  }
  return new Worker(boot, { type: 'module' });
}
