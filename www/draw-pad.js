// The Data control's drawing pad: the visitor draws (mouse, pen or touch) and adds each
// drawing with the class named beside the pad. A drawing is kept as its strokes, so that it
// can be drawn again a little rotated or with a thinner or thicker pen: each one goes into the
// training set as `drawVariants` images (the crate's defaults), which lets 16 drawings make a
// GAN. The drawings are kept in IndexedDB (a reload keeps them) and can be downloaded as IDX.
import { PIXELS, saveFile } from './draw.js';
import { loadRun, removeRun, saveRun } from './store.js';

const PAD = 280; // the pad's pixels, square
const PEN = 0.07; // the pen's width, a share of the pad (MNIST's strokes: ~2.5 of 28 pixels)

/** A seeded random number in [0, 1) (mulberry32): the same drawing, the same variants. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws `strokes` (points in [0, 1]) white on black on `ctx` (`side` pixels square), turned by `angle` radians, the pen `width` times as wide. */
function render(ctx, side, strokes, { angle = 0, width = 1 } = {}) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, side, side);
  ctx.translate(side / 2, side / 2);
  ctx.rotate(angle);
  ctx.translate(-side / 2, -side / 2);
  Object.assign(ctx, { strokeStyle: '#fff', fillStyle: '#fff', lineWidth: PEN * side * width, lineCap: 'round', lineJoin: 'round' });
  for (const points of strokes) {
    ctx.beginPath();
    ctx.moveTo(points[0][0] * side, points[0][1] * side);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x * side, y * side);
    if (points.length === 1) ctx.lineTo(points[0][0] * side + 0.01, points[0][1] * side);
    ctx.stroke();
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** A PNG file of `strokes` as varied by `how`. */
async function png(strokes, how, name) {
  const canvas = new OffscreenCanvas(PAD / 2, PAD / 2);
  render(canvas.getContext('2d'), PAD / 2, strokes, how);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, { type: 'image/png' });
}

export class DrawPad {
  /**
   * `$`: the shadow root's querySelector; `key()`: where the drawings are stored (per page and
   * element); `defaults()`: the crate's (minImages, drawVariants); `read(files, variants)`: the
   * Data control reads files as own data; `say(text)`: the pad's line.
   */
  constructor($, { key, defaults, read, fail }) {
    Object.assign(this, { $, key, defaults, read, fail });
    this.drawings = []; // [{cls, strokes}]
    this.strokes = []; // the drawing on the pad
    this.pad = $('.draw-pad');
    this.ctx = this.pad.getContext('2d');
    this.pad.width = this.pad.height = PAD;
    render(this.ctx, PAD, []);
    this.pad.addEventListener('pointerdown', (e) => this.down(e));
    this.pad.addEventListener('pointermove', (e) => this.move(e));
    for (const type of ['pointerup', 'pointercancel']) this.pad.addEventListener(type, () => { this.drawing = false; });
    $('.draw-add').addEventListener('click', () => this.add());
    $('.draw-undo').addEventListener('click', () => this.undo());
    $('.draw-train').addEventListener('click', () => this.train());
    $('.draw-download').addEventListener('click', () => this.download().catch((e) => this.fail(e)));
    this.loaded = loadRun(this.storeKey()).then((kept) => { if (kept?.drawings) this.drawings = kept.drawings; }, () => {}).then(() => this.show());
  }

  storeKey() { return `${this.key()}#drawings`; }

  at(e) {
    const r = this.pad.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), Math.min(1, Math.max(0, (e.clientY - r.top) / r.height))];
  }

  down(e) {
    e.preventDefault();
    this.pad.setPointerCapture?.(e.pointerId);
    this.drawing = true;
    this.strokes.push([this.at(e)]);
    render(this.ctx, PAD, this.strokes);
  }

  move(e) {
    if (!this.drawing) return;
    const points = e.getCoalescedEvents?.().length ? e.getCoalescedEvents() : [e];
    this.strokes[this.strokes.length - 1].push(...points.map((p) => this.at(p)));
    render(this.ctx, PAD, this.strokes);
  }

  /** The drawing on the pad joins the drawings, with the class beside the pad. */
  add() {
    const cls = this.$('.draw-class').value.trim();
    if (!this.strokes.length) return this.say('Draw something on the pad first.');
    if (!cls) return this.say('Name its class first (beside the pad): a letter, a word.');
    this.drawings.push({ cls, strokes: this.strokes });
    this.strokes = [];
    render(this.ctx, PAD, []);
    this.keep();
    this.show();
  }

  /** Takes back the last drawing added (or, while one is on the pad, clears the pad). */
  undo() {
    if (this.strokes.length) this.strokes = [];
    else this.drawings.pop();
    render(this.ctx, PAD, this.strokes);
    this.keep();
    this.show();
  }

  keep() {
    const key = this.storeKey();
    (this.drawings.length ? saveRun(key, { drawings: this.drawings, savedAt: Date.now() }) : removeRun(key)).catch(() => {
      this.kept = false; // said by show(): the drawings last only as long as the page
    });
  }

  /** The drawings as thumbnails, their count per class, and what training on them needs. */
  show() {
    const n = this.drawings.length, min = this.defaults()?.minImages ?? 16, variants = this.defaults()?.drawVariants ?? 1;
    const counts = {};
    for (const d of this.drawings) counts[d.cls] = (counts[d.cls] ?? 0) + 1;
    const classes = Object.keys(counts).sort();
    this.$('.draw-train').disabled = n < min;
    this.$('.draw-download').disabled = n === 0;
    const per = classes.map((c) => `${c} ${counts[c]}`).join(', ');
    this.say(`${n} drawing${n === 1 ? '' : 's'}${n ? ` (${per})` : ''}${this.kept === false ? ', not kept for a reload (this browser does not store them)' : ''}. ` +
      (n < min ? `Training needs at least ${min}: ${min - n} more.` : `Each is trained on as ${variants} variants (turned, pen thinner or thicker, shifted): ${n * variants} images.`));
    const thumbs = this.$('.draw-thumbs');
    thumbs.replaceChildren(...this.drawings.slice(-24).map(({ strokes, cls }) => {
      const c = document.createElement('canvas');
      c.width = c.height = 28;
      c.title = cls;
      render(c.getContext('2d'), 28, strokes);
      return c;
    }));
  }

  say(text) { this.$('.draw-said').textContent = text; }

  /** Each drawing and its variants as PNG files in a folder per class, for the Data control. */
  async files(variants) {
    const out = [];
    for (const [i, { cls, strokes }] of this.drawings.entries()) {
      const r = random(i + 1);
      for (let v = 0; v < variants; v++) {
        const how = v === 0 ? {} : { angle: (r() - 0.5) * (Math.PI / 6), width: 0.7 + r() * 0.7 };
        out.push({ file: await png(strokes, how, `${i}-${v}.png`), path: `drawings/${cls}/${i}-${v}.png`, shift: v === 0 ? [0, 0] : [Math.round((r() - 0.5) * 2), Math.round((r() - 0.5) * 2)] });
      }
    }
    return out;
  }

  async train() {
    const variants = this.defaults()?.drawVariants ?? 1;
    const files = await this.files(variants);
    this.read(files, { note: `from ${this.drawings.length} drawings, each as ${variants} variants`, shifts: files.map((f) => f.shift) });
  }

  /** The drawings (one image each, 28×28 as trained on) as MNIST-format IDX files. */
  async download() {
    const data = await this.read(await this.files(1), { preview: false });
    if (!data) return;
    const { bundle } = data, n = (bundle.length - 24) / (PIXELS + 1);
    const images = bundle.subarray(0, 16 + n * PIXELS), labels = bundle.subarray(16 + n * PIXELS);
    for (const [bytes, name] of [[images, 'drawings-images-idx3-ubyte'], [labels, 'drawings-labels-idx1-ubyte']]) {
      saveFile(new Blob([bytes], { type: 'application/octet-stream' }), name);
    }
    this.say(`Downloaded ${n} drawings as drawings-images-idx3-ubyte and drawings-labels-idx1-ubyte (classes ${data.classes.join(', ')} as labels 0–${data.classes.length - 1}); "Images or IDX files" reads them back.`);
  }
}

