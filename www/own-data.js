// The panel's Data control: MNIST's digits (the default) or the visitor's own images — files
// or a folder chosen or dropped, PNG/JPEG/WebP/GIF or MNIST-format IDX (.gz too). The worker
// reads them (read-data.js) into 28×28 images as MNIST was made; this shows what it made (the
// first 64, the count per class, what was done) and hands the set to the model. Own data stays
// in this page: a reload asks for it again, and a link cannot carry it.
import { drawDigits, PIXELS } from './draw.js';
import { quiet } from './rpc.js';

const PREVIEW = 64;

export class OwnData {
  /**
   * `$`: the shadow root's querySelector; `call(type, args)` asks the worker; `used(info)`: the
   * model now trains on the data chosen (a ModelInfo); `say(text)`, `fail(e)`: the status line.
   */
  constructor($, { call, used, say, fail }) {
    Object.assign(this, { $, call, used, say, fail });
    this.current = null; // {bundle, classes, description} in use, or null: MNIST
    this.select = $('.data-source');
    this.box = $('.own-data');
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

  /** MNIST or own images, as the select says ("own" with none read yet waits for files). */
  choose(source) {
    this.box.hidden = source !== 'own';
    if (source === 'mnist' && this.current) this.use(null);
    if (source === 'own' && !this.current) this.$('.data-said').textContent = 'Choose image files, a folder (a subfolder per class), or MNIST-format IDX files; or drop them here.';
  }

  /** Reads `files` in the worker and, if they make a data set, trains on it. */
  async read(files) {
    if (!files.length) return;
    this.$('.data-said').textContent = `Reading ${files.length.toLocaleString('en')} file${files.length === 1 ? '' : 's'}…`;
    let data;
    try { data = await this.call('readData', { files }); } catch (e) {
      if (quiet(e)) return;
      this.$('.data-said').textContent = `Not used: ${e.message}. ${this.current ? 'Your images read before stay in use.' : 'Training stays on MNIST.'}`;
      return this.fail(e);
    }
    const { bundle, classes, perClass, description, skipped } = data;
    this.use({ bundle, classes, description: description + (skipped ? `; ${skipped} other file${skipped === 1 ? '' : 's'} passed over` : '') }, perClass);
  }

  /** Gives `own` (null: MNIST) to the model; the preview and the select follow. */
  async use(own, perClass = null) {
    let info;
    try { info = await this.call('useData', { own }); } catch (e) {
      if (!quiet(e)) this.fail(e);
      return;
    }
    this.current = own;
    this.select.value = own ? 'own' : 'mnist';
    this.box.hidden = !own;
    if (own) this.show(own, perClass);
    this.used(info);
  }

  /** The data as it will be trained on: the first 64 images, and what was read. */
  show(own, perClass) {
    const n = Math.min(PREVIEW, (own.bundle.length - 24) / (PIXELS + 1));
    drawDigits(this.$('.data-preview'), own.bundle.subarray(16, 16 + n * PIXELS), 8);
    this.$('.data-preview').hidden = false;
    const classes = own.classes.length ? ` Classes: ${own.classes.map((c, i) => `${c}${perClass ? ` (${perClass[i]})` : ''}`).join(', ')}.` : ' No classes: train tiny, standard or conv (a conditional preset is told each image\'s class).';
    this.$('.data-said').textContent = `Your images: ${own.description}.${classes} Above, the first ${n} as they will be trained on. Train from scratch to learn them from fresh weights.`;
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
