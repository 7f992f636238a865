//! The generator and discriminator, written once for every device: multilayer perceptrons,
//! or the DCGAN shape the tutorials teach (a dense layer to a 7×7 map and two stride-2
//! transposed convolutions up to 28×28 in G; two stride-2 convolutions down to 7×7 in D).
//! Both are built from a [`GanConfig`], so that a weights file can say exactly which network
//! it belongs to.

use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};

use crate::conv::{conv_transpose2d_layer, conv2d_layer};
use burn::nn::{LeakyRelu, LeakyReluConfig, Linear, PaddingConfig2d};
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
/// Side of the smallest feature map of the convolutional nets: 28 halved twice.
pub const CONV_SIDE: usize = 7;
/// Kernel side of every (transposed) convolution: 4×4 with stride 2 and padding 1 doubles
/// or halves a map exactly, and every output pixel of a transposed convolution gets the same
/// number of kernel taps (a 5×5 kernel at stride 2 gives the checkerboard of uneven overlap).
pub const KERNEL: usize = 4;
/// Convolution layers in each convolutional net: 28 → 14 → 7 in D, 7 → 14 → 28 in G.
pub const CONV_LAYERS: usize = 2;

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
    /// Channels of a convolutional generator: after `g_hidden`, a dense layer to a 7×7 map of
    /// `g_conv[0]` channels, then stride-2 transposed convolutions to 14×14×`g_conv[1]` and to
    /// the 28×28 digit. Empty for a dense generator (its last dense layer draws the digit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub g_conv: Vec<usize>,
    /// Channels of a convolutional discriminator: stride-2 convolutions of the digit (its
    /// pack as channels) to 14×14×`d_conv[0]` and 7×7×`d_conv[1]`, whose features then go
    /// through `d_hidden` to the logit. Empty for a dense discriminator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub d_conv: Vec<usize>,
}

fn one() -> usize {
    1
}

/// The networks: the classic Keras-tutorial GAN, a wider one, two told which digit to draw,
/// and the convolutional GAN (DCGAN) the tutorials teach, plain and told the digit.
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
    /// DCGAN: G z100→7·7·64→(transposed conv)14·14·32→28·28, D 28·28·2→(conv)14·14·32→
    /// 7·7·64→1 on pairs of digits (as channels), LeakyReLU 0.2, no normalisation. Shipped
    /// pretrained (weights/conv.ganvas): smooth strokes on a clean background, though it scores
    /// below `standard` so far (weights/README.md).
    Conv,
    /// The page's convolutional net, told which digit to draw: G (z100 + one-hot
    /// label)→7·7·16→14·14·8→28·28, D 28·28→14·14·8→7·7·16→1 with the label projected onto
    /// its 7·7·16 features. Narrow enough to train in the page on the CPU (30 steps/s here).
    ConvConditional,
}

impl Preset {
    /// Every preset, in order of size.
    pub const ALL: [Preset; 6] = [
        Preset::Tiny,
        Preset::TinyConditional,
        Preset::ConvConditional,
        Preset::Conditional,
        Preset::Conv,
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
            // Widths measured (BENCHMARKS.md, "Convolutional nets"): twice these channels
            // (G 32/16, D 16/32) drew as well in the page's first minute of steps but trained
            // at under half the speed (22 against 50 steps/s natively on one thread); the
            // shipped net is four times as wide, trained natively.
            // D judges pairs (PacGAN), as for the standard net: an unconditional G is not told
            // to draw every digit, and pairs of the same few digits are easy to spot.
            Preset::Conv => GanConfig::conv(vec![64, 32], vec![32, 64]).with_pack(2),
            Preset::ConvConditional => {
                GanConfig::conv(vec![16, 8], vec![8, 16]).with_classes(crate::quality::CLASSES)
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
            Preset::Conv => "conv",
            Preset::ConvConditional => "conv-conditional",
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
                    "unknown preset {s:?} ({})",
                    Preset::ALL.map(Preset::name).join(", ")
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
            g_conv: Vec::new(),
            d_conv: Vec::new(),
        }
    }

    /// A convolutional G and D with these channels (see [`GanConfig::g_conv`]), no dense
    /// hidden layers, z of 100, LeakyReLU 0.2, unconditional.
    pub fn conv(g_conv: Vec<usize>, d_conv: Vec<usize>) -> Self {
        Self {
            g_conv,
            d_conv,
            ..Self::new(Vec::new(), Vec::new())
        }
    }

    /// Width of the generator's last dense layer: the digit, or a conv G's first 7×7 map.
    fn g_dense_out(&self) -> usize {
        match self.g_conv.first() {
            Some(c) => c * CONV_SIDE * CONV_SIDE,
            None => IMAGE_PIXELS,
        }
    }

    /// Width of what D's dense layers see: the packed digits, or a conv D's last 7×7 maps.
    fn d_dense_in(&self) -> usize {
        match self.d_conv.last() {
            Some(c) => c * CONV_SIDE * CONV_SIDE,
            None => IMAGE_PIXELS * self.pack,
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
        self.d_hidden.last().copied().unwrap_or(self.d_dense_in())
    }

    /// Whether the two configs build the same generator (a generator file fits either).
    pub fn same_generator(&self, other: &GanConfig) -> bool {
        self.latent == other.latent
            && self.classes == other.classes
            && self.g_hidden == other.g_hidden
            && self.g_conv == other.g_conv
            && self.leaky_slope == other.leaky_slope
    }

    /// A one-line description such as `G 100→256→784, D 784→256→1 (tiny)`; a conditional
    /// net shows its labels as `100+10`.
    pub fn describe(&self) -> String {
        let chain = |first: String, v: Vec<String>| {
            std::iter::once(first)
                .chain(v)
                .collect::<Vec<_>>()
                .join("→")
        };
        let plus = |n: usize| match self.classes {
            0 => n.to_string(),
            k => format!("{n}+{k}"),
        };
        let maps = |channels: &[usize], sides: [usize; CONV_LAYERS]| -> Vec<String> {
            channels
                .iter()
                .zip(sides)
                .map(|(c, s)| format!("{s}·{s}·{c}"))
                .collect()
        };
        let mut g: Vec<String> = self.g_hidden.iter().map(usize::to_string).collect();
        g.extend(maps(&self.g_conv, [CONV_SIDE, 2 * CONV_SIDE]));
        g.push(IMAGE_PIXELS.to_string());
        let mut d = maps(&self.d_conv, [2 * CONV_SIDE, CONV_SIDE]);
        d.extend(self.d_hidden.iter().map(usize::to_string));
        d.push("1".into());
        let d_in = match (self.pack, self.d_conv.is_empty()) {
            (1, _) => IMAGE_PIXELS.to_string(),
            (k, true) => (IMAGE_PIXELS * k).to_string(),
            (k, false) => format!("28·28·{k}"),
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
        let conv = match (self.g_conv.is_empty(), self.d_conv.is_empty()) {
            (true, true) => "",
            _ => ", 4×4 stride-2 (transposed) convolutions",
        };
        format!(
            "G {}, D {}{pack}{labels}{conv} ({name})",
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
        for (net, channels) in [("G", &self.g_conv), ("D", &self.d_conv)] {
            if !channels.is_empty() && channels.len() != CONV_LAYERS {
                return Err(crate::Error::Config(format!(
                    "a convolutional {net} has {CONV_LAYERS} convolution layers, not {}",
                    channels.len()
                )));
            }
            if channels.iter().any(|&c| c == 0 || c > 1024) {
                return Err(crate::Error::Config(format!(
                    "channels must be between 1 and 1024: {}",
                    self.describe()
                )));
            }
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
        let taps = KERNEL * KERNEL;
        let conv_params = |channels: Vec<usize>| -> usize {
            channels.windows(2).map(|w| w[0] * w[1] * taps + w[1]).sum()
        };
        let g = params(
            [self.input_width()]
                .into_iter()
                .chain(self.g_hidden.iter().copied())
                .chain([self.g_dense_out()])
                .collect(),
        ) + conv_params(self.g_conv.iter().copied().chain([1]).collect());
        let d = params(
            [self.d_dense_in()]
                .into_iter()
                .chain(self.d_hidden.iter().copied())
                .chain([1])
                .collect(),
        ) + self.classes * self.pack * self.d_features()
            + conv_params([self.pack].into_iter().chain(self.d_conv.clone()).collect());
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
        let seed = seed ^ 0x6e6e_6572_6174_6f72;
        let (hidden, output, activation) = self.mlp(
            self.input_width(),
            &self.g_hidden,
            self.g_dense_out(),
            seed,
            device,
        );
        let mut rng = StdRng::seed_from_u64(seed ^ 0x6465_636f_6e76);
        // A dense G has no channels but the digit's one: no windows, no layers.
        let channels: Vec<usize> = self.g_conv.iter().copied().chain([1]).collect();
        let deconv = channels
            .windows(2)
            .map(|w| deconv_layer([w[0], w[1]], &mut rng, device))
            .collect();
        Generator {
            hidden,
            output,
            deconv,
            activation,
            classes: self.classes,
        }
    }

    /// A discriminator with seeded initial weights.
    pub fn init_discriminator(&self, seed: u64, device: &Device) -> Discriminator {
        let seed = seed ^ 0x6469_7363_7269_6d73;
        let mut rng = StdRng::seed_from_u64(seed ^ 0x636f_6e76);
        // A dense D has only its input's channels: no windows, no layers.
        let channels: Vec<usize> = [self.pack].into_iter().chain(self.d_conv.clone()).collect();
        let conv = channels
            .windows(2)
            .map(|w| conv_layer([w[0], w[1]], STRIDED, &mut rng, device))
            .collect();
        let (hidden, output, activation) =
            self.mlp(self.d_dense_in(), &self.d_hidden, 1, seed, device);
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
            conv,
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
            Linear {
                weight: uniform_param([fan_in, fan_out], bound, rng, device),
                bias: Some(uniform_param([fan_out], bound, rng, device)),
            }
        })
        .collect()
}

/// U(-bound, bound) values from `rng`, as a tensor of `shape`.
fn uniform_param<const D: usize>(
    shape: [usize; D],
    bound: f32,
    rng: &mut StdRng,
    device: &Device,
) -> Param<Tensor<D>> {
    let values = (0..shape.iter().product())
        .map(|_| rng.random_range(-bound..bound))
        .collect::<Vec<f32>>();
    Param::from_data(TensorData::new(values, shape), device)
}

/// A conv D's layers: [`KERNEL`]×[`KERNEL`] at stride 2, padding 1 (28 → 14 → 7 exactly), as
/// `[kernel, stride, padding]` for [`conv_layer`].
const STRIDED: [usize; 3] = [KERNEL, 2, 1];

/// A `kernel×kernel` convolution `[in, out]` channels at `stride` with `padding` on every side,
/// with host-seeded weights U(-1/√fan_in, 1/√fan_in) like [`linear_stack`] and PyTorch's
/// default.
pub(crate) fn conv_layer(
    [input, output]: [usize; 2],
    [kernel, stride, padding]: [usize; 3],
    rng: &mut StdRng,
    device: &Device,
) -> Conv2d {
    let mut layer = Conv2dConfig::new([input, output], [kernel, kernel])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(
            padding, padding, padding, padding,
        ))
        .init(device);
    let bound = 1.0 / ((input * kernel * kernel) as f32).sqrt();
    layer.weight = uniform_param([output, input, kernel, kernel], bound, rng, device);
    layer.bias = Some(uniform_param([output], bound, rng, device));
    layer
}

/// A 4×4 transposed convolution `[in, out]` channels at stride 2 (padding 1: a map's side
/// doubles exactly), host-seeded like [`conv_layer`]. The bound is PyTorch's for
/// `ConvTranspose2d` (its fan-in counts the weight's second dimension, the output channels),
/// so that the side-by-side benchmark's networks start alike.
fn deconv_layer([input, output]: [usize; 2], rng: &mut StdRng, device: &Device) -> ConvTranspose2d {
    let mut layer = ConvTranspose2dConfig::new([input, output], [KERNEL, KERNEL])
        .with_stride([2, 2])
        .with_padding([1, 1])
        .init(device);
    let bound = 1.0 / ((output * KERNEL * KERNEL) as f32).sqrt();
    layer.weight = uniform_param([input, output, KERNEL, KERNEL], bound, rng, device);
    layer.bias = Some(uniform_param([output], bound, rng, device));
    layer
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
fn leaky_relu<const D: usize>(activation: &LeakyRelu, x: Tensor<D>) -> Tensor<D> {
    let slope = activation.negative_slope;
    x.clone().mul_scalar(slope) + activation::relu(x).mul_scalar(1.0 - slope)
}

/// Maps latent vectors to images with pixels in [-1, 1].
#[derive(Module, Debug)]
pub struct Generator {
    hidden: Vec<Linear>,
    /// The last dense layer: it draws the digit (a dense G) or the first 7×7 maps (a conv G).
    output: Linear,
    activation: LeakyRelu,
    /// A conv G's transposed convolutions, 7×7 → 14×14 → 28×28 (empty for a dense G). Last
    /// in the module, so that a dense G's parameters keep the order its files were written in.
    deconv: Vec<ConvTranspose2d>,
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
        let x = self.output.forward(x);
        let Some((last, inner)) = self.deconv.split_last() else {
            return tanh(x);
        };
        let [batch, width] = x.dims();
        let side = CONV_SIDE;
        let maps =
            leaky_relu(&self.activation, x).reshape([batch, width / (side * side), side, side]);
        let maps = inner.iter().fold(maps, |x, layer| {
            leaky_relu(&self.activation, conv_transpose2d_layer(layer, x))
        });
        tanh(conv_transpose2d_layer(last, maps).reshape([batch, IMAGE_PIXELS]))
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
    /// A conv D's convolutions, 28×28 (the pack as channels) → 14×14 → 7×7 (empty for a
    /// dense D).
    conv: Vec<Conv2d>,
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
        let packed = match self.conv.is_empty() {
            true => images.reshape([batch / pack, pixels * pack]),
            false => {
                let maps = images.reshape([batch / pack, pack, IMAGE_SIDE, IMAGE_SIDE]);
                let maps = self.conv.iter().fold(maps, |x, layer| {
                    leaky_relu(&self.activation, conv2d_layer(layer, x))
                });
                let [n, c, h, w] = maps.dims();
                maps.reshape([n, c * h * w])
            }
        };
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
        if let Some(conv) = self.conv.first() {
            return conv.weight.val().dims()[1]; // [out, in, k, k]: the pack is the input channels
        }
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
