// The panel's Data control: MNIST's digits (the default), the visitor's own images — files or
// a folder chosen or dropped, PNG/JPEG/WebP/GIF or MNIST-format IDX (.gz too) — or drawings
// made on the pad (draw-pad.js). The worker reads them (read-data.js) into 28×28 images as
// MNIST was made; this shows what it made (the first 64, the count per class, what was done),
// hands the set to the model, and keeps it in IndexedDB so that a reload trains on it again.
// A link cannot carry it (the element's linkedRun says so).
import { DrawPad } from './draw-pad.js';
import { drawDigits, PIXELS, SIDE } from './draw.js';
import { quiet } from './rpc.js';
import { loadRun, removeRun, saveRun } from './store.js';

const PREVIEW = 64;

/** Moves image `i` of a bundle's images by (dx, dy) pixels, the edge filled with background. */
function shift(bundle, i, [dx, dy]) {
  if (!dx && !dy) return;
  const at = 16 + i * PIXELS, image = bundle.slice(at, at + PIXELS);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx, sy = y - dy;
      bundle[at + y * SIDE + x] = sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE ? image[sy * SIDE + sx] : 0;
    }
  }
}

export class OwnData {
  /**
   * `$`: the shadow root's querySelector; `call(type, args)` asks the worker; `key()`: where
   * the data is stored (per page and element); `defaults()`: the crate's; `used(info)`: the
   * model now trains on the data chosen (a ModelInfo); `fail(e)`: the status line.
   */
  constructor($, { call, key, defaults, used, fail }) {
    Object.assign(this, { $, call, key, used, fail });
    this.current = null; // {bundle, classes, description, source} in use, or null: MNIST
    this.select = $('.data-source');
    this.box = $('.own-data');
    this.pad = new DrawPad($, { key, defaults, fail, read: (files, how) => this.read(files, how) });
    this.select.addEventListener('change', () => this.choose(this.select.value));
    for (const input of [$('.data-files'), $('.data-folder')]) {
      input.addEventListener('change', () => {
        const files = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
        input.value = '';
        this.read(files);
      });
    }
    this.box.addEventListener('dragover', (e) => { e.preventDefault(); this.box.dataset.over = ''; });
    this.box.addEventListener('dragleave', () => delete this.box.dataset.over);
    this.box.addEventListener('drop', (e) => {
      e.preventDefault();
      delete this.box.dataset.over;
      dropped(e.dataTransfer).then((files) => this.read(files), (err) => this.fail(err));
    });
  }

  storeKey() { return `${this.key()}#data`; }

  /** The data kept from the last visit, if any: the next model trains on it (see `start`). */
  async restore() {
    let kept = null;
    try { kept = await loadRun(this.storeKey()); } catch { /* no storage: MNIST */ }
    if (!kept?.bundle) return;
    this.current = kept;
    this.shown(kept, null, ' (kept from your last visit)');
  }

  /** The boxes of `source` ("mnist", "own" or "draw") shown, the others hidden. */
  boxes(source) {
    this.box.hidden = source === 'mnist';
    this.$('.files-box').hidden = source !== 'own';
    this.$('.draw-box').hidden = source !== 'draw';
  }

  /** MNIST, own images or the pad, as the select says (own data is used once read). */
  choose(source) {
    this.boxes(source);
    if (source === 'mnist' && this.current) return void this.use(null);
    if (source === 'own' && this.current?.source !== 'files') this.say('Choose image files, a folder (a subfolder per class), or MNIST-format IDX files (.gz too); or drop them here.');
    if (source === 'draw') this.pad.show();
    if (source === 'draw' && this.current?.source !== 'draw') this.say('Draw on the pad and press Add for each drawing, naming its class beside it; then Use the drawings.');
  }

  say(text) { this.$('.data-said').textContent = text; }

  /**
   * Reads `files` in the worker and, if they make a data set, trains on it. `how`: `{note}`
   * added to the description, `shifts` (one per file, in pixels) applied after normalising,
   * `preview: false` only reads (→ the data, nothing used).
   */
  async read(files, { note = '', shifts = null, preview = true } = {}) {
    if (!files.length) return null;
    this.say(`Reading ${files.length.toLocaleString('en')} file${files.length === 1 ? '' : 's'}…`);
    let data;
    try { data = await this.call('readData', { files }); } catch (e) {
      if (quiet(e)) return null;
      this.say(`Not used: ${e.message}. ${this.current ? 'The images read before stay in use.' : 'Training stays on MNIST.'}`);
      this.fail(e);
      return null;
    }
    if (!preview) { this.say(''); return data; }
    const { bundle, classes, perClass, description, skipped } = data;
    shifts?.forEach((s, i) => shift(bundle, i, s));
    const source = shifts ? 'draw' : 'files';
    this.use({ bundle, classes, source, description: `${description}${note ? ` ${note}` : ''}${skipped ? `; ${skipped} other file${skipped === 1 ? '' : 's'} passed over` : ''}` }, perClass);
    return data;
  }

  /** Gives `own` (null: MNIST) to the model; kept for a reload; the preview and the select follow. */
  async use(own, perClass = null) {
    let info;
    try { info = await this.call('useData', { own: own && { bundle: own.bundle, classes: own.classes, description: own.description } }); } catch (e) {
      if (!quiet(e)) this.fail(e);
      return;
    }
    this.current = own;
    let unkept = '';
    try {
      if (own) await saveRun(this.storeKey(), { ...own, savedAt: Date.now() });
      else await removeRun(this.storeKey());
    } catch (e) { unkept = ` Not kept for a reload (${e?.message ?? e}).`; }
    if (own) this.shown(own, perClass, unkept);
    this.used(info);
  }

  /** The data as it will be trained on: the first 64 images, and what was read. */
  shown(own, perClass, after = '') {
    this.select.value = own.source === 'draw' ? 'draw' : 'own';
    this.boxes(this.select.value);
    const n = Math.min(PREVIEW, (own.bundle.length - 24) / (PIXELS + 1));
    drawDigits(this.$('.data-preview'), own.bundle.subarray(16, 16 + n * PIXELS), 8);
    this.$('.data-preview').hidden = false;
    const classes = own.classes.length
      ? ` Classes: ${own.classes.map((c, i) => `${c}${perClass ? ` (${perClass[i]})` : ''}`).join(', ')}.`
      : " No classes: tiny, standard or conv train on them (a conditional preset is told each image's class).";
    this.say(`Your images: ${own.description}.${classes} Above, the first ${n} as they are trained on. Train from scratch to learn them from fresh weights.${after}`);
  }
}

/** The files of a drop, folders walked (each file's path from the dropped folder, as webkitRelativePath). */
async function dropped(transfer) {
  const entries = [...transfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...transfer.files].map((file) => ({ file, path: file.name }));
  const out = [];
  const walk = async (entry, path) => {
    if (entry.isFile) {
      out.push({ file: await new Promise((ok, fail) => entry.file(ok, fail)), path: `${path}${entry.name}` });
      return;
    }
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
      if (!batch.length) break;
      for (const child of batch) await walk(child, `${path}${entry.name}/`);
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}
