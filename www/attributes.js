// <ganvas-demo>'s attributes, each reflected as a property, and how a malformed one is read.
// A module of its own because that is one rule for all of them, apart from the wiring: an
// attribute is read whenever the element starts a model (so a change after connection counts),
// and a malformed one is reported with an `error` event (during "attribute") and the crate's
// default used, never thrown. The element class mixes this in: `withAttributes(HTMLElement)`;
// it must have `fail(error, during)`.

/** A whole number ≥ 0 from an attribute, null when absent; throws the reason when malformed. */
function steps(el, name) {
  const v = el.getAttribute(name);
  if (v == null || v === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}="${v}" is not a whole number ≥ 0; the default is used`);
  return n;
}

/** Changing one of these starts a new model, as the selects do. */
const MODEL_ATTRS = ['preset', 'backend', 'seed', 'weights'];

export const withAttributes = (Base) => class extends Base {
  static observedAttributes = ['mode', ...MODEL_ATTRS, 'score-every', 'checkpoint-every', 'background'];

  get mode() { return this.getAttribute('mode') === 'explore' ? 'explore' : 'train'; }
  set mode(v) { this.setAttribute('mode', v); }
  get preset() { return this.getAttribute('preset'); }
  set preset(v) { this.reflect('preset', v); }
  get backend() { return this.getAttribute('backend') || 'auto'; }
  set backend(v) { this.reflect('backend', v); }
  get seed() { const v = this.getAttribute('seed'); return v == null || v === '' ? null : Number(v); }
  set seed(v) { this.reflect('seed', v); }
  get weights() { return this.getAttribute('weights'); }
  set weights(v) { this.reflect('weights', v); }
  get scoreEvery() { return this.stepsAttr('score-every'); }
  set scoreEvery(v) { this.reflect('score-every', v); }
  get checkpointEvery() { return this.stepsAttr('checkpoint-every'); }
  set checkpointEvery(v) { this.reflect('checkpoint-every', v); }
  get background() {
    const v = this.getAttribute('background');
    return ['pause', 'throttle', 'run'].includes(v) ? v : 'pause';
  }
  set background(v) { this.setAttribute('background', v); }

  reflect(name, v) { if (v == null) this.removeAttribute(name); else this.setAttribute(name, String(v)); }

  /** A step-count attribute; a malformed one is reported and the default used. */
  stepsAttr(name) {
    try { return steps(this, name); } catch (e) { this.fail(e, 'attribute'); return null; }
  }

  /** The seed to start with (undefined: the crate's); a malformed one is reported. */
  seedOrFail() { return this.stepsAttr('seed') ?? undefined; }

  /** Weights to open with: undefined (the preset's shipped ones), null (none) or a same-origin URL. */
  weightsChoice() {
    const attr = this.getAttribute('weights');
    if (attr === 'none') return null;
    if (!attr) return undefined;
    const url = new URL(attr, document.baseURI);
    if (url.origin === location.origin) return url.href;
    this.fail(new Error(`weights must come from this site (${location.origin}), not ${url.origin}`), 'attribute');
    return null;
  }
};
