// The worker's protocol, in one place: what the element may ask the worker (service.js
// answers, rpc.js sends) and the events the worker posts. Shapes come from the wasm API's
// types (pkg/ganvas.d.ts, generated from src/web/types.rs).
//
// A request is `{id, type, ...args}`, answered exactly once: `{id, ok: true, value}` or `{id,
// ok: false, error: {kind, message}}`; `kind` is the wasm error's (data, weights, config,
// diverged, device, state, io), "crashed" for a wasm trap (a Rust panic), else "internal". An
// event is `{event, ...}` without an id.
/** @typedef {import('./pkg/ganvas.js').BackendInfo} BackendInfo */
/** @typedef {import('./pkg/ganvas.js').Settings} Settings */
/** @typedef {import('./pkg/ganvas.js').TrainSettings} TrainSettings */
/** @typedef {import('./pkg/ganvas.js').Grid} Grid */
/** @typedef {import('./pkg/ganvas.js').Run} Run */
/** @typedef {import('./pkg/ganvas.js').Defaults} Defaults */
/** @typedef {import('./pkg/ganvas.js').DView} DView */
/** @typedef {import('./pkg/ganvas.js').Digits} Digits */
/** @typedef {import('./pkg/ganvas.js').Scored} Scored */
/** @typedef {import('./pkg/ganvas.js').Memory} Memory */
/** @typedef {import('./pkg/ganvas.js').OwnData} OwnData */
/** @typedef {{bundle: Uint8Array, classes: string[], description: string}} OwnChoice own data as the page hands it over */

/**
 * @typedef {object} ModelInfo What `init`, `reset` and `loadCheckpoint` answer: a model to show.
 * @property {BackendInfo} info
 * @property {string} preset
 * @property {number} step
 * @property {number} latent values in a latent vector z
 * @property {number} classes classes a conditional net draws on request (0: unconditional): its
 *   data's (own images may have fewer than 10)
 * @property {number} netClasses classes the net itself takes (10 for a conditional one)
 * @property {{classes: string[], description: string} | null} own the own data it trains on (null: MNIST)
 * @property {number} pack digits D judges together
 * @property {Grid} grid the grid's latent vectors and labels (rows of 0–9)
 * @property {Settings} settings
 * @property {Defaults} defaults
 * @property {number} scoreEvery
 * @property {number} checkpointEvery
 * @property {boolean} pretrained shipped or given weights were loaded
 * @property {boolean} resumed a checkpoint was loaded
 * @property {Run | null} run the seeded run fresh weights are (null for loaded ones)
 * @property {string | null} refused why options asked for at `init` were not used
 */

/**
 * @typedef {object} Requests request type → [its arguments, its answer]
 * @property {[{backend: string, preset?: string, seed?: number, recipe?: string, settings?: Partial<TrainSettings>, weights?: string | null, credentials?: string, base?: string, checkpoint?: Uint8Array, scoreEvery?: number, checkpointEvery?: number, own?: OwnChoice | null}, ModelInfo]} init
 *   A model: a checkpoint's, else fresh weights of `seed` with `recipe` and `settings`, then
 *   `weights` (default: the preset's shipped ones; null: none). `base`: the folder of pkg/ and data/.
 * @property {[{until?: number | null}, {step: number, reason: 'paused' | 'diverged' | 'superseded'}]} train
 *   Trains in chunks until paused, or until step `until` exactly; answers when its loop ends.
 * @property {[{}, null]} pause ends the training loop after its chunk
 * @property {[{on: boolean}, null]} throttle a hidden tab trains at about a tenth of the pace
 * @property {[{step: number | null}, null]} until the running loop pauses at that step instead
 * @property {[{}, {step: number, diverged: boolean}]} step one step, unless training
 * @property {[{digit: number | null}, Grid]} grid the grid asking every cell for `digit` (null: rows of 0–9)
 * @property {[{z: Float32Array, labels: Uint8Array | number[] | null}, Uint8Array]} generate digits (784 bytes each)
 * @property {[{from: {z: Float32Array, label: number | null}, to: {z: Float32Array, label: number | null}, at: number[]}, Uint8Array]} morph
 * @property {[{}, DView]} dview D's view (loads the training digits first)
 * @property {[{pixels: Uint8Array, k?: number}, Digits]} nearest the training digits nearest one digit
 * @property {[{}, Scored | null]} score scores now (null: the meter is off)
 * @property {[{}, {step: number}]} restore back to the last good state after a divergence
 * @property {[{preset?: string, seed: number, recipe?: string}, ModelInfo]} reset fresh weights
 * @property {[{bytes: Uint8Array}, ModelInfo]} loadCheckpoint a saved run
 * @property {[{files: {file: File, path: string}[]}, OwnData & {skipped: number}]} readData own data read from files (nothing given to the model yet); a training loop waits meanwhile
 * @property {[{own: OwnChoice | null}, ModelInfo]} useData trains on own data (null: MNIST's digits) from the next step
 * @property {[{bytes: Uint8Array}, {step: number}]} loadWeights generator weights of this preset
 * @property {[Partial<TrainSettings>, Settings]} settings changes settings (all or none)
 * @property {[{live: boolean}, Settings]} view which generator the grid shows and the meter scores
 * @property {[{}, {bytes: Uint8Array, preset: string, step: number}]} saveWeights
 * @property {[{}, BackendInfo]} chooseDevice "auto": times both devices and trains on the faster
 * @property {[{}, Memory]} memory
 * @property {[{every: number | null}, number]} scoreEvery steps between scores (0: off; null: the default)
 * @property {[{every: number | null}, number]} checkpointEvery steps between checkpoints (0: none)
 */

// Events: stats {stats: Step[], msPerStep, step, hold, diverged} (each chunk), checkpoint
// {why, bytes, step, preset, ms} (the whole training state, for the page to keep), judge
// {reference}, score {score, ms, cost}, likeness {likeness, ms, cost} (the meter on own data), status {text}, diverged {step, goodStep}, device-lost
// {reason, message}, crashed {during, message}, quality-error {message}, error {during, kind,
// message} (a failure of a message sent without an id).

/** Every request type (the keys of `Requests`). */
export const REQUESTS = Object.freeze([
  'init', 'train', 'pause', 'throttle', 'until', 'step', 'grid', 'generate', 'morph', 'dview',
  'nearest', 'score', 'restore', 'reset', 'loadCheckpoint', 'loadWeights', 'settings', 'view',
  'saveWeights', 'chooseDevice', 'memory', 'scoreEvery', 'checkpointEvery', 'readData', 'useData',
]);

/** Requests answered at once, outside the worker's queue: they act while a chunk trains. */
export const DIRECT = Object.freeze(['train', 'pause', 'throttle', 'until', 'readData']);
