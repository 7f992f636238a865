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
/** `Ganvas.create`'s options. */
export interface Options { backend?: BackendChoice; preset?: Preset; seed?: number; }
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
export interface Settings { batchSize: number; lrG: number; lrD: number; realLabel: number; ema: number; view: View; }
/** MNIST training digits: their indices, labels 0–9 and pixels (784 bytes each), and for
 * `nearest` their distance to the query (Euclidean, pixels in [0, 1]). */
export interface Digits { indices: Uint32Array; labels: Uint8Array; pixels: Uint8Array; distances: Float32Array | null; }
export interface Memory { wasmBytes: number; deviceBytesInUse: number | null; deviceBytesReserved: number | null; }
export interface RecipeInfo { name: string; description: string; batchSize: number; lrG: number; lrD: number; }
/** Every default the page starts from (src/defaults.rs). */
export interface Defaults {
  preset: Preset; scratchPreset: Preset; recipe: string; recipes: RecipeInfo[];
  scoreEvery: number; scoreN: number; maxScoreShare: number; checkpointEvery: number;
  gridSeed: number; gridRows: number;
  /** Steps between timelapse frames at first, and frames kept at most. */
  timelapseEvery: number; timelapseFrames: number;
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

/// Training digits as `Ganvas.realDigits` and `Ganvas.nearest` return them: typed arrays,
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
        Self {
            labels: indices.iter().map(|&i| data.label(i)).collect(),
            pixels: indices
                .iter()
                .flat_map(|&i| data.image(i))
                .copied()
                .collect(),
            indices: indices.iter().map(|&i| i as u32).collect(),
            distances,
        }
    }

    /// As the `Digits` object `ganvas.d.ts` declares.
    pub fn to_js(&self) -> Result<JsValue, JsValue> {
        let object = js_sys::Object::new();
        let set = |key: &str, value: JsValue| Reflect::set(&object, &key.into(), &value);
        set(
            "indices",
            js_sys::Uint32Array::from(&self.indices[..]).into(),
        )?;
        set("labels", js_sys::Uint8Array::from(&self.labels[..]).into())?;
        set("pixels", js_sys::Uint8Array::from(&self.pixels[..]).into())?;
        let distances = match &self.distances {
            Some(d) => js_sys::Float32Array::from(&d[..]).into(),
            None => JsValue::NULL,
        };
        set("distances", distances)?;
        Ok(object.into())
    }
}
