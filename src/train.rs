//! One GAN iteration: a discriminator update on a real batch and a fresh fake batch, then a
//! generator update with the non-saturating loss. Both use BCE on logits and Adam.
//!
//! Statistics stay on the device until asked for ([`StepStats`]), so a caller can run many
//! steps per readback; on WebGPU each readback is a round trip through the browser.

use crate::adam::{Adam, AdamConfig};
use crate::data::Mnist;
use crate::ema::Ema;
use crate::error::{Error, Result};
use crate::latent::{latents_from, normal_vec, one_hot, with_labels};
use crate::model::{Discriminator, GanConfig, Generator};
use burn::module::Module;
use burn::prelude::*;
use burn::tensor::activation;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::{Deserialize, Serialize};

/// Training hyper-parameters; all can change between steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Real (and fake) digits per step.
    pub batch_size: usize,
    /// Generator learning rate.
    pub lr_g: f64,
    /// Discriminator learning rate.
    pub lr_d: f64,
    /// Adam β1; 0.5 rather than 0.9 is the DCGAN recipe: momentum fights the moving target.
    pub beta_1: f32,
    /// Target for real digits in D's loss: 1.0 plain, 0.9 one-sided label smoothing.
    pub real_label: f32,
    /// Decay of the moving average of G's weights used for sampling; 0 = no average.
    #[serde(default)]
    pub ema: f32,
}

impl Default for TrainConfig {
    /// The classic recipe.
    fn default() -> Self {
        Recipe::Classic.config()
    }
}

/// Named sets of training settings: the one place their values live. The CLI takes them as
/// `--recipe`, the page's "Train from scratch" uses
/// [`crate::defaults::SCRATCH_RECIPE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Recipe {
    /// The DCGAN paper's settings (Adam 2·10⁻⁴, β1 0.5), plain labels, the live generator:
    /// what ganvas trained with before the fast recipe was measured.
    Classic,
    /// Settings measured to draw recognisable digits soonest per second of training
    /// (BENCHMARKS.md, "Digits in a minute").
    Fast,
}

impl Recipe {
    /// Every recipe.
    pub const ALL: [Recipe; 2] = [Recipe::Classic, Recipe::Fast];

    /// The recipe's settings.
    pub fn config(self) -> TrainConfig {
        match self {
            Recipe::Classic => TrainConfig {
                batch_size: 64,
                lr_g: 2e-4,
                lr_d: 2e-4,
                beta_1: 0.5,
                real_label: 1.0,
                ema: 0.0,
            },
            // Measured on the conditional net (BENCHMARKS.md, "Digits in a minute"): 15× the
            // classic rate learns digits in a few hundred steps (2e-3 and 4e-3 did worse), the
            // one-sided label 0.9 was as good as 1.0 and is the shipped weights' recipe, and the
            // average's decay starts low and ramps up towards 0.999 with the step (see
            // `Ema::update`), so it follows G early and smooths it later.
            Recipe::Fast => TrainConfig {
                lr_g: 3e-3,
                lr_d: 3e-3,
                real_label: 0.9,
                ema: 0.999,
                ..Recipe::Classic.config()
            },
        }
    }

    /// The lowercase name, as used on the command line and in the page.
    pub fn name(self) -> &'static str {
        match self {
            Recipe::Classic => "classic",
            Recipe::Fast => "fast",
        }
    }

    /// Its settings in words, e.g. for the page's tooltips.
    pub fn describe(self) -> String {
        let c = self.config();
        let ema = match c.ema {
            0.0 => "the live G".to_string(),
            d => format!("a moving average of G ramping up to {d}"),
        };
        format!(
            "Adam {:e}/{:e} (G/D, β1 {}), batch {}, real label {}, {ema}",
            c.lr_g, c.lr_d, c.beta_1, c.batch_size, c.real_label
        )
    }
}

impl std::str::FromStr for Recipe {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Recipe::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| Error::Config(format!("unknown recipe {s:?} (classic, fast)")))
    }
}

/// Settings given on top of a recipe or a run (the CLI's flags, the element's attributes):
/// each one given replaces the one it is put on. The one place they are applied.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Overrides {
    /// Batch size.
    pub batch_size: Option<usize>,
    /// Generator learning rate.
    pub lr_g: Option<f64>,
    /// Discriminator learning rate.
    pub lr_d: Option<f64>,
    /// Target for real digits in D's loss.
    pub real_label: Option<f32>,
    /// Decay of the moving average of G.
    pub ema: Option<f32>,
}

impl TrainConfig {
    /// These settings with each of `o`'s that is given in its place (unchecked: see
    /// [`TrainConfig::validate`]).
    pub fn with(&self, o: &Overrides) -> TrainConfig {
        TrainConfig {
            batch_size: o.batch_size.unwrap_or(self.batch_size),
            lr_g: o.lr_g.unwrap_or(self.lr_g),
            lr_d: o.lr_d.unwrap_or(self.lr_d),
            real_label: o.real_label.unwrap_or(self.real_label),
            ema: o.ema.unwrap_or(self.ema),
            ..self.clone()
        }
    }

    /// Rejects settings that cannot train `gan`.
    pub fn validate(&self, gan: &GanConfig) -> Result<()> {
        if !self.batch_size.is_multiple_of(gan.pack) {
            return Err(Error::Config(format!(
                "batch size {} is not a multiple of the discriminator's pack of {}",
                self.batch_size, gan.pack
            )));
        }
        let lr_ok = |lr: f64| lr.is_finite() && lr > 0.0 && lr < 1.0;
        if self.batch_size == 0 || self.batch_size > 4096 {
            return Err(Error::Config(format!(
                "batch size {} not in 1..=4096",
                self.batch_size
            )));
        }
        if !lr_ok(self.lr_g) || !lr_ok(self.lr_d) {
            return Err(Error::Config(format!(
                "learning rates must be in (0, 1): G {}, D {}",
                self.lr_g, self.lr_d
            )));
        }
        if !(0.0..1.0).contains(&self.beta_1) {
            return Err(Error::Config(format!(
                "Adam β1 {} not in [0, 1)",
                self.beta_1
            )));
        }
        if !(0.5..=1.0).contains(&self.real_label) {
            return Err(Error::Config(format!(
                "real label {} not in [0.5, 1]",
                self.real_label
            )));
        }
        if !(0.0..1.0).contains(&self.ema) {
            return Err(Error::Config(format!(
                "EMA decay {} not in [0, 1)",
                self.ema
            )));
        }
        Ok(())
    }

    /// Adam's settings for a step at learning rate `lr`: these β1, and the paper's β2 and ε.
    fn adam(&self, lr: f64) -> AdamConfig {
        AdamConfig {
            beta_1: self.beta_1 as f64,
            ..AdamConfig::new(lr)
        }
    }
}

/// One step's statistics, still on the device: D loss (real + fake BCE), G loss, and the mean
/// probability D gives real digits, D(x), and fakes, D(G(z)).
#[derive(Debug, Clone)]
pub struct StepStats {
    values: Tensor<1>,
}

/// [`StepStats`] read back to the host.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Discriminator loss: BCE on real plus BCE on fake (2·ln 2 ≈ 1.386 when D is guessing).
    pub d_loss: f32,
    /// Generator loss: BCE of D(G(z)) against "real" (non-saturating).
    pub g_loss: f32,
    /// Mean probability D gives the real batch.
    pub d_real: f32,
    /// Mean probability D gives the fake batch (before D's update).
    pub d_fake: f32,
}

impl Stats {
    fn from_slice(v: &[f32]) -> Self {
        Self {
            d_loss: v[0],
            g_loss: v[1],
            d_real: v[2],
            d_fake: v[3],
        }
    }

    /// Whether every value is finite.
    pub fn is_finite(&self) -> bool {
        [self.d_loss, self.g_loss, self.d_real, self.d_fake]
            .iter()
            .all(|v| v.is_finite())
    }
}

impl StepStats {
    /// Reads many steps' statistics with a single device readback (native only: a sync read).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read_all(steps: Vec<StepStats>) -> Result<Vec<Stats>> {
        if steps.is_empty() {
            return Ok(Vec::new());
        }
        let all = Tensor::cat(steps.into_iter().map(|s| s.values).collect(), 0);
        Self::unpack(
            all.try_into_data()
                .map_err(|e| Error::Device(e.to_string()))?,
        )
    }

    /// Reads many steps' statistics with a single asynchronous readback (works on WebGPU).
    pub async fn read_all_async(steps: Vec<StepStats>) -> Result<Vec<Stats>> {
        if steps.is_empty() {
            return Ok(Vec::new());
        }
        let all = Tensor::cat(steps.into_iter().map(|s| s.values).collect(), 0);
        Self::unpack(
            all.into_data_async()
                .await
                .map_err(|e| Error::Device(e.to_string()))?,
        )
    }

    fn unpack(data: TensorData) -> Result<Vec<Stats>> {
        let v = data
            .try_into_vec::<f32>()
            .map_err(|e| Error::Device(format!("{e:?}")))?;
        Ok(v.chunks_exact(4).map(Stats::from_slice).collect())
    }
}

/// Binary cross-entropy on logits against a constant target, averaged: written with
/// log-sigmoid so that confident logits do not overflow.
fn bce_with_logits(logits: Tensor<2>, target: f32) -> Tensor<1> {
    let pos = activation::log_sigmoid(logits.clone());
    let neg = activation::log_sigmoid(logits.neg());
    let t = target as f64;
    let loss = if t == 1.0 {
        pos
    } else {
        pos.mul_scalar(t) + neg.mul_scalar(1.0 - t)
    };
    loss.mean().neg()
}

/// Update count given to a moving average that starts at loaded weights: high enough that
/// the early low-decay schedule is over.
const LOADED_EMA_UPDATES: u64 = 100_000;

/// Steps D trains alone after a generator is loaded without its discriminator.
pub const DISCRIMINATOR_WARMUP: u64 = 200;

/// A GAN being trained: both networks, both optimizers, the step count.
///
/// Cloning is cheap (tensors are shared, never changed in place while shared) and gives an
/// independent trainer: the page keeps one as its last good checkpoint.
#[derive(Clone)]
pub struct Trainer {
    /// Shape of both networks.
    pub gan: GanConfig,
    /// Hyper-parameters, read at every step.
    pub config: TrainConfig,
    generator: Generator,
    discriminator: Discriminator,
    opt_g: Adam<Generator>,
    opt_d: Adam<Discriminator>,
    ema: Option<Ema>,
    hold_generator: u64,
    seed: u64,
    step: u64,
    device: Device,
}

impl Trainer {
    /// Fresh networks from `seed` on `device` (made autodiff here if it is not already).
    pub fn new(gan: GanConfig, config: TrainConfig, seed: u64, device: &Device) -> Result<Self> {
        gan.validate()?;
        config.validate(&gan)?;
        let device = device.clone().autodiff(); // a no-op on an autodiff device
        let generator = gan.init_generator(seed, &device);
        let discriminator = gan.init_discriminator(seed, &device);
        Ok(Self {
            ema: (config.ema > 0.0).then(|| Ema::new(&generator, config.ema)),
            hold_generator: 0,
            opt_g: Adam::new(&generator),
            opt_d: Adam::new(&discriminator),
            generator,
            discriminator,
            gan,
            config,
            seed,
            step: 0,
            device,
        })
    }

    /// Iterations done so far.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Steps left during which only D trains (after a generator was loaded without its D).
    pub fn generator_hold(&self) -> u64 {
        self.hold_generator
    }

    /// The seed this run was started with; with [`step`](Self::step) it fixes every batch.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The (autodiff) device training runs on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The generator being trained.
    pub fn generator(&self) -> &Generator {
        &self.generator
    }

    /// The generator to draw samples from: the weights' moving average when one is kept,
    /// else the generator being trained.
    pub fn sampler(&self) -> &Generator {
        self.ema.as_ref().map_or(&self.generator, Ema::generator)
    }

    /// The moving average of G, if kept.
    pub fn ema(&self) -> Option<&Ema> {
        self.ema.as_ref()
    }

    /// The discriminator being trained.
    pub fn discriminator(&self) -> &Discriminator {
        &self.discriminator
    }

    /// One D update then one G update on `data`. The batch and the latents are drawn from an
    /// RNG seeded with (seed, step), so a resumed run sees exactly what an unbroken one would.
    pub fn train_step(&mut self, data: &Mnist) -> StepStats {
        let batch = self.config.batch_size;
        let mut rng =
            StdRng::seed_from_u64(self.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ self.step);

        // Discriminator: real and fake digits in one forward pass.
        let (real, real_labels) = data.random_batch(batch, &mut rng, &self.device);
        let (z, fake_labels) = self.latents(&mut rng, batch, data.classes());
        let fake = self.generator.forward(z).detach();
        let labels = self.labels([real_labels, fake_labels].concat());
        let logits = self
            .discriminator
            .forward(Tensor::cat(vec![real, fake], 0), labels);
        let packs = batch / self.gan.pack;
        let logits_real = logits.clone().slice(0..packs);
        let logits_fake = logits.slice(packs..2 * packs);
        let d_real = activation::sigmoid(logits_real.clone()).mean();
        let d_fake = activation::sigmoid(logits_fake.clone()).mean();
        let d_loss = bce_with_logits(logits_real, self.config.real_label)
            + bce_with_logits(logits_fake, 0.0);
        let mut grads = d_loss.backward();
        self.discriminator = self.opt_d.step(
            &self.config.adam(self.config.lr_d),
            self.discriminator.clone(),
            &mut grads,
        );

        // Generator: fresh latents, non-saturating loss -log D(G(z)).
        let (z, fake_labels) = self.latents(&mut rng, batch, data.classes());
        // D is frozen here: gradients flow through it to G, but its weights' own are skipped.
        let frozen = self.discriminator.clone().no_grad();
        let g_loss = bce_with_logits(
            frozen.forward(self.generator.forward(z), self.labels(fake_labels)),
            1.0,
        );
        if self.hold_generator > 0 {
            // A discriminator that has not learnt yet only gives G noise to follow.
            self.hold_generator -= 1;
            let g_loss = g_loss.detach();
            return self.finish_step(d_loss, g_loss, d_real, d_fake);
        }
        let mut grads = g_loss.backward();
        self.generator = self.opt_g.step(
            &self.config.adam(self.config.lr_g),
            self.generator.clone(),
            &mut grads,
        );
        if let Some(ema) = &mut self.ema {
            ema.update(&self.generator);
        }
        self.finish_step(d_loss, g_loss, d_real, d_fake)
    }

    fn finish_step(
        &mut self,
        d_loss: Tensor<1>,
        g_loss: Tensor<1>,
        d_real: Tensor<1>,
        d_fake: Tensor<1>,
    ) -> StepStats {
        self.step += 1;
        StepStats {
            values: Tensor::cat(vec![d_loss, g_loss, d_real, d_fake], 0).detach(),
        }
    }

    /// `n` generator inputs and the labels they ask for: z from `rng`, and for a conditional
    /// net a label drawn uniformly for each (one-hot beside z) among the `drawn` classes the
    /// data has (all 10 for MNIST; fewer for own images, whose missing classes D would
    /// otherwise learn to call fake). An unconditional net draws no labels, so its batches are
    /// what they were before conditioning existed.
    fn latents(&self, rng: &mut StdRng, n: usize, drawn: usize) -> (Tensor<2>, Vec<u8>) {
        let (latent, classes) = (self.gan.latent, self.gan.classes);
        let z = normal_vec(rng, n * latent);
        if classes == 0 {
            return (latents_from(&z, latent, &self.device), Vec::new());
        }
        let drawn = drawn.clamp(1, classes);
        let labels: Vec<u8> = (0..n).map(|_| rng.random_range(0..drawn) as u8).collect();
        let input = with_labels(&z, &labels, latent, classes);
        (latents_from(&input, latent + classes, &self.device), labels)
    }

    /// The one-hot labels D is told, when the net is conditional.
    fn labels(&self, labels: Vec<u8>) -> Option<Tensor<2>> {
        (self.gan.classes > 0).then(|| one_hot(&labels, self.gan.classes, &self.device))
    }

    /// Everything needed to resume: the networks, the optimizers' moments, seed and step.
    pub fn into_parts(self) -> TrainerParts {
        TrainerParts {
            gan: self.gan,
            config: self.config,
            generator: self.generator,
            discriminator: self.discriminator,
            opt_g: self.opt_g,
            opt_d: self.opt_d,
            ema: self.ema.map(|e| (e.generator().clone(), e.updates())),
            seed: self.seed,
            step: self.step,
            hold: self.hold_generator,
        }
    }

    /// Rebuilds a trainer from [`TrainerParts`] (for example, a loaded checkpoint).
    pub fn from_parts(parts: TrainerParts, device: &Device) -> Result<Self> {
        parts.gan.validate()?;
        parts.config.validate(&parts.gan)?;
        let device = device.clone().autodiff(); // a no-op on an autodiff device
        let ema = match parts.ema {
            Some((average, updates)) if parts.config.ema > 0.0 => {
                Some(Ema::restore(average, parts.config.ema, updates))
            }
            _ if parts.config.ema > 0.0 => Some(Ema::new(&parts.generator, parts.config.ema)),
            _ => None,
        };
        Ok(Self {
            ema,
            hold_generator: parts.hold,
            generator: parts.generator.fork(&device),
            discriminator: parts.discriminator.fork(&device),
            opt_g: parts.opt_g,
            opt_d: parts.opt_d,
            gan: parts.gan,
            config: parts.config,
            seed: parts.seed,
            step: parts.step,
            device,
        })
    }

    /// Replaces the generator (e.g. with loaded pretrained weights, `step` iterations old).
    /// G's optimizer state and moving average start afresh, as they belonged to the old
    /// weights, and G is held still for [`DISCRIMINATOR_WARMUP`] steps while D learns to judge
    /// it, so that G's first updates follow a D that has seen it rather than random weights.
    /// Fresh Adam moments still move every weight by about the learning rate at first, which
    /// turned the shipped G's digits speckled within ~100 G steps in the page; with a moving
    /// average configured (`config.ema`), samples come from an average that starts at the
    /// loaded weights and stay clean.
    pub fn set_generator(&mut self, generator: Generator, step: u64) {
        self.hold_generator = DISCRIMINATOR_WARMUP;
        // `train()`: weights loaded on a plain device come without gradient tracking.
        self.generator = generator.fork(&self.device).train();
        self.opt_g = Adam::new(&self.generator);
        // The average starts full at the loaded weights (no early low-decay schedule), so that
        // samples move away from them only as fast as the decay allows.
        self.ema = (self.config.ema > 0.0)
            .then(|| Ema::restore(self.generator.clone(), self.config.ema, LOADED_EMA_UPDATES));
        self.step = step;
    }

    /// Test hook (feature `test-hooks`): turns every generator weight into NaN, as a diverged
    /// run would, so that divergence handling can be exercised on demand.
    #[cfg(feature = "test-hooks")]
    pub fn poison_generator(&mut self) {
        use burn::module::{ModuleMapper, Param};
        struct Nan;
        impl ModuleMapper for Nan {
            fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
                // A fresh leaf, as an optimizer step leaves it: no graph back to the old weights.
                param.map(|t| t.mul_scalar(f32::NAN).detach().require_grad())
            }
        }
        self.generator = self.generator.clone().map(&mut Nan);
    }

    /// Adam's state for G and for D, for saving a checkpoint.
    pub fn optimizers(&self) -> (&Adam<Generator>, &Adam<Discriminator>) {
        (&self.opt_g, &self.opt_d)
    }
}

/// A trainer taken apart, for checkpoints.
pub struct TrainerParts {
    /// Shape of both networks.
    pub gan: GanConfig,
    /// Hyper-parameters.
    pub config: TrainConfig,
    /// The generator.
    pub generator: Generator,
    /// The discriminator.
    pub discriminator: Discriminator,
    /// Adam state of the generator.
    pub opt_g: Adam<Generator>,
    /// Adam state of the discriminator.
    pub opt_d: Adam<Discriminator>,
    /// The moving average of G and its update count, if kept.
    pub ema: Option<(Generator, u64)>,
    /// The run's seed.
    pub seed: u64,
    /// Iterations done.
    pub step: u64,
    /// Steps G still waits for D after a generator was loaded alone.
    pub hold: u64,
}
