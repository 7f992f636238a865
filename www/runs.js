// Saved runs, the element's side of store.js. A module of its own because keeping a run is one
// job apart from training and drawing: each checkpoint the worker sends is kept in memory for
// recovery (recovery.js: a lost GPU or a crash resumes from it) and stored in IndexedDB, with
// the loss history and the timelapse's frames, under one record per page and element id; a
// reload then offers to resume it. Storage may be missing (private mode, quota): that is said
// once and training goes on.
import { quiet } from './rpc.js';
import { runFromHash } from './share.js';
import { loadRun, removeRun, saveRun } from './store.js';

export class SavedRuns {
  /**
   * `status`: the StatusLine; callbacks: `id()` the element's id (it names the record);
   * `enabled()` whether saving is on (checkpoint-every not 0); `load(bytes)` resumes a
   * checkpoint in the worker (→ model info); `resumed(model, resuming, run)` shows it;
   * `extras(step)` what is saved beside a checkpoint ({history, timelapse, run, backend});
   * `kept(detail)` hears each checkpoint kept (the `checkpoint` event); `fail(e)` reports.
   */
  constructor(status, callbacks) {
    Object.assign(this, { status, ...callbacks });
    this.last = null; // the last `checkpoint` event's detail, or null
    this.warned = false; // that this browser cannot store runs has been said
  }

  /**
   * Where this element's run is saved: one record per page and element id, and per run link
   * (share.js) in the address, so that following a link never overwrites the run saved
   * without it, nor one saved from another link.
   */
  get key() {
    const link = runFromHash(location.hash) ? location.hash : '';
    return `${location.pathname}${link}#${this.id() || 'ganvas-demo'}`;
  }

  /** If IndexedDB holds a run of this element, offers to resume it (not when saving is off). */
  async offer() {
    if (!this.enabled()) return;
    let run;
    try { run = await loadRun(this.key); } catch { return; }
    if (!run?.bytes) return;
    const when = new Date(run.savedAt).toLocaleString('en');
    this.status.notice(`A ${run.preset} training run was saved at step ${run.step.toLocaleString('en')} (${when}).`, {
      yes: ['Resume', () => this.resume(run)],
      no: ['Discard', () => removeRun(this.key).catch(() => {})],
    }, 'resume');
  }

  /** Withdraws the offer: once the model on screen trains, resuming another is stale. */
  withdraw() { if (this.offered) this.status.notice(null); }

  /** Whether a saved run is offered (the visitor has not chosen yet). */
  get offered() { return this.status.noticeKind === 'resume'; }

  /**
   * Resumes a saved run: the worker loads its checkpoint; the loss history and the timelapse
   * come back too. A run the model cannot read (kind "weights": damaged, or saved by an older
   * ganvas whose checkpoint format this one no longer reads) is discarded, so that it is not
   * offered again.
   */
  resume(run) {
    const started = performance.now();
    this.status.message(`Resuming the run saved at step ${run.step.toLocaleString('en')}…`);
    this.load(run.bytes).then((m) => {
      this.resumed(m, { started, history: run.history ?? [], timelapse: run.timelapse, run: run.run ?? null }, run);
    }, async (e) => {
      if (quiet(e)) return;
      if (e.kind !== 'weights') return this.fail(e);
      const gone = await removeRun(this.key).then(() => true, () => false);
      this.fail(Object.assign(new Error(`The saved run could not be resumed: ${e.message}${gone ? '. It was discarded.' : ''}`), { kind: e.kind }));
    });
  }

  /** A checkpoint from the worker: kept for recovery and stored in IndexedDB; fires `checkpoint`. */
  async keep({ bytes, step, preset, why, ms }) {
    const record = { bytes, step, preset, ...this.extras(step), savedAt: Date.now() };
    let saved = false, error = null;
    try { await saveRun(this.key, record); saved = true; } catch (e) { error = String(e?.message ?? e); }
    // Said once: training goes on, and a lost GPU or a crash still resumes from memory.
    if (error && !this.warned) {
      this.warned = true;
      this.status.message(`Training cannot be saved in this browser (${error}); a reload will start afresh.`);
    }
    this.last = Object.freeze({ step, why, ms, bytes: bytes.byteLength, saved, error });
    this.kept(this.last);
  }
}
