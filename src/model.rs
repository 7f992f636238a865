//! The generator and discriminator: plain multilayer perceptrons, written once for every
//! device. Both are built from a [`GanConfig`], so that a weights file can say exactly which
//! network it belongs to.

use burn::module::{Module, Param};
use burn::nn::{LeakyRelu, LeakyReluConfig, Linear};
use burn::prelude::*;
use burn::tensor::activation;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::{Deserialize, Serialize};

/// Side of an MNIST digit, in pixels.
pub const IMAGE_SIDE: usize = 28;
/// Pixels in one digit; the generator's output width and the discriminator's input width.
pub const IMAGE_PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;
/// Most parameters a G and D together may have: 17× the standard preset.
pub const MAX_PARAMETERS: usize = 64_000_000;

/// The shape of both networks. Stored in every weights file, compared on load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GanConfig {
    /// Size of the latent vector z fed to the generator.
    pub latent: usize,
    /// Widths of the generator's hidden layers, from z towards the image.
    pub g_hidden: Vec<usize>,
    /// Widths of the discriminator's hidden layers, from the image towards the logit.
    pub d_hidden: Vec<usize>,
    /// Slope of LeakyReLU for negative inputs, on every hidden layer of both networks.
    pub leaky_slope: f64,
    /// Digits the discriminator judges together (PacGAN): with 2, D sees pairs of real or
    /// pairs of fake digits, so a generator that draws the same few digits is easy to spot.
    /// Files written before this setting existed have none: 1.
    #[serde(default = "one")]
    pub pack: usize,
    /// Digit classes the networks are conditioned on: 0 for an unconditional GAN, 10 for one
    /// that is told which digit to draw (a one-hot label beside z in G, beside each image in
    /// D). Files written before this setting existed have none: 0.
    #[serde(default)]
    pub classes: usize,
}

fn one() -> usize {
    1
}

/// The networks: the classic Keras-tutorial GAN, a wider one, and two told which digit to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// G z100→256→784, D 784→256→1: small enough to train at interactive speed anywhere.
    Tiny,
    /// G z100→256→512→1024→784, D (784×2)→1024→512→256→1 on pairs of digits (PacGAN): the
    /// shipped pretrained network.
    Standard,
    /// The tiny layers told which digit to draw: G (z100 + one-hot label)→256→784, D
    /// 784→256→1 with the label projected onto its features. Measured to learn recognisable
    /// digits soonest per second of training: the page's "Train from scratch" network.
    TinyConditional,
    /// A deeper generator told which digit to draw: G (z100 + one-hot label)→256→512→784, D
    /// as tiny-conditional's. Shipped pretrained (weights/conditional.ganvas): each digit
    /// drawn on request is read as itself ≥ 97% of the time.
    Conditional,
}

impl Preset {
    /// Every preset, in order of size.
    pub const ALL: [Preset; 4] = [
        Preset::Tiny,
        Preset::TinyConditional,
        Preset::Conditional,
        Preset::Standard,
    ];

    /// The preset's network shape.
    pub fn config(self) -> GanConfig {
        match self {
            Preset::Tiny => GanConfig::new(vec![256], vec![256]),
            // Packing pairs lifted the standard net's digit score from 6.0 to 7.8 at 10k
            // iterations and spread its digits over all ten classes (BENCHMARKS.md); on the
            // tiny net it made no difference.
            Preset::Standard => {
                GanConfig::new(vec![256, 512, 1024], vec![1024, 512, 256]).with_pack(2)
            }
            Preset::TinyConditional => Preset::Tiny.config().with_classes(crate::quality::CLASSES),
            // The tiny generator told the digit plateaued at a Fréchet distance 5.4× real
            // digits' and read 9s as asked 94% of the time; a second hidden layer reached the
            // shipped targets (weights/README.md). D stays tiny: a wider one was not needed.
            Preset::Conditional => {
                GanConfig::new(vec![256, 512], vec![256]).with_classes(crate::quality::CLASSES)
            }
        }
    }

    /// The preset's lowercase name, as used on the command line and in the page.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Tiny => "tiny",
            Preset::Standard => "standard",
            Preset::TinyConditional => "tiny-conditional",
            Preset::Conditional => "conditional",
        }
    }

    /// The preset a config is, if it is one (with any pack: packing is a way of training D,
    /// not another network).
    pub fn of(config: &GanConfig) -> Option<Preset> {
        Preset::ALL
            .into_iter()
            .find(|p| p.config().with_pack(config.pack) == *config)
    }
}

impl std::str::FromStr for Preset {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                crate::Error::Config(format!(
                    "unknown preset {s:?} (tiny, tiny-conditional, conditional, standard)"
                ))
            })
    }
}

impl GanConfig {
    /// z of 100, LeakyReLU 0.2, no packing, unconditional, and the given hidden widths.
    pub fn new(g_hidden: Vec<usize>, d_hidden: Vec<usize>) -> Self {
        Self {
            latent: 100,
            g_hidden,
            d_hidden,
            leaky_slope: 0.2,
            pack: 1,
            classes: 0,
        }
    }

    /// The same networks with D judging `pack` digits at a time.
    pub fn with_pack(self, pack: usize) -> Self {
        Self { pack, ..self }
    }

    /// The same networks told which of `classes` digits to draw (0 = unconditional).
    pub fn with_classes(self, classes: usize) -> Self {
        Self { classes, ..self }
    }

    /// Width of the generator's input: z, then the one-hot label when conditional.
    pub fn input_width(&self) -> usize {
        self.latent + self.classes
    }

    /// Width of D's last hidden layer: the features a conditional D projects its labels onto.
    fn d_features(&self) -> usize {
        self.d_hidden
            .last()
            .copied()
            .unwrap_or(IMAGE_PIXELS * self.pack)
    }

    /// Whether the two configs build the same generator (a generator file fits either).
    pub fn same_generator(&self, other: &GanConfig) -> bool {
        self.latent == other.latent
            && self.classes == other.classes
            && self.g_hidden == other.g_hidden
            && self.leaky_slope == other.leaky_slope
    }

    /// A one-line description such as `G 100→256→784, D 784→256→1 (tiny)`; a conditional
    /// net shows its labels as `100+10`.
    pub fn describe(&self) -> String {
        let chain = |first: String, v: Vec<usize>| {
            std::iter::once(first)
                .chain(v.iter().map(usize::to_string))
                .collect::<Vec<_>>()
                .join("→")
        };
        let plus = |n: usize| match self.classes {
            0 => n.to_string(),
            k => format!("{n}+{k}"),
        };
        let mut g = self.g_hidden.clone();
        g.push(IMAGE_PIXELS);
        let mut d = self.d_hidden.clone();
        d.push(1);
        let d_in = match self.pack {
            1 => IMAGE_PIXELS.to_string(),
            k => (IMAGE_PIXELS * k).to_string(),
        };
        let name = Preset::of(self).map_or("custom", Preset::name);
        let pack = match self.pack {
            1 => String::new(),
            k => format!(" on packs of {k}"),
        };
        let labels = match self.classes {
            0 => "",
            _ => ", labels projected onto D's last layer",
        };
        format!(
            "G {}, D {}{pack}{labels} ({name})",
            chain(plus(self.latent), g),
            chain(d_in, d)
        )
    }

    /// Checks the sizes before anything is allocated.
    pub fn validate(&self) -> crate::Result<()> {
        let sizes = std::iter::once(&self.latent)
            .chain(&self.g_hidden)
            .chain(&self.d_hidden);
        if sizes.into_iter().any(|&s| s == 0 || s > 16_384) {
            return Err(crate::Error::Config(format!(
                "layer sizes must be between 1 and 16384: {}",
                self.describe()
            )));
        }
        if self.classes != 0 && self.classes != crate::quality::CLASSES {
            return Err(crate::Error::Config(format!(
                "classes must be 0 (unconditional) or {} (MNIST's digits), not {}",
                crate::quality::CLASSES,
                self.classes
            )));
        }
        if !(1..=8).contains(&self.pack) {
            return Err(crate::Error::Config(format!(
                "pack must be between 1 and 8, not {}",
                self.pack
            )));
        }
        // A file's header names the network it holds; a bound on the total keeps a forged one
        // from asking for terabytes before a single weight is read. Depth first: with at most
        // 8 layers of at most 16384, the sum below cannot overflow even a 32-bit usize.
        if self.g_hidden.len() > 8 || self.d_hidden.len() > 8 {
            return Err(crate::Error::Config(format!(
                "at most 8 hidden layers each: {}",
                self.describe()
            )));
        }
        let params =
            |sizes: Vec<usize>| -> usize { sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum() };
        let g = params(
            [self.input_width()]
                .into_iter()
                .chain(self.g_hidden.iter().copied())
                .chain([IMAGE_PIXELS])
                .collect(),
        );
        let d = params(
            [IMAGE_PIXELS * self.pack]
                .into_iter()
                .chain(self.d_hidden.iter().copied())
                .chain([1])
                .collect(),
        ) + self.classes * self.pack * self.d_features();
        if g + d > MAX_PARAMETERS {
            return Err(crate::Error::Config(format!(
                "the network is too large ({} parameters, at most {MAX_PARAMETERS}): {}",
                g + d,
                self.describe()
            )));
        }
        Ok(())
    }

    /// A generator with seeded initial weights.
    pub fn init_generator(&self, seed: u64, device: &Device) -> Generator {
        let (hidden, output, activation) = self.mlp(
            self.input_width(),
            &self.g_hidden,
            IMAGE_PIXELS,
            seed ^ 0x6e6e_6572_6174_6f72,
            device,
        );
        Generator {
            hidden,
            output,
            activation,
            classes: self.classes,
        }
    }

    /// A discriminator with seeded initial weights.
    pub fn init_discriminator(&self, seed: u64, device: &Device) -> Discriminator {
        let seed = seed ^ 0x6469_7363_7269_6d73;
        let (hidden, output, activation) =
            self.mlp(IMAGE_PIXELS * self.pack, &self.d_hidden, 1, seed, device);
        // A projection discriminator (Miyato & Koyama 2018): the labels of a pack, one-hot,
        // map to a vector whose dot product with D's last features is added to the logit.
        let project = (self.classes > 0).then(|| {
            let mut rng = StdRng::seed_from_u64(seed ^ 0x7072_6f6a);
            let widths = [self.classes * self.pack, self.d_features()];
            let mut layer = linear_stack(&widths, &mut rng, device).remove(0);
            layer.bias = None;
            layer
        });
        Discriminator {
            hidden,
            output,
            activation,
            project,
        }
    }

    /// The layers of an MLP `input → hidden… → output` and its activation.
    fn mlp(
        &self,
        input: usize,
        hidden: &[usize],
        output: usize,
        seed: u64,
        device: &Device,
    ) -> (Vec<Linear>, Linear, LeakyRelu) {
        let mut rng = StdRng::seed_from_u64(seed);
        let widths: Vec<usize> = std::iter::once(input)
            .chain(hidden.iter().copied())
            .chain(std::iter::once(output))
            .collect();
        let mut layers = linear_stack(&widths, &mut rng, device);
        let last = layers.pop().expect("at least one layer");
        let activation = LeakyReluConfig::new()
            .with_negative_slope(self.leaky_slope)
            .init();
        (layers, last, activation)
    }
}

/// Linear layers initialised on the host from one seeded generator, U(-1/√fan_in, 1/√fan_in)
/// like PyTorch's default. Host-side init makes the same seed give the same network on every
/// device, which burn's per-backend RNGs do not promise.
pub(crate) fn linear_stack(widths: &[usize], rng: &mut StdRng, device: &Device) -> Vec<Linear> {
    widths
        .windows(2)
        .map(|w| {
            let (fan_in, fan_out) = (w[0], w[1]);
            let bound = 1.0 / (fan_in as f32).sqrt();
            let mut uniform = |n: usize| -> Vec<f32> {
                (0..n).map(|_| rng.random_range(-bound..bound)).collect()
            };
            let weight = TensorData::new(uniform(fan_in * fan_out), [fan_in, fan_out]);
            let bias = TensorData::new(uniform(fan_out), [fan_out]);
            Linear {
                weight: Param::from_data(weight, device),
                bias: Some(Param::from_data(bias, device)),
            }
        })
        .collect()
}

/// tanh, as 2·σ(2x) − 1: the same function, but burn's CPU backend computes tanh with one
/// scalar `tanhf` call per pixel, which was 27% of a tiny-net training step natively
/// (`perf record`, BENCHMARKS.md "Where a step's time goes"), and σ with one `expf`, several
/// times cheaper. σ saturates cleanly at both ends, so large inputs give ±1 and a finite
/// gradient, as tanh does.
fn tanh(x: Tensor<2>) -> Tensor<2> {
    activation::sigmoid(x.mul_scalar(2.0))
        .mul_scalar(2.0)
        .sub_scalar(1.0)
}

/// LeakyReLU as `slope·x + (1 − slope)·relu(x)`: the same function, but burn's autodiff has no
/// LeakyReLU of its own and runs the generic one as a comparison, a scale and a `mask_where`
/// (each with its backward), while ReLU is one fused operation each way.
fn leaky_relu(activation: &LeakyRelu, x: Tensor<2>) -> Tensor<2> {
    let slope = activation.negative_slope;
    x.clone().mul_scalar(slope) + activation::relu(x).mul_scalar(1.0 - slope)
}

/// Maps latent vectors to images with pixels in [-1, 1].
#[derive(Module, Debug)]
pub struct Generator {
    hidden: Vec<Linear>,
    output: Linear,
    activation: LeakyRelu,
    /// Digit classes it is conditioned on (0 = none): not stored in records, set by the config.
    #[module(skip)]
    classes: usize,
}

impl Generator {
    /// `input`: `[batch, latent + classes]` (z, then the one-hot label of a conditional net:
    /// see [`crate::latent::inputs`]) → images `[batch, 784]`, `tanh` pixels in [-1, 1]
    /// (-1 = background).
    pub fn forward(&self, input: Tensor<2>) -> Tensor<2> {
        let x = self.hidden.iter().fold(input, |x, layer| {
            leaky_relu(&self.activation, layer.forward(x))
        });
        tanh(self.output.forward(x))
    }

    /// Width of the input this generator takes: z, plus the label's one-hot when conditional.
    pub fn input_width(&self) -> usize {
        let first = self.hidden.first().unwrap_or(&self.output);
        first.weight.val().dims()[0]
    }

    /// Size of the latent vector z (the input without the label).
    pub fn latent(&self) -> usize {
        self.input_width() - self.classes
    }

    /// Digit classes it draws on request (0 = unconditional).
    pub fn classes(&self) -> usize {
        self.classes
    }
}

/// Scores images: a logit, high for "real MNIST".
#[derive(Module, Debug)]
pub struct Discriminator {
    hidden: Vec<Linear>,
    output: Linear,
    activation: LeakyRelu,
    /// A conditional D's label projection: one-hot labels of a pack → a vector in the space
    /// of the last hidden features (no bias). None for an unconditional D.
    project: Option<Linear>,
}

impl Discriminator {
    /// `images`: `[batch, 784]` in [-1, 1], with their one-hot `labels` `[batch, classes]`
    /// when conditional → logits `[batch / pack, 1]`, one per pack of consecutive images
    /// (`batch` a multiple of [`pack`](Self::pack)).
    pub fn forward(&self, images: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        let [batch, pixels] = images.dims();
        let pack = self.pack();
        let packed = images.reshape([batch / pack, pixels * pack]);
        let features = self.hidden.iter().fold(packed, |x, layer| {
            leaky_relu(&self.activation, layer.forward(x))
        });
        let logits = self.output.forward(features.clone());
        match (&self.project, labels) {
            (Some(project), Some(labels)) => {
                let [_, classes] = labels.dims();
                let labels = labels.reshape([batch / pack, classes * pack]);
                logits + (project.forward(labels) * features).sum_dim(1)
            }
            _ => logits,
        }
    }

    /// Images judged together, read off the first layer's width.
    pub fn pack(&self) -> usize {
        let first = self.hidden.first().unwrap_or(&self.output);
        first.weight.val().dims()[0] / IMAGE_PIXELS
    }
}

impl Generator {
    /// The device the weights live on.
    pub fn device(&self) -> Device {
        self.output.weight.val().device()
    }

    /// Images for the latent vectors of `seed`: `[n, 784]`, pixels in [-1, 1]. Same seed, same
    /// latents on every device (see [`crate::latent`]); a conditional generator draws the
    /// digits 0, 1, …, 9, 0, 1, … in turn.
    pub fn sample(&self, n: usize, seed: u64) -> Tensor<2> {
        let input = crate::latent::inputs(n, self.latent(), self.classes, seed);
        self.forward(crate::latent::latents_from(
            &input,
            self.input_width(),
            &self.device(),
        ))
    }
}
