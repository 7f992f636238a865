// A promise client for the training worker (www/worker.js; the requests: protocol.js). Every request carries an id and
// ends exactly once: resolved with the worker's `value`, or rejected with an Error whose
// `.kind` says why ("config", "data", "weights", "device", "crashed", ..., from the worker;
// "replaced" when its worker was replaced or terminated before it answered; "worker" when the
// worker failed to load). Nothing waits forever on a worker that will never answer: that is
// what froze the grid when a restart caught a `generate` in flight (issue #12).
// Messages without an id are events (`{event, ...}`), handed to `onEvent`.

import { REQUESTS } from './protocol.js';

/**
 * Rejections that need no message: the worker was replaced (a new model redraws), or it
 * crashed (the `crashed` event starts the recovery).
 */
export const quiet = (e) => e?.kind === 'replaced' || e?.kind === 'crashed';

/** An Error with a `kind` the caller can switch on. */
export function rpcError(kind, message) {
  return Object.assign(new Error(message), { kind });
}

export class RpcClient {
  /** `onEvent(msg)` receives the worker's unsolicited messages, only the current worker's. */
  constructor(onEvent = () => {}) {
    this.onEvent = onEvent;
    this.worker = null;
    this.pending = new Map(); // id → {resolve, reject, type}
    this.nextId = 1;
  }

  /** Requests still waiting for their reply. */
  get pendingCount() { return this.pending.size; }

  /**
   * Makes `worker` the one requests go to. The previous worker is terminated and its pending
   * requests are rejected (kind "replaced"); its late messages are dropped.
   */
  attach(worker) {
    this.terminate();
    this.worker = worker;
    worker.onmessage = ({ data }) => { if (this.worker === worker) this.receive(data); };
    // A worker that fails to load (a bad script, a module error) never answers anything.
    worker.onerror = (e) => {
      if (this.worker !== worker) return;
      e?.preventDefault?.();
      const message = e?.message || 'the worker failed to start';
      this.rejectAll('worker', message);
      this.onEvent({ event: 'worker-error', message });
    };
    return worker;
  }

  /** Terminates the worker; every pending request is rejected (kind "replaced"). */
  terminate() {
    const old = this.worker;
    this.worker = null;
    if (old) { old.onmessage = null; old.onerror = null; old.terminate(); }
    this.rejectAll('replaced', 'the worker was replaced before it answered');
  }

  /**
   * Sends `{id, type, ...args}`; resolves with the reply's value or rejects with its error.
   * @template {keyof import('./protocol.js').Requests} T
   * @param {T} type
   * @param {import('./protocol.js').Requests[T][0]} [args]
   * @param {Transferable[]} [transfer]
   * @returns {Promise<import('./protocol.js').Requests[T][1]>}
   */
  call(type, args = {}, transfer = []) {
    if (!REQUESTS.includes(type)) return Promise.reject(rpcError('internal', `"${type}" is not a request (protocol.js)`));
    if (!this.worker) return Promise.reject(rpcError('replaced', `no worker to send "${type}" to`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, type });
      try {
        this.worker.postMessage({ ...args, id, type }, transfer);
      } catch (e) { // e.g. a value that cannot be cloned: the request never left
        this.pending.delete(id);
        reject(rpcError('internal', `could not send "${type}": ${e?.message ?? e}`));
      }
    });
  }

  /** One message from the current worker: a reply to a pending request, or an event. */
  receive(msg) {
    if (msg == null || typeof msg !== 'object') return;
    if (msg.id == null) { if (msg.event) this.onEvent(msg); return; }
    const request = this.pending.get(msg.id);
    if (!request) return; // already rejected (cannot happen for the current worker; kept safe)
    this.pending.delete(msg.id);
    if (msg.ok) request.resolve(msg.value);
    else request.reject(rpcError(msg.error?.kind ?? 'internal', msg.error?.message ?? `"${request.type}" failed`));
  }

  rejectAll(kind, message) {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const r of all) r.reject(rpcError(kind, `${r.type}: ${message}`));
  }
}
