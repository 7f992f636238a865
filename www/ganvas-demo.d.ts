// Types of <ganvas-demo> (ganvas-demo.js) for embedders: its properties, methods, state and
// events, as documented at the head of ganvas-demo.js. The wasm API's own types (Step, Scored,
// BackendInfo, …) are pkg/ganvas.d.ts, made by wasm-bindgen from src/web/types.rs.
import type { BackendInfo, Memory, Preset, Scored, Settings, Step } from './pkg/ganvas.js';

export type { BackendInfo, Memory, Preset, Scored, Settings, Step };

export interface ReadyDetail extends BackendInfo { preset: Preset; step: number; }
export interface StepDetail extends Step { msPerStep: number; }
export interface ScoreDetail extends Scored { ms: number; }
export interface CheckpointDetail { step: number; why: string; ms: number; bytes: number; saved: boolean; error: string | null; }
/** `el.timelapse()`: the frames' steps (from the model's first grid to now), the interval now, the pixel bytes held. */
export interface TimelapseInfo { readonly steps: readonly number[]; readonly every: number; readonly bytes: number; }

/**
 * D's view (train mode): D's probability "real" of 8 fixed real training digits and of 8 digits
 * of the shown generator from fixed latents, in [0, 1]. With `pack` > 1 (standard: D judges
 * pairs) each pack's digits share one probability.
 */
export interface DViewDetail { step: number; pack: number; real: number[]; fake: number[]; }
/** The explored digit's 3 nearest MNIST training digits, nearest first: Euclidean pixel distance (pixels in [0, 1]), labels 0–9, indices in the training set. */
export interface NearestDetail { distances: number[]; labels: number[]; indices: number[]; }

/** The element's own events (`error` here is a CustomEvent, not the DOM's ErrorEvent). */
export interface GanvasDemoEventMap {
  ready: CustomEvent<ReadyDetail>;
  /** backend="auto" timed both devices (`measured`) and trains on the faster. */
  device: CustomEvent<BackendInfo>;
  step: CustomEvent<StepDetail>;
  score: CustomEvent<ScoreDetail>;
  checkpoint: CustomEvent<CheckpointDetail>;
  diverged: CustomEvent<{ step: number; goodStep: number | null }>;
  'device-lost': CustomEvent<{ reason: string; message: string; step: number | null }>;
  crashed: CustomEvent<{ message: string; during: string; step: number | null }>;
  error: CustomEvent<{ message: string; during: string; kind: string | null }>;
  /** After each D's view update (train mode; at most once a second while training). */
  dview: CustomEvent<DViewDetail>;
  /** After each nearest-training-digits lookup of the explored digit (200 ms after it last changed). */
  nearest: CustomEvent<NearestDetail>;
}

/** `el.state`: a frozen snapshot for tests and embedders. */
export interface GanvasDemoState {
  readonly ready: ReadyDetail | null;
  readonly step: number | null;
  readonly running: boolean;
  readonly pausedAt: number | null;
  readonly preset: Preset | null;
  readonly backend: 'webgpu' | 'cpu' | null;
  readonly view: 'average' | 'live' | null;
  readonly settings: Readonly<Settings> | null;
  /** The seeded fresh run the model is (`changedAt`: the step its settings were first changed at after step 0); null for loaded weights. */
  readonly run: Readonly<{ seed: number; recipe: string | null; changedAt?: number }> | null;
  readonly history: readonly Step[];
  readonly scores: readonly Scored[];
  readonly scoreCost: number | null;
  readonly lastCheckpoint: CheckpointDetail | null;
  readonly recoveryStep: number | null;
  readonly pendingRequests: number;
  /** The digit every grid cell asks for (a conditional model; `digit`), null: all (rows of 0–9). */
  readonly digit: number | null;
  /** Each grid cell's label, read from the inputs the grid draws; null for an unconditional model. */
  readonly gridLabels: readonly number[] | null;
}

export class GanvasDemo extends HTMLElement {
  /** "train" (the whole demo) or "explore" (the grid and latent sliders). */
  mode: 'train' | 'explore';
  preset: Preset | null;
  /** "auto": starts on the CPU, then trains on whichever of WebGPU and the CPU it measures faster. */
  backend: 'auto' | 'webgpu' | 'cpu';
  seed: number | null;
  /** The crate's recipe fresh weights start with ("fast", "classic"); null: the crate's default. */
  recipe: string | null;
  /** Learning rates (> 0) and batch size (≥ 1); null: the recipe's. Changing one applies from the next step. */
  lrG: number | null;
  lrD: number | null;
  batch: number | null;
  /** The step training pauses at (`pause-at`, or its synonym `stop-at`); a stop already passed is passed. */
  pauseAt: number | null;
  /** A weights URL, "none", or null (the preset's shipped weights). */
  weights: string | null;
  /** The folder holding pkg/ and data/; null: the element's own folder. */
  base: string | null;
  /** Allows `weights` from another origin (fetched with CORS), as on <img>. */
  crossOrigin: 'anonymous' | 'use-credentials' | null;
  scoreEvery: number | null;
  checkpointEvery: number | null;
  /** Steps between timelapse frames at the start of a run (0 = off; null: 50); doubles each time 120 frames are thinned. */
  timelapseEvery: number | null;
  background: 'pause' | 'throttle' | 'run';
  /** A conditional model's grid draws this digit (0–9) in every cell, each from its own z; null: all (rows of 0–9). The attribute: "0"–"9", absent or "all". */
  digit: number | null;
  readonly state: GanvasDemoState;
  train(): void;
  pause(): void;
  stepOnce(): void;
  trainFromScratch(): void;
  /** A .ganvas file's bytes; a bad file is refused with an `error` event. */
  loadWeights(bytes: Uint8Array): void;
  saveWeights(): Promise<{ bytes: Uint8Array; preset: Preset; step: number }>;
  redraw(): Promise<void>;
  memory(): Promise<Memory>;
  /** A link (this page's URL, the run in its hash) that trains this run again from fresh weights and pauses at its step; null before a model. */
  runLink(): string | null;
  timelapse(): TimelapseInfo;
  /** Up to 16 frames of the timelapse, evenly spread, each labelled with its step (image/png). */
  contactSheet(): Promise<Blob>;
  /** The timelapse as a video (video/webm), recorded in real time (11 s at most); rejects where WebM cannot be recorded. */
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
