//! ganvas's own Adam: the update the paper gives, computed by hand alongside; frozen
//! parameters left alone; checkpoints carry its moments, and old-format ones are refused.

use crate::common;

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use ganvas::adam::{Adam, AdamConfig};
use ganvas::train::{TrainConfig, Trainer};
use ganvas::weights::{self, WeightsFile};
use ganvas::{Error, Preset};

fn values<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    let data = t.inner().try_into_data().unwrap();
    data.try_into_vec::<f32>()
        .unwrap()
        .into_iter()
        .map(f64::from)
        .collect()
}

/// Adam as written in the paper (Algorithm 1), in f64, for one parameter.
struct Reference {
    theta: Vec<f64>,
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}

impl Reference {
    fn step(&mut self, c: &AdamConfig, grad: &[f64]) {
        self.t += 1;
        for (i, g) in grad.iter().enumerate() {
            self.m[i] = c.beta_1 * self.m[i] + (1.0 - c.beta_1) * g;
            self.v[i] = c.beta_2 * self.v[i] + (1.0 - c.beta_2) * g * g;
            let m_hat = self.m[i] / (1.0 - c.beta_1.powi(self.t));
            let v_hat = self.v[i] / (1.0 - c.beta_2.powi(self.t));
            // The "efficient version" ε (ε·√(1−β2ᵗ) against the uncorrected root) equals ε
            // against the corrected one.
            self.theta[i] -= c.lr * m_hat / (v_hat.sqrt() + c.epsilon);
        }
    }
}

#[test]
fn adam_matches_the_paper_step_for_step() {
    let device = common::cpu().autodiff();
    // loss = ½·Σw² + Σ(b·k): the weight's gradient is w itself (it changes every step), the
    // bias's a constant k with mixed signs and sizes.
    let mut linear: Linear = LinearConfig::new(3, 4).init(&device);
    let k = [0.5, -2.0, 1e-3, 0.0];
    let config = AdamConfig {
        beta_1: 0.5,
        ..AdamConfig::new(0.05)
    };
    let mut adam = Adam::new(&linear);
    let mut w = Reference {
        theta: values(linear.weight.val()),
        m: vec![0.0; 12],
        v: vec![0.0; 12],
        t: 0,
    };
    let mut b = Reference {
        theta: values(linear.bias.as_ref().unwrap().val()),
        m: vec![0.0; 4],
        v: vec![0.0; 4],
        t: 0,
    };
    for step in 1..=20 {
        let kt = Tensor::<1>::from_floats(k, &device);
        let loss = linear.weight.val().square().sum().mul_scalar(0.5)
            + (linear.bias.as_ref().unwrap().val() * kt).sum();
        let mut grads = loss.backward();
        let wg = w.theta.clone();
        linear = adam.step(&config, linear, &mut grads);
        w.step(&config, &wg);
        b.step(&config, &k);
        for (got, want) in [
            (values(linear.weight.val()), &w.theta),
            (values(linear.bias.as_ref().unwrap().val()), &b.theta),
        ] {
            for (g, e) in got.iter().zip(want.iter()) {
                assert!((g - e).abs() < 1e-5, "step {step}: {g} vs {e}");
            }
        }
    }
    assert_eq!(adam.time(), 20);
    // The bias with gradient 0 has not moved; the others moved by about lr per step early on.
    let bias = values(linear.bias.as_ref().unwrap().val());
    assert!((bias[3] - b.theta[3]).abs() < 1e-9);
    assert!(
        linear.weight.val().is_require_grad(),
        "still a trainable leaf"
    );
}

#[test]
fn frozen_parameters_and_their_moments_stay_as_they_are() {
    let device = common::cpu().autodiff();
    let mut linear: Linear = LinearConfig::new(2, 2).init(&device);
    // The bias frozen: only the weight has a gradient.
    linear.bias = linear.bias.map(|b| b.map(|t| t.set_require_grad(false)));
    let before = values(linear.bias.as_ref().unwrap().val());
    let mut adam = Adam::new(&linear);
    let loss = linear.weight.val().sum() + linear.bias.as_ref().unwrap().val().sum();
    let mut grads = loss.backward();
    let linear = adam.step(&AdamConfig::new(0.1), linear, &mut grads);
    assert_eq!(values(linear.bias.as_ref().unwrap().val()), before);
    let (m1, _) = adam.moments(&linear);
    assert_eq!(values(m1.bias.as_ref().unwrap().val()), vec![0.0, 0.0]);
    // The weight's first moment is (1 − β1)·g = 0.1 everywhere.
    for m in values(m1.weight.val()) {
        assert!((m - 0.1).abs() < 1e-7, "{m}");
    }
}

#[test]
fn checkpoints_carry_both_optimizers_moments_and_steps() {
    let device = common::cpu();
    let mut trainer =
        Trainer::new(Preset::Tiny.config(), TrainConfig::default(), 5, &device).unwrap();
    for _ in 0..3 {
        trainer.train_step(common::mnist_train());
    }
    let bytes = weights::save_checkpoint(&trainer).unwrap();
    let file = WeightsFile::decode(&bytes).unwrap();
    assert_eq!(file.header.version, 2);
    assert_eq!(file.header.adam_steps, Some((3, 3)));
    let names: Vec<_> = file
        .header
        .sections
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    for moment in ["adam-g-m1", "adam-g-m2", "adam-d-m1", "adam-d-m2"] {
        assert!(names.contains(&moment), "{names:?}");
    }
    let resumed = weights::load_checkpoint(&bytes, &device).unwrap();
    let (g, d) = resumed.optimizers();
    assert_eq!((g.time(), d.time()), (3, 3));
    let (saved, _) = trainer.optimizers().0.moments(trainer.generator());
    let (loaded, _) = g.moments(resumed.generator());
    assert_eq!(
        ganvas::params::flat(&loaded)
            .into_iter()
            .map(values)
            .collect::<Vec<_>>(),
        ganvas::params::flat(&saved)
            .into_iter()
            .map(values)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_version_1_checkpoint_is_refused_naming_its_version() {
    let device = common::cpu();
    let trainer = Trainer::new(Preset::Tiny.config(), TrainConfig::default(), 5, &device).unwrap();
    let file = WeightsFile::decode(&weights::save_checkpoint(&trainer).unwrap()).unwrap();
    let mut header = file.header.clone();
    header.version = 1;
    let sections = ["generator", "discriminator"]
        .map(|name| {
            let bytes = file.section(name).unwrap().to_vec();
            (name.to_string(), bytes)
        })
        .to_vec();
    let old = WeightsFile::encode(header, sections);
    let Err(Error::Weights(msg)) = weights::load_checkpoint(&old, &device) else {
        panic!("a version 1 checkpoint must be refused");
    };
    assert!(msg.contains("format version 1"), "{msg}");
    // Its generator still loads as weights to train on from.
    assert!(weights::load_generator(&old, &Preset::Tiny.config(), &device).is_ok());
}
