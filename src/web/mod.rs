//! The browser API: one `Ganvas` class for JavaScript, a thin binding over [`Session`] (the
//! same core `ganvas train` drives), on WebGPU or on the CPU. Results are typed in
//! `ganvas.d.ts` ([`types`]); errors are `Error`s with a `kind`.

mod device;
mod types;

use crate::backend::Choice;
use crate::data::Mnist;
use crate::dataset::{self, Dataset, ImageSet};
use crate::defaults::{self, PageDefaults};
use crate::error::Error;
use crate::latent::Point;
use crate::model::Preset;
use crate::nearest;
use crate::session::Session;
use crate::train::{Overrides, Recipe};
use crate::weights;
use types::{BackendInfo, Chunk, Digits, JsScored, JudgeReference, Memory, Options, Run, Settings};
use types::{grid_to_js, js_err, object, to_js};
use wasm_bindgen::prelude::*;

type JsResult<T> = Result<T, JsValue>;

/// A GAN in the browser: sample it, load or save its weights, train it on MNIST.
#[wasm_bindgen]
pub struct Ganvas {
    session: Session,
    info: BackendInfo,
    chooser: device::Chooser,
    /// The seeded run the weights are, while they are fresh (None once weights are loaded).
    run: Option<Run>,
    /// Why options given to `create` were not used.
    refused: Vec<String>,
}

/// Reads a JS number as a seed (negative and NaN count as 0).
fn seed(value: f64) -> u64 {
    value.max(0.0) as u64
}

fn parse<T: std::str::FromStr<Err = Error>>(name: Option<String>, default: T) -> JsResult<T> {
    name.map_or(Ok(default), |n| n.parse().map_err(js_err))
}

#[wasm_bindgen]
impl Ganvas {
    /// Creates a GAN: `{backend: "auto"|"webgpu"|"cpu", preset, seed, recipe, settings}`: fresh
    /// weights of `preset` from `seed`, trained with `recipe`'s settings and `settings` on top
    /// (`{batchSize?, lrG?, lrD?, realLabel?, ema?}`). An unknown recipe or a setting the network
    /// cannot train with is not used: `refused()` says why, and the rest is as asked. "auto"
    /// starts on the CPU and moves to WebGPU if `chooseDevice()` measures it faster;
    /// `backendInfo()` says what runs and why.
    pub async fn create(
        #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
    ) -> JsResult<Ganvas> {
        console_error_panic_hook::set_once();
        let options: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| js_err(Error::Config(format!("options: {e}"))))?
        };
        let preset = parse(options.preset, defaults::PRESET)?;
        let choice = parse(options.backend, Choice::Auto)?;
        let mut refused = Vec::new();
        let recipe = match options.recipe.as_deref().map(str::parse::<Recipe>) {
            None => defaults::RECIPE,
            Some(Ok(recipe)) => recipe,
            Some(Err(e)) => {
                refused.push(format!("{e}; the default recipe is used"));
                defaults::RECIPE
            }
        };
        let seed = seed(options.seed.unwrap_or(0.0));
        let (backend, device, info, chooser) = device::start(choice).await.map_err(js_err)?;
        let mut session = Session::new(preset, recipe, seed, backend, &device).map_err(js_err)?;
        refused.extend(apply_each(
            &mut session,
            &options.settings.unwrap_or_default(),
        ));
        Ok(Ganvas {
            session,
            info,
            chooser,
            run: Some(Run::new(seed, recipe)),
            refused,
        })
    }

    /// Why options given to `create` were not used (null when all were).
    pub fn refused(&self) -> Option<String> {
        (!self.refused.is_empty()).then(|| self.refused.join("; "))
    }

    /// The seeded run these weights are: `{seed, recipe}` of fresh weights (what a link to the
    /// run holds), null once weights or a checkpoint were loaded.
    #[wasm_bindgen(unchecked_return_type = "Run | null")]
    pub fn run(&self) -> JsResult<JsValue> {
        to_js(&self.run)
    }

    /// What runs, and why.
    #[wasm_bindgen(js_name = backendInfo, unchecked_return_type = "BackendInfo")]
    pub fn backend_info(&self) -> JsResult<JsValue> {
        to_js(&self.info)
    }

    /// For `backend: "auto"` with a hardware WebGPU adapter: times a short burst of training
    /// of this network at these settings on the CPU and on WebGPU, moves the run to the faster
    /// (its state goes along) and returns what runs now, with both figures (`measured`) and
    /// the reason. Otherwise returns `backendInfo()` unchanged. The page calls it after the
    /// first grid and again when the network or the batch size changes.
    #[wasm_bindgen(js_name = chooseDevice, unchecked_return_type = "BackendInfo")]
    pub async fn choose_device(&mut self) -> JsResult<JsValue> {
        if let Some(info) = self
            .chooser
            .choose(&mut self.session)
            .await
            .map_err(js_err)?
        {
            self.info = info;
        }
        to_js(&self.info)
    }

    /// Whether `chooseDevice()` will time the devices (and may take a few seconds).
    #[wasm_bindgen(js_name = measuresDevices)]
    pub fn measures_devices(&self) -> bool {
        self.chooser.measures()
    }

    /// Whether this module can run WebGPU: the page's first module is the CPU only (built
    /// without the `webgpu` feature, a quarter of the size); the worker moves a run that is to
    /// use a GPU into the module that has it (`pkg/ganvas_webgpu.js`) by a checkpoint.
    #[wasm_bindgen(js_name = hasWebgpu)]
    pub fn has_webgpu() -> bool {
        crate::backend::HAS_GPU
    }

    /// Every default the page starts from: the from-scratch preset and recipe, the recipes,
    /// score and checkpoint intervals, the grid's seed and rows.
    #[wasm_bindgen(unchecked_return_type = "Defaults")]
    pub fn defaults() -> JsResult<JsValue> {
        to_js(&PageDefaults::get())
    }

    /// Digit classes the generator draws on request (0 = unconditional): a conditional net's
    /// `generate` takes a label 0–(classes − 1) with each latent vector.
    pub fn classes(&self) -> usize {
        self.session.trainer().gan.classes
    }

    /// The page's grid: `{cols, rows, z, labels, digit}`, its latent vectors (the same for
    /// every `digit`) and, for a conditional net, each cell's label: rows that read 0–9, or
    /// every cell `digit` when one is given. Draw it with `generate(z, labels)`.
    #[wasm_bindgen(unchecked_return_type = "Grid")]
    pub fn grid(&self, digit: Option<u8>) -> JsResult<JsValue> {
        grid_to_js(&self.session.grid(digit).map_err(js_err)?)
    }

    /// The network preset ("tiny", "tiny-conditional", "conv-conditional", "conditional", "conv", "standard"; "custom" for
    /// another shape).
    pub fn preset(&self) -> String {
        self.session.preset().map_or("custom", Preset::name).into()
    }

    /// Values in a latent vector z (a conditional net's label is given apart: `generate`).
    pub fn latent(&self) -> usize {
        self.session.trainer().gan.latent
    }

    /// Iterations trained since the last reset (or those behind loaded weights).
    pub fn step(&self) -> f64 {
        self.session.trainer().step() as f64
    }

    /// Steps left in which only D trains, after weights were loaded without their D.
    #[wasm_bindgen(js_name = generatorHold)]
    pub fn generator_hold(&self) -> f64 {
        self.session.trainer().generator_hold() as f64
    }

    /// Starts again from fresh random weights of `preset` with `recipe`'s settings; without
    /// them, the from-scratch defaults.
    pub fn reset(
        &mut self,
        preset: Option<String>,
        seed_value: f64,
        recipe: Option<String>,
    ) -> JsResult<()> {
        let preset = parse(preset, defaults::SCRATCH_PRESET)?;
        let recipe: Recipe = parse(recipe, defaults::SCRATCH_RECIPE)?;
        let seed = seed(seed_value);
        self.session.reset(preset, recipe, seed).map_err(js_err)?;
        self.run = Some(Run::new(seed, recipe));
        Ok(())
    }

    /// Which generator `generate`, `sample` and `score` use: the moving average of G
    /// (`live` false, the default when one is kept) or the generator being trained.
    #[wasm_bindgen(js_name = setLive)]
    pub fn set_live(&mut self, live: bool) {
        self.session.set_live(live);
    }

    /// What the digits show: "average" or "live".
    #[wasm_bindgen(unchecked_return_type = "View")]
    pub fn view(&self) -> JsResult<JsValue> {
        to_js(&self.session.view())
    }

    /// Gives the training digits: the decompressed `mnist-train.gz` bundle (images IDX then
    /// labels IDX); returns how many. Bad data is refused with the reason and nothing changes.
    #[wasm_bindgen(js_name = setData)]
    pub fn set_data(&mut self, bundle: &[u8]) -> JsResult<usize> {
        let data = Mnist::from_bundle(bundle).map_err(js_err)?;
        let n = data.len();
        self.session.set_data(data);
        Ok(n)
    }

    /// Gives own training data: an `OwnData`'s bundle and class names (from `Images` or
    /// `Ganvas.readIdx`). Returns how many images. Bad data is refused and nothing changes.
    #[wasm_bindgen(js_name = setOwnData)]
    pub fn set_own_data(&mut self, bundle: &[u8], classes: Vec<String>) -> JsResult<usize> {
        let data =
            Dataset::own(Mnist::from_bundle(bundle).map_err(js_err)?, classes).map_err(js_err)?;
        let n = data.data.len();
        self.session.set_dataset(data).map_err(js_err)?;
        Ok(n)
    }

    /// Classes the grid asks a conditional net for: its data's (fewer than 10 for own images
    /// with fewer classes), else all it has; 0 for an unconditional net.
    #[wasm_bindgen(js_name = drawnClasses)]
    pub fn drawn_classes(&self) -> usize {
        self.session.drawn_classes()
    }

    /// Reads MNIST-format IDX files (uncompressed bytes): images, and labels when given. Sizes
    /// other than 28×28 are fitted as MNIST was; colour channels are refused with the reason.
    #[wasm_bindgen(js_name = readIdx, unchecked_return_type = "OwnData")]
    pub fn read_idx(images: &[u8], labels: Option<Vec<u8>>) -> JsResult<JsValue> {
        own_data(&dataset::from_idx(images, labels.as_deref()).map_err(js_err)?)
    }

    /// What can be said of the shown generator's images on own data, beside the data's own
    /// images: the digit judge knows only MNIST.
    #[wasm_bindgen(unchecked_return_type = "LikenessScored")]
    pub async fn likeness(&self) -> JsResult<JsValue> {
        to_js(&self.session.likeness().await.map_err(js_err)?)
    }

    /// Whether training data has been given.
    #[wasm_bindgen(js_name = hasData)]
    pub fn has_data(&self) -> bool {
        self.session.has_data()
    }

    /// Changes training settings from the next step: `{batchSize?, lrG?, lrD?, realLabel?,
    /// ema?}`, each one given replacing the current one. All or nothing: settings the network
    /// cannot train with are refused with the reason, and none of them is applied.
    #[wasm_bindgen(js_name = changeSettings, unchecked_return_type = "Settings")]
    pub fn change_settings(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Partial<TrainSettings>")] settings: JsValue,
    ) -> JsResult<JsValue> {
        let overrides: Overrides = serde_wasm_bindgen::from_value(settings)
            .map_err(|e| js_err(Error::Config(format!("settings: {e}"))))?;
        let config = self.session.trainer().config.with(&overrides);
        self.session.set_config(config).map_err(js_err)?;
        self.settings()
    }

    /// The current training settings and view.
    #[wasm_bindgen(unchecked_return_type = "Settings")]
    pub fn settings(&self) -> JsResult<JsValue> {
        let s = &self.session;
        to_js(&Settings::new(&s.trainer().config, s.view()))
    }

    /// Runs `steps` iterations (one D and one G update each), read back once at the end. A
    /// non-finite loss stops training at that step: the chunk's `stats` end before it and
    /// `divergedAt` names it (training is refused until `restore()` or `reset()`).
    #[wasm_bindgen(unchecked_return_type = "Chunk")]
    pub async fn train(&mut self, steps: u32) -> JsResult<JsValue> {
        let steps = self.session.run(steps).await.map_err(js_err)?;
        to_js(&Chunk::new(&self.session, steps))
    }

    /// Digits for latent vectors `z` (`n × latent()` values) and, for a conditional net, the
    /// label each asks for (`n` values 0–(classes − 1); none for an unconditional net):
    /// `n × 784` bytes, 0 = background.
    pub async fn generate(&self, z: Vec<f32>, labels: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
        self.session
            .generate_labelled(&z, &labels.unwrap_or_default())
            .await
            .map_err(js_err)
    }

    /// Digits along a morph from (`fromZ`, `fromLabel`) to (`toZ`, `toLabel`), one for each
    /// `at` in [0, 1]: z along the sphere where z ~ N(0, I) lives, a conditional net's labels
    /// blended linearly (labels are ignored, and may be left out, for an unconditional net).
    pub async fn morph(
        &self,
        from_z: Vec<f32>,
        from_label: Option<u8>,
        to_z: Vec<f32>,
        to_label: Option<u8>,
        at: Vec<f32>,
    ) -> JsResult<Vec<u8>> {
        let conditional = self.classes() > 0;
        let point = |z, label: Option<u8>| Point {
            z,
            label: label.filter(|_| conditional),
        };
        self.session
            .morph(&point(from_z, from_label), &point(to_z, to_label), &at)
            .await
            .map_err(js_err)
    }

    /// `n` digits from the latent vectors of `seed` (the same as `ganvas sample --seed`).
    pub async fn sample(&self, n: usize, seed_value: f64) -> JsResult<Vec<u8>> {
        self.session
            .generate(&self.session.latents(n, seed(seed_value)))
            .await
            .map_err(js_err)
    }

    /// Digits D judges together (PacGAN): `discriminate` gives each digit its pack's probability.
    pub fn pack(&self) -> usize {
        self.session.trainer().gan.pack
    }

    /// D's probability "real" for each of `pixels` (n × 784 bytes, n a multiple of `pack()`),
    /// with their `labels` (0–9, one per digit) when conditional: the page's "D's view".
    pub async fn discriminate(&self, pixels: Vec<u8>, labels: Vec<u8>) -> JsResult<Vec<f32>> {
        self.session
            .discriminate(&pixels, &labels)
            .await
            .map_err(js_err)
    }

    /// "D's view" (needs `setData`): how D judges 8 real training digits and 8 of the shown
    /// generator's, the same ones each time (a conditional net's ask for 0–7) →
    /// `{step, pack, real, fake}`, each row `{pixels, labels, p}`.
    #[wasm_bindgen(js_name = dView, unchecked_return_type = "DView")]
    pub async fn d_view(&self) -> JsResult<JsValue> {
        let view = self.session.d_view().await.map_err(js_err)?;
        types::d_view_to_js(&view)
    }

    /// The `k` training digits nearest to `pixels` (one digit, 784 bytes) in pixel space,
    /// nearest first, with their distances (needs `setData`): is the GAN copying?
    #[wasm_bindgen(unchecked_return_type = "Digits")]
    pub fn nearest(&self, pixels: Vec<u8>, k: usize) -> JsResult<JsValue> {
        if pixels.len() != crate::IMAGE_PIXELS || !(1..=100).contains(&k) {
            return Err(js_err(Error::Config(format!(
                "nearest takes one digit of 784 bytes and k in 1–100, not {} bytes and k = {k}",
                pixels.len()
            ))));
        }
        let data = self.session.data().map_err(js_err)?;
        let found = nearest::nearest(&pixels, data, k);
        let distances = found.iter().map(|n| n.distance).collect();
        let indices: Vec<usize> = found.iter().map(|n| n.index).collect();
        Digits::of(data, &indices, Some(distances)).to_js()
    }

    /// Loads the digit judge (`judge.ganvas`) that `score` uses; returns what real MNIST
    /// scores with it.
    #[wasm_bindgen(js_name = loadJudge, unchecked_return_type = "JudgeReference")]
    pub fn load_judge(&mut self, bytes: &[u8]) -> JsResult<JsValue> {
        let reference = self.session.load_judge(bytes).map_err(js_err)?;
        to_js(&JudgeReference::from(reference))
    }

    /// Judges `n` digits (2–10000) of the generator the grid shows, always from the same
    /// latent vectors, against the MNIST test set.
    #[wasm_bindgen(unchecked_return_type = "Scored")]
    pub async fn score(&self, n: usize) -> JsResult<JsValue> {
        let scored = self.session.score(n).await.map_err(js_err)?;
        to_js(&JsScored::from(&scored))
    }

    /// Trains on from pretrained generator weights (a `.ganvas` file or checkpoint) of this
    /// preset: D learns alone for a while and samples come from a moving average. A bad file,
    /// or one for another preset, is refused with the reason and the model is left as it was.
    #[wasm_bindgen(js_name = loadWeights)]
    pub fn load_weights(&mut self, bytes: &[u8]) -> JsResult<()> {
        self.session.load_weights(bytes).map_err(js_err)?;
        self.run = None;
        Ok(())
    }

    /// The step `restore` would go back to, if a good state is kept.
    #[wasm_bindgen(js_name = lastGoodStep)]
    pub fn last_good_step(&self) -> Option<f64> {
        self.session.last_good_step().map(|s| s as f64)
    }

    /// The step at which training diverged (a loss read back non-finite), if it did.
    #[wasm_bindgen(js_name = divergedAt)]
    pub fn diverged_at(&self) -> Option<f64> {
        self.session.diverged_at().map(|s| s as f64)
    }

    /// Goes back to the last state whose losses were finite and returns its step.
    pub fn restore(&mut self) -> JsResult<f64> {
        self.session.restore().map(|s| s as f64).map_err(js_err)
    }

    /// The whole training state as a `.ganvas` checkpoint, for `loadCheckpoint`.
    pub async fn checkpoint(&self) -> JsResult<Vec<u8>> {
        self.session.checkpoint().await.map_err(js_err)
    }

    /// Resumes from a checkpoint (`checkpoint()`'s bytes, or `ganvas train`'s `.ckpt`), preset
    /// and settings included; returns the preset. A bad file changes nothing.
    #[wasm_bindgen(js_name = loadCheckpoint)]
    pub fn load_checkpoint(&mut self, bytes: &[u8]) -> JsResult<String> {
        self.session.load_checkpoint(bytes).map_err(js_err)?;
        self.run = None;
        Ok(self.preset())
    }

    /// The generator's weights (its moving average when kept) as a `.ganvas` file.
    #[wasm_bindgen(js_name = saveWeights)]
    pub async fn save_weights(&self) -> JsResult<Vec<u8>> {
        self.session.save_weights().await.map_err(js_err)
    }

    /// The preset a weights file is for, or an error saying why the bytes are not a weights
    /// file of a preset. Lets the page switch preset before `loadWeights`.
    #[wasm_bindgen(js_name = weightsPreset)]
    pub fn weights_preset(bytes: &[u8]) -> JsResult<String> {
        let file = weights::WeightsFile::decode(bytes).map_err(js_err)?;
        let gan = file.gan().map_err(js_err)?;
        Preset::of(gan)
            .map(|p| p.name().to_string())
            .ok_or_else(|| {
                js_err(Error::Weights(format!(
                    "weights are for {}, not a preset",
                    gan.describe()
                )))
            })
    }

    /// The module's linear memory and what burn's allocator holds on the device (WebGPU).
    #[wasm_bindgen(unchecked_return_type = "Memory")]
    pub fn memory(&self) -> JsResult<JsValue> {
        let usage = self.session.device().memory_pool_usage();
        to_js(&Memory {
            wasm_bytes: core::arch::wasm32::memory_size(0) as u64 * 65536,
            device_bytes_in_use: usage.as_ref().map(|u| u.bytes_in_use),
            device_bytes_reserved: usage.as_ref().map(|u| u.bytes_reserved),
        })
    }
}

/// Test hooks, compiled only with the `test-hooks` feature (the browser tests' build in
/// `target/pkg-test/`); the page's build has none.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen]
impl Ganvas {
    /// Makes the generator's weights NaN, as a diverged run would.
    #[wasm_bindgen(js_name = debugPoison)]
    pub fn debug_poison(&mut self) {
        self.session.poison();
    }

    /// Switches for testing "auto"'s measurement on a machine without a GPU: time a software
    /// adapter too (`allowFallback`), and divide the CPU's measured speed by `cpuSlowdown`.
    #[wasm_bindgen(js_name = debugMeasureSwitches)]
    pub fn debug_measure_switches(&mut self, allow_fallback: bool, cpu_slowdown: f64) {
        self.chooser.allow_fallback = allow_fallback;
        self.chooser.cpu_slowdown = cpu_slowdown.max(1.0);
    }

    /// ganvas's conv kernels against burn's own ops in this build, on the CPU backend, for
    /// each shape of `conv::check`: `[shape, [output, input gradient, weight gradient, bias
    /// gradient] as fractions of their tolerance (at most 1 where they agree), whether the
    /// output had a value that is not 0]`.
    #[wasm_bindgen(js_name = debugConvCheck)]
    pub fn debug_conv_check() -> Result<JsValue, JsValue> {
        use crate::conv::check;
        let rows: Vec<(String, [f32; 4], bool)> = check::CASES
            .iter()
            .map(|c| {
                (
                    format!("{c:?}"),
                    check::against_burn(*c),
                    check::has_output(*c),
                )
            })
            .collect();
        to_js(&rows)
    }

    /// Panics, which in wasm aborts the module, as a bug in burn or here would.
    #[wasm_bindgen(js_name = debugPanic)]
    pub fn debug_panic(&self) {
        panic!("debugPanic: a deliberate crash, to test recovery");
    }
}

/// Applies each of `settings` that the network can train with, in turn (the batch size, then
/// the learning rates together, then the rest): what `create` does with the settings given on
/// top of a recipe. Returns why each refused one was not used.
fn apply_each(session: &mut Session, settings: &Overrides) -> Vec<String> {
    let parts = [
        Overrides {
            batch_size: settings.batch_size,
            ..Overrides::default()
        },
        Overrides {
            lr_g: settings.lr_g,
            lr_d: settings.lr_d,
            ..Overrides::default()
        },
        Overrides {
            real_label: settings.real_label,
            ema: settings.ema,
            ..Overrides::default()
        },
    ];
    let mut refused = Vec::new();
    for part in parts.iter().filter(|p| **p != Overrides::default()) {
        let config = session.trainer().config.with(part);
        if let Err(e) = session.set_config(config) {
            refused.push(format!("{e}; the recipe's is used"));
        }
    }
    refused
}

/// Own images, made training data one at a time as the browser decodes them: only their
/// 28×28 forms are kept.
#[wasm_bindgen]
pub struct Images {
    set: ImageSet,
}

#[wasm_bindgen]
impl Images {
    /// An empty set of images in `classes` (sorted names; none: the images have no classes).
    #[wasm_bindgen(constructor)]
    pub fn new(classes: Vec<String>) -> Images {
        Images {
            set: ImageSet::new(classes),
        }
    }

    /// Adds a decoded image (`width × height` RGBA bytes, as a canvas gives them) of class
    /// `class` (an index into the classes); `name` names it in a refusal. The crate makes it
    /// 28×28 as MNIST was made.
    pub fn add(
        &mut self,
        name: &str,
        width: usize,
        height: usize,
        rgba: &[u8],
        class: usize,
    ) -> JsResult<()> {
        let grey = crate::normalise::Grey::from_rgba(width, height, rgba)
            .map_err(|e| js_err(Error::Images(format!("{name}: {}", dataset::words(e)))))?;
        self.set.add(&grey, class, name).map_err(js_err)
    }

    /// Images added so far.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.set.len()
    }

    /// The training data (too few images are refused with the reason).
    #[wasm_bindgen(unchecked_return_type = "OwnData")]
    pub fn finish(self) -> JsResult<JsValue> {
        own_data(&self.set.finish().map_err(js_err)?)
    }
}

/// A data set as the `OwnData` object `ganvas.d.ts` declares.
fn own_data(d: &Dataset) -> JsResult<JsValue> {
    let classes = js_sys::Array::new();
    for c in &d.classes {
        classes.push(&c.into());
    }
    let per_class = js_sys::Array::new();
    for &k in &d.report.per_class {
        per_class.push(&(k as f64).into());
    }
    object(&[
        (
            "bundle",
            js_sys::Uint8Array::from(&d.data.to_bundle()[..]).into(),
        ),
        ("classes", classes.into()),
        ("perClass", per_class.into()),
        ("count", (d.data.len() as f64).into()),
        ("description", d.describe().into()),
    ])
}
