//! Training the judge, and measuring what real MNIST scores under it (the reference stored
//! with it). Native only: the project trains the judge once and ships it in `weights/`.

use crate::adam::{Adam, AdamConfig};
use crate::data::Mnist;
use crate::error::{Error, Result};
use crate::judge::{Judge, digits_tensor};
use crate::quality::{CLASSES, Reference};
use burn::prelude::*;
use burn::tensor::activation;
use rand::seq::SliceRandom;
use rand::{SeedableRng, rngs::StdRng};

/// Sample sizes the stored baselines are measured at (the page scores 500 at a time).
pub const BASELINE_SIZES: [usize; 4] = [500, 1000, 2000, 10_000];

/// Seed of the permutation that picks the real training digits of the baselines.
const BASELINE_SEED: u64 = 0x6261_7365;

/// What real MNIST scores under `judge`: the test set's statistics, and real training digits
/// scored against them at each of `sizes`.
pub fn reference(judge: &Judge, train: &Mnist, test: &Mnist, sizes: &[usize]) -> Result<Reference> {
    let device = judge.device();
    let judged_test = judge.judge(digits_tensor(test.images(), &device))?;
    let correct = judged_test
        .predictions()
        .iter()
        .zip(test.labels())
        .filter(|(p, l)| **p == **l as usize)
        .count();
    let gaussian = judged_test.gaussian();
    let test_score = judged_test.score(&gaussian);

    let most = sizes.iter().copied().max().unwrap_or(0).min(train.len());
    let mut order: Vec<usize> = (0..train.len()).collect();
    order.shuffle(&mut StdRng::seed_from_u64(BASELINE_SEED));
    let picked: Vec<u8> = order[..most]
        .iter()
        .flat_map(|&i| train.image(i).iter().copied())
        .collect();
    let judged_train = judge.judge(digits_tensor(&picked, &device))?;
    let baselines = sizes
        .iter()
        .map(|&n| judged_train.prefix(n).score(&gaussian))
        .collect();
    Ok(Reference {
        test_accuracy: correct as f64 / test.len() as f64,
        test_digit_score: test_score.digit_score,
        test_class_shares: test_score.class_shares,
        test_ink: test_score.ink,
        test: gaussian,
        baselines,
    })
}

/// How the judge is trained.
#[derive(Debug, Clone)]
pub struct JudgeTraining {
    /// Passes over the 60,000 training digits.
    pub epochs: usize,
    /// Digits per step.
    pub batch_size: usize,
    /// Adam learning rate (×0.7 for each later epoch).
    pub lr: f64,
    /// Seed for the initial weights and the shuffles.
    pub seed: u64,
}

impl Default for JudgeTraining {
    fn default() -> Self {
        Self {
            epochs: 8,
            batch_size: 64,
            lr: 1e-3,
            seed: 0,
        }
    }
}

/// Adam at `lr` with ε 1e-5: burn-optim's default, what the shipped judge was trained with.
fn adam(lr: f64) -> AdamConfig {
    AdamConfig {
        epsilon: 1e-5,
        ..AdamConfig::new(lr)
    }
}

/// Trains a judge with cross-entropy on shuffled epochs of `train`. `progress` is told
/// (epoch, steps done, mean loss of the epoch) after each epoch. Native only: the project
/// trains the judge once and ships it.
pub fn train_judge(
    train: &Mnist,
    config: &JudgeTraining,
    device: &Device,
    mut progress: impl FnMut(usize, u64, f64),
) -> Result<Judge> {
    let device = device.clone().autodiff();
    let mut judge = Judge::new(config.seed, &device);
    let mut optimizer = Adam::new(&judge);
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut steps = 0u64;
    for epoch in 0..config.epochs {
        let lr = config.lr * 0.7f64.powi(epoch as i32);
        let mut order: Vec<usize> = (0..train.len()).collect();
        order.shuffle(&mut rng);
        let mut losses = Vec::new();
        for batch in order.chunks(config.batch_size) {
            let bytes: Vec<u8> = batch
                .iter()
                .flat_map(|&i| train.image(i).iter().copied())
                .collect();
            let mut one_hot = vec![0f32; batch.len() * CLASSES];
            for (row, &i) in batch.iter().enumerate() {
                one_hot[row * CLASSES + train.label(i) as usize] = 1.0;
            }
            let targets =
                Tensor::from_data(TensorData::new(one_hot, [batch.len(), CLASSES]), &device);
            let (_, logits) = judge.forward(digits_tensor(&bytes, &device));
            let loss = (activation::log_softmax(logits, 1) * targets)
                .sum_dim(1)
                .mean()
                .neg();
            losses.push(loss.clone().detach());
            let mut grads = loss.backward();
            judge = optimizer.step(&adam(lr), judge, &mut grads);
            steps += 1;
        }
        let mean = Tensor::cat(losses, 0)
            .mean()
            .try_into_scalar::<f32>()
            .map_err(|e| Error::Device(e.to_string()))?;
        if !mean.is_finite() {
            return Err(Error::Diverged {
                step: steps,
                what: "the judge's loss".into(),
            });
        }
        progress(epoch + 1, steps, mean as f64);
    }
    Ok(judge.valid())
}
