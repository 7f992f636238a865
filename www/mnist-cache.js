// The MNIST training file, kept by the browser after its first download, so that a later visit
// trains without fetching its 9.7 MB again. The Cache API rather than HTTP caching: the static
// server (like many hosts) answers `no-cache` without a validator, so the browser's HTTP cache
// would download the whole file again on every visit.
//
// Integrity: the expected SHA-256 comes from `SHA256SUMS` beside the file, which
// pkg-scripts/data writes together with it and which is fetched afresh (`cache: 'no-cache'`,
// a hundred bytes) each time: never from the cached copy itself. A download is checked before
// it is kept, so a corrupt one is refused with a message and never cached; a cached copy is
// checked each time it is read, so one that was damaged, cut short or left by an older build
// is deleted and downloaded again, never used. This guards against accidents (a broken
// transfer, a bad disk, a stale copy), not against whoever serves the page, who could change
// both files.
//
// Without the Cache API or WebCrypto (an insecure or opaque origin, some private modes) the
// file is fetched as before. Without a line for it in SHA256SUMS (a host that lacks the file)
// nothing can be checked, so nothing is read from the cache or kept in it either.

/** Versioned: a new layout of what is kept takes a new name (the old one is simply unused). */
export const CACHE_NAME = 'ganvas-mnist-v1';

const dataError = (message) => Object.assign(new Error(message), { kind: 'data' });
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (bytes) => hex(await crypto.subtle.digest('SHA-256', bytes));

/** The hex SHA-256 that `sums` (sha256sum's output: "<hex>  <name>" lines) lists for `name`, or null. */
export function listedHash(sums, name) {
  for (const line of sums.split('\n')) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (m && m[2] === name) return m[1].toLowerCase();
  }
  return null;
}

/** The expected SHA-256 of `url` from the SHA256SUMS beside it, or null when there is none. */
async function expectedHash(url) {
  if (!globalThis.crypto?.subtle) return null; // nothing to check it with
  const name = decodeURIComponent(url.pathname.split('/').pop());
  try {
    const res = await fetch(new URL('SHA256SUMS', url), { cache: 'no-cache' });
    return res.ok ? listedHash(await res.text(), name) : null;
  } catch {
    return null;
  }
}

async function openCache() {
  try {
    return (await globalThis.caches?.open(CACHE_NAME)) ?? null;
  } catch {
    return null; // e.g. SecurityError on an opaque origin
  }
}

/**
 * The bytes of `url`, from the browser's cache when a checked copy is there, else downloaded,
 * checked and kept: `{bytes, from: 'cache' | 'network', kept}`. `onDownload()` is called
 * before a download (the page then says it is loading). Throws an Error of kind `data` when
 * the server refuses the file or sends one whose SHA-256 is not the listed one.
 */
export async function cachedBytes(url, { onDownload } = {}) {
  url = new URL(url);
  const key = url.href;
  const [expected, cache] = await Promise.all([expectedHash(url), openCache()]);
  const usable = expected && cache ? cache : null;
  if (usable) {
    try {
      const hit = await usable.match(key);
      if (hit) {
        const bytes = new Uint8Array(await hit.arrayBuffer());
        if ((await sha256(bytes)) === expected) return { bytes, from: 'cache', kept: true };
        await usable.delete(key); // damaged or stale: never used, downloaded again below
      }
    } catch {
      // An unreadable entry is a miss; the download below replaces it.
    }
  }
  onDownload?.();
  const res = await fetch(url);
  if (!res.ok) throw dataError(`MNIST data: ${key} answered ${res.status} (run pkg-scripts/data)`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (expected) {
    const got = await sha256(bytes);
    if (got !== expected) {
      throw dataError(`bad MNIST data: ${key} does not match its SHA-256 in SHA256SUMS (got ${got.slice(0, 12)}…, expected ${expected.slice(0, 12)}…), a corrupt or stale download; it was not kept`);
    }
  }
  let kept = false;
  if (usable) {
    try {
      await usable.put(key, new Response(bytes, { headers: { 'content-type': 'application/gzip' } }));
      kept = true;
    } catch {
      // Over quota, or storage refused: this visit trains anyway, the next downloads again.
    }
  }
  return { bytes, from: 'network', kept };
}
