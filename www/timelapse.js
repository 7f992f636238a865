// The training timelapse under <ganvas-demo>'s grid: the grid as it was every N steps, a
// slider to scrub it from the model's first grid to now, and two exports (a PNG contact sheet
// and a WebM video). A module of its own because it keeps the run's past pictures, apart from
// the grid that shows the present: frames are taken from the pixels the grid already asked
// the worker for (no extra request), so the timelapse costs no training time.
//
// Memory stays bounded: a frame keeps its digits downscaled 2× (14×14 bytes, 196 a digit: a
// quarter of the grid's), at most the crate's `timelapseFrames` of them; when full, every second frame goes and
// the interval doubles, so the timelapse always spans the whole run at an even pace. The
// frames are saved with each checkpoint (runs.js) and come back when the run is resumed.
// `Timelapse` is the data and its rules (tested under plain `node --test`); `TimelapseView`
// draws it and exports it (the DOM).
import { drawDigits, saveFile, SIDE } from './draw.js';

const SMALL = 14; // a digit's side in a frame (SIDE on the grid)

/** Digits of 28×28 bytes → the same digits 14×14, each pixel the mean of a 2×2 block (rounded). */
export function downscale(pixels) {
  const n = pixels.length / (SIDE * SIDE), out = new Uint8Array(n * SMALL * SMALL);
  for (let i = 0, o = 0; i < n; i++) {
    for (let y = 0; y < SMALL; y++) {
      for (let x = 0; x < SMALL; x++, o++) {
        const p = i * SIDE * SIDE + 2 * y * SIDE + 2 * x;
        out[o] = (pixels[p] + pixels[p + 1] + pixels[p + SIDE] + pixels[p + SIDE + 1] + 2) >> 2;
      }
    }
  }
  return out;
}

/** The frames of one model's run and when to take the next. */
export class Timelapse {
  /**
   * `every`: steps between frames at the start (0 = off); `max`: frames kept at most. The
   * element gives the crate's (`Ganvas.defaults()`: timelapseEvery, timelapseFrames) once a
   * model is loaded (`setBase`); until then there is nothing to capture.
   */
  constructor(every = 0, max = 0) {
    this.base = every; // what a new timelapse starts with (the attribute)
    this.every = every; // now: doubled each time the frames were thinned
    this.max = max;
    this.frames = []; // {step, pixels: Uint8Array of 14×14 digits}, frozen, steps increasing
    this.cols = 0; // digits per row of the grid the frames were taken from
  }

  /**
   * A new timelapse (a new model); `saved` (what `saved()` gave) continues a resumed run's,
   * without its frames after step `upTo` (the checkpoint's): they are no past of this run.
   */
  begin(saved = null, upTo = Infinity) {
    this.frames = [];
    this.every = this.base;
    const n = saved?.steps?.length ?? 0, size = n ? saved.pixels?.length / n : 0;
    // A record of another version, or damaged: started afresh rather than drawn wrong.
    if (!this.base || !n || !(saved.pixels instanceof Uint8Array) || !Number.isInteger(size / (SMALL * SMALL)) || !(saved.cols > 0)) return;
    this.cols = saved.cols;
    this.every = Math.max(this.base, saved.every || 0);
    saved.steps.forEach((step, i) => {
      if (step <= upTo) this.frames.push(Object.freeze({ step, pixels: saved.pixels.slice(i * size, (i + 1) * size) }));
    });
  }

  /** The attribute changed: the interval from now on (0 = off: the frames go too), and
   * `max` frames kept at most (as before when not given). */
  setBase(every, max = this.max) {
    this.base = this.every = every;
    this.max = max;
    if (!every) this.frames = [];
  }

  /**
   * The grid shows `pixels` (28×28 digits, `cols` a row) at `step`: kept as a frame when it is
   * the first or `every` steps after the last. Whether the frames changed.
   */
  capture(step, pixels, cols) {
    if (!this.every) return false;
    // The model went back (a restore after a divergence): frames of its abandoned future go.
    const before = this.frames.length;
    while (this.frames.length && this.frames[this.frames.length - 1].step > step) this.frames.pop();
    const last = this.frames[this.frames.length - 1];
    if (last && step - last.step < this.every) return this.frames.length !== before;
    this.cols = cols;
    this.frames.push(Object.freeze({ step, pixels: downscale(pixels) }));
    if (this.frames.length > this.max) {
      const end = this.frames.length - 1;
      this.frames = this.frames.filter((_, i) => i % 2 === 0 || i === end);
      this.every *= 2;
    }
    return true;
  }

  /** Bytes of pixels held. */
  get bytes() { return this.frames.reduce((sum, f) => sum + f.pixels.byteLength, 0); }

  /**
   * What a checkpoint at step `upTo` keeps (runs.js stores it in IndexedDB): one Uint8Array of
   * all frames' pixels and their steps, or null when there are none.
   */
  saved(upTo = Infinity) {
    const frames = this.frames.filter((f) => f.step <= upTo);
    if (!frames.length) return null;
    const size = frames[0].pixels.length, pixels = new Uint8Array(frames.length * size);
    frames.forEach((f, i) => pixels.set(f.pixels, i * size));
    return { every: this.every, cols: this.cols, steps: frames.map((f) => f.step), pixels };
  }
}

/** Up to `k` of `n` indices, evenly spread from the first to the last. */
export function spread(n, k) {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1)));
}

/** The WebM type this browser records (VP9, else VP8), or null. */
export function webmType() {
  const R = globalThis.MediaRecorder;
  return ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => R?.isTypeSupported?.(t)) ?? null;
}

const INK = '#9aa0b2', BACK = '#15161d', FONT = '12px system-ui, sans-serif';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The slider, the frame it points at, and the export buttons, in the shadow root (`$`). */
export class TimelapseView {
  /** `said(text)`: a status line; `failed(e)`: an export failed (shown, and an `error` event). */
  constructor($, { said, failed }) {
    Object.assign(this, { $, said, failed });
    this.data = new Timelapse();
    this.following = true; // the slider is at "now": it moves on with each new frame
    this.shown = null; // the step of the frame shown while scrubbing back
    this.recording = false; // the Video button's recording is under way
    $('.timelapse-t').addEventListener('input', () => {
      const i = Number($('.timelapse-t').value);
      this.following = i === this.data.frames.length - 1;
      this.shown = this.data.frames[i]?.step ?? null;
      this.show();
    });
    $('.timelapse-png').addEventListener('click', () => this.contactSheet()
      .then((blob) => saveFile(blob, `ganvas-timelapse-step${this.lastStep}.png`), failed));
    $('.timelapse-webm').addEventListener('click', () => {
      this.recording = true; // one video at a time: the button stays off until it is saved
      this.show();
      said(`Recording the timelapse video (${this.data.frames.length} frames)…`);
      this.video().then((blob) => {
        saveFile(blob, `ganvas-timelapse-step${this.lastStep}.webm`);
        said(`Timelapse video saved (${Math.ceil(blob.size / 1024)} kB).`);
      }, failed).finally(() => { this.recording = false; this.show(); });
    });
  }

  get lastStep() { return this.data.frames[this.data.frames.length - 1]?.step ?? 0; }

  /** A new model's timelapse (`saved`: a resumed run's, up to step `upTo`). */
  begin(saved, upTo) { this.data.begin(saved, upTo); this.following = true; this.show(); }

  setBase(every, max) { this.data.setBase(every, max); this.show(); }

  capture(step, pixels, cols) { if (this.data.capture(step, pixels, cols)) this.show(); }

  saved(upTo) { return this.data.saved(upTo); }

  /** `{steps, every, bytes}`: the frames' steps, the interval now, the pixel bytes held. */
  summary() {
    const d = this.data;
    return Object.freeze({ steps: Object.freeze(d.frames.map((f) => f.step)), every: d.every, bytes: d.bytes });
  }

  /** The slider's range and position, its label, and the frame it points at. */
  show() {
    const $ = this.$, frames = this.data.frames, n = frames.length;
    $('.timelapse').hidden = !this.data.base;
    const slider = $('.timelapse-t');
    slider.max = String(Math.max(0, n - 1));
    let i = n - 1;
    if (!this.following && this.shown != null) i = Math.max(0, frames.findLastIndex((f) => f.step <= this.shown));
    slider.value = String(Math.max(0, i));
    slider.disabled = n < 2;
    $('.timelapse-png').disabled = n === 0;
    $('.timelapse-webm').disabled = n === 0 || this.recording;
    const frame = frames[i];
    $('.timelapse-from').textContent = `step ${(frames[0]?.step ?? 0).toLocaleString('en')}`;
    const canvas = $('.timelapse-frame');
    if (!frame) {
      $('.timelapse-step').textContent = 'step 0 → now';
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    const at = i === n - 1 ? ' (now)' : '';
    $('.timelapse-step').textContent = `step ${frame.step.toLocaleString('en')}${at} · ${i + 1} of ${n}`;
    drawDigits(canvas, frame.pixels, this.data.cols, SMALL);
  }

  /** A canvas of one frame: its digits at 2× (28 px, as on the grid), sharp. */
  frameCanvas(frame) {
    const c = document.createElement('canvas');
    drawDigits(c, frame.pixels, this.data.cols, SMALL);
    return c;
  }

  /** → a PNG Blob: up to 16 frames evenly spread over the timelapse, each labelled with its step. */
  contactSheet() {
    const frames = this.data.frames;
    if (!frames.length) return Promise.reject(new Error('the timelapse has no frames yet'));
    const picked = spread(frames.length, 16).map((i) => frames[i]);
    const cells = picked.map((f) => this.frameCanvas(f));
    const w = cells[0].width * 2, h = cells[0].height * 2, pad = 8, label = 18, head = 26;
    const cols = Math.min(4, picked.length), rows = Math.ceil(picked.length / cols);
    const sheet = document.createElement('canvas');
    sheet.width = pad + cols * (w + pad);
    sheet.height = head + rows * (label + h + pad);
    const ctx = sheet.getContext('2d');
    ctx.fillStyle = BACK; ctx.fillRect(0, 0, sheet.width, sheet.height);
    ctx.font = FONT; ctx.fillStyle = INK; ctx.textBaseline = 'middle';
    ctx.fillText(`ganvas · training timelapse, step ${picked[0].step.toLocaleString('en')} → ${this.lastStep.toLocaleString('en')}`, pad, head / 2);
    ctx.imageSmoothingEnabled = false;
    picked.forEach((f, k) => {
      const x = pad + (k % cols) * (w + pad), y = head + Math.floor(k / cols) * (label + h + pad);
      ctx.fillText(`step ${f.step.toLocaleString('en')}`, x, y + label / 2);
      ctx.drawImage(cells[k], x, y + label, w, h);
    });
    return new Promise((ok, fail) => sheet.toBlob((b) => (b ? ok(b) : fail(new Error('the contact sheet could not be encoded'))), 'image/png'));
  }

  /**
   * → a WebM Blob: the frames in order, each labelled with its step, at 8 frames a second (more
   * for a long timelapse, so that it lasts about 10 s at most), the last held for a second.
   * Recorded in real time from a canvas (MediaRecorder), so it takes as long as it lasts.
   */
  async video() {
    const frames = this.data.frames.slice();
    if (!frames.length) throw new Error('the timelapse has no frames yet');
    const type = webmType();
    if (!type || !HTMLCanvasElement.prototype.captureStream) throw new Error('this browser cannot record a WebM video (MediaRecorder); the contact sheet still works');
    const first = this.frameCanvas(frames[0]), w = first.width * 2, h = first.height * 2, label = 20;
    const canvas = document.createElement('canvas');
    canvas.width = w; canvas.height = h + label;
    const ctx = canvas.getContext('2d');
    const draw = (f) => {
      ctx.fillStyle = BACK; ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(this.frameCanvas(f), 0, 0, w, h);
      ctx.font = FONT; ctx.fillStyle = INK; ctx.textBaseline = 'middle';
      ctx.fillText(`step ${f.step.toLocaleString('en')}`, 6, h + label / 2);
    };
    const fps = Math.max(8, Math.ceil(frames.length / 10));
    draw(frames[0]); // a frame before recording starts: the stream's first is not blank
    const stream = canvas.captureStream(0);
    const track = stream.getVideoTracks()[0];
    const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 2_000_000 });
    const chunks = [];
    recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
    const stopped = new Promise((ok, fail) => {
      recorder.onstop = ok;
      recorder.onerror = (e) => fail(e.error ?? new Error('recording the video failed'));
    });
    recorder.start();
    for (const f of frames) {
      draw(f);
      track.requestFrame();
      await sleep(1000 / fps);
    }
    await sleep(1000); // the last frame held: drawn again, as an unchanged canvas gives no frame
    draw(frames[frames.length - 1]);
    track.requestFrame();
    await sleep(50);
    recorder.stop();
    await stopped;
    track.stop();
    return new Blob(chunks, { type: 'video/webm' });
  }
}
