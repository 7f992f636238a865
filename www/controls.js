// The controls of <ganvas-demo>: each button, select and input mapped to what the element
// does (its methods and parts hold the state; this file only listens), the grid's clicks and
// keys included. Also the two controls that deal in files: the upload (size checked before
// reading) and the download.
import { saveFile } from './draw.js';

const MAX_UPLOAD = 64 << 20; // weights files are a few MB; anything this big is a wrong file

/** Listens to the controls in `el`'s shadow root (`$` its querySelector). */
export function wireControls(el, $) {
  const on = (sel, type, fn) => $(sel).addEventListener(type, fn);
  on('.train', 'click', () => (el.running ? el.pause() : el.train()));
  on('.step-once', 'click', () => el.stepOnce());
  on('.reset', 'click', () => el.trainFromScratch());
  on('.view', 'change', () => el.settings.view($('.view').value === 'live'));
  // The selects set their attributes: one path for a visitor's choice and an embedder's (a
  // choice the attribute already holds starts a new model, as a changed one does).
  const choose = (name) => {
    const value = $(name === 'preset' ? '.preset' : '.backend-select').value;
    if (el.getAttribute(name) === value) el.restart(name);
    else el.setAttribute(name, value);
  };
  on('.preset', 'change', () => choose('preset'));
  on('.backend-select', 'change', () => choose('backend'));
  on('.background', 'change', () => { el.background = $('.background').value; });
  on('.score-every', 'change', () => { el.scoreEvery = $('.score-every').value; });
  const settings = () => el.settings.apply({ batchSize: Number($('.batch').value), lrG: Number($('.lr-g').value), lrD: Number($('.lr-d').value) });
  for (const sel of ['.batch', '.lr-g', '.lr-d']) on(sel, 'change', settings);
  on('.copy-link', 'click', () => copyLink(el.linkedRun(), $, (text) => el.status.message(text)));
  on('.link', 'focus', () => $('.link').select()); // one click (or Copy link) takes the whole link
  on('.download', 'click', () => el.saveWeights().then(download, (e) => e.kind === 'replaced' || el.fail(e, 'saveWeights')));
  on('.upload-input', 'change', async (e) => {
    const input = e.target, file = input.files[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_UPLOAD) return el.fail(new Error(`${file.name} is ${(file.size / 1048576).toFixed(0)} MB; weights files are a few MB`), 'loadWeights');
    el.loadWeights(new Uint8Array(await file.arrayBuffer()));
  });
  on('.grid', 'click', (e) => {
    const r = e.target.getBoundingClientRect();
    const i = el.explore.indexAt((e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    if (i != null) el.explore.select(i, e.shiftKey);
  });
  // The keyboard: arrows move a frame over the grid's digits, Enter (or Space) explores the
  // framed one, Shift+Enter morphs to it; a line for screen readers says which digit.
  on('.grid-box', 'keydown', (e) => {
    const arrow = e.key.startsWith('Arrow'), choose = e.key === 'Enter' || e.key === ' ';
    if (!el.explore.grid || !(arrow || choose)) return;
    e.preventDefault();
    const i = arrow || el.grid.focused == null ? el.grid.move(e.key) : el.grid.focused;
    if (i == null) return;
    if (choose) el.explore.select(i, e.shiftKey);
    const { cols } = el.grid.cells, label = el.explore.labelOf(i);
    $('.cell-said').textContent = `Digit ${i + 1}, row ${Math.floor(i / cols) + 1}, column ${(i % cols) + 1}${label == null ? '' : `, asked for a ${label}`}${choose ? ': explored' : ''}.`;
  });
  // Reached with the keyboard (not a click), the grid frames its first digit at once.
  on('.grid-box', 'focus', () => { if ($('.grid-box').matches(':focus-visible') && el.grid.focused == null) el.grid.focus(0); });
  on('.grid-box', 'blur', () => el.grid.focus(null));
}

/**
 * The Copy link button: the link (`linked`: the element's linkedRun()) into its field (shown,
 * selectable) and, if the browser lets it, the clipboard; `say(text)`: the status line.
 */
function copyLink(linked, $, say) {
  if (!linked) return;
  if (linked.refused) { $('.link').hidden = true; return say(linked.refused); }
  const field = $('.link');
  field.value = linked.link;
  field.hidden = false;
  field.focus(); // selected (see below): Ctrl+C copies it where the clipboard is refused
  const what = linked.differs ? `; note: ${linked.differs}` : `: it trains this run again${linked.pauseAt ? ` to step ${linked.pauseAt.toLocaleString('en')}` : ''}`;
  say(`Link ready to copy, beside the button${what}.`);
  Promise.resolve().then(() => navigator.clipboard.writeText(linked.link))
    .then(() => { if (field.value === linked.link) say(`Link copied${what}.`); }, () => {});
}

/** Saves `{bytes, preset, step}` as a file, as the browser downloads one. */
function download({ bytes, preset, step }) {
  saveFile(new Blob([bytes], { type: 'application/octet-stream' }), `ganvas-${preset}-step${step}.ganvas`);
}
