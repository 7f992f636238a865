// Types of <ganvas-demo> (ganvas-demo.js) for embedders: its properties, methods, state and
// events, as documented at the head of ganvas-demo.js. The wasm API's own types (Step, Scored,
// BackendInfo, …) are pkg/ganvas.d.ts, made by wasm-bindgen from src/web/types.rs.
import type { BackendInfo, Memory, Preset, Scored, Settings, Step } from './pkg/ganvas.js';

export type { BackendInfo, Memory, Preset, Scored, Settings, Step };

export interface ReadyDetail extends BackendInfo { preset: Preset; step: number; }
export interface StepDetail extends Step { msPerStep: number; }
export interface ScoreDetail extends Scored { ms: number; }
export interface CheckpointDetail { step: number; why: string; ms: number; bytes: number; saved: boolean; error: string | null; }

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
  readonly history: readonly Step[];
  readonly scores: readonly Scored[];
  readonly scoreCost: number | null;
  readonly lastCheckpoint: CheckpointDetail | null;
  readonly recoveryStep: number | null;
  readonly pendingRequests: number;
}

export class GanvasDemo extends HTMLElement {
  /** "train" (the whole demo) or "explore" (the grid and latent sliders). */
  mode: 'train' | 'explore';
  preset: Preset | null;
  /** "auto": starts on the CPU, then trains on whichever of WebGPU and the CPU it measures faster. */
  backend: 'auto' | 'webgpu' | 'cpu';
  seed: number | null;
  /** A weights URL, "none", or null (the preset's shipped weights). */
  weights: string | null;
  /** The folder holding pkg/ and data/; null: the element's own folder. */
  base: string | null;
  /** Allows `weights` from another origin (fetched with CORS), as on <img>. */
  crossOrigin: 'anonymous' | 'use-credentials' | null;
  scoreEvery: number | null;
  checkpointEvery: number | null;
  background: 'pause' | 'throttle' | 'run';
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
  addEventListener<K extends keyof GanvasDemoEventMap>(type: K, listener: (this: GanvasDemo, ev: GanvasDemoEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: GanvasDemo, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof GanvasDemoEventMap>(type: K, listener: (this: GanvasDemo, ev: GanvasDemoEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap { 'ganvas-demo': GanvasDemo; }
}
