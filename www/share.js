// Shareable runs: a run (fresh weights of a preset from a seed, with a recipe, learning rates
// and batch size, on a backend, and a step to pause at) written in a URL's hash, e.g.
// `#preset=tiny&seed=7&recipe=fast&batch=32&backend=cpu&pause-at=800`, and read back as
// <ganvas-demo> attributes of the same names. A module of its own, without any DOM at load,
// so that the parsing is tested under plain `node --test` (tests/js/share.test.mjs) and the
// element (its `runLink()`) and the page (page.js) share one format. Values are passed on as
// written: a malformed one is the element's to report, as for any attribute.

/** The hash keys of a run, each the <ganvas-demo> attribute of the same name. */
export const RUN_KEYS = ['preset', 'seed', 'recipe', 'lr-g', 'lr-d', 'batch', 'backend', 'pause-at'];

/**
 * The run a hash holds, as attributes (`{preset: 'tiny', 'pause-at': '800', weights: 'none'}`:
 * a run starts from fresh weights), or null when it names none of RUN_KEYS. Other keys are
 * ignored; `stop-at` counts as `pause-at` (which wins when both are there).
 */
export function runFromHash(hash) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const attrs = {};
  for (const key of RUN_KEYS) if (params.has(key)) attrs[key] = params.get(key);
  if (!('pause-at' in attrs) && params.has('stop-at')) attrs['pause-at'] = params.get('stop-at');
  return Object.keys(attrs).length ? { ...attrs, weights: 'none' } : null;
}

/** The hash of `{preset, seed, recipe, lrG, lrD, batch, backend, pauseAt}` (null ones left out). */
export function runHash({ preset, seed, recipe, lrG, lrD, batch, backend, pauseAt }) {
  const params = new URLSearchParams();
  const values = { preset, seed, recipe, 'lr-g': lrG, 'lr-d': lrD, batch, backend, 'pause-at': pauseAt };
  // String(n) is the shortest text that reads back as the same double: the rates survive exactly.
  for (const key of RUN_KEYS) if (values[key] != null) params.set(key, String(values[key]));
  return `#${params}`;
}

/** A link to `run` (see runHash) on `page` (a URL; its own hash is replaced). */
export function runLink(run, page) {
  return `${String(page).split('#')[0]}${runHash(run)}`;
}

/**
 * A link to model `m`'s run (the element's model: {preset, step, settings, run}) on `page`:
 * the seeded fresh run it started as, its settings now, `chosen.backend`, and its step as the
 * stop. Loaded weights are no seeded run: the link trains fresh ones from `chosen.seed` with
 * `chosen.recipe`, and no stop (their step counts training done elsewhere). → `{link,
 * pauseAt, differs}`, `differs` saying why the link's run is not this one (or null).
 */
export function linkTo(m, chosen, page) {
  const { run, settings: s } = m;
  const spec = {
    preset: m.preset, seed: run?.seed ?? chosen.seed ?? 0, recipe: run ? run.recipe : chosen.recipe ?? null,
    lrG: s.lrG, lrD: s.lrD, batch: s.batchSize, backend: chosen.backend, pauseAt: run && m.step > 0 ? m.step : null,
  };
  const differs = !run ? 'these weights were not trained here from a seed, so the link trains fresh weights with the current settings instead, without a stop'
    : run.changedAt != null ? `the settings were changed at step ${run.changedAt.toLocaleString('en')}, so the link trains with the current settings from step 0, which differs from this run`
      : null;
  return { link: runLink(spec, page), pauseAt: spec.pauseAt, differs };
}

const following = new WeakMap(); // element → the AbortController of its pending "train when ready"

/**
 * Makes `el` train `attrs` (runFromHash's): its run attributes set (absent ones removed, so
 * that the recipe's own settings apply), one new model, trained as soon as it is ready, unless
 * the element offers to resume this link's run saved before (then the visitor chooses).
 */
export function startRun(el, attrs) {
  // Detached, the element drops its model; set while detached, the attributes make one new
  // model when it is back, instead of one per changed attribute.
  const parent = el.parentNode, next = el.nextSibling;
  el.remove();
  for (const key of [...RUN_KEYS, 'stop-at', 'weights']) {
    if (key in attrs) el.setAttribute(key, attrs[key]);
    else el.removeAttribute(key);
  }
  following.get(el)?.abort(); // a run asked for before this one was ready: this one replaces it
  const wait = new AbortController();
  following.set(el, wait);
  el.addEventListener('ready', () => {
    wait.abort();
    // A run of this link saved before (runs.js) is offered instead: Resume, or Train afresh.
    if (el.state.resumeOffered) return;
    el.train();
  }, { signal: wait.signal });
  parent?.insertBefore(el, next);
}

/** The page's side (page.js): the run in the page's hash, on load and on each `hashchange`. */
export function followHash(el) {
  const follow = () => {
    const run = runFromHash(location.hash);
    if (run) startRun(el, run);
  };
  follow();
  addEventListener('hashchange', follow);
}
