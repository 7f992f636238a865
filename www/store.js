// Saved training runs, in IndexedDB: one record per element, so that a reload (or a crash)
// can resume where training was. IndexedDB rather than localStorage because a checkpoint is
// megabytes of binary. A call rejects with the reason where the browser has no storage
// (private mode, blocked by the embedding page, quota); callers say so and carry on.

const DB = 'ganvas';
const STORE = 'runs';

function open() {
  return new Promise((resolve, reject) => {
    if (!self.indexedDB) return reject(new Error('this browser has no IndexedDB'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally { db.close(); }
}

/** Stores `record` under `key`, replacing what was there. */
export const saveRun = (key, record) => run('readwrite', (s) => s.put(record, key));

/** The record under `key`, or undefined. */
export const loadRun = (key) => run('readonly', (s) => s.get(key));

/** Forgets the record under `key`. */
export const removeRun = (key) => run('readwrite', (s) => s.delete(key));
