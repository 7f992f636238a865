// Own training data, read in the worker: the files a visitor chose or dropped (images, or
// MNIST-format IDX files as Fashion-MNIST, KMNIST and EMNIST distribute them). The browser
// decodes (createImageBitmap, DecompressionStream for .gz); the crate makes each image 28×28
// as MNIST was made and says what it did (`Images`, `Ganvas.readIdx`). Limits are checked
// before anything is decoded, and a bad file refuses the whole set with its name: the data in
// use stays as it was.

const IMAGE = /\.(png|jpe?g|webp|gif)$/i;
const IDX_IMAGES = /images-idx3/i;
const MB = 1 << 20;
// Images are decoded a batch at a time, all of a batch at once: the browser decodes them side
// by side off this thread, so a batch costs about one image's wait, and the worker's other
// calls (a grid to draw) get in between batches. A batch is at most BATCH files and
// BATCH_BYTES of them (so that a few large photos, tens of MB each once decoded, are never
// held at once): memory stays bounded however many images are read, only their 28×28 forms
// being kept.
const BATCH = 64;
const BATCH_BYTES = 4 * MB;
const SAY_EVERY = 500; // images between progress lines

const refuse = (message) => Object.assign(new Error(message), { kind: 'data' });

/** A file's bytes, gunzipped when its name ends in .gz. */
async function bytesOf(file) {
  const body = file.name.endsWith('.gz') ? file.stream().pipeThrough(new DecompressionStream('gzip')) : file.stream();
  try { return new Uint8Array(await new Response(body).arrayBuffer()); } catch (e) {
    throw refuse(`${file.name}: not a valid gzip file (${e?.message ?? e})`);
  }
}

/**
 * Reads `files` ([{file, path}], path as webkitRelativePath gives it, or the name) into the
 * `OwnData` of pkg/ganvas.d.ts (plus `skipped`: files that are neither). `say(text)` hears
 * progress.
 */
export async function readData(Ganvas, Images, defaults, files, say) {
  if (!files.length) throw refuse('no files were chosen');
  const bytes = files.reduce((sum, f) => sum + f.file.size, 0);
  if (bytes > defaults.maxDataBytes) {
    throw refuse(`${Math.round(bytes / MB)} MB of files: at most ${defaults.maxDataBytes / MB} MB are read (nothing was decoded)`);
  }
  const idx = files.filter((f) => IDX_IMAGES.test(f.file.name));
  if (idx.length > 1) throw refuse(`choose one IDX images file, not ${idx.length} (${idx.map((f) => f.file.name).join(', ')})`);
  if (idx.length === 1) return readIdx(Ganvas, idx[0].file, files, say);
  return readImages(Images, defaults, files, say);
}

/** An IDX images file, with the labels file beside it (same name, labels-idx1) if chosen too. */
async function readIdx(Ganvas, file, files, say) {
  const want = file.name.replace(IDX_IMAGES, 'labels-idx1').replace(/\.gz$/, '');
  const labels = files.find((f) => f.file.name.replace(/\.gz$/, '') === want)?.file;
  say(`Reading ${file.name}${labels ? ` and ${labels.name}` : ''}…`);
  const data = Ganvas.readIdx(await bytesOf(file), labels ? await bytesOf(labels) : undefined);
  if (!labels) data.description += ` (no ${want} beside it: without classes)`;
  return { ...data, skipped: files.length - 1 - (labels ? 1 : 0) };
}

/** Image files: a class per subfolder of the chosen folder (sorted by name), else none. */
async function readImages(Images, defaults, files, say) {
  // Hidden files and folders (".DS_Store", ".git/") are no images of the set, as natively.
  const images = files.filter((f) => IMAGE.test(f.file.name) && !(f.path || f.file.name).split('/').some((p) => p.startsWith('.')));
  // The folder chosen is the first part of each path; a second folder part is the class.
  const parts = images.map((f) => (f.path || f.file.name).split('/').filter(Boolean));
  const classed = parts.some((p) => p.length >= 3);
  const chosen = images.map((f, i) => ({ ...f, cls: classed ? (parts[i].length >= 3 ? parts[i][1] : null) : '' }))
    .filter((f) => f.cls !== null); // beside class folders, loose files are passed over (as `ganvas train --data`)
  const classes = classed ? [...new Set(chosen.map((f) => f.cls))].sort() : [];
  const n = chosen.length;
  if (n === 0) throw refuse(`no images (PNG, JPEG, WebP, GIF) among the ${files.length} file${files.length === 1 ? '' : 's'} chosen`);
  if (n < defaults.minImages) throw refuse(`${n} image${n === 1 ? '' : 's'}: a GAN needs at least ${defaults.minImages} to learn from`);
  if (n > defaults.maxImages) throw refuse(`${n.toLocaleString('en')} images: at most ${defaults.maxImages.toLocaleString('en')} are read (MNIST has 60,000)`);
  const set = new Images(classes);
  // One canvas, read back on the CPU, makes every image's pixels (see `pixels`).
  const ctx = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  try {
    for (let i = 0, said = -SAY_EVERY; i < n;) {
      if (i - said >= SAY_EVERY) { say(`Reading your images: ${i.toLocaleString('en')} of ${n.toLocaleString('en')}…`); said = i; }
      const batch = nextBatch(chosen, i);
      // Every decode of the batch settles before any is used, so that none is left unclosed.
      const bitmaps = await Promise.allSettled(batch.map((f) => createImageBitmap(f.file)));
      try {
        for (const [k, f] of batch.entries()) {
          // The first file in the chosen order that fails is the one named, however they finished.
          if (bitmaps[k].status === 'rejected') throw refuse(`${f.file.name}: not an image the browser can decode`);
          const { width, height, rgba } = pixels(ctx, bitmaps[k].value, defaults.decodeSide);
          set.add(f.path || f.file.name, width, height, rgba, classes.indexOf(f.cls));
        }
      } finally {
        for (const b of bitmaps) b.value?.close();
      }
      i += batch.length;
    }
    return { ...set.finish(), skipped: files.length - n };
  } finally {
    try { set.free(); } catch { /* finish() consumed it */ }
  }
}

/** The files of the batch that starts at `from`: at most BATCH, and BATCH_BYTES (but one at least). */
function nextBatch(files, from) {
  let end = from + 1, bytes = files[from].file.size;
  while (end < files.length && end - from < BATCH && bytes + files[end].file.size <= BATCH_BYTES) bytes += files[end++].file.size;
  return files.slice(from, end);
}

/** RGBA pixels of a decoded image, shrunk to at most `side` across, drawn on `ctx`'s canvas. */
function pixels(ctx, bitmap, side) {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale)), height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = ctx.canvas;
  if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
  else ctx.clearRect(0, 0, width, height); // transparent where the image is, as a new canvas
  ctx.drawImage(bitmap, 0, 0, width, height);
  return { width, height, rgba: new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer) };
}
