//! A training session: what `ganvas train` and the page's worker both drive, on every device.
//!
//! It holds the [`Trainer`], the training digits, the judge, and the run's safety net: a
//! snapshot of the last state whose losses read back finite, and the step at which a loss
//! did not. Every read of device data is asynchronous, so the same code runs on WebGPU in the
//! browser (where a synchronous read panics); the CLI waits on it with a blocking executor.

use crate::adam::Adam;
use crate::backend::Backend;
use crate::data::Mnist;
use crate::dataset::Dataset;
use crate::defaults;
use crate::error::{Error, Result};
use crate::judge::{self, Judge};
use crate::latent;
use crate::likeness::{DataLikeness, FEATURE_SPACE, LIKENESS_N, Likeness};
use crate::model::{Generator, Preset};
use crate::params;
use crate::quality::{Reference, SCORE_SEED, Score};
use crate::train::{Recipe, Stats, StepStats, TrainConfig, Trainer};
use crate::weights;
use burn::module::Module;
use burn::prelude::*;
use serde::{Deserialize, Serialize};

/// Which generator the digits come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The moving average of G's weights (smoother digits; the default when one is kept).
    Average,
    /// The generator being trained.
    Live,
}

/// One training step's statistics and its number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The step these losses belong to (1 for the first step of a run).
    pub step: u64,
    /// Its losses and D's mean outputs.
    #[serde(flatten)]
    pub stats: Stats,
}

/// A quality score of the shown generator at a step.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    /// Step of the generator that was judged.
    pub step: u64,
    /// Which generator was judged.
    pub view: View,
    /// What the judge said.
    pub score: Score,
}

/// What [`Session::likeness`] measures: the shown generator's images and the data's own.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LikenessScored {
    /// Step of the generator that was measured.
    pub step: u64,
    /// Which generator was measured.
    pub view: View,
    /// Its images.
    pub samples: Likeness,
    /// The data's own images, measured the same way: the baseline.
    pub data: Likeness,
    /// The space the Fréchet distance and class match are measured in, in words.
    pub feature_space: &'static str,
}

/// Digits and D's probability that each is real (a pack's digits share theirs).
#[derive(Debug, Clone)]
pub struct Judged {
    /// 784 bytes a digit.
    pub pixels: Vec<u8>,
    /// Their labels (real) or the labels asked for (generated); None for an unconditional net.
    pub labels: Option<Vec<u8>>,
    /// D's probability "real", one per digit.
    pub p: Vec<f32>,
}

/// What [`Session::d_view`] shows: D on real digits and on generated ones.
#[derive(Debug, Clone)]
pub struct DView {
    /// The step D was at.
    pub step: u64,
    /// Digits D judges together.
    pub pack: usize,
    /// Real training digits.
    pub real: Judged,
    /// The shown generator's digits.
    pub fake: Judged,
}

/// A GAN being trained, with its data, its judge and its last good state.
pub struct Session {
    backend: Backend,
    /// The plain (non-autodiff) device: where loaded weights and the judge live.
    device: Device,
    trainer: Trainer,
    data: Option<Dataset>,
    /// For own data (not MNIST): what [`Session::likeness`] measures against.
    likeness: Option<DataLikeness>,
    judge: Option<(Judge, Reference)>,
    /// The trainer at a step whose losses were read back finite: what [`Session::restore`]
    /// goes back to after a divergence. Taken every [`defaults::SNAPSHOT_EVERY`] steps.
    last_good: Option<Trainer>,
    /// The step at which a loss came back NaN or infinite; training refuses to go on from it.
    diverged: Option<u64>,
    /// Draw and score the generator being trained even when a moving average is kept.
    live: bool,
}

impl Session {
    /// Fresh networks of `preset`, trained with `recipe`'s settings, from `seed`.
    pub fn new(
        preset: Preset,
        recipe: Recipe,
        seed: u64,
        backend: Backend,
        device: &Device,
    ) -> Result<Self> {
        let trainer = Trainer::new(preset.config(), recipe.config(), seed, device)?;
        Ok(Self::from_trainer(trainer, backend, device))
    }

    /// A session around an existing trainer (a custom network, a loaded checkpoint).
    pub fn from_trainer(trainer: Trainer, backend: Backend, device: &Device) -> Self {
        Self {
            backend,
            device: device.clone(),
            trainer,
            data: None,
            likeness: None,
            judge: None,
            last_good: None,
            diverged: None,
            live: false,
        }
    }

    /// The trainer: networks, settings, step.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The device the session runs on (plain, not autodiff).
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The backend the session runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The preset of the networks, if they are one.
    pub fn preset(&self) -> Option<Preset> {
        Preset::of(&self.trainer.gan)
    }

    /// Starts again from fresh random weights of `preset` with `recipe`'s settings.
    pub fn reset(&mut self, preset: Preset, recipe: Recipe, seed: u64) -> Result<()> {
        self.trainer = Trainer::new(preset.config(), recipe.config(), seed, &self.device)?;
        self.forget_snapshots();
        Ok(())
    }

    /// Gives MNIST's training digits.
    pub fn set_data(&mut self, data: Mnist) {
        self.data = Some(Dataset::mnist(data));
        self.likeness = None;
    }

    /// Gives training data: MNIST's digits or own images. For own images the measures the
    /// digit judge cannot give are prepared ([`Session::likeness`]).
    pub fn set_dataset(&mut self, data: Dataset) -> Result<()> {
        self.likeness = if data.mnist {
            None
        } else {
            Some(DataLikeness::new(&data.data, data.classes.len())?)
        };
        self.data = Some(data);
        Ok(())
    }

    /// Classes the grid, D's view and the meter ask a conditional net for: those of its data
    /// (3 for three classes of own images), else all it has; 0 for an unconditional net.
    pub fn drawn_classes(&self) -> usize {
        let classes = self.trainer.gan.classes;
        match &self.data {
            Some(d) if classes > 0 && d.has_classes() => d.classes.len().min(classes),
            _ => classes,
        }
    }

    /// Whether training digits have been given.
    pub fn has_data(&self) -> bool {
        self.data.is_some()
    }

    /// Replaces the training settings from the next step; invalid ones are refused and the
    /// current ones kept.
    pub fn set_config(&mut self, config: TrainConfig) -> Result<()> {
        config.validate(&self.trainer.gan)?;
        self.trainer.config = config;
        Ok(())
    }

    /// Runs `steps` iterations and reads their statistics back once. A non-finite loss marks
    /// the run as diverged at that step ([`Session::diverged_at`]): its statistics are still
    /// returned, and further training is refused until [`Session::restore`] or a reset.
    pub async fn run(&mut self, steps: u32) -> Result<Vec<Step>> {
        if let Some(step) = self.diverged {
            return Err(Error::Diverged {
                step,
                what: "a loss (restore the last good state or start again)".into(),
            });
        }
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| Error::State("no training data: give the MNIST digits first".into()))?;
        if self.trainer.gan.classes > 0 && !data.has_classes() {
            return Err(Error::Config(format!(
                "a conditional net is told each image's class, and this data has none ({}): \
                 train an unconditional preset (tiny, standard, conv) on it",
                data.describe()
            )));
        }
        let data = &data.data;
        let first = self.trainer.step() + 1;
        // This state becomes the last good one once the chunk it starts reads back finite.
        let due = self
            .last_good
            .as_ref()
            .is_none_or(|good| self.trainer.step() >= good.step() + defaults::SNAPSHOT_EVERY);
        let snapshot = due.then(|| self.trainer.clone());
        let pending: Vec<StepStats> = (0..steps).map(|_| self.trainer.train_step(data)).collect();
        let stats = StepStats::read_all_async(pending).await?;
        match stats.iter().position(|s| !s.is_finite()) {
            Some(i) => self.diverged = Some(first + i as u64),
            None if snapshot.is_some() => self.last_good = snapshot,
            None => {}
        }
        Ok(stats
            .into_iter()
            .zip(first..)
            .map(|(stats, step)| Step { step, stats })
            .collect())
    }

    /// The step at which a loss read back non-finite, if one did.
    pub fn diverged_at(&self) -> Option<u64> {
        self.diverged
    }

    /// The step [`Session::restore`] would go back to, if a good state is kept.
    pub fn last_good_step(&self) -> Option<u64> {
        self.last_good.as_ref().map(Trainer::step)
    }

    /// Goes back to the last state whose losses were finite and returns its step. The
    /// settings stay as they are now (perhaps a lower rate, chosen after the divergence).
    pub fn restore(&mut self) -> Result<u64> {
        let good = self
            .last_good
            .clone()
            .ok_or_else(|| Error::State("no good state is kept yet: start again instead".into()))?;
        let config = self.trainer.config.clone();
        self.trainer = good;
        self.trainer.config = config;
        self.diverged = None;
        Ok(self.trainer.step())
    }

    /// Chooses the generator that [`Session::generate`] and [`Session::score`] use: the
    /// moving average of G (the default, when one is kept) or, `live`, G itself.
    pub fn set_live(&mut self, live: bool) {
        self.live = live;
    }

    /// Which generator the digits come from.
    pub fn view(&self) -> View {
        if !self.live && self.trainer.ema().is_some() {
            View::Average
        } else {
            View::Live
        }
    }

    /// The generator whose digits are drawn and scored.
    pub fn shown(&self) -> &Generator {
        match self.view() {
            View::Average => self.trainer.sampler(),
            View::Live => self.trainer.generator(),
        }
    }

    /// The generator inputs of `seed`: `n × input width` values, the same vectors as
    /// `ganvas sample --seed` (seeded normal z; a conditional net's labels 0–9 in turn).
    pub fn latents(&self, n: usize, seed: u64) -> Vec<f32> {
        let gan = &self.trainer.gan;
        latent::inputs(n, gan.latent, gan.classes, seed)
    }

    /// Digits for generator inputs (`n × input width` values): `n × 784` bytes, 0 = background.
    pub async fn generate(&self, inputs: &[f32]) -> Result<Vec<u8>> {
        let width = self.trainer.gan.input_width();
        if inputs.is_empty() || !inputs.len().is_multiple_of(width) {
            return Err(Error::Config(format!(
                "{} input values are not a multiple of the generator's input width {width}",
                inputs.len()
            )));
        }
        let generator = self.shown();
        let z = latent::latents_from(inputs, width, &generator.device());
        latent::images_to_u8_async(generator.forward(z)).await
    }

    /// The page's grid (its z, and for a conditional net each cell's label: rows of 0–9, or
    /// every cell `digit`); see [`latent::Grid`].
    pub fn grid(&self, digit: Option<u8>) -> Result<latent::Grid> {
        latent::Grid::new(self.trainer.gan.latent, self.drawn_classes(), digit)
    }

    /// Digits for latent vectors `z` (`n × latent` values) with, for a conditional net, the
    /// label each asks for (`n` classes; ignored otherwise): `n × 784` bytes.
    pub async fn generate_labelled(&self, z: &[f32], labels: &[u8]) -> Result<Vec<u8>> {
        let gan = &self.trainer.gan;
        self.generate(&latent::compose(z, labels, gan.latent, gan.classes)?)
            .await
    }

    /// Digits along a morph from `from` to `to`, one per `at` ∈ [0, 1] ([`latent::morph`]).
    pub async fn morph(
        &self,
        from: &latent::Point,
        to: &latent::Point,
        at: &[f32],
    ) -> Result<Vec<u8>> {
        let gan = &self.trainer.gan;
        self.generate(&latent::morph(from, to, at, gan.latent, gan.classes)?)
            .await
    }

    /// "D's view": how D judges [`defaults::DVIEW_N`] real training digits and as many of the
    /// shown generator's, the same ones every time ([`defaults::DVIEW_SEED`]; a conditional
    /// net's generated ones ask for 0, 1, …), so that what changes is D's opinion.
    pub async fn d_view(&self) -> Result<DView> {
        let gan = &self.trainer.gan;
        let data = self.data()?;
        let n = defaults::DVIEW_N;
        let (real_pixels, real_labels) = data.gather(&data.pick(n, defaults::DVIEW_SEED));
        let fake_labels = latent::labels_in_turn(n, self.drawn_classes());
        let z = latent::normal_latents(n, gan.latent, defaults::DVIEW_SEED);
        let fake_pixels = self.generate_labelled(&z, &fake_labels).await?;
        let conditional = gan.classes > 0;
        let judged = async |pixels: Vec<u8>, labels: Vec<u8>| -> Result<Judged> {
            let p = self.discriminate(&pixels, &labels).await?;
            Ok(Judged {
                pixels,
                labels: conditional.then_some(labels),
                p,
            })
        };
        Ok(DView {
            step: self.trainer.step(),
            pack: gan.pack,
            real: judged(real_pixels, real_labels).await?,
            fake: judged(fake_pixels, fake_labels).await?,
        })
    }

    /// D's probability that each of `images` (n × 784 bytes) is a real MNIST digit, with their
    /// `labels` (n digits 0–9) when D is conditional (ignored otherwise): what the page's
    /// "D's view" shows. D judges packs of consecutive digits (PacGAN): each digit gets its
    /// pack's probability, so `n` must be a multiple of the pack.
    pub async fn discriminate(&self, images: &[u8], labels: &[u8]) -> Result<Vec<f32>> {
        let gan = &self.trainer.gan;
        let n = images.len() / crate::IMAGE_PIXELS;
        if n == 0 || images.len() != n * crate::IMAGE_PIXELS || !n.is_multiple_of(gan.pack) {
            return Err(Error::Config(format!(
                "{} bytes are not a whole number of packs of {} digits of 784 pixels",
                images.len(),
                gan.pack
            )));
        }
        if gan.classes > 0
            && (labels.len() != n || labels.iter().any(|&l| l as usize >= gan.classes))
        {
            return Err(Error::Config(format!(
                "a conditional D needs one label 0–{} per digit: {n} digits, {} labels",
                gan.classes - 1,
                labels.len()
            )));
        }
        let d = self.trainer.discriminator().valid();
        let labels = (gan.classes > 0).then(|| latent::one_hot(labels, gan.classes, &self.device));
        let logits = d.forward(judge::digits_tensor(images, &self.device), labels);
        let probs = burn::tensor::activation::sigmoid(logits)
            .into_data_async()
            .await
            .map_err(|e| Error::Device(e.to_string()))?
            .try_into_vec::<f32>()
            .map_err(|e| Error::Device(format!("{e:?}")))?;
        Ok(probs
            .iter()
            .flat_map(|&p| std::iter::repeat_n(p, gan.pack))
            .collect())
    }

    /// The training digits, for showing real ones beside generated ones.
    pub fn data(&self) -> Result<&Mnist> {
        self.data
            .as_ref()
            .map(|d| &d.data)
            .ok_or_else(|| Error::State("no training digits loaded".into()))
    }

    /// What can be said of the shown generator's images on own data, which the digit judge
    /// cannot score ([`crate::likeness`]): [`LIKENESS_N`] of them, always from the same latent
    /// vectors (a conditional net's asking for its data's classes in turn), beside the data's
    /// own images.
    pub async fn likeness(&self) -> Result<LikenessScored> {
        let reference = self.likeness.as_ref().ok_or_else(|| {
            Error::State("no own data: MNIST's digits are scored by the judge".into())
        })?;
        let gan = &self.trainer.gan;
        let n = LIKENESS_N;
        let labels = latent::labels_in_turn(n, self.drawn_classes());
        let z = latent::normal_latents(n, gan.latent, SCORE_SEED);
        let images = self.generate_labelled(&z, &labels).await?;
        let conditional = gan.classes > 0;
        Ok(LikenessScored {
            step: self.trainer.step(),
            view: self.view(),
            samples: reference.measure(&images, conditional.then_some(&labels[..])),
            data: reference.baseline.clone(),
            feature_space: FEATURE_SPACE,
        })
    }

    /// Loads the digit judge (`judge.ganvas`) that [`Session::score`] uses, and returns what
    /// real MNIST scores with it.
    pub fn load_judge(&mut self, bytes: &[u8]) -> Result<&Reference> {
        let loaded = judge::load_judge(bytes, &self.device)?;
        Ok(&self.judge.insert(loaded).1)
    }

    /// Judges `n` digits (2–10000) of the shown generator, always from the same latent vectors
    /// ([`SCORE_SEED`]), against the MNIST test set.
    pub async fn score(&self, n: usize) -> Result<Scored> {
        let (judge, reference) = self
            .judge
            .as_ref()
            .ok_or_else(|| Error::State("no judge: load the judge first".into()))?;
        if !(2..=10_000).contains(&n) {
            return Err(Error::Config(format!(
                "a score takes 2 to 10000 digits, not {n}"
            )));
        }
        let judged = judge
            .judge_async(self.shown().sample(n, SCORE_SEED))
            .await?;
        Ok(Scored {
            step: self.trainer.step(),
            view: self.view(),
            score: judged.score(&reference.test),
        })
    }

    /// Trains on from pretrained generator weights (a `.ganvas` file or a checkpoint's
    /// sampler) of this session's network. The discriminator starts afresh, so G is held while
    /// D learns to judge it, and samples come from a moving average that starts at the loaded
    /// weights (see [`Trainer::set_generator`]): the digits stay clean while D catches up. A
    /// bad file, or one for another network, is refused and nothing changes.
    pub fn load_weights(&mut self, bytes: &[u8]) -> Result<()> {
        let file = weights::WeightsFile::decode(bytes)?;
        file.check_shape(&self.trainer.gan)?;
        let generator = file.sampler(&self.device)?;
        self.trainer.config.ema = defaults::LOADED_EMA;
        self.trainer.set_generator(generator, file.header.step);
        self.forget_snapshots();
        Ok(())
    }

    /// Resumes from a checkpoint, its network and settings included. A bad file changes nothing.
    pub fn load_checkpoint(&mut self, bytes: &[u8]) -> Result<()> {
        self.trainer = weights::load_checkpoint(bytes, &self.device)?;
        self.forget_snapshots();
        Ok(())
    }

    /// Moves the run to another device (the page's "auto", choosing by measured speed). The
    /// training state and the last good one go through checkpoints, so the next step is the
    /// one an unbroken run would take (bit for bit when both devices are the CPU); the judge
    /// is copied. Nothing changes if any part fails.
    pub async fn move_to(&mut self, backend: Backend, device: &Device) -> Result<()> {
        let trainer = weights::load_checkpoint(&self.checkpoint().await?, device)?;
        let last_good = match &self.last_good {
            Some(good) => Some(weights::load_checkpoint(
                &self.checkpoint_of(good).await?,
                device,
            )?),
            None => None,
        };
        let judge = match &self.judge {
            Some((judge, reference)) => {
                Some((copy(judge, Judge::new(0, device)).await?, reference.clone()))
            }
            None => None,
        };
        self.trainer = trainer;
        self.last_good = last_good;
        self.judge = judge;
        self.backend = backend;
        self.device = device.clone();
        Ok(())
    }

    /// The whole training state as a `.ganvas` checkpoint: both networks, the moving average,
    /// both optimizers' moments, settings, seed and step.
    pub async fn checkpoint(&self) -> Result<Vec<u8>> {
        self.checkpoint_of(&self.trainer).await
    }

    async fn checkpoint_of(&self, t: &Trainer) -> Result<Vec<u8>> {
        if !self.reads_async_only() {
            return weights::save_checkpoint(t);
        }
        let gan = &t.gan;
        let cpu = cpu_device();
        let g = || gan.init_generator(0, &cpu);
        let d = || gan.init_discriminator(0, &cpu);
        let (opt_g, opt_d) = t.optimizers();
        let (g_m1, g_m2) = opt_g.moments(t.generator());
        let (d_m1, d_m2) = opt_d.moments(t.discriminator());
        let opt_g = Adam::restore(
            copy(&g_m1, g()).await?,
            copy(&g_m2, g()).await?,
            opt_g.time(),
        );
        let opt_d = Adam::restore(
            copy(&d_m1, d()).await?,
            copy(&d_m2, d()).await?,
            opt_d.time(),
        );
        let average = match t.ema() {
            Some(ema) => Some(copy(ema.generator(), g()).await?),
            None => None,
        };
        weights::encode_checkpoint(weights::CheckpointParts {
            gan,
            config: &t.config,
            generator: &copy(t.generator(), g()).await?,
            discriminator: &copy(t.discriminator(), d()).await?,
            optimizers: (&opt_g, &opt_d),
            ema: average.as_ref().zip(t.ema().map(|e| e.updates())),
            seed: t.seed(),
            step: t.step(),
            hold: t.generator_hold(),
        })
    }

    /// The generator to sample from (the moving average when kept) as a `.ganvas` file.
    pub async fn save_weights(&self) -> Result<Vec<u8>> {
        let t = &self.trainer;
        let save =
            |generator: &Generator| weights::save_generator(&t.gan, generator, t.step(), t.seed());
        if !self.reads_async_only() {
            return save(t.sampler());
        }
        let cpu = cpu_device();
        save(&copy(t.sampler(), t.gan.init_generator(0, &cpu)).await?)
    }

    /// Test hook: makes G's weights NaN, as a diverged run would.
    #[cfg(feature = "test-hooks")]
    pub fn poison(&mut self) {
        self.trainer.poison_generator();
    }

    /// Whether burn's synchronous record writer cannot read this session's tensors: WebGPU in
    /// the browser. There, modules are copied to the CPU with asynchronous reads first.
    fn reads_async_only(&self) -> bool {
        cfg!(target_arch = "wasm32") && self.backend == Backend::Wgpu
    }

    fn forget_snapshots(&mut self) {
        self.last_good = None;
        self.diverged = None;
    }
}

fn cpu_device() -> Device {
    Backend::CPU
        .cpu_device()
        .expect("the default CPU backend has a device")
}

/// Copies a module's weights into `blank` (the same module on another device, where the copy
/// lives) with asynchronous reads: to the CPU, where burn's synchronous record writer can then
/// run, or to the device a run moves to.
async fn copy<M: Module>(module: &M, blank: M) -> Result<M> {
    let device = blank
        .devices()
        .into_iter()
        .next()
        .unwrap_or_else(cpu_device);
    let mut values = Vec::new();
    for tensor in params::flat(module) {
        let data = tensor
            .into_data_async()
            .await
            .map_err(|e| Error::Device(e.to_string()))?;
        values.push(Tensor::<1>::from_data(data, &device));
    }
    Ok(params::replace(blank, values))
}
