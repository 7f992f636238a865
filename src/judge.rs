//! The project's own judge: a small LeNet-style MNIST classifier whose class probabilities
//! and penultimate features feed the quality scores of [`crate::quality`].
//!
//! It is written once for every device like the GAN, so the page can score samples where
//! they are made (on WebGPU no image leaves the GPU; only the 75 numbers per image do).

use crate::error::{Error, Result};
use crate::latent::u8_to_pixels;
use crate::model::{IMAGE_PIXELS, IMAGE_SIDE, conv_layer, linear_stack};
use crate::quality::{self, CLASSES, Gaussian, Reference, Score};
use crate::weights::{Header, Kind, VERSION, WeightsFile, load_module, module_bytes};
use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, Relu};
use burn::prelude::*;
use burn::tensor::activation;
use rand::{SeedableRng, rngs::StdRng};

/// Width of the penultimate layer: the features the Fréchet distance compares.
pub const FEATURES: usize = 64;
/// Values read back per judged image: features, class probabilities, mean ink.
const ROW: usize = FEATURES + CLASSES + 1;
/// Images per forward pass: bounds the memory the conv activations take.
const CHUNK: usize = 1000;

/// The judge's convolutions: 5×5, stride 1, no padding, as `[kernel, stride, padding]`.
const UNPADDED_5X5: [usize; 3] = [5, 1, 0];

/// conv 5×5 1→16, pool, conv 5×5 16→32, pool, dense 512→64 (features), dense 64→10.
#[derive(Module, Debug)]
pub struct Judge {
    conv1: Conv2d,
    conv2: Conv2d,
    pool: MaxPool2d,
    hidden: Linear,
    output: Linear,
    activation: Relu,
}

impl Judge {
    /// A judge with seeded initial weights (the same network on every device).
    pub fn new(seed: u64, device: &Device) -> Self {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x6a75_6467_6521);
        let conv1 = conv_layer([1, 16], UNPADDED_5X5, &mut rng, device);
        let conv2 = conv_layer([16, 32], UNPADDED_5X5, &mut rng, device);
        let mut dense = linear_stack(&[32 * 4 * 4, FEATURES, CLASSES], &mut rng, device);
        let output = dense.pop().expect("two layers");
        let hidden = dense.pop().expect("two layers");
        Self {
            conv1,
            conv2,
            pool: MaxPool2dConfig::new([2, 2]).init(),
            hidden,
            output,
            activation: Relu,
        }
    }

    /// `images` `[n, 784]`, pixels in [-1, 1] → (features `[n, 64]`, logits `[n, 10]`).
    pub fn forward(&self, images: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let n = images.dims()[0];
        let x = images.reshape([n, 1, IMAGE_SIDE, IMAGE_SIDE]);
        let x = self
            .pool
            .forward(self.activation.forward(self.conv1.forward(x)));
        let x = self
            .pool
            .forward(self.activation.forward(self.conv2.forward(x)));
        let features = self
            .activation
            .forward(self.hidden.forward(x.reshape([n, 32 * 4 * 4])));
        let logits = self.output.forward(features.clone());
        (features, logits)
    }

    /// One row per image, still on the device: features, class probabilities, mean ink.
    fn measure(&self, images: Tensor<2>) -> Tensor<2> {
        // Images may come from a generator on the training (autodiff) device; the judge
        // needs no graph.
        let images = images.inner();
        let ink = images.clone().add_scalar(1.0).mul_scalar(0.5).mean_dim(1);
        let (features, logits) = self.forward(images);
        Tensor::cat(vec![features, activation::softmax(logits, 1), ink], 1)
    }

    /// Judges `images` (`[n, 784]` in [-1, 1]) with one readback per 1000 (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn judge(&self, images: Tensor<2>) -> Result<Judged> {
        let mut judged = Judged::default();
        for chunk in chunks(images) {
            let data = self
                .measure(chunk)
                .try_into_data()
                .map_err(|e| Error::Device(e.to_string()))?;
            judged.push(data)?;
        }
        Ok(judged)
    }

    /// Judges `images` with asynchronous readbacks (works on WebGPU).
    pub async fn judge_async(&self, images: Tensor<2>) -> Result<Judged> {
        let mut judged = Judged::default();
        for chunk in chunks(images) {
            let data = self
                .measure(chunk)
                .into_data_async()
                .await
                .map_err(|e| Error::Device(e.to_string()))?;
            judged.push(data)?;
        }
        Ok(judged)
    }

    /// The device the weights live on.
    pub fn device(&self) -> Device {
        self.output.weight.val().device()
    }
}

fn chunks(images: Tensor<2>) -> Vec<Tensor<2>> {
    let n = images.dims()[0];
    (0..n)
        .step_by(CHUNK)
        .map(|at| images.clone().slice(at..(at + CHUNK).min(n)))
        .collect()
}

/// What the judge said about a set of images, on the host.
#[derive(Debug, Clone, Default)]
pub struct Judged {
    /// `n × 64` penultimate features.
    pub features: Vec<f32>,
    /// `n × 10` class probabilities.
    pub probs: Vec<f32>,
    /// Mean ink of each image, in [0, 1].
    pub ink: Vec<f32>,
}

impl Judged {
    fn push(&mut self, data: TensorData) -> Result<()> {
        let rows = data
            .try_into_vec::<f32>()
            .map_err(|e| Error::Device(format!("{e:?}")))?;
        if rows.iter().any(|v| !v.is_finite()) {
            return Err(Error::Device(
                "the judge read back non-finite values (are the images finite?)".into(),
            ));
        }
        for row in rows.chunks_exact(ROW) {
            self.features.extend_from_slice(&row[..FEATURES]);
            self.probs
                .extend_from_slice(&row[FEATURES..FEATURES + CLASSES]);
            self.ink.push(row[ROW - 1]);
        }
        Ok(())
    }

    /// Appends another set's judgements.
    pub fn extend(&mut self, other: Judged) {
        self.features.extend(other.features);
        self.probs.extend(other.probs);
        self.ink.extend(other.ink);
    }

    /// Images judged.
    pub fn len(&self) -> usize {
        self.ink.len()
    }

    /// Whether no image was judged.
    pub fn is_empty(&self) -> bool {
        self.ink.is_empty()
    }

    /// The first `n` images' judgements.
    pub fn prefix(&self, n: usize) -> Judged {
        let n = n.min(self.len());
        Judged {
            features: self.features[..n * FEATURES].to_vec(),
            probs: self.probs[..n * CLASSES].to_vec(),
            ink: self.ink[..n].to_vec(),
        }
    }

    /// The judge's top class for each image.
    pub fn predictions(&self) -> Vec<usize> {
        self.probs
            .chunks_exact(CLASSES)
            .map(quality::argmax)
            .collect()
    }

    /// The features' Gaussian.
    pub fn gaussian(&self) -> Gaussian {
        Gaussian::fit(&self.features, FEATURES)
    }

    /// Scores these images against the real test set's features.
    pub fn score(&self, test: &Gaussian) -> Score {
        Score {
            n: self.len(),
            digit_score: quality::digit_score(&self.probs),
            class_shares: quality::class_shares(&self.probs),
            frechet: self.gaussian().frechet(test),
            ink: self.ink.iter().map(|&v| v as f64).sum::<f64>() / self.len().max(1) as f64,
        }
    }
}

/// MNIST digits as a `[n, 784]` tensor in [-1, 1].
pub fn digits_tensor(bytes: &[u8], device: &Device) -> Tensor<2> {
    let n = bytes.len() / IMAGE_PIXELS;
    Tensor::from_data(
        TensorData::new(u8_to_pixels(&bytes[..n * IMAGE_PIXELS]), [n, IMAGE_PIXELS]),
        device,
    )
}

/// Encodes a trained judge with its reference statistics.
pub fn save_judge(judge: &Judge, reference: &Reference, steps: u64, seed: u64) -> Result<Vec<u8>> {
    let header = Header {
        version: VERSION,
        kind: Kind::Judge,
        gan: None,
        step: steps,
        seed,
        train: None,
        ema_updates: 0,
        hold: 0,
        adam_steps: None,
        sections: vec![],
    };
    let reference = serde_json::to_vec(reference)
        .map_err(|e| Error::Weights(format!("cannot encode the reference statistics: {e}")))?;
    Ok(WeightsFile::encode(
        header,
        vec![
            ("judge".into(), module_bytes(judge.clone(), "judge")?),
            ("reference".into(), reference),
        ],
    ))
}

/// Loads a judge file (`weights/judge.ganvas`) onto `device`.
pub fn load_judge(bytes: &[u8], device: &Device) -> Result<(Judge, Reference)> {
    let file = WeightsFile::decode(bytes)?;
    if file.header.kind != Kind::Judge {
        return Err(Error::Weights(
            "this is a GAN weights file, not the judge's (weights/judge.ganvas)".into(),
        ));
    }
    let judge = load_module(Judge::new(0, device), file.section("judge")?, "judge")?;
    let reference: Reference = serde_json::from_slice(file.section("reference")?)
        .map_err(|e| Error::Weights(format!("the reference statistics are not valid: {e}")))?;
    if reference.test.dim != FEATURES
        || reference.test.mean.len() != FEATURES
        || reference.test.cov.len() != FEATURES * FEATURES
    {
        return Err(Error::Weights(format!(
            "the reference statistics are not for {FEATURES} features"
        )));
    }
    Ok((judge, reference))
}
