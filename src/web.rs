//! The browser API: one `Ganvas` class for JavaScript (wasm-bindgen), running the same model
//! and training code as the native CLI on WebGPU or on the CPU.
//!
//! Every read of device data here is asynchronous: on WebGPU a synchronous read panics.

use crate::backend::Backend;
use crate::data::Mnist;
use crate::error::Error;
use crate::judge::{self, Judge};
use crate::latent;
use crate::model::{Generator, Preset};
use crate::quality::{Reference, SCORE_SEED};
use crate::train::{Recipe, StepStats, TrainConfig, Trainer};
use crate::weights;
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use js_sys::{Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Moving-average decay used when training on from loaded weights.
const LOADED_EMA: f32 = 0.999;

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// Options of [`Ganvas::create`], from a plain JS object.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    /// "auto" (default), "webgpu" or "cpu" (also "flex" / "ndarray" to pick the CPU backend).
    backend: Option<String>,
    /// "tiny", "conditional" or "standard" (default).
    preset: Option<String>,
    /// Seed of the initial weights and of the training batches.
    seed: Option<f64>,
}

/// What runs, and why: returned by `backendInfo()`.
#[derive(Serialize, Clone, Default)]
#[serde(rename_all = "camelCase")]
struct BackendInfo {
    /// "webgpu" or "cpu".
    backend: String,
    /// burn's CPU backend ("flex"/"ndarray") when the CPU runs; "wgpu" on WebGPU.
    burn_backend: String,
    /// The WebGPU adapter's vendor, architecture and description, when one was found.
    adapter: Option<AdapterInfo>,
    /// Why this backend runs and not the other, in words.
    reason: String,
}

#[derive(Serialize, Clone, Default)]
#[serde(rename_all = "camelCase")]
struct AdapterInfo {
    vendor: String,
    architecture: String,
    description: String,
    /// A software adapter (SwiftShader): correct, but far slower than the CPU backend here.
    is_fallback_adapter: bool,
}

/// One step's statistics, as JS sees them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsStats {
    step: u64,
    d_loss: f32,
    g_loss: f32,
    d_real: f32,
    d_fake: f32,
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_string(target: &JsValue, key: &str) -> String {
    get(target, key).as_string().unwrap_or_default()
}

/// Asks the browser for a WebGPU adapter and describes it, or says why there is none.
async fn probe_webgpu() -> Result<AdapterInfo, String> {
    let gpu = get(&get(&js_sys::global(), "navigator"), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser does not expose WebGPU (navigator.gpu is missing)".into());
    }
    let request: Function = get(&gpu, "requestAdapter")
        .dyn_into()
        .map_err(|_| "navigator.gpu.requestAdapter is not a function".to_string())?;
    let promise: Promise = request
        .call0(&gpu)
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?
        .dyn_into()
        .map_err(|_| "requestAdapter did not return a promise".to_string())?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("the browser has WebGPU but offers no adapter (no usable GPU)".into());
    }
    let info = get(&adapter, "info");
    // `isFallbackAdapter` moved from the adapter to its info in recent Chrome; read both.
    let fallback = get(&info, "isFallbackAdapter")
        .as_bool()
        .or_else(|| get(&adapter, "isFallbackAdapter").as_bool());
    Ok(AdapterInfo {
        vendor: get_string(&info, "vendor"),
        architecture: get_string(&info, "architecture"),
        description: get_string(&info, "description"),
        is_fallback_adapter: fallback.unwrap_or(false),
    })
}

/// The CPU device for a backend name ("cpu", "flex", "ndarray").
fn cpu(name: &str) -> Result<(Device, Backend), JsError> {
    let backend = Backend::parse(name).map_err(js_err)?;
    let device = backend
        .cpu_device()
        .ok_or_else(|| js_err("not a CPU backend"))?;
    Ok((device, backend))
}

/// Picks and initialises the device. `auto` takes WebGPU only on a hardware adapter.
async fn choose_device(requested: &str) -> Result<(Device, BackendInfo), JsError> {
    let want_gpu = match requested {
        "auto" => None,
        "webgpu" | "gpu" | "wgpu" => Some(true),
        "cpu" | "flex" | "ndarray" => Some(false),
        other => {
            return Err(js_err(format!(
                "unknown backend {other:?} (auto, webgpu, cpu)"
            )));
        }
    };
    let cpu_name = if want_gpu == Some(false) {
        requested
    } else {
        "cpu"
    };
    let cpu_with =
        |reason: String, adapter: Option<AdapterInfo>| -> Result<(Device, BackendInfo), JsError> {
            let (device, backend) = cpu(cpu_name)?;
            let info = BackendInfo {
                backend: "cpu".into(),
                burn_backend: backend.name().into(),
                adapter,
                reason,
            };
            Ok((device, info))
        };
    if want_gpu == Some(false) {
        return cpu_with("the CPU backend was requested".into(), None);
    }
    let adapter = match probe_webgpu().await {
        Ok(adapter) => adapter,
        Err(why) if want_gpu.is_none() => {
            return cpu_with(format!("running on the CPU: {why}"), None);
        }
        Err(why) => return Err(js_err(format!("WebGPU was requested but {why}"))),
    };
    if adapter.is_fallback_adapter && want_gpu.is_none() {
        return cpu_with(
            "running on the CPU: the only WebGPU adapter is a software fallback (no GPU), where \
             a training step compiles for minutes and runs ~50× slower than the CPU backend"
                .into(),
            Some(adapter),
        );
    }
    match Device::wgpu_options().init_async().await {
        Ok(device) => {
            let reason = match (want_gpu, adapter.is_fallback_adapter) {
                (Some(true), true) => {
                    "WebGPU was requested; note this adapter is a software fallback and slow"
                }
                (Some(true), false) => "WebGPU was requested",
                _ => "running on WebGPU: the browser offers a hardware GPU adapter",
            };
            let info = BackendInfo {
                backend: "webgpu".into(),
                burn_backend: "wgpu".into(),
                adapter: Some(adapter),
                reason: reason.into(),
            };
            Ok((device, info))
        }
        Err(e) if want_gpu.is_none() => cpu_with(
            format!("running on the CPU: WebGPU failed to start ({e})"),
            Some(adapter),
        ),
        Err(e) => Err(js_err(format!(
            "WebGPU was requested but failed to start: {e}"
        ))),
    }
}

/// A GAN in the browser: sample it, load or save its weights, train it on MNIST.
#[wasm_bindgen]
pub struct Ganvas {
    device: Device,
    info: BackendInfo,
    trainer: Trainer,
    data: Option<Mnist>,
    judge: Option<(Judge, Reference)>,
    /// The trainer as it was at a step whose losses were read back finite: what `restore`
    /// goes back to after a divergence. Kept every [`SNAPSHOT_EVERY`] steps.
    last_good: Option<Trainer>,
    /// The step at which a loss came back NaN or infinite; training refuses to go on from it.
    diverged: Option<u64>,
    /// Draw and score the generator being trained even when a moving average is kept.
    live: bool,
}

/// Steps between in-memory snapshots. A snapshot shares its tensors with the live trainer
/// until training replaces them, so it costs one copy of the weights and Adam's moments.
const SNAPSHOT_EVERY: u64 = 100;

fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_err)
}

#[wasm_bindgen]
impl Ganvas {
    /// Creates a GAN: `{backend: "auto"|"webgpu"|"cpu", preset: "tiny"|"standard", seed}`.
    /// "auto" uses WebGPU only on a hardware adapter; `backendInfo()` says what was chosen.
    pub async fn create(options: JsValue) -> Result<Ganvas, JsError> {
        console_error_panic_hook::set_once();
        let options: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(js_err)?
        };
        let preset: Preset = options
            .preset
            .as_deref()
            .unwrap_or("standard")
            .parse()
            .map_err(js_err)?;
        let seed = options.seed.unwrap_or(0.0).max(0.0) as u64;
        let (device, info) = choose_device(options.backend.as_deref().unwrap_or("auto")).await?;
        let trainer =
            Trainer::new(preset.config(), TrainConfig::default(), seed, &device).map_err(js_err)?;
        Ok(Ganvas {
            device,
            info,
            trainer,
            data: None,
            judge: None,
            last_good: None,
            diverged: None,
            live: false,
        })
    }

    /// `{backend, burnBackend, adapter: {vendor, architecture, description, isFallbackAdapter}?, reason}`.
    #[wasm_bindgen(js_name = backendInfo)]
    pub fn backend_info(&self) -> Result<JsValue, JsError> {
        to_js(&self.info)
    }

    /// What "Train from scratch" trains unless told otherwise, and the recipes:
    /// `{preset, recipe, recipes: {name: description}}`.
    pub fn defaults() -> Result<JsValue, JsError> {
        let recipes: serde_json::Map<String, serde_json::Value> = Recipe::ALL
            .iter()
            .map(|r| (r.name().to_string(), r.describe().into()))
            .collect();
        to_js(&serde_json::json!({
            "preset": Preset::SCRATCH.name(),
            "recipe": Recipe::SCRATCH.name(),
            "recipes": recipes,
        }))
    }

    /// Digit classes the generator draws on request (0 = unconditional): a conditional net's
    /// `latents` end in a one-hot label of this many values.
    pub fn classes(&self) -> usize {
        self.trainer.gan.classes
    }

    /// The network preset ("tiny", "conditional", "standard").
    pub fn preset(&self) -> String {
        Preset::of(&self.trainer.gan)
            .map_or("custom", Preset::name)
            .into()
    }

    /// Size of the vectors `generate` takes (z, plus the one-hot label of a conditional net).
    pub fn latent(&self) -> usize {
        self.trainer.gan.input_width()
    }

    /// Iterations trained since the last reset (or those behind loaded weights).
    pub fn step(&self) -> f64 {
        self.trainer.step() as f64
    }

    /// Steps left in which only D trains, after weights were loaded without their D.
    #[wasm_bindgen(js_name = generatorHold)]
    pub fn generator_hold(&self) -> f64 {
        self.trainer.generator_hold() as f64
    }

    /// Starts again from fresh random weights: `preset` ("tiny"/"conditional"/"standard"),
    /// `seed`, and the `recipe` ("fast"/"classic") whose settings replace the current ones.
    /// Without a preset or recipe, the from-scratch defaults ([`Preset::SCRATCH`],
    /// [`Recipe::SCRATCH`]).
    pub fn reset(
        &mut self,
        preset: Option<String>,
        seed: f64,
        recipe: Option<String>,
    ) -> Result<(), JsError> {
        let preset = match preset {
            Some(name) => name.parse().map_err(js_err)?,
            None => Preset::SCRATCH,
        };
        let recipe = match recipe {
            Some(name) => name.parse().map_err(js_err)?,
            None => Recipe::SCRATCH,
        };
        self.trainer = Trainer::new(
            preset.config(),
            recipe.config(),
            seed.max(0.0) as u64,
            &self.device,
        )
        .map_err(js_err)?;
        self.forget_snapshots();
        Ok(())
    }

    /// Which generator `generate`, `sample` and `score` use: the moving average of G
    /// (`live` false, the default when one is kept) or the generator being trained.
    #[wasm_bindgen(js_name = setLive)]
    pub fn set_live(&mut self, live: bool) {
        self.live = live;
    }

    /// What the digits show: "average" (the moving average of G) or "live" (G itself).
    pub fn view(&self) -> String {
        if self.shows_average() {
            "average"
        } else {
            "live"
        }
        .into()
    }

    fn shows_average(&self) -> bool {
        !self.live && self.trainer.ema().is_some()
    }

    /// The generator whose digits are drawn and scored.
    fn shown(&self) -> &Generator {
        if self.shows_average() {
            self.trainer.sampler()
        } else {
            self.trainer.generator()
        }
    }

    /// Gives the training digits: the decompressed `mnist-train.gz` bundle (images IDX then
    /// labels IDX). Bad data is refused with the reason and nothing changes.
    #[wasm_bindgen(js_name = setData)]
    pub fn set_data(&mut self, bundle: &[u8]) -> Result<usize, JsError> {
        let data = Mnist::from_bundle(bundle).map_err(js_err)?;
        let n = data.len();
        self.data = Some(data);
        Ok(n)
    }

    /// Whether training data has been given.
    #[wasm_bindgen(js_name = hasData)]
    pub fn has_data(&self) -> bool {
        self.data.is_some()
    }

    /// Sets the batch size (1–4096), used from the next step.
    #[wasm_bindgen(js_name = setBatchSize)]
    pub fn set_batch_size(&mut self, batch: usize) -> Result<(), JsError> {
        let config = TrainConfig {
            batch_size: batch,
            ..self.trainer.config.clone()
        };
        config.validate(&self.trainer.gan).map_err(js_err)?;
        self.trainer.config = config;
        Ok(())
    }

    /// Sets the generator's and discriminator's learning rates, used from the next step.
    #[wasm_bindgen(js_name = setLearningRates)]
    pub fn set_learning_rates(&mut self, lr_g: f64, lr_d: f64) -> Result<(), JsError> {
        let config = TrainConfig {
            lr_g,
            lr_d,
            ..self.trainer.config.clone()
        };
        config.validate(&self.trainer.gan).map_err(js_err)?;
        self.trainer.config = config;
        Ok(())
    }

    /// Current `{batchSize, lrG, lrD, realLabel, ema, view}`.
    pub fn settings(&self) -> Result<JsValue, JsError> {
        let c = &self.trainer.config;
        let v = serde_json::json!({
            "batchSize": c.batch_size, "lrG": c.lr_g, "lrD": c.lr_d,
            "realLabel": c.real_label, "ema": c.ema, "view": self.view(),
        });
        to_js(&v)
    }

    /// Runs `steps` iterations (one D and one G update each) and returns each one's
    /// `{step, dLoss, gLoss, dReal, dFake}`, read back from the device once at the end.
    pub async fn train(&mut self, steps: u32) -> Result<JsValue, JsError> {
        if let Some(step) = self.diverged {
            return Err(js_err(format!(
                "training diverged at step {step}: restore the last good checkpoint or start again"
            )));
        }
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| js_err("no training data: call setData first"))?;
        let first = self.trainer.step() + 1;
        // This state becomes the last good one once the chunk it starts reads back finite.
        let due = self
            .last_good
            .as_ref()
            .is_none_or(|good| self.trainer.step() >= good.step() + SNAPSHOT_EVERY);
        let snapshot = due.then(|| self.trainer.clone());
        let pending: Vec<StepStats> = (0..steps).map(|_| self.trainer.train_step(data)).collect();
        let stats = StepStats::read_all_async(pending).await.map_err(js_err)?;
        match stats.iter().position(|s| !s.is_finite()) {
            Some(i) => self.diverged = Some(first + i as u64),
            None if snapshot.is_some() => self.last_good = snapshot,
            None => {}
        }
        let out: Vec<JsStats> = stats
            .iter()
            .zip(first..)
            .map(|(s, step)| JsStats {
                step,
                d_loss: s.d_loss,
                g_loss: s.g_loss,
                d_real: s.d_real,
                d_fake: s.d_fake,
            })
            .collect();
        to_js(&out)
    }

    /// Digits for given generator inputs (`n × latent()` values: z, then a one-hot label for
    /// a conditional net): `n × 784` bytes, 0 = background.
    pub async fn generate(&self, z: Vec<f32>) -> Result<Vec<u8>, JsError> {
        let latent = self.trainer.gan.input_width();
        if z.is_empty() || !z.len().is_multiple_of(latent) {
            return Err(js_err(format!(
                "z has {} values, not a multiple of the latent size {latent}",
                z.len()
            )));
        }
        let generator = self.shown();
        let z = latent::latents_from(&z, latent, &generator.device());
        latent::images_to_u8_async(generator.forward(z))
            .await
            .map_err(js_err)
    }

    /// `n` digits from the latent vectors of `seed` (the same as `ganvas sample --seed`).
    pub async fn sample(&self, n: usize, seed: f64) -> Result<Vec<u8>, JsError> {
        self.generate(self.latents(n, seed)).await
    }

    /// The generator inputs of `seed`, `n × latent()` values, for `generate`: the same vectors
    /// as `ganvas sample --seed` (seeded normal z; a conditional net's labels 0–9 in turn).
    pub fn latents(&self, n: usize, seed: f64) -> Vec<f32> {
        let gan = &self.trainer.gan;
        latent::inputs(n, gan.latent, gan.classes, seed.max(0.0) as u64)
    }

    /// Loads the digit judge (`judge.ganvas`) that `score` uses. Returns what real MNIST
    /// scores: `{testAccuracy, testDigitScore, testClassShares, testInk, baselines: [{n,
    /// digitScore, frechet, classShares, ink}]}`.
    #[wasm_bindgen(js_name = loadJudge)]
    pub fn load_judge(&mut self, bytes: &[u8]) -> Result<JsValue, JsError> {
        let (judge, reference) = judge::load_judge(bytes, &self.device).map_err(js_err)?;
        let baselines: Vec<_> = reference.baselines.iter().map(js_score).collect();
        let summary = serde_json::json!({
            "testAccuracy": reference.test_accuracy,
            "testDigitScore": reference.test_digit_score,
            "testClassShares": reference.test_class_shares,
            "testInk": reference.test_ink,
            "baselines": baselines,
        });
        self.judge = Some((judge, reference));
        to_js(&summary)
    }

    /// Judges `n` digits (2–10000) from the generator the grid shows, always from the same
    /// latent vectors: `{step, view, n, digitScore, classShares, frechet, ink}`, Fréchet
    /// distance measured to the MNIST test set.
    pub async fn score(&self, n: usize) -> Result<JsValue, JsError> {
        let (judge, reference) = self
            .judge
            .as_ref()
            .ok_or_else(|| js_err("no judge: call loadJudge first"))?;
        if !(2..=10_000).contains(&n) {
            return Err(js_err(format!("score takes 2 to 10000 digits, not {n}")));
        }
        let judged = judge
            .judge_async(self.shown().sample(n, SCORE_SEED))
            .await
            .map_err(js_err)?;
        let mut out = js_score(&judged.score(&reference.test));
        out["step"] = self.trainer.step().into();
        out["view"] = self.view().into();
        to_js(&out)
    }

    /// Loads generator weights (a `.ganvas` file or checkpoint). A bad file, or one for
    /// another preset, is refused with the reason and the model is left as it was.
    #[wasm_bindgen(js_name = loadWeights)]
    pub fn load_weights(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        let file = weights::WeightsFile::decode(bytes).map_err(js_err)?;
        file.check_shape(&self.trainer.gan).map_err(js_err)?;
        let generator = file.sampler(&self.device).map_err(js_err)?;
        // Training on from loaded weights samples from their moving average (see
        // `Trainer::set_generator`): the digits stay clean while a fresh D catches up.
        self.trainer.config.ema = LOADED_EMA;
        self.trainer.set_generator(generator, file.header.step);
        self.forget_snapshots();
        Ok(())
    }

    /// The step `restore` would go back to, if a good state is kept.
    #[wasm_bindgen(js_name = lastGoodStep)]
    pub fn last_good_step(&self) -> Option<f64> {
        self.last_good.as_ref().map(|t| t.step() as f64)
    }

    /// The step at which training diverged (a loss read back non-finite), if it did.
    #[wasm_bindgen(js_name = divergedAt)]
    pub fn diverged_at(&self) -> Option<f64> {
        self.diverged.map(|s| s as f64)
    }

    /// Goes back to the last state whose losses were finite (kept in memory every 100 steps)
    /// and returns its step.
    pub fn restore(&mut self) -> Result<f64, JsError> {
        let good = self
            .last_good
            .clone()
            .ok_or_else(|| js_err("no good checkpoint is kept yet: start again instead"))?;
        // The settings stay as the user has them now (perhaps a lower rate after the divergence).
        let config = self.trainer.config.clone();
        self.trainer = good;
        self.trainer.config = config;
        self.diverged = None;
        Ok(self.trainer.step() as f64)
    }

    /// The whole training state as a `.ganvas` checkpoint: both networks, the moving average,
    /// both optimizers (on the CPU; on WebGPU Adam's moments are left out, since burn reads
    /// them synchronously), settings, seed and step. `loadCheckpoint` resumes from it.
    pub async fn checkpoint(&self) -> Result<Vec<u8>, JsError> {
        let t = &self.trainer;
        if self.info.backend == "cpu" {
            return weights::save_checkpoint(t).map_err(js_err);
        }
        let cpu = Backend::CPU.cpu_device().expect("a CPU backend");
        let gan = &t.gan;
        let generator = to_cpu(t.generator(), gan.init_generator(0, &cpu)).await;
        let discriminator = to_cpu(t.discriminator(), gan.init_discriminator(0, &cpu)).await;
        let average = match t.ema() {
            Some(ema) => Some(to_cpu(ema.generator(), gan.init_generator(0, &cpu)).await),
            None => None,
        };
        let (generator, discriminator) =
            (generator.map_err(js_err)?, discriminator.map_err(js_err)?);
        let average = average.transpose().map_err(js_err)?;
        weights::encode_checkpoint(weights::CheckpointParts {
            gan,
            config: &t.config,
            generator: &generator,
            discriminator: &discriminator,
            optimizers: None,
            ema: average.as_ref().zip(t.ema().map(|e| e.updates())),
            seed: t.seed(),
            step: t.step(),
            hold: t.generator_hold(),
        })
        .map_err(js_err)
    }

    /// Resumes from a checkpoint (`checkpoint()`'s bytes, or `ganvas train`'s `.ckpt`), preset
    /// and settings included; returns the preset. A bad file changes nothing.
    #[wasm_bindgen(js_name = loadCheckpoint)]
    pub fn load_checkpoint(&mut self, bytes: &[u8]) -> Result<String, JsError> {
        self.trainer = weights::load_checkpoint(bytes, &self.device).map_err(js_err)?;
        self.forget_snapshots();
        Ok(self.preset())
    }

    /// Test hook: makes the generator's weights NaN, as a diverged run would.
    #[wasm_bindgen(js_name = debugPoison)]
    pub fn debug_poison(&mut self) {
        self.trainer.poison_generator();
    }

    /// Test hook: panics, which in wasm aborts the module, as a bug in burn or here would.
    #[wasm_bindgen(js_name = debugPanic)]
    pub fn debug_panic(&self) {
        panic!("debugPanic: a deliberate crash, to test recovery");
    }

    /// `{wasmBytes, deviceBytesInUse?, deviceBytesReserved?}`: the module's linear memory and
    /// what burn's allocator holds on the device (reported on WebGPU).
    pub fn memory(&self) -> Result<JsValue, JsError> {
        let usage = self.device.memory_pool_usage();
        let v = serde_json::json!({
            "wasmBytes": core::arch::wasm32::memory_size(0) as u64 * 65536,
            "deviceBytesInUse": usage.as_ref().map(|u| u.bytes_in_use),
            "deviceBytesReserved": usage.as_ref().map(|u| u.bytes_reserved),
        });
        to_js(&v)
    }

    fn forget_snapshots(&mut self) {
        self.last_good = None;
        self.diverged = None;
    }

    /// The preset a weights file is for, or an error saying why the bytes are not a weights
    /// file. Lets the page switch preset before `loadWeights`.
    #[wasm_bindgen(js_name = weightsPreset)]
    pub fn weights_preset(bytes: &[u8]) -> Result<String, JsError> {
        let file = weights::WeightsFile::decode(bytes).map_err(js_err)?;
        let gan = file.gan().map_err(js_err)?;
        Preset::of(gan)
            .map(|p| p.name().to_string())
            .ok_or_else(|| js_err(format!("weights are for {}, not a preset", gan.describe())))
    }

    /// The generator's weights as a `.ganvas` file (read back asynchronously: works on WebGPU).
    #[wasm_bindgen(js_name = saveWeights)]
    pub async fn save_weights(&self) -> Result<Vec<u8>, JsError> {
        let cpu = Backend::CPU.cpu_device().expect("a CPU backend");
        let blank = self.trainer.gan.init_generator(0, &cpu);
        let generator = to_cpu(self.trainer.sampler(), blank)
            .await
            .map_err(js_err)?;
        weights::save_generator(
            &self.trainer.gan,
            &generator,
            self.trainer.step(),
            self.trainer.seed(),
        )
        .map_err(js_err)
    }
}

fn js_score(s: &crate::quality::Score) -> serde_json::Value {
    serde_json::json!({
        "n": s.n,
        "digitScore": s.digit_score,
        "classShares": s.class_shares,
        "frechet": s.frechet,
        "ink": s.ink,
    })
}

/// Copies a module's weights into `blank` (the same module on the CPU) with asynchronous
/// reads, so that burn's synchronous record writer can then run there.
async fn to_cpu<M: Module>(module: &M, blank: M) -> Result<M, Error> {
    struct Collect(Vec<Tensor<1>>);
    impl ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.push(param.val().flatten(0, D - 1));
        }
    }
    struct Fill(std::vec::IntoIter<TensorData>);
    impl ModuleMapper for Fill {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let data = self.0.next().expect("same module shape");
            param.map(|t| {
                let dims = t.dims();
                Tensor::<1>::from_data(data, &t.device()).reshape(dims)
            })
        }
    }
    let mut collect = Collect(Vec::new());
    module.visit(&mut collect);
    let mut values = Vec::with_capacity(collect.0.len());
    for tensor in collect.0 {
        values.push(
            tensor
                .into_data_async()
                .await
                .map_err(|e| Error::Device(e.to_string()))?,
        );
    }
    Ok(blank.map(&mut Fill(values.into_iter())))
}
