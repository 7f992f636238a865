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
   * `el`: the element. Its id names the record; it supplies `status`, `rpc`, `recovery`,
   * `rescue`, `losses`, `timeline`, `model`, `fail`, and `onModel(model, resuming)` for a resumed run.
   */
  constructor(el) {
    this.el = el;
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
    return `${location.pathname}${link}#${this.el.id || 'ganvas-demo'}`;
  }

  /** If IndexedDB holds a run of this element, offers to resume it (not when saving is off). */
  async offer() {
    const el = this.el;
    if (el.checkpointEvery === 0) return;
    let run;
    try { run = await loadRun(this.key); } catch { return; }
    if (!run?.bytes) return;
    const when = new Date(run.savedAt).toLocaleString('en');
    el.status.notice(`A ${run.preset} training run was saved at step ${run.step.toLocaleString('en')} (${when}).`, {
      yes: ['Resume', () => this.resume(run)],
      no: ['Discard', () => removeRun(this.key).catch(() => {})],
    }, 'resume');
  }

  /** Withdraws the offer: once the model on screen trains, resuming another is stale. */
  withdraw() { if (this.el.status.noticeKind === 'resume') this.el.status.notice(null); }

  /**
   * Resumes a saved run: the worker loads its checkpoint; the loss history and the timelapse
   * come back too. A run the model cannot read (kind "weights": damaged, or saved by an older
   * ganvas whose checkpoint format this one no longer reads) is discarded, so that it is not
   * offered again.
   */
  resume(run) {
    const el = this.el, started = performance.now();
    el.status.message(`Resuming the run saved at step ${run.step.toLocaleString('en')}…`);
    el.rpc.call('loadCheckpoint', { bytes: run.bytes }).then((m) => {
      el.forgetRun(); // a run the visitor chose: the old one and why it once moved are past
      el.recovery.kept(run);
      el.onModel(m, { started, history: run.history ?? [], timelapse: run.timelapse, run: run.run ?? null });
    }, async (e) => {
      if (quiet(e)) return;
      if (e.kind !== 'weights') return el.fail(e, 'loadCheckpoint');
      const gone = await removeRun(this.key).then(() => true, () => false);
      el.fail(Object.assign(new Error(`The saved run could not be resumed: ${e.message}${gone ? '. It was discarded.' : ''}`), { kind: e.kind }), 'loadCheckpoint');
    });
  }

  /** A checkpoint from the worker: kept for recovery and stored in IndexedDB; fires `checkpoint`. */
  async kept({ bytes, step, preset, why, ms }) {
    const el = this.el;
    el.recovery.kept({ bytes, step, preset });
    const record = { bytes, step, preset, history: el.losses.saved(), timelapse: el.timeline.saved(step), run: el.model?.run ?? null, savedAt: Date.now(), backend: el.model?.info.backend };
    let saved = false, error = null;
    try { await saveRun(this.key, record); saved = true; } catch (e) { error = String(e?.message ?? e); }
    // Said once: training goes on, and a lost GPU or a crash still resumes from memory.
    if (error && !this.warned) {
      this.warned = true;
      el.status.message(`Training cannot be saved in this browser (${error}); a reload will start afresh.`);
    }
    this.last = Object.freeze({ step, why, ms, bytes: bytes.byteLength, saved, error });
    el.dispatchEvent(new CustomEvent('checkpoint', { detail: this.last }));
  }
}
