// <ganvas-demo>'s attributes, each reflected as a property, and how a malformed one is read.
// A module of its own because that is one rule for all of them, apart from the wiring: an
// attribute is read whenever the element starts a model (so a change after connection counts),
// and a malformed one is reported with an `error` event (during "attribute") and the crate's
// default used, never thrown. The element class mixes this in: `withAttributes(HTMLElement)`;
// it must have `fail(error, during)`.

/** A whole number ≥ `min` from an attribute, null when absent; throws the reason when malformed. */
function steps(el, name, min = 0) {
  const v = el.getAttribute(name);
  if (v == null || v === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}="${v}" is not a whole number ≥ ${min}; the default is used`);
  return n;
}

/** A number > 0 from an attribute (a learning rate), null when absent; throws the reason when malformed. */
function positive(el, name) {
  const v = el.getAttribute(name);
  if (v == null || v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}="${v}" is not a number > 0; the recipe's is used`);
  return n;
}

/** Changing one of these starts a new model, as the selects do. */
const MODEL_ATTRS = ['preset', 'backend', 'seed', 'recipe', 'weights', 'base', 'crossorigin'];
/** The training settings: a change applies to the model from its next step, as the inputs do. */
export const SETTINGS_ATTRS = ['lr-g', 'lr-d', 'batch'];

// The element's own folder (this module sits beside ganvas-demo.js): where pkg/ and data/ are
// unless `base` says otherwise, so that the element works from any folder, origin or CDN path.
const HOME = new URL('./', import.meta.url).href;

export const withAttributes = (Base) => class extends Base {
  static observedAttributes = ['mode', ...MODEL_ATTRS, ...SETTINGS_ATTRS, 'pause-at', 'stop-at', 'score-every', 'checkpoint-every', 'timelapse-every', 'background', 'digit', 'theme'];

  get mode() { return this.getAttribute('mode') === 'explore' ? 'explore' : 'train'; }
  set mode(v) { this.setAttribute('mode', v); }
  get preset() { return this.getAttribute('preset'); }
  set preset(v) { this.reflect('preset', v); }
  get backend() { return this.getAttribute('backend') || 'auto'; }
  set backend(v) { this.reflect('backend', v); }
  get seed() { const v = this.getAttribute('seed'); return v == null || v === '' ? null : Number(v); }
  set seed(v) { this.reflect('seed', v); }
  /** A recipe of the crate ("fast", "classic"); an unknown one is reported once the model starts. */
  get recipe() { return this.getAttribute('recipe') || null; }
  set recipe(v) { this.reflect('recipe', v); }
  get lrG() { return this.checked(() => positive(this, 'lr-g')); }
  set lrG(v) { this.reflect('lr-g', v); }
  get lrD() { return this.checked(() => positive(this, 'lr-d')); }
  set lrD(v) { this.reflect('lr-d', v); }
  get batch() { return this.checked(() => steps(this, 'batch', 1)); }
  set batch(v) { this.reflect('batch', v); }
  /** The step training pauses at: `pause-at`, else its synonym `stop-at` (null: none). */
  get pauseAt() { return this.stepsAttr(this.hasAttribute('pause-at') ? 'pause-at' : 'stop-at'); }
  set pauseAt(v) { this.reflect('pause-at', v); }
  get weights() { return this.getAttribute('weights'); }
  set weights(v) { this.reflect('weights', v); }
  get base() { return this.getAttribute('base'); }
  set base(v) { this.reflect('base', v); }
  /** As on <img>: null (absent), "use-credentials", or "anonymous" (any other value). */
  get crossOrigin() {
    const v = this.getAttribute('crossorigin');
    return v == null ? null : v === 'use-credentials' ? v : 'anonymous';
  }
  set crossOrigin(v) { this.reflect('crossorigin', v); }
  get scoreEvery() { return this.stepsAttr('score-every'); }
  set scoreEvery(v) { this.reflect('score-every', v); }
  get checkpointEvery() { return this.stepsAttr('checkpoint-every'); }
  set checkpointEvery(v) { this.reflect('checkpoint-every', v); }
  /** The digit a conditional model's grid draws in every cell (0–9); null: all, rows of 0–9. */
  get digit() {
    return this.checked(() => {
      const v = this.getAttribute('digit');
      if (v == null || v === '' || v === 'all') return null;
      if (!/^[0-9]$/.test(v)) throw new Error(`digit="${v}" is not a digit 0–9; the grid shows all digits`);
      return Number(v);
    });
  }
  set digit(v) { this.reflect('digit', v); }
  get timelapseEvery() { return this.stepsAttr('timelapse-every'); }
  set timelapseEvery(v) { this.reflect('timelapse-every', v); }
  get background() {
    const v = this.getAttribute('background');
    return ['pause', 'throttle', 'run'].includes(v) ? v : 'pause';
  }
  set background(v) { this.setAttribute('background', v); }

  /** "dark", "light", or "auto" (the default: the system's, prefers-color-scheme). */
  get theme() {
    const v = this.getAttribute('theme');
    return ['dark', 'light'].includes(v) ? v : 'auto';
  }
  set theme(v) { this.reflect('theme', v); }

  reflect(name, v) { if (v == null) this.removeAttribute(name); else this.setAttribute(name, String(v)); }

  /** A step-count attribute; a malformed one is reported and the default used. */
  stepsAttr(name) { return this.checked(() => steps(this, name)); }

  /** `read()`'s value, or null (the default) when it throws: the reason is reported. */
  checked(read) {
    try { return read(); } catch (e) { this.fail(e, 'attribute'); return null; }
  }

  /** The settings attributes as the worker's `settings` takes them (absent ones undefined). */
  settingsAttrs() {
    return { batchSize: this.batch ?? undefined, lrG: this.lrG ?? undefined, lrD: this.lrD ?? undefined };
  }

  /** The seed to start with (undefined: the crate's); a malformed one is reported. */
  seedOrFail() { return this.stepsAttr('seed') ?? undefined; }

  /** The folder (an absolute URL ending in /) that holds pkg/ and data/: `base`, else the element's. */
  baseUrl() {
    const attr = this.getAttribute('base');
    if (!attr) return HOME;
    try { return new URL(attr.endsWith('/') ? attr : `${attr}/`, document.baseURI).href; } catch {
      this.fail(new Error(`base="${attr}" is not a URL; the element's own folder is used`), 'attribute');
      return HOME;
    }
  }

  /**
   * Weights to open with: undefined (the preset's shipped ones), null (none) or a URL: one of
   * this page's origin, or of another when `crossorigin` opts in (as <img> does: the author
   * vouches for that server; it must send CORS headers). Refused otherwise, with the reason.
   */
  weightsChoice() {
    const attr = this.getAttribute('weights');
    if (attr === 'none') return null;
    if (!attr) return undefined;
    let url;
    try { url = new URL(attr, document.baseURI); } catch {
      this.fail(new Error(`weights="${attr}" is not a URL; no weights were loaded`), 'attribute');
      return null;
    }
    if (url.origin === location.origin || this.crossOrigin) return url.href;
    this.fail(new Error(`weights must come from this site (${location.origin}), not ${url.origin}, unless <ganvas-demo> has crossorigin="anonymous" (and that server sends CORS headers); they were not loaded`), 'attribute');
    return null;
  }

  /** The fetch credentials for `weights`: cookies go to another origin only for use-credentials. */
  weightsCredentials() { return this.crossOrigin === 'use-credentials' ? 'include' : 'same-origin'; }
};
