//! Training on real MNIST behaves like a GAN: D learns to tell real from fake, losses are
//! finite, and a seed fixes everything.

use crate::common;

use burn::prelude::Tensor;
use ganvas::train::{StepStats, TrainConfig, Trainer};
use ganvas::{Preset, weights};

fn run(seed: u64, steps: usize) -> Vec<ganvas::train::Stats> {
    let mut t = Trainer::new(
        Preset::Tiny.config(),
        TrainConfig::default(),
        seed,
        &common::cpu(),
    )
    .unwrap();
    let stats: Vec<_> = (0..steps)
        .map(|_| t.train_step(common::mnist_train()))
        .collect();
    StepStats::read_all(stats).unwrap()
}

#[test]
fn a_few_hundred_steps_teach_d_to_tell_real_from_fake() {
    let stats = run(1, 300);
    assert!(stats.iter().all(|s| s.is_finite()), "all losses finite");
    // Averaged over the last 50 steps, D rates real digits above the generator's.
    let tail = &stats[250..];
    let real = tail.iter().map(|s| s.d_real).sum::<f32>() / tail.len() as f32;
    let fake = tail.iter().map(|s| s.d_fake).sum::<f32>() / tail.len() as f32;
    eprintln!("steps 250–300: D(x) {real:.3}, D(G(z)) {fake:.3}");
    assert!(real > fake + 0.1, "D(x) {real} vs D(G(z)) {fake}");
    // At step 0 D is guessing: its loss is near 2·ln 2 and both probabilities near 0.5.
    assert!((stats[0].d_loss - 1.386).abs() < 0.3, "{:?}", stats[0]);
}

#[test]
fn same_seed_gives_identical_losses() {
    let a = run(7, 5);
    let b = run(7, 5);
    let c = run(8, 5);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn resuming_a_checkpoint_continues_exactly() {
    let data = common::mnist_train();
    let device = common::cpu();
    let mut unbroken =
        Trainer::new(Preset::Tiny.config(), TrainConfig::default(), 3, &device).unwrap();
    for _ in 0..10 {
        unbroken.train_step(data);
    }
    let bytes = weights::save_checkpoint(&unbroken).unwrap();
    let expected: Vec<_> = (0..5).map(|_| unbroken.train_step(data)).collect();

    let mut resumed = weights::load_checkpoint(&bytes, &device).unwrap();
    assert_eq!(resumed.step(), 10);
    let got: Vec<_> = (0..5).map(|_| resumed.train_step(data)).collect();
    assert_eq!(
        StepStats::read_all(got).unwrap(),
        StepStats::read_all(expected).unwrap()
    );
}

#[test]
fn settings_are_validated() {
    let bad = TrainConfig {
        batch_size: 0,
        ..TrainConfig::default()
    };
    assert!(Trainer::new(Preset::Tiny.config(), bad, 0, &common::cpu()).is_err());
    let bad = TrainConfig {
        lr_g: f64::NAN,
        ..TrainConfig::default()
    };
    assert!(
        bad.validate(&Preset::Tiny.config())
            .unwrap_err()
            .to_string()
            .contains("learning rates")
    );
}

#[test]
fn moving_average_is_saved_and_resumed_exactly() {
    let data = common::mnist_train();
    let device = common::cpu();
    let config = TrainConfig {
        ema: 0.99,
        ..TrainConfig::default()
    };
    let mut unbroken = Trainer::new(Preset::Tiny.config(), config, 4, &device).unwrap();
    for _ in 0..8 {
        unbroken.train_step(data);
    }
    // The average differs from the live generator once training has moved it.
    let live = unbroken.generator().sample(4, 1).into_data();
    assert_ne!(unbroken.sampler().sample(4, 1).into_data(), live);
    let bytes = weights::save_checkpoint(&unbroken).unwrap();
    let mut resumed = weights::load_checkpoint(&bytes, &device).unwrap();
    for _ in 0..4 {
        unbroken.train_step(data);
        resumed.train_step(data);
    }
    assert_eq!(
        unbroken.sampler().sample(4, 1).into_data(),
        resumed.sampler().sample(4, 1).into_data()
    );
}

#[test]
fn training_continues_from_loaded_generator_weights() {
    // The page's flow: pretrained G loaded on a plain (non-autodiff) device, then training.
    let device = common::cpu();
    let config = Preset::Tiny.config();
    let g = config.init_generator(9, &device);
    let bytes = weights::save_generator(&config, &g, 500, 9).unwrap();
    let loaded = weights::load_generator(&bytes, &config, &device).unwrap();
    let mut t = Trainer::new(config, TrainConfig::default(), 1, &device).unwrap();
    t.set_generator(loaded, 500);
    let before = t.generator().sample(2, 3).into_data();
    let data = common::mnist_train();
    // D learns alone first, so that G is not pushed around by an untrained judge...
    let warmup = ganvas::train::DISCRIMINATOR_WARMUP as usize;
    let stats = StepStats::read_all((0..warmup).map(|_| t.train_step(data)).collect()).unwrap();
    assert!(stats.iter().all(|s| s.is_finite()));
    assert_eq!(
        t.generator().sample(2, 3).into_data(),
        before,
        "G held during D's warm-up"
    );
    // ...then G trains: its loaded weights take gradients.
    let stats = StepStats::read_all((0..3).map(|_| t.train_step(data)).collect()).unwrap();
    assert!(stats.iter().all(|s| s.is_finite()));
    assert_eq!(t.step(), 500 + warmup as u64 + 3);
    assert_ne!(
        t.generator().sample(2, 3).into_data(),
        before,
        "G's weights were updated"
    );
}

#[test]
fn samples_stay_near_loaded_weights_while_training_on_with_an_average() {
    let device = common::cpu();
    let config = Preset::Tiny.config();
    let g = config.init_generator(9, &device);
    let bytes = weights::save_generator(&config, &g, 500, 9).unwrap();
    let loaded = weights::load_generator(&bytes, &config, &device).unwrap();
    let train = TrainConfig {
        ema: 0.999,
        ..TrainConfig::default()
    };
    let mut t = Trainer::new(config, train, 1, &device).unwrap();
    t.set_generator(loaded, 500);
    let pixels = |g: &ganvas::Generator| g.sample(8, 3).into_data().try_to_vec::<f32>().unwrap();
    let before = pixels(t.sampler());
    let steps = ganvas::train::DISCRIMINATOR_WARMUP + 30;
    for _ in 0..steps {
        t.train_step(common::mnist_train());
    }
    let max_diff = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    };
    let live = max_diff(&pixels(t.generator()), &before);
    let averaged = max_diff(&pixels(t.sampler()), &before);
    assert!(
        averaged < live / 5.0,
        "average moved {averaged}, live generator {live}"
    );
}

#[test]
fn packed_discriminator_trains_resumes_and_refuses_odd_batches() {
    let data = common::mnist_train();
    let device = common::cpu();
    let gan = Preset::Tiny.config().with_pack(2);
    let odd = TrainConfig {
        batch_size: 63,
        ..TrainConfig::default()
    };
    let err = Trainer::new(gan.clone(), odd, 0, &device).err().unwrap();
    assert!(err.to_string().contains("pack"), "{err}");

    let mut trainer = Trainer::new(gan.clone(), TrainConfig::default(), 3, &device).unwrap();
    // D scores pairs: 64 digits → 32 logits.
    let logits = trainer
        .discriminator()
        .forward(Tensor::zeros([64, ganvas::IMAGE_PIXELS], &device), None);
    assert_eq!(logits.dims(), [32, 1]);
    let steps: Vec<_> = (0..5).map(|_| trainer.train_step(data)).collect();
    assert!(
        StepStats::read_all(steps)
            .unwrap()
            .iter()
            .all(|s| s.is_finite())
    );

    let bytes = ganvas::weights::save_checkpoint(&trainer).unwrap();
    let mut resumed = ganvas::weights::load_checkpoint(&bytes, &device).unwrap();
    assert_eq!(resumed.gan, gan);
    let a = trainer.train_step(data);
    let b = resumed.train_step(data);
    assert_eq!(
        StepStats::read_all(vec![a]).unwrap(),
        StepStats::read_all(vec![b]).unwrap()
    );
}

#[test]
fn nan_weights_show_as_non_finite_losses_and_a_clone_is_untouched() {
    let data = common::mnist_train();
    let mut t = Trainer::new(
        Preset::Tiny.config(),
        TrainConfig::default(),
        3,
        &common::cpu(),
    )
    .unwrap();
    let _ = t.train_step(data);
    let good = t.clone();
    t.poison_generator();
    let bad = StepStats::read_all((0..3).map(|_| t.train_step(data)).collect()).unwrap();
    assert!(bad.iter().all(|s| !s.is_finite()), "{bad:?}");
    // The clone taken before is a separate trainer: it trains on with finite losses.
    let mut good = good;
    let ok = StepStats::read_all(vec![good.train_step(data)]).unwrap();
    assert!(ok[0].is_finite(), "{ok:?}");
}
