// <ganvas-demo>: the API reference. Every attribute, property, method, event (with its
// `detail`) and the `state` snapshot of the element ganvas-demo.js defines, for embedders and
// for TypeScript. The README, docs/, the package's README and embed.html point here instead of
// listing them again. The wasm API's own types (Step, Scored, BackendInfo, …) are
// pkg/ganvas.d.ts, made by wasm-bindgen from src/web/types.rs.
//
// The element, in one paragraph: a GAN on MNIST that opens with pretrained digits, trains in
// the browser (in a Web Worker, on WebGPU or the CPU) and lets the reader explore its latent
// space; a judge (an MNIST classifier) scores the digits as training goes. Inside,
// ganvas-demo.js wires modules of one job each (attributes.js, rpc.js, grid.js, timelapse.js,
// …; the project's docs/architecture.md lists them); none of them is part of this API.
//
//   <script type="module" src="ganvas-demo.js"></script>
//   <ganvas-demo mode="train" preset="standard" backend="auto"></ganvas-demo>
//
// Lifecycle. Connected to a document, the element starts its worker and a model from its
// attributes (and offers to resume a run saved in IndexedDB, unless checkpoint-every="0":
// `state.resumeOffered`). Disconnected, it stops training and its worker goes; connected
// again, it starts a new model (not training). Every file it loads (its modules, worker.js and
// the worker's modules, ganvas.css, pkg/, data/) is found from the module's own URL or from
// `base`, never from the page's. Served from another origin (a CDN), it starts its worker
// from a same-origin `blob:` URL that imports worker.js, so the page's
// Content-Security-Policy then needs `worker-src blob: <that origin>`.
// Styling: the element is `display: block`, styled by ganvas.css inside its shadow root.
//  - Theme: `theme="auto"` (the default) follows the system's `prefers-color-scheme`; "light"
//    and "dark" fix it (for a light or dark tutorial page whatever the system says).
//  - Custom properties, set on the element by the page, override its theme's colours:
//    --ganvas-bg, --ganvas-fg, --ganvas-muted, --ganvas-soft (secondary text), --ganvas-border,
//    --ganvas-field and --ganvas-field-border (inputs), --ganvas-accent (buttons, the chosen
//    digit), --ganvas-button (secondary buttons), --ganvas-ok and --ganvas-error (the status
//    line), --ganvas-chart (chart backgrounds), --ganvas-focus (focus rings, the keyboard's
//    frame on the grid), --ganvas-font. E.g. `ganvas-demo { --ganvas-bg: transparent; }`.
//  - Parts, for `::part()`: status (the status block), grid (the grid with its caption, picker
//    and timelapse), explore (the explored digit, its sliders, the morph, the nearest training
//    digits), panel (the training controls), dview (D's view), charts (the loss chart),
//    quality (the quality meter).
// Layout: the grid is the largest whole number of device pixels per digit pixel its room
// allows; the explore view sits beside it where there is room (else under it, and a chosen
// digit scrolls it into view), the panel beside or under that. Before training, D's view and
// the charts take a line each. A digit is chosen by a click or tap, or from the keyboard: the
// grid is focusable, the arrow keys move a frame over its digits, Enter (or Space) explores
// the framed one and Shift+Enter morphs to it; "Morph to…" then a tap is the touch shift-click.
//
// Attributes. Each is also a property (below: `preset` ↔ `el.preset`, `lr-g` ↔ `el.lrG`;
// setting a property sets the attribute, and null removes it, except for `mode` and
// `background`) and is read after connection too:
//  - changing `preset`, `backend`, `seed`, `recipe`, `weights`, `base` or `crossorigin`
//    starts a new model (a new worker), as the page's selects do;
//  - changing `lr-g`, `lr-d` or `batch` applies to the running model from its next step, as
//    the panel's inputs do; `score-every`, `checkpoint-every`, `timelapse-every`, `pause-at`
//    (`stop-at`), `digit`, `background` and `mode` also apply to the model as it is.
// Absent, each takes its default (the crate's where it says so: `Ganvas.defaults()`, from
// src/defaults.rs). A malformed value is never thrown: it is reported with an `error` event
// (`during: "attribute"`) and in the status line, and the default is used. (An unknown
// `preset` or `backend` has no default to fall back on: the model does not start, and an
// `error` during "init" says why.)
//
// A run is what a link from `runLink()` (or the Copy link button) trains: fresh weights
// (weights="none") of `preset` from `seed` with `recipe`, then `lr-g`, `lr-d` and `batch`, on
// `backend`. On the CPU backend the same run gives the same losses bit for bit, however the
// worker splits training into chunks; on WebGPU it is the same run, but the arithmetic may
// differ in the last bits. A page follows such links by calling `followHash(el)` from share.js.
import type { BackendInfo, ErrorKind, Memory, LikenessScored, Preset, Scored, Settings, Step, View } from './pkg/ganvas.js';

export type { BackendInfo, ErrorKind, Memory, LikenessScored, Preset, Scored, Settings, Step, View };

/** `ready`: the backend that runs (as `Ganvas.backendInfo()` says it), the preset and the model's step. */
export interface ReadyDetail extends BackendInfo { preset: Preset; step: number; }

/** `step`: the last step of a chunk of training steps, and the chunk's time per step in ms. */
export interface StepDetail extends Step { msPerStep: number; }

/** `score`: a reading of the quality meter (the judge's scores of `n` digits of the shown generator) and the ms it took;
 * on own data (the Data control) the judge cannot score, and the reading is what can be measured without it (docs/quality.md). */
export type ScoreDetail = (Scored | LikenessScored) & { ms: number };

/**
 * `checkpoint`: the whole training state (G, D, the moving average, both Adam states, step,
 * seed, settings) was sent by the worker and kept: in memory, for recovery from a lost GPU or
 * a crash, and in IndexedDB (`saved`), for a reload.
 */
export interface CheckpointDetail {
  step: number;
  /** "start": training started; "every": `checkpoint-every` steps passed; "pause": training paused. */
  why: 'start' | 'every' | 'pause';
  /** How long the worker took to write it. */
  ms: number;
  /** Its size. */
  bytes: number;
  /** Whether it was stored in IndexedDB (not in private mode, over quota, …). */
  saved: boolean;
  /** Why it was not stored, or null. */
  error: string | null;
}

/** `diverged`: a loss became NaN or infinite at `step`; training stopped. `goodStep`: the last good state kept (every 100 steps), or null. */
export interface DivergedDetail { step: number; goodStep: number | null; }

/**
 * `device-lost`: the WebGPU device the model trained on was lost (`reason` and `message` as the
 * browser gave them); a new worker goes on on the CPU from the checkpoint at `step` (null:
 * from the opening weights).
 */
export interface DeviceLostDetail { reason: string; message: string; step: number | null; }

/**
 * `crashed`: the wasm module trapped (a Rust panic) during request `during`; a new worker on
 * the same backend restarts from the checkpoint at `step` (null: from the opening weights).
 * A crash while starting, or a second one before a newer checkpoint, stops training instead
 * (an `error` event then says so).
 */
export interface CrashedDetail { message: string; during: string; step: number | null; }

/**
 * `error`: something failed, and the model is as it was. `during`: what was being done:
 * "attribute" (a malformed or refused attribute), "init" (starting a model), or the action
 * that failed ("train", "step", "generate" (the grid or the explore view), "grid" (the grid
 * of a picked digit), "loadWeights", "loadCheckpoint", "saveWeights", "settings", "view",
 * "reset", "restore", "chooseDevice", "timelapse", "diverged", …).
 * `kind`: the wasm error's kind, "internal", "crashed" (the model crashed meanwhile),
 * "worker" (the worker failed to load), or null for the element's own checks.
 */
export interface ErrorDetail { message: string; during: string; kind: ErrorKind | 'internal' | 'crashed' | 'worker' | null; }

/**
 * `dview` (D's view, train mode): D's probability "real", in [0, 1], of 8 fixed real training
 * digits and of 8 digits of the shown generator from fixed latents (a conditional net's ask
 * for 0–7), one number per digit. With `pack` > 1 (standard: D judges pairs) the digits of a
 * pack share one probability.
 */
export interface DViewDetail { step: number; pack: number; real: number[]; fake: number[]; }

/** `nearest`: the explored digit's 3 nearest MNIST training digits, nearest first: Euclidean pixel distance (pixels in [0, 1]), labels 0–9, indices in the training set. */
export interface NearestDetail { distances: number[]; labels: number[]; indices: number[]; }

/**
 * `explore`: the grid digit explored (`index`, row-major), the digit it morphs to (`target`,
 * or null), and the dimensions of z its sliders move (the 8 that change it most, measured when
 * it was chosen, or those picked in their lists).
 */
export interface ExploreDetail { index: number; target: number | null; dims: number[]; }

/** `el.timelapse()`: the frames' steps (from the model's first grid to now), the steps between frames now, the pixel bytes held. */
export interface TimelapseInfo { readonly steps: readonly number[]; readonly every: number; readonly bytes: number; }

/** The element's own events, each a CustomEvent (`error` here is not the DOM's ErrorEvent). */
export interface GanvasDemoEventMap {
  /** A model's first grid is drawn: at the start, and after each new model (a changed attribute, Train from scratch, a resumed run, a recovery). */
  ready: CustomEvent<ReadyDetail>;
  /** backend="auto" timed training on both devices (`measured`: `{cpu, webgpu}`, each `{stepsPerSecond, firstStepMs, steps}`) and trains on the faster; or (`measured` null) it could not time WebGPU — its module (`pkg/ganvas_webgpu.js`) could not be loaded or its device did not start — and stays on the CPU, `reason` saying why. Train mode only; again when the batch size changes. */
  device: CustomEvent<BackendInfo>;
  /** After each chunk of training steps (not after a chunk whose losses diverged). */
  step: CustomEvent<StepDetail>;
  /** After each quality reading: when a model or weights open, after a restore, when Show switches the generator, and every `score-every` steps while training. */
  score: CustomEvent<ScoreDetail>;
  /** The training state was kept (see CheckpointDetail). */
  checkpoint: CustomEvent<CheckpointDetail>;
  /** A loss became NaN or infinite; training stopped, the grid is greyed out and the page offers the last good state. An `error` (during "diverged") comes first. */
  diverged: CustomEvent<DivergedDetail>;
  /** The GPU is gone: training goes on on the CPU from the last checkpoint. */
  'device-lost': CustomEvent<DeviceLostDetail>;
  /** The wasm module trapped: restarted from the last checkpoint, or stopped. */
  crashed: CustomEvent<CrashedDetail>;
  /** Something failed; the model is as it was. */
  error: CustomEvent<ErrorDetail>;
  /** D's view was updated: train mode, after a grid redraw while training, at most once a second. */
  dview: CustomEvent<DViewDetail>;
  /** The explored digit (the zoom) was drawn: after a click, tap or Enter on a grid digit, a slider move, the morph slider, Random digit or Reset, and with each grid redraw while training. `dims` is empty until the sliders are measured for the digit. */
  explore: CustomEvent<ExploreDetail>;
  /** The explored digit's nearest training digits were looked up: 200 ms after the zoomed digit last changed (at most 1.5 s while it keeps changing). The first lookup loads MNIST's 60,000 training digits (9.7 MB). */
  nearest: CustomEvent<NearestDetail>;
}

/** `el.state`: a frozen snapshot for tests and embedders (instead of private fields). */
export interface GanvasDemoState {
  /** The `ready` event's detail; null until the current model's first grid is drawn. */
  readonly ready: ReadyDetail | null;
  /** The model's step; null before a model. */
  readonly step: number | null;
  /** Whether training runs. */
  readonly running: boolean;
  /** The step where the last training loop stopped (a pause, `pause-at`); null while training, or before a loop ended. */
  readonly pausedAt: number | null;
  readonly preset: Preset | null;
  /** The device the model runs on now. */
  readonly backend: 'webgpu' | 'cpu' | null;
  /** Which generator the grid shows and the meter judges: the moving average of G, or live G. */
  readonly view: View | null;
  /** The training settings now (batch size, learning rates, real label, moving-average decay, view). */
  readonly settings: Readonly<Settings> | null;
  /** The seeded fresh run the model is (`changedAt`: the step its settings were first changed at after step 0); null for loaded weights. */
  readonly run: Readonly<{ seed: number; recipe: string | null; changedAt?: number }> | null;
  /** Every step's losses of this run (a resumed run's from its saved history; thinned to every other point past 4,000). */
  readonly history: readonly Step[];
  /** The quality meter's readings of this model. */
  readonly scores: readonly (Scored | LikenessScored)[];
  /** The share of training time the last periodic score took; null before one. */
  readonly scoreCost: number | null;
  /** The last `checkpoint` event's detail, or null. */
  readonly lastCheckpoint: CheckpointDetail | null;
  /** The checkpoint step a recovery (lost GPU, crash) would resume from; null: the opening weights. */
  readonly recoveryStep: number | null;
  /** Requests to the worker still waiting for their answer. */
  readonly pendingRequests: number;
  /** The digit every grid cell asks for (a conditional model; `digit`); null: all (rows of 0–9). */
  readonly digit: number | null;
  /** Whether a saved run is offered to resume (the status line's Resume / Discard) and the visitor has not chosen yet. */
  readonly resumeOffered: boolean;
  /** Each grid cell's label, read from the inputs the grid draws; null for an unconditional model. */
  readonly gridLabels: readonly number[] | null;
  /** Own data the model trains on (the panel's Data control: images, IDX files or drawings), its
   * class names (empty: none) and what was read; null: MNIST's digits. Kept over a reload. */
  readonly data: Readonly<{ classes: readonly string[]; description: string }> | null;
}

/**
 * The element. Properties that read a number (`lrG`, `lrD`, `batch`, `pauseAt`, `scoreEvery`,
 * `checkpointEvery`, `timelapseEvery`, `digit`) return null for an absent attribute and also
 * for a malformed one, which reading reports (an `error` event, during "attribute").
 * Its other members (among them linkedRun, fail and its parts settings, explore and status,
 * which the panel's controls.js calls) are wiring, not part of this API.
 */
export class GanvasDemo extends HTMLElement {
  /** `mode`: "train" (the whole demo) or "explore" (the grid and latent sliders only); any other value reads as "train". */
  mode: 'train' | 'explore';
  /**
   * `preset`: the network: "standard", "tiny", "tiny-conditional", "conditional",
   * "conv-conditional" or "conv". Absent: the crate's default (standard), opened with its
   * shipped weights (standard, conditional and conv have them). An unknown one cannot be
   * replaced by a default: the model does not start, and an `error` (during "init") says why.
   */
  preset: Preset | null;
  /**
   * `backend`: "auto" (absent) starts on the CPU (the first grid needs no shader compilation);
   * in train mode, once the first grid is drawn, it times training on the CPU and on WebGPU (a
   * hardware adapter; a software one is not timed) and trains on the faster (the `device`
   * event). "webgpu" or "cpu" forces one. The WebGPU code is a wasm module of its own
   * (`pkg/ganvas_webgpu.js`, 2.2 MB brotli), fetched only for "webgpu" or when "auto" has a
   * hardware adapter to time; everything else runs in the CPU-only `pkg/ganvas.js`.
   */
  backend: 'auto' | 'webgpu' | 'cpu';
  /** `seed`: the seed of fresh weights, a whole number ≥ 0 (absent: 0). A malformed one is reported when a model starts, and 0 used. */
  seed: number | null;
  /** `recipe`: the crate's training recipe fresh weights start with ("fast", "classic"); null: the crate's default for a new model (today "classic", the CLI's). An unknown one is reported and the default used. */
  recipe: string | null;
  /**
   * `lr-g`, `lr-d`: the learning rates of G and D (numbers > 0); `batch`: the batch size (a
   * whole number ≥ 1). Null: the recipe's. A value the crate refuses (e.g. an odd batch for
   * standard's pairs) is reported: when a model starts, the recipe's is kept (during
   * "attribute"); changed later, the settings stay as they were (during "settings"). A
   * change applies from the next step (with backend="auto", a new batch size times the devices
   * again); changed mid-run, a link to the run trains the new settings from step 0
   * (`runLink()`).
   */
  lrG: number | null;
  lrD: number | null;
  batch: number | null;
  /**
   * `pause-at` (or its synonym `stop-at`; `pause-at` wins if both are set): training pauses at
   * exactly this step. A stop already passed is passed: Train at or after it trains on.
   * Changed while training, it moves the stop of the running loop. The property sets `pause-at`.
   */
  pauseAt: number | null;
  /**
   * `weights`: a `.ganvas` URL to open with (resolved against the page), or "none" (fresh
   * weights); null: the preset's shipped weights (fresh weights for a preset without any). A URL
   * of another origin than the page's is refused without `crossorigin` (an `error`; the model
   * opens with fresh weights). The bytes are checked as any weights file is.
   */
  weights: string | null;
  /**
   * `base`: the folder (a URL, resolved against the page) holding pkg/ (the wasm, the shipped
   * weights, the judge) and data/ (MNIST); null: the element's own folder. On another origin it
   * must send CORS headers. A malformed one is reported and the element's folder used.
   */
  base: string | null;
  /**
   * `crossorigin`: "anonymous" (any value but "use-credentials") or "use-credentials", as on
   * <img>: allows `weights` from another origin, fetched with CORS (cookies only with
   * "use-credentials"; that server must then answer with its own origin and
   * `Access-Control-Allow-Credentials: true`). Null: such weights are refused.
   */
  crossOrigin: 'anonymous' | 'use-credentials' | null;
  /**
   * `score-every`: steps between quality scores, 0 = off; null: the crate's (500). Scores also
   * wait until scoring costs under a tenth of training time. If the judge cannot be loaded or
   * fails, scoring stops and the meter says why.
   */
  scoreEvery: number | null;
  /**
   * `checkpoint-every`: steps between checkpoints (also one when training starts and when it
   * pauses), kept in memory for recovery and saved in IndexedDB (one run per page, element `id`
   * and run link) for a reload to resume; null: the crate's (500). 0 = none: nothing is saved,
   * no saved run is offered, and a lost GPU or a crash starts again from the opening weights.
   */
  checkpointEvery: number | null;
  /**
   * `timelapse-every`: steps between timelapse frames at the start of a run, 0 = off; null:
   * the crate's (50). At most 120 frames are kept: when full, every second frame goes and the
   * interval doubles, so the timelapse always spans the whole run.
   */
  timelapseEvery: number | null;
  /** `background`: what training does in a hidden tab: "pause" (absent, or any other value; it goes on when the tab is shown), "throttle" (about a tenth of the pace) or "run". */
  background: 'pause' | 'throttle' | 'run';
  /**
   * `digit`: "0"–"9": a conditional model's grid draws this digit in every cell, each from its
   * own z; absent, "" or "all": rows of 0–9. The picker under the grid sets it. Ignored for an
   * unconditional model (no picker). The property: 0–9 or null.
   */
  digit: number | null;
  /** `theme`: "dark", "light", or "auto" (absent, or any other value: the system's, prefers-color-scheme). See Styling above. */
  theme: 'dark' | 'light' | 'auto';

  /** A frozen snapshot of the element's state. */
  readonly state: GanvasDemoState;

  /** Starts continuous training (the Train button); it pauses by itself at `pause-at` if that lies ahead. Does nothing while training. */
  train(): void;
  /** Pauses training after the chunk in flight. */
  pause(): void;
  /** Runs one training step (not while training). */
  stepOnce(): void;
  /**
   * Fresh random weights (a random seed), and training starts (what Train from scratch does).
   * The network: the current preset if one was picked (changed after the element started, or
   * named by the `preset` attribute, or a run link's, of an element that opened on fresh
   * weights), else the crate's from-scratch preset (conv-conditional; tiny for own images
   * without classes). The recipe: the panel's Recipe menu, which starts at the crate's
   * from-scratch recipe (fast); the `recipe` attribute does not apply here.
   */
  trainFromScratch(): void;
  /**
   * Loads a `.ganvas` generator file of the current preset and pauses training. A bad file, or
   * one of another preset, is refused with an `error` event and changes nothing. The bytes'
   * buffer is transferred to the worker: `bytes` is unusable afterwards.
   */
  loadWeights(bytes: Uint8Array): void;
  /** The generator to sample from (the moving average of G when one is kept) as a `.ganvas` file (what the Download button saves). */
  saveWeights(): Promise<{ bytes: Uint8Array; preset: Preset; step: number }>;
  /** Redraws the grid and the explore view; resolves once a draw begun after the call is done (drawn, failed or superseded: it never rejects). */
  redraw(): Promise<void>;
  /** The wasm module's memory, and what burn's allocator holds on the device (null where the backend reports none). */
  memory(): Promise<Memory>;
  /**
   * A link to this run: this page's address with the run in its hash (share.js), pause-at its
   * step, for a page that calls `followHash(el)` (as the demo's index.html does) to train it
   * again. For loaded weights (not a seeded run): fresh weights with the current settings and
   * no stop. Null before a model.
   */
  runLink(): string | null;
  /** The timelapse's frames (their steps), interval and pixel bytes. */
  timelapse(): TimelapseInfo;
  /** A PNG of up to 16 frames of the timelapse, evenly spread, each labelled with its step; rejects while there are no frames. */
  contactSheet(): Promise<Blob>;
  /**
   * A WebM video of the timelapse (8 frames a second, more for a long one; the last held a
   * second; 11 s at most), recorded in real time, so it takes as long as it lasts. Rejects
   * where the browser cannot record WebM (MediaRecorder), or while there are no frames.
   */
  timelapseVideo(): Promise<Blob>;

  addEventListener<K extends keyof GanvasDemoEventMap>(type: K, listener: (this: GanvasDemo, ev: GanvasDemoEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: GanvasDemo, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof GanvasDemoEventMap>(type: K, listener: (this: GanvasDemo, ev: GanvasDemoEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap { 'ganvas-demo': GanvasDemo; }
}
