//! What crosses the wasm boundary: the results' shapes (declared to TypeScript below, so
//! `ganvas.d.ts` types them) and errors with a `kind`.

use crate::error::Error;
use crate::quality::{Reference, Score};
use crate::session::{Scored, View};
use crate::speed::Speed;
use crate::train::TrainConfig;
use js_sys::Reflect;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A network preset. */
export type Preset = "tiny" | "tiny-conditional" | "conv-conditional" | "conditional" | "conv" | "standard";
/** What `backend` may ask for: "auto" trains on whichever of WebGPU (a hardware adapter) and the CPU it measures faster. */
export type BackendChoice = "auto" | "webgpu" | "cpu" | "flex";
/** Which generator the digits come from. */
export type View = "average" | "live";
/** Training settings, as `settings()` gives them and `changeSettings` and `create` take (in part). */
export interface TrainSettings { batchSize: number; lrG: number; lrD: number; realLabel: number; ema: number; }
/** `Ganvas.create`'s options: a recipe's name ("classic", "fast"), and settings on top of it. */
export interface Options { backend?: BackendChoice; preset?: Preset; seed?: number; recipe?: string; settings?: Partial<TrainSettings>; }
/** The seeded run fresh weights are: what a link to it holds. */
export interface Run { seed: number; recipe: string; }
/** The page's grid: its latent vectors (`cols × rows × latent()` values, row-major) and, for a
 * conditional net, each cell's label (rows of 0–9, or every cell `digit`); null labels: unconditional. */
export interface Grid { cols: number; rows: number; z: Float32Array; labels: Uint8Array | null; digit: number | null; }
/** A chunk of training: the steps' statistics (ending before a divergence), the step reached,
 * where a loss went non-finite (null: it did not) and the step `restore()` would go back to. */
export interface Chunk { stats: Step[]; step: number; divergedAt: number | null; lastGoodStep: number | null; generatorHold: number; }
/** Digits with D's probability "real" (a pack's digits share theirs); labels null: unconditional. */
export interface Judged { pixels: Uint8Array; labels: Uint8Array | null; p: Float32Array; }
/** D's view: D on fixed real training digits and on fixed digits of the shown generator. */
export interface DView { step: number; pack: number; real: Judged; fake: Judged; }
/** What runs, and why. */
export interface BackendInfo {
  backend: "webgpu" | "cpu";
  burnBackend: "wgpu" | "flex";
  adapter: AdapterInfo | null;
  reason: string;
  /** "auto"'s timing of both devices (`chooseDevice`), or null when it did not measure. */
  measured: Measured | null;
}
/** Training speed timed on each device. */
export interface Measured { cpu: Speed; webgpu: Speed; }
export interface Speed {
  /** Steps per second once warm. */
  stepsPerSecond: number;
  /** The first step alone (on a GPU, with its shader compilation), in ms. */
  firstStepMs: number;
  /** Steps in the timed burst. */
  steps: number;
}
export interface AdapterInfo {
  vendor: string; architecture: string; description: string;
  /** A software adapter (SwiftShader): correct, but far slower than the CPU backend. */
  isFallbackAdapter: boolean;
}
/** One training step: D loss (real + fake BCE), G loss, D's mean output on real and fake digits. */
export interface Step { step: number; dLoss: number; gLoss: number; dReal: number; dFake: number; }
/** The judge's scores of `n` digits. */
export interface Score { n: number; digitScore: number; classShares: number[]; frechet: number; ink: number; }
/** A score of the shown generator at a step. */
export interface Scored extends Score { step: number; view: View; }
/** What real MNIST scores with the judge. */
export interface JudgeReference {
  testAccuracy: number; testDigitScore: number; testClassShares: number[]; testInk: number;
  /** Real training digits against the test set, at several `n`. */
  baselines: Score[];
}
export interface Settings extends TrainSettings { view: View; }
/** MNIST training digits: their indices, labels 0–9 and pixels (784 bytes each), and for
 * `nearest` their distance to the query (Euclidean, pixels in [0, 1]). */
export interface Digits { indices: Uint32Array; labels: Uint8Array; pixels: Uint8Array; distances: Float32Array | null; }
/** Own training data, read and made MNIST's shape: `bundle` (images IDX then labels IDX, for
 * `setOwnData`, for storing and for download), the class names (empty: none), the count of
 * each class, and one line saying it all. */
export interface OwnData { bundle: Uint8Array; classes: string[]; perClass: number[]; count: number; description: string; }
/** What can be measured on own data without a classifier of it (`likeness`). */
export interface Likeness { n: number; frechet: number; ink: number; nearest: number; classMatch: number | null; }
export interface LikenessScored { step: number; view: View; samples: Likeness; data: Likeness; featureSpace: string; }
export interface Memory { wasmBytes: number; deviceBytesInUse: number | null; deviceBytesReserved: number | null; }
export interface RecipeInfo { name: string; description: string; batchSize: number; lrG: number; lrD: number; }
/** Every default the page starts from (src/defaults.rs). */
export interface Defaults {
  preset: Preset; scratchPreset: Preset; recipe: string; recipes: RecipeInfo[];
  scoreEvery: number; scoreN: number; maxScoreShare: number; checkpointEvery: number;
  gridSeed: number; gridRows: number;
  /** Steps between timelapse frames at first, and frames kept at most. */
  timelapseEvery: number; timelapseFrames: number;
  /** Training digits shown nearest an explored digit, and the distance a real unseen digit typically has. */
  nearestK: number; typicalNearest: number;
  /** Own data: images at least and at most, bytes of files at most (checked before decoding),
   * classes a conditional net draws, and the side a larger image is shrunk to before the crate
   * normalises it. */
  minImages: number; maxImages: number; maxDataBytes: number; maxClasses: number; decodeSide: number;
  /** The drawing pad: variants each drawing is trained as. */
  drawVariants: number;
}
/** What went wrong, in one word: switch on it, never on the message. */
export type ErrorKind = "data" | "weights" | "config" | "diverged" | "device" | "state" | "io";
/** Every error the API throws: an `Error` with a `kind`. (A Rust panic is a `WebAssembly.RuntimeError`.) */
export interface GanvasError extends Error { kind: ErrorKind; }
"#;

/// `Ganvas.create`'s options, from a plain JS object.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Options {
    /// "auto" (default), "webgpu" or "cpu" (also "flex").
    pub backend: Option<String>,
    /// A preset's name; the page's default preset without one.
    pub preset: Option<String>,
    /// Seed of the initial weights and of the training batches.
    pub seed: Option<f64>,
    /// A recipe's name; the CLI's default recipe without one.
    pub recipe: Option<String>,
    /// Settings on top of the recipe.
    pub settings: Option<crate::train::Overrides>,
}

/// The seeded run fresh weights are.
#[derive(Serialize)]
pub struct Run {
    seed: u64,
    recipe: &'static str,
}

impl Run {
    pub fn new(seed: u64, recipe: crate::train::Recipe) -> Self {
        Self {
            seed,
            recipe: recipe.name(),
        }
    }
}

/// A chunk of training as the page hears of it: divergence read here, once, for every caller.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Chunk {
    stats: Vec<crate::session::Step>,
    step: u64,
    diverged_at: Option<u64>,
    last_good_step: Option<u64>,
    generator_hold: u64,
}

impl Chunk {
    /// `steps` just run by `session`: the ones from a non-finite loss on mean nothing and are
    /// left out.
    pub fn new(session: &crate::session::Session, steps: Vec<crate::session::Step>) -> Self {
        let diverged_at = session.diverged_at();
        Self {
            stats: steps
                .into_iter()
                .filter(|s| diverged_at.is_none_or(|at| s.step < at))
                .collect(),
            step: session.trainer().step(),
            diverged_at,
            last_good_step: session.last_good_step(),
            generator_hold: session.trainer().generator_hold(),
        }
    }
}

/// What runs, and why.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct BackendInfo {
    pub backend: &'static str,
    pub burn_backend: &'static str,
    pub adapter: Option<AdapterInfo>,
    pub reason: String,
    pub measured: Option<Measured>,
}

/// Both devices' measured speeds.
#[derive(Serialize, Clone)]
pub struct Measured {
    pub cpu: Speed,
    pub webgpu: Speed,
}

/// The WebGPU adapter found.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct AdapterInfo {
    pub vendor: String,
    pub architecture: String,
    pub description: String,
    pub is_fallback_adapter: bool,
}

/// A [`Score`] as JS sees it (the CLI's JSON keeps Rust's field names).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsScore {
    n: usize,
    digit_score: f64,
    class_shares: Vec<f64>,
    frechet: f64,
    ink: f64,
}

impl From<&Score> for JsScore {
    fn from(s: &Score) -> Self {
        Self {
            n: s.n,
            digit_score: s.digit_score,
            class_shares: s.class_shares.to_vec(),
            frechet: s.frechet,
            ink: s.ink,
        }
    }
}

/// A [`Scored`] as JS sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsScored {
    step: u64,
    view: View,
    #[serde(flatten)]
    score: JsScore,
}

impl From<&Scored> for JsScored {
    fn from(s: &Scored) -> Self {
        Self {
            step: s.step,
            view: s.view,
            score: (&s.score).into(),
        }
    }
}

/// What real MNIST scores with the judge.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JudgeReference {
    test_accuracy: f64,
    test_digit_score: f64,
    test_class_shares: Vec<f64>,
    test_ink: f64,
    baselines: Vec<JsScore>,
}

impl From<&Reference> for JudgeReference {
    fn from(r: &Reference) -> Self {
        Self {
            test_accuracy: r.test_accuracy,
            test_digit_score: r.test_digit_score,
            test_class_shares: r.test_class_shares.to_vec(),
            test_ink: r.test_ink,
            baselines: r.baselines.iter().map(JsScore::from).collect(),
        }
    }
}

/// The settings the page shows.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    batch_size: usize,
    lr_g: f64,
    lr_d: f64,
    real_label: f32,
    ema: f32,
    view: View,
}

impl Settings {
    pub fn new(c: &TrainConfig, view: View) -> Self {
        Self {
            batch_size: c.batch_size,
            lr_g: c.lr_g,
            lr_d: c.lr_d,
            real_label: c.real_label,
            ema: c.ema,
            view,
        }
    }
}

/// The module's memory and what burn's allocator holds on the device.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Memory {
    pub wasm_bytes: u64,
    pub device_bytes_in_use: Option<u64>,
    pub device_bytes_reserved: Option<u64>,
}

/// A JS `Error` with the message and a `kind` property ([`Error::kind`]).
pub fn js_err(e: Error) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    let _ = Reflect::set(&error, &"kind".into(), &e.kind().into());
    error.into()
}

/// A value as a plain JS object (numbers, strings, arrays; `None` as null).
pub fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_err(Error::Device(format!("result not convertible to JS: {e}"))))
}

/// Training digits as `Ganvas.nearest` returns them: typed arrays,
/// not serde's arrays of numbers (a JS number per pixel made 8 digits take seconds).
pub struct Digits {
    /// Indices in the training set.
    pub indices: Vec<u32>,
    /// Their labels 0–9.
    pub labels: Vec<u8>,
    /// Their pixels, 784 bytes each.
    pub pixels: Vec<u8>,
    /// Distance to the query (`nearest` only).
    pub distances: Option<Vec<f32>>,
}

impl Digits {
    /// The training digits at `indices`.
    pub fn of(data: &crate::data::Mnist, indices: &[usize], distances: Option<Vec<f32>>) -> Self {
        let (pixels, labels) = data.gather(indices);
        Self {
            labels,
            pixels,
            indices: indices.iter().map(|&i| i as u32).collect(),
            distances,
        }
    }

    /// As the `Digits` object `ganvas.d.ts` declares.
    pub fn to_js(&self) -> Result<JsValue, JsValue> {
        let distances = match &self.distances {
            Some(d) => js_sys::Float32Array::from(&d[..]).into(),
            None => JsValue::NULL,
        };
        object(&[
            (
                "indices",
                js_sys::Uint32Array::from(&self.indices[..]).into(),
            ),
            ("labels", js_sys::Uint8Array::from(&self.labels[..]).into()),
            ("pixels", js_sys::Uint8Array::from(&self.pixels[..]).into()),
            ("distances", distances),
        ])
    }
}

/// A typed-array-valued object: `Reflect::set` of each entry.
pub fn object(entries: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &(*key).into(), value)?;
    }
    Ok(object.into())
}

/// A [`crate::latent::Grid`] as the `Grid` object `ganvas.d.ts` declares.
pub fn grid_to_js(grid: &crate::latent::Grid) -> Result<JsValue, JsValue> {
    let labels = match grid.labels.is_empty() {
        true => JsValue::NULL,
        false => js_sys::Uint8Array::from(&grid.labels[..]).into(),
    };
    object(&[
        ("cols", (grid.cols as f64).into()),
        ("rows", (grid.rows as f64).into()),
        ("z", js_sys::Float32Array::from(&grid.z[..]).into()),
        ("labels", labels),
        (
            "digit",
            grid.digit.map_or(JsValue::NULL, |d| f64::from(d).into()),
        ),
    ])
}

/// A [`crate::session::DView`] as the `DView` object `ganvas.d.ts` declares.
pub fn d_view_to_js(view: &crate::session::DView) -> Result<JsValue, JsValue> {
    object(&[
        ("step", (view.step as f64).into()),
        ("pack", (view.pack as f64).into()),
        ("real", judged_to_js(&view.real)?),
        ("fake", judged_to_js(&view.fake)?),
    ])
}

/// A [`crate::session::Judged`] as the `Judged` object `ganvas.d.ts` declares.
pub fn judged_to_js(judged: &crate::session::Judged) -> Result<JsValue, JsValue> {
    let labels = match &judged.labels {
        Some(l) => js_sys::Uint8Array::from(&l[..]).into(),
        None => JsValue::NULL,
    };
    object(&[
        (
            "pixels",
            js_sys::Uint8Array::from(&judged.pixels[..]).into(),
        ),
        ("labels", labels),
        ("p", js_sys::Float32Array::from(&judged.p[..]).into()),
    ])
}
